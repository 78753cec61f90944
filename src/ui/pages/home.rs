use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::CurrentUser;
use crate::ui::auth_state::AuthState;

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = AuthState::get();
    view! {
        <Title text=""/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await? {
                    Some(user) => Ok(view! { <Welcome user/> }.into_any()),
                    None => Ok::<_, crate::error::AppError>(view! { <Landing/> }.into_any()),
                }
            })}
        </Transition>
    }
}

#[component]
fn Welcome(user: CurrentUser) -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"Welcome, " {user.display_name}</h1>
            <p class="muted">"Signed in as " {user.email}</p>
        </section>
        <section class="panel empty-state">
            <h2>"No workspaces yet"</h2>
            <p>
                "A workspace holds a team's experiments and runs, models, datasets, compute, "
                "environments, pipelines and endpoints. When a colleague invites you to one, "
                "it appears here."
            </p>
        </section>
    }
}

#[component]
fn Landing() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"One place for your team's machine learning"</h1>
            <p class="lead">
                "Atelier keeps experiments and runs, models, datasets, compute and endpoints in "
                "shared workspaces, with roles that decide who may do what."
            </p>
            <p class="hero-actions">
                <a class="button primary" href="/sign-up">"Create an account"</a>
                <a class="button" href="/sign-in">"Sign in"</a>
            </p>
        </section>
    }
}
