//! The decision: a principal may perform an action at a scope when some assignment of theirs at
//! that scope or an ancestor has a role that permits it. Assignments add up; `NotActions` only
//! narrows the role it belongs to and never denies what another role grants.

use super::{matches, Action, RoleDefinition, ScopeRef};

/// One of the principal's assignments that applies at the scope in question (the caller has
/// already kept only assignments at the scope or its ancestors).
#[derive(Clone, Copy, Debug)]
pub struct Grant<'a> {
    pub role: &'a RoleDefinition,
    pub scope: ScopeRef,
    /// When the assignment ends (time-boxed access); `None` if it does not.
    pub expires_at: Option<i64>,
}

impl<'a> Grant<'a> {
    /// An assignment without an end.
    pub fn lasting(role: &'a RoleDefinition, scope: ScopeRef) -> Self {
        Self { role, scope, expires_at: None }
    }
}

/// The first grant that permits `action`, if any: the reason the answer is yes.
pub fn decide<'a>(grants: &[Grant<'a>], action: Action) -> Option<Grant<'a>> {
    grants.iter().copied().find(|grant| grant.role.permits(action))
}

/// Until when the grants go on permitting every one of `actions`: `None` if each is permitted
/// by some grant without an end, else the first moment one of them stops being permitted.
/// Actions no grant permits are the caller's to refuse beforehand; they are ignored here.
/// This is how grants made by time-boxed access end no later than that access.
pub fn permitted_until(
    grants: &[Grant<'_>],
    actions: impl IntoIterator<Item = Action>,
) -> Option<i64> {
    let last_end = |action: Action| {
        let ends = grants.iter().filter(|g| g.role.permits(action)).map(|g| g.expires_at);
        // `None` (no end) outlasts any moment.
        ends.reduce(|a, b| a.zip(b).map(|(a, b)| a.max(b)))
    };
    actions.into_iter().filter_map(last_end).flatten().min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::builtin::{builtin_role, DATA_SCIENTIST, READER};

    #[test]
    fn no_assignment_means_no() {
        assert!(decide(&[], Action::WorkspacesRead).is_none());
    }

    #[test]
    fn assignments_add_up_and_not_actions_do_not_deny() {
        let scientist = builtin_role(DATA_SCIENTIST).unwrap();
        let reader = builtin_role(READER).unwrap();
        let ws = ScopeRef::workspace(1);
        let org = ScopeRef::organization(1);
        assert!(decide(&[Grant::lasting(scientist, ws)], Action::ResourceGroupsRead).is_none());
        let both = [Grant::lasting(scientist, ws), Grant::lasting(reader, org)];
        let grant = decide(&both, Action::ResourceGroupsRead).unwrap();
        assert_eq!(grant.role.name, READER);
        assert_eq!(grant.scope, org);
    }

    #[test]
    fn what_time_boxed_grants_permit_ends_with_the_latest_of_them() {
        let scientist = builtin_role(DATA_SCIENTIST).unwrap();
        let reader = builtin_role(READER).unwrap();
        let ws = ScopeRef::workspace(1);
        let until = |at| Grant { role: scientist, scope: ws, expires_at: Some(at) };
        let read_until = |at| Grant { role: reader, scope: ws, expires_at: Some(at) };
        let (submit, read) = (Action::RunsSubmit, Action::RunsRead);
        assert_eq!(permitted_until(&[Grant::lasting(scientist, ws)], [submit, read]), None);
        assert_eq!(permitted_until(&[until(10)], [submit, read]), Some(10));
        // Reading lasts to 20 through Reader, but submitting only to 10.
        assert_eq!(permitted_until(&[until(10), read_until(20)], [submit, read]), Some(10));
        assert_eq!(permitted_until(&[until(10), read_until(20)], [read]), Some(20));
        assert_eq!(permitted_until(&[until(10), Grant::lasting(reader, ws)], [read]), None);
        assert_eq!(permitted_until(&[], [read]), None, "unpermitted actions are ignored");
    }
}

/// Why a role set does or does not permit an action: for "Check access".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Explanation {
    /// `role` (assigned at `scope`) grants it through its `pattern`.
    Granted { role: String, scope: ScopeRef, pattern: String },
    /// Some role's Actions match, but its NotActions `pattern` takes it back (and no other
    /// role grants it).
    Removed { role: String, pattern: String },
    /// No role's Actions match it.
    NotGranted,
}

pub fn explain(grants: &[Grant<'_>], action: Action) -> Explanation {
    let action_str = action.as_str();
    if let Some(grant) = decide(grants, action) {
        let pattern =
            grant.role.actions.iter().find(|p| matches(p, action_str)).cloned().unwrap_or_default();
        return Explanation::Granted { role: grant.role.name.clone(), scope: grant.scope, pattern };
    }
    grants
        .iter()
        .find_map(|g| {
            let granted = g.role.actions.iter().any(|p| matches(p, action_str));
            let removed = g.role.not_actions.iter().find(|p| matches(p, action_str))?;
            granted.then(|| Explanation::Removed {
                role: g.role.name.clone(),
                pattern: removed.clone(),
            })
        })
        .unwrap_or(Explanation::NotGranted)
}

#[cfg(test)]
mod explain_tests {
    use super::*;
    use crate::authz::builtin::{builtin_role, DATA_SCIENTIST, READER};

    #[test]
    fn explanations_name_the_role_and_pattern() {
        let scientist = builtin_role(DATA_SCIENTIST).unwrap();
        let ws = ScopeRef::workspace(7);
        let grants = [Grant::lasting(scientist, ws)];
        assert_eq!(
            explain(&grants, Action::RunsSubmit),
            Explanation::Granted {
                role: DATA_SCIENTIST.into(),
                scope: ws,
                pattern: "Microsoft.MachineLearningServices/workspaces/*/action".into()
            }
        );
        assert_eq!(
            explain(&grants, Action::WorkspacesDelete),
            Explanation::Removed {
                role: DATA_SCIENTIST.into(),
                pattern: "Microsoft.MachineLearningServices/workspaces/delete".into()
            }
        );
        assert_eq!(explain(&grants, Action::ResourceGroupsRead), Explanation::NotGranted);
        let reader = builtin_role(READER).unwrap();
        let both = [grants[0], Grant::lasting(reader, ScopeRef::organization(1))];
        assert!(matches!(explain(&both, Action::ResourceGroupsRead), Explanation::Granted { .. }));
    }
}
