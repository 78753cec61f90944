//! The frame of every page inside a workspace: breadcrumbs down to the page, and the
//! workspace's own navigation with a link for each kind of asset it holds.

use leptos::prelude::*;

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;

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

/// One step of the breadcrumb trail after the workspace: a label and, unless it is the
/// current page, a link.
pub type Crumb = (String, Option<String>);

#[component]
pub fn WorkspaceFrame(
    crumbs: WorkspaceCrumbs,
    current: Section,
    /// What the person may do here: sections they may not open are left out.
    permitted: Vec<Action>,
    /// Steps after the workspace (e.g. Experiments › mnist); empty on the overview.
    #[prop(optional)]
    trail: Vec<Crumb>,
    children: Children,
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
    let links = |sections: &[Section]| {
        sections
            .iter()
            .copied()
            .filter(|s| permitted.contains(&s.needs()))
            .map(|section| {
                let href = format!("{base}{}", section.path());
                let here = (section == current).then_some("page");
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
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
                <li><a href=org_url>{crumbs.organization_name.clone()}</a></li>
                <li><a href=group_url>{crumbs.resource_group.clone()}</a></li>
                <li><a href=base.clone()>{crumbs.workspace.clone()}</a></li>
                {trail_items}
            </ol>
        </nav>
        <div class="workspace-frame">
            <nav class="workspace-nav" aria-label="Workspace">
                <ul>{links(&Section::ASSETS)}</ul>
                {manage}
            </nav>
            <div class="workspace-main">{children()}</div>
        </div>
    }
    .into_any()
}
