use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::workspaces::{my_workspaces, WorkspaceCard};
use crate::error::AppError;

/// The workspaces I can see, for the switcher and the home page. Re-read on every navigation,
/// so a workspace created, deleted or shared a moment ago shows up at once.
#[derive(Clone, Copy)]
pub struct WorkspacesState {
    pub workspaces: Resource<Result<Vec<WorkspaceCard>, AppError>>,
}

impl WorkspacesState {
    pub fn provide() {
        let location = use_location();
        let workspaces = Resource::new(move || location.pathname.get(), |_| my_workspaces());
        provide_context(Self { workspaces });
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }
}
