//! Cursor pagination for every list: `?limit=` (1–200, 50 by default) and the `next_cursor` of
//! the page before. A cursor names the last item seen, not a position, so items added or
//! removed meanwhile neither repeat nor go missing from the pages still to come.

use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items at most (1–200; 50 when not given).
    pub limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The page of `items` after the cursor, in the order of `key` (which must tell items apart).
pub fn paginate<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> String,
    query: &PageQuery,
) -> Result<Page<T>, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(Some("limit"), "limit is from 1 to 200."));
    }
    let after = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(cursor) => Some(decode(cursor)?),
        None => None,
    };
    items.sort_by_key(|item| key(item));
    let mut rest: Vec<T> = match after {
        Some(after) => items.into_iter().filter(|item| key(item) > after).collect(),
        None => items,
    };
    let next_cursor = (rest.len() > limit).then(|| encode(&key(&rest[limit - 1])));
    rest.truncate(limit);
    Ok(Page { items: rest, next_cursor })
}

fn encode(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

fn decode(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            ApiError::invalid(Some("cursor"), "This cursor is not one a list page gave out.")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: &[&str], limit: usize, cursor: Option<String>) -> Page<String> {
        let items = items.iter().map(|s| s.to_string()).collect();
        paginate(items, Clone::clone, &PageQuery { limit: Some(limit), cursor }).unwrap()
    }

    #[test]
    fn pages_follow_their_cursors_to_the_end() {
        let all = ["e", "a", "d", "b", "c"];
        let first = page(&all, 2, None);
        assert_eq!(first.items, ["a", "b"]);
        let second = page(&all, 2, first.next_cursor.clone());
        assert_eq!(second.items, ["c", "d"]);
        let last = page(&all, 2, second.next_cursor.clone());
        assert_eq!(last.items, ["e"]);
        assert!(last.next_cursor.is_none());
        // An item removed before the cursor's page shifts nothing.
        let fewer = page(&["a", "c", "d", "e"], 2, first.next_cursor);
        assert_eq!(fewer.items, ["c", "d"]);
    }

    #[test]
    fn a_full_last_page_has_no_cursor() {
        assert!(page(&["a", "b"], 2, None).next_cursor.is_none());
    }

    #[test]
    fn bad_limits_and_cursors_are_refused() {
        let query = PageQuery { limit: Some(0), cursor: None };
        assert!(paginate(vec![1], |i| i.to_string(), &query).is_err());
        let query = PageQuery { limit: Some(201), cursor: None };
        assert!(paginate(vec![1], |i| i.to_string(), &query).is_err());
        let query = PageQuery { limit: None, cursor: Some("%%%".into()) };
        assert!(paginate(vec![1], |i| i.to_string(), &query).is_err());
    }
}
