//! Who holds which role at which scope.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::scopes::AnyScope;
use super::{now, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::{Action, ScopeKind, ScopeRef};
use crate::domain::role_key;
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct Assignment {
    pub role_name: String,
    pub scope: ScopeRef,
    /// When time-boxed access ends.
    pub expires_at: Option<i64>,
    /// The group the role comes through, when it is assigned to a group the person is in.
    pub via_group: Option<String>,
}

/// An assignment with whom it is for, for access-control pages: a person or service principal
/// (`user_id`) or a group (`group_id`; its name is the display name, its email empty).
#[derive(Clone, Debug)]
pub struct AssignmentRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub group_id: Option<i64>,
    pub display_name: String,
    pub email: String,
    pub role_name: String,
    pub scope: ScopeRef,
    /// When time-boxed access ends.
    pub expires_at: Option<i64>,
    pub service_principal: bool,
}

impl AssignmentRow {
    /// How the activity log names whom the assignment is for.
    pub fn target(&self) -> String {
        match self.group_id {
            Some(_) => format!("group {}", self.display_name),
            None => format!("{} <{}>", self.display_name, self.email),
        }
    }

    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            group_id: row.try_get("group_id")?,
            display_name: row.try_get("display_name")?,
            email: row.try_get("email")?,
            role_name: row.try_get("role_name")?,
            scope: scope_from_row(row)?,
            expires_at: row.try_get("expires_at")?,
            service_principal: row.try_get::<String, _>("kind")? == "service_principal",
        })
    }
}

/// The columns of an [`AssignmentRow`] (`a` the assignment), whoever it is for.
const ASSIGNMENT_ROWS: &str = "SELECT a.id, a.user_id, a.group_id, \
     COALESCE(u.display_name, g.name) AS display_name, COALESCE(u.email, '') AS email, \
     COALESCE(u.kind, 'group') AS kind, a.role_name, a.scope_kind, a.scope_id, a.expires_at \
     FROM role_assignments a LEFT JOIN users u ON u.id = a.user_id \
     LEFT JOIN access_groups g ON g.id = a.group_id";

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the person already has this role here")]
    AlreadyAssigned,
    #[error("no such assignment at this scope")]
    NotFound,
    #[error("this is the last Owner here")]
    LastOwner,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub(crate) fn scope_from_row(row: &sqlx::any::AnyRow) -> Result<ScopeRef, sqlx::Error> {
    let kind: String = row.try_get("scope_kind")?;
    let kind = ScopeKind::from_db(&kind)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown scope kind {kind:?}").into()))?;
    Ok(ScopeRef { kind, id: row.try_get("scope_id")? })
}

/// The organizations where user `$1` may hold a role: through an assignment of their own or a
/// group they are in. A subquery for the lists of what a person can reach, whose every row is
/// then decided by `authz::filter_permitted`.
macro_rules! organizations_of_user {
    () => {
        "(SELECT organization_id FROM role_assignments WHERE user_id = $1 \
          UNION SELECT organization_id FROM access_group_members WHERE user_id = $1)"
    };
}
pub(crate) use organizations_of_user;

/// Owner assignments at one scope that keep it owned: a person's, or a group's while it has
/// members; time-boxed ones do not count (when they end, someone must still own it). Binds the
/// organization, scope kind, scope id and role name as `$1`–`$4`.
pub(crate) const LASTING_OWNERS: &str = "SELECT COUNT(*) FROM role_assignments a \
     WHERE a.organization_id = $1 AND a.scope_kind = $2 AND a.scope_id = $3 AND a.role_name = $4 \
     AND a.expires_at IS NULL AND (a.user_id IS NOT NULL OR EXISTS \
       (SELECT 1 FROM access_group_members m WHERE m.group_id = a.group_id))";

/// All of a person's assignments inside one organization (at any depth): their own, and those
/// of every group of the organization they are in.
pub async fn for_user_in_organization(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
) -> Result<Vec<Assignment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.role_name, a.scope_kind, a.scope_id, a.expires_at, g.name AS via_group \
         FROM role_assignments a LEFT JOIN access_groups g ON g.id = a.group_id \
         WHERE a.organization_id = $2 AND (a.expires_at IS NULL OR a.expires_at > $3) \
         AND (a.user_id = $1 OR a.group_id IN (SELECT m.group_id FROM access_group_members m \
         WHERE m.user_id = $1 AND m.organization_id = $2))",
    )
    .bind(user_id)
    .bind(organization_id)
    .bind(now())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Assignment {
                role_name: row.try_get("role_name")?,
                scope: scope_from_row(row)?,
                expires_at: row.try_get("expires_at")?,
                via_group: row.try_get("via_group")?,
            })
        })
        .collect()
}

/// The scopes where the role with this name (compared by key) is assigned in the organization.
pub async fn scopes_holding(
    pool: &Pool,
    organization_id: i64,
    role_name: &str,
) -> Result<Vec<ScopeRef>, sqlx::Error> {
    sqlx::query(
        "SELECT DISTINCT scope_kind, scope_id FROM role_assignments \
         WHERE organization_id = $1 AND role_key = $2",
    )
    .bind(organization_id)
    .bind(role_key(role_name))
    .fetch_all(pool)
    .await?
    .iter()
    .map(scope_from_row)
    .collect()
}

/// Every assignment that applies at the scope: made there or at one of its ancestors.
pub async fn applying_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    let chain = crate::server::authz::proof::Target::scope_chain(scope.target());
    let rows = sqlx::query(&format!(
        "{ASSIGNMENT_ROWS} \
         WHERE a.organization_id = $1 AND (a.expires_at IS NULL OR a.expires_at > $2) \
         ORDER BY display_name, a.id"
    ))
    .bind(scope.target().organization().id)
    .bind(now())
    .fetch_all(pool)
    .await?;
    let mut applying = Vec::new();
    for row in &rows {
        if chain.contains(&scope_from_row(row)?) {
            applying.push(AssignmentRow::from_row(row)?);
        }
    }
    Ok(applying)
}

/// Serializes changes to one organization's assignments: a no-op write that takes the row lock
/// (Postgres) or the write lock (SQLite) before anything is read, so two removals cannot both
/// see a second Owner that the other is removing.
pub(crate) async fn lock_organization(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organizations SET id = id WHERE id = $1")
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Records an assignment inside the caller's transaction (creating a scope makes its creator
/// Owner in the same commit), with its activity-log event.
pub async fn grant(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    scope: &AnyScope,
    user_id: i64,
    role_name: &str,
) -> Result<i64, ChangeError> {
    let given_by = actor.user_id.unwrap_or(user_id);
    grant_until(tx, actor, scope, (user_id, given_by), role_name, None).await
}

/// [`grant`], for an assignment that ends at `expires_at` when given (time-boxed access from an
/// invitation). `people` is (who gets it, who gave it: the one reminded before it ends).
pub async fn grant_until(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    scope: &AnyScope,
    people: (i64, i64),
    role_name: &str,
    expires_at: Option<i64>,
) -> Result<i64, ChangeError> {
    let (user_id, given_by) = people;
    let id = insert(tx, scope, (Some(user_id), None), (role_name, given_by), expires_at).await?;
    let event = Event {
        action: Action::RoleAssignmentsWrite,
        place: scope.place(),
        scope_path: &scope.path().to_string(),
        target: &user_target(tx, user_id).await?,
        details: json!({ "operation": "grant", "role": role_name, "expires_at": expires_at }),
    };
    audit::record(tx, actor, event).await?;
    Ok(id)
}

/// Inserts an assignment of `role_name` at `scope` for a person or service principal
/// (`principal.0`) or a group (`principal.1`): exactly one is given.
pub(crate) async fn insert(
    tx: &mut sqlx::AnyConnection,
    scope: &AnyScope,
    principal: (Option<i64>, Option<i64>),
    (role_name, given_by): (&str, i64),
    expires_at: Option<i64>,
) -> Result<i64, ChangeError> {
    let scope_ref = scope.scope_ref();
    let inserted = sqlx::query(
        "INSERT INTO role_assignments (organization_id, user_id, group_id, role_name, \
         scope_kind, scope_id, created_by, created_at, expires_at, role_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(scope.organization().id)
    .bind(principal.0)
    .bind(principal.1)
    .bind(role_name)
    .bind(scope_ref.kind.as_str())
    .bind(scope_ref.id)
    .bind(given_by)
    .bind(now())
    .bind(expires_at)
    .bind(role_key(role_name))
    .fetch_one(&mut *tx)
    .await;
    super::inserted_id(inserted, ChangeError::AlreadyAssigned)
}

/// "Name <email>" of a person, for activity-log targets.
pub(crate) async fn user_target(
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
) -> Result<String, sqlx::Error> {
    let row = sqlx::query("SELECT display_name, email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    Ok(format!(
        "{} <{}>",
        row.try_get::<String, _>("display_name")?,
        row.try_get::<String, _>("email")?
    ))
}

/// Gives `user_id` the role at the proof's scope, until `expires_at` (`None`: no end).
pub async fn add(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    user_id: i64,
    (role_name, expires_at): (&str, Option<i64>),
) -> Result<i64, ChangeError> {
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, scope.target().organization().id).await?;
    let people = (user_id, scope.user_id());
    let id = grant_until(&mut tx, actor, scope.target(), people, role_name, expires_at).await?;
    tx.commit().await?;
    Ok(id)
}

/// The assignment `id`, if it was made at exactly the proof's scope.
pub async fn find_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    id: i64,
) -> Result<Option<AssignmentRow>, sqlx::Error> {
    let target = scope.target();
    let here = target.scope_ref();
    let row = sqlx::query(&format!(
        "{ASSIGNMENT_ROWS} \
         WHERE a.id = $1 AND a.organization_id = $2 AND a.scope_kind = $3 AND a.scope_id = $4"
    ))
    .bind(id)
    .bind(target.organization().id)
    .bind(here.kind.as_str())
    .bind(here.id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(AssignmentRow::from_row).transpose()
}

/// The role an assignment changes to, and when the changed assignment ends (`None`: never).
#[derive(Clone, Copy, Debug)]
pub struct NewRole<'a> {
    pub name: &'a str,
    pub expires_at: Option<i64>,
}

/// Replaces the role of an assignment made at the proof's scope (`new_role`), or removes it
/// (`None`). The last Owner assignment of an organization or a workspace stays.
pub async fn change(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    assignment: &AssignmentRow,
    new_role: Option<NewRole<'_>>,
) -> Result<(), ChangeError> {
    let target = scope.target();
    let here = target.scope_ref();
    let org = target.organization().id;
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, org).await?;
    let changed = match new_role {
        Some(role) => {
            sqlx::query(
                "UPDATE role_assignments SET role_name = $1, role_key = $2, expires_at = $3 \
                 WHERE id = $4 AND organization_id = $5",
            )
            .bind(role.name)
            .bind(role_key(role.name))
            .bind(role.expires_at)
            .bind(assignment.id)
            .bind(org)
            .execute(&mut *tx)
            .await
        }
        None => {
            sqlx::query("DELETE FROM role_assignments WHERE id = $1 AND organization_id = $2")
                .bind(assignment.id)
                .bind(org)
                .execute(&mut *tx)
                .await
        }
    };
    match changed {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => return Err(ChangeError::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ChangeError::AlreadyAssigned)
        }
        Err(e) => return Err(e.into()),
    }
    if here.kind != ScopeKind::ResourceGroup {
        let owners: i64 = sqlx::query_scalar(LASTING_OWNERS)
            .bind(org)
            .bind(here.kind.as_str())
            .bind(here.id)
            .bind(OWNER)
            .fetch_one(&mut *tx)
            .await?;
        if owners == 0 {
            return Err(ChangeError::LastOwner);
        }
    }
    let (action, details) = match new_role {
        Some(role) => (
            Action::RoleAssignmentsWrite,
            json!({
                "operation": "change",
                "before": assignment.role_name,
                "after": role.name,
                "expires_at": role.expires_at,
            }),
        ),
        None => (
            Action::RoleAssignmentsDelete,
            json!({ "operation": "remove", "role": assignment.role_name }),
        ),
    };
    let event = Event {
        action,
        place: target.place(),
        scope_path: &target.path().to_string(),
        target: &assignment.target(),
        details,
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes every assignment at a scope that is being purged.
pub async fn remove_at_scope(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    scope: ScopeRef,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM role_assignments WHERE organization_id = $1 AND scope_kind = $2 AND scope_id = $3")
        .bind(organization_id)
        .bind(scope.kind.as_str())
        .bind(scope.id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// "Name <email>" for a person's assignment `a` (`u` the person), "group Name" for a group's
/// (`ag` the group): how the activity log and reminders name whom an assignment is for.
const PRINCIPAL_LABEL: &str = "CASE WHEN a.group_id IS NULL \
     THEN u.display_name || ' <' || u.email || '>' ELSE 'group ' || ag.name END AS principal";

/// Time-boxed assignments: reminds whoever gave each one (by email, through the outbox) once
/// it is within `notice` seconds of its end, and removes those that have ended, each with its
/// activity-log event. Returns (reminded, ended).
pub async fn tend_time_boxed(
    pool: &Pool,
    sealer: &crate::server::secrets::Sealer,
    now: i64,
    notice: i64,
) -> Result<(usize, usize), sqlx::Error> {
    use crate::server::mail::compose::access_ending;
    let ending = sqlx::query(&format!(
        "SELECT a.id, a.organization_id, a.role_name, a.scope_kind, a.scope_id, a.expires_at, \
         {PRINCIPAL_LABEL}, g.display_name AS giver_name, g.email AS giver_email \
         FROM role_assignments a LEFT JOIN users u ON u.id = a.user_id \
         LEFT JOIN access_groups ag ON ag.id = a.group_id \
         JOIN users g ON g.id = a.created_by \
         WHERE a.expires_at IS NOT NULL AND a.reminder_sent_at IS NULL \
         AND a.expires_at > $1 AND a.expires_at <= $2"
    ))
    .bind(now)
    .bind(now + notice)
    .fetch_all(pool)
    .await?;
    for row in &ending {
        let person: String = row.try_get("principal")?;
        let scope = scope_from_row(row)?;
        let place = format!("the {} you shared", scope.kind.label());
        let ends = crate::domain::format::date_time(row.try_get("expires_at")?);
        let giver: String = row.try_get("giver_name")?;
        let role: String = row.try_get("role_name")?;
        let (subject, body) = access_ending(&giver, &person, &place, &role, &ends);
        let body =
            serde_json::to_string(&body).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let sealed = sealer.seal(&body).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let mut tx = super::begin(pool).await?;
        let giver_email: String = row.try_get("giver_email")?;
        let mail = super::outbox::NewMail {
            organization_id: Some(row.try_get("organization_id")?),
            invitation_id: None,
            recipient: &giver_email,
            subject: &subject,
            sealed_body: &sealed,
            sealed_link: "",
        };
        super::outbox::queue(&mut tx, mail, now).await?;
        sqlx::query("UPDATE role_assignments SET reminder_sent_at = $1 WHERE id = $2")
            .bind(now)
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let ended = sqlx::query(&format!(
        "SELECT a.id, a.organization_id, a.role_name, a.scope_kind, a.scope_id, {PRINCIPAL_LABEL} \
         FROM role_assignments a LEFT JOIN users u ON u.id = a.user_id \
         LEFT JOIN access_groups ag ON ag.id = a.group_id \
         WHERE a.expires_at IS NOT NULL AND a.expires_at <= $1"
    ))
    .bind(now)
    .fetch_all(pool)
    .await?;
    for row in &ended {
        let at = (row.try_get("organization_id")?, scope_from_row(row)?);
        let mut tx = super::begin(pool).await?;
        sqlx::query("DELETE FROM role_assignments WHERE id = $1")
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        let target: String = row.try_get("principal")?;
        let details =
            json!({ "operation": "ended", "role": row.try_get::<String, _>("role_name")? });
        let action = Action::RoleAssignmentsDelete;
        super::invitations::record_system_event(
            &mut tx,
            "time-boxed access",
            at,
            action,
            &target,
            details,
        )
        .await?;
        tx.commit().await?;
    }
    Ok((ending.len(), ended.len()))
}
