//! Azure's action-pattern matching. Case-insensitive; `*` matches any run of characters, `/`
//! included; and `/*/` also matches a single `/`, so `workspaces/*/delete` covers
//! `workspaces/delete` (how a role "cannot delete the workspace" in seed 003).

/// Whether `pattern` (from a role definition) matches `action` (an action string).
pub fn matches(pattern: &str, action: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let action: Vec<char> = action.to_lowercase().chars().collect();
    // memo[i][j]: Some(result) once pattern[i..] has been tried against action[j..].
    let mut memo = vec![vec![None; action.len() + 1]; pattern.len() + 1];
    match_from(&pattern, 0, &action, 0, &mut memo)
}

fn match_from(
    pattern: &[char],
    i: usize,
    action: &[char],
    j: usize,
    memo: &mut Vec<Vec<Option<bool>>>,
) -> bool {
    if let Some(known) = memo[i][j] {
        return known;
    }
    let result = match pattern.get(i) {
        None => j == action.len(),
        Some('*') => {
            let between_slashes =
                i > 0 && pattern[i - 1] == '/' && pattern.get(i + 1) == Some(&'/');
            (between_slashes && match_from(pattern, i + 2, action, j, memo))
                || (j..=action.len()).any(|k| match_from(pattern, i + 1, action, k, memo))
        }
        Some(c) => action.get(j) == Some(c) && match_from(pattern, i + 1, action, j + 1, memo),
    };
    memo[i][j] = Some(result);
    result
}

#[cfg(test)]
mod tests {
    use super::matches;
    use proptest::prelude::*;

    const WS: &str = "Microsoft.MachineLearningServices/workspaces";

    #[test]
    fn a_lone_star_matches_everything() {
        assert!(matches("*", &format!("{WS}/read")));
        assert!(matches("*", "Microsoft.Authorization/roleAssignments/write"));
    }

    #[test]
    fn matching_ignores_letter_case() {
        assert!(matches(
            "microsoft.machinelearningservices/WORKSPACES/read",
            &format!("{WS}/read")
        ));
    }

    #[test]
    fn star_spans_slashes() {
        assert!(matches("*/read", &format!("{WS}/experiments/runs/read")));
        assert!(matches(&format!("{WS}/*"), &format!("{WS}/computes/start/action")));
        assert!(!matches("*/read", &format!("{WS}/write")));
    }

    #[test]
    fn slash_star_slash_also_matches_a_single_slash() {
        assert!(matches(&format!("{WS}/*/delete"), &format!("{WS}/delete")));
        assert!(matches(&format!("{WS}/*/delete"), &format!("{WS}/models/delete")));
        assert!(matches(&format!("{WS}/*/read"), &format!("{WS}/read")));
        assert!(!matches(&format!("{WS}/*/delete"), &format!("{WS}/models/write")));
    }

    #[test]
    fn literal_patterns_match_only_themselves() {
        assert!(matches(&format!("{WS}/write"), &format!("{WS}/write")));
        assert!(!matches(&format!("{WS}/write"), &format!("{WS}/computes/write")));
        assert!(!matches(&format!("{WS}/write"), &format!("{WS}/writes")));
    }

    /// A deliberately naive model: every way of deleting `*/` after a slash-enclosed star,
    /// then plain glob matching by trying every split. Exponential, obviously right.
    fn reference(pattern: &str, action: &str) -> bool {
        let p: Vec<char> = pattern.to_lowercase().chars().collect();
        let action = action.to_lowercase();
        let collapsible: Vec<usize> = (1..p.len().saturating_sub(1))
            .filter(|&i| p[i] == '*' && p[i - 1] == '/' && p[i + 1] == '/')
            .collect();
        (0..1u32 << collapsible.len()).any(|mask| {
            let deleted = |i: usize| {
                collapsible
                    .iter()
                    .enumerate()
                    .any(|(bit, &star)| mask & (1 << bit) != 0 && (i == star || i == star + 1))
            };
            let variant: String =
                p.iter().enumerate().filter(|(i, _)| !deleted(*i)).map(|(_, c)| c).collect();
            glob(&variant, &action)
        })
    }

    fn glob(p: &str, a: &str) -> bool {
        match p.chars().next() {
            None => a.is_empty(),
            Some('*') => (0..=a.len()).any(|k| glob(&p[1..], &a[k..])),
            Some(c) => a.starts_with(c) && glob(&p[1..], &a[1..]),
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference_model(
            pattern in "[ab/*]{0,8}",
            action in "[ab/]{0,8}",
        ) {
            prop_assert_eq!(matches(&pattern, &action), reference(&pattern, &action));
        }
    }
}
