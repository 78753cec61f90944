//! A file chosen for upload inside a server function's form, which posts as plain HTML
//! (`multipart/form-data`): the browser sends the file itself under `<content>@<file name>`, and
//! `server::multipart_forms` turns it into the server function's two fields, the base64 of its
//! bytes and its name.

use leptos::prelude::*;

use crate::error::AppError;

#[component]
pub fn UploadField(
    label: &'static str,
    id: &'static str,
    hint: &'static str,
    /// The argument taking the base64 bytes.
    content_field: &'static str,
    /// The argument taking the file's name.
    file_name_field: &'static str,
    /// The form's last server error; shown here when it names either field.
    server_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || {
        server_error
            .get()
            .filter(|e| {
                e.field.as_deref().is_some_and(|f| f == content_field || f == file_name_field)
            })
            .map(|e| view! { <p class="field-error" role="alert">{e.message}</p> })
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint">{hint}</p>
            <input id=id type="file" name=format!("{content_field}@{file_name_field}")/>
            {message}
        </div>
    }
}
