//! A run's outputs: the files it wrote, each downloadable, and (for those who may change the
//! run) an upload of one more file into the workspace's default datastore.

use leptos::prelude::*;

use crate::api::runs::{OutputFile, UploadOutput};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::ui::form::action_error;
use crate::ui::format::{date_time, file_size, query_value};

/// Where a run's output is downloaded from; each path segment percent-encoded.
fn download_url(ws: &WorkspaceCrumbs, run: &str, path: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(query_value).collect();
    format!("/files{}/runs/{run}/outputs/{}", ws.url(), encoded.join("/"))
}

#[component]
pub fn RunOutputs(
    ws: WorkspaceCrumbs,
    run: String,
    outputs: Vec<OutputFile>,
    /// Set when the person may add outputs.
    upload: Option<ServerAction<UploadOutput>>,
) -> impl IntoView {
    let rows = outputs
        .iter()
        .map(|o| {
            let (dir, file) = o.path.rsplit_once('/').unwrap_or(("", &o.path));
            let label = format!("Download {}", o.path);
            view! {
                <tr>
                    <td>
                        {(!dir.is_empty()).then(|| view! { <span class="muted">{format!("{dir}/")}</span> })}
                        <a href=download_url(&ws, &run, &o.path) download="" aria-label=label>{file.to_owned()}</a>
                    </td>
                    <td class="number">{file_size(o.size)}</td>
                    <td>{date_time(o.created_at)}</td>
                    <td><code class="muted small" title=o.sha256.clone()>{o.sha256.chars().take(12).collect::<String>()}</code></td>
                </tr>
            }
        })
        .collect_view();
    let table = if outputs.is_empty() {
        view! { <p class="muted">"No outputs yet."</p> }.into_any()
    } else {
        view! {
            <table class="table compact">
                <thead>
                    <tr><th scope="col">"File"</th><th scope="col" class="number">"Size"</th><th scope="col">"Stored"</th><th scope="col">"SHA-256"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Outputs"</h2>
            {table}
            {upload.map(|action| view! { <UploadForm ws=ws.clone() run=run.clone() action/> })}
        </section>
    }
    .into_any()
}

#[component]
fn UploadForm(
    ws: WorkspaceCrumbs,
    run: String,
    action: ServerAction<UploadOutput>,
) -> impl IntoView {
    let error = action_error(action.value());
    let path = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        crate::ui::file_text::read_chosen_file_base64(&ev, move |name, base64| {
            if path.get_untracked().trim().is_empty() {
                path.set(format!("outputs/{name}"));
            }
            content.set(base64);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let hidden = super::run::hidden_run(&ws, &run);
    let on_submit = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(UploadOutput {
                ws_path: ws.path(),
                run: run.clone(),
                path: path.get_untracked(),
                content: content.get_untracked(),
                file_name: String::new(),
            });
        }
    };
    let message =
        move || error.get().map(|e| view! { <p class="field-error" role="alert">{e.message}</p> });
    // Without JavaScript the browser posts the file itself (see `server::multipart_forms`).
    view! {
        <form class="upload-form" method="post" action="/api/runs/upload_output" enctype="multipart/form-data" on:submit=on_submit>
            {hidden}
            <label>"File " <input type="file" name="content@file_name" on:change=on_file/></label>
            <label>
                "Store as "
                <input type="text" name="path" placeholder="outputs/model.pt" prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev))/>
            </label>
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Uploading…" } else { "Upload" }}
            </button>
            {message}
        </form>
    }
}
