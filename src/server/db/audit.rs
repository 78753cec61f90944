//! The activity log's storage. Events are written inside the transaction of the change they
//! describe, so a change and its record stand or fall together.

use sqlx::Row;

use super::now;
use super::Pool;
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

/// Who did it, from where: taken once per request.
#[derive(Clone, Debug)]
pub struct Actor {
    /// `None` when Atelier acts on its own (purging at the end of a retention window).
    pub user_id: Option<i64>,
    pub name: String,
    pub client_address: String,
}

/// Where it happened: the organization, and the group and workspace when there is one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Place {
    pub organization_id: Option<i64>,
    pub resource_group_id: Option<i64>,
    pub workspace_id: Option<i64>,
}

impl Actor {
    pub fn system(task: &str) -> Self {
        Self { user_id: None, name: format!("Atelier ({task})"), client_address: String::new() }
    }
}

pub struct Event<'a> {
    pub action: Action,
    pub place: Place,
    pub scope_path: &'a str,
    pub target: &'a str,
    pub details: serde_json::Value,
}

pub async fn record(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (organization_id, resource_group_id, workspace_id, actor_user_id, \
         actor_name, action, scope_path, target, details, client_address, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(event.place.organization_id)
    .bind(event.place.resource_group_id)
    .bind(event.place.workspace_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(event.action.as_str())
    .bind(event.scope_path)
    .bind(event.target)
    .bind(event.details.to_string())
    .bind(&actor.client_address)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct EventRecord {
    pub id: i64,
    pub actor_name: String,
    pub action: String,
    pub scope_path: String,
    pub target: String,
    pub details: String,
    pub client_address: String,
    pub created_at: i64,
}

/// What an activity-log page asks for. `before_id` pages backwards (newest first).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Events in one organization, optionally narrowed to a group or workspace, newest first.
pub async fn list(
    pool: &Pool,
    place: Place,
    filter: &Filter,
) -> Result<Vec<EventRecord>, sqlx::Error> {
    // Each optional condition is written so that a NULL parameter switches it off; one
    // statement, no SQL assembled from strings.
    let rows = sqlx::query(
        "SELECT id, actor_name, action, scope_path, target, details, client_address, created_at \
         FROM audit_events \
         WHERE organization_id = $1 \
           AND ($2 IS NULL OR resource_group_id = $2) \
           AND ($3 IS NULL OR workspace_id = $3) \
           AND ($4 IS NULL OR LOWER(actor_name) LIKE $4) \
           AND ($5 IS NULL OR LOWER(action) LIKE $5) \
           AND ($6 IS NULL OR created_at >= $6) \
           AND ($7 IS NULL OR created_at < $7) \
           AND ($8 IS NULL OR id < $8) \
         ORDER BY id DESC LIMIT $9",
    )
    .bind(place.organization_id)
    .bind(place.resource_group_id)
    .bind(place.workspace_id)
    .bind(filter.actor.as_ref().map(|a| format!("%{}%", a.to_lowercase())))
    .bind(filter.action.as_ref().map(|a| format!("%{}%", a.to_lowercase())))
    .bind(filter.since)
    .bind(filter.until)
    .bind(filter.before_id)
    .bind(filter.limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(event_record).collect()
}

/// The newest events about one item of a workspace: `target` is its name in any spelling, and
/// `actions` keep out other kinds of asset that share the name.
pub async fn for_item(
    pool: &Pool,
    ws: &crate::server::authz::proof::Authorized<super::scopes::WorkspaceScope>,
    actions: &[Action],
    target: &str,
    limit: i64,
) -> Result<Vec<EventRecord>, sqlx::Error> {
    use super::statement::{bind_all, Arg};
    let (org, ws_id) = super::tenant(ws);
    // Placeholders $4.. for the actions, then the limit: all bound, nothing from input in SQL.
    let listed: Vec<String> = (0..actions.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT id, actor_name, action, scope_path, target, details, client_address, created_at \
         FROM audit_events \
         WHERE workspace_id = $1 AND organization_id = $2 AND LOWER(target) = $3 \
           AND action IN ({}) \
         ORDER BY id DESC LIMIT ${}",
        listed.join(", "),
        actions.len() + 4
    );
    let mut args = vec![Arg::Int(ws_id), Arg::Int(org), Arg::Text(target.to_lowercase())];
    args.extend(actions.iter().map(|a| Arg::Text(a.as_str().to_owned())));
    args.push(Arg::Int(limit));
    let rows = bind_all(sqlx::query(&sql), args).fetch_all(pool).await?;
    rows.iter().map(event_record).collect()
}

fn event_record(row: &sqlx::any::AnyRow) -> Result<EventRecord, sqlx::Error> {
    Ok(EventRecord {
        id: row.try_get("id")?,
        actor_name: row.try_get("actor_name")?,
        action: row.try_get("action")?,
        scope_path: row.try_get("scope_path")?,
        target: row.try_get("target")?,
        details: row.try_get("details")?,
        client_address: row.try_get("client_address")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Records a change to something in the workspace, in the change's transaction.
pub(super) async fn record_in_workspace(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<super::scopes::WorkspaceScope>,
    actor: &Actor,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let scope = ws.target();
    let event = Event { action, place: scope.place(), scope_path: &scope.path(), target, details };
    record(tx, actor, event).await
}
