//! What experiment and run searches share: reading `max_results`, `filter`, `order_by` and
//! `page_token`, and then filtering, ordering and paging the candidates by the fields' values.

use std::cmp::Ordering;

use super::filter::{self, Actual, Clause, Field, Order};
use super::{wire, MlflowError};

/// The most results one page may hold, as in MLflow.
const MAX_PAGE: i64 = 50_000;

/// A field's value held by the caller, for filtering and sorting.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedActual {
    Number(f64),
    Text(String),
}

impl OwnedActual {
    pub fn borrow(&self) -> Actual<'_> {
        match self {
            Self::Number(n) => Actual::Number(*n),
            Self::Text(t) => Actual::Text(t),
        }
    }
}

/// Orders two values; a missing one sorts after any present one.
fn compare_values(a: Option<OwnedActual>, b: Option<OwnedActual>) -> Ordering {
    match (a, b) {
        (Some(OwnedActual::Number(x)), Some(OwnedActual::Number(y))) => x.total_cmp(&y),
        (Some(OwnedActual::Text(x)), Some(OwnedActual::Text(y))) => x.cmp(&y),
        (Some(OwnedActual::Number(_)), Some(OwnedActual::Text(_))) => Ordering::Less,
        (Some(OwnedActual::Text(_)), Some(OwnedActual::Number(_))) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

pub struct Search {
    max: usize,
    offset: usize,
    clauses: Vec<Clause>,
    orders: Vec<Order>,
    /// Whether an absent tag satisfies `!=` and `NOT IN`: the registry's rule (its client
    /// adds `tags.mlflow.prompt.is_prompt != 'true'` to every model search, meaning "not a
    /// prompt"); run searches, as in MLflow, match only runs that have the tag.
    absent_tags_differ: bool,
}

impl Search {
    /// Reads a search request; `check` refuses fields the kind searched does not have.
    pub fn parse(
        max_results: Option<i64>,
        filter_text: Option<&str>,
        order_by: &[String],
        page_token: Option<&str>,
        check: impl Fn(&Field) -> Result<(), String>,
    ) -> Result<Self, MlflowError> {
        let max = max_results.unwrap_or(1000);
        if !(1..=MAX_PAGE).contains(&max) {
            return Err(MlflowError::invalid(format!(
                "Invalid value {max} for parameter 'max_results' supplied: it is 1 to {MAX_PAGE}."
            )));
        }
        let clauses = filter::parse_filter(filter_text.unwrap_or_default())
            .map_err(|e| MlflowError::invalid(format!("Invalid filter: {e}")))?;
        let orders = order_by
            .iter()
            .map(|o| filter::parse_order(o))
            .collect::<Result<Vec<_>, _>>()
            .map_err(MlflowError::invalid)?;
        for field in clauses.iter().map(|c| &c.field).chain(orders.iter().map(|o| &o.field)) {
            check(field).map_err(MlflowError::invalid)?;
        }
        for clause in &clauses {
            clause.check_value_type().map_err(MlflowError::invalid)?;
        }
        let offset = wire::offset_of(page_token)?;
        Ok(Self { max: max as usize, offset, clauses, orders, absent_tags_differ: false })
    }

    /// Where the page starts among the matching items, and how many it holds at most.
    pub fn window(&self) -> (usize, usize) {
        (self.offset, self.max)
    }

    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// The order asked for (empty: the kind's default).
    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// The registry's reading of `!=` and `NOT IN` on tags: an absent tag differs.
    pub fn absent_tags_differ(mut self) -> Self {
        self.absent_tags_differ = true;
        self
    }

    /// The page of `items` that match, in the asked order (else `default`), ties broken by
    /// `tie`; and the token of the next page, if there is one.
    pub fn page<'a, T>(
        &self,
        items: &'a [T],
        value_of: impl Fn(&T, &Field) -> Option<OwnedActual>,
        default: Order,
        tie: impl Fn(&T, &T) -> Ordering,
    ) -> (Vec<&'a T>, Option<String>) {
        let mut matching: Vec<&T> = items
            .iter()
            .filter(|item| {
                self.clauses.iter().all(|c| match value_of(item, &c.field) {
                    None if self.absent_tags_differ && c.is_negative_on_tag() => true,
                    value => c.holds(value.as_ref().map(OwnedActual::borrow)),
                })
            })
            .collect();
        let defaults = [default];
        let orders = if self.orders.is_empty() { &defaults[..] } else { &self.orders[..] };
        matching.sort_by(|a, b| {
            orders
                .iter()
                .map(|o| match (value_of(a, &o.field), value_of(b, &o.field)) {
                    // Missing values come last whichever the direction, as in MLflow.
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (x, y) if o.ascending => compare_values(x, y),
                    (x, y) => compare_values(x, y).reverse(),
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
                .then_with(|| tie(a, b))
        });
        let end = self.offset.saturating_add(self.max);
        let next = (end < matching.len()).then(|| wire::page_token(end));
        let page = matching.into_iter().skip(self.offset).take(self.max).collect();
        (page, next)
    }
}
