//! Runs and experiments deleted through the tracking API: MLflow's lifecycle (deleted, then
//! restored or, after the retention window, removed with their files), what the studio shows
//! meanwhile, and what a deleted run or experiment refuses.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, walk, TestApp};
use crate::tracking_support::{
    answer, detector, error, get, grant_on_detector, post, token, WS_PATH,
};

struct Api {
    app: TestApp,
    ada: Client,
    uri: String,
    token: String,
}

async fn api() -> Api {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let token = token(&app, &ada, "tracking", WS_PATH, false).await;
    Api { app, ada, uri, token }
}

const INVALID: &str = "INVALID_PARAMETER_VALUE";
const MISSING: &str = "RESOURCE_DOES_NOT_EXIST";

impl Api {
    async fn ok_post(&self, endpoint: &str, body: Value) -> Value {
        let (status, answer) =
            answer(post(&self.uri, &self.token, endpoint, body.clone()).await).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {body}: {answer}");
        answer
    }

    async fn ok_get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        let (status, answer) = answer(get(&self.uri, &self.token, endpoint, query).await).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {query:?}: {answer}");
        answer
    }

    /// POSTs and asserts MLflow's error `code`, returning the message.
    async fn refused(&self, endpoint: &str, body: Value, code: &str) -> String {
        let status = if code == MISSING { StatusCode::NOT_FOUND } else { StatusCode::BAD_REQUEST };
        error(post(&self.uri, &self.token, endpoint, body).await, status, code).await
    }

    async fn experiment(&self, name: &str) -> String {
        let made = self.ok_post("experiments/create", json!({ "name": name })).await;
        made["experiment_id"].as_str().unwrap().to_owned()
    }

    async fn run(&self, experiment: &str, name: &str) -> String {
        let body = json!({ "experiment_id": experiment, "run_name": name });
        let made = self.ok_post("runs/create", body).await;
        made["run"]["info"]["run_id"].as_str().unwrap().to_owned()
    }

    async fn stage_of_run(&self, run: &str) -> String {
        let got = self.ok_get("runs/get", &[("run_id", run)]).await;
        got["run"]["info"]["lifecycle_stage"].as_str().unwrap().to_owned()
    }

    async fn stage_of_experiment(&self, id: &str) -> String {
        let got = self.ok_get("experiments/get", &[("experiment_id", id)]).await;
        got["experiment"]["lifecycle_stage"].as_str().unwrap().to_owned()
    }

    /// The ids of the runs a search of `experiment` finds in `view`.
    async fn search(&self, experiment: &str, view: &str) -> Vec<String> {
        let body = json!({ "experiment_ids": [experiment], "run_view_type": view });
        let found = self.ok_post("runs/search", body).await;
        let runs = found["runs"].as_array().cloned().unwrap_or_default();
        let mut ids: Vec<String> =
            runs.iter().map(|r| r["info"]["run_id"].as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids
    }

    fn form(&self, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("organization", "contoso".to_owned()),
            ("resource_group", "vision".to_owned()),
            ("workspace", "detector".to_owned()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        form
    }

    /// The studio's answer status for `endpoint`, as Ada.
    async fn studio_status(&self, endpoint: &str, extra: &[(&'static str, &str)]) -> StatusCode {
        let form = self.form(extra);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app.call(&self.ada, endpoint, &pairs).await.status()
    }

    async fn studio(&self, endpoint: &str, extra: &[(&'static str, &str)]) -> Value {
        let form = self.form(extra);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app.json(&self.ada, endpoint, &pairs, StatusCode::OK).await
    }

    /// The names of the runs the studio's list of `experiment` shows.
    async fn studio_runs(&self, experiment: &str) -> Vec<String> {
        let listed = self.studio("runs/list", &[("experiment", experiment)]).await;
        let runs = listed["runs"].as_array().cloned().unwrap_or_default();
        let mut names: Vec<String> =
            runs.iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
        names.sort();
        names
    }

    async fn studio_run_count(&self, experiment: &str) -> i64 {
        let got = self.studio("experiments/get", &[("experiment", experiment)]).await;
        got["experiment"]["run_count"].as_i64().unwrap()
    }
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn a_deleted_run_is_hidden_from_the_studio_refuses_changes_and_comes_back_on_restore() {
    let api = api().await;
    let experiment = api.experiment("mnist").await;
    let kept = api.run(&experiment, "kept").await;
    let doomed = api.run(&experiment, "doomed").await;
    assert_eq!(api.studio_run_count("mnist").await, 2);

    api.ok_post("runs/delete", json!({ "run_id": doomed })).await;
    // Deleting again changes nothing, as in MLflow.
    api.ok_post("runs/delete", json!({ "run_id": doomed })).await;
    assert_eq!(api.stage_of_run(&doomed).await, "deleted");
    assert_eq!(api.stage_of_run(&kept).await, "active");
    assert_eq!(api.search(&experiment, "ACTIVE_ONLY").await, std::slice::from_ref(&kept));
    assert_eq!(api.search(&experiment, "DELETED_ONLY").await, std::slice::from_ref(&doomed));
    assert_eq!(api.search(&experiment, "ALL").await, sorted(vec![kept.clone(), doomed.clone()]));
    api.refused(
        "runs/search",
        json!({ "experiment_ids": [experiment], "run_view_type": "SOME" }),
        INVALID,
    )
    .await;

    // The studio neither lists nor opens it, and counts one run.
    assert_eq!(api.studio_runs("mnist").await, std::slice::from_ref(&kept));
    assert_eq!(api.studio_status("runs/get", &[("run", &doomed)]).await, StatusCode::NOT_FOUND);
    assert_eq!(api.studio_run_count("mnist").await, 1);

    // A deleted run takes nothing.
    let message = api
        .refused(
            "runs/log-metric",
            json!({ "run_id": doomed, "key": "loss", "value": 1.0, "timestamp": 0 }),
            INVALID,
        )
        .await;
    assert!(message.contains("must be in the 'active' state"), "{message}");
    api.refused(
        "runs/log-parameter",
        json!({ "run_id": doomed, "key": "lr", "value": "0.1" }),
        INVALID,
    )
    .await;
    api.refused("runs/set-tag", json!({ "run_id": doomed, "key": "k", "value": "v" }), INVALID)
        .await;
    api.refused("runs/update", json!({ "run_id": doomed, "status": "FINISHED" }), INVALID).await;

    api.ok_post("runs/restore", json!({ "run_id": doomed })).await;
    assert_eq!(api.stage_of_run(&doomed).await, "active");
    assert_eq!(api.studio_runs("mnist").await, sorted(vec![kept.clone(), doomed.clone()]));
    assert_eq!(api.studio_run_count("mnist").await, 2);
    // Restoring a live run changes nothing; an unknown one is not found.
    api.ok_post("runs/restore", json!({ "run_id": doomed })).await;
    assert_eq!(api.studio_run_count("mnist").await, 2);
    api.refused("runs/restore", json!({ "run_id": "no-such-run" }), MISSING).await;
    api.refused("runs/delete", json!({ "run_id": "no-such-run" }), MISSING).await;
    api.ok_post(
        "runs/log-metric",
        json!({ "run_id": doomed, "key": "loss", "value": 0.5, "timestamp": 0 }),
    )
    .await;

    // The activity log tells both, and until when the run could be restored.
    let activity =
        api.app.json(&api.ada, "access/activity", &[("scope", WS_PATH)], StatusCode::OK).await;
    let text = activity.to_string();
    assert!(text.contains("restorable_until"), "{text}");
    assert!(text.contains("\\\"restored\\\":true"), "{text}");
}

#[tokio::test]
async fn a_deleted_experiment_keeps_its_name_takes_no_runs_and_restores_with_the_runs_deleted_with_it(
) {
    let api = api().await;
    let experiment = api.experiment("scratch").await;
    let alone = api.run(&experiment, "deleted-alone").await;
    let with_it = api.run(&experiment, "deleted-with-it").await;
    api.ok_post("runs/delete", json!({ "run_id": alone })).await;

    api.ok_post("experiments/delete", json!({ "experiment_id": experiment })).await;
    assert_eq!(api.stage_of_experiment(&experiment).await, "deleted");
    assert_eq!(api.stage_of_run(&with_it).await, "deleted");
    let by_name = api.ok_get("experiments/get-by-name", &[("experiment_name", "scratch")]).await;
    assert_eq!(by_name["experiment"]["lifecycle_stage"], "deleted");
    let active = api.ok_post("experiments/search", json!({})).await;
    assert!(!active.to_string().contains("scratch"), "{active}");
    let deleted = api.ok_post("experiments/search", json!({ "view_type": "DELETED_ONLY" })).await;
    assert_eq!(deleted["experiments"][0]["name"], "scratch", "{deleted}");

    // Gone from the studio, with its runs and from the overview's counts.
    assert_eq!(
        api.studio_status("experiments/get", &[("experiment", "scratch")]).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(api.studio_status("runs/get", &[("run", &with_it)]).await, StatusCode::NOT_FOUND);
    let overview = api.studio("workspaces/get", &[]).await;
    let counts = overview["resource_counts"].as_array().unwrap();
    assert!(counts.contains(&json!(["Runs", 0])), "{counts:?}");

    // Its name stays taken, with a message that says why.
    let taken = api
        .refused("experiments/create", json!({ "name": "scratch" }), "RESOURCE_ALREADY_EXISTS")
        .await;
    assert!(taken.contains("deleted state"), "{taken}");
    let form = api.form(&[("name", "scratch")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let studio = api.app.call(&api.ada, "experiments/create", &pairs).await;
    assert_eq!(studio.status(), StatusCode::CONFLICT);
    let text = studio.text().await.unwrap();
    assert!(text.contains("deleted through the tracking API"), "{text}");

    // A deleted experiment takes no runs, tags or new name; deleting it again is not found.
    let message = api.refused("runs/create", json!({ "experiment_id": experiment }), INVALID).await;
    assert!(message.contains("must be in the 'active' state"), "{message}");
    api.refused(
        "experiments/set-experiment-tag",
        json!({ "experiment_id": experiment, "key": "k", "value": "v" }),
        INVALID,
    )
    .await;
    api.refused(
        "experiments/update",
        json!({ "experiment_id": experiment, "new_name": "other" }),
        INVALID,
    )
    .await;
    api.refused("experiments/delete", json!({ "experiment_id": experiment }), MISSING).await;
    // A run of a deleted experiment is restored with the experiment, not alone.
    api.refused("runs/restore", json!({ "run_id": with_it }), INVALID).await;

    api.ok_post("experiments/restore", json!({ "experiment_id": experiment })).await;
    assert_eq!(api.stage_of_experiment(&experiment).await, "active");
    assert_eq!(api.stage_of_run(&with_it).await, "active");
    assert_eq!(api.stage_of_run(&alone).await, "deleted");
    assert_eq!(api.studio_runs("scratch").await, std::slice::from_ref(&with_it));
    assert_eq!(api.studio_run_count("scratch").await, 1);
    // Restoring a live experiment is not found, as in MLflow.
    api.refused("experiments/restore", json!({ "experiment_id": experiment }), MISSING).await;
}

#[tokio::test]
async fn deleted_runs_and_experiments_are_removed_with_their_files_when_their_retention_ends() {
    let api = api().await;
    let experiment = api.experiment("mnist").await;
    let doomed = api.run(&experiment, "doomed").await;
    let kept = api.run(&experiment, "kept").await;
    let scratch = api.experiment("scratch").await;
    let in_scratch = api.run(&scratch, "in-scratch").await;
    for run in [&doomed, &kept, &in_scratch] {
        let url = format!("{}/api/2.0/mlflow-artifacts/artifacts/runs/{run}/notes.txt", api.uri);
        let put = crate::tracking_support::script()
            .put(url)
            .bearer_auth(&api.token)
            .body("notes")
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), StatusCode::OK);
        api.ok_post(
            "runs/log-metric",
            json!({ "run_id": run, "key": "loss", "value": 1.0, "timestamp": 0 }),
        )
        .await;
    }
    api.ok_post("runs/delete", json!({ "run_id": doomed })).await;
    api.ok_post("experiments/delete", json!({ "experiment_id": scratch })).await;
    let data_dir = api.app.state.settings.data_dir.clone();
    let files_of = |run: &str| {
        walk(&data_dir).into_iter().filter(|p| p.to_string_lossy().contains(run)).count()
    };
    assert_eq!((files_of(&doomed), files_of(&kept), files_of(&in_scratch)), (1, 1, 1));

    let pool = &api.app.state.pool;
    let now = atelier::server::db::now();
    // Within the window nothing goes.
    let removed =
        atelier::server::removals::purge_expired(pool, &data_dir, now + 29 * 86_400).await;
    assert_eq!(removed, 0);
    assert_eq!(api.stage_of_run(&doomed).await, "deleted");

    let removed =
        atelier::server::removals::purge_expired(pool, &data_dir, now + 31 * 86_400).await;
    assert_eq!(removed, 2);
    api_missing(&api, &doomed).await;
    api_missing(&api, &in_scratch).await;
    error(
        get(&api.uri, &api.token, "experiments/get", &[("experiment_id", &scratch)]).await,
        StatusCode::NOT_FOUND,
        MISSING,
    )
    .await;
    assert_eq!((files_of(&doomed), files_of(&kept), files_of(&in_scratch)), (0, 1, 0));
    assert_eq!(api.stage_of_run(&kept).await, "active");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM run_metrics")
        .fetch_one(&api.app.pool().await)
        .await
        .unwrap();
    assert_eq!(rows, 1, "only the kept run's point is left");
    // The name of the removed experiment is free again.
    api.experiment("scratch").await;
}

async fn api_missing(api: &Api, run: &str) {
    error(
        get(&api.uri, &api.token, "runs/get", &[("run_id", run)]).await,
        StatusCode::NOT_FOUND,
        MISSING,
    )
    .await;
}

#[tokio::test]
async fn a_reader_may_not_delete_or_restore_and_a_stranger_finds_nothing() {
    let api = api().await;
    let experiment = api.experiment("mnist").await;
    let run = api.run(&experiment, "r").await;
    api.ok_post("runs/delete", json!({ "run_id": run })).await;

    let bob = api.app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&api.app, &api.ada, "bob@example.com", "Reader").await;
    let bobs = token(&api.app, &bob, "reading", "everything", false).await;
    for (endpoint, body) in [
        ("runs/restore", json!({ "run_id": run })),
        ("runs/delete", json!({ "run_id": run })),
        ("experiments/delete", json!({ "experiment_id": experiment })),
        ("experiments/restore", json!({ "experiment_id": experiment })),
    ] {
        error(
            post(&api.uri, &bobs, endpoint, body).await,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
        )
        .await;
    }
    // Bob may read: the deleted run shows as deleted.
    let (status, got) = answer(get(&api.uri, &bobs, "runs/get", &[("run_id", &run)]).await).await;
    assert_eq!(
        (status, got["run"]["info"]["lifecycle_stage"].as_str()),
        (StatusCode::OK, Some("deleted"))
    );

    let eve = api.app.signed_in("Eve", "eve@example.com").await;
    let eves = token(&api.app, &eve, "mine", "everything", false).await;
    error(
        post(&api.uri, &eves, "runs/restore", json!({ "run_id": run })).await,
        StatusCode::NOT_FOUND,
        MISSING,
    )
    .await;
    assert_eq!(api.stage_of_run(&run).await, "deleted");
}
