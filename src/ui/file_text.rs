//! A file the person picked, in the browser: its name, or its text.

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

/// The name of the first file chosen in the `<input type="file">` that fired `event`.
pub fn chosen_file_name(event: &Event) -> Option<String> {
    chosen_file(event).map(|file| file.name())
}

/// The first file chosen in the `<input type="file">` that fired `event`.
fn chosen_file(event: &Event) -> Option<web_sys::File> {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}
