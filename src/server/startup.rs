//! Builds the whole application from settings: database, sessions, routes, and the listener.
//! Tests build it on port 0 with a fresh database each.

use anyhow::Context;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};
use url::Url;

use super::clock::Clock;
use super::config::Settings;
use super::db::{self, sessions::SqlSessionStore};
use super::secrets::Sealer;
use super::site_files::SiteFiles;
use super::state::AppState;
use super::{activity_export, csrf, error_status, mail, password};
use crate::app::{shell, App};

pub const SESSION_COOKIE: &str = "atelier_session";
/// The session cookie's name when it is Secure: the prefix makes browsers refuse it unless it
/// is Secure, for this host only and for every path.
pub const SECURE_SESSION_COOKIE: &str = "__Host-atelier_session";

pub struct Application {
    listener: TcpListener,
    router: Router,
    base_url: Url,
    state: AppState,
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        super::private_dir::ensure_private_dir(&settings.data_dir)?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("listening on {}", settings.listen))?;
        let local_addr = listener.local_addr()?;
        let base_url = match &settings.base_url {
            Some(url) => url.clone(),
            None => Url::parse(&format!("http://{local_addr}"))?,
        };
        settings.base_url = Some(base_url.clone());

        let pool =
            db::connect_and_migrate(&settings.database_url, settings.database_max_connections)
                .await?;
        let sealer = Sealer::load(settings.secret_key.as_deref(), &settings.data_dir)?;
        let clock = Clock::default();
        let admin_setup = super::admin_setup::prepare(
            &pool,
            local_addr,
            &base_url,
            settings.admin_setup_token.as_deref(),
        )
        .await?;
        let passwords = password::Passwords::default();
        let state = AppState {
            pool: pool.clone(),
            leptos_options: leptos_options(&settings, local_addr),
            settings: Arc::new(settings),
            dummy_password_hash: passwords.dummy_hash().await?,
            passwords,
            clock: clock.clone(),
            sealer,
            mail_queued: Arc::default(),
            throttle: Arc::new(super::throttle::Throttle::new(clock)),
            admin_setup,
        };
        tokio::spawn(purge_expired_workspaces(pool.clone(), state.settings.data_dir.clone()));
        tokio::spawn(mail::housekeeping::run(state.clone()));
        if state.settings.smtp.is_some() {
            tokio::spawn(mail::delivery::run(state.clone()));
        }
        let site = SiteFiles::load(&state.settings.site_root).with_context(|| {
            format!("reading the site's files in {}", state.settings.site_root.display())
        })?;
        let router = router(state.clone(), SqlSessionStore::new(pool), site);
        Ok(Self { listener, router, base_url, state })
    }

    /// The server's shared state: tests move its clock forward and run its housekeeping.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!("listening on {}", self.base_url);
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")
    }
}

fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("atelier")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

fn router(state: AppState, store: SqlSessionStore, site: SiteFiles) -> Router {
    tokio::spawn(delete_expired_sessions(store.clone()));
    let base_url = state.settings.base_url.clone();
    let https = base_url.as_ref().is_some_and(|u| u.scheme() == "https");
    let (cookie_name, secure) = session_cookie(base_url.as_ref());
    if secure && !https {
        tracing::error!(
            "ATELIER_BASE_URL is plain http on an address other than loopback: browsers will not \
             keep the (Secure) session cookie, so nobody can stay signed in. Serve Atelier over \
             https (a TLS proxy in front) and set ATELIER_BASE_URL to its https address."
        );
    }
    let idle = time::Duration::minutes(state.settings.session_idle_minutes);
    let sessions = SessionManagerLayer::new(store)
        .with_name(cookie_name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));

    let sessions_for_api = sessions.clone();
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || {
            leptos::prelude::provide_context(state.clone());
            super::request_memo::RequestMemo::provide_for_page_renders();
            page_security_policy();
        }
    };
    let site = Arc::new(site);
    let links = site.links();
    let app_shell = {
        let (options, links) = (state.leptos_options.clone(), links.clone());
        move || shell(options.clone(), links.clone())
    };
    let not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        context.clone(),
        move |options| shell(options, links.clone()),
    );
    let fallback = move |uri: axum::http::Uri,
                         state: axum::extract::State<AppState>,
                         request: axum::extract::Request| {
        let site = site.clone();
        let not_found = not_found.clone();
        async move {
            match site.respond(uri.path(), request.headers()) {
                Some(response) => response,
                None => not_found(uri, state, request).await,
            }
        }
    };
    let studio = Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/activity/export", axum::routing::get(activity_export::export))
        .route(
            "/files/organizations/{org}/resourceGroups/{group}/workspaces/{workspace}/runs/{run}/outputs/{*path}",
            axum::routing::get(super::output_download::download),
        )
        .route(
            "/files/organizations/{org}/resourceGroups/{group}/workspaces/{workspace}/datasets/{asset}/versions/{version}/{file}",
            axum::routing::get(super::dataset_download::download),
        )
        .route(
            "/files/organizations/{org}/resourceGroups/{group}/workspaces/{workspace}/models/{model}/versions/{version}/{*path}",
            axum::routing::get(super::model_download::download),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), app_shell)
        // Uploads (run outputs, data assets, model files) arrive as base64 in a form: an 8 MB file takes
        // up to 32 MB once its '/' and '+' are percent-encoded, beyond axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::max(40 * 1024 * 1024))
        .fallback(fallback)
        .layer(axum::middleware::from_fn(error_status::set_error_status))
        .layer(axum::middleware::from_fn(super::plain_form_answers::mark_done))
        .layer(axum::middleware::from_fn(super::multipart_forms::multipart_to_fields))
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::refuse_cross_site))
        .layer(sessions)
        .layer(axum::middleware::from_fn(super::body_limits::limit_bodies));
    // The management API takes access tokens, or the studio's session under the studio's
    // cross-site check.
    let (api, _) = crate::api::v1::router_and_document();
    let api = api
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::refuse_cross_site))
        .layer(sessions_for_api)
        .layer(axum::middleware::from_fn(super::body_limits::limit_bodies));
    // The tracking API sits beside the studio, outside its sessions and cross-site checks: it
    // reads no cookie, only access tokens.
    Router::new()
        .merge(studio)
        .merge(api)
        .merge(super::mlflow::router())
        .layer(axum::middleware::from_fn(move |request, next| {
            super::security_headers::add_security_headers(https, request, next)
        }))
        // Pages are compressed as they are made: at the fastest level, a profile of the runs
        // page under load spent 11% of its time in deflate at the default one.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The request's span for the log: method and path, never the query string, and an invitation
/// link's token replaced, so tokens do not reach the log even at debug level.
fn request_span(request: &axum::extract::Request) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = %super::telemetry::loggable_path(request.uri().path()))
}

/// A rendered page's Content-Security-Policy, naming the nonce of this render (its hydration
/// script carries it). Renders without one (server functions) get the inert default.
fn page_security_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = super::security_headers::page_policy(&nonce);
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The session cookie's name and whether it is `Secure`: `__Host-` prefixed and Secure, unless
/// the site is plain http on a loopback address (a browser keeps no Secure cookie over http,
/// and loopback traffic never leaves the machine).
pub fn session_cookie(base_url: Option<&Url>) -> (&'static str, bool) {
    let loopback_http = base_url.is_some_and(|url| {
        url.scheme() == "http"
            && match url.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(name)) => name == "localhost",
                None => false,
            }
    });
    if loopback_http {
        (SESSION_COOKIE, false)
    } else {
        (SECURE_SESSION_COOKIE, true)
    }
}

/// The end of each deleted workspace's, run's and experiment's retention window.
async fn purge_expired_workspaces(pool: db::Pool, data_dir: std::path::PathBuf) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match db::workspaces::purge_expired(&pool).await {
            Ok(ids) if ids.is_empty() => {}
            Ok(ids) => {
                for id in &ids {
                    super::storage::remove_workspace_files(&data_dir, *id).await;
                }
                tracing::info!(purged = ids.len(), "purged workspaces past their retention window");
            }
            Err(error) => tracing::warn!(%error, "purging expired workspaces failed"),
        }
        let now = db::now();
        let runs = super::removals::purge_expired(&pool, &data_dir, now).await;
        if runs > 0 {
            tracing::info!(runs, "removed deleted runs past their retention window");
        }
    }
}

/// Expired sessions are refused on load anyway; this keeps the table from growing.
async fn delete_expired_sessions(store: SqlSessionStore) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "deleting expired sessions failed");
        }
    }
}

/// The app's routes, generated once per process. Generating them renders the app with resource
/// loading suspended process-wide, so a page rendering at that moment in another server of the
/// same process (tests build many) would wait forever (leptos issue 4773). Public so the page
/// matrix test can visit every route the router serves.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_except_on_plain_http_loopback() {
        let url = |text: &str| Url::parse(text).unwrap();
        for loopback in ["http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000"] {
            assert_eq!(session_cookie(Some(&url(loopback))), (SESSION_COOKIE, false), "{loopback}");
        }
        for elsewhere in ["https://atelier.example", "http://10.0.0.5:3000", "https://127.0.0.1"] {
            let chosen = session_cookie(Some(&url(elsewhere)));
            assert_eq!(chosen, (SECURE_SESSION_COOKIE, true), "{elsewhere}");
        }
    }
}
