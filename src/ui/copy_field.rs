//! A value to copy: shown in a read-only field (selected when focused, so it can be copied by
//! hand without JavaScript) with a Copy button that puts it on the clipboard.

use leptos::prelude::*;

use super::hydration::live_or_island;

#[component]
pub fn CopyField(
    label: &'static str,
    id: &'static str,
    value: String,
    /// Several lines (a snippet) rather than one.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let (label, id) = (label.to_owned(), id.to_owned());
    live_or_island(
        || copy_field(label.clone(), id.clone(), value.clone(), multiline),
        || view! { <CopyFieldIsland label=label.clone() id=id.clone() value=value.clone() multiline/> },
    )
}

#[island]
fn CopyFieldIsland(label: String, id: String, value: String, multiline: bool) -> impl IntoView {
    copy_field(label, id, value, multiline)
}

fn copy_field(label: String, id: String, value: String, multiline: bool) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = value.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&text);
                copied.set(true);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    let select_all = |ev: leptos::ev::FocusEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(target) = ev.target() {
                if let Ok(input) = target.clone().dyn_into::<web_sys::HtmlInputElement>() {
                    input.select();
                } else if let Ok(area) = target.dyn_into::<web_sys::HtmlTextAreaElement>() {
                    area.select();
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let rows = value.lines().count().max(1);
    let field = if multiline {
        view! { <textarea id=id.clone() readonly rows=rows class="copy-value mono" on:focus=select_all>{value}</textarea> }
            .into_any()
    } else {
        view! { <input id=id.clone() type="text" readonly class="copy-value mono" value=value on:focus=select_all/> }
            .into_any()
    };
    view! {
        <div class="field copy-field">
            <label for=id>{label.clone()}</label>
            <div class="copy-row">
                {field}
                <button type="button" class="copy-button" on:click=copy aria-label=format!("Copy {label}")>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
        </div>
    }
}
