//! Calls to the management API: JSON in and out, the token as bearer, the server's error
//! message as the failure's, and every page of a list followed.

use reqwest::blocking::Client as Http;
use reqwest::Method;
use serde_json::Value;

use crate::config::Config;
use crate::failure::Failure;

pub struct Client {
    http: Http,
    base: String,
    token: String,
}

impl Client {
    pub fn new(config: &Config) -> Result<Self, Failure> {
        let http = Http::builder()
            .timeout(std::time::Duration::from_secs(60))
            .user_agent(concat!("atl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::setup(format!("Cannot start an HTTP client: {e}")))?;
        let base = format!("{}/api/v1", config.url.trim_end_matches('/'));
        Ok(Self { http, base, token: config.token.clone() })
    }

    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Failure> {
        self.send(Method::GET, path, query, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        self.send(Method::POST, path, &[], Some(body))
    }

    pub fn put(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        self.send(Method::PUT, path, &[], Some(body))
    }

    pub fn delete(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Failure> {
        self.send(Method::DELETE, path, query, None)
    }

    /// Every item of a paginated list.
    pub fn all(&self, path: &str, query: &[(&str, &str)]) -> Result<Vec<Value>, Failure> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query: Vec<(&str, &str)> = query.to_vec();
            query.push(("limit", "200"));
            if let Some(cursor) = &cursor {
                query.push(("cursor", cursor));
            }
            let page = self.get(path, &query)?;
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(items),
            }
        }
    }

    fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, Failure> {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().map_err(|e| {
            Failure::setup(format!("Cannot reach {}: {}", self.base, without_url(&e)))
        })?;
        let status = response.status();
        let text = response
            .text()
            .map_err(|e| Failure::setup(format!("The answer could not be read: {e}")))?;
        let json: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|_| {
                Failure::setup(format!(
                    "{} did not answer as Atelier's API does (HTTP {status}); is the URL right?",
                    self.base
                ))
            })?
        };
        if status.is_success() {
            return Ok(json);
        }
        let message = json["message"].as_str().unwrap_or("The server refused the request.");
        let message = match json["field"].as_str() {
            Some(field) => format!("{message} ({field})"),
            None => message.to_owned(),
        };
        Err(if status == reqwest::StatusCode::NOT_FOUND {
            Failure::not_found(message)
        } else {
            Failure::refused(message)
        })
    }
}

/// reqwest's message names the URL, which can hold nothing secret here but is noise.
fn without_url(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// Percent-encodes one path segment (names may hold spaces: "Data Scientist").
pub fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
