//! Reading a file the person picked, in the browser: as text, or as bytes for upload.

use leptos::ev::Event;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

/// Calls `done` with the text of the first file chosen in the `<input type="file">` that fired
/// `event`. A file that cannot be read (or is not text) leaves things as they were: the person
/// sees the text area unchanged and can paste instead.
pub fn read_chosen_file(event: &Event, done: impl FnOnce(String) + 'static) {
    let Some(file) = chosen_file(event) else { return };
    spawn_local(async move {
        if let Ok(text) = JsFuture::from(file.text()).await {
            if let Some(text) = text.as_string() {
                done(text);
            }
        }
    });
}

/// Calls `done` with the name and the base64 of the bytes of the first file chosen in the
/// `<input type="file">` that fired `event`.
pub fn read_chosen_file_base64(event: &Event, done: impl FnOnce(String, String) + 'static) {
    use base64::Engine;
    let Some(file) = chosen_file(event) else { return };
    spawn_local(async move {
        if let Ok(buffer) = JsFuture::from(file.array_buffer()).await {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            done(file.name(), base64::engine::general_purpose::STANDARD.encode(bytes));
        }
    });
}

/// The first file chosen in the `<input type="file">` that fired `event`.
fn chosen_file(event: &Event) -> Option<web_sys::File> {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}
