//! MLflow's search grammar, for `runs/search` and `experiments/search`: a filter is clauses
//! joined by `AND` (`metrics.rmse < 0.8 and params.alpha = '0.5' and tags.team IN ('a', 'b')`),
//! an order is `entity.key [ASC|DESC]`. Names without an entity are attributes, as in MLflow;
//! keys with other characters are written in backticks or double quotes.

/// What a clause or an order names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Metric(String),
    Param(String),
    Tag(String),
    /// `status`, `run_name`, `start_time`, `name`, …: the caller says which it knows.
    Attribute(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    ILike,
    In,
    NotIn,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub field: Field,
    pub comparator: Comparator,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub field: Field,
    pub ascending: bool,
}

/// A value a run or experiment has for a field, to compare against a clause.
#[derive(Clone, Debug, PartialEq)]
pub enum Actual<'a> {
    Number(f64),
    Text(&'a str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A dotted name as written (`metrics.rmse`, `status`), quotes already removed from parts.
    Name(Vec<String>),
    Text(String),
    Number(String),
    Operator(String),
    Open,
    Close,
    Comma,
}

pub fn parse_filter(input: &str) -> Result<Vec<Clause>, String> {
    let tokens = tokenize(input)?;
    let mut clauses = Vec::new();
    let mut rest = tokens.as_slice();
    while !rest.is_empty() {
        let (clause, after) = clause(rest)?;
        clauses.push(clause);
        rest = match after {
            [] => after,
            [Token::Name(word), more @ ..] if is_word(word, "and") => {
                if more.is_empty() {
                    return Err("the filter ends with AND".to_owned());
                }
                more
            }
            [Token::Name(word), ..] if is_word(word, "or") => {
                return Err("OR is not supported in filters: join clauses with AND".to_owned())
            }
            _ => return Err("expected AND between clauses".to_owned()),
        };
    }
    Ok(clauses)
}

pub fn parse_order(input: &str) -> Result<Order, String> {
    let tokens = tokenize(input)?;
    let (field, rest) = match tokens.as_slice() {
        [Token::Name(parts), rest @ ..] => (field(parts)?, rest),
        _ => return Err(format!("invalid order_by clause {input:?}")),
    };
    let ascending = match rest {
        [] => true,
        [Token::Name(word)] if is_word(word, "asc") => true,
        [Token::Name(word)] if is_word(word, "desc") => false,
        _ => return Err(format!("invalid order_by clause {input:?}: end it with ASC or DESC")),
    };
    Ok(Order { field, ascending })
}

fn is_word(parts: &[String], word: &str) -> bool {
    parts.len() == 1 && parts[0].eq_ignore_ascii_case(word)
}

fn clause(tokens: &[Token]) -> Result<(Clause, &[Token]), String> {
    let [Token::Name(parts), rest @ ..] = tokens else {
        return Err("a clause starts with a name such as metrics.loss".to_owned());
    };
    let field = field(parts)?;
    let (comparator, rest) = match rest {
        [Token::Operator(op), rest @ ..] => (operator(op)?, rest),
        [Token::Name(w), rest @ ..] if is_word(w, "like") => (Comparator::Like, rest),
        [Token::Name(w), rest @ ..] if is_word(w, "ilike") => (Comparator::ILike, rest),
        [Token::Name(w), rest @ ..] if is_word(w, "in") => (Comparator::In, rest),
        [Token::Name(w), Token::Name(w2), rest @ ..] if is_word(w, "not") && is_word(w2, "in") => {
            (Comparator::NotIn, rest)
        }
        _ => return Err(format!("expected a comparator after {}", parts.join("."))),
    };
    let (value, rest) = match (comparator, rest) {
        (Comparator::In | Comparator::NotIn, [Token::Open, rest @ ..]) => list(rest)?,
        (Comparator::In | Comparator::NotIn, _) => {
            return Err("IN takes a list in parentheses: ('a', 'b')".to_owned())
        }
        (_, [Token::Text(text), rest @ ..]) => (Value::Text(text.clone()), rest),
        (_, [Token::Number(number), rest @ ..]) => {
            let n = number.parse::<f64>().map_err(|_| format!("{number:?} is not a number"))?;
            (Value::Number(n), rest)
        }
        _ => return Err(format!("expected a value after {}", parts.join("."))),
    };
    Ok((Clause { field, comparator, value }, rest))
}

fn list(mut tokens: &[Token]) -> Result<(Value, &[Token]), String> {
    let mut items = Vec::new();
    loop {
        match tokens {
            [Token::Text(text), Token::Comma, rest @ ..] => {
                items.push(text.clone());
                tokens = rest;
            }
            [Token::Text(text), Token::Close, rest @ ..] => {
                items.push(text.clone());
                return Ok((Value::List(items), rest));
            }
            _ => return Err("a list holds quoted strings: ('a', 'b')".to_owned()),
        }
    }
}

fn field(parts: &[String]) -> Result<Field, String> {
    let (entity, key) = match parts {
        [only] => return Ok(Field::Attribute(only.clone())),
        [entity, rest @ ..] => (entity.to_ascii_lowercase(), rest.join(".")),
        [] => return Err("empty name".to_owned()),
    };
    match entity.as_str() {
        "metric" | "metrics" => Ok(Field::Metric(key)),
        "param" | "params" | "parameter" | "parameters" => Ok(Field::Param(key)),
        "tag" | "tags" => Ok(Field::Tag(key)),
        "attribute" | "attributes" | "attr" | "run" => Ok(Field::Attribute(key)),
        other => {
            Err(format!("invalid entity type {other:?}: use metrics, params, tags or attributes"))
        }
    }
}

fn operator(op: &str) -> Result<Comparator, String> {
    Ok(match op {
        "=" | "==" => Comparator::Eq,
        "!=" | "<>" => Comparator::Ne,
        "<" => Comparator::Lt,
        "<=" => Comparator::Le,
        ">" => Comparator::Gt,
        ">=" => Comparator::Ge,
        other => return Err(format!("invalid comparator {other:?}")),
    })
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' || c == ',' {
            tokens.push(match c {
                '(' => Token::Open,
                ')' => Token::Close,
                _ => Token::Comma,
            });
            i += 1;
        } else if c == '\'' || c == '"' {
            let (text, next) = quoted(&chars, i)?;
            tokens.push(Token::Text(text));
            i = next;
        } else if "=!<>".contains(c) {
            let start = i;
            while i < chars.len() && "=!<>".contains(chars[i]) {
                i += 1;
            }
            tokens.push(Token::Operator(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() || ((c == '-' || c == '.') && next_is_digit(&chars, i)) {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "+-.".contains(chars[i]))
            {
                // A sign only right after an exponent marker.
                if "+-".contains(chars[i]) && !"eE".contains(chars[i - 1]) {
                    break;
                }
                i += 1;
            }
            tokens.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphanumeric() || c == '_' || c == '`' {
            let (parts, next) = name(&chars, i)?;
            tokens.push(Token::Name(parts));
            i = next;
        } else {
            return Err(format!("unexpected character {c:?} in the filter"));
        }
    }
    Ok(tokens)
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|c| c.is_ascii_digit() || *c == '.')
}

/// A quoted string starting at `start` (its quote), with `\` escaping the next character.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                text.push(chars[i + 1]);
                i += 2;
            }
            c if c == quote => return Ok((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err("a quoted string is not closed".to_owned())
}

/// A dotted name: parts of letters, digits, `_`, `-`, `/`, or quoted in backticks or double
/// quotes (after a dot), such as metrics.`val loss` or tags."mlflow.user".
fn name(chars: &[char], start: usize) -> Result<(Vec<String>, usize), String> {
    let mut parts = Vec::new();
    let mut i = start;
    loop {
        let c = chars.get(i).copied();
        if c == Some('`') || (c == Some('"') && !parts.is_empty()) {
            let (text, next) = quoted(chars, i)?;
            parts.push(text);
            i = next;
        } else {
            let from = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || "_-/:".contains(chars[i])) {
                i += 1;
            }
            if from == i {
                return Err("a name is missing after '.'".to_owned());
            }
            parts.push(chars[from..i].iter().collect());
        }
        // Only the entity is split off; a key keeps its dots (params.model.lr).
        if chars.get(i) == Some(&'.') && parts.len() == 1 {
            i += 1;
            let key_start = i;
            if matches!(chars.get(i), Some('`') | Some('"')) {
                continue;
            }
            while i < chars.len() && (chars[i].is_alphanumeric() || "_-/.:".contains(chars[i])) {
                i += 1;
            }
            if key_start == i {
                return Err("a name is missing after '.'".to_owned());
            }
            parts.push(chars[key_start..i].iter().collect());
        }
        return Ok((parts, i));
    }
}

impl Clause {
    /// MLflow's rule: metrics compare with numbers, parameters and tags with quoted strings.
    pub fn check_value_type(&self) -> Result<(), String> {
        match (&self.field, &self.value) {
            (Field::Metric(key), Value::Text(_) | Value::List(_)) => {
                Err(format!("Expected numeric value type for metric '{key}'."))
            }
            (Field::Param(key), Value::Number(_)) => {
                Err(format!("Expected a quoted string value for parameter '{key}'."))
            }
            (Field::Tag(key), Value::Number(_)) => {
                Err(format!("Expected a quoted string value for tag '{key}'."))
            }
            _ => Ok(()),
        }
    }

    /// `tags.x != …` or `tags.x NOT IN (…)`.
    pub fn is_negative_on_tag(&self) -> bool {
        matches!(self.field, Field::Tag(_))
            && matches!(self.comparator, Comparator::Ne | Comparator::NotIn)
    }

    /// Whether `actual` (None: the run has no such metric, parameter or tag) satisfies the
    /// clause. Text compares as text, numbers as numbers; LIKE takes `%` and `_`.
    pub fn holds(&self, actual: Option<Actual<'_>>) -> bool {
        let Some(actual) = actual else {
            return false;
        };
        match (&self.value, actual) {
            (Value::Number(want), Actual::Number(have)) => compare(self.comparator, &have, want),
            (Value::Text(want), Actual::Text(have)) => match self.comparator {
                Comparator::Like => like(have, want, false),
                Comparator::ILike => like(have, want, true),
                c => compare(c, have, want.as_str()),
            },
            (Value::List(items), Actual::Text(have)) => {
                let found = items.iter().any(|i| i == have);
                if self.comparator == Comparator::NotIn {
                    !found
                } else {
                    found
                }
            }
            (Value::Text(want), Actual::Number(have)) => {
                want.parse::<f64>().is_ok_and(|w| compare(self.comparator, &have, &w))
            }
            _ => false,
        }
    }
}

fn compare<T: PartialOrd + ?Sized>(comparator: Comparator, have: &T, want: &T) -> bool {
    match comparator {
        Comparator::Eq => have == want,
        Comparator::Ne => have != want,
        Comparator::Lt => have < want,
        Comparator::Le => have <= want,
        Comparator::Gt => have > want,
        Comparator::Ge => have >= want,
        _ => false,
    }
}

/// SQL's LIKE: `%` any run of characters, `_` any one.
fn like(text: &str, pattern: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| if ignore_case { s.to_lowercase() } else { s.to_owned() };
    let text: Vec<char> = fold(text).chars().collect();
    let pattern: Vec<char> = fold(pattern).chars().collect();
    // Iterative wildcard matching with backtracking to the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        // `%` first: a `%` in the text is no reason to take the pattern's as a plain character.
        if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '%')
}

#[cfg(test)]
#[path = "filter_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(key: &str) -> Field {
        Field::Metric(key.to_owned())
    }

    #[test]
    fn filters_read_clauses_joined_by_and() {
        let clauses = parse_filter(
            "metrics.rmse < 0.8 and params.alpha = '0.5' AND tags.`team name` IN ('a', \"b\") \
             and attributes.status != 'FAILED' and run_name LIKE 'exp%' and metrics.x >= -1e-3",
        )
        .unwrap();
        assert_eq!(clauses.len(), 6);
        assert_eq!(clauses[0].field, metric("rmse"));
        assert_eq!(clauses[0].value, Value::Number(0.8));
        assert_eq!(clauses[1].field, Field::Param("alpha".into()));
        assert_eq!(clauses[2].field, Field::Tag("team name".into()));
        assert_eq!(clauses[2].value, Value::List(vec!["a".into(), "b".into()]));
        assert_eq!(clauses[3].comparator, Comparator::Ne);
        assert_eq!(clauses[4].field, Field::Attribute("run_name".into()));
        assert_eq!(clauses[5].value, Value::Number(-1e-3));
    }

    #[test]
    fn the_registrys_prompt_clause_reads() {
        let c = parse_filter("name LIKE 'digits%' AND tag.`mlflow.prompt.is_prompt` != 'true'")
            .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].field, Field::Tag("mlflow.prompt.is_prompt".into()));
        assert!(c[1].is_negative_on_tag());
    }

    #[test]
    fn keys_keep_their_dots() {
        let c = parse_filter("tags.mlflow.runName = 'x' and params.\"a b\" = '1'").unwrap();
        assert_eq!(c[0].field, Field::Tag("mlflow.runName".into()));
        assert_eq!(c[1].field, Field::Param("a b".into()));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        assert!(parse_filter("metrics.rmse < 1 or params.a = '1'").unwrap_err().contains("OR"));
        assert!(parse_filter("metrics.rmse <").is_err());
        assert!(parse_filter("foo.bar = 1").unwrap_err().contains("entity"));
        assert!(parse_filter("params.a = 'x").is_err());
        assert!(parse_filter("params.a IN 'x'").is_err());
        assert!(parse_filter("metrics.a = 1 and").is_err());
        assert_eq!(parse_filter("  ").unwrap(), vec![]);
    }

    #[test]
    fn orders_name_a_field_and_a_direction() {
        assert_eq!(
            parse_order("metrics.`val loss` DESC").unwrap(),
            Order { field: metric("val loss"), ascending: false }
        );
        assert!(parse_order("start_time").unwrap().ascending);
        assert!(parse_order("start_time sideways").is_err());
    }

    #[test]
    fn clauses_compare_numbers_text_and_patterns() {
        let c = |f: &str| parse_filter(f).unwrap().remove(0);
        assert!(c("metrics.a < 1").holds(Some(Actual::Number(0.5))));
        assert!(!c("metrics.a < 1").holds(None));
        assert!(c("params.a = '0.5'").holds(Some(Actual::Text("0.5"))));
        assert!(c("tags.t LIKE 'ab%d_'").holds(Some(Actual::Text("abcccde"))));
        assert!(!c("tags.t LIKE 'AB%'").holds(Some(Actual::Text("abc"))));
        assert!(c("tags.t ILIKE 'AB%'").holds(Some(Actual::Text("abc"))));
        assert!(c("tags.t NOT IN ('x')").holds(Some(Actual::Text("y"))));
        assert!(c("start_time > '5'").holds(Some(Actual::Number(6.0))));
        // A `%` in the text still leaves the pattern's `%` a wildcard.
        assert!(c("tags.t LIKE 'a%'").holds(Some(Actual::Text("a%b"))));
        assert!(c("tags.t ILIKE 'A%%_'").holds(Some(Actual::Text("a%bc"))));
    }
}
