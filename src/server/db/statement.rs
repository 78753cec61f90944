//! Arguments for statements assembled from fixed fragments (lists whose filters appear only
//! when used, so the planner can pick the index that fits them).

use crate::domain::listing::{Cursor, SortKey};

/// One bound value, in the order its `$n` placeholder was written.
pub(super) enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
}

/// A statement assembled from fixed fragments, with its arguments numbered as they are added:
/// filters appear only when used, so the planner can pick the index that fits them.
/// Ids bound in one statement: well under both backends' limits on parameters.
pub(super) const CHUNK: usize = 500;

#[derive(Default)]
pub(super) struct Statement {
    pub(super) conditions: Vec<String>,
    pub(super) args: Vec<Arg>,
}

impl Statement {
    /// The placeholder of the organization in a statement begun with [`Self::in_workspace`].
    pub(super) const ORGANIZATION: &str = "$1";

    /// The rows of one workspace: `$1` its organization, `$2` the workspace, on the table (or
    /// alias) `table`.
    pub(super) fn in_workspace(table: &str, (org, ws_id): (i64, i64)) -> Self {
        let mut st = Self::default();
        let (o, w) = (st.arg(Arg::Int(org)), st.arg(Arg::Int(ws_id)));
        debug_assert_eq!(o, Self::ORGANIZATION);
        st.condition(format!("{table}.organization_id = {o} AND {table}.workspace_id = {w}"));
        st
    }

    /// The rows of one workspace (as [`Self::in_workspace`]) whose `column` is one of `ids`: a
    /// statement for every [`CHUNK`] ids, in order. Each one's
    /// conditions joined with AND make its WHERE.
    pub(super) fn in_workspace_among(
        table: &str,
        tenant: (i64, i64),
        column: &str,
        ids: &[i64],
    ) -> Vec<Self> {
        ids.chunks(CHUNK)
            .map(|chunk| {
                let mut st = Self::in_workspace(table, tenant);
                let wanted: Vec<String> = chunk.iter().map(|id| st.arg(Arg::Int(*id))).collect();
                st.condition(format!("{table}.{column} IN ({})", wanted.join(", ")));
                st
            })
            .collect()
    }

    pub(super) fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    pub(super) fn condition(&mut self, text: String) {
        self.conditions.push(text);
    }

    /// `column = value`.
    pub(super) fn equals(&mut self, column: &str, value: Arg) {
        let a = self.arg(value);
        self.condition(format!("{column} = {a}"));
    }

    /// `column` within [since, until) when either is given.
    pub(super) fn within(&mut self, column: &str, since: Option<i64>, until: Option<i64>) {
        if let Some(since) = since {
            let a = self.arg(Arg::Int(since));
            self.condition(format!("{column} >= {a}"));
        }
        if let Some(until) = until {
            let a = self.arg(Arg::Int(until));
            self.condition(format!("{column} < {a}"));
        }
    }

    /// Rows where one of `expressions` (each already lowercase) contains `search`, ignoring case.
    pub(super) fn search(&mut self, search: Option<&str>, expressions: &[&str]) {
        if let Some(search) = search {
            let a = self.arg(Arg::Text(format!("%{}%", search.to_lowercase())));
            let any: Vec<String> = expressions.iter().map(|e| format!("{e} LIKE {a}")).collect();
            self.condition(format!("({})", any.join(" OR ")));
        }
    }

    /// One page of `select` (`SELECT … FROM …`, without WHERE) in `order`, after `after`.
    pub(super) fn keyset_page(
        mut self,
        select: &str,
        order: &Order,
        after: Option<&Cursor>,
        limit: i64,
    ) -> (String, Vec<Arg>) {
        let Order { column, id, descending, .. } = *order;
        let (direction, beyond) = if descending { ("DESC", "<") } else { ("ASC", ">") };
        match after {
            Some(Cursor::Name(key)) => {
                let k = self.arg(Arg::Text(key.clone()));
                self.condition(format!("{column} {beyond} {k}"));
            }
            Some(Cursor::Number(value, row)) => {
                let (v, i) = (self.arg(Arg::Int(*value)), self.arg(Arg::Int(*row)));
                self.condition(format!("({column}, {id}) {beyond} ({v}, {i})"));
            }
            Some(Cursor::Text(value, row)) => {
                let (v, i) = (self.arg(Arg::Text(value.clone())), self.arg(Arg::Int(*row)));
                self.condition(format!("({column}, {id}) {beyond} ({v}, {i})"));
            }
            None => {}
        }
        let order_by = match order.key {
            SortKey::UniqueName => format!("{column} {direction}"),
            SortKey::Number | SortKey::Text => format!("{column} {direction}, {id} {direction}"),
        };
        let limit = self.arg(Arg::Int(limit));
        let sql = format!(
            "{select} WHERE {} ORDER BY {order_by} LIMIT {limit}",
            self.conditions.join(" AND ")
        );
        (sql, self.args)
    }
}

/// The order of a keyset list: the column of its key, the id column that breaks ties (unless
/// the key is a unique name) and the direction.
#[derive(Clone, Copy, Debug)]
pub(super) struct Order {
    pub(super) column: &'static str,
    pub(super) id: &'static str,
    pub(super) key: SortKey,
    pub(super) descending: bool,
}

impl Order {
    /// By the unique lowercase name, A to Z.
    pub(super) const BY_NAME: Order = Order::name(false);

    /// By the unique lowercase name.
    pub(super) const fn name(descending: bool) -> Self {
        Order { column: "name_key", id: "id", key: SortKey::UniqueName, descending }
    }

    /// By a number column, ties broken by `id`.
    pub(super) const fn number(column: &'static str, descending: bool) -> Self {
        Order { column, id: "id", key: SortKey::Number, descending }
    }
}

/// What a workspace asset's search box looks in: its name, description and tags.
pub(super) const NAME_DESCRIPTION_TAGS: [&str; 3] =
    ["name_key", "LOWER(description)", "LOWER(tags)"];

pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds `args` to `query` in order.
pub(super) fn bind_all(mut query: AnyQuery<'_>, args: Vec<Arg>) -> AnyQuery<'_> {
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Real(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
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
