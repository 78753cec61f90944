//! Registered models over HTTP: registering versions (from runs of the same workspace only),
//! the stage rules, listing (search, stage filter, pages), changes, deletion, what a Reader may
//! do, and versions outliving the runs they came from.

use std::collections::BTreeSet;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

/// Creates experiment `mnist` if needed and submits a run to it; returns the run's id.
async fn run_in(app: &TestApp, client: &Client, workspace: &[(&str, &str)]) -> String {
    let experiment = [workspace, &[("name", "mnist")]].concat();
    app.call(client, "experiments/create", &experiment).await;
    let submit = [workspace, &[("experiment", "mnist"), ("status", "completed")]].concat();
    let response = app.call(client, "runs/create", &submit).await;
    assert_eq!(response.status(), StatusCode::OK, "submitting a run");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().to_owned()
}

/// Registers a version and returns its number.
async fn register(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> i64 {
    let response = app.call(client, "models/register", &with(extra)).await;
    assert_eq!(response.status(), StatusCode::OK, "registering {extra:?}");
    response.json::<Value>().await.unwrap().as_i64().unwrap()
}

async fn model(app: &TestApp, client: &Client, name: &str) -> Value {
    app.json(client, "models/get", &with(&[("model", name)]), StatusCode::OK).await
}

async fn set_stage(app: &TestApp, client: &Client, version: &str, stage: &str) -> StatusCode {
    let form = with(&[("model", "churn"), ("version", version), ("stage", stage)]);
    app.call(client, "models/set_stage", &form).await.status()
}

/// Stage of each version, newest first.
fn stages(view: &Value) -> Vec<(i64, String)> {
    view["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["stage"].as_str().unwrap().to_owned()))
        .collect()
}

fn names(page: &Value) -> Vec<String> {
    page["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().into()).collect()
}

#[tokio::test]
async fn registering_a_name_twice_adds_versions_linked_to_their_runs() {
    let (app, ada) = app_with_workspace().await;
    let run = run_in(&app, &ada, &WS).await;
    let first = [
        ("name", "churn"),
        ("description", "Predicts churn"),
        ("tags", "team=growth"),
        ("source_run", run.as_str()),
        ("framework", "PyTorch"),
        ("version_description", "First try"),
    ];
    let response = app.call(&ada, "models/register", &with(&first)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["location"].to_str().unwrap().ends_with("/models/churn"));
    assert_eq!(response.json::<Value>().await.unwrap(), json!(1));
    assert_eq!(register(&app, &ada, &[("name", "CHURN"), ("framework", "sklearn")]).await, 2);

    let view = model(&app, &ada, "Churn").await;
    let m = &view["model"];
    assert_eq!((m["name"].as_str(), m["latest_version"].as_i64()), (Some("churn"), Some(2)));
    assert_eq!(m["description"], "Predicts churn");
    assert_eq!(m["tags"], json!([["team", "growth"]]));
    let versions = view["versions"].as_array().unwrap();
    assert_eq!(
        (versions[0]["version"].as_i64(), versions[1]["version"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(versions[0]["source_run"], "None");
    assert_eq!(versions[1]["source_run"]["Run"]["name"], run.as_str());
    assert_eq!(
        (versions[1]["framework"].as_str(), versions[1]["stage"].as_str()),
        (Some("PyTorch"), Some("None"))
    );
    assert_eq!(versions[1]["description"], "First try");

    let run_view = app.json(&ada, "runs/get", &with(&[("run", &run)]), StatusCode::OK).await;
    assert_eq!(run_view["model_versions"], json!([["churn", 1]]));
    let overview = app.json(&ada, "workspaces/get", &WS, StatusCode::OK).await;
    let counts = overview["resource_counts"].as_array().unwrap();
    assert!(counts.contains(&json!(["Models", 1])), "{counts:?}");
    let events: Vec<&str> =
        view["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        ["registered version 2", format!("registered version 1 from run {run}").as_str()]
    );

    let bad = app.call(&ada, "models/register", &with(&[("name", "has space")])).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let long = "x".repeat(65);
    let bad =
        app.call(&ada, "models/register", &with(&[("name", "churn"), ("framework", &long)])).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(model(&app, &ada, "churn").await["model"]["version_count"], 2);
}

#[tokio::test]
async fn a_run_of_another_workspace_or_none_at_all_is_not_found() {
    let (app, ada) = app_with_workspace().await;
    let created = app.create_workspace(&ada, "contoso/vision", "", "segmenter").await;
    assert_eq!(created.status(), StatusCode::OK);
    let elsewhere =
        [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "segmenter")];
    let foreign_run = run_in(&app, &ada, &elsewhere).await;
    for source in [foreign_run.as_str(), "no-such-run"] {
        let form = with(&[("name", "churn"), ("source_run", source)]);
        let refused = app.call(&ada, "models/register", &form).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{source}");
        let error: Value = refused.json().await.unwrap();
        assert_eq!(error["field"], "source_run");
    }
    // Nothing was left behind by the refused registrations.
    let gone = app.call(&ada, "models/get", &with(&[("model", "churn")])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_version_at_most_is_in_production_and_the_one_it_replaces_is_archived() {
    let (app, ada) = app_with_workspace().await;
    for _ in 0..3 {
        register(&app, &ada, &[("name", "churn")]).await;
    }
    assert_eq!(set_stage(&app, &ada, "1", "Production").await, StatusCode::OK);
    assert_eq!(set_stage(&app, &ada, "2", "staging").await, StatusCode::OK);
    let view = model(&app, &ada, "churn").await;
    assert_eq!(
        stages(&view),
        [(3, "None".into()), (2, "Staging".into()), (1, "Production".into())]
    );

    let promoted = app
        .json(
            &ada,
            "models/set_stage",
            &with(&[("model", "churn"), ("version", "2"), ("stage", "Production")]),
            StatusCode::OK,
        )
        .await;
    assert_eq!(promoted, json!(1), "the version it replaced");
    let view = model(&app, &ada, "churn").await;
    assert_eq!(
        stages(&view),
        [(3, "None".into()), (2, "Production".into()), (1, "Archived".into())]
    );
    assert_eq!(
        view["activity"][0]["what"],
        "moved version 2 from Staging to Production (version 1 archived)"
    );

    // Any stage to any other, back out of Archived included; the same stage changes nothing.
    assert_eq!(set_stage(&app, &ada, "1", "Staging").await, StatusCode::OK);
    assert_eq!(set_stage(&app, &ada, "2", "Production").await, StatusCode::OK);
    assert_eq!(set_stage(&app, &ada, "2", "None").await, StatusCode::OK);
    let view = model(&app, &ada, "churn").await;
    assert_eq!(stages(&view), [(3, "None".into()), (2, "None".into()), (1, "Staging".into())]);

    assert_eq!(set_stage(&app, &ada, "1", "Live").await, StatusCode::BAD_REQUEST);
    assert_eq!(set_stage(&app, &ada, "0", "Staging").await, StatusCode::BAD_REQUEST);
    assert_eq!(set_stage(&app, &ada, "9", "Staging").await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn models_are_searched_filtered_by_stage_and_paged_by_name() {
    let (app, ada) = app_with_workspace().await;
    let mut all = BTreeSet::new();
    for i in 0..55 {
        let name = format!("model-{:02}", (i * 7) % 55);
        register(&app, &ada, &[("name", &name)]).await;
        all.insert(name);
    }
    register(
        &app,
        &ada,
        &[("name", "churn"), ("description", "Who leaves"), ("tags", "team=growth")],
    )
    .await;
    let promote = with(&[("model", "churn"), ("version", "1"), ("stage", "Production")]);
    assert_eq!(app.call(&ada, "models/set_stage", &promote).await.status(), StatusCode::OK);
    all.insert("churn".into());

    let list = |extra: Vec<(&'static str, String)>| {
        let app = &app;
        let ada = &ada;
        async move {
            let form: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.json(ada, "models/list", &with(&form), StatusCode::OK).await
        }
    };
    let found = list(vec![("search", "GROWTH".into())]).await;
    assert_eq!(names(&found), ["churn"]);
    let found = list(vec![("search", "leaves".into())]).await;
    assert_eq!(names(&found), ["churn"]);
    let in_production = list(vec![("stage", "Production".into())]).await;
    assert_eq!(names(&in_production), ["churn"]);
    assert_eq!(in_production["models"][0]["stages"], json!(["Production"]));
    assert!(names(&list(vec![("stage", "Staging".into())]).await).is_empty());
    let bad = app.call(&ada, "models/list", &with(&[("stage", "Live")])).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let first = list(vec![]).await;
    assert_eq!(names(&first).len(), 50);
    assert_eq!(names(&first)[0], "churn");
    let after = first["next_after"].as_str().unwrap().to_owned();
    let second = list(vec![("after", after)]).await;
    assert_eq!(second["next_after"], Value::Null);
    let seen: Vec<String> = names(&first).into_iter().chain(names(&second)).collect();
    assert_eq!(seen.len(), all.len(), "no model repeated");
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), all);
}

#[tokio::test]
async fn models_and_versions_are_changed_and_deleted() {
    let (app, ada) = app_with_workspace().await;
    for _ in 0..3 {
        register(&app, &ada, &[("name", "churn")]).await;
    }
    let update = with(&[("model", "churn"), ("description", "Better"), ("tags", "owner=ada")]);
    assert_eq!(app.call(&ada, "models/update", &update).await.status(), StatusCode::OK);
    let update_version = with(&[
        ("model", "churn"),
        ("version", "2"),
        ("description", "Tuned"),
        ("tags", "auc=0.91"),
    ]);
    let response = app.call(&ada, "models/update_version", &update_version).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view = model(&app, &ada, "churn").await;
    assert_eq!(
        (view["model"]["description"].as_str(), view["versions"][1]["description"].as_str()),
        (Some("Better"), Some("Tuned"))
    );
    assert_eq!(view["versions"][1]["tags"], json!([["auc", "0.91"]]));
    let missing = with(&[("model", "nope"), ("description", "x")]);
    assert_eq!(app.call(&ada, "models/update", &missing).await.status(), StatusCode::NOT_FOUND);

    let delete_v3 = with(&[("model", "churn"), ("version", "3")]);
    assert_eq!(app.call(&ada, "models/delete_version", &delete_v3).await.status(), StatusCode::OK);
    let view = model(&app, &ada, "churn").await;
    assert_eq!(
        (view["model"]["latest_version"].as_i64(), view["model"]["version_count"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        register(&app, &ada, &[("name", "churn")]).await,
        4,
        "a deleted number is not reused"
    );
    assert_eq!(
        app.call(&ada, "models/delete_version", &delete_v3).await.status(),
        StatusCode::NOT_FOUND
    );

    let wrong = with(&[("model", "churn"), ("confirm_name", "chur")]);
    assert_eq!(app.call(&ada, "models/delete", &wrong).await.status(), StatusCode::BAD_REQUEST);
    let delete = with(&[("model", "churn"), ("confirm_name", "CHURN")]);
    let deleted = app.call(&ada, "models/delete", &delete).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(deleted.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("/workspaces/detector/models"));
    let gone = app.call(&ada, "models/get", &with(&[("model", "churn")])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_versions")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);

    let activity = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let actions: Vec<&str> = activity["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.iter().any(|a| a.ends_with("models/delete")), "{actions:?}");
    assert!(actions.iter().any(|a| a.ends_with("models/write")), "{actions:?}");
}

#[tokio::test]
async fn a_reader_sees_models_but_cannot_change_them() {
    let (app, ada) = app_with_workspace().await;
    register(&app, &ada, &[("name", "churn")]).await;
    let rita = app.signed_in("Rita", "rita@example.com").await;
    crate::membership::give(&app, &ada, WS_SCOPE, "rita@example.com", "Reader").await;

    let view = model(&app, &rita, "churn").await;
    assert_eq!(view["versions"].as_array().unwrap().len(), 1);
    let page = app.json(&rita, "models/list", &WS, StatusCode::OK).await;
    assert_eq!(names(&page), ["churn"]);
    let writes: [(&str, Vec<(&str, &str)>); 6] = [
        ("models/register", with(&[("name", "churn")])),
        ("models/update", with(&[("model", "churn"), ("description", "mine")])),
        ("models/update_version", with(&[("model", "churn"), ("version", "1")])),
        (
            "models/set_stage",
            with(&[("model", "churn"), ("version", "1"), ("stage", "Production")]),
        ),
        ("models/delete_version", with(&[("model", "churn"), ("version", "1")])),
        ("models/delete", with(&[("model", "churn"), ("confirm_name", "churn")])),
    ];
    for (endpoint, form) in writes {
        let status = app.call(&rita, endpoint, &form).await.status();
        assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let view = model(&app, &ada, "churn").await;
    assert_eq!(stages(&view), [(1, "None".into())]);
}

#[tokio::test]
async fn deleting_the_source_run_or_its_experiment_keeps_the_version_without_its_run() {
    let (app, ada) = app_with_workspace().await;
    let run = run_in(&app, &ada, &WS).await;
    let other = run_in(&app, &ada, &WS).await;
    register(&app, &ada, &[("name", "churn"), ("source_run", &run)]).await;
    register(&app, &ada, &[("name", "churn"), ("source_run", &other)]).await;

    assert_eq!(
        app.call(&ada, "runs/delete", &with(&[("run", &run)])).await.status(),
        StatusCode::OK
    );
    let view = model(&app, &ada, "churn").await;
    assert_eq!(view["versions"][1]["source_run"], json!({ "Deleted": { "name": run } }));
    assert_eq!(view["versions"][0]["source_run"]["Run"]["name"], other.as_str());

    let delete = with(&[("experiment", "mnist"), ("confirm_name", "mnist")]);
    assert_eq!(app.call(&ada, "experiments/delete", &delete).await.status(), StatusCode::OK);
    let view = model(&app, &ada, "churn").await;
    assert_eq!(view["versions"][0]["source_run"], json!({ "Deleted": { "name": other } }));
    assert_eq!(view["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn purging_a_workspace_removes_its_models() {
    let (app, ada) = app_with_workspace().await;
    let run = run_in(&app, &ada, &WS).await;
    register(&app, &ada, &[("name", "churn"), ("source_run", &run)]).await;
    let upload = [("name", "churn"), ("file_name", "model.onnx"), ("content", "bW9kZWw=")];
    register(&app, &ada, &upload).await;
    let delete = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    for table in ["models", "model_versions", "model_version_files", "runs"] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table} keeps rows of a purged workspace");
    }
}
