//! Form pieces: a labelled field that validates as the person types (with the same domain rules
//! the server enforces) and shows the server's verdict beside the input it concerns.

use leptos::prelude::*;

use crate::domain::Parse;
use crate::error::AppError;

/// Checks a value as typed; `Err` holds the message to show.
pub type Validator = fn(&str) -> Result<(), String>;

/// The validator for a domain type: `validate=valid::<Email>`.
pub fn valid<T: Parse>(input: &str) -> Result<(), String> {
    T::parse(input).map(drop).map_err(|invalid| invalid.0)
}

/// The last result of a server action, as an error if it failed.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(Result::err))
}

#[component]
pub fn Field(
    label: &'static str,
    /// The input's `name`: also the server function argument it fills.
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// The form's last server error; shown here when it names this field.
    server_error: Signal<Option<AppError>>,
    #[prop(optional)] validate: Option<Validator>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let value = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    // The server's message stays until the person edits the field it is about.
    let edited_since_server_error = RwSignal::new(false);
    Effect::watch(
        move || server_error.get(),
        move |_, _, _| edited_since_server_error.set(false),
        false,
    );

    let message = Signal::derive(move || {
        let local = validate
            .filter(|_| touched.get())
            .and_then(|check| check(&value.get()).err());
        local.or_else(|| {
            if edited_since_server_error.get() {
                return None;
            }
            server_error
                .read()
                .as_ref()
                .and_then(|e| e.for_field(name).map(str::to_owned))
        })
    });
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message.read().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    view! {
        <div class="field" class:invalid=move || message.read().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            <input
                id=id.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                required=true
                aria-invalid=move || message.read().is_some().to_string()
                aria-describedby=described_by
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    edited_since_server_error.set(true);
                }
                on:blur=move |_| touched.set(true)
            />
            {move || {
                message
                    .get()
                    .map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })
            }}
        </div>
    }
}

/// The form-wide error: shown above the fields when the error names no field.
#[component]
pub fn FormAlert(server_error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|error| {
                view! { <p class="form-alert" role="alert">{error.message}</p> }
            })
    }
}

/// The form's submit button, disabled and relabelled while the request is in flight.
#[component]
pub fn SubmitButton(
    label: &'static str,
    busy_label: &'static str,
    pending: Memo<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="primary" disabled=pending>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}
