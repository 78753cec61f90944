//! Property tests of MLflow's search grammar and paging. Random filters (clauses of every
//! entity, comparator and value, keys and text holding quotes, backslashes, SQL and any
//! character) are printed in MLflow's syntax with random spellings and spacing and read back
//! as themselves; a valid filter followed by a broken clause is refused, never read as the valid
//! part; any text is refused or read into a filter that prints and reads back the same; `LIKE`
//! agrees with a plain matcher; and searches page through items as the reference model does.

use proptest::prelude::*;

use super::*;
use crate::server::mlflow::query::{OwnedActual, Search};
use crate::server::mlflow::wire::{offset_of, page_token};

/// How one clause is written: which spelling of the entity and comparator, whether a key is
/// bare (when it can be), which quotes, which number format, and the spaces around.
#[derive(Clone, Debug)]
struct Spelling {
    pick: usize,
    bare: bool,
    backtick: bool,
    single: bool,
    gap: String,
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (any::<usize>(), any::<bool>(), any::<bool>(), any::<bool>(), "[ \t\n]{0,2}").prop_map(
        |(pick, bare, backtick, single, gap)| Spelling { pick, bare, backtick, single, gap },
    )
}

/// The plain spelling, for printing what was read.
fn plain() -> Spelling {
    Spelling { pick: 0, bare: false, backtick: true, single: true, gap: " ".to_owned() }
}

/// `text` in `mark` quotes, with `\` before each backslash and each `mark`.
fn quote(text: &str, mark: char) -> String {
    let mut quoted = String::from(mark);
    for c in text.chars() {
        if c == '\\' || c == mark {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push(mark);
    quoted
}

/// Whether `key` may be written without quotes after an entity.
fn bare_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || "_-/.:".contains(c))
}

/// Whether an attribute may be written alone: a name that does not read as a number.
fn bare_attribute(name: &str) -> bool {
    name.starts_with(|c: char| (c.is_alphanumeric() || c == '_') && !c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || "_-/:".contains(c))
}

fn print_field(field: &Field, s: &Spelling) -> String {
    let (entities, key): (&[&str], &str) = match field {
        Field::Metric(key) => (&["metrics", "metric", "METRICS"], key),
        Field::Param(key) => (&["params", "param", "parameter", "PARAMETERS"], key),
        Field::Tag(key) => (&["tags", "tag", "TAGS"], key),
        Field::Attribute(name) if s.bare && bare_attribute(name) => return name.clone(),
        Field::Attribute(name) => (&["attributes", "attribute", "attr", "run"], name),
    };
    let entity = entities[s.pick % entities.len()];
    if s.bare && bare_key(key) {
        format!("{entity}.{key}")
    } else {
        format!("{entity}.{}", quote(key, if s.backtick { '`' } else { '"' }))
    }
}

fn print_comparator(comparator: Comparator, s: &Spelling) -> String {
    let spellings: &[&str] = match comparator {
        Comparator::Eq => &["=", "=="],
        Comparator::Ne => &["!=", "<>"],
        Comparator::Lt => &["<"],
        Comparator::Le => &["<="],
        Comparator::Gt => &[">"],
        Comparator::Ge => &[">="],
        Comparator::Like => &["LIKE", "like", "Like"],
        Comparator::ILike => &["ILIKE", "ilike"],
        Comparator::In => &["IN", "in"],
        Comparator::NotIn => &["NOT IN", "not in", "Not\tIn", "NOT\n IN"],
    };
    let word = spellings[s.pick % spellings.len()];
    // Words need a space between them and the key; symbols do not.
    if word.starts_with(char::is_alphabetic) {
        format!(" {word} ")
    } else {
        format!("{}{word}{}", s.gap, s.gap)
    }
}

fn print_value(value: &Value, s: &Spelling) -> String {
    let mark = if s.single { '\'' } else { '"' };
    match value {
        // A number past f64's range reads as infinite, as in MLflow.
        Value::Number(n) if n.is_infinite() => format!("{}1e999", if *n < 0.0 { "-" } else { "" }),
        Value::Number(n) => match s.pick % 3 {
            0 => format!("{n:?}"),
            1 => format!("{n}"),
            _ => format!("{n:e}"),
        },
        Value::Text(text) => quote(text, mark),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|i| quote(i, mark)).collect();
            format!("({})", items.join(&format!(",{}", s.gap)))
        }
    }
}

fn print_clause(clause: &Clause, s: &Spelling) -> String {
    format!(
        "{}{}{}",
        print_field(&clause.field, s),
        print_comparator(clause.comparator, s),
        print_value(&clause.value, s)
    )
}

/// Clauses joined by AND in some spelling, spaces around.
fn print_filter(clauses: &[(Clause, Spelling)]) -> String {
    let joiners = ["AND", "and", "And", "aNd"];
    let mut text = String::new();
    for (n, (clause, s)) in clauses.iter().enumerate() {
        if n > 0 {
            text.push_str(&format!("{} {} ", s.gap, joiners[s.pick % joiners.len()]));
        }
        text.push_str(&print_clause(clause, s));
    }
    text
}

/// Keys and text: names, anything printable, quotes and backslashes, SQL, any character.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_./:-]{0,10}",
        "\\PC{0,10}",
        "[`\"'\\\\ .a%_]{0,8}",
        "(?s).{0,6}",
        Just("' OR 1=1 --".to_owned()),
        Just("\"; DROP TABLE runs; --".to_owned()),
        Just("mlflow.runName".to_owned()),
    ]
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        text().prop_map(Field::Metric),
        text().prop_map(Field::Param),
        text().prop_map(Field::Tag),
        text().prop_map(Field::Attribute),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
    ]
}

fn clause() -> impl Strategy<Value = Clause> {
    use Comparator::*;
    let scalar = prop_oneof![number().prop_map(Value::Number), text().prop_map(Value::Text)];
    let one = (prop::sample::select(vec![Eq, Ne, Lt, Le, Gt, Ge, Like, ILike]), scalar);
    let list = prop::collection::vec(text(), 1..5).prop_map(Value::List);
    let many = (prop::sample::select(vec![In, NotIn]), list);
    (field(), prop_oneof![one, many]).prop_map(|(field, (comparator, value))| Clause {
        field,
        comparator,
        value,
    })
}

fn filter() -> impl Strategy<Value = Vec<(Clause, Spelling)>> {
    prop::collection::vec((clause(), spelling()), 0..6)
}

/// Text made of the grammar's pieces, and of anything.
fn any_filter_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "metrics",
        "params",
        "tags",
        "attributes",
        "run",
        "status",
        "foo",
        ".",
        "`",
        "\"",
        "'",
        "\\",
        "(",
        ")",
        ",",
        "=",
        "==",
        "!=",
        "<>",
        "<",
        "<=",
        ">=",
        "!",
        "AND",
        "and",
        "OR",
        "NOT",
        "IN",
        "LIKE",
        "ilike",
        "1",
        "-",
        "-1.5e-3",
        ".5",
        "1e",
        "e",
        "+",
        "x",
        "a b",
        " ",
        "\t",
        "é",
        "\u{0}",
        "%",
        "_",
        ";",
        "--",
    ]);
    let soup = (prop::collection::vec(piece, 0..24), any::<bool>())
        .prop_map(|(pieces, spaced)| pieces.join(if spaced { " " } else { "" }));
    prop_oneof![soup, "(?s).{0,60}"]
}

/// Clauses that break a filter, each after a valid beginning.
const BROKEN: &[&str] = &[
    " AND",
    " and ",
    " AND metrics.m <",
    " AND metrics.m 1",
    " AND params.p = 'open",
    " AND params.p = \"open\\\"",
    " AND tags.t IN ('a'",
    " AND tags.t IN 'a'",
    " AND tags.t IN ()",
    " AND nosuch.x = 1",
    " AND tags.t = 'x' OR tags.u = 'y'",
    " OR tags.t = 'x'",
    " ; DROP TABLE runs",
    " AND tags.t = 'x'; --",
    " AND (tags.t = 'x')",
    " AND tags.t = 'x' tags.u = 'y'",
    " AND tags.t ~ 'x'",
    " AND tags.t === 'x'",
    " AND tags.` = 'x'",
    " AND tags. = 'x'",
    " AND metrics.m = 1e",
    " AND metrics.m = --1",
    " AND tags.t = 'x' \u{0}",
];

/// SQL's LIKE written plainly: `%` any run of characters, `_` any one.
fn like_reference(text: &[char], pattern: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('%', rest)) => (0..=text.len()).any(|skip| like_reference(&text[skip..], rest)),
        Some((p, rest)) => text
            .split_first()
            .is_some_and(|(t, more)| (*p == '_' || p == t) && like_reference(more, rest)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The reference model: a filter printed in MLflow's syntax, however spelled and spaced,
    /// reads back as its clauses.
    #[test]
    fn printed_filters_read_back_as_their_clauses(clauses in filter(), around in "[ \t\n]{0,2}") {
        let text = format!("{around}{}{around}", print_filter(&clauses));
        let expected: Vec<Clause> = clauses.into_iter().map(|(c, _)| c).collect();
        prop_assert_eq!(parse_filter(&text), Ok(expected), "{}", text);
    }

    /// A valid filter followed by a broken clause is refused, never read as the valid part.
    #[test]
    fn a_broken_clause_after_valid_ones_is_refused(
        clauses in filter(),
        broken in prop::sample::select(BROKEN),
    ) {
        let text = format!("{}{broken}", print_filter(&clauses));
        prop_assert!(parse_filter(&text).is_err(), "{:?} read as {:?}", text, parse_filter(&text));
    }

    /// Any text is refused with a reason, or read as clauses that print and read back the same
    /// (lists only after IN, never empty); reading an order never panics.
    #[test]
    fn any_text_is_refused_or_read_canonically(input in any_filter_text()) {
        match parse_filter(&input) {
            Ok(clauses) => {
                for clause in &clauses {
                    let listed = matches!(clause.comparator, Comparator::In | Comparator::NotIn);
                    let list = matches!(&clause.value, Value::List(items) if !items.is_empty());
                    prop_assert_eq!(listed, list, "{:?}", clause);
                    let _ = clause.check_value_type();
                    let _ = clause.holds(Some(Actual::Text("x")));
                    let _ = clause.holds(Some(Actual::Number(1.0)));
                }
                let spelled: Vec<(Clause, Spelling)> = clauses.iter().cloned().map(|c| (c, plain())).collect();
                prop_assert_eq!(parse_filter(&print_filter(&spelled)), Ok(clauses));
            }
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
        if let Ok(order) = parse_order(&input) {
            let text = print_field(&order.field, &plain());
            let direction = if order.ascending { "ASC" } else { "DESC" };
            prop_assert_eq!(parse_order(&format!("{text} {direction}")), Ok(order));
        }
    }

    /// An order is a field and an optional direction, in any case.
    #[test]
    fn printed_orders_read_back(
        field in field(),
        s in spelling(),
        direction in prop::sample::select(vec![("", true), (" ASC", true), (" asc", true), (" DESC", false), (" Desc", false)]),
    ) {
        let text = format!("{}{}{}", print_field(&field, &s), direction.0, s.gap);
        prop_assert_eq!(parse_order(&text), Ok(Order { field, ascending: direction.1 }), "{}", text);
    }

    /// LIKE and ILIKE agree with a plain matcher.
    #[test]
    fn like_agrees_with_a_plain_matcher(text in "[abAB%_]{0,10}", pattern in "[abAB%_]{0,8}") {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        prop_assert_eq!(like(&text, &pattern, false), like_reference(&chars(&text), &chars(&pattern)));
        let lower = |s: &str| chars(&s.to_lowercase());
        prop_assert_eq!(like(&text, &pattern, true), like_reference(&lower(&text), &lower(&pattern)));
    }

    /// Page tokens name the offsets a query may bind, and nothing else reads as one.
    #[test]
    fn page_tokens_read_back_or_are_refused(offset in any::<u64>(), junk in "(?s).{0,24}") {
        let token = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            format!("{{\"offset\": {offset}}}"),
        );
        let read = offset_of(Some(&token)).ok();
        prop_assert_eq!(read, usize::try_from(offset).ok().filter(|_| i64::try_from(offset).is_ok()));
        if let Some(offset) = read {
            prop_assert_eq!(offset_of(Some(&page_token(offset))).ok(), Some(offset));
        }
        let _ = offset_of(Some(&junk));
    }
}

/// Items with a value (or none) for attribute `v`, and their place in the list.
fn value_of(item: &(usize, Option<i32>), field: &Field) -> Option<OwnedActual> {
    match field {
        Field::Attribute(name) if name == "v" => item.1.map(|v| OwnedActual::Number(v.into())),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The reference model of a search: keep the items whose `v` is at least `least`, order
    /// them by `v` (items without one last), then by place, and cut the page at the token's
    /// offset; the next token follows when more remain.
    #[test]
    fn searches_page_as_the_reference_model(
        values in prop::collection::vec(prop::option::of(-20i32..20), 0..60),
        least in prop::option::of(-20i32..20),
        descending in prop::option::of(any::<bool>()),
        max in 1i64..12,
        offset in prop_oneof![0usize..70, Just(i64::MAX as usize)],
    ) {
        let items: Vec<(usize, Option<i32>)> = values.into_iter().enumerate().collect();
        let filter = least.map(|l| format!("v >= {l}"));
        let order: Vec<String> = descending
            .map(|d| format!("v {}", if d { "DESC" } else { "ASC" }))
            .into_iter()
            .collect();
        let token = page_token(offset);
        let search = Search::parse(Some(max), filter.as_deref(), &order, Some(&token), |_| Ok(()))
            .expect("a valid search");
        let ascending = Order { field: Field::Attribute("v".into()), ascending: true };
        let (page, next) = search.page(&items, value_of, ascending, |a, b| a.0.cmp(&b.0));

        let mut expected: Vec<&(usize, Option<i32>)> = items
            .iter()
            .filter(|(_, v)| least.is_none_or(|l| v.is_some_and(|v| v >= l)))
            .collect();
        expected.sort_by_key(|(place, v)| {
            let key = match (v, descending) {
                (None, _) => (1, 0),
                (Some(v), Some(true)) => (0, -v),
                (Some(v), _) => (0, *v),
            };
            (key, *place)
        });
        let more = offset.saturating_add(max as usize) < expected.len();
        let expected_page: Vec<_> = expected.into_iter().skip(offset).take(max as usize).collect();
        prop_assert_eq!(page, expected_page);
        prop_assert_eq!(next, more.then(|| page_token(offset + max as usize)));
    }

    /// Whatever is asked, reading a search refuses or pages without panicking, within its
    /// page size.
    #[test]
    fn any_search_is_refused_or_paged(
        max in prop::option::of(any::<i64>()),
        filter in prop::option::of(any_filter_text()),
        order in prop::collection::vec(any_filter_text(), 0..3),
        token in prop::option::of(prop_oneof![
            any::<u64>().prop_map(|n| base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                format!("{{\"offset\": {n}}}"),
            )),
            "(?s).{0,16}",
        ]),
        values in prop::collection::vec(prop::option::of(-5i32..5), 0..10),
    ) {
        let items: Vec<(usize, Option<i32>)> = values.into_iter().enumerate().collect();
        let read = Search::parse(max, filter.as_deref(), &order, token.as_deref(), |_| Ok(()));
        if let Ok(search) = read {
            prop_assert!(max.is_none_or(|m| (1..=50_000).contains(&m)));
            let order = Order { field: Field::Attribute("v".into()), ascending: true };
            let (page, _) = search.page(&items, value_of, order, |a, b| a.0.cmp(&b.0));
            prop_assert!(page.len() <= max.unwrap_or(1000) as usize);
        }
    }
}
