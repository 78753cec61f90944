use leptos::prelude::*;

use super::TokensView;
use crate::error::AppError;

/// My tokens, newest first, and the places a new one may be limited to.
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<TokensView, AppError> {
    use super::{row, ReachChoice, EVERYTHING};
    use crate::authz::Action;
    use crate::domain::access_token::MAX_DAYS;
    use crate::domain::format::date;
    use crate::server::db::{access_tokens, organizations, workspaces};
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let now = state.clock.now();
    let tokens =
        access_tokens::for_user(&state.pool, user.id).await.or_internal("listing tokens")?;
    let mut reaches = vec![ReachChoice {
        value: EVERYTHING.to_owned(),
        label: "Everything I can reach".to_owned(),
    }];
    for org in
        organizations::of_member(&state.pool, user.id).await.or_internal("listing organizations")?
    {
        reaches.push(ReachChoice {
            value: format!("/organizations/{}", org.slug),
            label: format!("Organization {}", org.name),
        });
    }
    let candidates = workspaces::listings_for_member(&state.pool, user.id)
        .await
        .or_internal("listing workspaces")?;
    for ws in
        authz::filter_permitted(&state.pool, &user, candidates, Action::WorkspacesRead).await?
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
    Ok(TokensView {
        tokens: tokens.into_iter().map(|t| row(t, now)).collect(),
        reaches,
        today: date(now),
        latest_end: date(now + (MAX_DAYS - 1) * 86_400),
    })
}
