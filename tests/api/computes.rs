//! Compute targets over HTTP: create, read, list (search, filters, pages by name), change,
//! start, stop, restart, delete; the messages people see; the roles that decide who may do
//! which; tenancy; purging; and the plans the database picks for the list.

use std::collections::BTreeSet;

use atelier::domain::listing::Cursor;
use atelier::domain::{ComputeKind, ComputeState};
use atelier::server::db::computes::{plan_of_list, ComputeFilter};
use atelier::server::db::Backend;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

/// Form fields, as the browser posts them.
type Form<'a> = &'a [(&'a str, &'a str)];

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

async fn create(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> reqwest::Response {
    app.call(client, "computes/create", &with(extra)).await
}

async fn create_cluster(app: &TestApp, client: &Client, name: &str) {
    let form = [("name", name), ("kind", "cluster"), ("min_nodes", "0"), ("max_nodes", "4")];
    let response = create(app, client, &form).await;
    assert_eq!(response.status(), StatusCode::OK, "creating cluster {name}");
}

async fn get(app: &TestApp, client: &Client, name: &str) -> Value {
    app.json(client, "computes/get", &with(&[("compute", name)]), StatusCode::OK).await
}

async fn list(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> Value {
    app.json(client, "computes/list", &with(extra), StatusCode::OK).await
}

async fn power(app: &TestApp, client: &Client, verb: &str, name: &str) -> reqwest::Response {
    app.call(client, &format!("computes/{verb}"), &with(&[("compute", name)])).await
}

fn names(page: &Value) -> Vec<String> {
    page["computes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The error's field and message, asserting its status.
async fn refused(response: reqwest::Response, status: StatusCode) -> (Value, String) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    (body["field"].clone(), body["message"].as_str().unwrap_or_default().to_owned())
}

/// Gives the person with `email` a role at the workspace.
async fn grant(app: &TestApp, owner: &Client, email: &str, role: &str) {
    crate::membership::give(app, owner, WS_SCOPE, email, role).await;
}

#[tokio::test]
async fn compute_is_created_read_changed_and_deleted() {
    let (app, ada) = app_with_workspace().await;
    let cluster = [
        ("name", "gpu-cluster"),
        ("kind", "cluster"),
        ("vm_size", "standard_nc6s_v3"),
        ("min_nodes", "0"),
        ("max_nodes", "4"),
        ("owner", "ignored@example.com"),
        ("description", "Shared for training"),
        ("tags", "team=vision"),
    ];
    let created = create(&app, &ada, &cluster).await;
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(
        created.headers()["location"],
        "/organizations/contoso/resourceGroups/vision/workspaces/detector/compute/gpu-cluster"
    );
    let view = get(&app, &ada, "GPU-Cluster").await;
    let c = &view["compute"];
    assert_eq!(
        (c["name"].as_str(), c["kind"].as_str(), c["vm_size"].as_str(), c["state"].as_str()),
        (Some("gpu-cluster"), Some("Cluster"), Some("Standard_NC6s_v3"), Some("Running"))
    );
    assert_eq!((c["min_nodes"].as_i64(), c["max_nodes"].as_i64()), (Some(0), Some(4)));
    assert_eq!((c["owner"].as_str(), c["created_by"].as_str()), (Some(""), Some("Ada")));
    assert_eq!(c["tags"], json!([["team", "vision"]]));

    let instance = [("name", "ada-ci"), ("kind", "instance"), ("idle_shutdown_minutes", "")];
    assert_eq!(create(&app, &ada, &instance).await.status(), StatusCode::OK);
    let c = get(&app, &ada, "ada-ci").await["compute"].clone();
    assert_eq!(
        (c["owner"].as_str(), c["vm_size"].as_str()),
        (Some("Ada"), Some("Standard_DS3_v2"))
    );
    assert_eq!((c["min_nodes"].as_i64(), c["idle_shutdown_minutes"].as_i64()), (Some(1), Some(0)));

    let twice = create(&app, &ada, &[("name", "GPU-CLUSTER"), ("kind", "attached")]).await;
    let (field, message) = refused(twice, StatusCode::CONFLICT).await;
    assert_eq!(
        (field, message.as_str()),
        (json!("name"), "This workspace already has compute by that name.")
    );

    let update = with(&[
        ("compute", "gpu-cluster"),
        ("min_nodes", "1"),
        ("max_nodes", "8"),
        ("idle_shutdown_minutes", "30"),
        ("description", "Bigger"),
        ("tags", "team=vision\ncost=shared"),
    ]);
    assert_eq!(app.call(&ada, "computes/update", &update).await.status(), StatusCode::OK);
    let c = get(&app, &ada, "gpu-cluster").await["compute"].clone();
    assert_eq!((c["min_nodes"].as_i64(), c["max_nodes"].as_i64()), (Some(1), Some(8)));
    assert_eq!(
        (c["idle_shutdown_minutes"].as_i64(), c["description"].as_str()),
        (Some(0), Some("Bigger"))
    );
    let shrink = with(&[("compute", "gpu-cluster"), ("min_nodes", "9"), ("max_nodes", "8")]);
    let (field, message) =
        refused(app.call(&ada, "computes/update", &shrink).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "max_nodes");
    assert!(message.contains("at least the minimum"), "{message}");
    let idle = with(&[("compute", "ada-ci"), ("idle_shutdown_minutes", "120")]);
    assert_eq!(app.call(&ada, "computes/update", &idle).await.status(), StatusCode::OK);
    assert_eq!(get(&app, &ada, "ada-ci").await["compute"]["idle_shutdown_minutes"], 120);

    let overview = app.json(&ada, "workspaces/get", &WS, StatusCode::OK).await;
    let counts = overview["resource_counts"].as_array().unwrap();
    assert!(counts.contains(&json!(["Compute", 2])), "{counts:?}");
    let activity = get(&app, &ada, "gpu-cluster").await["activity"].clone();
    let summaries: Vec<&str> =
        activity.as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(summaries, ["changed its settings", "created the compute"]);

    let wrong = with(&[("compute", "gpu-cluster"), ("confirm_name", "gpu")]);
    let (field, _) =
        refused(app.call(&ada, "computes/delete", &wrong).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "confirm_name");
    let delete = with(&[("compute", "gpu-cluster"), ("confirm_name", "GPU-cluster")]);
    let deleted = app.call(&ada, "computes/delete", &delete).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let gone = app.call(&ada, "computes/get", &with(&[("compute", "gpu-cluster")])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&ada, "computes/delete", &delete).await.status(), StatusCode::NOT_FOUND);
    let log = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let actions: Vec<&str> =
        log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"Microsoft.MachineLearningServices/workspaces/computes/delete"));
    assert!(actions.contains(&"Microsoft.MachineLearningServices/workspaces/computes/write"));
}

#[tokio::test]
async fn what_people_type_is_checked_with_clear_messages() {
    let (app, ada) = app_with_workspace().await;
    let cases: [(Form, &str, &str); 9] = [
        (&[("name", "1gpu"), ("kind", "cluster")], "name", "starts with a letter"),
        (&[("name", "gpu_cluster"), ("kind", "cluster")], "name", "not '_'"),
        (&[("name", "a-very-long-cluster"), ("kind", "cluster")], "name", "2 to 16 characters"),
        (&[("name", "gpu"), ("kind", "vm")], "kind", "an instance, a cluster or attached"),
        (&[("name", "gpu"), ("kind", "cluster"), ("vm_size", "Huge")], "vm_size", "offered"),
        (
            &[("name", "gpu"), ("kind", "cluster"), ("min_nodes", "0"), ("max_nodes", "0")],
            "max_nodes",
            "from 1 to 100",
        ),
        (
            &[("name", "gpu"), ("kind", "cluster"), ("min_nodes", "-1"), ("max_nodes", "4")],
            "min_nodes",
            "from 0 to 100",
        ),
        (
            &[("name", "gpu"), ("kind", "cluster"), ("min_nodes", "5"), ("max_nodes", "101")],
            "max_nodes",
            "from 1 to 100",
        ),
        (
            &[("name", "ci"), ("kind", "instance"), ("idle_shutdown_minutes", "10081")],
            "idle_shutdown_minutes",
            "10080",
        ),
    ];
    for (form, expected_field, expected) in cases {
        let (field, message) =
            refused(create(&app, &ada, form).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(field, expected_field, "{form:?}");
        assert!(message.contains(expected), "{form:?}: {message}");
    }
    let bad_filter = app.call(&ada, "computes/list", &with(&[("kind", "vm")])).await;
    assert_eq!(bad_filter.status(), StatusCode::BAD_REQUEST);
    assert!(names(&list(&app, &ada, &[]).await).is_empty());
}

#[tokio::test]
async fn compute_starts_stops_and_restarts_only_when_that_makes_sense() {
    let (app, ada) = app_with_workspace().await;
    create_cluster(&app, &ada, "gpu-cluster").await;
    let (_, message) =
        refused(power(&app, &ada, "start", "gpu-cluster").await, StatusCode::CONFLICT).await;
    assert_eq!(message, "This compute is already running.");
    assert_eq!(power(&app, &ada, "stop", "gpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(get(&app, &ada, "gpu-cluster").await["compute"]["state"], "Stopped");
    let (_, message) =
        refused(power(&app, &ada, "stop", "gpu-cluster").await, StatusCode::CONFLICT).await;
    assert_eq!(message, "This compute is already stopped.");
    let (_, message) =
        refused(power(&app, &ada, "restart", "gpu-cluster").await, StatusCode::CONFLICT).await;
    assert_eq!(message, "This compute is stopped; start it instead.");
    assert_eq!(power(&app, &ada, "start", "gpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(power(&app, &ada, "restart", "gpu-cluster").await.status(), StatusCode::OK);
    let view = get(&app, &ada, "gpu-cluster").await;
    assert_eq!(view["compute"]["state"], "Running");
    let summaries: Vec<&str> =
        view["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(summaries, ["restarted it", "started it", "stopped it", "created the compute"]);
    assert_eq!(view["activity"][0]["actor"], "Ada");

    assert_eq!(
        create(&app, &ada, &[("name", "k8s"), ("kind", "attached")]).await.status(),
        StatusCode::OK
    );
    let (_, message) = refused(power(&app, &ada, "stop", "k8s").await, StatusCode::CONFLICT).await;
    assert!(message.contains("where it runs"), "{message}");
    assert_eq!(power(&app, &ada, "stop", "nothing").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn compute_is_searched_filtered_and_paged_by_name() {
    let (app, ada) = app_with_workspace().await;
    let mut expected = BTreeSet::new();
    for i in 0..53 {
        // Created out of order: the list is in name order regardless.
        let name = format!("node-{:02}", (i * 17) % 53);
        let kind = if i % 5 == 0 { "instance" } else { "cluster" };
        let tags = if i % 10 == 0 { "team=speech" } else { "" };
        let form = [("name", name.as_str()), ("kind", kind), ("max_nodes", "2"), ("tags", tags)];
        assert_eq!(create(&app, &ada, &form).await.status(), StatusCode::OK, "{name}");
        expected.insert(name);
    }
    let first = list(&app, &ada, &[]).await;
    assert_eq!(names(&first).len(), 50);
    let after = first["next_after"].as_str().unwrap().to_owned();
    assert_eq!(after, "node-49");
    let second = list(&app, &ada, &[("after", &after)]).await;
    assert_eq!(names(&second), ["node-50", "node-51", "node-52"]);
    assert!(second["next_after"].is_null());
    let seen: Vec<String> = names(&first).into_iter().chain(names(&second)).collect();
    assert_eq!(seen, expected.iter().cloned().collect::<Vec<_>>(), "every compute once, in order");

    let instances = list(&app, &ada, &[("kind", "instance")]).await;
    assert_eq!(names(&instances).len(), 11);
    assert!(instances["computes"].as_array().unwrap().iter().all(|c| c["kind"] == "Instance"));
    for name in ["node-03", "node-07"] {
        assert_eq!(power(&app, &ada, "stop", name).await.status(), StatusCode::OK);
    }
    let stopped = list(&app, &ada, &[("state", "stopped")]).await;
    assert_eq!(names(&stopped), ["node-03", "node-07"]);
    let speech = list(&app, &ada, &[("search", "SPEECH")]).await;
    assert_eq!(names(&speech).len(), 6);
    let by_name = list(&app, &ada, &[("search", "node-1"), ("kind", "cluster")]).await;
    assert!(names(&by_name).iter().all(|n| n.starts_with("node-1")));
    assert!(!names(&by_name).is_empty());
}

#[tokio::test]
async fn an_instance_is_assigned_only_to_someone_with_access_to_the_compute() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    app.signed_in("Carol", "carol@example.com").await;
    grant(&app, &ada, "carol@example.com", "AzureML Data Scientist").await;
    let for_bob = [("name", "bob-ci"), ("kind", "instance"), ("owner", "bob@example.com")];
    let (field, no_access) =
        refused(create(&app, &ada, &for_bob).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "owner");
    let for_nobody = [("name", "x-ci"), ("kind", "instance"), ("owner", "nobody@example.com")];
    let (_, no_account) =
        refused(create(&app, &ada, &for_nobody).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(no_access, no_account, "the form does not reveal who has an account");
    let for_carol = [("name", "carol-ci"), ("kind", "instance"), ("owner", "Carol@Example.com")];
    assert_eq!(create(&app, &ada, &for_carol).await.status(), StatusCode::OK);
    let c = get(&app, &ada, "carol-ci").await["compute"].clone();
    assert_eq!((c["owner"].as_str(), c["created_by"].as_str()), (Some("Carol"), Some("Ada")));
}

#[tokio::test]
async fn data_scientists_use_compute_that_compute_operators_manage() {
    let (app, ada) = app_with_workspace().await;
    create_cluster(&app, &ada, "gpu-cluster").await;
    let scientist = app.signed_in("Sam", "sam@example.com").await;
    let operator = app.signed_in("Olga", "olga@example.com").await;
    let reader = app.signed_in("Rita", "rita@example.com").await;
    grant(&app, &ada, "sam@example.com", "AzureML Data Scientist").await;
    grant(&app, &ada, "olga@example.com", "AzureML Compute Operator").await;
    grant(&app, &ada, "rita@example.com", "Reader").await;
    let new_cluster =
        |name: &'static str| [("name", name), ("kind", "cluster"), ("max_nodes", "2")];

    // A data scientist sees compute and may start and stop it, but not create, change or
    // delete it (the role's NotActions).
    assert_eq!(names(&list(&app, &scientist, &[]).await), ["gpu-cluster"]);
    let (_, message) =
        refused(create(&app, &scientist, &new_cluster("mine")).await, StatusCode::FORBIDDEN).await;
    assert!(message.contains("create and change compute"), "{message}");
    let update = with(&[("compute", "gpu-cluster"), ("min_nodes", "0"), ("max_nodes", "9")]);
    assert_eq!(
        app.call(&scientist, "computes/update", &update).await.status(),
        StatusCode::FORBIDDEN
    );
    let delete = with(&[("compute", "gpu-cluster"), ("confirm_name", "gpu-cluster")]);
    assert_eq!(
        app.call(&scientist, "computes/delete", &delete).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(power(&app, &scientist, "stop", "gpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(power(&app, &scientist, "start", "gpu-cluster").await.status(), StatusCode::OK);
    let permitted = get(&app, &scientist, "gpu-cluster").await["permitted"].clone();
    assert!(!permitted.as_array().unwrap().contains(&json!("ComputesWrite")));
    assert!(permitted.as_array().unwrap().contains(&json!("ComputesStop")));

    // A compute operator manages compute, and sees nothing else of the workspace.
    assert_eq!(create(&app, &operator, &new_cluster("cpu-cluster")).await.status(), StatusCode::OK);
    assert_eq!(power(&app, &operator, "stop", "cpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(power(&app, &operator, "start", "cpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(power(&app, &operator, "restart", "gpu-cluster").await.status(), StatusCode::OK);
    assert_eq!(app.call(&operator, "computes/update", &update).await.status(), StatusCode::OK);
    let experiments = app.call(&operator, "experiments/list", &WS).await;
    assert_eq!(experiments.status(), StatusCode::FORBIDDEN);
    assert!(get(&app, &operator, "cpu-cluster").await["activity"].is_null());

    // A reader sees compute and changes nothing.
    assert_eq!(names(&list(&app, &reader, &[]).await), ["cpu-cluster", "gpu-cluster"]);
    assert_eq!(create(&app, &reader, &new_cluster("r")).await.status(), StatusCode::FORBIDDEN);
    for verb in ["start", "stop", "restart"] {
        assert_eq!(power(&app, &reader, verb, "gpu-cluster").await.status(), StatusCode::FORBIDDEN);
    }
    assert!(get(&app, &reader, "gpu-cluster").await["activity"].is_array());
}

#[tokio::test]
async fn the_overview_counts_compute_only_for_those_who_may_see_it() {
    let (app, ada) = app_with_workspace().await;
    create_cluster(&app, &ada, "gpu-cluster").await;
    let role = [
        ("organization", "contoso"),
        ("name", "Experimenter"),
        (
            "actions",
            "Microsoft.MachineLearningServices/workspaces/read\n\
             Microsoft.MachineLearningServices/workspaces/experiments/*",
        ),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    assert_eq!(app.call(&ada, "roles/save", &role).await.status(), StatusCode::OK);
    let eve = app.signed_in("Eve", "eve@example.com").await;
    grant(&app, &ada, "eve@example.com", "Experimenter").await;
    let counts =
        app.json(&eve, "workspaces/get", &WS, StatusCode::OK).await["resource_counts"].clone();
    assert!(!counts.as_array().unwrap().iter().any(|c| c[0] == "Compute"), "{counts}");
    let listed = app.call(&eve, "computes/list", &WS).await;
    assert_eq!(listed.status(), StatusCode::FORBIDDEN);
    let counts =
        app.json(&ada, "workspaces/get", &WS, StatusCode::OK).await["resource_counts"].clone();
    assert!(counts.as_array().unwrap().contains(&json!(["Compute", 1])), "{counts}");
}

#[tokio::test]
async fn compute_is_found_only_in_its_own_workspace() {
    let (app, ada) = app_with_workspace().await;
    create_cluster(&app, &ada, "gpu-cluster").await;
    let created = app.create_workspace(&ada, "contoso/vision", "", "segmenter").await;
    assert_eq!(created.status(), StatusCode::OK);
    let elsewhere = [
        ("organization", "contoso"),
        ("resource_group", "vision"),
        ("workspace", "segmenter"),
        ("compute", "gpu-cluster"),
    ];
    for endpoint in ["computes/get", "computes/start", "computes/stop", "computes/restart"] {
        let response = app.call(&ada, endpoint, &elsewhere).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let update = [elsewhere.as_slice(), &[("min_nodes", "0"), ("max_nodes", "2")]].concat();
    assert_eq!(app.call(&ada, "computes/update", &update).await.status(), StatusCode::NOT_FOUND);
    let delete = [elsewhere.as_slice(), &[("confirm_name", "gpu-cluster")]].concat();
    assert_eq!(app.call(&ada, "computes/delete", &delete).await.status(), StatusCode::NOT_FOUND);
    let there = app.json(&ada, "computes/list", &elsewhere[..3], StatusCode::OK).await;
    assert!(names(&there).is_empty());

    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    let stranger = app.call(&mallory, "computes/get", &with(&[("compute", "gpu-cluster")])).await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    assert_eq!(power(&app, &mallory, "stop", "gpu-cluster").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn purging_a_workspace_removes_its_compute() {
    let (app, ada) = app_with_workspace().await;
    create_cluster(&app, &ada, "gpu-cluster").await;
    let delete = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM computes")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "computes keeps rows of a purged workspace");
}

#[tokio::test]
async fn the_compute_list_reads_through_indexes() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan; forbid that to see which index the query can use.
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let by_name = match backend {
        Backend::Sqlite => "sqlite_autoindex_computes_1",
        Backend::Postgres => "computes_workspace_id_name_key_key",
    };
    let base = ComputeFilter { limit: 51, ..ComputeFilter::default() };
    let filters = [
        ("workspace", base.clone(), by_name),
        (
            "kind",
            ComputeFilter { kind: Some(ComputeKind::Cluster), ..base.clone() },
            "computes_workspace_kind",
        ),
        (
            "state and page",
            ComputeFilter {
                state: Some(ComputeState::Stopped),
                after: Some(Cursor::Name("m".into())),
                ..base.clone()
            },
            by_name,
        ),
    ];
    for (what, filter, index) in filters {
        let plan = plan_of_list(&mut conn, backend, (1, 1), &filter).await.unwrap();
        let text = plan.join("\n");
        let scans = match backend {
            Backend::Sqlite => plan.iter().any(|l| l.trim_start().starts_with("SCAN computes")),
            Backend::Postgres => text.contains("Seq Scan on computes"),
        };
        assert!(!scans, "{what}: the compute list scans the whole table:\n{text}");
        assert!(text.contains(index), "{what}: not the expected index:\n{text}");
    }
}
