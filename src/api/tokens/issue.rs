//! What making a token shares, whoever it acts for (a person, or a service principal): the
//! places it may reach, reading a chosen reach back, and checking its name and end before a
//! secret is made. Server only.

use super::{fields, CreatedToken, ReachChoice, EVERYTHING};
use crate::authz::Action;
use crate::domain::access_token::{parse_end_date, TokenName};
use crate::domain::{Invalid, ScopePath};
use crate::error::AppError;
use crate::server::access_tokens::{self as secrets, NewSecret};
use crate::server::db::access_tokens::{NewToken, StoredReach};
use crate::server::db::users::UserRecord;
use crate::server::db::{organizations, scopes::OrganizationScope, workspaces};
use crate::server::error::OrInternal;
use crate::server::{authz, state::AppState};

/// The reaches `user` may choose: with `within`, only that organization and its workspaces;
/// without, everything, then each of their organizations and workspaces.
pub(crate) async fn reach_choices(
    state: &AppState,
    user: &UserRecord,
    within: Option<&OrganizationScope>,
) -> Result<Vec<ReachChoice>, AppError> {
    let mut reaches = Vec::new();
    let organizations = match within {
        Some(org) => vec![org.clone()],
        None => {
            reaches.push(ReachChoice {
                value: EVERYTHING.to_owned(),
                label: "Everything I can reach".to_owned(),
            });
            organizations::of_member(&state.pool, user.id)
                .await
                .or_internal("listing organizations")?
        }
    };
    for org in organizations {
        reaches
            .push(ReachChoice { value: org.path(), label: format!("Organization {}", org.name) });
    }
    let candidates = workspaces::listings_for_member(&state.pool, user.id)
        .await
        .or_internal("listing workspaces")?
        .into_iter()
        .filter(|ws| within.is_none_or(|org| ws.scope.resource_group.organization.id == org.id))
        .collect();
    for ws in authz::filter_permitted(&state.pool, user, candidates, Action::WorkspacesRead).await?
    {
        let card = crate::api::workspaces::WorkspaceCard::from_listing(&ws);
        reaches.push(ReachChoice {
            value: card.url(),
            label: format!(
                "Workspace {} ({} / {})",
                card.name, card.organization_slug, card.resource_group
            ),
        });
    }
    Ok(reaches)
}

/// The reach a form chose: everything, or an organization or workspace `user` can see. Anything
/// else is "not found" beside the field.
pub(crate) async fn chosen_reach(
    state: &AppState,
    user: &UserRecord,
    reach: &str,
) -> Result<StoredReach, AppError> {
    let not_found = || {
        AppError::invalid_field(
            fields::REACH,
            Invalid::new("Choose an organization or workspace you belong to."),
        )
    };
    if reach.trim() == EVERYTHING {
        return Ok(StoredReach { organization_id: None, workspace_id: None });
    }
    match ScopePath::parse(reach).map_err(|_| not_found())? {
        ScopePath::Organization { org } => {
            let org = authz::organization(&state.pool, user, &org, Action::OrganizationsRead)
                .await
                .map_err(|_| not_found())?;
            Ok(StoredReach { organization_id: Some(org.target().id), workspace_id: None })
        }
        ScopePath::Workspace { org, group, workspace } => {
            let ws = authz::workspace(
                &state.pool,
                user,
                &crate::domain::WorkspacePath::new(org, group, workspace),
                Action::WorkspacesRead,
                authz::Deleted::Excluded,
            )
            .await
            .map_err(|_| not_found())?;
            let scope = ws.target();
            Ok(StoredReach {
                organization_id: Some(scope.resource_group.organization.id),
                workspace_id: Some(scope.id),
            })
        }
        ScopePath::Root | ScopePath::ResourceGroup { .. } => Err(not_found()),
    }
}

/// Refuses a token wider than the credential making it (a token; a browser session has no
/// limits): a token must not be a way to a longer, wider or writing one.
pub(crate) fn within_credential(
    limits: crate::server::authz::Limits,
    reach: &StoredReach,
    read_only: bool,
    expires_at: Option<i64>,
) -> Result<(), AppError> {
    use crate::server::authz::Reach;
    if limits.read_only && !read_only {
        return Err(AppError::invalid_field(
            fields::READ_ONLY,
            Invalid::new("The token you use is read-only, so the tokens it makes must be too."),
        ));
    }
    let within = match limits.reach {
        Reach::Everything => true,
        Reach::Organization(id) => reach.organization_id == Some(id),
        Reach::Workspace(id) => reach.workspace_id == Some(id),
    };
    if !within {
        return Err(AppError::invalid_field(
            fields::REACH,
            Invalid::new("A token can make tokens reaching only what it reaches itself."),
        ));
    }
    if let Some(end) = limits.ends_at {
        if expires_at.is_none_or(|e| e > end) {
            return Err(AppError::invalid_field(
                fields::ENDS_ON,
                Invalid::new(format!(
                    "The token you use ends on {}; the tokens it makes must end by then.",
                    crate::domain::format::date(end - 1)
                )),
            ));
        }
    }
    Ok(())
}

/// A token about to be stored: its checked name and end, and its new secret.
pub(crate) struct Prepared {
    pub name: TokenName,
    pub expires_at: Option<i64>,
    pub secret: NewSecret,
}

/// Checks the name and end date (each error beside its field), then makes a secret.
pub(crate) fn prepare(name: &str, ends_on: &str, now: i64) -> Result<Prepared, AppError> {
    let name = TokenName::parse(name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let expires_at =
        parse_end_date(ends_on, now).map_err(|e| AppError::invalid_field(fields::ENDS_ON, e))?;
    let secret = secrets::new_secret().or_internal("making a token")?;
    Ok(Prepared { name, expires_at, secret })
}

impl Prepared {
    /// The row to store for `user_id`, made by `created_by`.
    pub fn token(
        &self,
        (user_id, created_by): (i64, i64),
        reach: StoredReach,
        read_only: bool,
        created_at: i64,
    ) -> NewToken<'_> {
        NewToken {
            user_id,
            created_by,
            name: self.name.as_str(),
            token_hash: &self.secret.hash,
            hint: &self.secret.hint,
            reach,
            read_only,
            created_at,
            expires_at: self.expires_at,
        }
    }

    /// The answer: the secret, this once.
    pub fn answer(self) -> CreatedToken {
        CreatedToken { name: self.name.as_str().to_owned(), secret: self.secret.secret }
    }
}
