use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::auth::CurrentUser;
use crate::api::workspaces::WorkspaceCard;
use crate::ui::auth_state::AuthState;
use crate::ui::confirm_banner::ConfirmBanner;
use crate::ui::workspace_cards::WorkspaceCards;
use crate::ui::workspaces_state::WorkspacesState;

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = AuthState::get();
    let workspaces = WorkspacesState::get().workspaces;
    view! {
        <Title text=""/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let page = async {
                    Ok(match auth.user.await? {
                        // The workspaces are awaited here, not in a boundary of their own
                        // (see layout.rs).
                        Some(user) => Some((user, workspaces.await?)),
                        None => None,
                    })
                };
                loaded(page.await, |page| match page {
                    Some((user, cards)) => view! { <Welcome user cards/> }.into_any(),
                    None => view! { <Landing/> }.into_any(),
                })
            })}
        </Suspense>
    }
}

#[component]
fn Welcome(user: CurrentUser, cards: Vec<WorkspaceCard>) -> impl IntoView {
    let workspaces = if cards.is_empty() {
        view! { <NoWorkspaces/> }.into_any()
    } else {
        view! {
            <h2>"Your workspaces"</h2>
            <WorkspaceCards cards/>
        }
        .into_any()
    };
    view! {
        <ConfirmBanner user=user.clone()/>
        <div class="page-heading">
            <h1>"Welcome, " {user.display_name}</h1>
            <p class="actions">
                <a class="button primary" href="/workspaces/new">"Create a workspace"</a>
                <a class="button" href="/projects/new">"Set up a project"</a>
            </p>
        </div>
        {workspaces}
    }
}

#[component]
fn NoWorkspaces() -> impl IntoView {
    view! {
        <section class="panel empty-state">
            <h2>"No workspaces yet"</h2>
            <p>
                "A workspace holds a team's experiments and runs, models, datasets, compute, "
                "environments, pipelines and endpoints."
            </p>
            <p>
                <a href="/workspaces/new">"Create your first workspace"</a>
                " (you will choose or create an organization and a resource group for it), or ask "
                "a colleague to invite you to theirs: it appears here as soon as they do."
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
