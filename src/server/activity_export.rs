//! `GET /activity/export?scope=…`: a scope's activity log as JSON lines, for tools that keep
//! their own records. Authorized exactly like the activity-log page.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::user_of_session;
use super::authz;
use super::db::audit::{self, Filter};
use super::state::AppState;
use crate::authz::Action;
use crate::domain::ScopePath;
use crate::error::AppError;

/// Enough for years of a busy workspace; beyond it, narrow the time range.
const MAX_EVENTS: i64 = 100_000;
const BATCH: i64 = 1_000;

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    scope: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    since: Option<i64>,
    until: Option<i64>,
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ExportQuery>,
) -> Response {
    match lines(&state, &session, query).await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.kind.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.message).into_response()
        }
    }
}

async fn lines(
    state: &AppState,
    session: &Session,
    query: ExportQuery,
) -> Result<(String, String), AppError> {
    let user = user_of_session(state, session).await?.ok_or_else(AppError::unauthenticated)?;
    let path = ScopePath::parse(&query.scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::ActivityLogRead).await?;
    let text = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let mut filter = Filter {
        actor: text(query.actor),
        action: text(query.action),
        since: query.since,
        until: query.until,
        before_id: None,
        limit: BATCH,
    };
    let mut body = String::new();
    let mut written = 0;
    while written < MAX_EVENTS {
        let batch = audit::list(&state.pool, proof.target().place(), &filter)
            .await
            .map_err(|e| super::error::internal("exporting the activity log", e))?;
        for event in &batch {
            let details: serde_json::Value =
                serde_json::from_str(&event.details).unwrap_or_default();
            let line = serde_json::json!({
                "id": event.id,
                "time": event.created_at,
                "actor": event.actor_name,
                "action": event.action,
                "scope": event.scope_path,
                "target": event.target,
                "details": details,
                "client_address": event.client_address,
            });
            body.push_str(&line.to_string());
            body.push('\n');
        }
        written += batch.len() as i64;
        match batch.last() {
            Some(last) if batch.len() as i64 == BATCH => filter.before_id = Some(last.id),
            _ => break,
        }
    }
    let name = format!("activity{}.jsonl", path.to_string().replace('/', "-"));
    Ok((name, body))
}
