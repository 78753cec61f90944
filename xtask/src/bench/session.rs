//! What the workloads need from a running server before the load starts: a signed-in session
//! and an access token (Atelier), and for the tracking API of either server the benchmark
//! experiments' ids and a few runs to log to.

use anyhow::{bail, Context};
use serde_json::{json, Value};

use super::data::{Dataset, WORKSPACE};
use super::http::{form, Request, Response};

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
/// Runs the logging workloads write to, in turn.
const LOG_RUNS: usize = 8;

/// A signed-in Atelier session.
pub struct Session {
    pub port: u16,
    /// `name=value` of the session cookie.
    pub cookie: String,
    pub email: String,
    pub password: String,
}

impl Session {
    pub fn sign_in(port: u16, dataset: &Dataset) -> anyhow::Result<Self> {
        let response = sign_in_request(&dataset.email, &dataset.password).send(port)?;
        let cookie = session_cookie(&response)
            .with_context(|| format!("signing in: HTTP {} {}", response.status, response.text()))?;
        let email = dataset.email.clone();
        Ok(Self { port, cookie, email, password: dataset.password.clone() })
    }

    /// A server function call as the app's own pages make it.
    pub fn server_fn(&self, endpoint: &str, pairs: &[(&str, &str)]) -> Request {
        Request::post(format!("/api/{endpoint}"), FORM, form(pairs))
            .header("Accept", JSON)
            .header("Sec-Fetch-Site", "same-origin")
            .header("Cookie", &self.cookie)
    }

    /// A page as a browser asks for it (less the compression it accepts).
    pub fn page(&self, path: &str) -> Request {
        Request::get(path).header("Accept", "text/html").header("Cookie", &self.cookie)
    }

    /// A new access token for the tracking API; returns its secret.
    pub fn token(&self) -> anyhow::Result<String> {
        let pairs = [("name", "benchmark"), ("reach", "everything"), ("ends_on", "")];
        let created =
            self.server_fn("tokens/create", &pairs).send(self.port)?.ok("creating a token")?;
        let secret = created.json()?["secret"].as_str().context("the token's secret")?.to_owned();
        Ok(secret)
    }

    /// The address of the stylesheet named in a page (`/static/<digest>/pkg/atelier.css`).
    pub fn stylesheet(&self, page: &str) -> anyhow::Result<String> {
        let html = self.page(page).send(self.port)?;
        let html = html.ok("reading a page")?.text();
        let end = html.find("/pkg/atelier.css").context("no stylesheet link in the page")?;
        let start = html[..end].rfind("\"/static/").context("no /static/ address in the page")?;
        Ok(html[start + 1..end + "/pkg/atelier.css".len()].to_owned())
    }
}

/// The sign-in form as the page posts it.
pub fn sign_in_request(email: &str, password: &str) -> Request {
    Request::post("/api/auth/sign_in", FORM, form(&[("email", email), ("password", password)]))
        .header("Accept", JSON)
        .header("Sec-Fetch-Site", "same-origin")
}

/// `name=value` of a session cookie the answer sets.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .header_values("set-cookie")
        .filter_map(|c| c.split(';').next())
        .find(|c| c.contains("atelier_session=") && !c.ends_with('='))
        .map(str::to_owned)
}

/// A tracking API (Atelier's, under a workspace's tracking URI, or MLflow's own).
pub struct Tracking {
    pub port: u16,
    /// The path up to and with `/api/2.0/mlflow`.
    pub api: String,
    pub headers: Vec<(String, String)>,
    pub experiment_ids: Vec<String>,
    pub run_ids: Vec<String>,
}

impl Tracking {
    /// Atelier's tracking API of the benchmark workspace, with a bearer token.
    pub fn atelier(port: u16, token: &str) -> anyhow::Result<Self> {
        let (org, group, ws) = WORKSPACE;
        let api = format!(
            "/mlflow/v1.0/subscriptions/{org}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{ws}/api/2.0/mlflow"
        );
        let headers = vec![("Authorization".to_owned(), format!("Bearer {token}"))];
        Self::connect(port, api, headers)
    }

    pub fn mlflow(port: u16) -> anyhow::Result<Self> {
        Self::connect(port, "/api/2.0/mlflow".to_owned(), Vec::new())
    }

    fn connect(port: u16, api: String, headers: Vec<(String, String)>) -> anyhow::Result<Self> {
        let mut tracking =
            Self { port, api, headers, experiment_ids: Vec::new(), run_ids: Vec::new() };
        let found = tracking.call(
            "experiments/search",
            &json!({"max_results": 1000, "filter": "name LIKE 'scale-%'"}),
        )?;
        tracking.experiment_ids = found["experiments"]
            .as_array()
            .context("experiments in the answer")?
            .iter()
            .filter_map(|e| e["experiment_id"].as_str().map(str::to_owned))
            .collect();
        if tracking.experiment_ids.is_empty() {
            bail!("no benchmark experiments (scale-*) through {}", tracking.api);
        }
        for n in 0..LOG_RUNS {
            let body = json!({
                "experiment_id": tracking.experiment_ids[0],
                "run_name": format!("bench-log-{n}"),
                "start_time": super::now_ms(),
            });
            let created = tracking.call("runs/create", &body)?;
            let id = created["run"]["info"]["run_id"].as_str().context("a new run's id")?;
            tracking.run_ids.push(id.to_owned());
        }
        Ok(tracking)
    }

    /// A POST with a JSON body to `endpoint` (below `/api/2.0/mlflow/`).
    pub fn request(&self, endpoint: &str, body: &Value) -> Request {
        let mut request = Request::post(format!("{}/{endpoint}", self.api), JSON, body.to_string());
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }

    fn call(&self, endpoint: &str, body: &Value) -> anyhow::Result<Value> {
        self.request(endpoint, body).send(self.port)?.ok(endpoint)?.json()
    }
}
