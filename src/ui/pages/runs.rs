//! Every run in the workspace, across experiments: the same table, filters and comparison as
//! an experiment's page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::runs_table::{fetch_runs, RunFilterForm, RunQuery, RunsTable};
use crate::api::runs::RunsPage;
use crate::ui::error_view::loaded;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn RunsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = RunQuery::from_url();
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| fetch_runs(path, String::new(), q),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Runs page query/> })
            })}
        </Suspense>
    }
}

#[component]
fn Runs(page: RunsPage, query: RunQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    view! {
        <Title text=format!("Runs · {}", ws.workspace)/>
        <WorkspaceTrail crumbs=ws.clone() trail=vec![("Runs".into(), None)]/>
            <h1>"Runs"</h1>
            <p class="muted">"Every run in this workspace. Open an experiment to submit runs."</p>
            <RunFilterForm query=query.clone() clear_url=format!("{}/runs", ws.url())/>
            <RunsTable page query show_experiment=true/>
    }
    .into_any()
}
