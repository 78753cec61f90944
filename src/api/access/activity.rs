use leptos::prelude::*;

use super::ActivityPage;
use crate::error::AppError;

/// One page (newest first) of the activity log at `scope` and below, filtered by person
/// (name contains), action (string contains) and time (epoch seconds, `since` ≤ t < `until`).
#[server(endpoint = "access/activity")]
pub async fn activity_log(
    scope: String,
    #[server(default)] actor: String,
    #[server(default)] action: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] before: Option<i64>,
) -> Result<ActivityPage, AppError> {
    use super::ActivityEvent;
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::audit::{self, Filter};
    use crate::server::{auth, authz, error::OrInternal};

    const PAGE: i64 = 50;
    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::ActivityLogRead).await?;
    let text = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = Filter {
        actor: text(actor),
        action: text(action),
        since,
        until,
        before_id: before,
        limit: PAGE + 1,
    };
    let mut rows = audit::list(&state.pool, proof.target().place(), &filter)
        .await
        .or_internal("reading the activity log")?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    Ok(ActivityPage {
        next_before: if more { rows.last().map(|r| r.id) } else { None },
        events: rows
            .into_iter()
            .map(|r| ActivityEvent {
                id: r.id,
                actor: r.actor_name,
                action: r.action,
                scope: r.scope_path,
                target: r.target,
                details: r.details,
                client_address: r.client_address,
                at: r.created_at,
            })
            .collect(),
    })
}
