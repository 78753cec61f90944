//! Every page the router serves, taken from the router's own route list, requested with a plain
//! GET (no JavaScript) as the owner of a furnished organization, as a stranger (signed in, with
//! an organization of her own) and as a visitor. A tenant page answers the stranger 404 with
//! exactly the bytes of a page that does not exist, and the visitor alike for what exists and
//! what does not; a route the test cannot classify or fill fails it, so no page is added
//! without being tried here.
//!
//! The rest of issue 15's matrix asks each page too: an account that never confirmed its
//! address, a member whose role was removed and one whose time-boxed access ended are answered
//! exactly as the stranger is; an account the instance admin disabled, exactly as the visitor.

use std::collections::BTreeSet;

use reqwest::{Client, StatusCode};

use crate::helpers::{client, spawn_app, TestApp};
use crate::membership::{add_member, add_member_until};

/// One workspace holding one of each kind of object, every name starting with its prefix, and
/// the ids the server gave them (the pages here, and `id_guessing` twice: one per tenant).
pub struct Furnished {
    pub org: String,
    pub group: String,
    pub ws: String,
    pub prefix: String,
    /// A running run of the experiment, with a model version registered from it.
    pub run: String,
    /// A second run of the experiment, queued.
    pub other_run: String,
    /// A pending invitation to the workspace, its id and its link's token.
    pub invitation: String,
    pub invitation_token: String,
    /// The id of the service principal's token.
    pub principal_token: String,
}

impl Furnished {
    /// The name of the fixture's object of `kind` (experiment, model, data, env, gpu, scorer,
    /// blue, pipeline, bot, watcher).
    pub fn named(&self, kind: &str) -> String {
        format!("{}-{kind}", self.prefix)
    }

    pub fn datastore(&self) -> String {
        format!("{}_store", self.prefix)
    }

    pub fn scope(&self) -> String {
        format!("/organizations/{}/resourceGroups/{}/workspaces/{}", self.org, self.group, self.ws)
    }

    /// The workspace's arguments for its server functions, followed by `extra`.
    pub fn form(&self, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let here = [("organization", &self.org), ("resource_group", &self.group)];
        let here = here.into_iter().chain([("workspace", &self.ws)]).map(|(k, v)| (k, v.clone()));
        here.chain(extra.iter().map(|(k, v)| (*k, v.to_string()))).collect()
    }

    /// Calls `endpoint` in the workspace as `client` with `extra`, asserting it succeeds.
    pub async fn make(
        &self,
        app: &TestApp,
        client: &Client,
        endpoint: &str,
        extra: &[(&'static str, &str)],
    ) {
        made(app, client, endpoint, &pairs(&self.form(extra))).await;
    }
}

/// An owned form as the pairs [`TestApp::call`] takes.
pub fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Calls `endpoint` as `client` with `form`, asserting it succeeds.
async fn made(app: &TestApp, client: &Client, endpoint: &str, form: &[(&str, &str)]) {
    let response = app.call(client, endpoint, form).await;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "{endpoint} {form:?}: {body}");
}

/// As `owner`: organization `org` (display name `title`) with group `group` and workspace
/// `ws`, holding one of each kind of object named with `prefix`.
pub async fn furnish(
    app: &TestApp,
    owner: &Client,
    (org, title, group, ws): (&str, &str, &str, &str),
    prefix: &str,
) -> Furnished {
    made(app, owner, "organizations/create", &[("name", title), ("slug", org)]).await;
    let (placement, display_name) = (format!("{org}/"), format!("{title} {ws} studio"));
    let description = format!("{title}'s secret models");
    let workspace = [("placement", placement.as_str()), ("new_resource_group", group)];
    let about = [("display_name", display_name.as_str()), ("description", &description)];
    let kind = [("name", ws), ("environment", "development"), ("tags", "team=vision")];
    let workspace: Vec<_> = workspace.into_iter().chain(about).chain(kind).collect();
    made(app, owner, "workspaces/create", &workspace).await;
    let mut at = Furnished {
        org: org.to_owned(),
        group: group.to_owned(),
        ws: ws.to_owned(),
        prefix: prefix.to_owned(),
        run: String::new(),
        other_run: String::new(),
        invitation: String::new(),
        invitation_token: String::new(),
        principal_token: String::new(),
    };
    let n = |kind: &str| at.named(kind);
    let (experiment, model, data, env) = (n("experiment"), n("model"), n("data"), n("env"));
    let (gpu, scorer, blue, pipeline) = (n("gpu"), n("scorer"), n("blue"), n("pipeline"));
    let (bot, watcher, store) = (n("bot"), n("watcher"), at.datastore());
    at.make(app, owner, "experiments/create", &[("name", &experiment)]).await;
    let submit = [("experiment", experiment.as_str()), ("status", "running"), ("params", "lr=0.1")];
    at.make(app, owner, "runs/create", &submit).await;
    at.make(app, owner, "runs/create", &[("experiment", &experiment)]).await;
    let runs = app.json(owner, "runs/list", &pairs(&at.form(&[])), StatusCode::OK).await;
    at.other_run = runs["runs"][0]["name"].as_str().expect("a run").to_owned();
    at.run = runs["runs"][1]["name"].as_str().expect("a run").to_owned();
    let run = at.run.clone();
    let log = [("run", run.as_str()), ("metrics", "loss 0.5"), ("log", "epoch 1")];
    at.make(app, owner, "runs/update", &log).await;
    at.make(app, owner, "models/register", &[("name", &model), ("source_run", &run)]).await;
    let csv = [("name", data.as_str()), ("format", "csv"), ("file_name", "data.csv")];
    let csv: Vec<_> = csv.into_iter().chain([("content", "YSxiCjEsMgo=")]).collect();
    at.make(app, owner, "datasets/register", &csv).await;
    let local = [("name", store.as_str()), ("kind", "local"), ("path", "x")];
    at.make(app, owner, "datastores/create", &local).await;
    let cluster = [("name", gpu.as_str()), ("kind", "cluster"), ("max_nodes", "2")];
    at.make(app, owner, "computes/create", &cluster).await;
    let image = [("name", env.as_str()), ("base_image", "python:3.11-slim")];
    at.make(app, owner, "environments/register", &image).await;
    at.make(app, owner, "endpoints/create", &[("name", &scorer)]).await;
    let deploy =
        [("endpoint", scorer.as_str()), ("name", &blue), ("model", &model), ("model_version", "1")];
    at.make(app, owner, "endpoints/create_deployment", &deploy).await;
    let steps = "prep: python prep.py\ntrain after prep: python train.py";
    at.make(app, owner, "pipelines/create", &[("name", &pipeline), ("steps", steps)]).await;
    at.make(app, owner, "pipelines/submit", &[("pipeline", &pipeline)]).await;

    let organization = ("organization", org);
    made(app, owner, "service_principals/create", &[organization, ("name", &bot)]).await;
    let reach = format!("/organizations/{org}");
    let token = [organization, ("service_principal", &bot), ("name", "ci"), ("reach", &reach)];
    made(app, owner, "service_principals/create_token", &token).await;
    let tokens = [organization, ("service_principal", bot.as_str())];
    let tokens = app.json(owner, "service_principals/tokens", &tokens, StatusCode::OK).await;
    at.principal_token = tokens["tokens"]["tokens"][0]["id"].to_string();
    let role = [("name", watcher.as_str()), ("actions", "*/read"), ("assignable_scopes", &reach)];
    made(app, owner, "roles/save", &[&[organization][..], &role].concat()).await;

    let scope = at.scope();
    let invitee = format!("{prefix}-invitee@example.com");
    let invite = [("scope", scope.as_str()), ("emails", &invitee), ("role", "Reader")];
    let invite: Vec<_> = invite.into_iter().chain([("note", ""), ("access_ends", "")]).collect();
    made(app, owner, "invitations/create", &invite).await;
    let view = app.json(owner, "access/get", &[("scope", &scope)], StatusCode::OK).await;
    at.invitation = view["invitations"][0]["id"].to_string();
    at.invitation_token = crate::membership::invitation_token(app, owner, &scope, &invitee).await;
    at
}

/// What a page is, and so who may see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// For anyone, signed in or not.
    Public,
    /// A signed-in person's own things (their account, tokens, inbox, organizations, forms).
    Personal,
    /// The instance administrator's pages.
    InstanceAdmin,
    /// An organization's data: only for those holding a role in it.
    Tenant,
}

/// Every route path, classified by hand except the tenant pages, which are everything below
/// `/organizations/{org}`. `None`: a route nobody has classified yet.
fn kind_of(path: &str) -> Option<Kind> {
    Some(match path {
        "/" | "/sign-in" | "/sign-up" | "/forgot-password" => Kind::Public,
        // A link's token is its credential: the page is for whoever holds the link.
        "/invite/{token}" | "/setup/{token}" | "/confirm/{token}" | "/reset-password/{token}" => {
            Kind::Public
        }
        "/account" | "/account/sessions" | "/tokens" | "/invitations" | "/organizations"
        | "/workspaces/new" | "/projects/new" => Kind::Personal,
        "/admin" | "/admin/outbox" => Kind::InstanceAdmin,
        p if p.starts_with("/organizations/{org}") => Kind::Tenant,
        _ => return None,
    })
}

/// The value of route parameter `name` in `path` for the furnished workspace; `None` for a
/// parameter the test does not know.
fn value_of(at: &Furnished, path: &str, name: &str) -> Option<String> {
    Some(match name {
        "org" => at.org.clone(),
        "group" => at.group.clone(),
        "workspace" => at.ws.clone(),
        "experiment" => at.named("experiment"),
        "datastore" => at.datastore(),
        "dataset" => at.named("data"),
        "version" => "1".to_owned(),
        "environment" => at.named("env"),
        // A pipeline's runs are numbered; a workspace's runs have names.
        "run" if path.contains("/pipelines/") => "1".to_owned(),
        "run" => at.run.clone(),
        "model" => at.named("model"),
        "compute" => at.named("gpu"),
        "endpoint" => at.named("scorer"),
        "deployment" => at.named("blue"),
        "pipeline" => at.named("pipeline"),
        // Only the invitation's token is real: the others are links nobody was sent.
        "token" if path.starts_with("/invite/") => at.invitation_token.clone(),
        "token" => "an-unknown-link-token".to_owned(),
        _ => return None,
    })
}

/// A route with a value for each of its parameters.
#[derive(Clone)]
struct Target<'a> {
    route: &'a str,
    values: Vec<(&'a str, String)>,
    /// The query string's pairs.
    query: Vec<(&'a str, String)>,
}

/// Route parameters are written `{name}` (and `:name` where leptos spells them so).
fn parameter(segment: &str) -> Option<&str> {
    segment
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .or_else(|| segment.strip_prefix(':'))
}

impl<'a> Target<'a> {
    /// `route` filled from the furnished workspace, or the names of the parameters it has no
    /// value for.
    fn of(at: &Furnished, route: &'a str) -> Result<Self, Vec<&'a str>> {
        let names: Vec<&str> = route.split('/').filter_map(parameter).collect();
        let unknown: Vec<&str> =
            names.iter().copied().filter(|n| value_of(at, route, n).is_none()).collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let values = names.into_iter().map(|n| (n, value_of(at, route, n).unwrap())).collect();
        // The comparison page compares the runs its query names.
        let query = match route.ends_with("/runs/compare") {
            true => vec![("run", at.run.clone()), ("run", at.other_run.clone())],
            false => Vec::new(),
        };
        Ok(Self { route, values, query })
    }

    fn path(&self) -> String {
        let mut values = self.values.iter().map(|(_, v)| v.as_str());
        let segments = self.route.split('/').map(|s| match parameter(s) {
            Some(_) => values.next().unwrap_or_default(),
            None => s,
        });
        let query: Vec<String> = self.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        segments.collect::<Vec<_>>().join("/") + &query
    }

    /// The same route with parameter `name` set to `value`.
    fn with(&self, name: &str, value: impl Fn(&str) -> String) -> Self {
        let mut changed = self.clone();
        for (n, v) in &mut changed.values {
            if *n == name {
                *v = value(v);
            }
        }
        changed
    }

    /// The value of parameter `name` (empty when the route has none).
    fn value(&self, name: &str) -> &str {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    fn last_parameter(&self) -> &'a str {
        self.values.last().map(|(n, _)| *n).unwrap_or_default()
    }
}

/// A value nobody's object has, shaped like `real` (numbers stay numbers).
fn absent(real: &str) -> String {
    if real.chars().all(|c| c.is_ascii_digit()) {
        "987654".to_owned()
    } else {
        "nothing-here".to_owned()
    }
}

/// The page's body with what differs per request made neutral:
/// - the nonce of this render: a fresh random value each time, named by the
///   Content-Security-Policy header and written into the hydration scripts' `nonce` and the
///   preload links' `crossorigin` attributes;
/// - the request's own parameters, which a page may echo (the activity log's title names the
///   organization of its address before anything is loaded): each value of three characters
///   or more becomes `{name}`. Whoever sent the address knows them; what the server adds from
///   its data (display names, descriptions) is left as it is, and must not differ.
fn normalized(body: &str, policy: Option<&str>, target: &Target) -> String {
    let nonce = policy.and_then(|p| p.split("'nonce-").nth(1)).and_then(|r| r.split('\'').next());
    let mut body = match nonce {
        Some(nonce) if !nonce.is_empty() => body.replace(nonce, "NONCE"),
        _ => body.to_owned(),
    };
    let mut values: Vec<&(&str, String)> =
        target.values.iter().chain(&target.query).filter(|(_, v)| v.len() >= 3).collect();
    values.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (name, value) in values {
        body = body.replace(value.as_str(), &format!("{{{name}}}"));
    }
    body
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Page {
    /// What the page says: its `<main>` element, without the header's menus, which are about
    /// whoever asks (their name and address, their own workspaces).
    fn content(&self) -> Page {
        let start = self.body.find("<main").unwrap_or(0);
        let end = self.body[start..]
            .find("</main>")
            .map_or(self.body.len(), |e| start + e + "</main>".len());
        let body = self.body[start..end].to_owned();
        Page { status: self.status, location: self.location.clone(), body }
    }
}

async fn page(app: &TestApp, who: &Client, target: &Target<'_>) -> Page {
    let response = who.get(app.url(&target.path())).send().await.expect("request sent");
    let status = response.status();
    let header =
        |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let location = header(reqwest::header::LOCATION);
    let policy = header(reqwest::header::CONTENT_SECURITY_POLICY);
    let body = normalized(&response.text().await.expect("a body"), policy.as_deref(), target);
    Page { status, location, body }
}

/// Where two bodies first differ, for a failure message.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let around = |s: &str| {
        let bytes = &s.as_bytes()[at.saturating_sub(80)..(at + 80).min(s.len())];
        String::from_utf8_lossy(bytes).into_owned()
    };
    format!("at byte {at}:\n  {:?}\nvs\n  {:?}", around(a), around(b))
}

/// What the matrix found wrong, each with the page and who asked.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn expect(&mut self, holds: bool, what: impl FnOnce() -> String) {
        if !holds {
            self.0.push(what());
        }
    }

    fn status(&mut self, page: &Page, status: StatusCode, context: &str) {
        let got = (page.status, &page.location);
        self.expect(got == (status, &None), || format!("{context}: {got:?}, not {status}"));
    }

    /// The two answers must be the same: status, redirect and (normalized) body.
    fn same(&mut self, context: &str, a: &Page, b: &Page) {
        let (got, other) = ((a.status, &a.location), (b.status, &b.location));
        self.expect(got == other, || format!("{context}: {got:?} vs {other:?}"));
        let differ = || format!("{context}: bodies differ {}", first_difference(&a.body, &b.body));
        self.expect(a.body == b.body, differ);
    }

    /// Text only the owner's data holds (no address names it): a page showing it to anyone
    /// else shows them the organization.
    fn shows_nothing_of_the_owner(&mut self, context: &str, page: &Page) {
        for text in OWNER_DATA {
            self.expect(!page.body.contains(text), || format!("{context} shows {text:?}"));
        }
    }
}

struct Visitors<'a> {
    owner: &'a Client,
    stranger: &'a Client,
    visitor: &'a Client,
    /// Signed in, and holding no role in the organization (any more): each is answered
    /// exactly as the stranger is.
    outsiders: [(&'static str, &'a Client); 3],
    /// A reader of the organization whose account the instance admin disabled (the same
    /// session as before): answered exactly as the visitor is.
    disabled: &'a Client,
}

/// The people of issue 15's matrix besides the stranger and the visitor, on their own clients.
struct Former {
    /// Una: signed up, never confirmed her address, belongs to no organization.
    unconfirmed: Client,
    /// Rick: read the organization until the owner removed his role.
    removed: Client,
    /// Eve: read the organization until her time-boxed access ended.
    expired: Client,
    /// Dina: read the organization until the instance admin disabled her account.
    disabled: Client,
}

/// Makes [`Former`]'s people in `at`'s organization, as `owner` (also the instance admin, the
/// first to sign up), each reading it before losing their standing; moves the server's clock
/// three days on.
async fn former_members(app: &TestApp, owner: &Client, at: &Furnished) -> Former {
    let scope = format!("/organizations/{}", at.org);
    let unconfirmed = app.signed_in("Una", "una@example.com").await;
    let listed = app.json(owner, "instance/unconfirmed", &[], StatusCode::OK).await;
    let emails = listed.as_array().expect("a list").iter().map(|a| &a["email"]);
    assert!(emails.into_iter().any(|e| e == "una@example.com"), "{listed}");
    let removed = app.signed_in("Rick", "rick@example.com").await;
    add_member(app, owner, &removed, &scope, "Reader").await;
    let disabled = app.signed_in("Dina", "dina@example.com").await;
    add_member(app, owner, &disabled, &scope, "Reader").await;
    // Eve's access ends at the start of the day after tomorrow, at the latest.
    let expired = app.signed_in("Eve", "eve@example.com").await;
    let ends = atelier::domain::format::date(app.clock.now() + 2 * 86_400);
    add_member_until(app, owner, &expired, (&scope, "Reader"), &ends).await;
    for (who, member) in [("Rick", &removed), ("Dina", &disabled), ("Eve", &expired)] {
        let response = member.get(app.url(&scope)).send().await.expect("request sent");
        assert_eq!(response.status(), StatusCode::OK, "{who} reads {scope} at first");
    }

    let view = app.json(owner, "access/get", &[("scope", &scope)], StatusCode::OK).await;
    let assignments = view["assignments"].as_array().expect("the owner reads assignments");
    let rick = assignments.iter().find(|a| a["email"] == "rick@example.com");
    let rick = rick.unwrap_or_else(|| panic!("Rick's role at {scope}: {view}"))["id"].to_string();
    made(app, owner, "access/remove", &[("scope", &scope), ("assignment", &rick)]).await;
    crate::matrix::disable_account(app, owner, "dina@example.com").await;
    // Past Eve's end, and the server's housekeeping has run. Requests judge a time-boxed
    // assignment's end by the wall clock, not by the server's clock that tests move, so here
    // only housekeeping ends it (as in `matrix.rs`).
    app.clock.advance(3 * 86_400);
    atelier::server::mail::housekeeping::tidy(&app.state).await.expect("housekeeping");
    Former { unconfirmed, removed, expired, disabled }
}

/// The display name and description of the owner's organization and workspace.
const OWNER_DATA: &[&str] = &["Contoso Labs", "secret models"];

#[tokio::test]
async fn every_page_answers_its_owner_and_hides_tenant_data_from_strangers_and_visitors() {
    let app = spawn_app().await;
    let owner = app.signed_in("Ada", "ada@example.com").await;
    let at = furnish(&app, &owner, ("contoso", "Contoso Labs", "vision", "detector"), "ada").await;
    let stranger = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&stranger, "mallory-inc", "stuff", "things").await;
    let visitor = client();
    let former = former_members(&app, &owner, &at).await;
    let who = Visitors {
        owner: &owner,
        stranger: &stranger,
        visitor: &visitor,
        outsiders: [
            ("unconfirmed account", &former.unconfirmed),
            ("removed member", &former.removed),
            ("expired member", &former.expired),
        ],
        disabled: &former.disabled,
    };

    // Generated when the server was built: asking now renders nothing.
    let routes: BTreeSet<String> =
        atelier::server::startup::route_list().iter().map(|r| r.path().to_owned()).collect();
    let mut problems = Problems::default();
    let mut tenant_pages = 0;
    for route in &routes {
        let Some(kind) = kind_of(route) else {
            problems.0.push(format!("{route}: not classified (public, personal, admin or tenant)"));
            continue;
        };
        let target = match Target::of(&at, route) {
            Ok(target) => target,
            Err(unknown) => {
                problems.0.push(format!("{route}: no fixture value for parameters {unknown:?}"));
                continue;
            }
        };
        match kind {
            Kind::Tenant => tenant_page(&app, &target, &who, &mut problems).await,
            other => other_page(&app, &target, other, &who, &mut problems).await,
        }
        tenant_pages += usize::from(kind == Kind::Tenant);
    }
    assert!(tenant_pages >= 30, "{tenant_pages} tenant pages among the routes: {routes:?}");
    let count = problems.0.len();
    assert!(count == 0, "{count} problems in the page matrix:\n{}", problems.0.join("\n"));
}

/// The owner sees it; a stranger gets a 404 identical to that of an organization nobody has
/// and of an object the organization does not have; a visitor is asked to sign in (401 and a
/// link to the sign-in page, no redirect), identically for what exists and what does not.
/// Those who never belonged, or no longer belong, are answered as the stranger; a disabled
/// account as the visitor, to the byte.
async fn tenant_page(app: &TestApp, target: &Target<'_>, who: &Visitors<'_>, p: &mut Problems) {
    let path = target.path();
    p.status(&page(app, who.owner, target).await, StatusCode::OK, &format!("{path} (owner)"));
    let no_leaf = target.with(target.last_parameter(), absent);
    let missing = page(app, who.owner, &no_leaf).await;
    p.status(&missing, StatusCode::NOT_FOUND, &format!("{} (owner)", no_leaf.path()));

    let stranger = ("stranger", who.stranger);
    let hidden = as_if_missing(app, target, stranger, StatusCode::NOT_FOUND, p).await;
    // The header is theirs (their name, their own workspaces): what the page says must be the
    // stranger's, and the page as a whole that of an organization that does not exist.
    for (whom, outsider) in who.outsiders {
        let theirs = as_if_missing(app, target, (whom, outsider), StatusCode::NOT_FOUND, p).await;
        p.same(&format!("{path} ({whom} vs stranger)"), &theirs.content(), &hidden.content());
    }

    let visitor = ("visitor", who.visitor);
    let visiting = as_if_missing(app, target, visitor, StatusCode::UNAUTHORIZED, p).await;
    let sign_in = visiting.body.contains(r#"href="/sign-in""#);
    p.expect(sign_in, || format!("{path} (visitor): no link to sign in"));
    let context = format!("{path} (disabled account vs visitor)");
    p.same(&context, &page(app, who.disabled, target).await, &visiting);
}

/// `target` as `whom` on `client`, which must answer `status` with exactly the page of an
/// organization nobody has and of an object the organization does not have, show nothing of
/// the owner's, and not name the owner's organization on another's page (a menu listing it).
async fn as_if_missing(
    app: &TestApp,
    target: &Target<'_>,
    (whom, client): (&str, &Client),
    status: StatusCode,
    p: &mut Problems,
) -> Page {
    let path = target.path();
    let answer = page(app, client, target).await;
    p.status(&answer, status, &format!("{path} ({whom})"));
    p.shows_nothing_of_the_owner(&format!("{path} ({whom})"), &answer);
    let org = target.value("org");
    let no_org = target.with("org", |_| "umbrella".to_owned());
    let no_leaf = target.with(target.last_parameter(), absent);
    for absent in [&no_org, &no_leaf] {
        let other = page(app, client, absent).await;
        p.same(&format!("{path} vs {} ({whom})", absent.path()), &answer, &other);
        let named = absent.value("org") != org && other.body.contains(org);
        p.expect(!named, || format!("{} ({whom}) names organization {org}", absent.path()));
    }
    answer
}

/// Public pages answer everyone; personal pages answer whoever is signed in with their own
/// things (a visitor is asked to sign in); the instance admin's pages answer the admin (the
/// first account, the owner here), are not found for anyone else and ask a visitor to sign in.
async fn other_page(
    app: &TestApp,
    target: &Target<'_>,
    kind: Kind,
    who: &Visitors<'_>,
    p: &mut Problems,
) {
    let path = target.path();
    let (owner, stranger, visitor) = match kind {
        Kind::Public => (StatusCode::OK, StatusCode::OK, StatusCode::OK),
        Kind::Personal => (StatusCode::OK, StatusCode::OK, StatusCode::UNAUTHORIZED),
        Kind::InstanceAdmin => (StatusCode::OK, StatusCode::NOT_FOUND, StatusCode::UNAUTHORIZED),
        Kind::Tenant => unreachable!("tenant pages have their own checks"),
    };
    p.status(&page(app, who.owner, target).await, owner, &format!("{path} ({kind:?}, owner)"));
    let theirs = page(app, who.stranger, target).await;
    p.status(&theirs, stranger, &format!("{path} ({kind:?}, stranger)"));
    // The invitation's landing page shows its offer to whoever holds the link, by design.
    if !path.starts_with("/invite/") {
        p.shows_nothing_of_the_owner(&format!("{path} (stranger)"), &theirs);
    }
    let visiting = page(app, who.visitor, target).await;
    p.status(&visiting, visitor, &format!("{path} ({kind:?}, visitor)"));
    // A disabled account is signed out: every page answers it as it answers a visitor.
    let context = format!("{path} ({kind:?}, disabled account vs visitor)");
    p.same(&context, &page(app, who.disabled, target).await, &visiting);
}
