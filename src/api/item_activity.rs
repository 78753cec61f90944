//! The activity section of an item's page: the activity log's events about that one item.

use serde::{Deserialize, Serialize};

/// One change to an item, said in a few words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEvent {
    pub actor: String,
    pub what: String,
    pub at: i64,
}

/// The newest events about `target`, described by `describe(action, details)`. `None` for those
/// who may not read the activity log: the history names who did what, so it is the log's to
/// show, under the log's action.
#[cfg(feature = "ssr")]
pub(crate) async fn recent(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    actions: &[crate::authz::Action],
    target: &str,
    describe: fn(&str, &str) -> String,
) -> Result<Option<Vec<ItemEvent>>, crate::error::AppError> {
    use crate::authz::Action;
    use crate::server::error::OrInternal;

    const SHOWN: i64 = 20;
    if !ws.permits(Action::ActivityLogRead) {
        return Ok(None);
    }
    let events = crate::server::db::audit::for_item(pool, ws, actions, target, SHOWN)
        .await
        .or_internal("reading an item's activity")?;
    Ok(Some(
        events
            .into_iter()
            .map(|e| ItemEvent {
                what: describe(&e.action, &e.details),
                actor: e.actor_name,
                at: e.created_at,
            })
            .collect(),
    ))
}
