//! MLflow 3's logged models over the tracking API, as `mlflow.<flavor>.log_model` drives it:
//! created in their run (whose outputs hold their files), read, finalized, tagged, given
//! parameters and metrics, searched, named as run outputs, registered from `models:/m-…`,
//! deleted; who may do what; and that they go with their run and their workspace.

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, TestApp};
use crate::tracking_support::{answer, detector, error, grant_on_detector, script, token, WS_PATH};

/// A timestamp in epoch milliseconds.
const T0: i64 = 1_700_000_000_000;
const STUDIO: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

/// Ada's workspace, her browser, its tracking URI and a token of hers for it.
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

/// Sends `body` (none for GET) to `{uri}/api/2.0/mlflow/{endpoint}` with `secret`.
async fn send(uri: &str, secret: &str, method: Method, endpoint: &str, body: Value) -> Response {
    let url = format!("{uri}/api/2.0/mlflow/{endpoint}");
    let mut request = script().request(method.clone(), url).bearer_auth(secret);
    if method != Method::GET {
        request = request.json(&body);
    }
    request.send().await.expect("request sent")
}

impl Api {
    async fn call(&self, method: Method, endpoint: &str, body: Value) -> Response {
        send(&self.uri, &self.token, method, endpoint, body).await
    }

    /// Asserts 200 and returns the body.
    async fn ok(&self, method: Method, endpoint: &str, body: Value) -> Value {
        let (status, answer) = answer(self.call(method, endpoint, body.clone()).await).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {body}: {answer}");
        answer
    }

    /// Asserts MLflow's error answer and returns its message.
    async fn refused(&self, method: Method, endpoint: &str, body: Value, code: &str) -> String {
        let status = match code {
            "RESOURCE_DOES_NOT_EXIST" => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        };
        error(self.call(method, endpoint, body).await, status, code).await
    }

    /// An experiment with a running run: (experiment id, run id).
    async fn experiment_with_run(&self, name: &str) -> (String, String) {
        let made = self.ok(Method::POST, "experiments/create", json!({ "name": name })).await;
        let experiment = made["experiment_id"].as_str().unwrap().to_owned();
        let body = json!({ "experiment_id": experiment, "start_time": T0 });
        let run = self.ok(Method::POST, "runs/create", body).await;
        (experiment, run["run"]["info"]["run_id"].as_str().unwrap().to_owned())
    }

    /// Creates a logged model of `run` named `name`, returning the LoggedModel.
    async fn create(&self, experiment: &str, run: &str, name: &str) -> Value {
        let body = json!({
            "experiment_id": experiment,
            "source_run_id": run,
            "name": name,
            "model_type": "regressor",
            "params": [{ "key": "alpha", "value": "0.5" }],
            "tags": [{ "key": "team", "value": "vision" }],
        });
        self.ok(Method::POST, "logged-models", body).await["model"].clone()
    }

    async fn get(&self, model_id: &str) -> Value {
        self.ok(Method::GET, &format!("logged-models/{model_id}"), Value::Null).await["model"]
            .clone()
    }

    async fn put_artifact(&self, path: &str, bytes: &'static [u8]) {
        let url = format!("{}/api/2.0/mlflow-artifacts/artifacts/{path}", self.uri);
        let put = script().put(url).bearer_auth(&self.token).body(bytes).send().await.unwrap();
        assert_eq!(put.status(), StatusCode::OK, "uploading {path}");
    }

    /// A studio server function's answer about Ada's workspace, as Ada.
    async fn studio(&self, endpoint: &str, extra: &[(&str, &str)]) -> Value {
        let form: Vec<(&str, &str)> = STUDIO.iter().chain(extra).copied().collect();
        self.app.json(&self.ada, endpoint, &form, StatusCode::OK).await
    }

    async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }
}

fn id_of(model: &Value) -> String {
    model["info"]["model_id"].as_str().expect("a model id").to_owned()
}

#[tokio::test]
async fn a_logged_model_lives_in_its_run_and_is_finalized_tagged_and_deleted() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let model = api.create(&experiment, &run, "model").await;
    let id = id_of(&model);
    assert!(id.starts_with("m-") && id.len() == 34, "{id}");
    assert!(id[2..].chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let info = &model["info"];
    assert_eq!(info["artifact_uri"], format!("mlflow-artifacts:/runs/{run}/model"));
    assert_eq!(info["status"], "LOGGED_MODEL_PENDING");
    assert_eq!((&info["source_run_id"], &info["experiment_id"]), (&json!(run), &json!(experiment)));
    assert_eq!((&info["name"], &info["model_type"]), (&json!("model"), &json!("regressor")));
    assert_eq!(info["tags"], json!([{ "key": "team", "value": "vision" }]));
    assert_eq!(model["data"]["params"], json!([{ "key": "alpha", "value": "0.5" }]));

    // A second model of that name in the run gets a folder of its own.
    let second = id_of(&api.create(&experiment, &run, "model").await);
    let uri = api.get(&second).await["info"]["artifact_uri"].clone();
    assert_eq!(uri, format!("mlflow-artifacts:/runs/{run}/model-{second}"));

    let path = format!("logged-models/{id}");
    let ready = json!({ "model_id": id, "status": "LOGGED_MODEL_READY" });
    let finalized = api.ok(Method::PATCH, &path, ready).await;
    assert_eq!(finalized["model"]["info"]["status"], "LOGGED_MODEL_READY");
    let pending = json!({ "model_id": id, "status": "LOGGED_MODEL_PENDING" });
    api.refused(Method::PATCH, &path, pending, "INVALID_PARAMETER_VALUE").await;

    let tags =
        json!({ "tags": [{ "key": "stage", "value": "dev" }, { "key": "team", "value": "ml" }] });
    api.ok(Method::PATCH, &format!("{path}/tags"), tags).await;
    api.ok(Method::DELETE, &format!("{path}/tags/stage"), json!({})).await;
    let missing_tag = format!("{path}/tags/stage");
    api.refused(Method::DELETE, &missing_tag, json!({}), "RESOURCE_DOES_NOT_EXIST").await;
    let params =
        json!({ "params": [{ "key": "beta", "value": "2" }, { "key": "alpha", "value": "0.5" }] });
    api.ok(Method::POST, &format!("{path}/params"), params).await;
    let changed = json!({ "params": [{ "key": "alpha", "value": "0.9" }] });
    api.refused(Method::POST, &format!("{path}/params"), changed, "INVALID_PARAMETER_VALUE").await;
    let read = api.get(&id).await;
    assert_eq!(read["info"]["tags"], json!([{ "key": "team", "value": "ml" }]));
    let params = json!([{ "key": "alpha", "value": "0.5" }, { "key": "beta", "value": "2" }]);
    assert_eq!(read["data"]["params"], params);

    api.ok(Method::DELETE, &path, json!({})).await;
    api.refused(Method::GET, &path, Value::Null, "RESOURCE_DOES_NOT_EXIST").await;
    let deleted = format!("{path}?allow_deleted=true");
    api.refused(Method::GET, &deleted, Value::Null, "RESOURCE_DOES_NOT_EXIST").await;
    api.refused(Method::DELETE, &path, json!({}), "RESOURCE_DOES_NOT_EXIST").await;
}

#[tokio::test]
async fn a_logged_model_needs_a_run_of_the_experiment_given() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let (other, _) = api.experiment_with_run("cifar").await;
    let alone = json!({ "experiment_id": experiment, "name": "model" });
    let message =
        api.refused(Method::POST, "logged-models", alone, "INVALID_PARAMETER_VALUE").await;
    assert!(message.contains("mlflow.start_run()"), "{message}");
    let elsewhere = json!({ "experiment_id": other, "source_run_id": run });
    let message =
        api.refused(Method::POST, "logged-models", elsewhere, "INVALID_PARAMETER_VALUE").await;
    assert!(message.contains("experiment"), "{message}");
    let unknown = json!({ "experiment_id": experiment, "source_run_id": "no-such-run" });
    api.refused(Method::POST, "logged-models", unknown, "RESOURCE_DOES_NOT_EXIST").await;
    for bad in ["a/b", "model.pkl", "it's"] {
        let body = json!({ "experiment_id": experiment, "source_run_id": run, "name": bad });
        api.refused(Method::POST, "logged-models", body, "INVALID_PARAMETER_VALUE").await;
    }
    // No name: MLflow's "model".
    let body = json!({ "experiment_id": experiment, "source_run_id": run });
    assert_eq!(api.ok(Method::POST, "logged-models", body).await["model"]["info"]["name"], "model");
}

#[tokio::test]
async fn logged_models_are_searched_by_name_params_tags_status_and_metrics() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let first = id_of(&api.create(&experiment, &run, "model").await);
    let second = id_of(&api.create(&experiment, &run, "other").await);
    let ready = json!({ "status": "LOGGED_MODEL_READY" });
    api.ok(Method::PATCH, &format!("logged-models/{second}"), ready).await;
    let metric =
        json!({ "key": "acc", "value": 0.9, "step": 0, "timestamp": T0, "model_id": second });
    api.ok(Method::POST, "runs/log-batch", json!({ "run_id": run, "metrics": [metric] })).await;
    let search = |filter: &str| json!({ "experiment_ids": [experiment], "filter": filter, "max_results": 10 });
    let ids = |body: &Value| -> Vec<String> {
        body["models"].as_array().unwrap().iter().map(id_of).collect()
    };
    let all = api.ok(Method::POST, "logged-models/search", search("")).await;
    assert_eq!(ids(&all), [second.clone(), first.clone()], "newest first");
    for (filter, expected) in [
        ("name = 'model'", vec![first.clone()]),
        ("name LIKE 'oth%'", vec![second.clone()]),
        ("params.alpha = '0.5' AND tags.team != 'ml'", vec![second.clone(), first.clone()]),
        ("status = 'READY'", vec![second.clone()]),
        ("metrics.acc > 0.5", vec![second.clone()]),
        (&format!("source_run_id = '{run}' AND name != 'other'"), vec![first.clone()]),
    ] {
        let found = api.ok(Method::POST, "logged-models/search", search(filter)).await;
        assert_eq!(ids(&found), expected, "{filter}");
    }
    let ordered = json!({
        "experiment_ids": [experiment],
        "order_by": [{ "field_name": "name", "ascending": true }],
        "max_results": 1,
    });
    let page = api.ok(Method::POST, "logged-models/search", ordered.clone()).await;
    assert_eq!(ids(&page), std::slice::from_ref(&first));
    let mut next = ordered;
    next["page_token"] = page["next_page_token"].clone();
    assert_eq!(ids(&api.ok(Method::POST, "logged-models/search", next).await), [second]);
    let bad = search("shape = 'round'");
    api.refused(Method::POST, "logged-models/search", bad, "INVALID_PARAMETER_VALUE").await;
    let other = json!({ "experiment_ids": ["999"] });
    let none = api.ok(Method::POST, "logged-models/search", other).await;
    assert_eq!(none["models"], json!([]));
}

#[tokio::test]
async fn model_metrics_stay_on_the_model_and_are_not_repeated_in_the_runs_history() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    let point = json!({ "run_id": run, "key": "acc", "value": 0.9, "step": 0, "timestamp": T0 });
    api.ok(Method::POST, "runs/log-metric", point).await;
    // What `Model.log` sends: the run's points at the step, now with the model's id.
    let again = json!({ "key": "acc", "value": 0.9, "step": 0, "timestamp": T0, "model_id": id });
    let fresh = json!({ "key": "loss", "value": 0.1, "step": 0, "timestamp": T0, "model_id": id,
        "dataset_name": "test", "dataset_digest": "abc" });
    let batch = json!({ "run_id": run, "metrics": [again.clone(), fresh] });
    api.ok(Method::POST, "runs/log-batch", batch.clone()).await;
    api.ok(Method::POST, "runs/log-batch", batch).await;

    let history = |key: &str| format!("metrics/get-history?run_id={run}&metric_key={key}");
    let acc = api.ok(Method::GET, &history("acc"), Value::Null).await;
    assert_eq!(acc["metrics"].as_array().unwrap().len(), 1, "{acc}");
    let loss = api.ok(Method::GET, &history("loss"), Value::Null).await;
    assert_eq!(loss["metrics"].as_array().unwrap().len(), 1, "{loss}");
    let metrics = api.get(&id).await["data"]["metrics"].clone();
    assert_eq!(metrics.as_array().unwrap().len(), 2, "{metrics}");
    assert_eq!((&metrics[0]["key"], &metrics[0]["model_id"]), (&json!("acc"), &json!(id)));
    assert_eq!((&metrics[1]["dataset_name"], &metrics[1]["run_id"]), (&json!("test"), &json!(run)));

    let unknown = json!({ "run_id": run, "metrics": [{ "key": "acc", "value": 1.0, "step": 1,
        "timestamp": T0, "model_id": "m-00000000000000000000000000000000" }] });
    api.refused(Method::POST, "runs/log-batch", unknown, "RESOURCE_DOES_NOT_EXIST").await;
    let after = api.ok(Method::GET, &history("acc"), Value::Null).await;
    assert_eq!(after["metrics"].as_array().unwrap().len(), 1, "nothing of a refused batch stays");
}

#[tokio::test]
async fn a_run_names_the_models_it_produced_as_its_outputs() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    let outputs = json!({ "run_id": run, "models": [{ "model_id": id, "step": 3 }] });
    api.ok(Method::POST, "runs/outputs", outputs).await;
    let read = api.ok(Method::GET, &format!("runs/get?run_id={run}"), Value::Null).await;
    let expected = json!([{ "model_id": id, "step": 3 }]);
    assert_eq!(read["run"]["outputs"]["model_outputs"], expected);
    let unknown = json!({ "run_id": run, "models": [{ "model_id": "m-nope", "step": 0 }] });
    api.refused(Method::POST, "runs/outputs", unknown, "RESOURCE_DOES_NOT_EXIST").await;
}

#[tokio::test]
async fn registering_a_logged_model_copies_its_folder_from_its_run() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    api.put_artifact(&format!("runs/{run}/model/MLmodel"), b"flavors: {}\n").await;
    api.put_artifact(&format!("runs/{run}/model/python_model.pkl"), b"weights").await;
    api.ok(Method::POST, "registered-models/create", json!({ "name": "adder" })).await;
    let source = format!("models:/{id}");
    let body = json!({ "name": "adder", "source": source, "model_id": id });
    let version =
        api.ok(Method::POST, "model-versions/create", body).await["model_version"].clone();
    assert_eq!((&version["version"], &version["source"]), (&json!("1"), &json!(source)));
    assert_eq!((&version["model_id"], &version["run_id"]), (&json!(id), &json!(run)));

    let url = format!("{}/api/2.0/mlflow-artifacts/artifacts/models/adder/1/MLmodel", api.uri);
    let file = script().get(url).bearer_auth(&api.token).send().await.unwrap();
    assert_eq!(file.text().await.unwrap(), "flavors: {}\n");
    let model = api.studio("models/get", &[("model", "adder")]).await;
    assert_eq!(model["versions"][0]["source_run"]["Run"]["name"], run.as_str(), "{model}");
    let outputs = api.studio("runs/outputs", &[("run", &run)]).await;
    let paths: Vec<&str> =
        outputs.as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["model/MLmodel", "model/python_model.pkl"]);

    let other = json!({ "name": "adder", "source": source, "model_id": "m-other" });
    api.refused(Method::POST, "model-versions/create", other, "INVALID_PARAMETER_VALUE").await;
    let gone = json!({ "name": "adder", "source": "models:/m-0123" });
    api.refused(Method::POST, "model-versions/create", gone, "RESOURCE_DOES_NOT_EXIST").await;
}

#[tokio::test]
async fn a_reader_reads_logged_models_and_cannot_change_them_and_a_stranger_finds_none() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    let bob = api.app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&api.app, &api.ada, "bob@example.com", "Reader").await;
    let reader = token(&api.app, &bob, "reader", WS_PATH, false).await;
    let carol = api.app.signed_in("Carol", "carol@example.com").await;
    let stranger = token(&api.app, &carol, "stranger", "everything", false).await;
    let path = format!("logged-models/{id}");

    let read = send(&api.uri, &reader, Method::GET, &path, Value::Null).await;
    assert_eq!(answer(read).await.1["model"]["info"]["model_id"], id.as_str());
    let create = json!({ "experiment_id": experiment, "source_run_id": run });
    let tags = json!({ "tags": [{ "key": "a", "value": "b" }] });
    for (method, endpoint, body) in [
        (Method::POST, "logged-models".to_owned(), create),
        (Method::PATCH, format!("{path}/tags"), tags),
        (Method::PATCH, path.clone(), json!({ "status": "LOGGED_MODEL_READY" })),
        (Method::DELETE, path.clone(), json!({})),
    ] {
        let refused = send(&api.uri, &reader, method, &endpoint, body).await;
        error(refused, StatusCode::FORBIDDEN, "PERMISSION_DENIED").await;
    }
    let hidden = send(&api.uri, &stranger, Method::GET, &path, Value::Null).await;
    error(hidden, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST").await;
    let search = json!({ "experiment_ids": [experiment] });
    let hidden = send(&api.uri, &stranger, Method::POST, "logged-models/search", search).await;
    error(hidden, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST").await;
}

#[tokio::test]
async fn logged_models_go_with_their_run_and_with_their_workspace() {
    let api = api().await;
    let (experiment, run) = api.experiment_with_run("mnist").await;
    let (_, keeper) = api.experiment_with_run("cifar").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    // Another run naming the model as its output loses that output with the model.
    let outputs = json!({ "run_id": keeper, "models": [{ "model_id": id, "step": 0 }] });
    api.ok(Method::POST, "runs/outputs", outputs).await;
    let deleted = api
        .app
        .call(&api.ada, "runs/delete", &[STUDIO.as_slice(), &[("run", &run)]].concat())
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!((api.count("logged_models").await, api.count("run_model_outputs").await), (0, 0));
    api.refused(
        Method::GET,
        &format!("logged-models/{id}"),
        Value::Null,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;

    let (experiment, run) = api.experiment_with_run("imagenet").await;
    let id = id_of(&api.create(&experiment, &run, "model").await);
    let outputs = json!({ "run_id": run, "models": [{ "model_id": id, "step": 0 }] });
    api.ok(Method::POST, "runs/outputs", outputs).await;
    let delete = [STUDIO.as_slice(), &[("confirm_name", "detector")]].concat();
    assert_eq!(api.app.call(&api.ada, "workspaces/delete", &delete).await.status(), StatusCode::OK);
    let purge = api.app.call(&api.ada, "workspaces/purge", &STUDIO).await;
    assert_eq!(purge.status(), StatusCode::OK);
    for table in ["logged_models", "run_model_outputs", "runs"] {
        assert_eq!(api.count(table).await, 0, "{table} keeps rows of a purged workspace");
    }
}
