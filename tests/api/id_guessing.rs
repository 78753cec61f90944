//! Guessing another organization's ids, names and cursors: Ada, who holds roles only in her own
//! organization, passes what belongs to Mallory's organization wherever a server function, a
//! download or the tracking API takes a filter, a cursor or an id. Nothing of Mallory's comes
//! back, and the answer is the one for a value nobody has (once the value itself, which the
//! caller sent, is put back as `GUESS`): no oracle either.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::page_matrix::{furnish, pairs, Furnished};
use crate::tracking_support::{script, token, tracking_uri};
use Theirs::{Assignment, Datastore, Experiment, Invitation, LoggedModel, Named, PrincipalToken};
use Theirs::{Run, RunId, Text, Token, Workspace};

/// Stands for the guessed value in a form, address or body.
const GUESS: &str = "GUESS";
/// A timestamp in epoch milliseconds.
const T0: i64 = 1_700_000_000_000;
const FOUND: StatusCode = StatusCode::OK;
const MISSING: StatusCode = StatusCode::NOT_FOUND;
/// Refused as the form's mistake: the choice is not among one's own.
const REFUSED: StatusCode = StatusCode::BAD_REQUEST;
const THEIR_ORG: &str = "/organizations/mallory-inc";
const NOBODYS_ORG: &str = "/organizations/umbrella";

/// The value of Mallory's a guess tries (and one of nobody's it is compared with).
#[derive(Clone, Copy, Debug)]
enum Theirs {
    /// Her object of this kind in her furnished workspace ([`Furnished::named`]).
    Named(&'static str),
    Datastore,
    /// Her studio run.
    Run,
    PrincipalToken,
    Token,
    Assignment,
    Invitation,
    /// Her workspace's address as a scope.
    Workspace,
    /// What she made through her tracking API: experiment id, run id, logged model id.
    Experiment,
    RunId,
    LoggedModel,
    /// Hers, and nobody's, written out.
    Text(&'static str, &'static str),
}

/// Server functions called as Ada: endpoints (separated by spaces), form (`@ws` for her
/// workspace's arguments, `k=v` pairs joined by `&`; `@org`, `@org_scope`, `@ws_scope` stand
/// for hers), what of Mallory's stands for `GUESS`, and the status both values answer.
const STUDIO: &[(&str, &str, Theirs, StatusCode)] = &[
    ("runs/list", "@ws&experiment=GUESS", Named("experiment"), MISSING),
    ("runs/list", "@ws&search=GUESS", Run, FOUND),
    ("runs/get runs/logs runs/outputs runs/snapshot", "@ws&run=GUESS", Run, MISSING),
    // Comparing skips the names it does not find.
    ("runs/series", "@ws&runs=GUESS", Run, FOUND),
    ("datasets/version", "@ws&dataset=GUESS&version=1", Named("data"), MISSING),
    (
        "endpoints/get_deployment",
        "@ws&endpoint=ada-scorer&deployment=GUESS",
        Named("blue"),
        MISSING,
    ),
    ("pipelines/get_run", "@ws&pipeline=GUESS&run=1", Named("pipeline"), MISSING),
    // Linking a run of theirs would copy its files; deploying a model of theirs would serve it.
    ("models/register", "@ws&name=ada-copy&source_run=GUESS", Run, MISSING),
    (
        "endpoints/create_deployment",
        "@ws&endpoint=ada-scorer&name=green&model=GUESS&model_version=1",
        Named("model"),
        REFUSED,
    ),
    (
        "service_principals/tokens",
        "organization=@org&service_principal=GUESS",
        Named("bot"),
        MISSING,
    ),
    (
        "service_principals/revoke_token",
        "organization=@org&service_principal=ada-bot&id=GUESS",
        PrincipalToken,
        MISSING,
    ),
    ("tokens/revoke", "id=GUESS", Token, MISSING),
    ("access/change", "scope=@org_scope&assignment=GUESS&role=Reader", Assignment, MISSING),
    ("access/remove", "scope=@org_scope&assignment=GUESS", Assignment, MISSING),
    (
        "invitations/revoke invitations/resend invitations/link",
        "scope=@ws_scope&invitation=GUESS",
        Invitation,
        MISSING,
    ),
    (
        "invitations/change_role",
        "scope=@ws_scope&invitation=GUESS&role=Reader",
        Invitation,
        MISSING,
    ),
    ("invitations/answer", "invitation=GUESS&answer=accept", Invitation, MISSING),
    (
        "access/check",
        "scope=@org_scope&email=GUESS",
        Text("mallory@example.com", "nobody@example.com"),
        REFUSED,
    ),
    ("access/activity", "scope=@org_scope&actor=GUESS", Text("Mallory", "Nobody"), FOUND),
    (
        "access/activity",
        "scope=@ws_scope&actor=GUESS",
        Text("mallory@example.com", "nobody@example.com"),
        FOUND,
    ),
    ("roles/delete", "organization=@org&name=GUESS", Named("watcher"), MISSING),
    (
        "roles/save",
        "organization=@org&original=GUESS&name=Renamed&actions=*/read&assignable_scopes=@org_scope",
        Named("watcher"),
        MISSING,
    ),
    // A token reaching their organization or workspace would act there for Ada.
    ("tokens/create", "name=reach&reach=GUESS", Text(THEIR_ORG, NOBODYS_ORG), REFUSED),
    ("tokens/create", "name=reach&reach=GUESS", Workspace, REFUSED),
    (
        "service_principals/create_token",
        "organization=@org&service_principal=ada-bot&name=reach&reach=GUESS",
        Workspace,
        REFUSED,
    ),
];

/// Each kind's server functions reading one object and searching the list: (collection,
/// argument naming an object, Mallory's object): `{collection}/get` with hers is not found,
/// and searching `{collection}/list` for her name finds nothing.
const LOOKUPS: &[(&str, &str, Theirs)] = &[
    ("experiments", "experiment", Named("experiment")),
    ("models", "model", Named("model")),
    ("datasets", "dataset", Named("data")),
    ("environments", "environment", Named("env")),
    ("computes", "compute", Named("gpu")),
    ("endpoints", "endpoint", Named("scorer")),
    ("pipelines", "pipeline", Named("pipeline")),
    ("datastores", "datastore", Datastore),
];

/// Studio addresses Ada GETs (`@files` for her workspace's files), all not found.
const DOWNLOADS: &[(&str, Theirs)] = &[
    ("/activity/export?scope=GUESS", Text(THEIR_ORG, NOBODYS_ORG)),
    ("@files/runs/GUESS/outputs/outputs/notes.txt", Run),
    ("@files/datasets/GUESS/versions/1/data.csv", Named("data")),
    ("@files/models/GUESS/versions/1/MLmodel", Named("model")),
];

/// Ada's workspace's tracking API, with her token: method and path below `api/2.0/` with its
/// query, JSON body (`@ours` for her tracked experiment's id), what stands for `GUESS`, status.
const TRACKING: &[(&str, Option<&str>, Theirs, StatusCode)] = &[
    ("GET mlflow/experiments/get?experiment_id=GUESS", None, Experiment, MISSING),
    ("GET mlflow/experiments/get-by-name?experiment_name=GUESS", None, TRACKED, MISSING),
    ("POST mlflow/experiments/search", Some(r#"{"filter": "name = 'GUESS'"}"#), TRACKED, FOUND),
    ("GET mlflow/runs/get?run_id=GUESS", None, RunId, MISSING),
    ("POST mlflow/runs/search", Some(IN_THEIRS), Experiment, FOUND),
    ("POST mlflow/runs/search", Some(IN_OURS_BY_ID), RunId, FOUND),
    ("POST mlflow/runs/search", Some(IN_OURS_BY_NAME), Text(TRACKED_RUN, NOTHING), FOUND),
    ("GET mlflow/metrics/get-history?run_id=GUESS&metric_key=loss", None, RunId, MISSING),
    ("GET mlflow/registered-models/search?filter=name%3D%27GUESS%27", None, REGISTERED, FOUND),
    ("GET mlflow/registered-models/get?name=GUESS", None, REGISTERED, MISSING),
    ("GET mlflow/registered-models/alias?name=GUESS&alias=champion", None, REGISTERED, MISSING),
    ("GET mlflow/model-versions/search?filter=run_id%3D%27GUESS%27", None, RunId, FOUND),
    ("GET mlflow/model-versions/search?filter=name%3D%27GUESS%27", None, REGISTERED, FOUND),
    ("GET mlflow/model-versions/get?name=GUESS&version=1", None, REGISTERED, MISSING),
    ("GET mlflow/model-versions/get-download-uri?name=GUESS&version=1", None, REGISTERED, MISSING),
    ("POST mlflow/logged-models/search", Some(IN_THEIRS), Experiment, FOUND),
    ("GET mlflow/logged-models/GUESS", None, LoggedModel, MISSING),
    ("GET mlflow-artifacts/artifacts?path=runs/GUESS", None, RunId, MISSING),
    ("GET mlflow-artifacts/artifacts/runs/GUESS/model/MLmodel", None, RunId, MISSING),
    ("GET mlflow-artifacts/artifacts/models/GUESS/1/MLmodel", None, REGISTERED, MISSING),
    // Writes naming their experiment or run would reach into their workspace.
    ("POST mlflow/runs/create", Some(r#"{"experiment_id": "GUESS"}"#), Experiment, MISSING),
    ("POST mlflow/runs/log-metric", Some(METRIC), RunId, MISSING),
    ("POST mlflow/model-versions/create", Some(VERSION), RunId, MISSING),
    ("POST mlflow/logged-models", Some(LOGGED_MODEL), RunId, MISSING),
];
const NOTHING: &str = "nothing-here";
const TRACKED_RUN: &str = "mal-tracked-run";
const TRACKED: Theirs = Text("mal-tracked", NOTHING);
const REGISTERED: Theirs = Text("mal-registered", NOTHING);
const IN_THEIRS: &str = r#"{"experiment_ids": ["GUESS"]}"#;
const IN_OURS_BY_ID: &str =
    r#"{"experiment_ids": ["@ours"], "filter": "attributes.run_id = 'GUESS'"}"#;
const IN_OURS_BY_NAME: &str =
    r#"{"experiment_ids": ["@ours"], "filter": "tags.mlflow.runName = 'GUESS'"}"#;
const METRIC: &str = r#"{"run_id": "GUESS", "key": "x", "value": 1, "timestamp": 1, "step": 0}"#;
const VERSION: &str =
    r#"{"name": "ada-registered", "source": "runs:/GUESS/model", "run_id": "GUESS"}"#;
const LOGGED_MODEL: &str = r#"{"experiment_id": "@ours", "source_run_id": "GUESS", "name": "x"}"#;

/// One request of Ada's, with `GUESS` where the guessed value goes.
#[derive(Clone, Debug)]
enum Ask {
    /// A server function and its form.
    Studio(String, Vec<(&'static str, String)>),
    /// A GET of a studio address.
    Get(String),
    /// A tracking API call below `{uri}/api/2.0/`: method, path with query, JSON body.
    Tracking(Method, String, Option<String>),
}

/// The two organizations and what Ada and Mallory made in them.
struct World {
    app: TestApp,
    ada: Client,
    ours: Furnished,
    theirs: Furnished,
    /// Ada's token for her workspace's tracking API, that API's address, and the id of the
    /// experiment she tracked there.
    ada_token: String,
    ada_uri: String,
    ada_experiment: String,
    tracked: Tracked,
    /// Mallory's own access token's id, her Owner assignment's id at her organization, and
    /// the newest event in her organization's activity log.
    their_token: String,
    their_assignment: String,
    their_newest_event: i64,
}

/// What someone made through a workspace's tracking API.
struct Tracked {
    experiment: String,
    run: String,
    logged_model: String,
}

/// `text` with every whole occurrence of `value` (not part of a longer word or number)
/// replaced by `with`.
fn replace_whole(text: &str, value: &str, with: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(value) {
        let before = rest[..at].chars().last().or_else(|| out.chars().last());
        let after = rest[at + value.len()..].chars().next();
        out.push_str(&rest[..at]);
        out.push_str(if word(before) || word(after) { value } else { with });
        rest = &rest[at + value.len()..];
    }
    out + rest
}

/// A value shaped like `id` that nobody's object has: numbers become a large one, other ids
/// keep their prefix (`m-`) and length with every letter and digit a zero.
fn nobodys(id: &str) -> String {
    if id.chars().all(|c| c.is_ascii_digit()) {
        return "987654".to_owned();
    }
    let (prefix, rest) = id.split_at(if id.starts_with("m-") { 2 } else { 0 });
    let zeros: String =
        rest.chars().map(|c| if c.is_ascii_alphanumeric() { '0' } else { c }).collect();
    format!("{prefix}{zeros}")
}

impl World {
    /// Mallory's value for `theirs`, and a value nobody has like it.
    fn values(&self, theirs: Theirs) -> (String, String) {
        let (t, nothing) = (&self.theirs, NOTHING.to_owned());
        let id = |id: &str| (id.to_owned(), nobodys(id));
        match theirs {
            Theirs::Named(kind) => (t.named(kind), nothing),
            Theirs::Datastore => (t.datastore(), nothing),
            Theirs::Run => id(&t.run),
            Theirs::PrincipalToken => id(&t.principal_token),
            Theirs::Token => id(&self.their_token),
            Theirs::Assignment => id(&self.their_assignment),
            Theirs::Invitation => id(&t.invitation),
            Theirs::Workspace => (t.scope(), t.scope().replace("mallory-inc", "umbrella")),
            Theirs::Experiment => id(&self.tracked.experiment),
            Theirs::RunId => id(&self.tracked.run),
            Theirs::LoggedModel => id(&self.tracked.logged_model),
            Theirs::Text(theirs, nothing) => (theirs.to_owned(), nothing.to_owned()),
        }
    }

    /// `template` with Ada's places written in.
    fn fill(&self, template: &str) -> String {
        let org_scope = format!("/organizations/{}", self.ours.org);
        template
            .replace("@ws_scope", &self.ours.scope())
            .replace("@org_scope", &org_scope)
            .replace("@org", &self.ours.org)
            .replace("@files", &format!("/files{}", self.ours.scope()))
            .replace("@ours", &self.ada_experiment)
    }

    /// A server function's form from its template.
    fn form(&self, template: &'static str) -> Vec<(&'static str, String)> {
        let mut form = Vec::new();
        for pair in template.split('&') {
            match pair.split_once('=') {
                Some((key, value)) => form.push((key, self.fill(value))),
                None => form.extend(self.ours.form(&[])),
            }
        }
        form
    }

    /// What Mallory holds: an answer naming any of it shows her organization.
    fn their_markers(&self) -> Vec<String> {
        let (t, m) = (&self.theirs, &self.tracked);
        let mut markers: Vec<String> =
            ["mallory", "Mallory", "mal-", "mal_"].map(str::to_owned).into();
        markers.extend([&t.run, &t.other_run, &m.run, &m.logged_model].map(String::clone));
        markers
    }

    /// Ada's answer to `ask` with `value` for `GUESS`: status and body, the value put back.
    async fn answer(&self, ask: &Ask, value: &str) -> (StatusCode, String) {
        let put = |text: &str| text.replace(GUESS, value);
        let response = match ask {
            Ask::Studio(endpoint, form) => {
                let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, put(v))).collect();
                self.app.call(&self.ada, endpoint, &pairs(&form)).await
            }
            Ask::Get(path) => self.ada.get(self.app.url(&put(path))).send().await.unwrap(),
            Ask::Tracking(method, path, body) => {
                let url = format!("{}/api/2.0/{}", self.ada_uri, put(path));
                let request = script().request(method.clone(), url).bearer_auth(&self.ada_token);
                let body = body.as_deref().map(|b| serde_json::from_str::<Value>(&put(b)).unwrap());
                let request = match body {
                    Some(body) => request.json(&body),
                    None => request,
                };
                request.send().await.expect("request sent")
            }
        };
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        (status, replace_whole(&body, value, GUESS))
    }

    /// What is wrong with Ada's answers to `ask` guessing `theirs`: they must be the same for
    /// Mallory's value as for one nobody has, answer `status`, and hold nothing of Mallory's.
    async fn problems_with(&self, ask: Ask, theirs: Theirs, status: StatusCode) -> Vec<String> {
        let (value, nothing) = self.values(theirs);
        let got = self.answer(&ask, &value).await;
        let expected = self.answer(&ask, &nothing).await;
        let context = format!("{ask:?} with {value:?} / {nothing:?}");
        let mut problems = self.shown_of_theirs(&context, &got.1);
        if got != expected {
            problems.push(format!("{context}: answers differ: {got:?} / {expected:?}"));
        }
        if got.0 != status {
            problems.push(format!("{context}: {} (not {status}): {}", got.0, got.1));
        }
        problems
    }

    /// Mallory's things that `body` shows.
    fn shown_of_theirs(&self, context: &str, body: &str) -> Vec<String> {
        let markers = self.their_markers().into_iter().filter(|m| body.contains(m.as_str()));
        markers.map(|m| format!("{context} shows {m:?}: {body}")).collect()
    }

    /// What is wrong with paging Ada's list after a cursor of Mallory's: it must answer 200
    /// with nothing of hers.
    async fn problems_after(&self, ask: Ask, cursor: &str) -> Vec<String> {
        let (status, body) = self.answer(&ask, cursor).await;
        let context = format!("{ask:?} after {cursor:?}");
        let mut problems = self.shown_of_theirs(&context, &body);
        if status != StatusCode::OK {
            problems.push(format!("{context}: {status}: {body}"));
        }
        problems
    }
}

/// Ada and Mallory each own an organization furnished with one of each kind of object, and
/// each tracked an experiment with a run through the tracking API (Mallory's run logged a
/// metric, holds a model folder, a logged model and a registered, aliased version).
async fn world() -> World {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    let ours = furnish(&app, &ada, ("contoso", "Contoso Labs", "vision", "detector"), "ada").await;
    // Ada's inbox is hers once her address is confirmed: answering from it is then looked up.
    crate::membership::confirmed_by_admin(&app, &ada, &ada).await;
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    let theirs =
        furnish(&app, &mallory, ("mallory-inc", "Mallory Inc", "stuff", "things"), "mal").await;
    let output = [("run", theirs.run.as_str()), ("path", "outputs/notes.txt"), ("content", "aGk=")];
    theirs.make(&app, &mallory, "runs/upload_output", &output).await;

    let their_secret = token(&app, &mallory, "laptop", THEIR_ORG, false).await;
    let tokens = app.json(&mallory, "tokens/list", &[], StatusCode::OK).await;
    let their_token = tokens["tokens"][0]["id"].to_string();
    let access = app.json(&mallory, "access/get", &[("scope", THEIR_ORG)], StatusCode::OK).await;
    let their_assignment = access["assignments"][0]["id"].to_string();
    let their_uri = tracking_uri(&app, ("mallory-inc", "stuff", "things"));
    let tracked = track(&their_uri, &their_secret, "mal").await;

    let ada_token = token(&app, &ada, "tracking", &ours.scope(), false).await;
    let ada_uri = tracking_uri(&app, ("contoso", "vision", "detector"));
    let ada_experiment = track(&ada_uri, &ada_token, "ada").await.experiment;
    let log = app.json(&mallory, "access/activity", &[("scope", THEIR_ORG)], StatusCode::OK).await;
    let their_newest_event = log["events"][0]["id"].as_i64().expect("Mallory's activity");
    World {
        app,
        ada,
        ours,
        theirs,
        ada_token,
        ada_uri,
        ada_experiment,
        tracked,
        their_token,
        their_assignment,
        their_newest_event,
    }
}

/// Through the tracking API at `uri`: experiment `{prefix}-tracked` with a run that logged a
/// metric and a model folder, a logged model of it, and registered model
/// `{prefix}-registered` with version 1 from the run, aliased `champion`.
async fn track(uri: &str, secret: &str, prefix: &str) -> Tracked {
    let call = |method: Method, path: &str, body: Value| {
        let url = format!("{uri}/api/2.0/{path}");
        let request = script().request(method, url).bearer_auth(secret);
        let request = if body.is_null() { request } else { request.json(&body) };
        let path = path.to_owned();
        async move {
            let response = request.send().await.expect("request sent");
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            assert_eq!(status, StatusCode::OK, "{path}: {text}");
            serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)
        }
    };
    let experiment = json!({ "name": format!("{prefix}-tracked") });
    let experiment = call(Method::POST, "mlflow/experiments/create", experiment).await;
    let experiment = experiment["experiment_id"].as_str().expect("an id").to_owned();
    let run_name = format!("{prefix}-tracked-run");
    let body = json!({ "experiment_id": experiment, "run_name": run_name, "start_time": T0 });
    let run = call(Method::POST, "mlflow/runs/create", body).await;
    let run = run["run"]["info"]["run_id"].as_str().expect("a run id").to_owned();
    let metric = json!({ "run_id": run, "key": "loss", "value": 0.5, "timestamp": T0, "step": 0 });
    call(Method::POST, "mlflow/runs/log-metric", metric).await;
    let file = format!("{uri}/api/2.0/mlflow-artifacts/artifacts/runs/{run}/model/MLmodel");
    let put = script().put(file).bearer_auth(secret).body("flavors: {}\n").send().await.unwrap();
    assert_eq!(put.status(), StatusCode::OK, "uploading a model file");
    let logged = json!({ "experiment_id": experiment, "source_run_id": run, "name": "model" });
    let logged = call(Method::POST, "mlflow/logged-models", logged).await;
    let logged_model = logged["model"]["info"]["model_id"].as_str().expect("an id").to_owned();
    let name = format!("{prefix}-registered");
    call(Method::POST, "mlflow/registered-models/create", json!({ "name": name })).await;
    let version = json!({ "name": name, "source": format!("runs:/{run}/model"), "run_id": run });
    call(Method::POST, "mlflow/model-versions/create", version).await;
    let alias = json!({ "name": name, "alias": "champion", "version": "1" });
    call(Method::POST, "mlflow/registered-models/alias", alias).await;
    Tracked { experiment, run, logged_model }
}

#[tokio::test]
async fn another_organizations_names_and_ids_find_nothing_and_answer_as_if_nobody_had_them() {
    let world = world().await;
    let mut problems = Vec::new();
    for &(endpoints, form, theirs, status) in STUDIO {
        for endpoint in endpoints.split(' ') {
            let ask = Ask::Studio(endpoint.to_owned(), world.form(form));
            problems.extend(world.problems_with(ask, theirs, status).await);
        }
    }
    for &(collection, key, theirs) in LOOKUPS {
        let mut one = world.form("@ws");
        one.push((key, GUESS.to_owned()));
        let get = Ask::Studio(format!("{collection}/get"), one);
        problems.extend(world.problems_with(get, theirs, MISSING).await);
        let search = Ask::Studio(format!("{collection}/list"), world.form("@ws&search=GUESS"));
        problems.extend(world.problems_with(search, theirs, FOUND).await);
    }
    for &(path, theirs) in DOWNLOADS {
        problems.extend(world.problems_with(Ask::Get(world.fill(path)), theirs, MISSING).await);
    }
    for &(request, body, theirs, status) in TRACKING {
        let (method, path) = request.split_once(' ').expect("a method and a path");
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let ask = Ask::Tracking(method, path.to_owned(), body.map(|b| world.fill(b)));
        problems.extend(world.problems_with(ask, theirs, status).await);
    }
    let count = problems.len();
    assert!(problems.is_empty(), "{count} guesses told something:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn another_organizations_cursors_page_only_through_ones_own_things() {
    let world = world().await;
    let (t, pool) = (&world.theirs, &world.app.state.pool);
    let (id, created): (i64, i64) =
        sqlx::query_as("SELECT id, created_at FROM runs WHERE name = $1")
            .bind(&t.run)
            .fetch_one(pool)
            .await
            .expect("Mallory's run");
    let after = |endpoint: &str| Ask::Studio(endpoint.to_owned(), world.form("@ws&after=GUESS"));
    // Their run's place in the newest-first order; their names in the lists by name (the
    // datastores' list is not paged).
    let mut cursors = vec![(after("runs/list"), format!("{id}.{created}"))];
    for &(collection, _, theirs) in LOOKUPS.iter().filter(|(c, ..)| *c != "datastores") {
        cursors.push((after(&format!("{collection}/list")), world.values(theirs).0));
    }
    // Their pipeline's second run; their organization's newest activity.
    let runs = Ask::Studio(
        "pipelines/get".to_owned(),
        world.form("@ws&pipeline=ada-pipeline&after=GUESS"),
    );
    cursors.push((runs, "2".to_owned()));
    let activity =
        Ask::Studio("access/activity".to_owned(), world.form("scope=@org_scope&before=GUESS"));
    cursors.push((activity, (world.their_newest_event + 1).to_string()));
    let mut problems = Vec::new();
    for (ask, cursor) in cursors {
        problems.extend(world.problems_after(ask, &cursor).await);
    }
    assert!(problems.is_empty(), "cursors of Mallory's:\n{}", problems.join("\n"));
}
