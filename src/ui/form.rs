//! Form pieces: labelled fields that validate as the person types (with the same domain rules
//! the server enforces) and show the server's verdict beside the input it concerns.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::domain::{Parse, WorkspacePath};
use crate::error::AppError;

/// Checks a value as typed; `Err` holds the message to show.
pub type Validator = fn(&str) -> Result<(), String>;

/// The validator for a domain type: `validate={valid::<Email>}`.
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

/// Whether the action's last submission succeeded: its value once it ran in this page, else
/// whether a form posted without JavaScript came back saying so (`api::plain_form`).
pub fn action_done<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    let value = action.value();
    Signal::derive(move || {
        value.with(|last| last.as_ref().map(Result::is_ok)).unwrap_or_else(|| {
            query.with(|q| q.get_str(crate::api::plain_form::DONE) == Some(S::PATH))
        })
    })
}

/// What every kind of field shares: its value as typed, and the message to show under it.
#[derive(Clone)]
struct FieldState {
    id: String,
    hint_id: String,
    error_id: String,
    value: RwSignal<String>,
    touched: RwSignal<bool>,
    edited_since_server_error: RwSignal<bool>,
    message: Signal<Option<String>>,
}

impl FieldState {
    fn new(
        name: &'static str,
        id: Option<&'static str>,
        value: RwSignal<String>,
        server_error: Signal<Option<AppError>>,
        validate: Option<Validator>,
    ) -> Self {
        let touched = RwSignal::new(false);
        // The server's message stays until the person edits the field it is about.
        let edited_since_server_error = RwSignal::new(false);
        Effect::watch(
            move || server_error.get(),
            move |_, _, _| edited_since_server_error.set(false),
            false,
        );
        let message = Signal::derive(move || {
            let local =
                validate.filter(|_| touched.get()).and_then(|check| check(&value.get()).err());
            local.or_else(|| {
                if edited_since_server_error.get() {
                    return None;
                }
                server_error.read().as_ref().and_then(|e| e.for_field(name).map(str::to_owned))
            })
        });
        let id = id.map(str::to_owned).unwrap_or_else(|| format!("field-{name}"));
        Self {
            hint_id: format!("{id}-hint"),
            error_id: format!("{id}-error"),
            id,
            value,
            touched,
            edited_since_server_error,
            message,
        }
    }

    fn on_input(&self, text: String) {
        self.value.set(text);
        self.edited_since_server_error.set(true);
    }

    fn described_by(&self, has_hint: bool) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (hint_id, error_id, message) =
            (self.hint_id.clone(), self.error_id.clone(), self.message);
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.read().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    /// Label, hint, the input itself, and the message.
    fn frame(
        &self,
        label: &'static str,
        hint: Option<&'static str>,
        input: AnyView,
    ) -> impl IntoView {
        let message = self.message;
        let error_id = self.error_id.clone();
        view! {
            <div class="field" class:invalid=move || message.read().is_some()>
                <label for=self.id.clone()>{label}</label>
                {hint.map(|text| view! { <p class="hint" id=self.hint_id.clone()>{text}</p> })}
                {input}
                {move || {
                    message.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })
                }}
            </div>
        }
    }
}

#[component]
pub fn Field(
    label: &'static str,
    /// The input's `name`: also the server function argument it fills.
    name: &'static str,
    /// The element id, when two forms on a page have a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(default = true)] required: bool,
    /// Shown but not editable (an address fixed by an invitation).
    #[prop(optional)]
    readonly: bool,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// The form's last server error; shown here when it names this field.
    server_error: Signal<Option<AppError>>,
    #[prop(optional)] validate: Option<Validator>,
) -> impl IntoView {
    let state = FieldState::new(name, id, RwSignal::new(value.clone()), server_error, validate);
    let (touched, message) = (state.touched, state.message);
    let input = {
        let state = state.clone();
        view! {
            <input
                id=state.id.clone()
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                required=required
                readonly=readonly
                list=list
                aria-invalid=move || message.read().is_some().to_string()
                aria-describedby=state.described_by(hint.is_some())
                on:input=move |ev| state.on_input(event_target_value(&ev))
                on:blur=move |_| touched.set(true)
            />
        }
        .into_any()
    };
    state.frame(label, hint, input)
}

#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
    server_error: Signal<Option<AppError>>,
    #[prop(optional)] validate: Option<Validator>,
    /// The text as a signal the page also writes (a picker that adds lines, a file read in):
    /// the text area follows it. Its initial content is then the signal's, not `value`'s.
    #[prop(optional)]
    bind: Option<RwSignal<String>>,
) -> impl IntoView {
    let text = bind.unwrap_or_else(|| RwSignal::new(value));
    let initial = text.get_untracked();
    let state = FieldState::new(name, id, text, server_error, validate);
    let (touched, message) = (state.touched, state.message);
    let input = {
        let state = state.clone();
        view! {
            <textarea
                id=state.id.clone()
                name=name
                prop:value=move || text.get()
                rows=rows
                aria-invalid=move || message.read().is_some().to_string()
                aria-describedby=state.described_by(hint.is_some())
                on:input=move |ev| state.on_input(event_target_value(&ev))
                on:blur=move |_| touched.set(true)
            >
                {initial}
            </textarea>
        }
        .into_any()
    };
    state.frame(label, hint, input)
}

/// A `<select>`; its options are the children.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    server_error: Signal<Option<AppError>>,
    /// Called with the chosen value, for forms that change with the choice.
    #[prop(optional, into)]
    on_change: Option<Callback<String>>,
    children: Children,
) -> impl IntoView {
    let state = FieldState::new(name, id, RwSignal::new(String::new()), server_error, None);
    let message = state.message;
    let input = {
        let state = state.clone();
        view! {
            <select
                id=state.id.clone()
                name=name
                aria-invalid=move || message.read().is_some().to_string()
                aria-describedby=state.described_by(hint.is_some())
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    state.on_input(chosen.clone());
                    if let Some(callback) = on_change {
                        callback.run(chosen);
                    }
                }
            >
                {children()}
            </select>
        }
        .into_any()
    };
    state.frame(label, hint, input)
}

/// The form-wide error: shown above the fields when the error names no field.
#[component]
pub fn FormAlert(server_error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        server_error.get().filter(|e| e.field.is_none()).map(|error| {
            view! { <p class="form-alert" role="alert">{error.message}</p> }
        })
    }
}

/// The form's word that it worked, once it has (see [`action_done`]).
#[component]
pub fn FormDone(when: Signal<bool>, text: &'static str) -> impl IntoView {
    move || when.get().then(|| view! { <p class="notice" role="status">{text}</p> })
}

/// The form's submit button, disabled and relabelled while the request is in flight.
#[component]
pub fn SubmitButton(
    label: &'static str,
    busy_label: &'static str,
    pending: Memo<bool>,
    #[prop(default = "primary")] class: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class=class disabled=pending>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}

/// A delete form's confirmation: the name of what goes, typed again (`thing` as in "the
/// compute's name"), with the name shown beside it.
#[component]
pub fn ConfirmNameField(
    /// "Compute name": the field's label.
    label: &'static str,
    /// "Type the compute's name to confirm."
    hint: &'static str,
    /// The name to type.
    name: String,
    server_error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <Field label name="confirm_name" hint server_error/>
        <p class="muted small">"Name: " <code>{name}</code></p>
    }
}

/// The hidden fields that name the workspace a form acts in: the `WorkspacePath` every workspace
/// server function takes, flattened into `organization`, `resource_group` and `workspace`.
#[component]
pub fn WorkspaceFields(path: WorkspacePath) -> impl IntoView {
    let WorkspacePath { organization, resource_group, workspace } = path;
    view! {
        <input type="hidden" name="organization" value=organization/>
        <input type="hidden" name="resource_group" value=resource_group/>
        <input type="hidden" name="workspace" value=workspace/>
    }
}
