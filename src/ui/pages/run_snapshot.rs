//! A run's code snapshot: its files as a tree beside the one being read, with line numbers;
//! and, on the run's page, a panel that says what the snapshot holds and links here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::experiments::experiment_url;
use crate::api::runs::{
    run_snapshot, run_url, snapshot_fields, FileContent, OpenFile, SnapshotSummary, SnapshotView,
    UploadSnapshot, SHOWN_BYTES,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::file_tree::{self, TreeNode};
use crate::ui::error_view::loaded;
use crate::ui::form::action_error;
use crate::ui::format::{date_time, file_size, query_value};
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

fn snapshot_url(ws: &WorkspaceCrumbs, run: &str) -> String {
    format!("{}/snapshot", run_url(ws, run))
}

fn described(s: &SnapshotSummary) -> String {
    let files =
        if s.file_count == 1 { "1 file".to_owned() } else { format!("{} files", s.file_count) };
    format!(
        "{} · {files} · {} · stored {} by {}",
        s.archive_name,
        file_size(s.total_size),
        date_time(s.created_at),
        s.created_by
    )
}

/// The run page's panel: what the snapshot holds, or how to add one.
#[component]
pub fn RunSnapshotPanel(
    ws: WorkspaceCrumbs,
    run: String,
    snapshot: Option<SnapshotSummary>,
    may_upload: bool,
) -> impl IntoView {
    let url = snapshot_url(&ws, &run);
    let body = match snapshot {
        Some(s) => view! {
            <p>{described(&s)}</p>
            <p><a href=url>"Browse the code snapshot"</a></p>
        }
        .into_any(),
        None if may_upload => view! {
            <p class="muted">"No code snapshot yet."</p>
            <p><a href=url>"Add a code snapshot"</a></p>
        }
        .into_any(),
        None => view! { <p class="muted">"No code snapshot."</p> }.into_any(),
    };
    view! {
        <section class="panel snapshot-panel">
            <h2>"Code snapshot"</h2>
            {body}
        </section>
    }
}

#[component]
pub fn RunSnapshotPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let query = use_query_map();
    let run = Memo::new(move |_| params.read().get("run").unwrap_or_default());
    let file = Memo::new(move |_| query.read().get("file").unwrap_or_default());
    let upload = ServerAction::<UploadSnapshot>::new();
    let data = Resource::new(
        move || (path(), run.get(), file.get(), upload.version().get()),
        |(path, run, file, _)| run_snapshot(path, run, file),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <Snapshot view upload/> })
            })}
        </Suspense>
    }
}

#[component]
fn Snapshot(view: SnapshotView, upload: ServerAction<UploadSnapshot>) -> impl IntoView {
    let ws = view.workspace.clone();
    let trail = vec![
        ("Experiments".to_owned(), Some(format!("{}/experiments", ws.url()))),
        (view.experiment.clone(), Some(experiment_url(&ws, &view.experiment))),
        (view.run_display_name.clone(), Some(run_url(&ws, &view.run))),
        ("Code snapshot".to_owned(), None),
    ];
    let may_upload = view.permitted.contains(&Action::RunsWrite);
    let body = match &view.snapshot {
        Some(summary) => {
            let base = snapshot_url(&ws, &view.run);
            let open = view.open.as_ref().map(|f| f.path.clone());
            let entry = file_tree::entry_file(&view.entry_point, &view.files);
            let tree = tree_view(file_tree::build(&view.files), &base, open.as_deref(), entry.as_deref());
            view! {
                <p class="muted">{described(summary)}</p>
                <div class="snapshot-browser">
                    <nav class="file-tree" aria-label="Files">{tree}</nav>
                    <div class="file-pane">
                        {match view.open.clone() {
                            Some(file) => view! { <FileViewer file/> }.into_any(),
                            None => view! { <p class="muted">"Choose a file to read it."</p> }.into_any(),
                        }}
                    </div>
                </div>
            }
            .into_any()
        }
        None => view! {
            <p class="muted">"This run has no code snapshot."</p>
            {may_upload.then(|| view! { <UploadForm ws=ws.clone() run=view.run.clone() action=upload/> })}
        }
        .into_any(),
    };
    view! {
        <Title text=format!("Code snapshot · {}", view.run_display_name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <h1>"Code snapshot"</h1>
            {(!view.entry_point.is_empty()).then(|| view! {
                <p>"Entry point: " <code>{view.entry_point.clone()}</code></p>
            })}
            {body}
    }
}

fn tree_view(nodes: Vec<TreeNode>, base: &str, open: Option<&str>, entry: Option<&str>) -> AnyView {
    let items = nodes
        .into_iter()
        .map(|node| match node {
            TreeNode::Folder { name, children, .. } => {
                let inner = tree_view(children, base, open, entry);
                view! {
                    <li class="folder">
                        <details open=true>
                            <summary>{format!("{name}/")}</summary>
                            {inner}
                        </details>
                    </li>
                }
                .into_any()
            }
            TreeNode::File { name, path, size } => {
                let href = format!("{base}?file={}", query_value(&path));
                let here = (open == Some(path.as_str())).then_some("page");
                let is_entry = entry == Some(path.as_str());
                view! {
                    <li class="file">
                        <a href=href aria-current=here title=file_size(size)>{name}</a>
                        {is_entry.then(|| view! { " " <span class="badge">"entry point"</span> })}
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! { <ul>{items}</ul> }.into_any()
}

#[component]
fn FileViewer(file: OpenFile) -> impl IntoView {
    let body = match file.content {
        FileContent::Binary => view! {
            <p class="muted">{format!("A binary file of {}; it is not shown.", file_size(file.size))}</p>
        }
        .into_any(),
        FileContent::Text { text, truncated } => {
            let lines = text
                .lines()
                .map(|line| view! { <span class="line">{line.to_owned()}</span> })
                .collect_view();
            view! {
                {truncated.then(|| view! {
                    <p class="muted">{format!("Showing the first {} of {}.", file_size(SHOWN_BYTES as i64), file_size(file.size))}</p>
                })}
                <pre class="file-view"><code>{lines}</code></pre>
            }
            .into_any()
        }
    };
    view! {
        <h2 class="file-path"><code>{file.path.clone()}</code> " " <span class="muted small">{file_size(file.size)}</span></h2>
        {body}
    }
}

#[component]
fn UploadForm(
    ws: WorkspaceCrumbs,
    run: String,
    action: ServerAction<UploadSnapshot>,
) -> impl IntoView {
    let error = action_error(action.value());
    let hidden = super::run::hidden_run(&ws, &run);
    // A plain form: the browser posts the archive itself (see `server::multipart_forms`).
    let file_field = format!("{}@{}", snapshot_fields::CONTENT, snapshot_fields::ARCHIVE_NAME);
    let message =
        move || error.get().map(|e| view! { <p class="field-error" role="alert">{e.message}</p> });
    view! {
        <form class="upload-form" method="post" action="/api/runs/upload_snapshot" enctype="multipart/form-data">
            {hidden}
            <p>"Upload the archive of the scripts the run ran with (.zip, .tar.gz, .tgz or .tar, at most 8 MB). A run keeps one snapshot."</p>
            <label>"Archive " <input type="file" name=file_field accept=".zip,.tar.gz,.tgz,.tar"/></label>
            <button type="submit">"Upload snapshot"</button>
            {message}
        </form>
    }
}
