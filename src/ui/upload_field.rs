//! A file chosen for upload inside a server function's form. With JavaScript the file is read
//! into two hidden fields (its name and base64 bytes) that the form posts; without, the browser
//! posts the file itself under `<content>@<file name>`, which `server::multipart_forms` turns
//! into the same two fields.

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
    let file_name = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        crate::ui::file_text::read_chosen_file_base64(&ev, move |name, base64| {
            file_name.set(name);
            content.set(base64);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
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
            <input id=id type="file" name=format!("{content_field}@{file_name_field}") on:change=on_file/>
            <input type="hidden" name=file_name_field prop:value=move || file_name.get()/>
            <input type="hidden" name=content_field prop:value=move || content.get()/>
            {message}
        </div>
    }
}
