//! The frame of every page inside a workspace: the workspace's own navigation, with a link
//! for each part of it the person may open, rendered once by the parent route of every
//! workspace page; and the breadcrumb trail each page puts above its content, since only the
//! page knows the names at its end (a run, a model version).

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::workspaces::{workspace_frame, WorkspaceCrumbs};
use crate::authz::Action;
use crate::domain::WorkspacePath;

/// The parts of a workspace, in the order its navigation lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Overview,
    Experiments,
    Runs,
    Datasets,
    Datastores,
    Environments,
    Models,
    Compute,
    Endpoints,
    Pipelines,
    AccessControl,
    ActivityLog,
    Settings,
}

impl Section {
    const ASSETS: [Section; 10] = [
        Self::Overview,
        Self::Experiments,
        Self::Runs,
        Self::Pipelines,
        Self::Models,
        Self::Datasets,
        Self::Endpoints,
        Self::Compute,
        Self::Datastores,
        Self::Environments,
    ];
    const MANAGE: [Section; 3] = [Self::AccessControl, Self::ActivityLog, Self::Settings];

    fn label(self) -> &'static str {
        match self {
            Self::Overview => "Overview",
            Self::Experiments => "Experiments",
            Self::Runs => "Runs",
            Self::Datasets => "Data assets",
            Self::Datastores => "Datastores",
            Self::Environments => "Environments",
            Self::Models => "Models",
            Self::Compute => "Compute",
            Self::Endpoints => "Endpoints",
            Self::Pipelines => "Pipelines",
            Self::AccessControl => "Access control",
            Self::ActivityLog => "Activity log",
            Self::Settings => "Settings",
        }
    }

    /// What a person must be allowed to see the section's link.
    fn needs(self) -> Action {
        match self {
            Self::Overview => Action::WorkspacesRead,
            Self::Experiments => Action::ExperimentsRead,
            Self::Runs => Action::RunsRead,
            Self::Datasets => Action::DatasetsRead,
            Self::Datastores => Action::DatastoresRead,
            Self::Environments => Action::EnvironmentsRead,
            Self::Models => Action::ModelsRead,
            Self::Compute => Action::ComputesRead,
            Self::Endpoints => Action::EndpointsRead,
            Self::Pipelines => Action::PipelinesRead,
            Self::AccessControl => Action::RoleAssignmentsRead,
            Self::ActivityLog => Action::ActivityLogRead,
            Self::Settings => Action::WorkspacesWrite,
        }
    }

    /// The section a page at `pathname` (below a workspace) belongs to: the first segment after
    /// the workspace's own (a run's page is under Runs, a deployment's under Endpoints).
    fn of_page(pathname: &str) -> Option<Section> {
        // "", "organizations", org, "resourceGroups", group, "workspaces", workspace, section…
        let segment = pathname.split('/').nth(7).unwrap_or_default();
        let path = if segment.is_empty() { String::new() } else { format!("/{segment}") };
        Self::ASSETS.into_iter().chain(Self::MANAGE).find(|s| s.path() == path)
    }

    /// The section's path below the workspace's URL.
    pub fn path(self) -> &'static str {
        match self {
            Self::Overview => "",
            Self::Experiments => "/experiments",
            Self::Runs => "/runs",
            Self::Datasets => "/datasets",
            Self::Datastores => "/datastores",
            Self::Environments => "/environments",
            Self::Models => "/models",
            Self::Compute => "/compute",
            Self::Endpoints => "/endpoints",
            Self::Pipelines => "/pipelines",
            Self::AccessControl => "/access",
            Self::ActivityLog => "/activity",
            Self::Settings => "/settings",
        }
    }
}

/// The workspace's path parameters: organization, resource group, workspace.
pub fn workspace_params() -> impl Fn() -> WorkspacePath + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        let p = params.read();
        let get = |key| p.get(key).unwrap_or_default();
        WorkspacePath::new(get("org"), get("group"), get("workspace"))
    }
}

/// One step of the breadcrumb trail after the workspace: a label and, unless it is the
/// current page, a link.
pub type Crumb = (String, Option<String>);

/// The parent route of every page inside a workspace: its navigation beside the page. If the
/// frame cannot be loaded (the workspace does not exist for this person), the navigation is
/// left out and the page answers for itself, with its own "not found".
#[component]
pub fn WorkspaceFrame() -> impl IntoView {
    let path = workspace_params();
    let frame = Resource::new(path, workspace_frame);
    let location = use_location();
    // The page stays outside the navigation's suspense: a suspense renders its content again
    // when what it waits for arrives, and a page's render may take a form's answer that is
    // shown once (`answer_once`).
    view! {
        <div class="workspace-frame">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    frame.await.ok().map(|frame| {
                        let current = Section::of_page(&location.pathname.get_untracked());
                        view! { <WorkspaceNav base=frame.crumbs.url() permitted=frame.permitted current/> }
                    })
                })}
            </Suspense>
            <div class="workspace-main"><Outlet/></div>
        </div>
    }
}

/// A link for each section the person may open, the current one marked.
#[component]
fn WorkspaceNav(base: String, permitted: Vec<Action>, current: Option<Section>) -> impl IntoView {
    let links = |sections: &[Section]| {
        sections
            .iter()
            .copied()
            .filter(|s| permitted.contains(&s.needs()))
            .map(|section| {
                let href = format!("{base}{}", section.path());
                let here = (Some(section) == current).then_some("page");
                view! { <li><a href=href aria-current=here>{section.label()}</a></li> }
            })
            .collect::<Vec<_>>()
    };
    let manage = links(&Section::MANAGE);
    let manage = (!manage.is_empty()).then(|| {
        view! {
            <p class="workspace-nav-heading">"Manage"</p>
            <ul>{manage}</ul>
        }
    });
    view! {
        <nav class="workspace-nav" aria-label="Workspace">
            <ul>{links(&Section::ASSETS)}</ul>
            {manage}
        </nav>
    }
}

/// The breadcrumbs from the organization down to a page inside a workspace.
#[component]
pub fn WorkspaceTrail(
    crumbs: WorkspaceCrumbs,
    /// Steps after the workspace (e.g. Experiments › mnist); empty on the overview.
    #[prop(optional)]
    trail: Vec<Crumb>,
) -> impl IntoView {
    let base = crumbs.url();
    let org_url = format!("/organizations/{}", crumbs.organization_slug);
    let group_url = format!("{org_url}/resourceGroups/{}", crumbs.resource_group);
    let last = trail.len();
    let trail_items = trail
        .into_iter()
        .enumerate()
        .map(|(i, (label, url))| match url.filter(|_| i + 1 < last) {
            Some(url) => view! { <li><a href=url>{label}</a></li> }.into_any(),
            None => view! { <li><span aria-current="page">{label}</span></li> }.into_any(),
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
                <li><a href=org_url>{crumbs.organization_name}</a></li>
                <li><a href=group_url>{crumbs.resource_group}</a></li>
                <li><a href=base>{crumbs.workspace}</a></li>
                {trail_items}
            </ol>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::Section;

    #[test]
    fn a_page_belongs_to_the_section_its_path_starts_with() {
        let ws = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
        assert_eq!(Section::of_page(ws), Some(Section::Overview));
        assert_eq!(Section::of_page(&format!("{ws}/")), Some(Section::Overview));
        assert_eq!(Section::of_page(&format!("{ws}/runs/abc/snapshot")), Some(Section::Runs));
        assert_eq!(
            Section::of_page(&format!("{ws}/endpoints/e/deployments/blue")),
            Some(Section::Endpoints)
        );
        assert_eq!(Section::of_page(&format!("{ws}/access")), Some(Section::AccessControl));
        assert_eq!(Section::of_page(&format!("{ws}/activity")), Some(Section::ActivityLog));
        assert_eq!(Section::of_page(&format!("{ws}/settings")), Some(Section::Settings));
        assert_eq!(Section::of_page(&format!("{ws}/unknown")), None);
    }
}
