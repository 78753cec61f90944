//! The real `mlflow` client from PyPI (installed by `cargo xtask test` into
//! target/mlflow-venv) runs tests/mlflow/client_flow.py against a server on port 0: an owner's
//! token logs two runs with parameters, 50-step metrics, tags and artifacts, searches, reads
//! history and downloads; then the same objects are read back through the studio's server
//! functions. A Reader's token fails on its first write, a revoked token is unauthenticated,
//! and a token for another workspace sees nothing.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};
use crate::tracking_support::{detector, grant_on_detector, token, WS_PATH};

/// The Python with `mlflow` installed: ATELIER_MLFLOW_PYTHON, or the venv xtask makes.
fn python() -> String {
    std::env::var("ATELIER_MLFLOW_PYTHON")
        .unwrap_or_else(|_| format!("{}/target/mlflow-venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}

/// Runs the client script in `mode` with `env`; returns its JSON line, or panics with its
/// output when it fails.
async fn run_client(mode: &str, env: Vec<(&'static str, String)>) -> Value {
    let script = format!("{}/tests/mlflow/client_flow.py", env!("CARGO_MANIFEST_DIR"));
    let python = python();
    let argument = mode.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(&python);
        command.arg(&script).arg(&argument);
        for key in ["MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"]
        {
            command.env_remove(key);
        }
        // Fail fast instead of retrying refused calls with back-off.
        command
            .env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
            .env("MLFLOW_HTTP_REQUEST_TIMEOUT", "30");
        command.envs(env);
        command.output().unwrap_or_else(|e| {
            panic!(
                "running {python}: {e}. `cargo xtask test` installs mlflow into target/mlflow-venv"
            )
        })
    })
    .await
    .expect("the client ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "client_flow.py {mode:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn with_token(uri: &str, secret: &str) -> Vec<(&'static str, String)> {
    vec![("MLFLOW_TRACKING_URI", uri.to_owned()), ("MLFLOW_TRACKING_TOKEN", secret.to_owned())]
}

async fn studio(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    extra: &[(&str, &str)],
) -> Value {
    let mut form =
        vec![("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
    form.extend_from_slice(extra);
    app.json(client, endpoint, &form, StatusCode::OK).await
}

#[tokio::test]
async fn the_mlflow_client_logs_searches_and_downloads_and_the_studio_shows_it() {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let secret = token(&app, &ada, "training", WS_PATH, false).await;
    let made = run_client("owner", with_token(&uri, &secret)).await;
    let runs: Vec<String> =
        made["runs"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect();

    // The studio shows the same experiment and runs.
    let experiment = studio(&app, &ada, "experiments/get", &[("experiment", "mnist-cnn")]).await;
    assert_eq!(experiment["experiment"]["name"], "mnist-cnn");
    let view = studio(&app, &ada, "runs/get", &[("run", &runs[0])]).await;
    let run = &view["run"];
    assert_eq!(run["display_name"], "lr-0.1");
    assert_eq!(run["status"], "Completed");
    assert_eq!(run["user_name"], "Ada");
    assert!(run["params"].as_array().unwrap().contains(&serde_json::json!(["lr", "0.1"])), "{run}");
    assert!(
        run["tags"].as_array().unwrap().contains(&serde_json::json!(["stage", "dev"])),
        "{run}"
    );
    let loss = run["metrics"].as_array().unwrap().iter().find(|m| m["key"] == "loss").unwrap();
    assert_eq!((loss["points"].as_i64(), loss["step"].as_i64()), (Some(50), Some(49)));
    let outputs = studio(&app, &ada, "runs/outputs", &[("run", &runs[0])]).await;
    let paths: Vec<&str> =
        outputs.as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["model/MLmodel", "model/model.pkl", "notes-0.1.txt"]);
    let model = studio(&app, &ada, "models/get", &[("model", "digits-classifier")]).await;
    assert_eq!(model["model"]["description"], "Handwritten digits", "{model}");
    let versions = model["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["stage"], "Production");
    assert_eq!(versions[0]["stage"], "Staging");
    // MLflow 3's log_model: the logged model's files are the run's outputs, and the version
    // registered from models:/m-… holds a copy of them.
    let adder_run = made["adder_run"].as_str().unwrap();
    let outputs = studio(&app, &ada, "runs/outputs", &[("run", adder_run)]).await;
    let paths: Vec<&str> =
        outputs.as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    for file in ["model/MLmodel", "model/python_model.pkl", "scratch/MLmodel"] {
        assert!(paths.contains(&file), "{file} not among {paths:?}");
    }
    let adder = studio(&app, &ada, "models/get", &[("model", "adder")]).await;
    assert_eq!(adder["versions"][0]["source_run"]["Run"]["name"], adder_run, "{adder}");
    let view = studio(&app, &ada, "runs/get", &[("run", adder_run)]).await;
    let acc = view["run"]["metrics"].as_array().unwrap().iter().find(|m| m["key"] == "acc");
    assert_eq!(acc.unwrap()["points"], 1, "the model's metrics are not repeated: {view}");

    let listed = studio(&app, &ada, "runs/list", &[]).await;
    assert_eq!(listed["runs"].as_array().unwrap().len(), 3);

    // The experiment the script left deleted (restorable through the API) is not in the studio.
    let scratch = [
        ("organization", "contoso"),
        ("resource_group", "vision"),
        ("workspace", "detector"),
        ("experiment", "scratch"),
    ];
    let hidden = app.call(&ada, "experiments/get", &scratch).await.status();
    assert_eq!(hidden, StatusCode::NOT_FOUND);
    let names = studio(&app, &ada, "experiments/list", &[]).await;
    assert!(!names.to_string().contains("scratch"), "{names}");

    // A Reader (basic auth, as MLFLOW_TRACKING_USERNAME/PASSWORD) reads and cannot write.
    let bob = app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&app, &ada, "bob@example.com", "Reader").await;
    let bobs = token(&app, &bob, "reading", "everything", false).await;
    let env = vec![
        ("MLFLOW_TRACKING_URI", uri.clone()),
        ("MLFLOW_TRACKING_USERNAME", "bob".to_owned()),
        ("MLFLOW_TRACKING_PASSWORD", bobs.clone()),
    ];
    let read = run_client("reader", env).await;
    assert_eq!(read["write"], "PERMISSION_DENIED");

    // Revoked: unauthenticated.
    let id =
        app.json(&bob, "tokens/list", &[], StatusCode::OK).await["tokens"][0]["id"].to_string();
    assert_eq!(
        app.call(&bob, "tokens/revoke", &[("id", id.as_str())]).await.status(),
        StatusCode::OK
    );
    run_client("refused", with_token(&uri, &bobs)).await;

    // A token for Bob's own workspace sees nothing in Ada's, though Bob may read it.
    app.workspace_fixture(&bob, "bobs", "lab", "sandbox").await;
    let sandbox = token(
        &app,
        &bob,
        "sandbox",
        "/organizations/bobs/resourceGroups/lab/workspaces/sandbox",
        false,
    )
    .await;
    run_client("stranger", with_token(&uri, &sandbox)).await;
}
