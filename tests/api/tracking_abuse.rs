//! The tracking API answers bad input with MLflow's errors and never with a 5xx. Every endpoint
//! of the guard table (`server::mlflow::endpoints::ENDPOINTS`) is sent malformed, mistyped and
//! deeply nested JSON, invalid UTF-8, the wrong content type and method, a body just over its
//! limit, hostile values in each field it reads, and bad query strings; the searches get
//! malformed and hostile filters. Every answer must be a 4xx `{"error_code", "message"}` without
//! database text in it (or a success, where the input is odd but valid). One server, many calls;
//! every problem is collected and reported at the end.

use atelier::server::mlflow::endpoints::ENDPOINTS;
use atelier::server::mlflow::{ARTIFACT_LIMIT, JSON_LIMIT};
use base64::Engine;
use futures_util::StreamExt;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{json, Map, Value};

use crate::helpers::app_with_workspace;
use crate::tracking_support::{detector, post, script, token, WS_PATH};

/// The error codes a refusal may carry.
const CODES: &[&str] = &[
    "INVALID_PARAMETER_VALUE",
    "BAD_REQUEST",
    "RESOURCE_DOES_NOT_EXIST",
    "RESOURCE_ALREADY_EXISTS",
    "ENDPOINT_NOT_FOUND",
    "UNAUTHENTICATED",
    "REQUEST_LIMIT_EXCEEDED",
];

/// Words of database errors and crashes, which must never reach a caller.
const LEAKS: &[&str] = &[
    "sqlx",
    "sqlstate",
    "sqlite",
    "postgres",
    "syntax error",
    "constraint",
    "no such table",
    "no such column",
    "relation \"",
    "byte sequence",
    "database",
    "panicked",
];

/// What an answer must be.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A 4xx MLflow error.
    Refused,
    /// A 4xx MLflow error or a success: the input may be valid where it is sent.
    NoServerError,
}

/// Whether `status` and `body` are what `expect` asks; why not otherwise.
fn judge(status: StatusCode, body: &Value, expect: Expect) -> Option<&'static str> {
    if status.is_success() {
        return (expect == Expect::Refused).then_some("accepted");
    }
    if !status.is_client_error() {
        return Some("not a 4xx");
    }
    let (Some(code), Some(message)) = (body["error_code"].as_str(), body["message"].as_str())
    else {
        return Some("not MLflow's error shape");
    };
    if !CODES.contains(&code) {
        return Some("an unexpected error code");
    }
    let message = message.to_lowercase();
    if LEAKS.iter().any(|word| message.contains(word)) {
        return Some("database or crash text in the message");
    }
    None
}

/// The names of the fields MLflow's requests carry, with a value each that is valid for the
/// fixtures (`{experiment}`, `{run}` and `{logged}` are replaced).
const FIELDS: &[(&str, &str)] = &[
    ("experiment_id", r#""{experiment}""#),
    ("experiment_ids", r#"["{experiment}"]"#),
    ("experiment_name", r#""abuse""#),
    ("name", r#""abuse""#),
    ("new_name", r#""abuse""#),
    ("tags", r#"[{"key": "k", "value": "v"}]"#),
    ("key", r#""k""#),
    ("value", r#""v""#),
    ("run_id", r#""{run}""#),
    ("run_uuid", r#""{run}""#),
    ("run_name", r#""first""#),
    ("start_time", "1700000000000"),
    ("end_time", "1700000001000"),
    ("status", r#""RUNNING""#),
    ("timestamp", "1700000000000"),
    ("step", "0"),
    ("metrics", r#"[{"key": "loss", "value": 0.5, "timestamp": 1700000000000, "step": 1}]"#),
    ("params", r#"[{"key": "lr", "value": "0.1"}]"#),
    ("filter", r#""tags.k = 'v'""#),
    ("order_by", "[]"),
    ("page_token", r#""""#),
    ("max_results", "10"),
    ("view_type", r#""ALL""#),
    ("run_view_type", r#""ALL""#),
    ("metric_key", r#""loss""#),
    ("source", r#""runs:/{run}/model""#),
    ("version", r#""1""#),
    ("stage", r#""Staging""#),
    ("stages", r#"["Staging"]"#),
    ("description", r#""d""#),
    ("alias", r#""champion""#),
    ("archive_existing_versions", "false"),
    ("model_id", r#""{logged}""#),
    ("model_type", r#""net""#),
    ("source_run_id", r#""{run}""#),
    ("models", r#"[{"model_id": "{logged}", "step": 0}]"#),
    ("datasets", "[]"),
    ("dataset_name", r#""d""#),
    ("dataset_digest", r#""x""#),
    ("path", r#""runs/{run}""#),
];

/// A page token naming the largest offset there is.
fn far_page_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{{\"offset\": {}}}", u64::MAX))
}

/// The strings most likely to hurt: very long, NUL, SQL, a page token past any offset, a path
/// that climbs, a negative number.
fn worst_strings(long: usize) -> Vec<String> {
    vec![
        "a".repeat(long),
        "x\u{0}y".to_owned(),
        "' OR 1=1 --".to_owned(),
        far_page_token(),
        "../../../etc/passwd".to_owned(),
        "-1".to_owned(),
    ]
}

/// How many of the worst strings each query field is given.
const QUERIED: usize = 4;

/// Strings no field should choke on.
fn hostile_strings(long: usize) -> Vec<String> {
    let mut strings = worst_strings(long);
    strings.extend(
        [
            "é".repeat(long / 2).as_str(),
            "\"; DROP TABLE runs; --\u{202e}\u{feff}",
            "",
            "99999999999999999999",
        ]
        .map(str::to_owned),
    );
    strings
}

/// Values of the right JSON type that no field should choke on, for a field whose valid value
/// is `valid`.
fn hostile_values(valid: &Value, fixtures: &Fixtures) -> Vec<Value> {
    let strings = hostile_strings(64 * 1024);
    let numbers = [json!(-1), json!(i64::MAX), json!(i64::MIN), json!(0), json!(1.0e308)];
    match valid {
        Value::String(_) => strings.into_iter().map(Value::String).collect(),
        Value::Number(_) => numbers.to_vec(),
        Value::Bool(_) => Vec::new(),
        Value::Array(items) => match items.first() {
            // Lists of names: each hostile string, and one name repeated past what a query
            // may bind.
            None | Some(Value::String(_)) => {
                let mut lists: Vec<Value> = strings.into_iter().map(|s| json!([s])).collect();
                lists.push(json!(vec![fixtures.experiment.as_str(); 70_000]));
                lists
            }
            // Lists of objects: each hostile value in each of the first one's fields, and
            // many of them.
            Some(Value::Object(first)) => {
                let mut lists = vec![json!(vec![first.clone(); 2_000])];
                for (key, value) in first {
                    for hostile in hostile_values(value, fixtures) {
                        let mut item = first.clone();
                        item.insert(key.clone(), hostile);
                        lists.push(json!([item]));
                    }
                }
                lists
            }
            Some(_) => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Values of the wrong JSON type for a field whose valid value is `valid`: a number for text
/// and text for the rest, a list of the wrong items and an object.
fn mistyped_values(valid: &Value) -> Vec<Value> {
    let scalar = if valid.is_string() { json!(7) } else { json!("7") };
    vec![scalar, json!([{ "key": 7 }]), json!({ "nested": { "deeper": [true] } })]
}

/// Ada's experiment, run, registered model (with a version) and logged model.
struct Fixtures {
    experiment: String,
    run: String,
    logged: String,
}

impl Fixtures {
    fn fill(&self, text: &str) -> String {
        text.replace("{experiment}", &self.experiment)
            .replace("{run}", &self.run)
            .replace("{logged}", &self.logged)
    }

    /// A path of the guard table with its example ids replaced by the fixtures'.
    fn path(&self, table_path: &str) -> String {
        table_path
            .replace("m-0", &self.logged)
            .replace("runs/x", &format!("runs/{}", self.run))
            .replace("models/m/1", "models/abuse/1")
    }

    /// Every field with its valid value.
    fn base(&self) -> Map<String, Value> {
        FIELDS
            .iter()
            .map(|(name, value)| {
                let value = serde_json::from_str(&self.fill(value)).expect("a JSON value");
                ((*name).to_owned(), value)
            })
            .collect()
    }
}

struct Abuse {
    uri: String,
    token: String,
    client: reqwest::Client,
    calls: usize,
    failures: Vec<String>,
}

impl Abuse {
    fn url(&self, path: &str) -> String {
        format!("{}/api/2.0/{path}", self.uri)
    }

    fn request(&self, method: &str, path: &str) -> RequestBuilder {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        self.client.request(method, self.url(path)).bearer_auth(&self.token)
    }

    /// Sends `request` and notes what is wrong with its answer.
    async fn check(&mut self, what: String, expect: Expect, request: RequestBuilder) -> Value {
        self.check_all(vec![(what, expect, request)]).await.remove(0)
    }

    /// Sends `calls`, a few at a time, and notes what is wrong with their answers, which come
    /// back in order.
    async fn check_all(&mut self, calls: Vec<Call>) -> Vec<Value> {
        self.calls += calls.len();
        let answers: Vec<(Value, Option<String>)> = futures_util::stream::iter(calls)
            .map(|(what, expect, request)| answer(what, expect, request))
            .buffered(IN_FLIGHT)
            .collect()
            .await;
        let mut bodies = Vec::with_capacity(answers.len());
        for (body, failure) in answers {
            self.failures.extend(failure);
            bodies.push(body);
        }
        bodies
    }

    /// `body` sent as JSON; `what` names it in a failure (else its beginning does).
    fn json_call(
        &self,
        expect: Expect,
        (method, path): (&str, &str),
        body: &[u8],
        what: Option<String>,
    ) -> Call {
        let request =
            self.request(method, path).header(CONTENT_TYPE, "application/json").body(body.to_vec());
        let beginning = || String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
        (format!("{method} {path} {}", what.unwrap_or_else(beginning)), expect, request)
    }

    async fn send_json(&mut self, expect: Expect, to: (&str, &str), body: &[u8]) -> Value {
        let call = self.json_call(expect, to, body, None);
        self.check_all(vec![call]).await.remove(0)
    }
}

/// A request, what it is (for a failure), and what its answer must be.
type Call = (String, Expect, RequestBuilder);

/// Requests in flight at once where their order does not matter.
const IN_FLIGHT: usize = 8;

/// The answer to `request`, and what is wrong with it.
async fn answer(what: String, expect: Expect, request: RequestBuilder) -> (Value, Option<String>) {
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return (Value::Null, Some(format!("{what}: no answer ({e})"))),
    };
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let failure = judge(status, &body, expect).map(|problem| {
        let shown: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
        let what: String = what.chars().take(300).collect();
        format!("{what}: {problem}: {status} {shown}")
    });
    (body, failure)
}

/// A server with Ada's fixtures, and her token.
async fn abuse() -> (Abuse, Fixtures, crate::helpers::TestApp) {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let token = token(&app, &ada, "abuse", WS_PATH, false).await;
    let ok = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK, "setting up");
        response.json::<Value>().await.expect("JSON")
    };
    let made = ok(post(&uri, &token, "experiments/create", json!({ "name": "abuse" })).await).await;
    let experiment = made["experiment_id"].as_str().expect("an id").to_owned();
    let body = json!({ "experiment_id": experiment, "run_name": "first" });
    let made = ok(post(&uri, &token, "runs/create", body).await).await;
    let run = made["run"]["info"]["run_id"].as_str().expect("a run id").to_owned();
    let file = format!("{uri}/api/2.0/mlflow-artifacts/artifacts/runs/{run}/model/MLmodel");
    let put = script().put(file).bearer_auth(&token).body("flavors: {}").send().await;
    assert_eq!(put.expect("sent").status(), StatusCode::OK);
    ok(post(&uri, &token, "registered-models/create", json!({ "name": "abuse" })).await).await;
    let body = json!({ "name": "abuse", "source": format!("runs:/{run}/model") });
    ok(post(&uri, &token, "model-versions/create", body).await).await;
    let body = json!({ "experiment_id": experiment, "source_run_id": run, "name": "abuse" });
    let made = ok(post(&uri, &token, "logged-models", body).await).await;
    let logged = made["model"]["info"]["model_id"].as_str().expect("a model id").to_owned();
    let client = script();
    let fixtures = Fixtures { experiment, run, logged };
    (Abuse { uri, token, client, calls: 0, failures: Vec::new() }, fixtures, app)
}

/// Bodies that are not JSON, or not the JSON any endpoint asks for.
fn malformed_bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        &b"{"[..],
        b"{\"name\": }",
        b"{\"name\": \"x\",}",
        b"[",
        b"nul",
        b"{\"a\": 1}{\"b\": 2}",
        b"{\"name\": \"\\ud800\"}",
        b"{'name': 'x'}",
        b"{\"name\": \"x\" \"y\"}",
        b"   ",
        b"\xef\xbb\xbf{}",
        b"{\"name\": \"\xff\xfe\"}",
        b"\xff\xfe\x00{",
        b"\"\\u0000\"",
        b"123",
        b"true",
        b"null",
        b"{\"experiment_id\": 1e400}",
    ]
    .iter()
    .map(|b| b.to_vec())
    .collect();
    bodies.push(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes());
    bodies.push(format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)).into_bytes());
    bodies
}

/// The table's endpoints that read a body.
fn with_bodies() -> impl Iterator<Item = (&'static str, &'static str)> {
    ENDPOINTS.iter().filter(|(method, ..)| *method != "GET").map(|&(m, p, _)| (m, p))
}

async fn bodies_that_are_not_json_are_refused(abuse: &mut Abuse) {
    for (method, path) in with_bodies() {
        for body in malformed_bodies() {
            abuse.send_json(Expect::Refused, (method, path), &body).await;
        }
        // Nothing at all: whatever is required is missing.
        for body in [&b""[..], b"{}", b"[]"] {
            abuse.send_json(Expect::NoServerError, (method, path), body).await;
        }
        for (kind, body) in [
            ("application/x-www-form-urlencoded", &b"name=x&experiment_id=0"[..]),
            ("text/plain", b"{}"),
            ("text/xml", b"<name>x</name>"),
            ("multipart/form-data; boundary=x", b"--x--\r\n"),
        ] {
            let request = abuse.request(method, path).header(CONTENT_TYPE, kind).body(body);
            abuse.check(format!("{method} {path} as {kind}"), Expect::Refused, request).await;
        }
    }
}

/// A body one byte over `limit`, as one JSON string; sent in two chunks without a length, so
/// the server reads it until it passes the limit.
fn just_over(limit: usize) -> reqwest::Body {
    let mut head = b"\"".to_vec();
    head.resize(limit, b'a');
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(head), Ok(b"\"".to_vec())];
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

async fn bodies_over_the_limit_are_refused(abuse: &mut Abuse, fixtures: &Fixtures) {
    for (method, path) in with_bodies() {
        let (limit, path) = if method == "PUT" {
            (ARTIFACT_LIMIT, fixtures.path(path))
        } else {
            (JSON_LIMIT, path.to_owned())
        };
        let request = abuse
            .request(method, &path)
            .header(CONTENT_TYPE, "application/json")
            .body(just_over(limit));
        abuse
            .check(format!("{method} {path} with {limit} + 1 bytes"), Expect::Refused, request)
            .await;
    }
}

async fn other_methods_are_refused(abuse: &mut Abuse) {
    let mut paths: Vec<&str> = ENDPOINTS.iter().map(|(_, path, _)| *path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if ENDPOINTS.iter().any(|(m, p, _)| *m == method && *p == path) {
                continue;
            }
            let request = abuse.request(method, path).json(&json!({}));
            abuse.check(format!("{method} {path}"), Expect::Refused, request).await;
        }
    }
}

/// Each field of the right shape but the wrong type; the fields each endpoint reads (those it
/// refuses an object for) are returned, by endpoint.
async fn mistyped_fields_are_refused(abuse: &mut Abuse) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut sent = Vec::new();
    let mut calls = Vec::new();
    for (method, path) in with_bodies() {
        for (field, valid) in FIELDS {
            let valid: Value = serde_json::from_str(valid).expect("a JSON value");
            for wrong in mistyped_values(&valid) {
                let body = json!({ *field: wrong }).to_string();
                calls.push(abuse.json_call(
                    Expect::NoServerError,
                    (method, path),
                    body.as_bytes(),
                    None,
                ));
                sent.push((path, *field, wrong.is_object()));
            }
        }
    }
    let answers = abuse.check_all(calls).await;
    let mut reads: Vec<(&'static str, Vec<&'static str>)> =
        with_bodies().map(|(_, path)| (path, Vec::new())).collect();
    for ((path, field, object), answer) in sent.into_iter().zip(answers) {
        let message = answer["message"].as_str().unwrap_or_default();
        if object && message.starts_with("Malformed request body") {
            let at = reads.iter().position(|(p, _)| *p == path).expect("an endpoint");
            reads[at].1.push(field);
        }
    }
    reads
}

/// Hostile values of the right type in each field an endpoint reads, the others valid for the
/// fixtures. Endpoints that delete are left out, so the fixtures stay.
async fn hostile_values_are_refused_or_taken(
    abuse: &mut Abuse,
    fixtures: &Fixtures,
    reads: &[(&'static str, Vec<&'static str>)],
) {
    let base = fixtures.base();
    for (method, table_path) in with_bodies() {
        if method == "DELETE" || table_path.contains("delete") {
            continue;
        }
        let path = fixtures.path(table_path);
        let read = reads.iter().find(|(p, _)| *p == table_path).map(|(_, f)| f.as_slice());
        for field in read.unwrap_or_default() {
            for hostile in hostile_values(&base[*field], fixtures) {
                let mut body = base.clone();
                body.insert((*field).to_owned(), hostile);
                let body = Value::Object(body);
                let shown: String = body[*field].to_string().chars().take(60).collect();
                let what = Some(format!("{field}: {shown}"));
                let body = body.to_string();
                let call =
                    abuse.json_call(Expect::NoServerError, (method, &path), body.as_bytes(), what);
                abuse.check_all(vec![call]).await;
            }
        }
    }
}

/// The reading endpoints, with each query field given the worst strings (the others valid), and
/// with query strings that are not what any of them reads.
async fn bad_query_strings_are_refused_or_taken(abuse: &mut Abuse, fixtures: &Fixtures) {
    let base: Vec<(String, String)> = fixtures
        .base()
        .into_iter()
        .filter_map(|(name, value)| match value {
            Value::String(text) => Some((name, text)),
            Value::Number(n) => Some((name, n.to_string())),
            _ => None,
        })
        .collect();
    let raw = [
        "max_results=-1",
        "max_results=abc",
        "max_results=99999999999999999999",
        "page_token=%%%",
        "page_token=e30",
        "%ZZ=1",
        "a=%FF%FE",
        "run_id=%00",
        "name=%C0%80",
        "=",
        "&&&",
        "order_by=metrics.%60a",
        "filter=params.a%20%3D%20%27x",
    ];
    let mut calls = Vec::new();
    for (method, table_path, _) in ENDPOINTS.iter().filter(|(m, ..)| *m == "GET") {
        let path = fixtures.path(table_path);
        let joiner = if path.contains('?') { '&' } else { '?' };
        for (field, _) in &base {
            for hostile in worst_strings(8 * 1024).into_iter().take(QUERIED) {
                let query: Vec<(&str, &str)> = base
                    .iter()
                    .map(|(k, v)| (k.as_str(), if k == field { hostile.as_str() } else { v }))
                    .collect();
                let request = abuse.request(method, &path).query(&query);
                let shown: String = hostile.chars().take(40).collect();
                calls.push((
                    format!("GET {path} {field}={shown:?}"),
                    Expect::NoServerError,
                    request,
                ));
            }
        }
        let far = format!("page_token={}", far_page_token());
        for query in raw.iter().copied().chain([far.as_str()]) {
            let request = abuse.request(method, &format!("{path}{joiner}{query}"));
            calls.push((format!("GET {path}{joiner}{query}"), Expect::NoServerError, request));
        }
    }
    abuse.check_all(calls).await;
}

/// Filters that do not parse, or name what no search has.
fn malformed_filters(long: usize) -> Vec<String> {
    let mut filters: Vec<String> = [
        "tags.k = 'x",
        "tags.k = \"x",
        "tags.k >",
        "tags.k = 'v' and",
        "tags.k = 'v' or tags.k = 'w'",
        "name = 'x' OR 1=1 --",
        "' OR 1=1 --",
        "1=1",
        "foo.bar = 'x'",
        "unknown_attribute = 'x'",
        "tags.k IN 'x'",
        "tags.k IN ('a',",
        "tags.k IN ()",
        "tags.k = 'x'; DROP TABLE runs",
        "tags.`k = 'x'",
        "tags.k = 1e",
        "tags.k = --1",
        "tags.k = 'v' \u{0}",
        "\u{0}",
        "(",
        ")",
        "tags.k ~ 'x'",
        "tags.k === 'x'",
        "tags. = 'x'",
    ]
    .iter()
    .map(|f| (*f).to_owned())
    .collect();
    filters.push(format!("tags.k IN ({}", "'a', ".repeat(long / 5)));
    filters.push(format!("tags.k = '{}", "x".repeat(long)));
    filters.push("a".repeat(long));
    filters
}

/// Filters that parse, however odd: each search answers them.
fn hostile_filters(long: usize) -> Vec<String> {
    vec![
        "tags.k = '\\' OR 1=1 --'".to_owned(),
        "tags.k = '\"; DROP TABLE runs; --'".to_owned(),
        "tags.`k' OR '1'='1` = 'x'".to_owned(),
        "tags.k LIKE '%%%%%%%%%%_' and tags.k ILIKE '%\u{202e}%'".to_owned(),
        format!("tags.k IN ({}'b')", "'a', ".repeat(long / 5)),
        format!("tags.k = '{}'", "x".repeat(long)),
        format!("tags.k = '{}'", "é".repeat(long / 2)),
        format!("tags.k != 'v'{}", " and tags.k != 'w'".repeat(long / 20)),
    ]
}

async fn search_filters_are_checked(abuse: &mut Abuse, fixtures: &Fixtures) {
    let searches = ENDPOINTS.iter().filter(|(_, path, _)| path.ends_with("/search"));
    for &(method, path, _) in searches {
        let long = if method == "GET" { 4 * 1024 } else { 1024 * 1024 };
        let cases = malformed_filters(long)
            .into_iter()
            .map(|f| (f, Expect::Refused))
            .chain(hostile_filters(long).into_iter().map(|f| (f, Expect::NoServerError)));
        for (filter, expect) in cases {
            let request = if method == "GET" {
                abuse.request(method, path).query(&[("filter", &filter)])
            } else {
                let ids = [&fixtures.experiment];
                abuse
                    .request(method, path)
                    .json(&json!({ "filter": filter, "experiment_ids": ids }))
            };
            let shown: String = filter.chars().take(60).collect();
            let answer =
                abuse.check(format!("{method} {path} filter {shown:?}"), expect, request).await;
            // A filter that parses is answered, not refused.
            if expect == Expect::NoServerError && answer.get("error_code").is_some() {
                abuse.failures.push(format!("{method} {path} filter {shown:?}: refused {answer}"));
            }
        }
    }
}

/// Artifact paths that climb out, hide NULs or name nothing.
async fn artifact_paths_are_checked(abuse: &mut Abuse, fixtures: &Fixtures) {
    let run = &fixtures.run;
    let paths = [
        format!("runs/{run}/../../../etc/passwd"),
        format!("runs/{run}/%2e%2e/%2e%2e/x"),
        format!("runs/{run}/a%00b"),
        format!("runs/{run}/..%5C..%5Cx"),
        format!("runs/{run}/{}f", "a/".repeat(40)),
        format!("runs/{run}/{}", "a".repeat(2_000)),
        format!("runs/{run}/{}.txt", "n".repeat(300)),
        "runs/%00/x".to_owned(),
        "runs//x".to_owned(),
        "models/abuse/notanumber/x".to_owned(),
        "models/abuse/99999999999999999999/x".to_owned(),
        "models/abuse/-1/x".to_owned(),
        "models/%00/1/x".to_owned(),
        "elsewhere/x".to_owned(),
    ];
    for path in &paths {
        let at = format!("mlflow-artifacts/artifacts/{path}");
        let put = abuse.request("PUT", &at).body("x");
        abuse.check(format!("PUT {at}"), Expect::Refused, put).await;
        let get = abuse.request("GET", &at);
        abuse.check(format!("GET {at}"), Expect::Refused, get).await;
        let list = abuse.request("GET", "mlflow-artifacts/artifacts").query(&[("path", path)]);
        abuse.check(format!("GET artifacts?path={path}"), Expect::NoServerError, list).await;
    }
}

/// Workspace addresses that name nothing, or hide a NUL.
async fn bad_workspace_addresses_are_refused(abuse: &mut Abuse) {
    let tracking = abuse.uri.clone();
    let long = "w".repeat(2_000);
    for (from, to) in [
        ("subscriptions/contoso", "subscriptions/%00"),
        ("resourceGroups/vision", "resourceGroups/vi%00sion"),
        ("workspaces/detector", "workspaces/%FF%FE"),
        ("workspaces/detector", &format!("workspaces/{long}")),
    ] {
        abuse.uri = tracking.replace(from, to);
        for (method, path) in [("GET", "mlflow/experiments/search"), ("POST", "mlflow/runs/create")]
        {
            let request = abuse.request(method, path).json(&json!({}));
            abuse.check(format!("{method} {to} {path}"), Expect::Refused, request).await;
        }
    }
    abuse.uri = tracking;
}

/// Credentials that are not a token (last: refused tries slow the address down).
async fn bad_credentials_are_refused(abuse: &mut Abuse) {
    let basic =
        |pair: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair));
    for header in [
        "Bearer".to_owned(),
        format!("Bearer {}", "x".repeat(8_000)),
        "Basic !!!".to_owned(),
        basic("user:\u{0}secret"),
        basic("no colon"),
        "Negotiate abc".to_owned(),
    ] {
        let request = abuse
            .client
            .get(abuse.url("mlflow/experiments/search"))
            .header(AUTHORIZATION, header.as_str());
        let shown: String = header.chars().take(40).collect();
        abuse.check(format!("Authorization: {shown}"), Expect::Refused, request).await;
    }
    let request = abuse.client.get(abuse.url("mlflow/experiments/search"));
    abuse.check("no Authorization".to_owned(), Expect::Refused, request).await;
}

#[tokio::test]
async fn the_tracking_api_answers_bad_input_with_4xx_never_5xx() {
    let (mut abuse, fixtures, _app) = abuse().await;
    bodies_that_are_not_json_are_refused(&mut abuse).await;
    bodies_over_the_limit_are_refused(&mut abuse, &fixtures).await;
    other_methods_are_refused(&mut abuse).await;
    let reads = mistyped_fields_are_refused(&mut abuse).await;
    let reading = reads.iter().filter(|(_, fields)| !fields.is_empty()).count();
    assert!(reading >= 30, "few endpoints refuse mistyped fields: {reads:?}");
    hostile_values_are_refused_or_taken(&mut abuse, &fixtures, &reads).await;
    bad_query_strings_are_refused_or_taken(&mut abuse, &fixtures).await;
    search_filters_are_checked(&mut abuse, &fixtures).await;
    artifact_paths_are_checked(&mut abuse, &fixtures).await;
    bad_workspace_addresses_are_refused(&mut abuse).await;
    bad_credentials_are_refused(&mut abuse).await;
    let shown: Vec<&str> = abuse.failures.iter().take(60).map(String::as_str).collect();
    assert!(
        abuse.failures.is_empty(),
        "{} of {} answers were wrong:\n{}",
        abuse.failures.len(),
        abuse.calls,
        shown.join("\n")
    );
}
