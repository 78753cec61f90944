//! Personal access tokens: the credentials scripts, pipelines and the MLflow client use instead
//! of a browser session. Each person manages only their own.

mod create;
#[cfg(feature = "ssr")]
pub(crate) mod issue;
mod list;
mod revoke;

pub use create::{create_token, CreateToken};
pub use list::{list_tokens, ListTokens};
pub use revoke::{revoke_token, RevokeToken};

#[cfg(feature = "ssr")]
pub(crate) use create::create;
#[cfg(feature = "ssr")]
pub(crate) use list::mine;
#[cfg(feature = "ssr")]
pub(crate) use revoke::revoke;

use serde::{Deserialize, Serialize};

/// The reach value meaning "everything I can reach".
pub const EVERYTHING: &str = "everything";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// The secret's first characters ("atl_7Hq2…").
    pub hint: String,
    /// How people read the reach: "everything you can reach", "organization contoso", ….
    pub reach: String,
    pub read_only: bool,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub last_used_from: String,
    pub revoked_at: Option<i64>,
    /// Whether it still works: not revoked and not past its end.
    pub active: bool,
}

/// A place a new token may be limited to: `value` goes back in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachChoice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    pub tokens: Vec<TokenRow>,
    pub reaches: Vec<ReachChoice>,
    /// Today, for the date input's bounds (`YYYY-MM-DD`).
    pub today: String,
    pub latest_end: String,
}

impl TokensView {
    /// The view of `tokens`, with the date bounds for a new token's end from `now`.
    pub fn new(tokens: Vec<TokenRow>, reaches: Vec<ReachChoice>, now: i64) -> Self {
        use crate::domain::access_token::MAX_DAYS;
        use crate::domain::format::date;
        Self { tokens, reaches, today: date(now), latest_end: date(now + (MAX_DAYS - 1) * 86_400) }
    }
}

/// What creating a token answers: the secret, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub name: String,
    pub secret: String,
}

/// The secret stays out of logs.
impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken").field("name", &self.name).finish_non_exhaustive()
    }
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const REACH: &str = "reach";
    pub const READ_ONLY: &str = "read_only";
    pub const ENDS_ON: &str = "ends_on";
}

/// A stored token as its list shows it.
#[cfg(feature = "ssr")]
pub(crate) fn row(token: crate::server::db::access_tokens::TokenRecord, now: i64) -> TokenRow {
    use crate::domain::ScopePath;
    let reach = if token.reach_path.is_empty() {
        "everything you can reach".to_owned()
    } else {
        ScopePath::parse(&token.reach_path)
            .map(|p| p.label())
            .unwrap_or_else(|_| token.reach_path.clone())
    };
    let active = token.revoked_at.is_none() && token.expires_at.is_none_or(|end| end > now);
    TokenRow {
        id: token.id,
        name: token.name,
        hint: token.hint,
        reach,
        read_only: token.read_only,
        created_at: token.created_at,
        expires_at: token.expires_at,
        last_used_at: token.last_used_at,
        last_used_from: token.last_used_from,
        revoked_at: token.revoked_at,
        active,
    }
}
