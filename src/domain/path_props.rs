//! Property tests of the parsers of paths: stored paths (`StoredPath`), datastore URIs
//! (`azureml://datastores/…/paths/…`) and scope paths. Each is checked against a reference model
//! built from its parts, never panics on arbitrary text, and keeps what it accepts in a form it
//! reads back unchanged.

use proptest::prelude::*;

use super::dataset::DataUri;
use super::datastore::{DatastoreName, StoredPath};
use super::ScopePath;

/// A name in a path as people write them: never `.` or `..`, nothing around it to trim.
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_é中%:-]([a-zA-Z0-9_.é中%: -]{0,10}[a-zA-Z0-9_.é中%:-])?"
}

/// Text made of the pieces that trip path checks.
fn tricky(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..14).prop_map(|p| p.concat())
}

fn tricky_path() -> impl Strategy<Value = String> {
    let pieces =
        vec!["a", "bc", "é", ".", "..", "/", "//", "\\", " ", "\t", "\u{0}", "\u{3000}", "%2e"];
    prop_oneof![tricky(pieces), "(?s).{0,40}"]
}

/// Whitespace and slashes, as they may surround a path.
fn around() -> impl Strategy<Value = String> {
    "[ /\t]{0,3}"
}

/// What every stored path is.
fn is_canonical(path: &StoredPath) -> Result<(), TestCaseError> {
    let text = path.as_str();
    prop_assert!(!text.is_empty() && text.len() <= 1024, "{text:?}");
    prop_assert!(!text.contains('\\') && !text.chars().any(char::is_control), "{text:?}");
    let segments: Vec<&str> = text.split('/').collect();
    prop_assert!(segments.len() <= 32, "{text:?}");
    for segment in &segments {
        prop_assert!(!segment.is_empty() && *segment != "." && *segment != "..", "{text:?}");
        prop_assert!(segment.len() <= 255, "{text:?}");
    }
    prop_assert_eq!(path.file_name(), *segments.last().unwrap());
    prop_assert_eq!(StoredPath::parse(text), Ok(path.clone()), "reads back the same");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Whatever the text, a stored path is refused or canonical: relative, no empty, `.` or
    /// `..` names, no backslash or control character, at most 32 levels, and read back the
    /// same.
    #[test]
    fn stored_paths_are_refused_or_canonical(input in tricky_path()) {
        if let Ok(path) = StoredPath::parse(&input) {
            is_canonical(&path)?;
        }
    }

    /// Whatever the text, a data URI is refused, or is a datastore's path that both the name
    /// and path rules accept as they are, or an https or s3 address of one word.
    #[test]
    fn data_uris_are_refused_or_checked(
        input in prop_oneof![
            tricky_path().prop_map(|p| format!("azureml://datastores/lake/paths/{p}")),
            "azureml://datastores/[a-zA-Z_/ ]{0,8}(/paths/)?[a-z/.]{0,8}",
            "(https|s3|http|ftp)://(?s).{0,12}",
            "(?s).{0,40}",
        ],
    ) {
        match DataUri::parse(&input) {
            Ok(DataUri::Datastore { datastore, path, text }) => {
                let name = DatastoreName::parse(&datastore);
                prop_assert_eq!(name.as_ref().map(DatastoreName::as_str), Ok(datastore.as_str()));
                let stored = StoredPath::parse(&path);
                prop_assert_eq!(stored.as_ref().map(StoredPath::as_str), Ok(path.as_str()));
                is_canonical(&stored.unwrap())?;
                prop_assert_eq!(text.as_str(), input.trim());
                let start = format!("azureml://datastores/{datastore}/paths/");
                prop_assert!(text.starts_with(&start), "{} does not start with {}", text, start);
            }
            Ok(DataUri::External(text)) => {
                prop_assert!(text.starts_with("https://") || text.starts_with("s3://"));
                prop_assert!(text.len() <= 2048);
                prop_assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()));
            }
            Err(_) => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The reference model of stored paths: names joined by '/', slashes and spaces around,
    /// read as the names joined, when there are at most 32; more are refused.
    #[test]
    fn stored_paths_are_their_names(
        names in prop::collection::vec(segment(), 1..40),
        before in around(),
        after in around(),
    ) {
        let joined = names.join("/");
        let read = StoredPath::parse(&format!("{before}{joined}{after}"));
        if names.len() <= 32 && joined.len() <= 1024 {
            prop_assert_eq!(read.map(|p| p.as_str().to_owned()), Ok(joined));
        } else {
            prop_assert!(read.is_err());
        }
    }

    /// A path with an empty, `.` or `..` name anywhere, a name longer than 255 bytes, or a
    /// backslash is refused, wherever it is.
    #[test]
    fn paths_that_could_leave_their_folder_are_refused(
        names in prop::collection::vec(segment(), 0..6),
        bad in prop_oneof![
            Just(String::new()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            "a{256}",
            "[a-z]{0,3}\\\\[a-z.]{0,3}",
        ],
        at in any::<prop::sample::Index>(),
    ) {
        let mut names = names;
        let at = at.index(names.len() + 1);
        // An empty name first or last is only a slash around the path.
        prop_assume!(!bad.is_empty() || (0 < at && at < names.len()));
        names.insert(at, bad);
        prop_assert!(StoredPath::parse(&names.join("/")).is_err(), "{:?}", names);
        let uri = format!("azureml://datastores/lake/paths/{}", names.join("/"));
        prop_assert!(DataUri::parse(&uri).is_err(), "{uri}");
    }

    /// The reference model of datastore URIs: a datastore name and a path (a folder when it
    /// ends in '/') read as themselves.
    #[test]
    fn datastore_uris_are_their_parts(
        datastore in "[a-z0-9_]{1,24}",
        names in prop::collection::vec(segment().prop_map(|s| s.replace(' ', "_")), 1..=32),
        folder in any::<bool>(),
    ) {
        let path = names.join("/");
        let text = format!("azureml://datastores/{datastore}/paths/{path}{}", if folder { "/" } else { "" });
        prop_assume!(path.len() <= 1024);
        prop_assert_eq!(
            DataUri::parse(&format!(" {text} ")),
            Ok(DataUri::Datastore { datastore, path, text: text.clone() })
        );
    }
}

/// Names of organizations, groups and workspaces, including ones that differ only in case.
fn scope_name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9_.()-]{1,8}", "(Vision|vision|VISION|detector|Detector)"]
}

/// The reference model of a scope: its level's names.
fn scope() -> impl Strategy<Value = ScopePath> {
    (scope_name(), scope_name(), scope_name(), 0..4usize).prop_map(
        |(org, group, workspace, level)| {
            let org = org.to_ascii_lowercase();
            match level {
                0 => ScopePath::Root,
                1 => ScopePath::Organization { org },
                2 => ScopePath::ResourceGroup { org, group },
                _ => ScopePath::Workspace { org, group, workspace },
            }
        },
    )
}

/// A scope written Azure's way, its fixed words in any case.
fn azure_form(scope: &ScopePath, upper: bool) -> String {
    let word = |w: &str| if upper { w.to_ascii_uppercase() } else { w.to_owned() };
    match scope {
        ScopePath::Root => "/".to_owned(),
        ScopePath::Organization { org } => format!("/{}/{org}", word("subscriptions")),
        ScopePath::ResourceGroup { org, group } => {
            format!("/{}/{org}/{}/{group}", word("subscriptions"), word("resourceGroups"))
        }
        ScopePath::Workspace { org, group, workspace } => format!(
            "/{}/{org}/{}/{group}/{}/{}/{}/{workspace}",
            word("subscriptions"),
            word("resourceGroups"),
            word("providers"),
            word("Microsoft.MachineLearningServices"),
            word("workspaces"),
        ),
    }
}

fn parts(scope: &ScopePath) -> Vec<String> {
    match scope {
        ScopePath::Root => vec![],
        ScopePath::Organization { org } => vec![org.clone()],
        ScopePath::ResourceGroup { org, group } => vec![org.clone(), group.clone()],
        ScopePath::Workspace { org, group, workspace } => {
            vec![org.clone(), group.clone(), workspace.clone()]
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A scope reads the same from its own spelling (with a slash or spaces after) and from
    /// Azure's.
    #[test]
    fn scopes_read_back_in_both_spellings(scope in scope(), upper in any::<bool>(), after in around()) {
        prop_assert_eq!(ScopePath::parse(&format!("{scope}{after}")), Ok(scope.clone()));
        prop_assert_eq!(ScopePath::parse(&scope.url()), Ok(scope.clone()));
        prop_assert_eq!(ScopePath::parse(&azure_form(&scope, upper)), Ok(scope.clone()));
    }

    /// A scope covers exactly itself and what lies below it, names compared ignoring case.
    #[test]
    fn scopes_cover_what_is_below_them(a in scope(), b in scope()) {
        let (mine, theirs) = (parts(&a), parts(&b));
        let below = mine.len() <= theirs.len()
            && mine.iter().zip(&theirs).all(|(x, y)| x.eq_ignore_ascii_case(y));
        prop_assert_eq!(a.covers(&b), below);
        prop_assert!(ScopePath::Root.covers(&b) && b.covers(&b));
    }

    /// Whatever the text, a scope is refused or read back the same from how it is shown.
    #[test]
    fn scopes_are_refused_or_read_back(
        input in prop_oneof![
            tricky(vec![
                "/", "organizations", "subscriptions", "resourceGroups", "RESOURCEGROUPS",
                "providers", "Microsoft.MachineLearningServices", "workspaces", "contoso",
                "Vision", " ", "\t", "//", "é",
            ]),
            "(?s).{0,40}",
        ],
    ) {
        if let Ok(scope) = ScopePath::parse(&input) {
            prop_assert_eq!(ScopePath::parse(&scope.to_string()), Ok(scope.clone()));
            for part in parts(&scope) {
                prop_assert!(!part.is_empty() && !part.contains('/'), "{scope:?}");
            }
        }
    }
}
