//! Service principals: non-human principals for pipelines and CI, made in an organization by
//! those who may give roles there (`roleAssignments/write`), given roles on Access control pages
//! like people, and acting only through tokens those same people make and revoke.
//!
//! Guards: reading the list and an SP's tokens needs `roleAssignments/read` on the
//! organization; creating an SP or a token, and revoking a token, `roleAssignments/write`.
//! Deleting one takes away all its roles, so it needs `roleAssignments/delete` as well as
//! `write` (removing a role needs `delete`, as in Azure; the SP itself is the organization's
//! access to manage).

mod create;
mod create_token;
mod delete;
mod list;
mod revoke_token;
mod tokens;

pub use create::{create_service_principal, CreateServicePrincipal};
pub use create_token::{create_service_principal_token, CreateServicePrincipalToken};
pub use delete::{delete_service_principal, DeleteServicePrincipal};
pub use list::{list_service_principals, ListServicePrincipals};
pub use revoke_token::{revoke_service_principal_token, RevokeServicePrincipalToken};
pub use tokens::{service_principal_tokens, ServicePrincipalTokens};

#[cfg(feature = "ssr")]
pub(crate) use create::create;
#[cfg(feature = "ssr")]
pub(crate) use create_token::create_token;
#[cfg(feature = "ssr")]
pub(crate) use delete::delete;
#[cfg(feature = "ssr")]
pub(crate) use list::principals_of;
#[cfg(feature = "ssr")]
pub(crate) use revoke_token::revoke_token;
#[cfg(feature = "ssr")]
pub(crate) use tokens::tokens_of;

use serde::{Deserialize, Serialize};

use crate::api::tokens::TokensView;
use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePrincipalRow {
    pub name: String,
    /// The address-shaped identity roles are given to.
    pub identity: String,
    pub created_at: i64,
    /// Role assignments it holds in the organization.
    pub roles: i64,
    /// Tokens that still work.
    pub active_tokens: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePrincipalsView {
    pub organization_slug: String,
    pub organization_name: String,
    pub principals: Vec<ServicePrincipalRow>,
    /// What the caller may do in the organization (to show the forms they may use).
    pub permitted: Vec<Action>,
}

impl ServicePrincipalsView {
    pub fn may(&self, action: Action) -> bool {
        self.permitted.contains(&action)
    }
}

/// One service principal's tokens, with the reaches a new one may have (only the organization
/// and its workspaces: never "everything").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipalTokensView {
    pub name: String,
    pub identity: String,
    pub tokens: TokensView,
    /// Whether the caller may create and revoke its tokens.
    pub may_manage: bool,
}

pub mod fields {
    pub const ORGANIZATION: &str = "organization";
    pub const SERVICE_PRINCIPAL: &str = "service_principal";
    pub const NAME: &str = "name";
    pub const CONFIRM_NAME: &str = "confirm_name";
}

/// The organization's live service principal called `name`; "not found" otherwise (a name that
/// cannot be valid names no one).
#[cfg(feature = "ssr")]
pub(crate) async fn principal_in(
    pool: &crate::server::db::Pool,
    org: &crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
    name: &str,
) -> Result<crate::server::db::service_principals::ServicePrincipal, crate::error::AppError> {
    use crate::domain::service_principal::ServicePrincipalName;
    use crate::error::AppError;
    use crate::server::db::service_principals;
    use crate::server::error::OrInternal;
    let name = ServicePrincipalName::parse(name).map_err(|_| AppError::not_found())?;
    service_principals::find(pool, org, &identity(&name, org)?)
        .await
        .or_internal("finding a service principal")?
        .ok_or_else(AppError::not_found)
}

/// The identity of `name` in the organization, as an email address.
#[cfg(feature = "ssr")]
pub(crate) fn identity(
    name: &crate::domain::service_principal::ServicePrincipalName,
    org: &crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
) -> Result<crate::domain::Email, crate::error::AppError> {
    use crate::server::error::OrInternal;
    // Valid names and slugs always make a valid address (a property test says so).
    crate::domain::Email::parse(&name.identity(&org.target().slug))
        .or_internal("making a service principal's identity")
}

#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::service_principals::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::service_principals::ChangeError;
    match error {
        ChangeError::NameTaken => AppError::conflict(
            fields::NAME,
            "This organization already has a service principal of that name (letter case aside).",
        ),
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::LastOwner(place) => AppError::new(
            ErrorKind::Conflict,
            format!(
                "This service principal is the last Owner of {place}. Make someone else Owner \
                 there first."
            ),
        ),
        ChangeError::Database(e) => {
            crate::server::error::internal("changing a service principal", e)
        }
    }
}
