use leptos::prelude::*;

use crate::api::auth::{current_user, CurrentUser, SignOut};
use crate::error::AppError;

/// Who is signed in. Provided once, above the routes, so the header and the pages agree.
/// Sign-in and sign-up actions live in their pages (inside `<Routes>`, where a failed
/// no-JavaScript submission is read back from the URL) and report completion here.
#[derive(Clone, Copy)]
pub struct AuthState {
    pub sign_out: ServerAction<SignOut>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    revision: RwSignal<usize>,
}

impl AuthState {
    pub fn provide() {
        let sign_out = ServerAction::<SignOut>::new();
        let revision = RwSignal::new(0);
        let user =
            Resource::new(move || (revision.get(), sign_out.version().get()), |_| current_user());
        provide_context(Self { sign_out, user, revision });
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Re-reads the signed-in person each time the action with this `version` completes.
    pub fn refresh_after(&self, version: RwSignal<usize>) {
        let revision = self.revision;
        Effect::watch(move || version.get(), move |_, _, _| revision.update(|n| *n += 1), false);
    }
}
