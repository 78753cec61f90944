//! A real server on port 0 with a fresh database: a new SQLite file by default, or a new
//! Postgres database when ATELIER_TEST_BACKEND=postgres (then ATELIER_TEST_POSTGRES_URL must
//! point at a server where the role may create databases; a missing URL fails the test).
//! Each test's PostgreSQL database is dropped as the test ends (`test_databases`).

use atelier::server::config::Settings;
use atelier::server::startup::{Application, SECURE_SESSION_COOKIE, SESSION_COOKIE};
use reqwest::header::{HeaderMap, ACCEPT, COOKIE, REFERER, SET_COOKIE};
use reqwest::{redirect, Client, Response, StatusCode};
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub base_url: String,
    pub database_url: String,
    /// The server's clock: move it forward to see things expire.
    pub clock: atelier::server::clock::Clock,
    /// The server's state, to run its periodic housekeeping now.
    pub state: atelier::server::state::AppState,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    _data_dir: TempDir,
}

/// Stopping the server drops its pool, so its database connections close with the test; a
/// PostgreSQL database goes to the reaper (`WITH (FORCE)` ends connections still open).
impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        crate::test_databases::drop_when_done(&self.database_url);
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let database_url = match std::env::var("ATELIER_TEST_BACKEND").as_deref() {
        Ok("postgres") => crate::test_databases::fresh().await,
        Ok("sqlite") | Err(_) => format!("sqlite://{}/atelier.db", data_dir.path().display()),
        Ok(other) => panic!("unknown ATELIER_TEST_BACKEND {other:?}"),
    };
    let mut settings = test_settings(&database_url, data_dir.path());
    adjust(&mut settings);
    let app = Application::build(settings).await.expect("the application starts");
    let base_url = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let clock = state.clock.clone();
    let server = tokio::spawn(app.run_until_stopped());
    TestApp { base_url, database_url, clock, state, server, _data_dir: data_dir }
}

/// Settings for a server on a free port with its files in `dir`.
pub fn test_settings(database_url: &str, dir: &std::path::Path) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        listen: "127.0.0.1:0".parse().expect("address"),
        base_url: None,
        data_dir: dir.to_owned(),
        site_root: dir.to_owned(),
        // Tests move the server's clock by days (invitations expiring): sessions outlast that
        // unless a test sets its own limits.
        session_idle_minutes: 90 * 24 * 60,
        session_absolute_hours: 365 * 24,
        workspace_retention_days: 14,
        run_retention_days: 30,
        // Many servers share one PostgreSQL in a test run: keep each pool small.
        database_max_connections: 3,
        secret_key: None,
        admin_setup_token: None,
        invitation_days: 7,
        smtp: None,
        mail_from: "Atelier <atelier@example.com>".to_owned(),
    }
}

/// A server where Ada owns workspace `contoso/vision/detector`, and Ada's client.
pub async fn app_with_workspace() -> (TestApp, Client) {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    app.workspace_fixture(&ada, "contoso", "vision", "detector").await;
    (app, ada)
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        // A request that hangs fails its test instead of stalling the run.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Calls a server function the way the hydrated app does.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Sec-Fetch-Site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Submits a form the way a browser without JavaScript does.
    pub async fn submit_form(
        &self,
        client: &Client,
        page: &str,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Response {
        let request = self.page_post(client, page, endpoint).form(form);
        request.send().await.expect("request sent")
    }

    /// Submits a form with a file the way a browser without JavaScript does.
    pub async fn submit_multipart(
        &self,
        client: &Client,
        page: &str,
        endpoint: &str,
        form: reqwest::multipart::Form,
    ) -> Response {
        let request = self.page_post(client, page, endpoint).multipart(form);
        request.send().await.expect("request sent")
    }

    /// A post from a page's form: it wants a page back, and names the page and its origin.
    fn page_post(&self, client: &Client, page: &str, endpoint: &str) -> reqwest::RequestBuilder {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, self.url(page))
            .header("Origin", &self.base_url)
    }

    pub async fn sign_up(&self, client: &Client, name: &str, email: &str) -> Response {
        let form = [("display_name", name), ("email", email), ("password", PASSWORD)];
        self.call(client, "auth/sign_up", &form).await
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(client, "auth/sign_in", &[("email", email), ("password", password)]).await
    }

    pub async fn sign_out(&self, client: &Client) -> Response {
        self.call(client, "auth/sign_out", &[]).await
    }

    /// The signed-in person as JSON (`null` for a visitor).
    pub async fn current_user(&self, client: &Client) -> serde_json::Value {
        let response = self.call(client, "auth/current_user", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("JSON")
    }

    /// Signs up a new person on a fresh client, returning that client.
    pub async fn signed_in(&self, name: &str, email: &str) -> Client {
        let client = client();
        let response = self.sign_up(&client, name, email).await;
        assert_eq!(response.status(), StatusCode::OK, "signing up {email}");
        client
    }

    /// Creates organization `slug` with a resource group `group` and one development workspace
    /// `workspace` in it, as `client`.
    pub async fn workspace_fixture(
        &self,
        client: &Client,
        slug: &str,
        group: &str,
        workspace: &str,
    ) {
        let created =
            self.call(client, "organizations/create", &[("name", slug), ("slug", slug)]).await;
        assert_eq!(created.status(), StatusCode::OK, "creating organization {slug}");
        let created = self.create_workspace(client, &format!("{slug}/"), group, workspace).await;
        assert_eq!(created.status(), StatusCode::OK, "creating workspace {workspace}");
    }

    /// Creates a workspace at `placement` (`org/group`, or `org/` with `new_group`).
    pub async fn create_workspace(
        &self,
        client: &Client,
        placement: &str,
        new_group: &str,
        name: &str,
    ) -> Response {
        let form = [
            ("placement", placement),
            ("new_resource_group", new_group),
            ("name", name),
            ("display_name", ""),
            ("environment", "development"),
            ("description", "Image models"),
            ("tags", "team=vision"),
        ];
        self.call(client, "workspaces/create", &form).await
    }

    /// A server function's JSON answer, asserting its status.
    pub async fn json(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
        status: StatusCode,
    ) -> serde_json::Value {
        let response = self.call(client, endpoint, form).await;
        assert_eq!(response.status(), status, "{endpoint} {form:?}");
        response.json().await.expect("JSON")
    }

    pub async fn user_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool().await)
            .await
            .expect("counting users")
    }

    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database_url).await.expect("test database")
    }
}

/// The value of the session cookie a response sets, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    set_cookie_header(headers).and_then(|header| {
        header
            .split(';')
            .next()
            .and_then(|pair| pair.strip_prefix(&format!("{SESSION_COOKIE}=")))
            .map(str::to_owned)
    })
}

/// The whole `Set-Cookie` header for the session cookie (either name), attributes included.
pub fn set_cookie_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| {
            v.starts_with(&format!("{SESSION_COOKIE}="))
                || v.starts_with(&format!("{SECURE_SESSION_COOKIE}="))
        })
        .map(str::to_owned)
}

/// A client with no cookie jar that sends exactly this session cookie.
pub async fn current_user_with_cookie(app: &TestApp, cookie: &str) -> serde_json::Value {
    let response = Client::new()
        .post(app.url("/api/auth/current_user"))
        .header(COOKIE, format!("{SESSION_COOKIE}={cookie}"))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

/// Every file below `dir`.
pub fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] })
        .collect()
}

/// Seed 003's custom role as its page writes it, with real names in its Azure-shaped scope:
/// workspace `contoso/{group}/{workspace}`.
pub fn seed_003_role(group: &str, workspace: &str) -> String {
    format!(
        r#"{{
    "Name": "Data Scientist",
    "IsCustom": true,
    "Description": "Can run experiment but can't create or delete compute.",
    "Actions": ["*"],
    "NotActions": [
        "Microsoft.MachineLearningServices/workspaces/*/delete",
        "Microsoft.MachineLearningServices/workspaces/computes/*/write",
        "Microsoft.MachineLearningServices/workspaces/computes/*/delete",
        "Microsoft.Authorization/*/write"
    ],
    "AssignableScopes": [
        "/subscriptions/contoso/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}"
    ]
}}"#
    )
}
