//! The proof an authorization decision hands out, in a file of its own so that the data layer
//! (`server::db`), which takes proofs, depends on nothing of the decision itself. Only
//! [`super::require`] makes one.

use crate::authz::{decide, permitted_until, Action, Grant, RoleDefinition, ScopeRef};

/// Something an action is performed on: it knows its tenant and its chain of scopes.
pub trait Target {
    fn organization_id(&self) -> i64;
    /// The target's scope and its ancestors, outermost first.
    fn scope_chain(&self) -> Vec<ScopeRef>;
    /// The action that lets someone know the target exists.
    fn read_action(&self) -> Action;
    /// The organization's access generation, when the target was read with it: the roles
    /// found for it may then come from `role_cache`.
    fn access_generation(&self) -> Option<i64> {
        None
    }
}

/// A role someone holds at a target: through an assignment at the target's scope or an
/// ancestor (`scope`), until `expires_at` if the access is time-boxed.
#[derive(Clone, Debug)]
pub struct HeldRole {
    pub role: RoleDefinition,
    pub scope: ScopeRef,
    pub expires_at: Option<i64>,
    /// The group the role is assigned to, when it comes through one.
    pub via_group: Option<String>,
}

/// Proof that `user_id` may perform `action` on `target`. Only [`super::require`] makes one.
#[derive(Debug)]
pub struct Authorized<T> {
    target: T,
    user_id: i64,
    action: Action,
    roles: Vec<HeldRole>,
    read_only: bool,
}

impl<T> Authorized<T> {
    pub(super) fn new(
        target: T,
        user_id: i64,
        action: Action,
        roles: Vec<HeldRole>,
        read_only: bool,
    ) -> Self {
        Self { target, user_id, action, roles, read_only }
    }

    pub fn target(&self) -> &T {
        &self.target
    }

    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether the same person may also do `action` here (to show or hide controls).
    pub fn permits(&self, action: Action) -> bool {
        (action.is_read() || !self.read_only) && decide(&grants(&self.roles), action).is_some()
    }

    /// Every action the person may perform here, for the browser to hide the rest.
    pub fn permitted_actions(&self) -> Vec<Action> {
        Action::ALL.iter().copied().filter(|&a| self.permits(a)).collect()
    }

    /// Until when the person goes on being allowed every one of `actions` here: `None` if
    /// without end, else when the first of them ends with time-boxed access.
    pub fn permitted_until(&self, actions: impl IntoIterator<Item = Action>) -> Option<i64> {
        permitted_until(&grants(&self.roles), actions)
    }

    /// The names of the roles the person holds here, own or inherited, without repeats.
    pub fn role_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for held in &self.roles {
            if !names.contains(&held.role.name) {
                names.push(held.role.name.clone());
            }
        }
        names
    }
}

/// The decision's view of held roles.
pub fn grants(roles: &[HeldRole]) -> Vec<Grant<'_>> {
    roles
        .iter()
        .map(|held| Grant { role: &held.role, scope: held.scope, expires_at: held.expires_at })
        .collect()
}
