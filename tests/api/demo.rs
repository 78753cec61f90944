//! The demo seeder on the real database: what a newcomer's first start shows, reachable through
//! the demo account, and a second seeding refused rather than doubled.

use reqwest::StatusCode;
use serde_json::Value;

use atelier::server::demo::{self, AlreadySeeded, DEMO_EMAIL};

use crate::helpers::{client, spawn_app};

const WS: [(&str, &str); 3] =
    [("organization", "demo-lab"), ("resource_group", "vision"), ("workspace", "detector-dev")];

fn names<'a>(page: &'a Value, list: &str) -> Vec<&'a str> {
    page[list].as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_demo_fills_a_living_studio_once() {
    let app = spawn_app().await;
    let pool = app.pool().await;
    let data_dir = app.state.settings.data_dir.clone();
    let seeded = demo::seed(&pool, &data_dir, None, None).await.expect("seeding the demo");
    assert!(seeded.runs >= 90, "{} runs", seeded.runs);
    assert!(seeded.metric_points >= 10_000, "{} points", seeded.metric_points);
    let password = seeded.new_password.expect("a new demo account's password");

    let demo_user = client();
    let signed_in = app.sign_in(&demo_user, DEMO_EMAIL, &password).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let mine = app.json(&demo_user, "workspaces/mine", &[], StatusCode::OK).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(3), "{mine}");

    let experiments = app.json(&demo_user, "experiments/list", &WS, StatusCode::OK).await;
    assert_eq!(names(&experiments, "experiments").len(), 3);
    let computes = app.json(&demo_user, "computes/list", &WS, StatusCode::OK).await;
    assert_eq!(names(&computes, "computes"), ["cpu-cluster", "demo-ci", "gpu-cluster"]);
    let states: Vec<&str> = computes["computes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["Running", "Stopped", "Running"]);
    let environments = app.json(&demo_user, "environments/list", &WS, StatusCode::OK).await;
    assert_eq!(names(&environments, "environments"), ["pytorch-gpu", "sklearn"]);
    let datasets = app.json(&demo_user, "datasets/list", &WS, StatusCode::OK).await;
    let mut datasets = names(&datasets, "datasets");
    datasets.sort_unstable();
    assert_eq!(datasets, ["iris", "product-photos", "reviews", "taxi-trips"]);
    // An uploaded demo file previews on a first start.
    let iris = [WS[0], WS[1], WS[2], ("dataset", "iris"), ("version", "2")];
    let iris = app.json(&demo_user, "datasets/version", &iris, StatusCode::OK).await;
    assert!(iris.to_string().contains("setosa"), "a preview of the iris rows: {iris}");

    let again = demo::seed(&pool, &data_dir, None, None).await;
    let refused = again.err().expect("a second seeding is refused");
    assert!(refused.downcast_ref::<AlreadySeeded>().is_some(), "{refused}");
}

#[tokio::test]
async fn scale_data_adds_a_benchmark_workspace_and_tenants_beside_the_demo() {
    let app = spawn_app().await;
    let pool = app.pool().await;
    let data_dir = app.state.settings.data_dir.clone();
    let scale = demo::ScaleOptions { runs: 120, points_per_run: 4, tenants: 2 };
    let seeded = demo::seed(&pool, &data_dir, None, Some(scale)).await.expect("seeding");
    // The demo's three workspaces and the benchmark one, then ten in each tenant.
    assert_eq!((seeded.organizations, seeded.workspaces), (3, 24));
    let organizations: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(&pool).await.unwrap();
    let workspaces: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM workspaces").fetch_one(&pool).await.unwrap();
    assert_eq!((organizations, workspaces), (3, 24));

    // Each tenant is its own: its owner sees its ten workspaces and nothing of the demo's.
    let owner = client();
    let signed_in =
        app.sign_in(&owner, "owner@tenant-001.example", "tenant-accounts-never-sign-in");
    assert_eq!(signed_in.await.status(), StatusCode::OK);
    let mine = app.json(&owner, "workspaces/mine", &[], StatusCode::OK).await;
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 10, "{mine:?}");
    assert!(mine.iter().all(|w| w["organization_slug"] == "tenant-001"), "{mine:?}");

    // The benchmark workspace's runs carry the parameters searches filter on.
    let password = seeded.new_password.expect("the demo account's password");
    let demo_user = client();
    assert_eq!(app.sign_in(&demo_user, DEMO_EMAIL, &password).await.status(), StatusCode::OK);
    let scale_ws =
        [("organization", "demo-lab"), ("resource_group", "benchmarks"), ("workspace", "scale")];
    let runs = app.json(&demo_user, "runs/list", &scale_ws, StatusCode::OK).await;
    let run = &runs["runs"][0];
    let params: Vec<&str> =
        run["params"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(params, ["seed", "optimizer", "learning_rate"], "{run}");
}
