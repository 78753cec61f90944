use leptos::prelude::*;

use crate::domain::Environment;

#[component]
pub fn EnvironmentBadge(environment: Environment) -> impl IntoView {
    view! {
        <span class=format!("env-badge env-{}", environment.as_str())>{environment.label()}</span>
    }
}
