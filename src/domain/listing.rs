//! Lists of a workspace's assets, one way for every kind: pages of at most [`PAGE_SIZE`] rows in
//! one order, each page starting after the last row of the one before (a keyset cursor, so a
//! page costs the same at the millionth row as at the first, and rows added meanwhile neither
//! repeat nor go missing).

use super::Invalid;

/// Rows on one page of a studio list.
pub const PAGE_SIZE: usize = 50;

/// What a list is ordered by, which decides what its cursor holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// A name that is unique in the workspace: the name alone places a row.
    UniqueName,
    /// A number (a time, a size, a count): ties are broken by the row's id.
    Number,
    /// A text that may repeat (a run's display name): ties are broken by the row's id.
    Text,
}

/// Where the previous page ended: the last row's sort key and, unless names are unique, its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    Name(String),
    Number(i64, i64),
    Text(String, i64),
}

/// What a page link says when it no longer fits its list (edited by hand, or the sort changed).
pub const STALE_CURSOR: &str = "This page link no longer fits the list; start from the first page.";

impl Cursor {
    /// How it travels in a URL: the name key, or `id.key`.
    pub fn encode(&self) -> String {
        match self {
            Self::Name(key) => key.clone(),
            Self::Number(value, id) => format!("{id}.{value}"),
            Self::Text(value, id) => format!("{id}.{value}"),
        }
    }

    /// Reads a cursor for a list ordered by `key`; `None` when it does not fit.
    pub fn decode(text: &str, key: SortKey) -> Option<Self> {
        if key == SortKey::UniqueName {
            return Some(Self::Name(text.to_lowercase()));
        }
        let (id, value) = text.split_once('.')?;
        let id = id.parse().ok()?;
        match key {
            SortKey::Number => Some(Self::Number(value.parse().ok()?, id)),
            _ => Some(Self::Text(value.to_owned(), id)),
        }
    }

    /// The `after` a list function was given: none when blank, refused when it does not fit.
    pub fn parse_after(text: &str, key: SortKey) -> Result<Option<Self>, Invalid> {
        match text.trim() {
            "" => Ok(None),
            text => Self::decode(text, key).map(Some).ok_or_else(|| Invalid::new(STALE_CURSOR)),
        }
    }
}

/// A page out of `rows`, read with one row more than a page holds: the rows to show, and the
/// encoded cursor of the next page when that extra row says there is one.
pub fn into_page<T>(
    mut rows: Vec<T>,
    cursor_after: impl Fn(&T) -> Cursor,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let next = if more { rows.last().map(|row| cursor_after(row).encode()) } else { None };
    (rows, next)
}

/// The rows to read for one page: a page and the row that tells whether another follows.
pub const PAGE_READ: i64 = PAGE_SIZE as i64 + 1;

/// A search box's text as a filter: none when blank.
pub fn search_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The query key of a list's order.
pub const SORT: &str = "sort";

/// The orders a list offers, as its URL names them.
pub trait ListSort: Copy + PartialEq + 'static {
    /// How the order is written in a URL.
    fn url_name(self) -> &'static str;
    /// The order a URL names; an unknown one is the default, so an old link still opens.
    fn from_url_name(text: &str) -> Self;
    /// Whether it runs from high to low (Z to A, newest, largest first).
    fn descending(self) -> bool;
    /// How a person reads it ("Newest first").
    fn title(self) -> &'static str;
}

/// A list's state as its URL holds it: each filter's value under its query key, and the page
/// (`after`). Lists are GET forms, so every view of a list is a link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    filters: Vec<(&'static str, String)>,
    pub after: String,
}

impl ListQuery {
    /// The values of `keys` and `after`, from a URL's query.
    pub fn read(keys: &[&'static str], get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: keys.iter().map(|k| (*k, get(k).unwrap_or_default())).collect(),
            after: get("after").unwrap_or_default(),
        }
    }

    /// A filter's value; empty when not set.
    pub fn get(&self, key: &str) -> String {
        self.filters.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Whether any filter narrows the list (so an empty page means "no match", not "none yet");
    /// the order (`sort`) narrows nothing.
    pub fn is_filtered(&self) -> bool {
        self.filters.iter().any(|(k, v)| *k != SORT && !v.is_empty())
    }

    /// The same view with `key` set to `value`, from its first page.
    pub fn with(&self, key: &'static str, value: &str) -> Self {
        let mut changed = self.clone();
        match changed.filters.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value.to_owned(),
            None => changed.filters.push((key, value.to_owned())),
        }
        changed.after.clear();
        changed
    }

    /// The query string of this view of the list, from its first page or after `after`.
    pub fn link(&self, after: Option<&str>) -> String {
        let after = [("after", after.unwrap_or_default())];
        let pairs: Vec<String> = self
            .filters
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(after)
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", super::format::query_value(v)))
            .collect();
        format!("?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_link_keeps_the_filters_in_use_and_moves_the_page() {
        let url = [("q", "churn & co"), ("kind", ""), ("after", "m")];
        let get = |k: &str| url.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string());
        let query = ListQuery::read(&["q", "kind", "state"], get);
        assert_eq!(
            (query.get("q"), query.get("state"), query.after.as_str()),
            ("churn & co".into(), String::new(), "m")
        );
        assert!(query.is_filtered());
        assert_eq!(query.link(None), "?q=churn%20%26%20co");
        assert_eq!(query.link(Some("n")), "?q=churn%20%26%20co&after=n");
        assert!(!ListQuery::read(&["q"], |_| None).is_filtered());
        let sorted = ListQuery::read(&["q", "sort"], |k| (k == "sort").then(|| "-name".into()));
        assert!(!sorted.is_filtered());
        assert_eq!(query.with("sort", "newest").link(None), "?q=churn%20%26%20co&sort=newest");
    }

    #[test]
    fn a_cursor_reads_back_as_it_was_written_for_its_own_order() {
        let cursors = [
            (Cursor::Name("cifar-10".into()), SortKey::UniqueName),
            (Cursor::Number(-1, 42), SortKey::Number),
            (Cursor::Number(1_700_000_000, 7), SortKey::Number),
            (Cursor::Text("run.with.dots".into(), 9), SortKey::Text),
        ];
        for (cursor, key) in cursors {
            assert_eq!(Cursor::decode(&cursor.encode(), key), Some(cursor));
        }
    }

    #[test]
    fn a_link_that_does_not_fit_the_order_is_refused_with_a_way_out() {
        assert_eq!(Cursor::parse_after("  ", SortKey::Number), Ok(None));
        assert_eq!(Cursor::parse_after("mnist", SortKey::Number), Err(Invalid::new(STALE_CURSOR)));
        assert_eq!(Cursor::parse_after("x.5", SortKey::Number), Err(Invalid::new(STALE_CURSOR)));
        assert_eq!(Cursor::parse_after("3.abc", SortKey::Number), Err(Invalid::new(STALE_CURSOR)));
        assert_eq!(
            Cursor::parse_after("MNIST", SortKey::UniqueName),
            Ok(Some(Cursor::Name("mnist".into())))
        );
    }

    #[test]
    fn a_page_shows_at_most_page_size_rows_and_links_on_only_when_more_were_read() {
        let cursor = |n: &i64| Cursor::Number(*n, *n);
        let (rows, next) = into_page((0..PAGE_READ).collect(), cursor);
        assert_eq!(rows.len(), PAGE_SIZE);
        assert_eq!(next, Some("49.49".to_owned()));
        let (rows, next) = into_page((0..PAGE_SIZE as i64).collect(), cursor);
        assert_eq!((rows.len(), next), (PAGE_SIZE, None));
    }
}
