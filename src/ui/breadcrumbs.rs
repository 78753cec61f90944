use leptos::prelude::*;

/// organization › resource group › workspace, each a link to its page.
#[component]
pub fn Breadcrumbs(
    #[prop(into)] org_slug: String,
    #[prop(into)] org_name: String,
    #[prop(optional, into)] group: Option<String>,
    #[prop(optional, into)] workspace: Option<String>,
) -> impl IntoView {
    let org_url = format!("/organizations/{org_slug}");
    let group_link = group.map(|group| {
        let url = format!("{org_url}/resourceGroups/{group}");
        let workspace_link = workspace.map(|ws| {
            let url = format!("{url}/workspaces/{ws}");
            view! { <li><a href=url aria-current="page">{ws}</a></li> }
        });
        view! {
            <li><a href=url>{group}</a></li>
            {workspace_link}
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
                <li><a href=org_url>{org_name}</a></li>
                {group_link}
            </ol>
        </nav>
    }
}
