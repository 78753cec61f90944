//! A run search's filter and order in the database's terms (`db::run_search`), with MLflow's
//! reading of each clause: metrics and times compare as numbers (a quoted number too), the
//! rest as text; a clause whose value is of the other kind holds for no run.

use super::filter::{Clause, Comparator, Field, Order, Value};
use super::wire::{self, RUN_NAME_TAG};
use crate::domain::RunStatus;
use crate::server::db::run_search::{Comparison, Condition, RunField, SortKey, Test};

/// The run's field a search names.
pub fn field(field: &Field) -> RunField {
    match field {
        Field::Metric(key) => RunField::Metric(key.clone()),
        Field::Param(key) => RunField::Param(key.clone()),
        Field::Tag(key) if key == RUN_NAME_TAG => RunField::DisplayName,
        Field::Tag(key) => RunField::Tag(key.clone()),
        Field::Attribute(name) => match name.as_str() {
            "status" => RunField::Status(
                RunStatus::ALL.iter().map(|s| (s.as_str(), wire::status_name(*s))).collect(),
            ),
            "run_name" => RunField::DisplayName,
            "run_id" => RunField::RunId,
            "user_id" => RunField::UserName,
            "artifact_uri" => RunField::RunIdAfter(wire::artifact_uri("")),
            "experiment_id" => RunField::ExperimentId,
            "end_time" => RunField::EndMs,
            // start_time, created, Created
            _ => RunField::StartMs,
        },
    }
}

pub fn sort_key(order: &Order) -> SortKey {
    SortKey { field: field(&order.field), ascending: order.ascending }
}

/// The clause as a condition, or None when no run can meet it.
pub fn condition(clause: &Clause) -> Option<Condition> {
    let field = field(&clause.field);
    let test = if is_number(&field) { number_test(clause)? } else { text_test(clause)? };
    Some(Condition { field, test })
}

fn is_number(field: &RunField) -> bool {
    matches!(field, RunField::Metric(_) | RunField::StartMs | RunField::EndMs)
}

fn comparison(comparator: Comparator) -> Option<Comparison> {
    Some(match comparator {
        Comparator::Eq => Comparison::Eq,
        Comparator::Ne => Comparison::Ne,
        Comparator::Lt => Comparison::Lt,
        Comparator::Le => Comparison::Le,
        Comparator::Gt => Comparison::Gt,
        Comparator::Ge => Comparison::Ge,
        Comparator::Like | Comparator::ILike | Comparator::In | Comparator::NotIn => return None,
    })
}

/// A number compared with a number, or with a quoted text that reads as one.
fn number_test(clause: &Clause) -> Option<Test> {
    let want = match &clause.value {
        Value::Number(n) => *n,
        Value::Text(t) => t.parse::<f64>().ok()?,
        Value::List(_) => return None,
    };
    Some(Test::Number(comparison(clause.comparator)?, want))
}

fn text_test(clause: &Clause) -> Option<Test> {
    match (&clause.value, clause.comparator) {
        (Value::Text(t), Comparator::Like) => {
            Some(Test::Like { pattern: t.clone(), ignore_case: false })
        }
        (Value::Text(t), Comparator::ILike) => {
            Some(Test::Like { pattern: t.clone(), ignore_case: true })
        }
        (Value::Text(t), c) => Some(Test::Text(comparison(c)?, t.clone())),
        (Value::List(items), comparator) => {
            let mut items = items.clone();
            items.sort_unstable();
            items.dedup();
            Some(if comparator == Comparator::NotIn { Test::NotIn(items) } else { Test::In(items) })
        }
        (Value::Number(_), _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::mlflow::filter::parse_filter;

    fn one(filter: &str) -> Option<Condition> {
        condition(&parse_filter(filter).unwrap()[0])
    }

    #[test]
    fn clauses_of_the_other_kind_hold_for_no_run() {
        assert_eq!(one("start_time > 'soon'"), None);
        assert_eq!(one("run_name = 5"), None);
        assert_eq!(one("end_time LIKE '1%'"), None);
        assert_eq!(one("start_time > '5'").unwrap().test, Test::Number(Comparison::Gt, 5.0));
    }

    #[test]
    fn attributes_and_the_run_name_tag_name_their_columns() {
        assert_eq!(one("tags.`mlflow.runName` = 'a'").unwrap().field, RunField::DisplayName);
        assert_eq!(one("attributes.run_id IN ('x')").unwrap().test, Test::In(vec!["x".into()]));
        assert_eq!(
            one("artifact_uri LIKE '%x'").unwrap().field,
            RunField::RunIdAfter("mlflow-artifacts:/runs/".into())
        );
        assert!(matches!(one("status = 'FINISHED'").unwrap().field, RunField::Status(_)));
    }
}
