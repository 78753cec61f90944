//! Arguments for statements assembled from fixed fragments (lists whose filters appear only
//! when used, so the planner can pick the index that fits them).

/// One bound value, in the order its `$n` placeholder was written.
pub(super) enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
    /// A text that may be NULL, for conditions written `($n IS NULL OR …)`.
    OptionalText(Option<String>),
}

/// A statement assembled from fixed fragments, with its arguments numbered as they are added:
/// filters appear only when used, so the planner can pick the index that fits them.
#[derive(Default)]
pub(super) struct Statement {
    pub(super) conditions: Vec<String>,
    pub(super) args: Vec<Arg>,
}

impl Statement {
    pub(super) fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    pub(super) fn condition(&mut self, text: String) {
        self.conditions.push(text);
    }
}

pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The arguments of a list read in name order: `$1` organization, `$2` workspace, `$3` the
/// search as a lowercase `LIKE` pattern (or NULL), `$4` the last name key of the previous page
/// (or NULL), `$5` the page size.
pub(super) fn name_page_args(
    (org, ws_id): (i64, i64),
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Vec<Arg> {
    vec![
        Arg::Int(org),
        Arg::Int(ws_id),
        Arg::OptionalText(search.map(|s| format!("%{}%", s.to_lowercase()))),
        Arg::OptionalText(after.map(str::to_lowercase)),
        Arg::Int(limit),
    ]
}

/// Binds `args` to `query` in order.
pub(super) fn bind_all(mut query: AnyQuery<'_>, args: Vec<Arg>) -> AnyQuery<'_> {
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Real(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::OptionalText(v) => query.bind(v),
        };
    }
    query
}

/// The plan the database picks for `sql` (SQLite's `EXPLAIN QUERY PLAN`, Postgres's
/// `EXPLAIN`), one line per step: for the checks that lists use indexes at scale.
pub(super) async fn plan(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    sql: &str,
    args: Vec<Arg>,
) -> Result<Vec<String>, sqlx::Error> {
    use sqlx::Row;
    let (explain, column) = match backend {
        super::Backend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        super::Backend::Postgres => ("EXPLAIN", "QUERY PLAN"),
    };
    let sql = format!("{explain} {sql}");
    let rows = bind_all(sqlx::query(&sql), args).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row.try_get::<String, _>(column)).collect()
}
