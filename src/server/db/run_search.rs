//! `runs/search` answered by the database (issue 16): the runs of some experiments that meet
//! conditions on their metrics, parameters, tags and attributes, in an order, found through
//! indexes instead of being read and filtered in memory.
//!
//! How a search is read, so that the first page of a million runs costs a few hundred rows:
//! - ordered first by a metric, parameter or tag, it walks that key's index
//!   (`run_metric_summaries_search`, `run_params_search`, `run_tags_search`: experiment, key,
//!   value) for the runs that have it, then the runs that lack it (missing values come last,
//!   as in MLflow);
//! - otherwise it walks the experiment's runs newest start first (`runs_experiment_start`);
//! - on SQLite, a `LIKE` on the run name with three letters in a row and few matches starts
//!   from the trigram index of run names instead (`run_names`); PostgreSQL's planner uses
//!   `pg_trgm` by itself.
//!
//! Up to [`EXPERIMENTS_ONE_BY_ONE`] experiments are searched one at a time and the results
//! merged here; more are searched in one statement. Each walk first stops at the experiment's
//! share of the rows wanted (twice an even share): where values are spread alike across
//! experiments, as a metric usually is, those make up the page. An experiment whose every row
//! read reaches the page may hold more that belong there, and is read again up to the rows
//! wanted. (The benchmark searches ten experiments of 100,000 runs for 101 rows: ten walks of
//! 22 rows, where reading 101 of each cost five times as much.)

use std::cmp::Ordering;

use sqlx::Row;

use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Statement};
use super::{tenant, Backend, Pool};
use crate::server::authz::Authorized;

/// Experiments searched one statement each (each walk stops after the rows wanted), merged
/// here; past this, or past [`ROWS_MERGED`], one statement for all, which sorts what matches.
const EXPERIMENTS_ONE_BY_ONE: usize = 64;
/// The most rows the one-by-one statements may return together (experiments × rows wanted).
const ROWS_MERGED: usize = 1_000_000;
/// Longer `IN` lists are bound as one JSON array.
const ITEMS_AS_PARAMETERS: usize = 32;
/// A run-name pattern that matches at most this many names (of every workspace) is read
/// from the trigram index; more, and walking the experiment's runs is cheaper.
const TRIGRAM_MATCHES_WORTH_READING: i64 = 10_000;

/// What a condition tests or an order sorts by.
#[derive(Clone, Debug, PartialEq)]
pub enum RunField {
    /// The latest value of a metric (a number).
    Metric(String),
    Param(String),
    Tag(String),
    DisplayName,
    /// The run's id.
    RunId,
    UserName,
    /// A text followed by the run's id (an artifact address).
    RunIdAfter(String),
    /// The experiment's id as text.
    ExperimentId,
    /// The stored status, shown as the name paired with it.
    Status(Vec<(&'static str, &'static str)>),
    /// When the run started (else was created), in milliseconds.
    StartMs,
    /// When the run ended, in milliseconds; missing while it has not.
    EndMs,
}

impl RunField {
    fn is_number(&self) -> bool {
        matches!(self, Self::Metric(_) | Self::StartMs | Self::EndMs)
    }

    fn may_be_missing(&self) -> bool {
        matches!(self, Self::Metric(_) | Self::Param(_) | Self::Tag(_) | Self::EndMs)
    }

    /// Where a field kept in rows of its own is read, and its key.
    fn keyed(&self) -> Option<Keyed<'_>> {
        let (rows, key) = match self {
            Self::Metric(k) => (KeyedRows::METRICS, k),
            Self::Param(k) => (KeyedRows::PARAMS, k),
            Self::Tag(k) => (KeyedRows::TAGS, k),
            _ => return None,
        };
        Some(Keyed { field: self, rows, key })
    }
}

/// A table of one row per run and key: metric summaries, parameters, tags.
#[derive(Clone, Copy, Debug)]
struct KeyedRows {
    table: &'static str,
    key_column: &'static str,
    value_column: &'static str,
}

impl KeyedRows {
    const METRICS: Self = Self {
        table: "run_metric_summaries",
        key_column: "metric_key",
        value_column: "last_value",
    };
    const PARAMS: Self =
        Self { table: "run_params", key_column: "param_key", value_column: "value" };
    const TAGS: Self = Self { table: "run_tags", key_column: "tag_key", value_column: "value" };
}

/// A field kept in rows of its own: where, and under which key.
#[derive(Clone, Copy, Debug)]
struct Keyed<'a> {
    field: &'a RunField,
    rows: KeyedRows,
    key: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    fn sql(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    Number(Comparison, f64),
    Text(Comparison, String),
    /// SQL's `LIKE` pattern (`%`, `_`, no escape character); case-insensitive on request (on
    /// SQLite, for ASCII letters, as MLflow's own SQLite store does).
    Like {
        pattern: String,
        ignore_case: bool,
    },
    In(Vec<String>),
    NotIn(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub field: RunField,
    pub test: Test,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub field: RunField,
    pub ascending: bool,
}

pub struct RunQuery {
    pub experiments: Vec<i64>,
    /// Deleted runs only (`Some(true)`), live ones only, or both.
    pub deleted: Option<bool>,
    pub conditions: Vec<Condition>,
    /// The order asked for. MLflow's tie-breakers follow: newest start first (unless the start
    /// is ordered on already), then the run id.
    pub order: Vec<SortKey>,
    /// How many of the first matching runs are wanted.
    pub wanted: usize,
}

/// A value a run is sorted by.
#[derive(Clone, Debug, PartialEq)]
pub enum SortValue {
    Number(f64),
    Text(String),
}

/// A run that matched, with what it sorts by.
#[derive(Clone, Debug)]
pub struct FoundRun {
    pub id: i64,
    pub name: String,
    keys: Vec<Option<SortValue>>,
}

/// The first `query.wanted` runs of the workspace's `query.experiments` that meet every
/// condition, in order.
pub async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    query: &RunQuery,
) -> Result<Vec<FoundRun>, sqlx::Error> {
    if query.experiments.is_empty() || query.wanted == 0 {
        return Ok(Vec::new());
    }
    let backend = Backend::of(pool.connect_options().database_url.as_str());
    let search = Search { tenant: tenant(ws), query, keys: sort_keys(query), backend };
    let trigram = match backend {
        Backend::Sqlite => search.trigram_pattern(pool).await?,
        Backend::Postgres => None,
    };
    let experiments = query.experiments.len();
    let one_by_one = experiments <= EXPERIMENTS_ONE_BY_ONE
        && experiments.saturating_mul(query.wanted) <= ROWS_MERGED;
    let mut found = if trigram.is_some() || !one_by_one {
        search.run(pool, &query.experiments, trigram.as_deref(), query.wanted).await?
    } else {
        search.one_by_one(pool).await?
    };
    found.sort_by(|a, b| search.compare(a, b));
    found.truncate(query.wanted);
    Ok(found)
}

/// How many rows of each of `experiments` experiments are read first: twice an even share of
/// the rows `wanted` and one more, at most the rows wanted.
fn first_share(wanted: usize, experiments: usize) -> usize {
    (wanted.saturating_mul(2).div_ceil(experiments.max(1)) + 1).min(wanted)
}

/// Which experiments must be read further: those whose every row read (`read[i]` rows, the
/// `share` asked for or more) is among the first `wanted` of them all (`page`, the experiment
/// each of those came from).
fn read_further(read: &[usize], share: usize, page: &[usize]) -> Vec<usize> {
    let mut on_page = vec![0; read.len()];
    for &experiment in page {
        on_page[experiment] += 1;
    }
    (0..read.len()).filter(|&i| read[i] >= share && on_page[i] == read[i]).collect()
}

/// The plans the database picks for the statements of `query` over its first experiment
/// (SQLite's `EXPLAIN QUERY PLAN`, Postgres's `EXPLAIN`): for the checks that searches read
/// through indexes at scale. The trigram index is used where `find` would use it.
pub async fn plans_of_find(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    tenant: (i64, i64),
    query: &RunQuery,
    trigram: Option<&str>,
) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let search = Search { tenant, query, keys: sort_keys(query), backend };
    let experiments = &query.experiments[..1];
    let drivers = match (trigram, search.keys[0].field.keyed()) {
        (Some(pattern), _) => vec![Driver::Trigram(pattern)],
        (None, Some(first)) => vec![Driver::Having(first), Driver::Lacking(first)],
        (None, None) => vec![Driver::Runs],
    };
    let mut plans = Vec::new();
    for driver in drivers {
        let (sql, args) = search.statement(experiments, &driver, query.wanted);
        plans.push(super::statement::plan(conn, backend, &sql, args).await?);
    }
    Ok(plans)
}

/// The order asked for, then MLflow's tie-breaker: newest start first unless ordered on.
fn sort_keys(query: &RunQuery) -> Vec<SortKey> {
    let mut keys = query.order.clone();
    if !keys.iter().any(|k| k.field == RunField::StartMs) {
        keys.push(SortKey { field: RunField::StartMs, ascending: false });
    }
    keys
}

struct Search<'q> {
    tenant: (i64, i64),
    query: &'q RunQuery,
    /// The order asked for and the start-time tie-breaker.
    keys: Vec<SortKey>,
    backend: Backend,
}

/// Where a statement starts reading.
enum Driver<'a> {
    /// The experiment's runs.
    Runs,
    /// The runs that have the first sort key, through its index.
    Having(Keyed<'a>),
    /// The runs that lack the first sort key.
    Lacking(Keyed<'a>),
    /// The runs whose names the trigram index matches with this pattern.
    Trigram(&'a str),
}

impl Search<'_> {
    /// The first rows wanted of each experiment, each read first up to its share (see the
    /// module's documentation), unordered.
    async fn one_by_one(&self, pool: &Pool) -> Result<Vec<FoundRun>, sqlx::Error> {
        let (wanted, experiments) = (self.query.wanted, &self.query.experiments);
        let share = first_share(wanted, experiments.len());
        let mut read = Vec::with_capacity(experiments.len());
        for experiment in experiments {
            read.push(self.run(pool, std::slice::from_ref(experiment), None, share).await?);
        }
        if share < wanted {
            let mut merged: Vec<(usize, &FoundRun)> = read
                .iter()
                .enumerate()
                .flat_map(|(i, rows)| rows.iter().map(move |r| (i, r)))
                .collect();
            merged.sort_by(|a, b| self.compare(a.1, b.1));
            let page: Vec<usize> = merged.iter().take(wanted).map(|(i, _)| *i).collect();
            let counts: Vec<usize> = read.iter().map(Vec::len).collect();
            for i in read_further(&counts, share, &page) {
                let experiment = std::slice::from_ref(&experiments[i]);
                read[i] = self.run(pool, experiment, None, wanted).await?;
            }
        }
        Ok(read.into_iter().flatten().collect())
    }

    /// The first `limit` runs of `experiments` in order: those with the first sort key, then
    /// those without it when the first do not make up the limit.
    async fn run(
        &self,
        pool: &Pool,
        experiments: &[i64],
        trigram: Option<&str>,
        limit: usize,
    ) -> Result<Vec<FoundRun>, sqlx::Error> {
        if let Some(pattern) = trigram {
            return self.fetch(pool, experiments, &Driver::Trigram(pattern), limit).await;
        }
        let Some(first) = self.keys[0].field.keyed() else {
            return self.fetch(pool, experiments, &Driver::Runs, limit).await;
        };
        let mut found = self.fetch(pool, experiments, &Driver::Having(first), limit).await?;
        let tested = self.query.conditions.iter().any(|c| c.field == *first.field);
        if found.len() < limit && !tested {
            let lacking = limit - found.len();
            found.extend(self.fetch(pool, experiments, &Driver::Lacking(first), lacking).await?);
        }
        Ok(found)
    }

    async fn fetch(
        &self,
        pool: &Pool,
        experiments: &[i64],
        driver: &Driver<'_>,
        limit: usize,
    ) -> Result<Vec<FoundRun>, sqlx::Error> {
        let (sql, args) = self.statement(experiments, driver, limit);
        let rows = bind_all(sqlx::query(&sql), args).fetch_all(pool).await?;
        rows.iter()
            .map(|row| {
                let mut keys = Vec::with_capacity(self.keys.len());
                for (i, key) in self.keys.iter().enumerate() {
                    let column = format!("k{i}");
                    keys.push(match driver {
                        Driver::Lacking(_) if i == 0 => None,
                        _ if key.field.is_number() => {
                            row.try_get::<Option<f64>, _>(column.as_str())?.map(SortValue::Number)
                        }
                        _ => {
                            row.try_get::<Option<String>, _>(column.as_str())?.map(SortValue::Text)
                        }
                    });
                }
                Ok(FoundRun { id: row.try_get("id")?, name: row.try_get("name")?, keys })
            })
            .collect()
    }

    fn statement(
        &self,
        experiments: &[i64],
        driver: &Driver<'_>,
        limit: usize,
    ) -> (String, Vec<Arg>) {
        let mut st = Statement::default();
        let ids: Vec<String> = experiments.iter().map(|e| st.arg(Arg::Int(*e))).collect();
        let (org, ws_id) = self.tenant;
        let org = st.arg(Arg::Int(org));
        let ws_id = st.arg(Arg::Int(ws_id));
        let from = match driver {
            Driver::Having(Keyed { rows, key, .. }) => {
                let key = st.arg(Arg::Text((*key).to_owned()));
                st.condition(format!("o.experiment_id IN ({})", ids.join(", ")));
                st.condition(format!("o.{} = {key}", rows.key_column));
                format!("{} o {} runs r ON r.id = o.run_id", rows.table, self.join())
            }
            Driver::Trigram(pattern) => {
                let pattern = st.arg(Arg::Text((*pattern).to_owned()));
                format!(
                    "(SELECT rowid AS id FROM run_names WHERE run_names.display_name LIKE \
                     {pattern}) f {} runs r ON r.id = f.id",
                    self.join()
                )
            }
            Driver::Runs | Driver::Lacking(_) => "runs r".to_owned(),
        };
        st.condition(format!("r.experiment_id IN ({})", ids.join(", ")));
        st.condition(format!("r.organization_id = {org}"));
        st.condition(format!("r.workspace_id = {ws_id}"));
        match self.query.deleted {
            Some(true) => st.condition("r.deleted_at IS NOT NULL".to_owned()),
            Some(false) => st.condition("r.deleted_at IS NULL".to_owned()),
            None => {}
        }
        if let Driver::Lacking(Keyed { rows, key, .. }) = driver {
            let key = st.arg(Arg::Text((*key).to_owned()));
            st.condition(format!(
                "NOT EXISTS (SELECT 1 FROM {} o WHERE o.run_id = r.id AND o.{} = {key})",
                rows.table, rows.key_column
            ));
        }
        for condition in &self.query.conditions {
            let text = match driver {
                Driver::Having(first) if condition.field == *first.field => self.test(
                    &mut st,
                    &format!("o.{}", first.rows.value_column),
                    &condition.field,
                    &condition.test,
                ),
                _ => self.condition(&mut st, condition),
            };
            st.condition(text);
        }
        let mut columns = vec!["r.id".to_owned(), "r.name".to_owned()];
        let mut order = Vec::new();
        for (i, key) in self.keys.iter().enumerate() {
            let direction = if key.ascending { "ASC" } else { "DESC" };
            let value = match driver {
                Driver::Lacking(_) if i == 0 => continue,
                Driver::Having(first) if i == 0 => format!("o.{}", first.rows.value_column),
                _ => self.value(&mut st, &key.field),
            };
            let sorted = match &key.field {
                // The expression of `runs_experiment_start`, so that its order is read off it.
                RunField::StartMs => "COALESCE(r.started_at, r.created_at)".to_owned(),
                field if field.is_number() => value.clone(),
                _ => format!("{value}{}", self.collation()),
            };
            let present_first = match driver {
                Driver::Having(_) if i == 0 => String::new(),
                _ if key.field.may_be_missing() => format!("({value} IS NULL), "),
                _ => String::new(),
            };
            order.push(format!("{present_first}{sorted} {direction}"));
            columns.push(if key.field.is_number() {
                format!("CAST({value} AS {}) AS k{i}", self.real())
            } else {
                format!("{value} AS k{i}")
            });
        }
        order.push(format!("r.name{} ASC", self.collation()));
        let limit = st.arg(Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {} FROM {from} WHERE {} ORDER BY {} LIMIT {limit}",
            columns.join(", "),
            st.conditions.join(" AND "),
            order.join(", "),
        );
        (sql, st.args)
    }

    /// A condition on a run `r`; metrics, parameters and tags through their rows.
    fn condition(&self, st: &mut Statement, condition: &Condition) -> String {
        match condition.field.keyed() {
            Some(Keyed { rows, key, .. }) => {
                let key = st.arg(Arg::Text(key.to_owned()));
                let value = format!("c.{}", rows.value_column);
                let test = self.test(st, &value, &condition.field, &condition.test);
                format!(
                    "EXISTS (SELECT 1 FROM {} c WHERE c.run_id = r.id AND c.{} = {key} AND {test})",
                    rows.table, rows.key_column
                )
            }
            None => {
                let value = self.value(st, &condition.field);
                self.test(st, &value, &condition.field, &condition.test)
            }
        }
    }

    /// `value` (an expression of `field`) passing `test`.
    fn test(&self, st: &mut Statement, value: &str, field: &RunField, test: &Test) -> String {
        let collation = if field.is_number() { "" } else { self.collation() };
        match test {
            Test::Number(c, n) => format!("{value} {} {}", c.sql(), st.arg(Arg::Real(*n))),
            Test::Text(c, t) => {
                format!("{value}{collation} {} {}", c.sql(), st.arg(Arg::Text(t.clone())))
            }
            Test::In(items) | Test::NotIn(items) => {
                let not = if matches!(test, Test::NotIn(_)) { "NOT " } else { "" };
                let list = if items.len() <= ITEMS_AS_PARAMETERS {
                    let items: Vec<String> =
                        items.iter().map(|i| st.arg(Arg::Text(i.clone()))).collect();
                    items.join(", ")
                } else {
                    // A long list is one parameter, a JSON array, whatever its length.
                    let json = st.arg(Arg::Text(serde_json::to_string(items).unwrap_or_default()));
                    match self.backend {
                        Backend::Sqlite => format!("SELECT value FROM json_each({json})"),
                        Backend::Postgres => {
                            format!("SELECT jsonb_array_elements_text({json}::jsonb)")
                        }
                    }
                };
                format!("{value}{collation} {not}IN ({list})")
            }
            Test::Like { pattern, ignore_case } => match (self.backend, ignore_case) {
                (Backend::Sqlite, false) => {
                    format!("{value} GLOB {}", st.arg(Arg::Text(glob_of_like(pattern))))
                }
                (Backend::Sqlite, true) => {
                    format!("{value} LIKE {}", st.arg(Arg::Text(pattern.clone())))
                }
                (Backend::Postgres, ignore_case) => {
                    let operator = if *ignore_case { "ILIKE" } else { "LIKE" };
                    // PostgreSQL's LIKE takes `\` as its escape; MLflow's patterns have none.
                    let pattern = pattern.replace('\\', "\\\\");
                    format!("{value} {operator} {}", st.arg(Arg::Text(pattern)))
                }
            },
        }
    }

    /// The value of `field` for run `r` (NULL where it has none).
    fn value(&self, st: &mut Statement, field: &RunField) -> String {
        let keyed = |st: &mut Statement, rows: KeyedRows, key: &str| {
            let key = st.arg(Arg::Text(key.to_owned()));
            format!(
                "(SELECT v.{} FROM {} v WHERE v.run_id = r.id AND v.{} = {key})",
                rows.value_column, rows.table, rows.key_column
            )
        };
        match field {
            RunField::Metric(key) => keyed(st, KeyedRows::METRICS, key),
            RunField::Param(key) => keyed(st, KeyedRows::PARAMS, key),
            RunField::Tag(key) => keyed(st, KeyedRows::TAGS, key),
            RunField::DisplayName => "r.display_name".to_owned(),
            RunField::RunId => "r.name".to_owned(),
            RunField::UserName => "r.user_name".to_owned(),
            RunField::RunIdAfter(prefix) => {
                format!("({} || r.name)", st.arg(Arg::Text(prefix.clone())))
            }
            RunField::ExperimentId => "CAST(r.experiment_id AS TEXT)".to_owned(),
            RunField::Status(names) => {
                let mut case = "CASE r.status".to_owned();
                for (stored, shown) in names {
                    let stored = st.arg(Arg::Text((*stored).to_owned()));
                    let shown = st.arg(Arg::Text((*shown).to_owned()));
                    case.push_str(&format!(" WHEN {stored} THEN {shown}"));
                }
                case.push_str(" END");
                case
            }
            RunField::StartMs => "(COALESCE(r.started_at, r.created_at) * 1000)".to_owned(),
            RunField::EndMs => "(r.ended_at * 1000)".to_owned(),
        }
    }

    /// Text compares byte by byte on both backends, as on the client.
    fn collation(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " COLLATE \"C\"",
        }
    }

    /// SQLite reads a CROSS JOIN's tables in the order written (the index that gives the
    /// order first); PostgreSQL takes no ON with it and plans joins by itself.
    fn join(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "CROSS JOIN",
            Backend::Postgres => "JOIN",
        }
    }

    fn real(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "REAL",
            Backend::Postgres => "DOUBLE PRECISION",
        }
    }

    /// The run-name pattern to start from the trigram index with, if there is a `LIKE` on run
    /// names with three letters in a row (fewer, and the index narrows nothing) that few names
    /// match.
    async fn trigram_pattern(&self, pool: &Pool) -> Result<Option<String>, sqlx::Error> {
        let Some(pattern) = self.query.conditions.iter().find_map(|c| match (&c.field, &c.test) {
            (RunField::DisplayName, Test::Like { pattern, .. })
                if pattern.split(['%', '_']).any(|run| run.chars().count() >= 3) =>
            {
                Some(pattern)
            }
            _ => None,
        }) else {
            return Ok(None);
        };
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM run_names \
             WHERE run_names.display_name LIKE $1 LIMIT $2) m",
        )
        .bind(pattern.as_str())
        .bind(TRIGRAM_MATCHES_WORTH_READING + 1)
        .fetch_one(pool)
        .await?;
        Ok((matches <= TRIGRAM_MATCHES_WORTH_READING).then(|| pattern.clone()))
    }

    /// The order of the statements, for merging their rows: each key in its direction with
    /// missing values last, then the run id.
    fn compare(&self, a: &FoundRun, b: &FoundRun) -> Ordering {
        for (i, key) in self.keys.iter().enumerate() {
            let ordering = match (&a.keys[i], &b.keys[i]) {
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
                (Some(x), Some(y)) => {
                    let o = compare_values(x, y);
                    if key.ascending {
                        o
                    } else {
                        o.reverse()
                    }
                }
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        a.name.cmp(&b.name)
    }
}

fn compare_values(a: &SortValue, b: &SortValue) -> Ordering {
    match (a, b) {
        // As SQL compares: -0 equals 0.
        (SortValue::Number(x), SortValue::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (SortValue::Text(x), SortValue::Text(y)) => x.cmp(y),
        (SortValue::Number(_), SortValue::Text(_)) => Ordering::Less,
        (SortValue::Text(_), SortValue::Number(_)) => Ordering::Greater,
    }
}

/// SQLite's case-sensitive form of a `LIKE` pattern: `GLOB`, where `*` and `?` are the
/// wildcards and `[`, `*`, `?` in the text are written as one-character classes.
fn glob_of_like(pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match c {
            '%' => glob.push('*'),
            '_' => glob.push('?'),
            '*' => glob.push_str("[*]"),
            '?' => glob.push_str("[?]"),
            '[' => glob.push_str("[[]"),
            c => glob.push(c),
        }
    }
    glob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_become_globs_with_glob_characters_kept_literal() {
        assert_eq!(glob_of_like("trial_%"), "trial?*");
        assert_eq!(glob_of_like("a*b?[c]"), "a[*]b[?][[]c]");
        assert_eq!(glob_of_like("100%"), "100*");
    }

    #[test]
    fn each_experiment_is_first_read_for_twice_its_even_share() {
        assert_eq!(first_share(101, 10), 22);
        assert_eq!(first_share(101, 1), 101, "never more than the rows wanted");
        assert_eq!(first_share(10, 3), 8);
        assert_eq!(first_share(1, 64), 1);
    }

    #[test]
    fn an_experiment_is_read_further_only_when_all_it_gave_reached_the_page() {
        // Three experiments read for 4 rows each; the page (6 rows) holds all four of the
        // first's, two of the second's, none of the third's; the fourth gave 2: all it has.
        let read = [4, 4, 4, 2];
        let page = [0, 1, 0, 0, 1, 0];
        assert_eq!(read_further(&read, 4, &page), [0]);
        let page = [3, 3, 1, 1, 1, 1];
        assert_eq!(read_further(&read, 4, &page), [1], "an experiment read to its end is done");
    }
}
