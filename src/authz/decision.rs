//! The decision: a principal may perform an action at a scope when some assignment of theirs at
//! that scope or an ancestor has a role that permits it. Assignments add up; `NotActions` only
//! narrows the role it belongs to and never denies what another role grants.

use super::{Action, RoleDefinition, ScopeRef};

/// One of the principal's assignments that applies at the scope in question (the caller has
/// already kept only assignments at the scope or its ancestors).
#[derive(Clone, Copy, Debug)]
pub struct Grant<'a> {
    pub role: &'a RoleDefinition,
    pub scope: ScopeRef,
}

/// The first grant that permits `action`, if any: the reason the answer is yes.
pub fn decide<'a>(grants: &[Grant<'a>], action: Action) -> Option<Grant<'a>> {
    grants.iter().copied().find(|grant| grant.role.permits(action))
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
        assert!(
            decide(&[Grant { role: scientist, scope: ws }], Action::ResourceGroupsRead).is_none()
        );
        let both = [Grant { role: scientist, scope: ws }, Grant { role: reader, scope: org }];
        let grant = decide(&both, Action::ResourceGroupsRead).unwrap();
        assert_eq!(grant.role.name, READER);
        assert_eq!(grant.scope, org);
    }
}
