//! A run's outputs: the files it wrote, each downloadable, and (for those who may change the
//! run) an upload of one more file into the workspace's default datastore.

use leptos::prelude::*;

use crate::api::runs::{OutputFile, UploadOutput};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::ui::form::action_error;
use crate::ui::format::{date_time, file_size, query_value};
use crate::ui::hydration::live_or_island;

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
    let hidden = super::run::hidden_run(&ws, &run);
    let message =
        move || error.get().map(|e| view! { <p class="field-error" role="alert">{e.message}</p> });
    // A plain form: the browser posts the file itself (see `server::multipart_forms`).
    view! {
        <form class="upload-form" method="post" action="/api/runs/upload_output" enctype="multipart/form-data">
            {hidden}
            {live_or_island(output_file_inputs, || view! { <OutputFileInputs/> })}
            <button type="submit">"Upload"</button>
            {message}
        </form>
    }
}

/// The file and where to store it, filled in from the chosen file's name: an island.
#[island]
fn OutputFileInputs() -> impl IntoView {
    output_file_inputs()
}

fn output_file_inputs() -> impl IntoView {
    let path = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(name) = crate::ui::file_text::chosen_file_name(&ev)
            .filter(|_| path.get_untracked().trim().is_empty())
        {
            path.set(format!("outputs/{name}"));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <label>"File " <input type="file" name="content@file_name" on:change=on_file/></label>
        <label>
            "Store as "
            <input type="text" name="path" placeholder="outputs/model.pt" prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev))/>
        </label>
    }
}
