//! The frame around every page: header with the switcher and the user menu, left navigation,
//! main area.

use leptos::prelude::*;

use super::auth_state::AuthState;
use super::error_view::boundary_fallback;
use super::switcher::WorkspaceSwitcher;
use super::user_menu::UserMenu;
use super::workspaces_state::WorkspacesState;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Inside the router: actions read a failed no-JavaScript submission back from the URL.
    AuthState::provide();
    WorkspacesState::provide();
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

/// One boundary for everything the header waits for. (Boundaries nested inside resolved async
/// content are numbered in a different order on the server than in the browser, which breaks
/// hydration; so the switcher gets its data here rather than waiting on its own.)
#[component]
fn HeaderAccount() -> impl IntoView {
    let auth = AuthState::get();
    let workspaces = WorkspacesState::get().workspaces;
    let location = leptos_router::hooks::use_location();
    view! {
        <Transition fallback=|| view! { <span class="header-account"></span> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => {
                        let cards = workspaces.await.unwrap_or_default();
                        let path = location.pathname.get_untracked();
                        view! {
                            <div class="header-account">
                                <WorkspaceSwitcher cards path/>
                                <UserMenu user/>
                            </div>
                        }
                            .into_any()
                    }
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

#[component]
fn SideNav() -> impl IntoView {
    view! {
        <nav class="sidenav" aria-label="Main">
            <ul>
                <li><a href="/">"Home"</a></li>
                <li><a href="/organizations">"Organizations"</a></li>
                <li><a href="/workspaces/new">"Create a workspace"</a></li>
                <li><a href="/projects/new">"Set up a project"</a></li>
            </ul>
        </nav>
    }
}
