//! Roles are kept between requests (`server/authz/role_cache.rs`), checked against the
//! organization's access generation that every change raises. Two server processes share one
//! database: this test's server and the real `atelier` binary started beside it. A change made
//! through either counts on the next request to the other, however warm its cache.

use std::process::Stdio;

use reqwest::{Client, StatusCode};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{app_with_workspace, TestApp};
use crate::membership::add_member;

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const PAGE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector/experiments";

/// The `atelier` binary serving the same database and data directory (so the same secret key
/// and sessions) on a port of its own; stopped when dropped.
pub(crate) struct OtherProcess {
    base_url: String,
    child: tokio::process::Child,
}

impl OtherProcess {
    pub(crate) async fn start(app: &TestApp) -> Self {
        let data_dir = app.state.settings.data_dir.clone();
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
            .env("ATELIER_DATABASE_URL", &app.database_url)
            .env("ATELIER_DATA_DIR", &data_dir)
            .env("ATELIER_SITE_ROOT", &data_dir)
            .env("ATELIER_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .env_remove("ATELIER_BASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting target's atelier binary");
        let mut lines = BufReader::new(child.stderr.take().expect("its stderr")).lines();
        let base_url = loop {
            let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
                .await
                .expect("the second server starts within a minute")
                .expect("reading its log")
                .expect("the second server stopped before it listened");
            // "… listening on http://127.0.0.1:PORT/"
            if let Some(at) = line.find("listening on ") {
                let url = line[at + "listening on ".len()..].split(['\x1b', ' ']).next();
                break url.unwrap_or_default().trim_end_matches('/').to_owned();
            }
        };
        // Keep reading its log, so a full pipe never stops it.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { base_url, child }
    }

    pub(crate) async fn status(&self, client: &Client, path: &str) -> StatusCode {
        client.get(format!("{}{path}", self.base_url)).send().await.expect("request").status()
    }

    pub(crate) async fn call(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> StatusCode {
        let url = format!("{}/api/{endpoint}", self.base_url);
        let request = client.post(url).header("Sec-Fetch-Site", "same-origin").form(form);
        request.send().await.expect("request").status()
    }
}

impl Drop for OtherProcess {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The id of `email`'s assignment at the workspace, as the owner's Access control page lists it.
pub(crate) async fn assignment_id(app: &TestApp, owner: &Client, email: &str) -> String {
    let access = app.json(owner, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let rows = access["assignments"].as_array().expect("assignments");
    let row = rows
        .iter()
        .find(|r| r["email"] == email && r["inherited"] == false)
        .expect("the member's assignment");
    row["id"].as_i64().expect("an id").to_string()
}

#[tokio::test]
async fn a_change_made_through_one_server_counts_on_the_next_request_to_another() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    add_member(&app, &ada, &bob, WS_SCOPE, "Reader").await;
    let other = OtherProcess::start(&app).await;

    // Bob's session works on both; the other process keeps his roles after these.
    for _ in 0..3 {
        assert_eq!(other.status(&bob, PAGE).await, StatusCode::OK);
        assert_eq!(other.call(&bob, "workspaces/get", &WS).await, StatusCode::OK);
    }
    let create = [WS[0], WS[1], WS[2], ("name", "churn"), ("description", ""), ("tags", "")];
    assert_eq!(other.call(&bob, "experiments/create", &create).await, StatusCode::FORBIDDEN);

    // Raised to Contributor through this process: the other lets him write at once.
    let id = assignment_id(&app, &ada, "bob@example.com").await;
    let change = [("scope", WS_SCOPE), ("assignment", id.as_str()), ("role", "Contributor")];
    assert_eq!(app.call(&ada, "access/change", &change).await.status(), StatusCode::OK);
    assert_eq!(other.call(&bob, "experiments/create", &create).await, StatusCode::OK);

    // Removed through the other process: this one, warm with Bob's roles, finds nothing
    // on his very next request.
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    let id = assignment_id(&app, &ada, "bob@example.com").await;
    let remove = [("scope", WS_SCOPE), ("assignment", id.as_str())];
    assert_eq!(other.call(&ada, "access/remove", &remove).await, StatusCode::OK);
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    let page = bob.get(app.url(PAGE)).send().await.expect("request");
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.status(&bob, PAGE).await, StatusCode::NOT_FOUND);
}

/// Saves the custom role `Run Writer` with `actions` (one pattern a line).
async fn save_run_writer(app: &TestApp, owner: &Client, original: &str, actions: &str) {
    let form = [
        ("organization", "contoso"),
        ("original", original),
        ("name", "Run Writer"),
        ("description", "Works on experiments"),
        ("actions", actions),
        ("not_actions", ""),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    let saved = app.call(owner, "roles/save", &form).await;
    assert_eq!(saved.status(), StatusCode::OK, "{}", saved.text().await.unwrap());
}

#[tokio::test]
async fn a_custom_role_narrowed_through_one_server_is_narrowed_on_the_other_at_once() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let read = "Microsoft.MachineLearningServices/workspaces/read\n\
                Microsoft.MachineLearningServices/workspaces/experiments/read";
    let write = "Microsoft.MachineLearningServices/workspaces/read\n\
                 Microsoft.MachineLearningServices/workspaces/experiments/*";
    save_run_writer(&app, &ada, "", write).await;
    add_member(&app, &ada, &bob, WS_SCOPE, "Run Writer").await;
    let other = OtherProcess::start(&app).await;
    let create = |name| [WS[0], WS[1], WS[2], ("name", name), ("description", ""), ("tags", "")];
    assert_eq!(other.call(&bob, "experiments/create", &create("one")).await, StatusCode::OK);

    // The role loses experiments/write through this process: the other refuses at once,
    // while what the role still allows goes on.
    save_run_writer(&app, &ada, "Run Writer", read).await;
    assert_eq!(other.call(&bob, "experiments/create", &create("two")).await, StatusCode::FORBIDDEN);
    assert_eq!(other.status(&bob, PAGE).await, StatusCode::OK);
}
