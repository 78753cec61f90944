//! Groups on Access control and in Check access ("via Data scientists"), renamed and deleted,
//! changed by their managers, and kept from leaving a workspace without an Owner (issue 17).

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};
use crate::membership::{add_member, confirmed_by_admin};

const ORG: (&str, &str) = ("organization", "contoso");
const ORG_SCOPE: &str = "/organizations/contoso";
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

/// A confirmed member of the organization, a Reader of another workspace only.
async fn member(app: &TestApp, owner: &Client, name: &str, email: &str) -> Client {
    let person = app.signed_in(name, email).await;
    let other = "/organizations/contoso/resourceGroups/vision/workspaces/other";
    add_member(app, owner, &person, other, "Reader").await;
    confirmed_by_admin(app, owner, &person).await;
    person
}

/// Ada's workspace with a second one (`other`), and the group `name` holding `role` on
/// `detector` with `people` (emails) in it.
async fn group_with_role(
    app: &TestApp,
    ada: &Client,
    name: &str,
    role: &str,
    people: &[&str],
) -> Value {
    app.json(ada, "groups/create", &[ORG, ("name", name)], StatusCode::OK).await;
    for email in people {
        let form = [ORG, ("group", name), ("email", email)];
        app.json(ada, "groups/add_member", &form, StatusCode::OK).await;
    }
    let grant = [("scope", WS_SCOPE), ("group", name), ("role", role)];
    app.json(ada, "access/grant_group", &grant, StatusCode::OK).await
}

/// The assignment of the access-control view at `WS_SCOPE` whose principal is called `name`.
async fn assignment_of(app: &TestApp, ada: &Client, name: &str) -> Option<Value> {
    let view = app.json(ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let assignments = view["assignments"].as_array().unwrap();
    assignments.iter().find(|a| a["display_name"] == name).cloned()
}

#[tokio::test]
async fn a_groups_assignment_is_listed_explained_changed_and_removed_like_a_persons() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let bob = member(&app, &ada, "Bob", "bob@example.com").await;
    group_with_role(&app, &ada, "Data scientists", "AzureML Data Scientist", &["bob@example.com"])
        .await;

    // Listed on the workspace's Access control page as the group, made here.
    let listed = assignment_of(&app, &ada, "Data scientists").await.expect("listed");
    assert_eq!(listed["group"], true, "{listed}");
    assert_eq!(listed["inherited"], false, "{listed}");
    assert_eq!(listed["role"], "AzureML Data Scientist");
    assert_eq!(listed["email"], "");

    // Check access says where Bob's rights come from.
    let check = [("scope", WS_SCOPE), ("email", "bob@example.com")];
    let explained = app.json(&ada, "access/check", &check, StatusCode::OK).await;
    let roles = explained["roles"].to_string();
    assert!(roles.contains(&format!("AzureML Data Scientist at {WS_SCOPE} via Data scientists")));
    let reasons = explained["checks"].as_array().unwrap();
    let write = reasons
        .iter()
        .find(|c| c["action"] == "Microsoft.MachineLearningServices/workspaces/experiments/write")
        .unwrap();
    assert_eq!(write["allowed"], true);
    assert!(write["reason"].as_str().unwrap().contains("via Data scientists"), "{write}");

    // Changed to Reader: Bob may read, no longer write, on his next request.
    let id = listed["id"].to_string();
    let change = [("scope", WS_SCOPE), ("assignment", id.as_str()), ("role", "Reader")];
    app.json(&ada, "access/change", &change, StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    let create = [WS[0], WS[1], WS[2], ("name", "bobs"), ("description", ""), ("tags", "")];
    app.json(&bob, "experiments/create", &create, StatusCode::FORBIDDEN).await;

    // Removed: Bob finds nothing here any more, and the log names the group.
    let remove = [("scope", WS_SCOPE), ("assignment", id.as_str())];
    app.json(&ada, "access/remove", &remove, StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    assert!(assignment_of(&app, &ada, "Data scientists").await.is_none());
    let log = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let events = log["events"].as_array().unwrap();
    let removal = events.iter().find(|e| e["details"].to_string().contains("remove")).unwrap();
    assert_eq!(removal["target"], "group Data scientists", "{removal}");
}

#[tokio::test]
async fn a_group_is_renamed_keeping_its_access_and_deleted_only_with_its_access_named() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let bob = member(&app, &ada, "Bob", "bob@example.com").await;
    group_with_role(&app, &ada, "Data scientists", "Reader", &["bob@example.com"]).await;

    let rename = [ORG, ("group", "data scientists"), ("name", "ML team"), ("description", "All")];
    assert_eq!(app.json(&ada, "groups/update", &rename, StatusCode::OK).await, "ML team");
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    assert!(assignment_of(&app, &ada, "ML team").await.is_some());
    app.json(&ada, "groups/create", &[ORG, ("name", "Spare")], StatusCode::OK).await;
    let clash = [ORG, ("group", "ML team"), ("name", "spare"), ("description", "")];
    let refused = app.json(&ada, "groups/update", &clash, StatusCode::CONFLICT).await;
    assert_eq!(refused["field"], "name", "{refused}");

    // Deleting needs the name typed, and while the group holds a role, says which and where.
    let delete = |confirm: &'static str, remove_access: &'static str| {
        [ORG, ("group", "ML team"), ("confirm_name", confirm), ("remove_access", remove_access)]
    };
    let unconfirmed =
        app.json(&ada, "groups/delete", &delete("ML", ""), StatusCode::BAD_REQUEST).await;
    assert_eq!(unconfirmed["field"], "confirm_name");
    let refused =
        app.json(&ada, "groups/delete", &delete("ml team", ""), StatusCode::CONFLICT).await;
    assert_eq!(refused["field"], "remove_access", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains(&format!("Reader at {WS_SCOPE}")), "{message}");
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;

    // With its access: gone, Bob with it on his next request, every step in the log.
    app.json(&ada, "groups/delete", &delete("ML team", "on"), StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    let listed = app.json(&ada, "groups/list", &[ORG], StatusCode::OK).await;
    assert_eq!(listed["groups"].as_array().unwrap().len(), 1, "{listed}");
    let log = app.json(&ada, "access/activity", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let log = log.to_string();
    for what in ["groups/delete", "\\\"operation\\\":\\\"delete\\\"", "group ML team"] {
        assert!(log.contains(what), "{what} in {log}");
    }
}

#[tokio::test]
async fn emptying_or_deleting_the_last_owner_group_is_refused() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let carol = member(&app, &ada, "Carol", "carol@example.com").await;
    group_with_role(&app, &ada, "Administrators", "Owner", &["carol@example.com"]).await;
    // Ada hands the workspace to the group: it is now its only Owner.
    let ada_here = crate::access_cache::assignment_id(&app, &ada, "ada@example.com").await;
    let remove = [("scope", WS_SCOPE), ("assignment", ada_here.as_str())];
    app.json(&ada, "access/remove", &remove, StatusCode::OK).await;

    let take_out = [ORG, ("group", "Administrators"), ("email", "carol@example.com")];
    let refused = app.json(&ada, "groups/remove_member", &take_out, StatusCode::CONFLICT).await;
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains(&format!("last Owner of {WS_SCOPE}")), "{message}");
    let delete = [
        ORG,
        ("group", "Administrators"),
        ("confirm_name", "Administrators"),
        ("remove_access", "on"),
    ];
    let refused = app.json(&ada, "groups/delete", &delete, StatusCode::CONFLICT).await;
    assert!(refused["message"].as_str().unwrap().contains("last Owner"), "{refused}");
    // Nothing was half done: Carol is still in the group and owns the workspace.
    let grant = [("scope", WS_SCOPE), ("email", "bob@example.com"), ("role", "Reader")];
    app.json(&carol, "access/grant", &grant, StatusCode::OK).await;
    let listed = app.json(&ada, "groups/list", &[ORG], StatusCode::OK).await;
    assert_eq!(listed["groups"][0]["members"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn a_groups_managers_change_its_members_without_giving_roles_themselves() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    // Mia and the others read the organization: they see its groups, and change none.
    let mia = app.signed_in("Mia", "mia@example.com").await;
    add_member(&app, &ada, &mia, ORG_SCOPE, "Reader").await;
    confirmed_by_admin(&app, &ada, &mia).await;
    let ned = app.signed_in("Ned", "ned@example.com").await;
    add_member(&app, &ada, &ned, ORG_SCOPE, "Reader").await;
    confirmed_by_admin(&app, &ada, &ned).await;
    let bob = member(&app, &ada, "Bob", "bob@example.com").await;
    group_with_role(&app, &ada, "Data scientists", "AzureML Data Scientist", &[]).await;
    let mia_manages = [ORG, ("group", "Data scientists"), ("email", "mia@example.com")];
    let appoint = [mia_manages.as_slice(), &[("manager", "on")]].concat();
    app.json(&ada, "groups/add_member", &appoint, StatusCode::OK).await;
    let listed = app.json(&mia, "groups/list", &[ORG], StatusCode::OK).await;
    assert_eq!(listed["groups"][0]["you_manage"], true, "{listed}");
    assert!(listed["candidates"].to_string().contains("bob@example.com"), "{listed}");

    // Mia puts Bob in and takes him out; each counts on his next request.
    let bob_in = [ORG, ("group", "Data scientists"), ("email", "bob@example.com")];
    app.json(&mia, "groups/add_member", &bob_in, StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    app.json(&mia, "groups/remove_member", &bob_in, StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;

    // A manager appoints no managers. Ned, no manager, changes nothing, and is offered no
    // members to pick from.
    let bob_manager = [bob_in.as_slice(), &[("manager", "on")]].concat();
    let refused = app.json(&mia, "groups/add_member", &bob_manager, StatusCode::FORBIDDEN).await;
    assert!(refused["message"].as_str().unwrap().contains("manager"), "{refused}");
    app.json(&ned, "groups/add_member", &bob_in, StatusCode::FORBIDDEN).await;
    app.json(&ned, "groups/remove_member", &mia_manages, StatusCode::FORBIDDEN).await;
    let seen = app.json(&ned, "groups/list", &[ORG], StatusCode::OK).await;
    assert_eq!(seen["candidates"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["groups"][0]["you_manage"], false);
    let rename = [ORG, ("group", "Data scientists"), ("name", "Mine"), ("description", "")];
    app.json(&mia, "groups/update", &rename, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_custom_role_a_group_holds_is_not_deleted_from_under_it() {
    let (app, ada) = app_with_workspace().await;
    let role = [
        ORG,
        ("original", ""),
        ("name", "Labeler"),
        ("description", ""),
        ("actions", "*/read"),
        ("not_actions", ""),
        ("assignable_scopes", ORG_SCOPE),
    ];
    app.json(&ada, "roles/save", &role, StatusCode::OK).await;
    group_with_role(&app, &ada, "Labelers", "Labeler", &[]).await;
    let refused =
        app.json(&ada, "roles/delete", &[ORG, ("name", "Labeler")], StatusCode::CONFLICT).await;
    let message = refused.to_string();
    assert!(message.contains(&format!("group Labelers at {WS_SCOPE}")), "{message}");
}

#[tokio::test]
async fn a_groups_time_boxed_role_is_reminded_and_ends_with_the_givers_access() {
    use atelier::server::mail::housekeeping;
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let bob = member(&app, &ada, "Bob", "bob@example.com").await;
    // Tim may give roles here for five days; what he gives ends with his own access.
    let tim = app.signed_in("Tim", "tim@example.com").await;
    let ends = atelier::domain::format::date(app.clock.now() + 5 * 86_400);
    crate::membership::add_member_until(&app, &ada, &tim, (WS_SCOPE, "Owner"), &ends).await;
    app.json(&ada, "groups/create", &[ORG, ("name", "Temps")], StatusCode::OK).await;
    let bob_in = [ORG, ("group", "Temps"), ("email", "bob@example.com")];
    app.json(&ada, "groups/add_member", &bob_in, StatusCode::OK).await;
    let grant = [("scope", WS_SCOPE), ("group", "Temps"), ("role", "Reader")];
    app.json(&tim, "access/grant_group", &grant, StatusCode::OK).await;
    let temps = assignment_of(&app, &ada, "Temps").await.expect("listed");
    assert!(temps["expires_at"].as_i64().is_some(), "{temps}");
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;

    // Tim is reminded before the end, naming the group; at the end it goes, in the log.
    app.clock.advance(4 * 86_400);
    housekeeping::tidy(&app.state).await.unwrap();
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM outbox WHERE recipient = 'tim@example.com'")
            .fetch_all(&app.pool().await)
            .await
            .unwrap();
    assert!(subjects.iter().any(|s| s.contains("group Temps")), "{subjects:?}");
    app.clock.advance(2 * 86_400);
    housekeeping::tidy(&app.state).await.unwrap();
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    assert!(assignment_of(&app, &ada, "Temps").await.is_none());
    let log = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let ended = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["target"] == "group Temps" && e["details"].to_string().contains("ended"));
    assert!(ended.is_some(), "{log}");
}

#[tokio::test]
async fn a_deleted_service_principal_leaves_its_groups_unless_it_keeps_a_workspace_owned() {
    let (app, ada) = app_with_workspace().await;
    for name in ["ci-bot", "deploy-bot"] {
        app.json(&ada, "service_principals/create", &[ORG, ("name", name)], StatusCode::OK).await;
    }
    let identity = |name: &str| format!("{name}@contoso.service-principals.invalid");
    let (ci, deploy) = (identity("ci-bot"), identity("deploy-bot"));
    group_with_role(&app, &ada, "Bots", "Reader", &[&ci]).await;
    group_with_role(&app, &ada, "Release", "Owner", &[&deploy]).await;

    let delete = |name: &'static str| [ORG, ("service_principal", name), ("confirm_name", name)];
    app.json(&ada, "service_principals/delete", &delete("ci-bot"), StatusCode::OK).await;
    let listed = app.json(&ada, "groups/list", &[ORG], StatusCode::OK).await;
    let bots = listed["groups"].as_array().unwrap().iter().find(|g| g["name"] == "Bots").unwrap();
    assert_eq!(bots["members"], serde_json::json!([]), "{listed}");

    // The release bot alone keeps the workspace owned through its group once Ada's role goes:
    // it is not deleted from under it.
    let ada_here = crate::access_cache::assignment_id(&app, &ada, "ada@example.com").await;
    let remove = [("scope", WS_SCOPE), ("assignment", ada_here.as_str())];
    app.json(&ada, "access/remove", &remove, StatusCode::OK).await;
    let deploy_bot = delete("deploy-bot");
    let refused =
        app.json(&ada, "service_principals/delete", &deploy_bot, StatusCode::CONFLICT).await;
    assert!(refused["message"].as_str().unwrap().contains("last Owner"), "{refused}");
}

/// Seed 001's policy in one step: the project template makes the administrators and data
/// scientists groups, with the people named in them, and gives the roles to the groups.
#[tokio::test]
async fn a_project_is_set_up_with_its_administrators_and_data_scientists_groups() {
    let (app, ada) = app_with_workspace().await;
    let dana = app.signed_in("Dana", "dana@example.com").await;
    add_member(&app, &ada, &dana, WS_SCOPE, "Reader").await;
    confirmed_by_admin(&app, &ada, &dana).await;
    let wes = app.signed_in("Wes", "wes@example.com").await;
    add_member(&app, &ada, &wes, WS_SCOPE, "Reader").await;
    confirmed_by_admin(&app, &ada, &wes).await;
    let project = |scientists: &'static str| {
        [
            ORG,
            ("project", "atlas"),
            ("description", ""),
            ("data_scientists", scientists),
            ("workspace_admins", "wes@example.com"),
            ("through_groups", "on"),
        ]
    };
    // Someone outside the organization cannot be put in a group: said beside the field, and
    // nothing is made.
    let refused = app
        .json(&ada, "workspaces/set_up_project", &project("eve@example.com"), StatusCode::CONFLICT)
        .await;
    assert_eq!(refused["field"], "data_scientists", "{refused}");
    let atlas = [ORG, ("resource_group", "atlas")];
    app.json(&ada, "resource_groups/get", &atlas, StatusCode::NOT_FOUND).await;

    app.json(&ada, "workspaces/set_up_project", &project("dana@example.com"), StatusCode::OK).await;
    let listed = app.json(&ada, "groups/list", &[ORG], StatusCode::OK).await;
    let group = |name: &str| {
        listed["groups"].as_array().unwrap().iter().find(|g| g["name"] == name).cloned().unwrap()
    };
    let scientists = group("atlas data scientists");
    assert_eq!(scientists["members"][0]["email"], "dana@example.com");
    assert_eq!(scientists["assignments"], 3, "one role in each workspace");
    let admins = group("atlas administrators");
    assert_eq!(admins["members"][0]["email"], "wes@example.com");
    assert_eq!(admins["assignments"], 1, "Workspace admin on the project's resource group");

    // Dana creates experiments in development and only reads production; Wes administers.
    let ws = |name: &'static str| [ORG, ("resource_group", "atlas"), ("workspace", name)];
    let experiment = |name: &'static str| {
        [ws(name).as_slice(), &[("name", "first"), ("description", ""), ("tags", "")]].concat()
    };
    app.json(&dana, "experiments/create", &experiment("atlas-dev"), StatusCode::OK).await;
    app.json(&dana, "workspaces/get", &ws("atlas-prod"), StatusCode::OK).await;
    app.json(&dana, "experiments/create", &experiment("atlas-prod"), StatusCode::FORBIDDEN).await;
    let scope = "/organizations/contoso/resourceGroups/atlas/workspaces/atlas-prod";
    let check = [("scope", scope), ("email", "wes@example.com")];
    let explained = app.json(&ada, "access/check", &check, StatusCode::OK).await;
    assert!(explained["roles"].to_string().contains("via atlas administrators"), "{explained}");

    // A second project of the same name clashes on its resource group, as before; one whose
    // group name is taken is refused beside the groups' box, leaving nothing behind.
    let again = app.call(&ada, "workspaces/set_up_project", &project("dana@example.com")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    app.json(&ada, "groups/create", &[ORG, ("name", "Zeus Administrators")], StatusCode::OK).await;
    let zeus = [ORG, ("project", "zeus"), ("description", ""), ("through_groups", "on")];
    let clash = app.json(&ada, "workspaces/set_up_project", &zeus, StatusCode::CONFLICT).await;
    assert_eq!(clash["field"], "through_groups", "{clash}");
    let zeus_group = [ORG, ("resource_group", "zeus")];
    app.json(&ada, "resource_groups/get", &zeus_group, StatusCode::NOT_FOUND).await;
}

/// Deleting a group with its access removes role assignments: that needs what removing one on
/// an Access control page needs (roleAssignments write and delete), beyond groups/delete.
#[tokio::test]
async fn deleting_a_group_with_its_access_needs_the_right_to_remove_assignments() {
    let (app, ada) = app_with_workspace().await;
    let remover = [
        ORG,
        ("original", ""),
        ("name", "Group remover"),
        ("description", ""),
        ("actions", "Microsoft.Authorization/groups/*\n*/read\nMicrosoft.Authorization/roleAssignments/delete"),
        ("not_actions", ""),
        ("assignable_scopes", ORG_SCOPE),
    ];
    app.json(&ada, "roles/save", &remover, StatusCode::OK).await;
    let rob = app.signed_in("Rob", "rob@example.com").await;
    add_member(&app, &ada, &rob, ORG_SCOPE, "Group remover").await;
    group_with_role(&app, &ada, "Viewers", "Reader", &[]).await;
    let delete = [ORG, ("group", "Viewers"), ("confirm_name", "Viewers"), ("remove_access", "on")];
    let refused = app.json(&rob, "groups/delete", &delete, StatusCode::FORBIDDEN).await;
    assert!(refused["message"].as_str().unwrap().contains("role"), "{refused}");
    assert!(assignment_of(&app, &ada, "Viewers").await.is_some());
    app.json(&ada, "groups/delete", &delete, StatusCode::OK).await;
}
