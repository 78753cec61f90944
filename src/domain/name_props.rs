//! Property tests of the name, number and line parsers that had none: each agrees with its
//! rule written out plainly (the reference model), keeps the trimmed text it accepts, reads its
//! own output back unchanged, and never panics, whatever the text.

use proptest::prelude::*;

use super::compute::{parse_idle_shutdown, parse_max_nodes, parse_min_nodes};
use super::dataset::{parse_file_name, DatasetName};
use super::datastore::{parse_bucket, parse_endpoint, DatastoreName};
use super::endpoint::{parse_instance_count, parse_percent};
use super::environment::EnvironmentName;
use super::model::parse_version;
use super::pipeline::PipelineName;
use super::run::{parse_metric_lines, parse_run_display_name, validate_metric_key};
use super::*;

/// Text near every rule's edges: names of each alphabet and length, spaces and tabs around,
/// other scripts, control characters, and lengths just under and over 255.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_.()-]{0,12}",
        "[ \t]{0,2}[a-zA-Z0-9][a-zA-Z0-9_.-]{0,40}[ \t]{0,2}",
        "[a-z0-9-]{0,45}",
        "[a-zA-Z][a-zA-Z0-9-]{0,40}",
        "[a-zA-Z0-9][a-z0-9_.-]{250,258}",
        "[a-zA-Z0-9 _.()é\\t\\x00\\x7f\\xa0-]{0,20}",
        "\\PC{0,20}",
        "(?s).{0,12}",
    ]
}

/// `parse` agrees with `rule` on the trimmed text; what it accepts is the trimmed text, and
/// reads back the same.
fn follows<T: std::fmt::Debug + PartialEq>(
    input: &str,
    parse: fn(&str) -> Result<T, Invalid>,
    shown: fn(&T) -> &str,
    rule: fn(&str) -> bool,
) -> Result<(), TestCaseError> {
    let trimmed = input.trim();
    match parse(input) {
        Ok(value) => {
            prop_assert!(rule(trimmed), "accepted {:?}", input);
            prop_assert_eq!(shown(&value), trimmed);
            prop_assert_eq!(parse(shown(&value)), Ok(value));
        }
        Err(_) => prop_assert!(!rule(trimmed), "refused {:?}", input),
    }
    Ok(())
}

/// Azure's rule for assets (experiments, environments, data assets, pipelines, models).
fn asset_rule(name: &str) -> bool {
    (1..=255).contains(&name.chars().count())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// Letters, digits and hyphens from a letter, `min` to `max` long (computes, endpoints).
fn hyphenated(name: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// One line of at most `max` characters.
fn line(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.chars().count()) && !text.chars().any(char::is_control)
}

/// A whole number as typed, within `range`.
fn number_within(text: &str, range: std::ops::RangeInclusive<i64>) -> bool {
    text.trim().parse::<i64>().is_ok_and(|n| range.contains(&n))
}

fn numbers() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?[+-]?[0-9]{0,4}[ ]?",
        "[+-]?[0-9]{18,21}",
        "[0-9a-f.e+-]{0,6}",
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn asset_names_follow_azures_rule(input in text()) {
        follows(&input, ExperimentName::parse, ExperimentName::as_str, asset_rule)?;
        follows(&input, EnvironmentName::parse, EnvironmentName::as_str, asset_rule)?;
        follows(&input, DatasetName::parse, DatasetName::as_str, asset_rule)?;
        follows(&input, PipelineName::parse, PipelineName::as_str, asset_rule)?;
        follows(&input, ModelName::parse, ModelName::as_str, asset_rule)?;
        // Uniqueness ignores case, and only ASCII letters have one.
        if let Ok(name) = ModelName::parse(&input) {
            prop_assert_eq!(name.key(), name.as_str().to_ascii_lowercase());
        }
    }

    #[test]
    fn compute_endpoint_and_deployment_names_follow_azures_rules(input in text()) {
        follows(&input, ComputeName::parse, ComputeName::as_str, |n| hyphenated(n, 2, 16))?;
        follows(&input, EndpointName::parse, EndpointName::as_str, |n| hyphenated(n, 3, 32))?;
        follows(&input, DeploymentName::parse, DeploymentName::as_str, |n| hyphenated(n, 3, 32))?;
    }

    #[test]
    fn organization_group_and_datastore_names_follow_their_rules(input in text()) {
        follows(&input, ResourceGroupName::parse, ResourceGroupName::as_str, |n| {
            (1..=90).contains(&n.len())
                && !n.ends_with('.')
                && n.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c))
        })?;
        follows(&input, Slug::parse, Slug::as_str, |s| {
            (3..=40).contains(&s.len())
                && !s.starts_with('-')
                && !s.ends_with('-')
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })?;
        follows(&input, DatastoreName::parse, DatastoreName::as_str, |n| {
            (1..=255).contains(&n.len())
                && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })?;
        follows(&input, OrganizationName::parse, OrganizationName::as_str, |n| line(n, 1, 100))?;
        follows(&input, access_token::TokenName::parse, access_token::TokenName::as_str, |n| {
            line(n, 1, 100)
        })?;
        follows(&input, Framework::parse, Framework::as_str, |n| line(n, 0, 64))?;
    }

    /// A slug suggested from any name is lowercase letters, digits and single hyphens, none
    /// first or last, at most 40: valid whenever it is long enough.
    #[test]
    fn suggested_slugs_keep_the_slug_rule(name in text()) {
        let slug = Slug::suggest(&name);
        prop_assert!(slug.len() <= 40 && !slug.contains("--"), "{slug:?}");
        prop_assert_eq!(Slug::parse(&slug).is_ok(), slug.len() >= 3, "{:?}", slug);
    }

    #[test]
    fn whole_numbers_are_read_within_their_ranges(input in numbers()) {
        let empty = input.trim().is_empty();
        prop_assert_eq!(parse_version(&input).is_ok(), number_within(&input, 1..=i64::MAX));
        prop_assert_eq!(parse_min_nodes(&input).is_ok(), empty || number_within(&input, 0..=100));
        prop_assert_eq!(parse_max_nodes(&input).is_ok(), number_within(&input, 1..=100));
        prop_assert_eq!(parse_idle_shutdown(&input).is_ok(), empty || number_within(&input, 0..=10_080));
        prop_assert_eq!(parse_instance_count(&input).is_ok(), empty || number_within(&input, 1..=20));
        prop_assert_eq!(parse_percent("blue", &input).is_ok(), number_within(&input, 0..=100));
    }

    /// Run names, metric names, uploaded file names, buckets and S3 endpoints: each is refused
    /// or follows its rule.
    #[test]
    fn run_file_and_storage_names_follow_their_rules(input in text()) {
        match parse_run_display_name(&input) {
            Ok(name) => {
                prop_assert!(line(input.trim(), 0, 255));
                prop_assert_eq!(name.as_deref().unwrap_or_default(), input.trim());
            }
            Err(_) => prop_assert!(!line(input.trim(), 0, 255)),
        }
        let metric = (1..=250).contains(&input.chars().count())
            && input.chars().all(|c| c.is_ascii_alphanumeric() || "_-./ ".contains(c));
        prop_assert_eq!(validate_metric_key(&input).is_ok(), metric);
        if let Ok(file) = parse_file_name(&input) {
            prop_assert!(line(&file, 1, 255) && file.trim() == file);
            prop_assert!(!file.contains(['/', '\\']) && file != "." && file != "..");
            prop_assert_eq!(parse_file_name(&file), Ok(file.clone()));
        }
        let bucket = |b: &str| {
            (3..=63).contains(&b.len())
                && b.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c))
        };
        prop_assert_eq!(parse_bucket(&input).is_ok(), bucket(input.trim()));
        if let Ok(endpoint) = parse_endpoint(&input) {
            prop_assert!(endpoint.is_empty() || endpoint.starts_with("http"));
            prop_assert!(!endpoint.chars().any(|c| c.is_whitespace() || c.is_control()));
        }
    }
}

/// A value of `key=value` lines: empty, or nothing to trim around it.
const VALUE: &str = "([a-zA-Z0-9=.]([a-zA-Z0-9=. ]{0,8}[a-zA-Z0-9=.])?)?";

/// Pairs of `key=value` lines: no '=', nothing to trim, and no two the same ignoring case.
fn pair_lines(
    key: &'static str,
    value: &'static str,
) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((key, value), 0..12).prop_map(|pairs| {
        let mut seen = std::collections::HashSet::new();
        pairs.into_iter().filter(|(k, _)| seen.insert(k.to_ascii_lowercase())).collect()
    })
}

/// Metric lines as people type them: a name, an optional step and a value.
fn metric_lines() -> impl Strategy<Value = String> {
    let step = prop_oneof![
        Just(String::new()),
        (0i64..1000).prop_map(|s| s.to_string()),
        Just(i64::MAX.to_string()),
        Just("-1".to_owned()),
        "[0-9.e-]{1,4}",
    ];
    let value = prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        Just("NaN".to_owned()),
        Just("inf".to_owned()),
        "[0-9.e-]{1,6}",
    ];
    let line = ("(loss|acc|a b|lo\\$s)", step, value, "[ \t]{1,2}")
        .prop_map(|(key, step, value, gap)| format!("{key}{gap}{step}{gap}{value}"));
    prop::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Parameters and tags written as `key=value` lines read back as the pairs, in order.
    #[test]
    fn params_and_tags_read_back_their_lines(
        params in pair_lines("[a-zA-Z_][a-zA-Z0-9_.]{0,12}", VALUE),
        tags in pair_lines("[a-zA-Z_][a-zA-Z0-9_.-]{0,12}", VALUE),
    ) {
        let text = |pairs: &[(String, String)]| {
            pairs.iter().map(|(k, v)| format!(" {k} = {v}\n\n")).collect::<String>()
        };
        let read = Params::parse(&text(&params)).unwrap();
        prop_assert_eq!(read.pairs(), params.as_slice());
        let parsed = Tags::parse(&text(&tags)).unwrap();
        prop_assert_eq!(parsed.pairs(), tags.as_slice());
        prop_assert_eq!(Tags::parse(&parsed.to_text()), Ok(parsed));
    }

    /// Whatever the lines, parameters, tags and metric lines are refused or read without
    /// panicking; what is read keeps the rules (finite values, steps from 0).
    #[test]
    fn lines_are_refused_or_read(input in prop_oneof!["(?s).{0,60}", metric_lines()]) {
        if let Ok(tags) = Tags::parse(&input) {
            prop_assert_eq!(Tags::parse(&tags.to_text()), Ok(tags));
        }
        if let Ok(params) = Params::parse(&input) {
            prop_assert!(params.pairs().iter().all(|(k, _)| !k.is_empty() && k.trim() == k));
        }
        if let Ok(points) = parse_metric_lines(&input) {
            for point in points {
                prop_assert!(point.value.is_finite() && point.step >= 0);
                prop_assert!(validate_metric_key(&point.key).is_ok());
            }
        }
        if let Ok(text) = Description::parse(&input) {
            prop_assert_eq!(Description::parse(text.as_str()), Ok(text));
        }
    }

    /// The names of fixed choices read back in any case, with spaces around.
    #[test]
    fn choices_read_back_in_any_case(upper in any::<bool>(), gap in "[ \t]{0,2}") {
        let spell = |s: &str| {
            let s = if upper { s.to_ascii_uppercase() } else { s.to_owned() };
            format!("{gap}{s}{gap}")
        };
        for stage in ModelStage::ALL {
            prop_assert_eq!(ModelStage::parse(&spell(stage.as_str())), Ok(stage));
        }
        for status in RunStatus::ALL {
            prop_assert_eq!(RunStatus::parse(&spell(status.as_str())), Ok(status));
        }
        for format in dataset::DataFormat::ALL {
            prop_assert_eq!(dataset::DataFormat::parse(&spell(format.as_str())), Ok(format));
        }
        for environment in Environment::ALL {
            prop_assert_eq!(Environment::parse(&spell(environment.as_str())), Ok(environment));
        }
    }
}
