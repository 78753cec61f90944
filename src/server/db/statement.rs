//! Arguments for statements assembled from fixed fragments (lists whose filters appear only
//! when used, so the planner can pick the index that fits them).

/// One bound value, in the order its `$n` placeholder was written.
pub(super) enum Arg {
    Int(i64),
    Text(String),
}

pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds `args` to `query` in order.
pub(super) fn bind_all(mut query: AnyQuery<'_>, args: Vec<Arg>) -> AnyQuery<'_> {
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
        };
    }
    query
}
