use leptos::prelude::*;

use crate::authz::Action;

/// "Access control" and "Activity log" buttons for a scope page, shown to those who may read
/// them. Bare links: the caller puts them in its own `.actions` container (a `<p>` inside a
/// `<p>` would be split by the HTML parser and break hydration).
#[component]
pub fn ScopeLinks(base: String, permitted: Vec<Action>) -> impl IntoView {
    let access = permitted
        .contains(&Action::RoleAssignmentsRead)
        .then(|| view! { <a class="button" href=format!("{base}/access")>"Access control"</a> });
    let activity = permitted
        .contains(&Action::ActivityLogRead)
        .then(|| view! { <a class="button" href=format!("{base}/activity")>"Activity log"</a> });
    view! { {access} {activity} }
}
