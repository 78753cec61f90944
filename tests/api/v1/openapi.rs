//! The OpenAPI document at `/api/v1/openapi.json`: valid OpenAPI 3.1 (checked by
//! `openapi-spec-validator` from PyPI), listing exactly what the router serves (probed on the
//! running server, method by method), and holding up under `schemathesis`, which calls every
//! operation with generated input and checks each answer against the document.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};
use crate::tracking_support::{script, token};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The Python with the tools of `tests/openapi/requirements.txt` (`cargo xtask test` makes
/// it and sets `ATELIER_OPENAPI_PYTHON`).
fn python() -> String {
    std::env::var("ATELIER_OPENAPI_PYTHON").expect(
        "ATELIER_OPENAPI_PYTHON: a Python with tests/openapi/requirements.txt installed \
         (cargo xtask test sets it up)",
    )
}

async fn document(app: &TestApp) -> Value {
    let response = script().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let (app, _) = app_with_workspace().await;
    let document = document(&app).await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"), "{}", document["openapi"]);
    let file = std::env::temp_dir().join(format!("atelier-openapi-{}.json", std::process::id()));
    std::fs::write(&file, document.to_string()).unwrap();
    let checked = tokio::process::Command::new(python())
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stdout).into_owned()
        + &String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "{said}");
    assert!(said.contains("OK"), "{said}");
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_router_serves() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "probe", "everything", true).await;
    let document = document(&app).await;
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 10, "{paths:?}");
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        let concrete: String = path
            .split('/')
            .map(|segment| if segment.starts_with('{') { "1" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        for method in METHODS {
            let documented = item.get(method).is_some();
            let response = script()
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    app.url(&concrete),
                )
                .bearer_auth(&secret)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let unknown =
                body["message"].as_str().is_some_and(|m| m.starts_with("No such API route"));
            if documented {
                assert!(
                    status != StatusCode::METHOD_NOT_ALLOWED && !unknown,
                    "{method} {path} is documented but not served: {status} {body}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not documented"
                );
            }
        }
    }
    // Anything else under /api/v1 is no route at all.
    let response =
        script().get(app.url("/api/v1/nothing/here")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_schema() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "fuzz", "everything", false).await;
    let run = tokio::process::Command::new(python())
        .args(["-m", "schemathesis.cli", "run"])
        .arg(app.url("/api/v1/openapi.json"))
        .args(["--url", &app.base_url])
        .args(["--header", &format!("Authorization: Bearer {secret}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--no-color",
        ])
        // Revoking tokens would revoke the one it calls with; tests/api/v1/access.rs has it.
        .args(["--exclude-path", "/api/v1/tokens/{id}"])
        // Hypothesis's checks on its own generation (slow or much-filtered input), not on the
        // API: a loaded machine trips them now and then.
        .args(["--suppress-health-check", "all"])
        .env("SCHEMATHESIS_HOOKS", "")
        // It keeps a cache of what it found in its working directory: not in the source tree.
        .current_dir(std::env::temp_dir())
        .output()
        .await
        .unwrap();
    let said =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
}
