//! A service principal's tokens, made and revoked by the people who manage its organization's
//! access. Unlike personal tokens, each change is in the organization's activity log: the
//! credentials of a shared, non-human account are an organization's business.

use serde_json::json;

use super::access_tokens::{self, NewToken};
use super::audit::{self, Actor, Event};
use super::scopes::OrganizationScope;
use super::service_principals::ServicePrincipal;
use super::Pool;
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

/// Stores `new` (a token for `principal`) with its event. `reach` is how people read it.
pub async fn create(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    (principal, new): (&ServicePrincipal, &NewToken<'_>),
    reach: &str,
) -> Result<i64, sqlx::Error> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    let id = access_tokens::create(&mut *tx, new).await?;
    let event = Event {
        action: Action::RoleAssignmentsWrite,
        place: target.place(),
        scope_path: &target.path(),
        target: &principal.label(),
        details: json!({
            "operation": "create token",
            "token": new.name,
            "reach": reach,
            "read_only": new.read_only,
            "expires_at": new.expires_at,
        }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends the principal's token `id` at `at`, with its event. False when it has no such live
/// token.
pub async fn revoke(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    (principal, id): (&ServicePrincipal, i64),
    at: i64,
) -> Result<bool, sqlx::Error> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    if !access_tokens::revoke(&mut *tx, principal.id, id, at).await? {
        return Ok(false);
    }
    let event = Event {
        action: Action::RoleAssignmentsWrite,
        place: target.place(),
        scope_path: &target.path(),
        target: &principal.label(),
        details: json!({ "operation": "revoke token", "token_id": id }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(true)
}
