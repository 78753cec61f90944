use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::domain::ScopePath;

/// The scope a page is about, from its route's `org`, `group` and `workspace` parameters.
pub fn scope_from_params() -> Memo<ScopePath> {
    let params = use_params_map();
    Memo::new(move |_| {
        let p = params.read();
        match (p.get("org"), p.get("group"), p.get("workspace")) {
            (Some(org), Some(group), Some(workspace)) => {
                ScopePath::Workspace { org, group, workspace }
            }
            (Some(org), Some(group), None) => ScopePath::ResourceGroup { org, group },
            (Some(org), None, _) => ScopePath::Organization { org },
            _ => ScopePath::Root,
        }
    })
}

/// Breadcrumbs for any scope: the names in its path.
#[component]
pub fn ScopeBreadcrumbs(scope: ScopePath, organization_name: String) -> impl IntoView {
    use crate::ui::breadcrumbs::Breadcrumbs;
    match scope {
        ScopePath::Workspace { org, group, workspace } => {
            view! { <Breadcrumbs org_slug=org org_name=organization_name group workspace/> }
                .into_any()
        }
        ScopePath::ResourceGroup { org, group } => {
            view! { <Breadcrumbs org_slug=org org_name=organization_name group/> }.into_any()
        }
        ScopePath::Organization { org } => {
            view! { <Breadcrumbs org_slug=org org_name=organization_name/> }.into_any()
        }
        ScopePath::Root => ().into_any(),
    }
}
