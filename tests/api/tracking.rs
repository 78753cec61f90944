//! The MLflow-compatible tracking REST API, driven over HTTP with a token as a script drives it:
//! experiments, runs, metrics, parameters, tags, searches, metric histories and artifacts, with
//! MLflow's validations and error codes; who may read and write; and what the studio shows of
//! it afterwards (its run pages, outputs and activity log).

use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, TestApp};
use crate::tracking_support::{
    answer, detector, error, get, grant_on_detector, post, script, token, WS_PATH,
};

/// Ada's workspace: the server, Ada's browser, the tracking URI and a token of Ada's for it.
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

/// A timestamp in epoch milliseconds, on a whole second.
const T0: i64 = 1_700_000_000_000;

impl Api {
    async fn post(&self, endpoint: &str, body: Value) -> Response {
        post(&self.uri, &self.token, endpoint, body).await
    }

    async fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Response {
        get(&self.uri, &self.token, endpoint, query).await
    }

    /// POSTs and asserts 200, returning the body.
    async fn ok_post(&self, endpoint: &str, body: Value) -> Value {
        let (status, answer) = answer(self.post(endpoint, body.clone()).await).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {body}: {answer}");
        answer
    }

    /// GETs and asserts 200, returning the body.
    async fn ok_get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        let (status, answer) = answer(self.get(endpoint, query).await).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {query:?}: {answer}");
        answer
    }

    /// POSTs, asserts MLflow's error answer, and returns its message.
    async fn refused(&self, endpoint: &str, body: Value, status: StatusCode, code: &str) -> String {
        error(self.post(endpoint, body).await, status, code).await
    }

    /// POSTs and asserts 400 INVALID_PARAMETER_VALUE, returning the message.
    async fn invalid(&self, endpoint: &str, body: Value) -> String {
        self.refused(endpoint, body, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE").await
    }

    /// Creates an experiment, returning its id.
    async fn experiment(&self, name: &str, tags: Value) -> String {
        let made = self.ok_post("experiments/create", json!({ "name": name, "tags": tags })).await;
        made["experiment_id"].as_str().expect("an experiment id").to_owned()
    }

    /// The experiment with this id, as experiments/get answers it.
    async fn experiment_by_id(&self, id: &str) -> Value {
        self.ok_get("experiments/get", &[("experiment_id", id)]).await["experiment"].clone()
    }

    /// Creates a run named `name` in experiment `experiment_id`, returning its id.
    async fn run(&self, experiment_id: &str, name: &str) -> String {
        let body = json!({ "experiment_id": experiment_id, "run_name": name, "start_time": T0 });
        let made = self.ok_post("runs/create", body).await;
        made["run"]["info"]["run_id"].as_str().expect("a run id").to_owned()
    }

    /// The run, as runs/get answers it.
    async fn run_by_id(&self, run: &str) -> Value {
        self.ok_get("runs/get", &[("run_id", run)]).await["run"].clone()
    }

    async fn log_metric(&self, run: &str, key: &str, value: f64, step: i64) {
        let body =
            json!({ "run_id": run, "key": key, "value": value, "step": step, "timestamp": T0 });
        self.ok_post("runs/log-metric", body).await;
    }

    async fn log_param(&self, run: &str, key: &str, value: &str) {
        self.ok_post("runs/log-parameter", json!({ "run_id": run, "key": key, "value": value }))
            .await;
    }

    async fn set_tag(&self, run: &str, key: &str, value: &str) {
        self.ok_post("runs/set-tag", json!({ "run_id": run, "key": key, "value": value })).await;
    }

    async fn finish(&self, run: &str) {
        self.ok_post("runs/update", json!({ "run_id": run, "status": "FINISHED" })).await;
    }

    /// A metric's history, one page.
    async fn history(&self, run: &str, key: &str, extra: &[(&str, &str)]) -> Value {
        let mut query = vec![("run_id", run), ("metric_key", key)];
        query.extend_from_slice(extra);
        self.ok_get("metrics/get-history", &query).await
    }

    /// A studio server function's JSON answer about Ada's workspace, as Ada.
    async fn studio(&self, endpoint: &str, extra: &[(&str, &str)]) -> Value {
        let mut form = vec![
            ("organization", "contoso"),
            ("resource_group", "vision"),
            ("workspace", "detector"),
        ];
        form.extend_from_slice(extra);
        self.app.json(&self.ada, endpoint, &form, StatusCode::OK).await
    }

    fn artifact_url(&self, path: &str) -> String {
        format!("{}/api/2.0/mlflow-artifacts/artifacts/{path}", self.uri)
    }

    async fn put_artifact(&self, path: &str, bytes: &'static [u8]) -> Response {
        let url = self.artifact_url(path);
        script().put(url).bearer_auth(&self.token).body(bytes).send().await.expect("sent")
    }

    async fn get_artifact(&self, path: &str) -> Response {
        let url = self.artifact_url(path);
        script().get(url).bearer_auth(&self.token).send().await.expect("sent")
    }

    async fn list_artifacts(&self, path: &str) -> Response {
        let url = format!("{}/api/2.0/mlflow-artifacts/artifacts", self.uri);
        let request = script().get(url).bearer_auth(&self.token).query(&[("path", path)]);
        request.send().await.expect("sent")
    }
}

/// `field` of each object in the array `list` of `body`.
fn each(body: &Value, list: &str, field: &str) -> Vec<String> {
    body[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {body}"))
        .iter()
        .map(|item| item.pointer(field).and_then(Value::as_str).expect(field).to_owned())
        .collect()
}

fn experiment_names(body: &Value) -> Vec<String> {
    each(body, "experiments", "/name")
}

fn run_names(body: &Value) -> Vec<String> {
    each(body, "runs", "/info/run_name")
}

/// The value of `key` among MLflow's `[{"key": …, "value": …}]`.
fn pair<'a>(pairs: &'a Value, key: &str) -> Option<&'a str> {
    pairs.as_array()?.iter().find(|p| p["key"] == key).and_then(|p| p["value"].as_str())
}

fn count(body: &Value, list: &str) -> usize {
    body[list].as_array().map_or(0, Vec::len)
}

fn batch_metrics(key: &str, steps: impl Iterator<Item = i64>) -> Vec<Value> {
    steps
        .map(|step| json!({ "key": key, "value": step as f64 / 10.0, "step": step, "timestamp": T0 }))
        .collect()
}

fn key_values(prefix: &str, n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({ "key": format!("{prefix}{i}"), "value": "v" })).collect()
}

// Experiments.

#[tokio::test]
async fn creating_an_experiment_returns_its_id_and_get_reads_it_back_with_tags() {
    let api = api().await;
    let tags = json!([
        { "key": "team", "value": "vision" },
        { "key": "mlflow.note.content", "value": "Handwritten digits" },
    ]);
    let id = api.experiment("mnist-cnn", tags).await;
    assert!(!id.is_empty() && id.chars().all(|c| c.is_ascii_digit()), "{id}");

    let experiment = api.experiment_by_id(&id).await;
    assert_eq!(experiment["experiment_id"], id);
    assert_eq!(experiment["name"], "mnist-cnn");
    assert_eq!(experiment["lifecycle_stage"], "active");
    assert_eq!(experiment["artifact_location"], format!("mlflow-artifacts:/experiments/{id}"));
    assert_eq!(pair(&experiment["tags"], "team"), Some("vision"));
    assert_eq!(pair(&experiment["tags"], "mlflow.note.content"), Some("Handwritten digits"));
    let created = experiment["creation_time"].as_i64().expect("a creation time");
    assert!(created > 1_000_000_000_000, "creation_time is in milliseconds: {created}");

    // The note is the studio's description, not one of its tags.
    let studio = api.studio("experiments/get", &[("experiment", "mnist-cnn")]).await;
    assert_eq!(studio["experiment"]["description"], "Handwritten digits");
    assert_eq!(studio["experiment"]["tags"], json!([["team", "vision"]]));
}

#[tokio::test]
async fn creating_an_experiment_without_a_name_is_an_invalid_parameter() {
    let api = api().await;
    let message = api.invalid("experiments/create", json!({})).await;
    assert!(message.contains("'name'"), "{message}");
    let message = api.invalid("experiments/create", json!({ "name": "   " })).await;
    assert!(message.contains("'name'"), "{message}");
    assert_eq!(count(&api.ok_post("experiments/search", json!({})).await, "experiments"), 0);
}

#[tokio::test]
async fn experiment_names_outside_letters_digits_dashes_underscores_and_dots_are_refused() {
    let api = api().await;
    for (name, says) in [
        ("has space", "' '"),
        ("a/b", "'/'"),
        ("_hidden", "starts with a letter or a digit"),
        ("semi;colon", "';'"),
    ] {
        let message = api.invalid("experiments/create", json!({ "name": name })).await;
        assert!(message.contains(says), "{name}: {message}");
    }
    let too_long = "a".repeat(256);
    let message = api.invalid("experiments/create", json!({ "name": too_long })).await;
    assert!(message.contains("255"), "{message}");
    assert_eq!(count(&api.ok_post("experiments/search", json!({})).await, "experiments"), 0);
}

#[tokio::test]
async fn creating_an_experiment_with_a_taken_name_answers_resource_already_exists() {
    let api = api().await;
    let first = api.experiment("mnist", json!([])).await;
    let message = api
        .refused(
            "experiments/create",
            json!({ "name": "mnist" }),
            StatusCode::BAD_REQUEST,
            "RESOURCE_ALREADY_EXISTS",
        )
        .await;
    assert!(message.contains("'mnist' already exists"), "{message}");
    let all = api.ok_post("experiments/search", json!({})).await;
    assert_eq!(each(&all, "experiments", "/experiment_id"), [first]);
}

#[tokio::test]
async fn experiment_zero_and_unknown_or_non_numeric_ids_are_not_found() {
    let api = api().await;
    for id in ["0", "424242", "abc", ""] {
        let message = error(
            api.get("experiments/get", &[("experiment_id", id)]).await,
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
        )
        .await;
        assert!(message.contains(&format!("No Experiment with id={id} exists")), "{message}");
    }
    // Reading does not make the Default experiment.
    assert_eq!(count(&api.ok_post("experiments/search", json!({})).await, "experiments"), 0);
}

#[tokio::test]
async fn get_by_name_needs_a_name_and_answers_not_found_for_an_unknown_one() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let found = api.ok_get("experiments/get-by-name", &[("experiment_name", "mnist")]).await;
    assert_eq!(found["experiment"]["experiment_id"], id);
    assert_eq!(found["experiment"]["name"], "mnist");

    let message = error(
        api.get("experiments/get-by-name", &[]).await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    )
    .await;
    assert!(message.contains("'experiment_name'"), "{message}");
    let message = error(
        api.get("experiments/get-by-name", &[("experiment_name", "nope")]).await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    assert_eq!(message, "Could not find experiment with name 'nope'");
}

#[tokio::test]
async fn searching_experiments_filters_on_name_like_and_tags_and_orders_by_name() {
    let api = api().await;
    api.experiment("cnn-b", json!([{ "key": "team", "value": "vision" }])).await;
    api.experiment("cnn-a", json!([{ "key": "team", "value": "speech" }])).await;
    api.experiment("rnn-c", json!([{ "key": "team", "value": "vision" }])).await;
    let search = |filter: &str, order: &str| json!({ "filter": filter, "order_by": [order], "max_results": 100 });

    let like = api.ok_post("experiments/search", search("name LIKE 'cnn%'", "name ASC")).await;
    assert_eq!(experiment_names(&like), ["cnn-a", "cnn-b"]);
    assert!(like.get("next_page_token").is_none(), "{like}");
    let tagged = api.ok_post("experiments/search", search("tags.team = 'vision'", "name")).await;
    assert_eq!(experiment_names(&tagged), ["cnn-b", "rnn-c"]);
    let both = search("name LIKE 'cnn%' AND tags.team = 'vision'", "name ASC");
    assert_eq!(experiment_names(&api.ok_post("experiments/search", both).await), ["cnn-b"]);
    let descending = api.ok_post("experiments/search", search("", "name DESC")).await;
    assert_eq!(experiment_names(&descending), ["rnn-c", "cnn-b", "cnn-a"]);
    let none = api.ok_post("experiments/search", search("name = 'gan'", "name ASC")).await;
    assert_eq!(count(&none, "experiments"), 0);

    // The GET form, as older clients send it.
    let query = [("filter", "tags.team != 'speech'"), ("order_by", "name ASC")];
    let got = api.ok_get("experiments/search", &query).await;
    assert_eq!(experiment_names(&got), ["cnn-b", "rnn-c"]);
}

#[tokio::test]
async fn searching_experiments_pages_with_next_page_token_without_repeats() {
    let api = api().await;
    let names = ["e1", "e2", "e3", "e4", "e5"];
    for name in names {
        api.experiment(name, json!([])).await;
    }

    // In name order: 2, 2, then 1 and no token.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut sizes = Vec::new();
    loop {
        let mut body = json!({ "max_results": 2, "order_by": ["name ASC"] });
        if let Some(token) = &token {
            body["page_token"] = json!(token);
        }
        let page = api.ok_post("experiments/search", body).await;
        sizes.push(count(&page, "experiments"));
        seen.extend(experiment_names(&page));
        match page["next_page_token"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
        assert!(sizes.len() < 5, "paging does not end: {page}");
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(seen, names);

    // In the default order (newest first), created within a second of each other.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..3 {
        let mut query = vec![("max_results", "2".to_owned())];
        if let Some(token) = &token {
            query.push(("page_token", token.clone()));
        }
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = api.ok_get("experiments/search", &query).await;
        seen.extend(experiment_names(&page));
        token = page["next_page_token"].as_str().map(str::to_owned);
    }
    assert_eq!(token, None);
    assert_eq!(seen, ["e5", "e4", "e3", "e2", "e1"]);
}

#[tokio::test]
async fn bad_experiment_searches_are_invalid_parameter_values() {
    let api = api().await;
    api.experiment("mnist", json!([])).await;
    let cases = [
        (json!({ "filter": "name = 'a' OR name = 'b'" }), "OR"),
        (json!({ "filter": "name =" }), "Invalid filter"),
        (json!({ "filter": "name = 'unclosed" }), "Invalid filter"),
        (json!({ "filter": "bogus.name = 'a'" }), "entity"),
        (json!({ "filter": "metrics.loss < 1" }), "Invalid attribute key"),
        (json!({ "filter": "owner = 'ada'" }), "Invalid attribute key"),
        (json!({ "order_by": ["params.lr DESC"] }), "Invalid attribute key"),
        (json!({ "order_by": ["name sideways"] }), "ASC or DESC"),
        (json!({ "max_results": 0 }), "max_results"),
        (json!({ "max_results": 50_001 }), "max_results"),
        (json!({ "page_token": "not-a-token" }), "Invalid page token"),
    ];
    for (body, says) in cases {
        let message = api.invalid("experiments/search", body.clone()).await;
        assert!(message.contains(says), "{body}: {message}");
    }
    let message = error(
        api.get("experiments/search", &[("max_results", "0")]).await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    )
    .await;
    assert!(message.contains("max_results"), "{message}");
}

#[tokio::test]
async fn renaming_an_experiment_changes_its_name_and_a_taken_name_is_refused() {
    let api = api().await;
    let a = api.experiment("alpha", json!([])).await;
    api.experiment("beta", json!([])).await;

    let renamed =
        api.ok_post("experiments/update", json!({ "experiment_id": a, "new_name": "gamma" })).await;
    assert_eq!(renamed, json!({}));
    assert_eq!(api.experiment_by_id(&a).await["name"], "gamma");
    error(
        api.get("experiments/get-by-name", &[("experiment_name", "alpha")]).await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    let by_name = api.ok_get("experiments/get-by-name", &[("experiment_name", "gamma")]).await;
    assert_eq!(by_name["experiment"]["experiment_id"], a);

    api.refused(
        "experiments/update",
        json!({ "experiment_id": a, "new_name": "beta" }),
        StatusCode::BAD_REQUEST,
        "RESOURCE_ALREADY_EXISTS",
    )
    .await;
    let message =
        api.invalid("experiments/update", json!({ "experiment_id": a, "new_name": "a b" })).await;
    assert!(message.contains("' '"), "{message}");
    assert_eq!(api.experiment_by_id(&a).await["name"], "gamma");
    api.refused(
        "experiments/update",
        json!({ "experiment_id": "424242", "new_name": "delta" }),
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    let all = api.ok_post("experiments/search", json!({ "order_by": ["name"] })).await;
    assert_eq!(experiment_names(&all), ["beta", "gamma"]);
}

#[tokio::test]
async fn experiment_tags_are_set_replaced_and_deleted_within_mlflows_limits() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let set = |key: &str, value: &str| json!({ "experiment_id": id, "key": key, "value": value });

    assert_eq!(api.ok_post("experiments/set-experiment-tag", set("stage", "dev")).await, json!({}));
    api.ok_post("experiments/set-experiment-tag", set("stage", "prod")).await;
    api.ok_post("experiments/set-experiment-tag", set("owner", "ada")).await;
    let tags = api.experiment_by_id(&id).await["tags"].clone();
    assert_eq!(pair(&tags, "stage"), Some("prod"));
    assert_eq!(tags.as_array().unwrap().iter().filter(|t| t["key"] == "stage").count(), 1);

    let delete = json!({ "experiment_id": id, "key": "stage" });
    api.ok_post("experiments/delete-experiment-tag", delete.clone()).await;
    let tags = api.experiment_by_id(&id).await["tags"].clone();
    assert_eq!((pair(&tags, "stage"), pair(&tags, "owner")), (None, Some("ada")));
    let message = api
        .refused(
            "experiments/delete-experiment-tag",
            delete,
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
        )
        .await;
    assert!(message.contains("No tag with name: stage"), "{message}");

    // MLflow's limits: keys up to 250 characters, values up to 8,000.
    let message = api.invalid("experiments/set-experiment-tag", set(&"k".repeat(251), "v")).await;
    assert!(message.contains("exceeded length limit of 250"), "{message}");
    api.ok_post("experiments/set-experiment-tag", set(&"k".repeat(250), "v")).await;
    let message =
        api.invalid("experiments/set-experiment-tag", set("big", &"v".repeat(8001))).await;
    assert!(message.contains("exceeded length limit of 8000"), "{message}");
    let message = api.invalid("experiments/set-experiment-tag", set("", "v")).await;
    assert!(message.contains("'key'"), "{message}");
    api.refused(
        "experiments/set-experiment-tag",
        json!({ "experiment_id": "424242", "key": "a", "value": "b" }),
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;

    // The note tag is the description.
    api.ok_post("experiments/set-experiment-tag", set("mlflow.note.content", "Digits")).await;
    let studio = api.studio("experiments/get", &[("experiment", "mnist")]).await;
    assert_eq!(studio["experiment"]["description"], "Digits");
    let tags = api.experiment_by_id(&id).await["tags"].clone();
    assert_eq!(pair(&tags, "mlflow.note.content"), Some("Digits"));
    assert_eq!(pair(&tags, "big"), None);
}

// Runs.

#[tokio::test]
async fn creating_a_run_in_experiment_zero_makes_the_default_experiment() {
    let api = api().await;
    let tags = json!([
        { "key": "mlflow.source.name", "value": "train.py" },
        { "key": "stage", "value": "dev" },
    ]);
    let body =
        json!({ "experiment_id": "0", "run_name": "lr-0.1", "tags": tags, "start_time": T0 });
    let made = api.ok_post("runs/create", body).await;
    let info = &made["run"]["info"];
    let run = info["run_id"].as_str().unwrap().to_owned();
    assert_eq!(info["run_uuid"], run);
    assert_eq!(info["run_name"], "lr-0.1");
    assert_eq!(info["status"], "RUNNING");
    assert_eq!(info["lifecycle_stage"], "active");
    assert_eq!(info["user_id"], "Ada");
    assert_eq!(info["artifact_uri"], format!("mlflow-artifacts:/runs/{run}"));
    assert_eq!(info["end_time"], Value::Null);
    let data = &made["run"]["data"];
    assert_eq!(pair(&data["tags"], "mlflow.source.name"), Some("train.py"));
    assert_eq!(pair(&data["tags"], "stage"), Some("dev"));
    assert_eq!(pair(&data["tags"], "mlflow.runName"), Some("lr-0.1"));

    // "0" now reads the workspace's Default experiment, which holds the run.
    let default = api.experiment_by_id("0").await;
    assert_eq!(default["name"], "Default");
    assert_eq!(info["experiment_id"], default["experiment_id"]);
    let by_name = api.ok_get("experiments/get-by-name", &[("experiment_name", "Default")]).await;
    assert_eq!(by_name["experiment"]["experiment_id"], default["experiment_id"]);

    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert_eq!(studio["run"]["display_name"], "lr-0.1");
    assert_eq!(studio["run"]["experiment"], "Default");
    assert_eq!(studio["run"]["entry_point"], "train.py");
    assert_eq!(studio["run"]["status"], "Running");
    assert_eq!(studio["run"]["user_name"], "Ada");
    assert!(studio["run"]["tags"].as_array().unwrap().contains(&json!(["stage", "dev"])));

    // A second run in "0" goes to the same Default; the runName tag names a run too, and
    // without either a name is made up.
    let tagged =
        json!({ "experiment_id": "0", "tags": [{ "key": "mlflow.runName", "value": "from-tag" }] });
    let second = api.ok_post("runs/create", tagged).await;
    assert_eq!(second["run"]["info"]["run_name"], "from-tag");
    assert_eq!(second["run"]["info"]["experiment_id"], default["experiment_id"]);
    let unnamed = api.ok_post("runs/create", json!({ "experiment_id": "0" })).await;
    let made_up = unnamed["run"]["info"]["run_name"].as_str().unwrap();
    assert!(!made_up.is_empty(), "{unnamed}");
    let all = api.ok_post("experiments/search", json!({})).await;
    assert_eq!(experiment_names(&all), ["Default"]);
}

#[tokio::test]
async fn creating_a_run_in_an_unknown_experiment_or_with_a_bad_name_is_refused() {
    let api = api().await;
    for id in ["424242", "abc"] {
        let message = api
            .refused(
                "runs/create",
                json!({ "experiment_id": id }),
                StatusCode::NOT_FOUND,
                "RESOURCE_DOES_NOT_EXIST",
            )
            .await;
        assert!(message.contains(&format!("id={id}")), "{message}");
    }
    let id = api.experiment("mnist", json!([])).await;
    let long = "r".repeat(256);
    let message =
        api.invalid("runs/create", json!({ "experiment_id": id, "run_name": long })).await;
    assert!(message.contains("255"), "{message}");
    let message =
        api.invalid("runs/create", json!({ "experiment_id": id, "run_name": "two\nlines" })).await;
    assert!(message.contains("single line"), "{message}");
    let long_key = json!([{ "key": "k".repeat(251), "value": "v" }]);
    api.invalid("runs/create", json!({ "experiment_id": id, "tags": long_key })).await;
    let search = api.ok_post("runs/search", json!({ "experiment_ids": [id] })).await;
    assert_eq!(count(&search, "runs"), 0);
    // No Default experiment was made on the way.
    let all = api.ok_post("experiments/search", json!({})).await;
    assert_eq!(experiment_names(&all), ["mnist"]);
}

#[tokio::test]
async fn getting_an_unknown_run_answers_not_found_with_its_id() {
    let api = api().await;
    let message = error(
        api.get("runs/get", &[("run_id", "no-such-run")]).await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    assert_eq!(message, "Run with id=no-such-run not found");
    let message =
        error(api.get("runs/get", &[]).await, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE")
            .await;
    assert!(message.contains("'run_id'"), "{message}");

    // The older run_uuid names a run too.
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let found = api.ok_get("runs/get", &[("run_uuid", &run)]).await;
    assert_eq!(found["run"]["info"]["run_id"], run);
}

#[tokio::test]
async fn a_finished_run_has_an_end_time_and_takes_no_more_metrics() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    api.log_metric(&run, "loss", 0.5, 0).await;

    let updated = api
        .ok_post("runs/update", json!({ "run_id": run, "status": "FINISHED", "end_time": T0 }))
        .await;
    assert_eq!(updated["run_info"]["status"], "FINISHED");
    assert_eq!(updated["run_info"]["run_id"], run);
    let info = api.run_by_id(&run).await["info"].clone();
    assert_eq!(info["status"], "FINISHED");
    assert!(info["end_time"].as_i64().is_some(), "{info}");

    let body = json!({ "run_id": run, "key": "loss", "value": 0.1, "step": 1, "timestamp": T0 });
    let message = api.invalid("runs/log-metric", body).await;
    assert!(message.contains(&run) && message.contains("ended"), "{message}");
    let batch = json!({ "run_id": run, "metrics": batch_metrics("loss", 5..6) });
    api.invalid("runs/log-batch", batch).await;
    let history = api.history(&run, "loss", &[]).await;
    assert_eq!(each(&history, "metrics", "/key"), ["loss"]);

    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert_eq!(studio["run"]["status"], "Completed");
}

#[tokio::test]
async fn updating_a_run_with_an_unknown_status_or_an_unknown_run_is_refused() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    for status in ["DONE", "finished", "COMPLETED"] {
        let message = api.invalid("runs/update", json!({ "run_id": run, "status": status })).await;
        assert!(message.contains("'status'"), "{status}: {message}");
    }
    assert_eq!(api.run_by_id(&run).await["info"]["status"], "RUNNING");
    let message = api.invalid("runs/update", json!({ "status": "FINISHED" })).await;
    assert!(message.contains("'run_id'"), "{message}");
    for body in [
        json!({ "run_id": "no-such-run", "status": "FINISHED" }),
        json!({ "run_id": "no-such-run", "run_name": "x" }),
        json!({ "run_id": "no-such-run" }),
    ] {
        let message = api
            .refused("runs/update", body, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST")
            .await;
        assert_eq!(message, "Run with id=no-such-run not found");
    }
}

#[tokio::test]
async fn renaming_a_run_shows_in_the_studio_and_in_its_run_name_tag() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let updated = api.ok_post("runs/update", json!({ "run_id": run, "run_name": "renamed" })).await;
    assert_eq!(updated["run_info"]["run_name"], "renamed");
    assert_eq!(updated["run_info"]["status"], "RUNNING");

    let got = api.run_by_id(&run).await;
    assert_eq!(got["info"]["run_name"], "renamed");
    assert_eq!(pair(&got["data"]["tags"], "mlflow.runName"), Some("renamed"));
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert_eq!(studio["run"]["display_name"], "renamed");

    // Setting the runName tag renames it as well.
    api.set_tag(&run, "mlflow.runName", "by-tag").await;
    assert_eq!(api.run_by_id(&run).await["info"]["run_name"], "by-tag");
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert_eq!(studio["run"]["display_name"], "by-tag");
}

#[tokio::test]
async fn log_metric_requires_a_value_and_a_timestamp() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let message =
        api.invalid("runs/log-metric", json!({ "run_id": run, "key": "loss", "value": 0.5 })).await;
    assert!(message.contains("'timestamp'"), "{message}");
    let message = api
        .invalid("runs/log-metric", json!({ "run_id": run, "key": "loss", "timestamp": T0 }))
        .await;
    assert!(message.contains("'value'"), "{message}");
    let message = api
        .invalid("runs/log-metric", json!({ "key": "loss", "value": 0.5, "timestamp": T0 }))
        .await;
    assert!(message.contains("'run_id'"), "{message}");
    assert_eq!(count(&api.history(&run, "loss", &[]).await, "metrics"), 0);
    assert_eq!(api.run_by_id(&run).await["data"]["metrics"], json!([]));
}

#[tokio::test]
async fn log_metric_refuses_bad_names_negative_steps_and_unknown_runs() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let metric = |key: &str, step: i64| json!({ "run_id": run, "key": key, "value": 1.0, "step": step, "timestamp": T0 });
    let message = api.invalid("runs/log-metric", metric("loss!", 0)).await;
    assert!(message.contains("Invalid metric name: 'loss!'"), "{message}");
    api.invalid("runs/log-metric", metric("", 0)).await;
    api.invalid("runs/log-metric", metric(&"m".repeat(251), 0)).await;
    let message = api.invalid("runs/log-metric", metric("loss", -1)).await;
    assert!(message.contains("negative step"), "{message}");
    let unknown = json!({ "run_id": "no-such-run", "key": "loss", "value": 1.0, "timestamp": T0 });
    let message = api
        .refused("runs/log-metric", unknown, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST")
        .await;
    assert_eq!(message, "Run with id=no-such-run not found");
    assert_eq!(api.run_by_id(&run).await["data"]["metrics"], json!([]));

    // Names with spaces, slashes, dots and dashes are fine.
    api.ok_post("runs/log-metric", metric("val/top-1 acc.v2", 3)).await;
    let metrics = api.run_by_id(&run).await["data"]["metrics"].clone();
    assert_eq!(
        (metrics[0]["key"].as_str(), metrics[0]["step"].as_i64()),
        (Some("val/top-1 acc.v2"), Some(3))
    );
}

#[tokio::test]
async fn a_logged_metric_is_in_its_history_in_milliseconds_and_its_latest_value_in_the_run() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let first = json!({ "run_id": run, "key": "loss", "value": 0.5, "step": 0, "timestamp": T0 });
    assert_eq!(api.ok_post("runs/log-metric", first).await, json!({}));
    let second =
        json!({ "run_uuid": run, "key": "loss", "value": 0.25, "step": 1, "timestamp": T0 + 2000 });
    api.ok_post("runs/log-metric", second).await;
    // Step defaults to 0.
    let no_step = json!({ "run_id": run, "key": "acc", "value": 0.75, "timestamp": T0 });
    api.ok_post("runs/log-metric", no_step).await;

    let history = api.history(&run, "loss", &[]).await;
    assert_eq!(
        history["metrics"],
        json!([
            { "key": "loss", "value": 0.5, "step": 0, "timestamp": T0 },
            { "key": "loss", "value": 0.25, "step": 1, "timestamp": T0 + 2000 },
        ])
    );
    assert!(history.get("next_page_token").is_none(), "{history}");

    let metrics = api.run_by_id(&run).await["data"]["metrics"].clone();
    let latest = |key: &str| {
        metrics.as_array().unwrap().iter().find(|m| m["key"] == key).cloned().unwrap_or_default()
    };
    assert_eq!(
        (latest("loss")["value"].as_f64(), latest("loss")["step"].as_i64()),
        (Some(0.25), Some(1))
    );
    assert_eq!(
        (latest("acc")["value"].as_f64(), latest("acc")["step"].as_i64()),
        (Some(0.75), Some(0))
    );
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    let loss = studio["run"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "loss")
        .unwrap()
        .clone();
    assert_eq!((loss["last"].as_f64(), loss["points"].as_i64()), (Some(0.25), Some(2)));
}

#[tokio::test]
async fn metric_history_keeps_each_points_millisecond_timestamp() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let at = T0 + 123;
    let body = json!({ "run_id": run, "key": "loss", "value": 0.5, "step": 0, "timestamp": at });
    api.ok_post("runs/log-metric", body).await;
    let history = api.history(&run, "loss", &[]).await;
    assert_eq!(history["metrics"][0]["timestamp"].as_i64(), Some(at), "{history}");
}

#[tokio::test]
async fn a_runs_latest_metric_carries_the_timestamp_it_was_logged_with() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let body = json!({ "run_id": run, "key": "loss", "value": 0.5, "step": 0, "timestamp": T0 });
    api.ok_post("runs/log-metric", body).await;
    let metrics = api.run_by_id(&run).await["data"]["metrics"].clone();
    assert_eq!(metrics[0]["timestamp"].as_i64(), Some(T0), "{metrics}");
}

#[tokio::test]
async fn a_run_keeps_the_start_and_end_times_the_client_sends() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let started = 1_600_000_000_000_i64;
    let made = api
        .ok_post(
            "runs/create",
            json!({ "experiment_id": id, "run_name": "old", "start_time": started }),
        )
        .await;
    let run = made["run"]["info"]["run_id"].as_str().unwrap().to_owned();
    assert_eq!(made["run"]["info"]["start_time"].as_i64(), Some(started), "{made}");
    let ended = started + 60_000;
    let updated = api
        .ok_post("runs/update", json!({ "run_id": run, "status": "FINISHED", "end_time": ended }))
        .await;
    assert_eq!(updated["run_info"]["end_time"].as_i64(), Some(ended), "{updated}");
}

#[tokio::test]
async fn a_parameter_may_be_logged_again_with_its_value_but_never_changed() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    api.log_param(&run, "lr", "0.1").await;
    api.log_param(&run, "lr", "0.1").await;
    let message = api
        .invalid("runs/log-parameter", json!({ "run_id": run, "key": "lr", "value": "0.2" }))
        .await;
    assert!(message.contains("Changing param values is not allowed"), "{message}");
    assert!(message.contains("key='lr'") && message.contains("'0.2'"), "{message}");
    assert_eq!(
        api.run_by_id(&run).await["data"]["params"],
        json!([{ "key": "lr", "value": "0.1" }])
    );

    // Values up to 6,000 characters; names as metric names.
    let long = "x".repeat(6000);
    api.log_param(&run, "long", &long).await;
    let message = api
        .invalid(
            "runs/log-parameter",
            json!({ "run_id": run, "key": "longer", "value": "x".repeat(6001) }),
        )
        .await;
    assert!(message.contains("exceeded length limit of 6000"), "{message}");
    let message = api
        .invalid("runs/log-parameter", json!({ "run_id": run, "key": "lr!", "value": "1" }))
        .await;
    assert!(message.contains("Invalid parameter name"), "{message}");
    api.invalid("runs/log-parameter", json!({ "run_id": run, "key": "", "value": "1" })).await;
    api.refused(
        "runs/log-parameter",
        json!({ "run_id": "no-such-run", "key": "a", "value": "1" }),
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    let params = api.run_by_id(&run).await["data"]["params"].clone();
    assert_eq!(params.as_array().unwrap().len(), 2, "{params}");
    assert_eq!(pair(&params, "long").map(str::len), Some(6000));
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert!(studio["run"]["params"].as_array().unwrap().contains(&json!(["lr", "0.1"])));
}

#[tokio::test]
async fn log_batch_refuses_more_than_mlflows_limits_and_writes_nothing() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let cases = [
        (
            json!({ "run_id": run, "metrics": batch_metrics("loss", 0..1001) }),
            "at most 1000 metrics",
        ),
        (json!({ "run_id": run, "params": key_values("p", 101) }), "at most 100 params"),
        (json!({ "run_id": run, "tags": key_values("t", 101) }), "at most 100 tags"),
        (
            json!({
                "run_id": run,
                "metrics": batch_metrics("loss", 0..900),
                "params": key_values("p", 100),
                "tags": key_values("t", 1),
            }),
            "at most 1000",
        ),
    ];
    for (body, says) in cases {
        let message = api.invalid("runs/log-batch", body).await;
        assert!(message.contains(says), "{says}: {message}");
    }
    let message =
        api.invalid("runs/log-batch", json!({ "metrics": batch_metrics("loss", 0..1) })).await;
    assert!(message.contains("'run_id'"), "{message}");
    let data = api.run_by_id(&run).await["data"].clone();
    assert_eq!((data["metrics"].clone(), data["params"].clone()), (json!([]), json!([])));
    assert_eq!(data["tags"], json!([{ "key": "mlflow.runName", "value": "first" }]));
}

#[tokio::test]
async fn log_batch_refuses_one_param_key_with_two_values() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let twice = json!([{ "key": "a", "value": "1" }, { "key": "a", "value": "2" }]);
    let message = api.invalid("runs/log-batch", json!({ "run_id": run, "params": twice })).await;
    assert!(message.contains("Duplicate parameter keys") && message.contains("'a'"), "{message}");
    assert_eq!(api.run_by_id(&run).await["data"]["params"], json!([]));
    let same = json!([{ "key": "a", "value": "1" }, { "key": "a", "value": "1" }]);
    api.ok_post("runs/log-batch", json!({ "run_id": run, "params": same })).await;
    assert_eq!(api.run_by_id(&run).await["data"]["params"], json!([{ "key": "a", "value": "1" }]));
}

#[tokio::test]
async fn a_batch_of_a_thousand_metrics_with_params_and_tags_is_written_whole() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let body = json!({ "run_id": run, "metrics": batch_metrics("loss", 0..1000) });
    assert_eq!(api.ok_post("runs/log-batch", body).await, json!({}));
    let history = api.history(&run, "loss", &[]).await;
    assert_eq!(count(&history, "metrics"), 1000);
    let steps: Vec<i64> = history["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["step"].as_i64().unwrap())
        .collect();
    assert_eq!(steps, (0..1000).collect::<Vec<_>>());
    let metrics = api.run_by_id(&run).await["data"]["metrics"].clone();
    assert_eq!(
        (metrics[0]["step"].as_i64(), metrics[0]["value"].as_f64()),
        (Some(999), Some(99.9))
    );

    let mixed = json!({
        "run_id": run,
        "metrics": batch_metrics("acc", 0..3),
        "params": [{ "key": "lr", "value": "0.1" }, { "key": "epochs", "value": "3" }],
        "tags": [{ "key": "stage", "value": "dev" }, { "key": "mlflow.runName", "value": "batched" }],
    });
    api.ok_post("runs/log-batch", mixed).await;
    let got = api.run_by_id(&run).await;
    assert_eq!(got["info"]["run_name"], "batched");
    assert_eq!(pair(&got["data"]["params"], "lr"), Some("0.1"));
    assert_eq!(pair(&got["data"]["params"], "epochs"), Some("3"));
    assert_eq!(pair(&got["data"]["tags"], "stage"), Some("dev"));
    assert_eq!(count(&api.history(&run, "acc", &[]).await, "metrics"), 3);
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    let loss = studio["run"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "loss")
        .unwrap()
        .clone();
    assert_eq!(loss["points"].as_i64(), Some(1000));
}

#[tokio::test]
async fn a_batch_with_one_invalid_entry_writes_nothing_at_all() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let params = json!([{ "key": "lr", "value": "0.1" }]);
    let tags = json!([{ "key": "stage", "value": "dev" }]);

    let mut metrics = batch_metrics("loss", 0..10);
    metrics.push(json!({ "key": "bad!", "value": 1.0, "step": 0, "timestamp": T0 }));
    let body = json!({ "run_id": run, "metrics": metrics, "params": params, "tags": tags });
    let message = api.invalid("runs/log-batch", body).await;
    assert!(message.contains("'bad!'"), "{message}");

    let mut metrics = batch_metrics("loss", 0..10);
    metrics.push(json!({ "key": "acc", "value": 1.0, "step": 0 }));
    let body = json!({ "run_id": run, "metrics": metrics, "params": params, "tags": tags });
    let message = api.invalid("runs/log-batch", body).await;
    assert!(message.contains("'timestamp'"), "{message}");

    let long =
        json!([{ "key": "lr", "value": "0.1" }, { "key": "big", "value": "x".repeat(6001) }]);
    let body = json!({ "run_id": run, "metrics": batch_metrics("loss", 0..10), "params": long, "tags": tags });
    api.invalid("runs/log-batch", body).await;

    // A parameter that would change fails the whole batch after it was checked.
    api.log_param(&run, "epochs", "3").await;
    let changing = json!([{ "key": "lr", "value": "0.1" }, { "key": "epochs", "value": "4" }]);
    let body = json!({ "run_id": run, "metrics": batch_metrics("loss", 0..10), "params": changing, "tags": tags });
    let message = api.invalid("runs/log-batch", body).await;
    assert!(message.contains("Changing param values is not allowed"), "{message}");

    let data = api.run_by_id(&run).await["data"].clone();
    assert_eq!(data["metrics"], json!([]));
    assert_eq!(data["params"], json!([{ "key": "epochs", "value": "3" }]));
    assert_eq!(pair(&data["tags"], "stage"), None);
    assert_eq!(count(&api.history(&run, "loss", &[]).await, "metrics"), 0);
}

#[tokio::test]
async fn run_tags_are_set_and_deleted_and_deleting_an_unknown_tag_is_not_found() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    api.set_tag(&run, "stage", "dev").await;
    api.set_tag(&run, "stage", "prod").await;
    let tags = api.run_by_id(&run).await["data"]["tags"].clone();
    assert_eq!(pair(&tags, "stage"), Some("prod"));
    assert_eq!(tags.as_array().unwrap().iter().filter(|t| t["key"] == "stage").count(), 1);

    let delete = json!({ "run_id": run, "key": "stage" });
    assert_eq!(api.ok_post("runs/delete-tag", delete.clone()).await, json!({}));
    assert_eq!(pair(&api.run_by_id(&run).await["data"]["tags"], "stage"), None);
    let message = api
        .refused("runs/delete-tag", delete, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST")
        .await;
    assert!(message.contains("No tag with name: stage"), "{message}");
    api.refused(
        "runs/set-tag",
        json!({ "run_id": "no-such-run", "key": "a", "value": "b" }),
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    let message = api
        .invalid("runs/set-tag", json!({ "run_id": run, "key": "k".repeat(251), "value": "v" }))
        .await;
    assert!(message.contains("exceeded length limit of 250"), "{message}");
    api.invalid("runs/set-tag", json!({ "run_id": run, "key": "", "value": "v" })).await;
    api.invalid("runs/delete-tag", json!({ "run_id": run, "key": "" })).await;
    let studio = api.studio("runs/get", &[("run", &run)]).await;
    assert!(!studio["run"]["tags"].to_string().contains("stage"), "{studio}");
}

/// Three finished or running runs in experiment "sweep" with accuracies, rates and kinds.
async fn sweep(api: &Api) -> String {
    let id = api.experiment("sweep", json!([])).await;
    for (name, lr, acc, kind, finished) in [
        ("r1", "0.1", 0.9, "sweep", true),
        ("r2", "0.01", 0.7, "sweep", false),
        ("r3", "0.1", 0.4, "baseline", true),
    ] {
        let run = api.run(&id, name).await;
        api.log_param(&run, "lr", lr).await;
        api.log_metric(&run, "acc", acc, 0).await;
        api.set_tag(&run, "kind", kind).await;
        if finished {
            api.finish(&run).await;
        }
    }
    id
}

#[tokio::test]
async fn searching_runs_filters_on_metrics_params_tags_and_status_and_orders_by_a_metric() {
    let api = api().await;
    let id = sweep(&api).await;
    let search = |filter: &str| json!({ "experiment_ids": [id], "filter": filter, "order_by": ["attributes.run_name ASC"] });
    for (filter, expected) in [
        ("metrics.acc > 0.5", vec!["r1", "r2"]),
        ("metrics.acc <= 0.4", vec!["r3"]),
        ("params.lr = '0.1'", vec!["r1", "r3"]),
        ("tags.kind = 'sweep'", vec!["r1", "r2"]),
        ("tags.kind IN ('baseline', 'other')", vec!["r3"]),
        ("attributes.status = 'FINISHED'", vec!["r1", "r3"]),
        ("attributes.status != 'FINISHED'", vec!["r2"]),
        ("attributes.run_name LIKE 'r%'", vec!["r1", "r2", "r3"]),
        (
            "metrics.acc > 0.5 and params.lr = '0.1' and tags.kind = 'sweep' and attributes.status = 'FINISHED'",
            vec!["r1"],
        ),
        ("metrics.missing > 0", vec![]),
    ] {
        let found = api.ok_post("runs/search", search(filter)).await;
        let names: Vec<String> = if count(&found, "runs") == 0 { Vec::new() } else { run_names(&found) };
        assert_eq!(names, expected, "{filter}");
    }

    let ordered = |order: &str| json!({ "experiment_ids": [id], "order_by": [order] });
    let desc = api.ok_post("runs/search", ordered("metrics.acc DESC")).await;
    assert_eq!(run_names(&desc), ["r1", "r2", "r3"]);
    let asc = api.ok_post("runs/search", ordered("metrics.acc ASC")).await;
    assert_eq!(run_names(&asc), ["r3", "r2", "r1"]);
    let by_param = api
        .ok_post(
            "runs/search",
            json!({ "experiment_ids": [id], "order_by": ["params.lr ASC", "metrics.acc DESC"] }),
        )
        .await;
    assert_eq!(run_names(&by_param), ["r2", "r1", "r3"]);

    // A run as a search shows it: its status, latest metrics, parameters and tags.
    let r1 = &desc["runs"][0];
    assert_eq!(r1["info"]["status"], "FINISHED");
    assert_eq!(r1["data"]["metrics"][0]["value"].as_f64(), Some(0.9));
    assert_eq!(pair(&r1["data"]["params"], "lr"), Some("0.1"));
    assert_eq!(pair(&r1["data"]["tags"], "kind"), Some("sweep"));

    for filter in
        ["attributes.color = 'red'", "metrics.acc > 0.5 or params.lr = '0.1'", "metrics.acc >"]
    {
        api.invalid("runs/search", search(filter)).await;
    }
    api.invalid("runs/search", json!({ "experiment_ids": [id], "order_by": ["attributes.color"] }))
        .await;
}

#[tokio::test]
async fn searching_runs_pages_with_tokens_and_finds_nothing_deleted_or_in_unknown_experiments() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    for name in ["a", "b", "c", "d", "e"] {
        api.run(&id, name).await;
    }
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "experiment_ids": [id], "max_results": 2, "order_by": ["attributes.run_name ASC"] });
        if let Some(token) = &token {
            body["page_token"] = json!(token);
        }
        let page = api.ok_post("runs/search", body).await;
        sizes.push(count(&page, "runs"));
        seen.extend(run_names(&page));
        match page["next_page_token"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
        assert!(sizes.len() < 5, "paging does not end: {page}");
    }
    assert_eq!(
        (sizes, seen),
        (vec![2, 2, 1], ["a", "b", "c", "d", "e"].map(String::from).to_vec())
    );

    // The default order (newest first) pages without repeats too.
    let mut seen = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    for _ in 0..3 {
        let mut body = json!({ "experiment_ids": [id], "max_results": 2 });
        if let Some(token) = &token {
            body["page_token"] = json!(token);
        }
        let page = api.ok_post("runs/search", body).await;
        for name in run_names(&page) {
            assert!(seen.insert(name.clone()), "{name} twice");
        }
        token = page["next_page_token"].as_str().map(str::to_owned);
    }
    assert_eq!((seen.len(), token), (5, None));

    let deleted = api
        .ok_post("runs/search", json!({ "experiment_ids": [id], "run_view_type": "DELETED_ONLY" }))
        .await;
    assert_eq!(count(&deleted, "runs"), 0, "{deleted}");
    let all =
        api.ok_post("runs/search", json!({ "experiment_ids": [id], "run_view_type": "ALL" })).await;
    assert_eq!(count(&all, "runs"), 5);
    for unknown in [json!(["424242"]), json!(["abc"]), json!(["0"]), json!([])] {
        let found = api.ok_post("runs/search", json!({ "experiment_ids": unknown })).await;
        assert_eq!(count(&found, "runs"), 0, "{unknown}: {found}");
    }
    // An unknown id beside a known one is skipped.
    let mixed = api.ok_post("runs/search", json!({ "experiment_ids": ["424242", id] })).await;
    assert_eq!(count(&mixed, "runs"), 5);

    let message =
        api.invalid("runs/search", json!({ "experiment_ids": [id], "max_results": 0 })).await;
    assert!(message.contains("max_results"), "{message}");
    let message =
        api.invalid("runs/search", json!({ "experiment_ids": [id], "page_token": "%%%" })).await;
    assert!(message.contains("Invalid page token"), "{message}");
}

#[tokio::test]
async fn runs_without_the_ordered_metric_come_last_in_either_direction() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let low = api.run(&id, "low").await;
    let high = api.run(&id, "high").await;
    api.run(&id, "none").await;
    api.log_metric(&low, "acc", 0.1, 0).await;
    api.log_metric(&high, "acc", 0.9, 0).await;
    let ordered = |order: &str| json!({ "experiment_ids": [id], "order_by": [order] });
    let asc = api.ok_post("runs/search", ordered("metrics.acc ASC")).await;
    assert_eq!(run_names(&asc), ["low", "high", "none"]);
    let desc = api.ok_post("runs/search", ordered("metrics.acc DESC")).await;
    assert_eq!(run_names(&desc), ["high", "low", "none"]);
}

#[tokio::test]
async fn a_filter_comparing_a_parameter_to_an_unquoted_number_is_refused() {
    let api = api().await;
    let id = sweep(&api).await;
    let body = json!({ "experiment_ids": [id], "filter": "params.lr = 0.1" });
    let (status, answer) = answer(api.post("runs/search", body).await).await;
    assert_eq!(
        (status, answer["error_code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_PARAMETER_VALUE")),
        "{answer}"
    );
}

#[tokio::test]
async fn metric_history_pages_through_120_points_in_step_order() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    // Logged newest step first: the history comes back in step order all the same.
    let body = json!({ "run_id": run, "metrics": batch_metrics("loss", (0..120).rev()) });
    api.ok_post("runs/log-batch", body).await;

    let mut steps = Vec::new();
    let mut sizes = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut extra = vec![("max_results", "50".to_owned())];
        if let Some(token) = &token {
            extra.push(("page_token", token.clone()));
        }
        let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = api.history(&run, "loss", &extra).await;
        sizes.push(count(&page, "metrics"));
        for point in page["metrics"].as_array().unwrap() {
            let step = point["step"].as_i64().unwrap();
            assert_eq!(point["value"].as_f64(), Some(step as f64 / 10.0), "{point}");
            assert_eq!(
                (point["key"].as_str(), point["timestamp"].as_i64()),
                (Some("loss"), Some(T0))
            );
            steps.push(step);
        }
        match page["next_page_token"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
        assert!(sizes.len() < 5, "paging does not end: {page}");
    }
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(steps, (0..120).collect::<Vec<_>>());

    let whole = api.history(&run, "loss", &[]).await;
    assert_eq!(count(&whole, "metrics"), 120);
    assert!(whole.get("next_page_token").is_none(), "{whole}");
    let exact = api.history(&run, "loss", &[("max_results", "120")]).await;
    assert_eq!(count(&exact, "metrics"), 120);
    assert!(exact.get("next_page_token").is_none(), "a full last page has no token: {exact}");
    assert_eq!(count(&api.history(&run, "other", &[]).await, "metrics"), 0);

    for max in ["0", "25001", "-1", "ten"] {
        let query = [("run_id", run.as_str()), ("metric_key", "loss"), ("max_results", max)];
        let message = error(
            api.get("metrics/get-history", &query).await,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
        )
        .await;
        assert!(message.contains("max_results"), "{max}: {message}");
    }
    let query = [("run_id", run.as_str()), ("metric_key", "loss"), ("page_token", "bogus")];
    error(
        api.get("metrics/get-history", &query).await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    )
    .await;
    let message = error(
        api.get("metrics/get-history", &[("run_id", run.as_str())]).await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    )
    .await;
    assert!(message.contains("'metric_key'"), "{message}");
    let message = error(
        api.get("metrics/get-history", &[("run_id", "no-such-run"), ("metric_key", "loss")]).await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    assert_eq!(message, "Run with id=no-such-run not found");
}

// Artifacts.

#[tokio::test]
async fn an_artifact_put_is_listed_downloaded_and_among_the_runs_outputs() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let put = api.put_artifact(&format!("runs/{run}/dir/file.txt"), b"hello, world\n").await;
    assert_eq!(answer(put).await, (StatusCode::OK, json!({})));

    let outputs = api.studio("runs/outputs", &[("run", &run)]).await;
    let paths: Vec<(&str, i64)> = outputs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["path"].as_str().unwrap(), o["size"].as_i64().unwrap()))
        .collect();
    assert_eq!(paths, [("dir/file.txt", 13)]);

    let download = api.get_artifact(&format!("runs/{run}/dir/file.txt")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(&download.bytes().await.unwrap()[..], b"hello, world\n");

    let (status, root) = answer(api.list_artifacts(&format!("runs/{run}")).await).await;
    assert_eq!(
        (status, root),
        (StatusCode::OK, json!({ "files": [{ "path": "dir", "is_dir": true }] }))
    );
    let (status, dir) = answer(api.list_artifacts(&format!("runs/{run}/dir")).await).await;
    assert_eq!(
        (status, dir),
        (
            StatusCode::OK,
            json!({ "files": [{ "path": "file.txt", "is_dir": false, "file_size": 13 }] })
        )
    );

    // Putting again replaces the file.
    let put = api.put_artifact(&format!("runs/{run}/dir/file.txt"), b"bye").await;
    assert_eq!(put.status(), StatusCode::OK);
    let download = api.get_artifact(&format!("runs/{run}/dir/file.txt")).await;
    assert_eq!(&download.bytes().await.unwrap()[..], b"bye");
    let outputs = api.studio("runs/outputs", &[("run", &run)]).await;
    assert_eq!((outputs[0]["size"].as_i64(), count(&json!({ "o": outputs }), "o")), (Some(3), 1));
}

#[tokio::test]
async fn artifact_paths_that_climb_out_of_the_run_are_refused() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    api.put_artifact(&format!("runs/{run}/ok.txt"), b"ok").await;
    // `%2F` keeps the client from resolving the `..` away; the server decodes it.
    for path in
        [format!("runs/{run}/..%2Fescape.txt"), format!("runs/{run}/a/..%2F..%2Fescape.txt")]
    {
        let message = error(
            api.put_artifact(&path, b"x").await,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
        )
        .await;
        assert!(message.contains("Invalid artifact path"), "{path}: {message}");
        error(api.get_artifact(&path).await, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE")
            .await;
    }
    let outputs = api.studio("runs/outputs", &[("run", &run)]).await;
    assert_eq!(outputs.as_array().unwrap().len(), 1, "{outputs}");
}

#[tokio::test]
async fn listing_artifacts_with_dot_dot_in_the_path_is_refused() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    api.put_artifact(&format!("runs/{run}/ok.txt"), b"ok").await;
    error(
        api.list_artifacts(&format!("runs/{run}/../other")).await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    )
    .await;
}

#[tokio::test]
async fn artifacts_of_unknown_runs_and_missing_files_are_not_found() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let message = error(
        api.put_artifact("runs/no-such-run/x.txt", b"x").await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    assert_eq!(message, "Run with id=no-such-run not found");
    for path in [
        format!("runs/{run}/missing.txt"),
        "runs/no-such-run/x.txt".to_owned(),
        "experiments/1/x".to_owned(),
    ] {
        error(api.get_artifact(&path).await, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST")
            .await;
    }
    let message = error(
        api.list_artifacts("runs/no-such-run").await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;
    assert_eq!(message, "Run with id=no-such-run not found");
    let (status, empty) = answer(api.list_artifacts(&format!("runs/{run}")).await).await;
    assert_eq!((status, count(&empty, "files")), (StatusCode::OK, 0));
}

// Who may do what.

/// Every read of the API on Ada's workspace, as (method, address below the tracking URI, body).
fn reads(experiment: &str, run: &str) -> Vec<(&'static str, String, Value)> {
    let q = |path: &str| format!("api/2.0/mlflow/{path}");
    vec![
        ("GET", q(&format!("experiments/get?experiment_id={experiment}")), Value::Null),
        ("GET", q("experiments/get-by-name?experiment_name=mnist"), Value::Null),
        ("GET", q("experiments/search"), Value::Null),
        ("POST", q("experiments/search"), json!({})),
        ("GET", q(&format!("runs/get?run_id={run}")), Value::Null),
        ("POST", q("runs/search"), json!({ "experiment_ids": [experiment] })),
        ("GET", q(&format!("metrics/get-history?run_id={run}&metric_key=loss")), Value::Null),
        ("POST", q("logged-models/search"), json!({ "experiment_ids": [experiment] })),
        ("GET", format!("api/2.0/mlflow-artifacts/artifacts?path=runs/{run}"), Value::Null),
        ("GET", format!("api/2.0/mlflow-artifacts/artifacts/runs/{run}/notes.txt"), Value::Null),
    ]
}

/// Every write of the API on Ada's workspace.
fn writes(experiment: &str, run: &str) -> Vec<(&'static str, String, Value)> {
    let q = |path: &str| format!("api/2.0/mlflow/{path}");
    let metric = json!({ "run_id": run, "key": "loss", "value": 1.0, "step": 9, "timestamp": T0 });
    vec![
        ("POST", q("experiments/create"), json!({ "name": "other" })),
        ("POST", q("experiments/update"), json!({ "experiment_id": experiment, "new_name": "x" })),
        (
            "POST",
            q("experiments/set-experiment-tag"),
            json!({ "experiment_id": experiment, "key": "a", "value": "b" }),
        ),
        (
            "POST",
            q("experiments/delete-experiment-tag"),
            json!({ "experiment_id": experiment, "key": "team" }),
        ),
        ("POST", q("runs/create"), json!({ "experiment_id": experiment })),
        ("POST", q("runs/update"), json!({ "run_id": run, "status": "FINISHED" })),
        ("POST", q("runs/log-metric"), metric.clone()),
        ("POST", q("runs/log-parameter"), json!({ "run_id": run, "key": "new", "value": "1" })),
        ("POST", q("runs/log-batch"), json!({ "run_id": run, "metrics": [metric] })),
        ("POST", q("runs/set-tag"), json!({ "run_id": run, "key": "a", "value": "b" })),
        ("POST", q("runs/delete-tag"), json!({ "run_id": run, "key": "stage" })),
        ("POST", q("runs/log-inputs"), json!({ "run_id": run, "datasets": [] })),
        ("PUT", format!("api/2.0/mlflow-artifacts/artifacts/runs/{run}/new.txt"), json!("bytes")),
    ]
}

async fn call(
    uri: &str,
    secret: Option<&str>,
    (method, path, body): &(&str, String, Value),
) -> Response {
    let url = format!("{uri}/{path}");
    let client = script();
    let mut request = match *method {
        "GET" => client.get(url),
        "PUT" => client.put(url).body(body.to_string()),
        _ => client.post(url).json(body),
    };
    if let Some(secret) = secret {
        request = request.bearer_auth(secret);
    }
    request.send().await.expect("request sent")
}

/// Ada's experiment "mnist" (tagged) with a run that has a metric, a parameter, a tag and a
/// file: (experiment id, run id).
async fn furnished(api: &Api) -> (String, String) {
    let id = api.experiment("mnist", json!([{ "key": "team", "value": "vision" }])).await;
    let run = api.run(&id, "first").await;
    api.log_metric(&run, "loss", 0.5, 0).await;
    api.log_param(&run, "lr", "0.1").await;
    api.set_tag(&run, "stage", "dev").await;
    let put = api.put_artifact(&format!("runs/{run}/notes.txt"), b"notes").await;
    assert_eq!(put.status(), StatusCode::OK);
    (id, run)
}

#[tokio::test]
async fn a_readers_token_reads_everything_and_every_write_is_permission_denied() {
    let api = api().await;
    let (experiment, run) = furnished(&api).await;
    let bob = api.app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&api.app, &api.ada, "bob@example.com", "Reader").await;
    let bobs = token(&api.app, &bob, "reading", "everything", false).await;

    for read in reads(&experiment, &run) {
        let response = call(&api.uri, Some(&bobs), &read).await;
        assert_eq!(response.status(), StatusCode::OK, "{} {}", read.0, read.1);
    }
    let got = answer(call(&api.uri, Some(&bobs), &reads(&experiment, &run)[4]).await).await.1;
    assert_eq!(got["run"]["info"]["run_id"], run);
    for write in writes(&experiment, &run) {
        let (status, body) = answer(call(&api.uri, Some(&bobs), &write).await).await;
        assert_eq!(
            (status, body["error_code"].as_str()),
            (StatusCode::FORBIDDEN, Some("PERMISSION_DENIED")),
            "{} {}: {body}",
            write.0,
            write.1
        );
    }

    // Nothing changed.
    let data = api.run_by_id(&run).await;
    assert_eq!(data["info"]["status"], "RUNNING");
    assert_eq!(data["data"]["params"], json!([{ "key": "lr", "value": "0.1" }]));
    assert_eq!(pair(&data["data"]["tags"], "stage"), Some("dev"));
    assert_eq!(count(&api.history(&run, "loss", &[]).await, "metrics"), 1);
    assert_eq!(experiment_names(&api.ok_post("experiments/search", json!({})).await), ["mnist"]);
    let experiment_tags = api.experiment_by_id(&experiment).await["tags"].clone();
    assert_eq!(
        (pair(&experiment_tags, "team"), pair(&experiment_tags, "a")),
        (Some("vision"), None)
    );
    let outputs = api.studio("runs/outputs", &[("run", &run)]).await;
    assert_eq!(outputs.as_array().unwrap().len(), 1);
    let search = api.ok_post("runs/search", json!({ "experiment_ids": [experiment] })).await;
    assert_eq!(count(&search, "runs"), 1);
}

#[tokio::test]
async fn a_strangers_token_finds_nothing_to_read_or_write() {
    let api = api().await;
    let (experiment, run) = furnished(&api).await;
    let carol = api.app.signed_in("Carol", "carol@example.com").await;
    let carols = token(&api.app, &carol, "anything", "everything", false).await;
    for request in reads(&experiment, &run).into_iter().chain(writes(&experiment, &run)) {
        let (status, body) = answer(call(&api.uri, Some(&carols), &request).await).await;
        assert_eq!(
            (status, body["error_code"].as_str()),
            (StatusCode::NOT_FOUND, Some("RESOURCE_DOES_NOT_EXIST")),
            "{} {}: {body}",
            request.0,
            request.1
        );
        assert_eq!(body["message"], "No such workspace, or the token may not read it.");
    }
    let data = api.run_by_id(&run).await;
    assert_eq!(data["data"]["params"], json!([{ "key": "lr", "value": "0.1" }]));
    assert_eq!(count(&api.ok_post("experiments/search", json!({})).await, "experiments"), 1);
}

#[tokio::test]
async fn calls_without_a_token_are_unauthenticated() {
    let api = api().await;
    let (experiment, run) = furnished(&api).await;
    for request in reads(&experiment, &run).into_iter().chain(writes(&experiment, &run)) {
        let (status, body) = answer(call(&api.uri, None, &request).await).await;
        assert_eq!(
            (status, body["error_code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED")),
            "{} {}: {body}",
            request.0,
            request.1
        );
    }
    let data = api.run_by_id(&run).await;
    assert_eq!(data["info"]["status"], "RUNNING");
}

#[tokio::test]
async fn an_unknown_endpoint_under_the_tracking_uri_is_endpoint_not_found() {
    let api = api().await;
    for path in [
        "api/2.0/mlflow/runs/undelete",
        "api/2.0/mlflow/experiments/list",
        "api/2.0/mlflow/no-such/endpoint",
        "api/2.1/whatever",
    ] {
        for secret in [Some(api.token.as_str()), None] {
            let request = ("POST", path.to_owned(), json!({}));
            let message = error(
                call(&api.uri, secret, &request).await,
                StatusCode::NOT_FOUND,
                "ENDPOINT_NOT_FOUND",
            )
            .await;
            assert!(message.contains("not served"), "{path}: {message}");
        }
    }
}

#[tokio::test]
async fn a_malformed_json_body_is_an_invalid_parameter_value() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;
    let send = |endpoint: &str, body: &'static str| {
        script()
            .post(format!("{}/api/2.0/mlflow/{endpoint}", api.uri))
            .bearer_auth(&api.token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    for (endpoint, body) in [
        ("experiments/create", "{not json"),
        ("experiments/create", r#"{"name": 5}"#),
        ("runs/log-metric", r#"{"run_id": 5, "key": "loss", "value": 1, "timestamp": 1}"#),
        ("runs/log-metric", r#"{"run_id": "x", "key": "loss", "value": "high", "timestamp": 1}"#),
        ("runs/search", r#"{"experiment_ids": "1"}"#),
    ] {
        let message = error(
            send(endpoint, body).await.expect("sent"),
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
        )
        .await;
        assert!(message.contains("Malformed request body"), "{endpoint} {body}: {message}");
    }
    assert_eq!(experiment_names(&api.ok_post("experiments/search", json!({})).await), ["mnist"]);
    assert_eq!(api.run_by_id(&run).await["data"]["metrics"], json!([]));
}

// What the studio shows.

#[tokio::test]
async fn creating_a_run_through_the_api_is_in_the_workspace_activity_as_ada() {
    let api = api().await;
    let id = api.experiment("mnist", json!([])).await;
    let run = api.run(&id, "first").await;

    let log =
        api.app.json(&api.ada, "access/activity", &[("scope", WS_PATH)], StatusCode::OK).await;
    let events = log["events"].as_array().expect("events");
    let submitted = events
        .iter()
        .find(|e| e["action"].as_str().is_some_and(|a| a.ends_with("runs/submit/action")))
        .unwrap_or_else(|| panic!("no run submission in {log}"));
    assert_eq!(submitted["actor"], "Ada");
    assert_eq!(submitted["target"], run);
    assert_eq!(submitted["client_address"], "127.0.0.1");
    assert_eq!(submitted["scope"], WS_PATH);
    let created = events
        .iter()
        .find(|e| e["action"].as_str().is_some_and(|a| a.ends_with("experiments/write")))
        .unwrap_or_else(|| panic!("no experiment creation in {log}"));
    assert_eq!(
        (created["actor"].as_str(), created["target"].as_str()),
        (Some("Ada"), Some("mnist"))
    );

    let view = api.studio("runs/get", &[("run", &run)]).await;
    let activity = view["activity"].as_array().expect("the run's activity");
    assert_eq!(activity.len(), 1, "{view}");
    assert_eq!(activity[0]["actor"], "Ada");
    assert_eq!(activity[0]["what"], "submitted the run to mnist");
}
