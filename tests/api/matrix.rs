//! Every server function, called as an owner, a reader, a member of another organization, a
//! visitor, a person whose access was removed (same session), an account that never confirmed
//! its address, a disabled account and a member whose time-boxed access ended: allowed, refused
//! or not found exactly as its declared guard says. The guard's actions are checked to be
//! exactly what the function needs: a role allowing just those actions may call it, and a role
//! allowing everything but one of them may not. The list comes from the registered server
//! functions, so a new one without a declared guard and test arguments fails here.

use std::collections::BTreeSet;

use atelier::api::guards::{guard_of, Guard};
use atelier::authz::builtin::{builtin_role, READER};
use atelier::authz::Action;
use reqwest::{Client, StatusCode};

use crate::helpers::{client, spawn_app, TestApp};
use crate::membership::{add_member, add_member_until};

const ORG: (&str, &str) = ("organization", "contoso");
const GROUP: (&str, &str) = ("resource_group", "vision");
const WS: (&str, &str) = ("workspace", "detector");
const OLD: (&str, &str) = ("workspace", "old");
const EXPERIMENT: (&str, &str) = ("experiment", "baseline");
const MODEL: (&str, &str) = ("model", "classifier");
/// An uploaded CSV (version 1); "spare-data" is a second asset, to delete.
const DATASET: (&str, &str) = ("dataset", "iris");
/// A running cluster, a stopped instance, and a cluster to delete.
const CLUSTER: (&str, &str) = ("compute", "gpu-cluster");
const STOPPED: (&str, &str) = ("compute", "ada-ci");
/// An endpoint with deployments blue (all traffic), green (none) and red (stopped), serving
/// version 1 of model "scoring-model"; and an endpoint to delete.
const ENDPOINT: (&str, &str) = ("endpoint", "scorer");
/// A pipeline with a queued run 1 (and "spare-pipeline" to delete).
const PIPELINE: (&str, &str) = ("pipeline", "nightly");
const PIPELINE_STEPS: &str = "prep: python prep.py\ntrain after prep: python train.py";
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const ORG_SCOPE: &str = "/organizations/contoso";
/// A custom role held at the organization by Xena, set for each function to exactly the
/// actions its guard declares.
const EXACT: &str = "Matrix exact";
/// A custom role held at the organization by Abe, set for each function to allow everything
/// but one of the actions its guard declares (each in turn).
const ALL_BUT: &str = "Matrix all but";
/// A pattern that matches no action: both roles allow nothing until a function sets them.
const NOTHING: &str = "Contoso.Matrix/nothing";
/// A service principal with one token (and "spare-bot" to delete).
const PRINCIPAL: (&str, &str) = ("service_principal", "ci-bot");

/// Arguments that make each tenant server function succeed for the owner of the fixture.
fn arguments(
    path: &str,
    carol_assignment: &str,
    invitation: &str,
    run: &str,
    principal_token: &str,
) -> Option<Vec<(&'static str, String)>> {
    let own = |pairs: &[(&'static str, &str)]| {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect::<Vec<_>>()
    };
    Some(match path {
        "/api/organizations/get" => own(&[ORG]),
        "/api/organizations/rename" => own(&[ORG, ("name", "Contoso Labs")]),
        "/api/resource_groups/get" => own(&[ORG, GROUP]),
        "/api/resource_groups/create" => own(&[ORG, ("name", "speech")]),
        "/api/resource_groups/rename" => own(&[ORG, GROUP, ("name", "sight")]),
        "/api/resource_groups/delete" => own(&[ORG, ("resource_group", "empty")]),
        "/api/workspaces/get" | "/api/workspaces/frame" => own(&[ORG, GROUP, WS]),
        "/api/workspaces/create" => own(&[
            ("placement", "contoso/vision"),
            ("new_resource_group", ""),
            ("name", "segmenter"),
            ("display_name", ""),
            ("environment", "test"),
            ("description", ""),
            ("tags", ""),
        ]),
        "/api/workspaces/update" => {
            own(&[ORG, GROUP, WS, ("display_name", "Renamed"), ("description", ""), ("tags", "")])
        }
        "/api/workspaces/delete" => own(&[ORG, GROUP, WS, ("confirm_name", "detector")]),
        "/api/workspaces/restore" => own(&[ORG, GROUP, OLD]),
        "/api/workspaces/purge" => own(&[ORG, GROUP, OLD]),
        "/api/workspaces/set_up_project" => own(&[ORG, ("project", "atlas"), ("description", "")]),
        "/api/access/get" => own(&[("scope", WS_SCOPE)]),
        // Roles handed out are never more than the giver holds: the exact role's holder may
        // hand out only the exact role. Rita is a member, so she is granted, not invited.
        "/api/access/grant" => {
            own(&[("scope", WS_SCOPE), ("email", "rita@example.com"), ("role", EXACT)])
        }
        "/api/access/grant_group" => {
            own(&[("scope", WS_SCOPE), ("group", "Data scientists"), ("role", EXACT)])
        }
        "/api/access/change" => {
            own(&[("scope", WS_SCOPE), ("assignment", carol_assignment), ("role", EXACT)])
        }
        "/api/access/remove" => own(&[("scope", WS_SCOPE), ("assignment", carol_assignment)]),
        "/api/access/activity" => own(&[("scope", WS_SCOPE)]),
        "/api/access/check" => own(&[("scope", WS_SCOPE), ("email", "carol@example.com")]),
        "/api/service_principals/list" => own(&[ORG]),
        "/api/service_principals/create" => own(&[ORG, ("name", "new-bot")]),
        "/api/service_principals/delete" => {
            own(&[ORG, ("service_principal", "spare-bot"), ("confirm_name", "spare-bot")])
        }
        "/api/service_principals/tokens" => own(&[ORG, PRINCIPAL]),
        "/api/service_principals/create_token" => own(&[
            ORG,
            PRINCIPAL,
            ("name", "deploy"),
            ("reach", "/organizations/contoso"),
            ("ends_on", ""),
        ]),
        "/api/service_principals/revoke_token" => {
            own(&[ORG, PRINCIPAL, ("id", principal_token)])
        }
        "/api/groups/list" => own(&[ORG]),
        "/api/groups/create" => own(&[ORG, ("name", "Reviewers"), ("description", "")]),
        "/api/groups/add_member" => {
            own(&[ORG, ("group", "Data scientists"), ("email", "rita@example.com")])
        }
        // One address to invite, one member to put in at once.
        "/api/groups/invite" => own(&[
            ORG,
            ("group", "Data scientists"),
            ("emails", "newbie@example.com, rita@example.com"),
        ]),
        "/api/groups/remove_member" => {
            own(&[ORG, ("group", "Administrators"), ("email", "rita@example.com")])
        }
        "/api/groups/update" => {
            own(&[ORG, ("group", "Spare group"), ("name", "Spare team"), ("description", "")])
        }
        "/api/groups/delete" => {
            own(&[ORG, ("group", "Spare group"), ("confirm_name", "Spare group")])
        }
        "/api/roles/list" => own(&[ORG]),
        "/api/roles/save" => own(&[
            ORG,
            ("name", "Watcher"),
            ("actions", Action::RoleDefinitionsWrite.as_str()),
            ("assignable_scopes", ORG_SCOPE),
        ]),
        "/api/roles/delete" => own(&[ORG, ("name", "Spare")]),
        "/api/invitations/create" => own(&[
            ("scope", WS_SCOPE),
            ("emails", "newbie@example.com"),
            ("role", EXACT),
            ("note", ""),
            ("access_ends", ""),
        ]),
        "/api/invitations/revoke" | "/api/invitations/resend" | "/api/invitations/link" => {
            own(&[("scope", WS_SCOPE), ("invitation", invitation)])
        }
        "/api/invitations/change_role" => {
            own(&[("scope", WS_SCOPE), ("invitation", invitation), ("role", EXACT)])
        }
        "/api/experiments/list" | "/api/runs/list" => own(&[ORG, GROUP, WS]),
        "/api/experiments/get" => own(&[ORG, GROUP, WS, EXPERIMENT]),
        "/api/experiments/create" => own(&[ORG, GROUP, WS, ("name", "tuning")]),
        "/api/experiments/update" => {
            own(&[ORG, GROUP, WS, EXPERIMENT, ("description", "Baselines"), ("tags", "")])
        }
        "/api/experiments/delete" => {
            own(&[ORG, GROUP, WS, ("experiment", "spare"), ("confirm_name", "spare")])
        }
        "/api/runs/get" | "/api/runs/logs" | "/api/runs/delete" => {
            own(&[ORG, GROUP, WS, ("run", run)])
        }
        "/api/runs/series" => own(&[ORG, GROUP, WS, ("runs", run)]),
        "/api/runs/create" => own(&[ORG, GROUP, WS, EXPERIMENT, ("params", "lr=0.1")]),
        "/api/runs/update" => own(&[ORG, GROUP, WS, ("run", run), ("metrics", "loss 0.5")]),
        "/api/runs/outputs" => own(&[ORG, GROUP, WS, ("run", run)]),
        "/api/runs/upload_output" => own(&[
            ORG,
            GROUP,
            WS,
            ("run", run),
            ("path", "outputs/notes.txt"),
            ("content", "aGVsbG8="),
        ]),
        "/api/runs/snapshot" => own(&[ORG, GROUP, WS, ("run", run)]),
        // A .tar.gz holding train.py.
        "/api/runs/upload_snapshot" => own(&[
            ORG,
            GROUP,
            WS,
            ("run", run),
            ("archive_name", "code.tgz"),
            ("content", "H4sIAAAAAAAAA+3Sqw6EMBCF4WqeokGBIR1a4HmQGCBlELw9lwSDYNc0m03+z5xkZsQRo7EfxmreTELu0IZw5eGZzklnpJG68T6Ecy5S+9ZYl7LUbV20j9aaOE36dvdp/6fmOIxa5Hq+QV5mv64DAAAAAAAAAAAAAAAAAPjSDl/jrcoAKAAA"),
        ]),
        "/api/datastores/list" => own(&[ORG, GROUP, WS]),
        "/api/datastores/get" => own(&[ORG, GROUP, WS, ("datastore", "workspaceblobstore")]),
        "/api/datastores/create" => own(&[
            ORG,
            GROUP,
            WS,
            ("name", "lake"),
            ("kind", "s3"),
            ("bucket", "ml-data"),
            ("access_key_id", "AKIAEXAMPLE"),
            ("secret_access_key", "wJalrXUtnFEMI"),
        ]),
        "/api/environments/list" => own(&[ORG, GROUP, WS]),
        "/api/environments/get" => own(&[ORG, GROUP, WS, ("environment", "sklearn")]),
        "/api/environments/register" => {
            own(&[ORG, GROUP, WS, ("name", "sklearn"), ("base_image", "python:3.11-slim")])
        }
        "/api/environments/delete_version" => {
            own(&[ORG, GROUP, WS, ("environment", "sklearn"), ("version", "1")])
        }
        "/api/datastores/delete" | "/api/datastores/secrets" => {
            own(&[ORG, GROUP, WS, ("datastore", "spare_store")])
        }
        "/api/models/list" => own(&[ORG, GROUP, WS]),
        "/api/models/get" => own(&[ORG, GROUP, WS, MODEL]),
        // Without a source run: linking one also needs RunsRead (see the guard table).
        "/api/models/register" => own(&[ORG, GROUP, WS, ("name", "classifier")]),
        "/api/models/update" => own(&[ORG, GROUP, WS, MODEL, ("description", "Sharper")]),
        "/api/models/update_version" => {
            own(&[ORG, GROUP, WS, MODEL, ("version", "1"), ("description", "Sharper")])
        }
        "/api/models/set_stage" => {
            own(&[ORG, GROUP, WS, MODEL, ("version", "1"), ("stage", "Production")])
        }
        "/api/models/delete_version" => own(&[ORG, GROUP, WS, MODEL, ("version", "1")]),
        "/api/models/delete" => {
            own(&[ORG, GROUP, WS, ("model", "spare-model"), ("confirm_name", "spare-model")])
        }
        "/api/datasets/list" => own(&[ORG, GROUP, WS]),
        "/api/datasets/get" => own(&[ORG, GROUP, WS, DATASET]),
        "/api/datasets/version" | "/api/datasets/delete_version" => {
            own(&[ORG, GROUP, WS, DATASET, ("version", "1")])
        }
        "/api/datasets/register" => own(&[
            ORG,
            GROUP,
            WS,
            ("name", "iris"),
            ("format", "uri_file"),
            ("uri", "https://example.com/iris.csv"),
        ]),
        "/api/datasets/update" => {
            own(&[ORG, GROUP, WS, DATASET, ("version", "1"), ("description", "Cleaned")])
        }
        "/api/datasets/delete" => {
            own(&[ORG, GROUP, WS, ("dataset", "spare-data"), ("confirm_name", "spare-data")])
        }
        "/api/computes/list" => own(&[ORG, GROUP, WS]),
        "/api/computes/get" | "/api/computes/stop" | "/api/computes/restart" => {
            own(&[ORG, GROUP, WS, CLUSTER])
        }
        "/api/computes/start" => own(&[ORG, GROUP, WS, STOPPED]),
        "/api/computes/create" => own(&[
            ORG,
            GROUP,
            WS,
            ("name", "cpu-cluster"),
            ("kind", "cluster"),
            ("vm_size", "Standard_DS3_v2"),
            ("min_nodes", "0"),
            ("max_nodes", "4"),
        ]),
        "/api/computes/update" => {
            own(&[ORG, GROUP, WS, CLUSTER, ("min_nodes", "0"), ("max_nodes", "8")])
        }
        "/api/computes/delete" => {
            own(&[ORG, GROUP, WS, ("compute", "spare-ci"), ("confirm_name", "spare-ci")])
        }
        "/api/endpoints/list" => own(&[ORG, GROUP, WS]),
        "/api/endpoints/get" => own(&[ORG, GROUP, WS, ENDPOINT]),
        "/api/endpoints/get_deployment" => own(&[ORG, GROUP, WS, ENDPOINT, ("deployment", "blue")]),
        "/api/endpoints/create" => own(&[ORG, GROUP, WS, ("name", "ranker")]),
        "/api/endpoints/update" => own(&[ORG, GROUP, WS, ENDPOINT, ("description", "Scores")]),
        "/api/endpoints/delete" => own(&[
            ORG,
            GROUP,
            WS,
            ("endpoint", "spare-endpoint"),
            ("confirm_name", "spare-endpoint"),
        ]),
        "/api/endpoints/create_deployment" => own(&[
            ORG,
            GROUP,
            WS,
            ENDPOINT,
            ("name", "canary"),
            ("model", "scoring-model"),
            ("model_version", "1"),
        ]),
        "/api/endpoints/update_deployment" => own(&[
            ORG,
            GROUP,
            WS,
            ENDPOINT,
            ("deployment", "blue"),
            ("model", "scoring-model"),
            ("model_version", "1"),
            ("instance_count", "2"),
        ]),
        "/api/endpoints/start_deployment" => {
            own(&[ORG, GROUP, WS, ENDPOINT, ("deployment", "red")])
        }
        "/api/endpoints/stop_deployment" | "/api/endpoints/delete_deployment" => {
            own(&[ORG, GROUP, WS, ENDPOINT, ("deployment", "green")])
        }
        "/api/endpoints/set_traffic" => own(&[
            ORG,
            GROUP,
            WS,
            ENDPOINT,
            ("deployments[0]", "blue"),
            ("percents[0]", "60"),
            ("deployments[1]", "green"),
            ("percents[1]", "40"),
        ]),
        "/api/pipelines/list" => own(&[ORG, GROUP, WS]),
        "/api/pipelines/get" | "/api/pipelines/submit" => own(&[ORG, GROUP, WS, PIPELINE]),
        "/api/pipelines/get_run" | "/api/pipelines/cancel_run" => {
            own(&[ORG, GROUP, WS, PIPELINE, ("run", "1")])
        }
        "/api/pipelines/create" => own(&[ORG, GROUP, WS, ("name", "weekly"), ("steps", "a: x")]),
        "/api/pipelines/update" => own(&[ORG, GROUP, WS, PIPELINE, ("steps", PIPELINE_STEPS)]),
        "/api/pipelines/set_step" => {
            own(&[ORG, GROUP, WS, PIPELINE, ("run", "1"), ("step", "prep"), ("status", "running")])
        }
        "/api/pipelines/delete" => own(&[
            ORG,
            GROUP,
            WS,
            ("pipeline", "spare-pipeline"),
            ("confirm_name", "spare-pipeline"),
        ]),
        _ => return None,
    })
}

struct Fixture {
    app: TestApp,
    owner: Client,
    reader: Client,
    stranger: Client,
    removed: Client,
    /// Signed up and never confirmed its address; belongs to no organization.
    unconfirmed: Client,
    /// A Reader of the organization whose account the instance admin disabled (same session).
    disabled: Client,
    /// A Reader of the organization whose time-boxed access has ended (same session).
    expired: Client,
    /// Read the organization only through a group, which was then deleted with its access.
    group_removed: Client,
    /// Holds [`EXACT`] at the organization.
    exact: Client,
    /// Holds [`ALL_BUT`] at the organization.
    all_but: Client,
    carol_assignment: String,
    /// A pending invitation (to Zed, offering [`EXACT`]) at the workspace.
    invitation: String,
    /// A running run of the experiment "baseline" in the workspace; model "classifier" has a
    /// version 1 registered from it, and model "spare-model" a version without a run.
    run: String,
    /// The id of service principal ci-bot's token.
    principal_token: String,
}

/// Ada owns contoso (groups vision and empty; workspaces detector and the deleted old; a spare
/// custom role; experiments, a run and models in detector) and is the instance admin. Rita
/// reads the organization (her address confirmed); Mallory has her own organization; Rick was
/// a reader and is removed; Carol reads the workspace; Una never confirmed her address; Dina
/// read the organization until her account was disabled, Eve until her access ended (the
/// clock has moved past it); Xena holds [`EXACT`] and Abe [`ALL_BUT`] at the organization,
/// both allowing nothing yet.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let owner = app.signed_in("Ada", "ada@example.com").await;
    app.workspace_fixture(&owner, "contoso", "vision", "detector").await;
    app.create_workspace(&owner, "contoso/vision", "", "old").await;
    app.call(&owner, "workspaces/delete", &[ORG, GROUP, OLD, ("confirm_name", "old")]).await;
    app.call(&owner, "resource_groups/create", &[ORG, ("name", "empty")]).await;
    let spare = [
        ORG,
        ("name", "Spare"),
        ("actions", "*/read"),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    assert_eq!(app.call(&owner, "roles/save", &spare).await.status(), StatusCode::OK);
    for name in [EXACT, ALL_BUT] {
        save_role(&app, &owner, ("", name), &[NOTHING], &[]).await;
    }
    let reader = app.signed_in("Rita", "rita@example.com").await;
    let removed = app.signed_in("Rick", "rick@example.com").await;
    app.signed_in("Carol", "carol@example.com").await;
    for (email, scope) in [
        ("rita@example.com", "/organizations/contoso"),
        ("rick@example.com", "/organizations/contoso"),
        ("carol@example.com", WS_SCOPE),
    ] {
        crate::membership::give(&app, &owner, scope, email, "Reader").await;
    }
    // Granting by email reaches only members whose address is confirmed.
    crate::membership::confirmed_by_admin(&app, &owner, &reader).await;
    let stranger = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&stranger, "mallory-inc", "stuff", "things").await;

    let org_view = app
        .json(&owner, "access/get", &[("scope", "/organizations/contoso")], StatusCode::OK)
        .await;
    let rick = org_view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "rick@example.com")
        .unwrap()["id"]
        .to_string();
    let removal = app
        .call(
            &owner,
            "access/remove",
            &[("scope", "/organizations/contoso"), ("assignment", &rick)],
        )
        .await;
    assert_eq!(removal.status(), StatusCode::OK);
    let ws_view = app.json(&owner, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let carol_assignment = ws_view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "carol@example.com")
        .unwrap()["id"]
        .to_string();
    let invite = [
        ("scope", WS_SCOPE),
        ("emails", "zed@example.com"),
        ("role", EXACT),
        ("note", ""),
        ("access_ends", ""),
    ];
    assert_eq!(app.call(&owner, "invitations/create", &invite).await.status(), StatusCode::OK);
    let ws_view = app.json(&owner, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let invitation = ws_view["invitations"][0]["id"].to_string();
    for name in ["baseline", "spare"] {
        let created =
            app.call(&owner, "experiments/create", &[ORG, GROUP, WS, ("name", name)]).await;
        assert_eq!(created.status(), StatusCode::OK, "creating experiment {name}");
    }
    let env = [ORG, GROUP, WS, ("name", "sklearn"), ("base_image", "python:3.11-slim")];
    assert_eq!(app.call(&owner, "environments/register", &env).await.status(), StatusCode::OK);
    for name in ["iris", "spare-data"] {
        let upload = [
            ORG,
            GROUP,
            WS,
            ("name", name),
            ("format", "csv"),
            ("file_name", "data.csv"),
            ("content", "YSxiCjEsMgo="),
        ];
        let registered = app.call(&owner, "datasets/register", &upload).await;
        assert_eq!(registered.status(), StatusCode::OK, "registering data asset {name}");
    }
    let store = [ORG, GROUP, WS, ("name", "spare_store"), ("kind", "local"), ("path", "spare")];
    assert_eq!(app.call(&owner, "datastores/create", &store).await.status(), StatusCode::OK);
    let submit = [ORG, GROUP, WS, EXPERIMENT, ("status", "running")];
    assert_eq!(app.call(&owner, "runs/create", &submit).await.status(), StatusCode::OK);
    let runs = app.json(&owner, "runs/list", &[ORG, GROUP, WS], StatusCode::OK).await;
    let run = runs["runs"][0]["name"].as_str().unwrap().to_owned();
    for (name, source_run) in [("classifier", run.as_str()), ("spare-model", "")] {
        let register = [ORG, GROUP, WS, ("name", name), ("source_run", source_run)];
        let registered = app.call(&owner, "models/register", &register).await;
        assert_eq!(registered.status(), StatusCode::OK, "registering model {name}");
    }
    for (name, kind) in
        [("gpu-cluster", "cluster"), ("ada-ci", "instance"), ("spare-ci", "instance")]
    {
        let created = app
            .call(
                &owner,
                "computes/create",
                &[ORG, GROUP, WS, ("name", name), ("kind", kind), ("max_nodes", "2")],
            )
            .await;
        assert_eq!(created.status(), StatusCode::OK, "creating compute {name}");
    }
    let stopped = app.call(&owner, "computes/stop", &[ORG, GROUP, WS, STOPPED]).await;
    assert_eq!(stopped.status(), StatusCode::OK);
    let register = [ORG, GROUP, WS, ("name", "scoring-model"), ("source_run", "")];
    assert_eq!(app.call(&owner, "models/register", &register).await.status(), StatusCode::OK);
    for name in ["scorer", "spare-endpoint"] {
        let created = app.call(&owner, "endpoints/create", &[ORG, GROUP, WS, ("name", name)]).await;
        assert_eq!(created.status(), StatusCode::OK, "creating endpoint {name}");
    }
    for name in ["blue", "green", "red"] {
        let deploy = [
            ORG,
            GROUP,
            WS,
            ENDPOINT,
            ("name", name),
            ("model", "scoring-model"),
            ("model_version", "1"),
        ];
        let created = app.call(&owner, "endpoints/create_deployment", &deploy).await;
        assert_eq!(created.status(), StatusCode::OK, "deploying {name}");
    }
    let stop = [ORG, GROUP, WS, ENDPOINT, ("deployment", "red")];
    assert_eq!(app.call(&owner, "endpoints/stop_deployment", &stop).await.status(), StatusCode::OK);
    for name in ["nightly", "spare-pipeline"] {
        let create = [ORG, GROUP, WS, ("name", name), ("steps", PIPELINE_STEPS)];
        let created = app.call(&owner, "pipelines/create", &create).await;
        assert_eq!(created.status(), StatusCode::OK, "creating pipeline {name}");
    }
    let submitted = app.call(&owner, "pipelines/submit", &[ORG, GROUP, WS, PIPELINE]).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    for name in ["ci-bot", "spare-bot"] {
        let created = app.call(&owner, "service_principals/create", &[ORG, ("name", name)]).await;
        assert_eq!(created.status(), StatusCode::OK, "creating service principal {name}");
    }
    let token = [ORG, PRINCIPAL, ("name", "ci"), ("reach", "/organizations/contoso")];
    let made = app.call(&owner, "service_principals/create_token", &token).await;
    assert_eq!(made.status(), StatusCode::OK);
    let tokens = app.json(&owner, "service_principals/tokens", &[ORG, PRINCIPAL], StatusCode::OK);
    let principal_token = tokens.await["tokens"]["tokens"][0]["id"].to_string();

    for name in ["Data scientists", "Administrators", "Spare group"] {
        let created = app.call(&owner, "groups/create", &[ORG, ("name", name)]).await;
        assert_eq!(created.status(), StatusCode::OK, "creating group {name}");
    }
    let rita_in = [ORG, ("group", "Administrators"), ("email", "rita@example.com")];
    let added = app.call(&owner, "groups/add_member", &rita_in).await;
    assert_eq!(added.status(), StatusCode::OK, "{}", added.text().await.unwrap_or_default());

    let group_removed = member_of_a_removed_group(&app, &owner).await;
    let exact = app.signed_in("Xena", "xena@example.com").await;
    add_member(&app, &owner, &exact, ORG_SCOPE, EXACT).await;
    let all_but = app.signed_in("Abe", "abe@example.com").await;
    add_member(&app, &owner, &all_but, ORG_SCOPE, ALL_BUT).await;
    let unconfirmed = app.signed_in("Una", "una@example.com").await;
    let listed = app.json(&owner, "instance/unconfirmed", &[], StatusCode::OK).await;
    let unconfirmed_emails = listed.as_array().unwrap().iter().map(|a| &a["email"]);
    assert!(unconfirmed_emails.into_iter().any(|e| e == "una@example.com"), "{listed}");
    let disabled = app.signed_in("Dina", "dina@example.com").await;
    add_member(&app, &owner, &disabled, ORG_SCOPE, "Reader").await;
    // Eve's access ends at the start of the day after tomorrow, at the latest.
    let expired = app.signed_in("Eve", "eve@example.com").await;
    let ends = atelier::domain::format::date(app.clock.now() + 2 * 86_400);
    add_member_until(&app, &owner, &expired, (ORG_SCOPE, "Reader"), &ends).await;
    for (who, member) in [("Dina", &disabled), ("Eve", &expired)] {
        let status = app.call(member, "organizations/get", &[ORG]).await.status();
        assert_eq!(status, StatusCode::OK, "{who} reads the organization at first");
    }
    disable_account(&app, &owner, "dina@example.com").await;
    // Past Eve's end, and the server's housekeeping has run. (Requests judge an assignment's
    // end by the wall clock, not the server's clock that tests move, so only housekeeping ends
    // it here; invitations.rs checks an end past on the wall clock.)
    app.clock.advance(3 * 86_400);
    atelier::server::mail::housekeeping::tidy(&app.state).await.expect("housekeeping");
    Fixture {
        app,
        owner,
        reader,
        stranger,
        removed,
        group_removed,
        unconfirmed,
        disabled,
        expired,
        exact,
        all_but,
        carol_assignment,
        invitation,
        run,
        principal_token,
    }
}

/// Saves custom role `name` of the organization (replacing `original`, when not empty) to allow
/// `actions` but not `not_actions`, assignable anywhere in the organization. The owner holds
/// `*`, so may save any role.
/// Gus, whose only role was Reader of the organization through the group "Old team", deleted
/// since with its access (his own assignment, needed to put him in it, removed before).
async fn member_of_a_removed_group(app: &TestApp, owner: &Client) -> Client {
    let gus = app.signed_in("Gus", "gus@example.com").await;
    add_member(app, owner, &gus, ORG_SCOPE, "Reader").await;
    crate::membership::confirmed_by_admin(app, owner, &gus).await;
    let team = ("group", "Old team");
    for (endpoint, form) in [
        ("groups/create", vec![ORG, ("name", "Old team")]),
        ("groups/add_member", vec![ORG, team, ("email", "gus@example.com")]),
        ("access/grant_group", vec![("scope", ORG_SCOPE), team, ("role", "Reader")]),
    ] {
        let response = app.call(owner, endpoint, &form).await;
        assert_eq!(response.status(), StatusCode::OK, "{endpoint}");
    }
    let view = app.json(owner, "access/get", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let own = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "gus@example.com" && a["group"] == false)
        .unwrap()["id"]
        .to_string();
    let removal = [("scope", ORG_SCOPE), ("assignment", own.as_str())];
    assert_eq!(app.call(owner, "access/remove", &removal).await.status(), StatusCode::OK);
    let read = app.call(&gus, "organizations/get", &[ORG]).await.status();
    assert_eq!(read, StatusCode::OK, "Gus reads the organization through the group");
    let delete = [ORG, team, ("confirm_name", "Old team"), ("remove_access", "on")];
    assert_eq!(app.call(owner, "groups/delete", &delete).await.status(), StatusCode::OK);
    gus
}

async fn save_role(
    app: &TestApp,
    owner: &Client,
    (original, name): (&str, &str),
    actions: &[&str],
    not_actions: &[&str],
) {
    let (actions, not_actions) = (actions.join("\n"), not_actions.join("\n"));
    let form = [
        ORG,
        ("original", original),
        ("name", name),
        ("actions", &actions),
        ("not_actions", &not_actions),
        ("assignable_scopes", ORG_SCOPE),
    ];
    let saved = app.call(owner, "roles/save", &form).await;
    assert_eq!(saved.status(), StatusCode::OK, "saving role {name}");
}

/// Disables the account with address `email`, as the instance `admin`.
pub async fn disable_account(app: &TestApp, admin: &Client, email: &str) {
    let accounts = app.json(admin, "instance/accounts", &[("search", email)], StatusCode::OK).await;
    let id = accounts[0]["id"].to_string();
    let form = [("account", id.as_str()), ("disabled", "true")];
    let disabled = app.call(admin, "instance/set_account_disabled", &form).await;
    assert_eq!(disabled.status(), StatusCode::OK, "disabling {email}");
}

fn allowed(status: StatusCode) -> bool {
    status.is_success()
}

/// What someone gets whose role allows everything but `missing`, one of the actions a function
/// declares (`first` is its own, declared first). What the caller may not even read does not
/// exist (DESIGN.md, authorization), so:
/// - without the read action of the scope the function touches (organization, resource group,
///   workspace), the scope is hidden: 404;
/// - without the read of something else the call names (the model version a deployment serves,
///   the organization a token reaches), that thing is taken not to exist: the call fails as for
///   a name that is not there, beside its field (400) or not found (404), never saying it
///   exists (403);
/// - without any other action, the scope is visible and the call forbidden: 403.
fn refusals_without(missing: Action, first: Action) -> &'static [StatusCode] {
    match missing {
        _ if missing != first && missing.is_read() => {
            &[StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND]
        }
        Action::OrganizationsRead | Action::ResourceGroupsRead | Action::WorkspacesRead => {
            &[StatusCode::NOT_FOUND]
        }
        _ => &[StatusCode::FORBIDDEN],
    }
}

#[tokio::test]
async fn every_registered_server_function_declares_its_guard() {
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    assert!(registered.len() >= 30, "server functions are registered: {registered:?}");
    let undeclared: Vec<&String> = registered.iter().filter(|p| guard_of(p).is_none()).collect();
    assert!(undeclared.is_empty(), "server functions without a declared guard: {undeclared:?}");
    for path in &registered {
        let actions = guard_of(path).map(Guard::actions).unwrap_or_default();
        if !actions.is_empty() {
            assert!(
                arguments(path, "1", "1", "r", "1").is_some(),
                "{path} touches tenant data but has no matrix arguments"
            );
            let distinct: BTreeSet<&str> = actions.iter().map(|a| a.as_str()).collect();
            assert_eq!(distinct.len(), actions.len(), "{path} declares an action twice");
        }
    }
}

/// Calls every tenant server function on its own fixture as each kind of person, collecting
/// every answer that differs from what its guard declares; fails with all of them at the end.
#[tokio::test]
async fn every_tenant_server_function_allows_refuses_or_hides_as_declared() {
    let reader_role = builtin_role(READER).unwrap();
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    let mut problems = Vec::new();
    for path in registered {
        let actions = guard_of(&path).map(Guard::actions).unwrap_or_default();
        if actions.is_empty() {
            continue;
        }
        let fx = fixture().await;
        let args =
            arguments(&path, &fx.carol_assignment, &fx.invitation, &fx.run, &fx.principal_token)
                .unwrap();
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let endpoint = path.trim_start_matches("/api/");
        let mut expect = |who: &str, got: StatusCode, wanted: &[StatusCode]| {
            if !wanted.contains(&got) {
                problems.push(format!("{path} as {who}: {got}, not {wanted:?}"));
            }
        };

        // Nobody outside the organization, and nobody whose account or access has ended, learns
        // that anything exists; a disabled account is signed out.
        let visitor = client();
        let outsiders = [
            ("a visitor", &visitor, StatusCode::UNAUTHORIZED),
            ("a stranger", &fx.stranger, StatusCode::NOT_FOUND),
            ("a member whose access was removed", &fx.removed, StatusCode::NOT_FOUND),
            ("a member of a group that was removed", &fx.group_removed, StatusCode::NOT_FOUND),
            ("an unconfirmed account", &fx.unconfirmed, StatusCode::NOT_FOUND),
            ("a disabled account", &fx.disabled, StatusCode::UNAUTHORIZED),
            ("a member whose access ended", &fx.expired, StatusCode::NOT_FOUND),
            // A member whose role allows nothing finds nothing either. This is also the state
            // before the role is set below, so the call after it shows the change took effect
            // at the next request.
            ("a member whose role allows nothing", &fx.exact, StatusCode::NOT_FOUND),
        ];
        for (who, caller, wanted) in outsiders {
            expect(who, fx.app.call(caller, endpoint, &form).await.status(), &[wanted]);
        }

        // Everything but one of the declared actions is not enough, for each of them.
        for &missing in &actions {
            let not_actions = [missing.as_str()];
            save_role(&fx.app, &fx.owner, (ALL_BUT, ALL_BUT), &["*"], &not_actions).await;
            let who = format!("a role allowing everything but {missing}");
            expect(
                &who,
                fx.app.call(&fx.all_but, endpoint, &form).await.status(),
                refusals_without(missing, actions[0]),
            );
        }

        let as_reader = fx.app.call(&fx.reader, endpoint, &form).await.status();
        if actions.iter().all(|&action| reader_role.permits(action)) {
            if !allowed(as_reader) {
                problems.push(format!("{path} as a reader: {as_reader}"));
            }
        } else {
            expect("a reader", as_reader, &[StatusCode::FORBIDDEN]);
        }

        // Exactly the declared actions are enough. The owner's role allows them too; where the
        // call changes something only one of the two can make it (the other would find it
        // done), so the owner calls only what reads.
        let exact: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        save_role(&fx.app, &fx.owner, (EXACT, EXACT), &exact, &[]).await;
        let mut succeeding = vec![("a role allowing exactly its actions", &fx.exact)];
        if actions.iter().all(|a| a.is_read()) {
            succeeding.push(("the owner", &fx.owner));
        }
        for (who, caller) in succeeding {
            let response = fx.app.call(caller, endpoint, &form).await;
            let code = response.status();
            if !allowed(code) {
                let body = response.text().await.unwrap_or_default();
                problems.push(format!("{path} as {who} ({exact:?}): {code} {body}"));
            }
        }
        // One fixture per function: close its connections now rather than whenever the
        // dropped pool gets round to it, or a PostgreSQL server runs out of them.
        fx.app.state.pool.close().await;
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
