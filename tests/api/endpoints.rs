//! Online endpoints and deployments over HTTP: create, read, list (search, state and date
//! filters, sorts, key pages that hold while rows arrive), change, delete; the traffic rules
//! (whole percentages adding up to 100, nothing to stopped deployments, no deleting what still
//! takes traffic); the link to model versions (which cannot be deleted while served); the
//! roles; tenancy; purging; and the plans the database picks for the list.

use atelier::domain::endpoint::{EndpointSort, EndpointState};
use atelier::domain::listing::Cursor;
use atelier::server::db::endpoints::{plan_of_list, EndpointFilter};
use atelier::server::db::Backend;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

async fn create(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> reqwest::Response {
    app.call(client, "endpoints/create", &with(extra)).await
}

async fn create_endpoint(app: &TestApp, client: &Client, name: &str) {
    let response = create(app, client, &[("name", name)]).await;
    assert_eq!(response.status(), StatusCode::OK, "creating endpoint {name}");
}

async fn get(app: &TestApp, client: &Client, name: &str) -> Value {
    app.json(client, "endpoints/get", &with(&[("endpoint", name)]), StatusCode::OK).await
}

async fn list(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> Value {
    app.json(client, "endpoints/list", &with(extra), StatusCode::OK).await
}

/// Registers a version of `model` (without a run).
async fn register(app: &TestApp, client: &Client, model: &str) {
    let form = with(&[("name", model), ("source_run", "")]);
    assert_eq!(app.call(client, "models/register", &form).await.status(), StatusCode::OK);
}

async fn deploy(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    name: &str,
    (model, version): (&str, &str),
) -> reqwest::Response {
    let form = with(&[
        ("endpoint", endpoint),
        ("name", name),
        ("model", model),
        ("model_version", version),
        ("instance_type", "Standard_DS3_v2"),
        ("instance_count", "2"),
    ]);
    app.call(client, "endpoints/create_deployment", &form).await
}

async fn deployment_call(
    app: &TestApp,
    client: &Client,
    verb: &str,
    (endpoint, deployment): (&str, &str),
) -> reqwest::Response {
    let form = with(&[("endpoint", endpoint), ("deployment", deployment)]);
    app.call(client, &format!("endpoints/{verb}"), &form).await
}

async fn set_traffic(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    split: &[(&str, &str)],
) -> reqwest::Response {
    let keys: Vec<(String, String)> =
        (0..split.len()).map(|i| (format!("deployments[{i}]"), format!("percents[{i}]"))).collect();
    let mut form = with(&[("endpoint", endpoint)]);
    for ((name, percent), (name_key, percent_key)) in split.iter().zip(&keys) {
        form.push((name_key.as_str(), *name));
        form.push((percent_key.as_str(), *percent));
    }
    app.call(client, "endpoints/set_traffic", &form).await
}

fn names(page: &Value) -> Vec<String> {
    page["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Each deployment's (name, traffic, state).
fn split(view: &Value) -> Vec<(String, i64, String)> {
    view["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let name = d["name"].as_str().unwrap().to_owned();
            (name, d["traffic_percent"].as_i64().unwrap(), d["state"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// The error's field and message, asserting its status.
async fn refused(response: reqwest::Response, status: StatusCode) -> (Value, String) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    (body["field"].clone(), body["message"].as_str().unwrap_or_default().to_owned())
}

async fn grant(app: &TestApp, owner: &Client, email: &str, role: &str) {
    crate::membership::give(app, owner, WS_SCOPE, email, role).await;
}

/// An endpoint `scorer` with deployments blue (all traffic) and green (none) serving version 1
/// of model `classifier`.
async fn blue_green(app: &TestApp, ada: &Client) {
    register(app, ada, "classifier").await;
    create_endpoint(app, ada, "scorer").await;
    for name in ["blue", "green"] {
        let deployed = deploy(app, ada, "scorer", name, ("classifier", "1")).await;
        assert_eq!(deployed.status(), StatusCode::OK, "deploying {name}");
    }
}

#[tokio::test]
async fn an_endpoint_is_created_read_changed_and_deleted_with_its_deployments() {
    let (app, ada) = app_with_workspace().await;
    let form =
        [("name", "fraud-scorer"), ("description", "Scores payments"), ("tags", "team=risk")];
    assert_eq!(create(&app, &ada, &form).await.status(), StatusCode::OK);
    let view = get(&app, &ada, "FRAUD-SCORER").await;
    let endpoint = &view["endpoint"];
    assert_eq!(endpoint["name"], "fraud-scorer");
    assert_eq!(endpoint["auth_mode"], "Key");
    assert_eq!(endpoint["state"], "NoDeployments");
    assert_eq!(endpoint["tags"], json!([["team", "risk"]]));
    assert_eq!(endpoint["created_by"], "Ada");

    let update = with(&[
        ("endpoint", "fraud-scorer"),
        ("auth_mode", "token"),
        ("description", "Scores card payments"),
        ("tags", "team=risk\ntier=gold"),
    ]);
    assert_eq!(app.call(&ada, "endpoints/update", &update).await.status(), StatusCode::OK);
    let endpoint = get(&app, &ada, "fraud-scorer").await["endpoint"].clone();
    assert_eq!(
        (endpoint["auth_mode"].as_str(), endpoint["tags"][1][1].as_str()),
        (Some("Token"), Some("gold"))
    );

    register(&app, &ada, "classifier").await;
    let deployed = deploy(&app, &ada, "fraud-scorer", "blue", ("classifier", "1")).await;
    assert_eq!(deployed.status(), StatusCode::OK);
    let view = get(&app, &ada, "fraud-scorer").await;
    assert_eq!(view["endpoint"]["state"], "Healthy");
    let blue = &view["deployments"][0];
    assert_eq!(
        (blue["model"].as_str(), blue["model_version"].as_i64()),
        (Some("classifier"), Some(1))
    );
    assert_eq!(
        (blue["instance_count"].as_i64(), blue["state"].as_str()),
        (Some(2), Some("Succeeded"))
    );
    let activity: Vec<&str> =
        view["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(
        activity,
        [
            "added deployment blue serving classifier version 1",
            "changed the description, tags or authentication",
            "created the endpoint",
        ]
    );

    let wrong = with(&[("endpoint", "fraud-scorer"), ("confirm_name", "fraud")]);
    let (field, _) =
        refused(app.call(&ada, "endpoints/delete", &wrong).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "confirm_name");
    let delete = with(&[("endpoint", "fraud-scorer"), ("confirm_name", "Fraud-Scorer")]);
    assert_eq!(app.call(&ada, "endpoints/delete", &delete).await.status(), StatusCode::OK);
    let missing = app.call(&ada, "endpoints/get", &with(&[("endpoint", "fraud-scorer")])).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM endpoint_deployments")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the endpoint's deployments went with it");
    let audited: String = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE target = 'fraud-scorer' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&audited).unwrap()["deployments"], 1);
}

#[tokio::test]
async fn names_and_fields_are_checked_with_clear_messages() {
    let (app, ada) = app_with_workspace().await;
    for (name, expected) in [
        ("ab", "3 to 32"),
        ("1scorer", "starts with a letter"),
        ("fraud_scorer", "not '_'"),
        ("", "Give the endpoint a name"),
    ] {
        let (field, message) =
            refused(create(&app, &ada, &[("name", name)]).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(field, "name");
        assert!(message.contains(expected), "{name:?}: {message}");
    }
    let (field, _) = refused(
        create(&app, &ada, &[("name", "scorer"), ("auth_mode", "aad")]).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(field, "auth_mode");
    blue_green(&app, &ada).await;
    let (field, message) =
        refused(create(&app, &ada, &[("name", "SCORER")]).await, StatusCode::CONFLICT).await;
    assert_eq!((field, message.contains("already has an endpoint")), (json!("name"), true));

    let taken = deploy(&app, &ada, "scorer", "Blue", ("classifier", "1")).await;
    let (field, message) = refused(taken, StatusCode::CONFLICT).await;
    assert_eq!((field, message.contains("already has a deployment")), (json!("name"), true));
    create_endpoint(&app, &ada, "ranker").await;
    let elsewhere = deploy(&app, &ada, "ranker", "blue", ("classifier", "1")).await;
    assert_eq!(elsewhere.status(), StatusCode::OK, "deployment names are per endpoint");

    let (field, _) = refused(
        deploy(&app, &ada, "scorer", "b", ("classifier", "1")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(field, "name");
    let count = with(&[
        ("endpoint", "scorer"),
        ("name", "canary"),
        ("model", "classifier"),
        ("model_version", "1"),
        ("instance_count", "21"),
    ]);
    let (field, message) = refused(
        app.call(&ada, "endpoints/create_deployment", &count).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!((field, message.contains("1 to 20")), (json!("instance_count"), true));
    let size =
        [&count[..7], &[("instance_count", "1"), ("instance_type", "Standard_Huge")]].concat();
    let (field, _) = refused(
        app.call(&ada, "endpoints/create_deployment", &size).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(field, "instance_type");
    let missing = deploy(&app, &ada, "nowhere", "canary", ("classifier", "1")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn traffic_is_split_in_whole_percentages_that_add_up_to_a_hundred() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    let view = get(&app, &ada, "scorer").await;
    assert_eq!(
        split(&view),
        [("blue".into(), 100, "Succeeded".into()), ("green".into(), 0, "Succeeded".into())],
        "the first deployment takes all the traffic, the next joins with none"
    );
    let ok = set_traffic(&app, &ada, "scorer", &[("blue", "70"), ("green", "30")]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let view = get(&app, &ada, "scorer").await;
    assert_eq!((split(&view)[0].1, split(&view)[1].1), (70, 30));
    assert_eq!(view["activity"][0]["what"], "set the traffic: blue 70%, green 30%");

    for (percents, expected) in [
        (("70", "20"), "Traffic adds up to 90%; it must add up to exactly 100%."),
        (("70", "40"), "Traffic adds up to 110%; it must add up to exactly 100%."),
        (("70", "30.5"), "green: traffic is a whole number from 0 to 100."),
        (("101", "0"), "blue: traffic is a whole number from 0 to 100."),
        (("-10", "110"), "blue: traffic is a whole number from 0 to 100."),
    ] {
        let response =
            set_traffic(&app, &ada, "scorer", &[("blue", percents.0), ("green", percents.1)]).await;
        let (field, message) = refused(response, StatusCode::BAD_REQUEST).await;
        assert_eq!((field, message.as_str()), (json!("traffic"), expected));
    }
    let unknown = set_traffic(&app, &ada, "scorer", &[("purple", "0")]).await;
    let (_, message) = refused(unknown, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("no deployment named purple"), "{message}");
    let view = get(&app, &ada, "scorer").await;
    assert_eq!((split(&view)[0].1, split(&view)[1].1), (70, 30), "refused splits change nothing");

    // A deployment with traffic neither stops nor goes while another could take it.
    let (_, message) = refused(
        deployment_call(&app, &ada, "stop_deployment", ("scorer", "green")).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(message.contains("green still receives 30% of the traffic"), "{message}");
    let (_, message) = refused(
        deployment_call(&app, &ada, "delete_deployment", ("scorer", "blue")).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(message.contains("move its traffic"), "{message}");
    let moved = set_traffic(&app, &ada, "scorer", &[("blue", "100"), ("green", "0")]).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let stopped = deployment_call(&app, &ada, "stop_deployment", ("scorer", "green")).await;
    assert_eq!(stopped.status(), StatusCode::OK);
    let view = get(&app, &ada, "scorer").await;
    assert_eq!(view["endpoint"]["state"], "Degraded");
    assert_eq!(split(&view)[1], ("green".into(), 0, "Stopped".into()));

    // A stopped deployment receives no traffic.
    let response = set_traffic(&app, &ada, "scorer", &[("blue", "90"), ("green", "10")]).await;
    let (field, message) = refused(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "traffic");
    assert!(message.starts_with("green is stopped and cannot receive traffic"), "{message}");
    let again = deployment_call(&app, &ada, "stop_deployment", ("scorer", "green")).await;
    assert!(refused(again, StatusCode::CONFLICT).await.1.contains("already stopped"));

    // Started while blue runs, green joins with no traffic.
    let started = deployment_call(&app, &ada, "start_deployment", ("scorer", "green")).await;
    assert_eq!(started.status(), StatusCode::OK);
    let view = get(&app, &ada, "scorer").await;
    assert_eq!(view["endpoint"]["state"], "Healthy");
    assert_eq!(split(&view)[1], ("green".into(), 0, "Succeeded".into()));

    // Without traffic green goes; blue, alone, goes with its traffic.
    let deleted = deployment_call(&app, &ada, "delete_deployment", ("scorer", "green")).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    // The last running deployment stops with its traffic: nothing is served, then it takes
    // all the traffic back when started.
    let stopped = deployment_call(&app, &ada, "stop_deployment", ("scorer", "blue")).await;
    assert_eq!(stopped.status(), StatusCode::OK);
    let view = get(&app, &ada, "scorer").await;
    assert_eq!(view["endpoint"]["state"], "Stopped");
    assert_eq!(split(&view), [("blue".into(), 0, "Stopped".into())]);
    let started = deployment_call(&app, &ada, "start_deployment", ("scorer", "blue")).await;
    assert_eq!(started.status(), StatusCode::OK);
    assert_eq!(split(&get(&app, &ada, "scorer").await)[0].1, 100);
    let deleted = deployment_call(&app, &ada, "delete_deployment", ("scorer", "blue")).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let view = get(&app, &ada, "scorer").await;
    assert_eq!(
        (view["endpoint"]["state"].as_str(), view["endpoint"]["deployment_count"].as_i64()),
        (Some("NoDeployments"), Some(0))
    );
}

#[tokio::test]
async fn deployments_serve_model_versions_which_are_not_deleted_while_served() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    let (field, message) = refused(
        deploy(&app, &ada, "scorer", "red", ("classifier", "7")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!((field, message.contains("no such version")), (json!("model_version"), true));
    let (field, _) = refused(
        deploy(&app, &ada, "scorer", "red", ("nobody", "1")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(field, "model_version");
    register(&app, &ada, "classifier").await;
    let archive = with(&[("model", "classifier"), ("version", "2"), ("stage", "Archived")]);
    assert_eq!(app.call(&ada, "models/set_stage", &archive).await.status(), StatusCode::OK);
    let (field, message) = refused(
        deploy(&app, &ada, "scorer", "red", ("classifier", "2")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(field, "model_version");
    assert!(message.contains("Version 2 of classifier is archived"), "{message}");

    // The model's page lists what serves its versions.
    let model =
        app.json(&ada, "models/get", &with(&[("model", "classifier")]), StatusCode::OK).await;
    let serving: Vec<(&str, &str, i64)> = model["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["endpoint"].as_str().unwrap(),
                d["deployment"].as_str().unwrap(),
                d["model_version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(serving, [("scorer", "blue", 1), ("scorer", "green", 1)]);

    let delete_v1 = with(&[("model", "classifier"), ("version", "1")]);
    let (_, message) =
        refused(app.call(&ada, "models/delete_version", &delete_v1).await, StatusCode::CONFLICT)
            .await;
    assert!(message.contains("served by deployment blue of endpoint scorer"), "{message}");
    let delete_model = with(&[("model", "classifier"), ("confirm_name", "classifier")]);
    let (_, message) =
        refused(app.call(&ada, "models/delete", &delete_model).await, StatusCode::CONFLICT).await;
    assert!(message.contains("endpoint scorer"), "{message}");

    // Pointing both deployments at another version frees version 1.
    let archive_back = with(&[("model", "classifier"), ("version", "2"), ("stage", "Staging")]);
    assert_eq!(app.call(&ada, "models/set_stage", &archive_back).await.status(), StatusCode::OK);
    for deployment in ["blue", "green"] {
        let change = with(&[
            ("endpoint", "scorer"),
            ("deployment", deployment),
            ("model", "classifier"),
            ("model_version", "2"),
            ("instance_type", "Standard_NC6s_v3"),
            ("instance_count", "3"),
        ]);
        let changed = app.call(&ada, "endpoints/update_deployment", &change).await;
        assert_eq!(changed.status(), StatusCode::OK);
    }
    let blue = get(&app, &ada, "scorer").await["deployments"][0].clone();
    assert_eq!(
        (blue["model_version"].as_i64(), blue["instance_type"].as_str()),
        (Some(2), Some("Standard_NC6s_v3"))
    );
    assert_eq!(blue["traffic_percent"], 100, "a change keeps the traffic");
    assert_eq!(app.call(&ada, "models/delete_version", &delete_v1).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn endpoints_are_searched_filtered_sorted_and_paged_while_rows_arrive() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    create(&app, &ada, &[("name", "ranker"), ("tags", "team=search")]).await;
    create_endpoint(&app, &ada, "summarizer").await;
    assert_eq!(names(&list(&app, &ada, &[("search", "RANK")]).await), ["ranker"]);
    assert_eq!(names(&list(&app, &ada, &[("search", "team=sea")]).await), Vec::<String>::new());
    assert_eq!(names(&list(&app, &ada, &[("search", "search")]).await), ["ranker"]);
    assert_eq!(names(&list(&app, &ada, &[("state", "healthy")]).await), ["scorer"]);
    assert_eq!(names(&list(&app, &ada, &[("state", "empty")]).await), ["ranker", "summarizer"]);
    let bad = app.call(&ada, "endpoints/list", &with(&[("state", "sleepy")])).await;
    assert_eq!(refused(bad, StatusCode::BAD_REQUEST).await.0, "state");

    // Creation dates: move ranker back a month, then filter by range.
    let month_ago = atelier::server::db::now() - 30 * 86_400;
    sqlx::query("UPDATE endpoints SET created_at = $1 WHERE name = 'ranker'")
        .bind(month_ago)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let week_ago = (month_ago + 23 * 86_400).to_string();
    assert_eq!(names(&list(&app, &ada, &[("until", &week_ago)]).await), ["ranker"]);
    assert_eq!(names(&list(&app, &ada, &[("since", &week_ago)]).await), ["scorer", "summarizer"]);
    assert_eq!(names(&list(&app, &ada, &[("sort", "created")]).await)[0], "ranker");
    assert_eq!(names(&list(&app, &ada, &[("sort", "-created")]).await)[2], "ranker");
    assert_eq!(
        names(&list(&app, &ada, &[("sort", "-name")]).await),
        ["summarizer", "scorer", "ranker"]
    );

    // Pages by name hold while endpoints are added before and after the cursor.
    for n in 0..52 {
        create_endpoint(&app, &ada, &format!("model-{n:02}")).await;
    }
    let first = list(&app, &ada, &[]).await;
    let first_names = names(&first);
    assert_eq!(first_names.len(), 50);
    let after = first["next_after"].as_str().unwrap().to_owned();
    create_endpoint(&app, &ada, "aaa-early").await;
    create_endpoint(&app, &ada, "zzz-late").await;
    let second = list(&app, &ada, &[("after", &after)]).await;
    let second_names = names(&second);
    assert_eq!(second_names.first().map(String::as_str), Some("model-50"));
    assert_eq!(second_names.last().map(String::as_str), Some("zzz-late"));
    assert!(second_names.iter().all(|n| !first_names.contains(n)), "no row shows twice");
    assert!(second["next_after"].is_null());

    // By creation too: the cursor is (created, id), so equal times still page exactly once.
    let newest = list(&app, &ada, &[("sort", "-created")]).await;
    let cursor = newest["next_after"].as_str().unwrap().to_owned();
    let rest = list(&app, &ada, &[("sort", "-created"), ("after", &cursor)]).await;
    let mut all = names(&newest);
    all.extend(names(&rest));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 52 + 5, "every endpoint once: {all:?}");
    let stale =
        app.call(&ada, "endpoints/list", &with(&[("sort", "-created"), ("after", "soon")])).await;
    assert_eq!(refused(stale, StatusCode::BAD_REQUEST).await.0, "after");
}

#[tokio::test]
async fn data_scientists_manage_endpoints_and_readers_change_nothing() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    let scientist = app.signed_in("Sam", "sam@example.com").await;
    let reader = app.signed_in("Rita", "rita@example.com").await;
    grant(&app, &ada, "sam@example.com", "AzureML Data Scientist").await;
    grant(&app, &ada, "rita@example.com", "Reader").await;

    assert_eq!(create(&app, &scientist, &[("name", "sam-scorer")]).await.status(), StatusCode::OK);
    let deployed = deploy(&app, &scientist, "scorer", "canary", ("classifier", "1")).await;
    assert_eq!(deployed.status(), StatusCode::OK);
    let split_ok =
        set_traffic(&app, &scientist, "scorer", &[("blue", "80"), ("canary", "20")]).await;
    assert_eq!(split_ok.status(), StatusCode::OK);
    for (verb, deployment) in [
        ("stop_deployment", "green"),
        ("start_deployment", "green"),
        ("delete_deployment", "green"),
    ] {
        let response = deployment_call(&app, &scientist, verb, ("scorer", deployment)).await;
        assert_eq!(response.status(), StatusCode::OK, "a data scientist may {verb}");
    }
    let delete = with(&[("endpoint", "sam-scorer"), ("confirm_name", "sam-scorer")]);
    assert_eq!(app.call(&scientist, "endpoints/delete", &delete).await.status(), StatusCode::OK);

    // A reader sees everything and changes nothing.
    assert_eq!(names(&list(&app, &reader, &[]).await), ["scorer"]);
    let seen = get(&app, &reader, "scorer").await;
    assert!(!seen["permitted"].as_array().unwrap().contains(&json!("EndpointsWrite")));
    assert!(seen["activity"].is_array());
    assert_eq!(create(&app, &reader, &[("name", "mine")]).await.status(), StatusCode::FORBIDDEN);
    let (_, message) = refused(
        deploy(&app, &reader, "scorer", "mine", ("classifier", "1")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(message.contains("endpoints and deployments"), "{message}");
    let traffic = set_traffic(&app, &reader, "scorer", &[("blue", "100"), ("canary", "0")]).await;
    assert_eq!(traffic.status(), StatusCode::FORBIDDEN);
    for verb in ["stop_deployment", "start_deployment", "delete_deployment"] {
        let response = deployment_call(&app, &reader, verb, ("scorer", "canary")).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "a reader may not {verb}");
    }
    let delete = with(&[("endpoint", "scorer"), ("confirm_name", "scorer")]);
    assert_eq!(
        app.call(&reader, "endpoints/delete", &delete).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(split(&get(&app, &ada, "scorer").await)[1].1, 20, "nothing changed");
}

#[tokio::test]
async fn a_deployment_page_shows_what_it_serves_with_the_files_and_its_own_events() {
    let (app, ada) = app_with_workspace().await;
    let content = base64_of("onnx bytes");
    let upload =
        with(&[("name", "classifier"), ("file_name", "model.onnx"), ("content", &content)]);
    assert_eq!(app.call(&ada, "models/register", &upload).await.status(), StatusCode::OK);
    create_endpoint(&app, &ada, "scorer").await;
    for name in ["blue", "green"] {
        let deployed = deploy(&app, &ada, "scorer", name, ("classifier", "1")).await;
        assert_eq!(deployed.status(), StatusCode::OK, "deploying {name}");
    }
    let traffic = set_traffic(&app, &ada, "scorer", &[("blue", "80"), ("green", "20")]).await;
    assert_eq!(traffic.status(), StatusCode::OK);
    let stopped = deployment_call(&app, &ada, "stop_deployment", ("scorer", "blue")).await;
    // Blue takes traffic: stopping it is refused, and so not an event.
    assert_eq!(stopped.status(), StatusCode::CONFLICT);

    let form = with(&[("endpoint", "scorer"), ("deployment", "GREEN")]);
    let page = app.json(&ada, "endpoints/get_deployment", &form, StatusCode::OK).await;
    assert_eq!(page["endpoint"], "scorer");
    assert_eq!(page["deployment"]["name"], "green");
    assert_eq!(page["deployment"]["model"], "classifier");
    assert_eq!(page["deployment"]["model_version"], 1);
    assert_eq!(page["deployment"]["traffic_percent"], 20);
    assert_eq!(
        page["model_files"],
        json!([{ "path": "model.onnx", "size": 10, "sha256": page["model_files"][0]["sha256"] }])
    );
    let events: Vec<&str> =
        page["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        [
            "set the traffic: blue 80%, green 20%",
            "added deployment green serving classifier version 1"
        ],
        "only the endpoint's events about green"
    );

    // A Reader sees it too; strangers and other names find nothing.
    let rita = app.signed_in("Rita", "rita@example.com").await;
    grant(&app, &ada, "rita@example.com", "Reader").await;
    let as_reader = app.json(&rita, "endpoints/get_deployment", &form, StatusCode::OK).await;
    assert_eq!(as_reader["deployment"]["name"], "green");
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    assert_eq!(
        app.call(&mallory, "endpoints/get_deployment", &form).await.status(),
        StatusCode::NOT_FOUND
    );
    for (endpoint, deployment) in [("scorer", "red"), ("other", "green")] {
        let form = with(&[("endpoint", endpoint), ("deployment", deployment)]);
        let status = app.call(&ada, "endpoints/get_deployment", &form).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}/{deployment}");
    }
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
async fn endpoints_are_found_only_in_their_own_workspace() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    let created = app.create_workspace(&ada, "contoso/vision", "", "segmenter").await;
    assert_eq!(created.status(), StatusCode::OK);
    let elsewhere = [
        ("organization", "contoso"),
        ("resource_group", "vision"),
        ("workspace", "segmenter"),
        ("endpoint", "scorer"),
    ];
    assert_eq!(app.call(&ada, "endpoints/get", &elsewhere).await.status(), StatusCode::NOT_FOUND);
    let there = app.json(&ada, "endpoints/list", &elsewhere[..3], StatusCode::OK).await;
    assert!(names(&there).is_empty());
    let stop = [elsewhere.as_slice(), &[("deployment", "green")]].concat();
    assert_eq!(
        app.call(&ada, "endpoints/stop_deployment", &stop).await.status(),
        StatusCode::NOT_FOUND
    );

    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    let stranger = app.call(&mallory, "endpoints/get", &with(&[("endpoint", "scorer")])).await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    let traffic = set_traffic(&app, &mallory, "scorer", &[("blue", "0"), ("green", "100")]).await;
    assert_eq!(traffic.status(), StatusCode::NOT_FOUND);
    let deleted = deployment_call(&app, &mallory, "delete_deployment", ("scorer", "green")).await;
    assert_eq!(deleted.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_overview_counts_endpoints_and_purging_removes_them() {
    let (app, ada) = app_with_workspace().await;
    blue_green(&app, &ada).await;
    let counts =
        app.json(&ada, "workspaces/get", &WS, StatusCode::OK).await["resource_counts"].clone();
    assert!(counts.as_array().unwrap().contains(&json!(["Endpoints", 1])), "{counts}");
    let delete = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    for table in ["endpoints", "endpoint_deployments"] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table} keeps rows of a purged workspace");
    }
}

#[tokio::test]
async fn the_endpoints_list_reads_through_indexes() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan; forbid that to see which index the query can use.
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let by_name = match backend {
        Backend::Sqlite => "sqlite_autoindex_endpoints_1",
        Backend::Postgres => "endpoints_workspace_id_name_key_key",
    };
    let base = EndpointFilter { limit: 51, ..EndpointFilter::default() };
    let newest = EndpointFilter { sort: EndpointSort::Newest, ..base.clone() };
    let filters = [
        ("by name", base.clone(), by_name),
        (
            "by name, next page",
            EndpointFilter { after: Some(Cursor::Name("m".into())), ..base.clone() },
            by_name,
        ),
        (
            "newest, next page",
            EndpointFilter { after: Some(Cursor::Number(100, 7)), ..newest.clone() },
            "endpoints_workspace_created",
        ),
        (
            "by state and name",
            EndpointFilter { state: Some(EndpointState::Degraded), ..base.clone() },
            "endpoints_workspace_state",
        ),
        (
            "by state, newest",
            EndpointFilter { state: Some(EndpointState::Healthy), ..newest.clone() },
            "endpoints_workspace_state_created",
        ),
        (
            "created in a range",
            EndpointFilter { created_since: Some(100), created_until: Some(200), ..newest },
            "endpoints_workspace_created",
        ),
    ];
    for (what, filter, index) in filters {
        let plan = plan_of_list(&mut conn, backend, (1, 1), &filter).await.unwrap();
        let text = plan.join("\n");
        let scans = match backend {
            Backend::Sqlite => plan.iter().any(|l| l.trim_start().starts_with("SCAN endpoints")),
            Backend::Postgres => text.contains("Seq Scan on endpoints"),
        };
        assert!(!scans, "{what}: the endpoints list scans the whole table:\n{text}");
        assert!(text.contains(index), "{what}: not the expected index {index}:\n{text}");
        let sorts = match backend {
            Backend::Sqlite => text.contains("USE TEMP B-TREE FOR ORDER BY"),
            Backend::Postgres => text.contains("Sort Key"),
        };
        assert!(!sorts, "{what}: sorts instead of reading in index order:\n{text}");
    }
}
