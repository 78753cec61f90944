//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::ui::layout::Layout;
use crate::ui::pages::{
    AccessControlPage, AccountPage, ActivityLogPage, AdminPage, CompareRunsPage, ComputePage,
    ComputesListPage, ConfirmAddressPage, CreateWorkspacePage, DatasetPage, DatasetVersionPage,
    DatasetsListPage, DatastorePage, DatastoresListPage, DeploymentDetailPage, EndpointPage,
    EndpointsListPage, EnvironmentPage, EnvironmentsListPage, ExperimentPage, ExperimentsListPage,
    ForgotPasswordPage, GroupsPage, HomePage, InboxPage, InvitationPage, ModelPage, ModelsListPage,
    NotFoundPage, OrganizationPage, OrganizationsPage, OutboxPage, PipelinePage, PipelineRunPage,
    PipelinesListPage, ResetPasswordPage, ResourceGroupPage, RolesPage, RunPage, RunSnapshotPage,
    RunsListPage, ServicePrincipalsPage, SessionsPage, SetUpProjectPage, SetupPage, SignInPage,
    SignUpPage, TokensPage, WorkspaceOverviewPage, WorkspaceSettingsPage,
};
use crate::ui::workspace_frame::WorkspaceFrame;

/// Where pages load the app's bundle and stylesheet from: content-addressed paths that browsers
/// keep for a year (`server::site_files`), or the plain ones where there is no built bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetLinks {
    /// Put before `/pkg/atelier.js` and `/pkg/atelier.wasm`.
    pub bundle_root: String,
    pub stylesheet: String,
}

impl AssetLinks {
    pub fn plain() -> Self {
        Self { bundle_root: String::new(), stylesheet: "/pkg/atelier.css".to_owned() }
    }
}

/// Every page is an islands page: the HTML rendered here is the page, and only its islands
/// (`#[island]` components) are attached in the browser (see `hydrate` in `lib.rs`).
pub fn shell(options: LeptosOptions, assets: AssetLinks) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <link id="atelier" rel="stylesheet" href=assets.stylesheet/>
                <HydrationScripts options root=assets.bundle_root islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Atelier".to_owned() } else { format!("{page} · Atelier") }
        }/>
        <Router>
            <Layout>
                // Whole pages rendered before sending: complete HTML without JavaScript, and a
                // page whose data is not found can still answer 404.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outbox") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitations") view=InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/tokens") view=TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/sessions") view=SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/setup/:token") view=SetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/confirm/:token") view=ConfirmAddressPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/organizations") view=OrganizationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organizations/:org") view=OrganizationPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/organizations/:org/resourceGroups/:group")
                        view=ResourceGroupPage
                        ssr=SsrMode::Async
                    />
                    // Every page inside a workspace, in the frame its parent renders once.
                    <ParentRoute
                        path=path!("/organizations/:org/resourceGroups/:group/workspaces/:workspace")
                        view=WorkspaceFrame
                        ssr=SsrMode::Async
                    >
                        <Route path=path!("") view=WorkspaceOverviewPage ssr=SsrMode::Async/>
                        <Route path=path!("settings") view=WorkspaceSettingsPage ssr=SsrMode::Async/>
                        <Route path=path!("experiments") view=ExperimentsListPage ssr=SsrMode::Async/>
                        <Route path=path!("experiments/:experiment") view=ExperimentPage ssr=SsrMode::Async/>
                        <Route path=path!("datastores") view=DatastoresListPage ssr=SsrMode::Async/>
                        <Route path=path!("datastores/:datastore") view=DatastorePage ssr=SsrMode::Async/>
                        <Route path=path!("datasets") view=DatasetsListPage ssr=SsrMode::Async/>
                        <Route path=path!("datasets/:dataset") view=DatasetPage ssr=SsrMode::Async/>
                        <Route path=path!("datasets/:dataset/versions/:version") view=DatasetVersionPage ssr=SsrMode::Async/>
                        <Route path=path!("environments") view=EnvironmentsListPage ssr=SsrMode::Async/>
                        <Route path=path!("environments/:environment") view=EnvironmentPage ssr=SsrMode::Async/>
                        <Route path=path!("runs") view=RunsListPage ssr=SsrMode::Async/>
                        <Route path=path!("runs/compare") view=CompareRunsPage ssr=SsrMode::Async/>
                        <Route path=path!("runs/:run") view=RunPage ssr=SsrMode::Async/>
                        <Route path=path!("runs/:run/snapshot") view=RunSnapshotPage ssr=SsrMode::Async/>
                        <Route path=path!("models") view=ModelsListPage ssr=SsrMode::Async/>
                        <Route path=path!("models/:model") view=ModelPage ssr=SsrMode::Async/>
                        <Route path=path!("compute") view=ComputesListPage ssr=SsrMode::Async/>
                        <Route path=path!("compute/:compute") view=ComputePage ssr=SsrMode::Async/>
                        <Route path=path!("endpoints") view=EndpointsListPage ssr=SsrMode::Async/>
                        <Route path=path!("endpoints/:endpoint") view=EndpointPage ssr=SsrMode::Async/>
                        <Route path=path!("endpoints/:endpoint/deployments/:deployment") view=DeploymentDetailPage ssr=SsrMode::Async/>
                        <Route path=path!("pipelines") view=PipelinesListPage ssr=SsrMode::Async/>
                        <Route path=path!("pipelines/:pipeline") view=PipelinePage ssr=SsrMode::Async/>
                        <Route path=path!("pipelines/:pipeline/runs/:run") view=PipelineRunPage ssr=SsrMode::Async/>
                        <Route path=path!("access") view=AccessControlPage ssr=SsrMode::Async/>
                        <Route path=path!("activity") view=ActivityLogPage ssr=SsrMode::Async/>
                    </ParentRoute>
                    <Route path=path!("/organizations/:org/access") view=AccessControlPage ssr=SsrMode::Async/>
                    <Route path=path!("/organizations/:org/roles") view=RolesPage ssr=SsrMode::Async/>
                    <Route path=path!("/organizations/:org/groups") view=GroupsPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/organizations/:org/service-principals")
                        view=ServicePrincipalsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/organizations/:org/activity") view=ActivityLogPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/organizations/:org/resourceGroups/:group/access")
                        view=AccessControlPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organizations/:org/resourceGroups/:group/activity")
                        view=ActivityLogPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/workspaces/new") view=CreateWorkspacePage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/new") view=SetUpProjectPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
