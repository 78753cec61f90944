//! The frame around every page: header with the user menu, left navigation, main area.

use leptos::prelude::*;

use super::auth_state::AuthState;
use super::error_view::boundary_fallback;
use super::user_menu::UserMenu;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Inside the router: actions read a failed no-JavaScript submission back from the URL.
    AuthState::provide();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Atelier"
            </a>
            <HeaderAccount/>
        </header>
        <div class="frame">
            <SideNav/>
            <main id="main" class="content">
                <ErrorBoundary fallback=boundary_fallback>{children()}</ErrorBoundary>
            </main>
        </div>
    }
}

#[component]
fn HeaderAccount() -> impl IntoView {
    let auth = AuthState::get();
    view! {
        <Transition fallback=|| view! { <span class="header-account"></span> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! { <UserMenu user/> }.into_any(),
                    _ => {
                        view! {
                            <nav class="header-account" aria-label="Account">
                                <a href="/sign-in">"Sign in"</a>
                                <a class="button" href="/sign-up">"Create account"</a>
                            </nav>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Workspace sections, listed so people learn where things will be; they open once a workspace
/// is selected.
const WORKSPACE_SECTIONS: [&str; 7] = [
    "Experiments",
    "Models",
    "Datasets",
    "Compute",
    "Environments",
    "Pipelines",
    "Endpoints",
];

#[component]
fn SideNav() -> impl IntoView {
    view! {
        <nav class="sidenav" aria-label="Main">
            <ul>
                <li><a href="/">"Home"</a></li>
            </ul>
            <p class="sidenav-heading">"Workspace"</p>
            <ul class="sidenav-sections">
                {WORKSPACE_SECTIONS
                    .iter()
                    .map(|section| {
                        view! {
                            <li>
                                <span class="sidenav-disabled" aria-disabled="true">{*section}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="sidenav-note">"Open a workspace to browse what it holds."</p>
        </nav>
    }
}
