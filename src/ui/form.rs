//! Form pieces: labelled fields that validate as the person types (with the same domain rules
//! the server enforces) and show the server's verdict beside the input it concerns.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use serde::{Deserialize, Serialize};

use super::hydration::live_or_island;
use crate::api::plain_form::KeptAnswer;
use crate::domain::WorkspacePath;
use crate::error::AppError;
pub use crate::ui::checks::Check;

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
            query.with(|q| q.get_str(crate::domain::plain_form::DONE) == Some(S::PATH))
        })
    })
}

/// The answer a form posted without JavaScript left for this page (`KeptAnswer`), if one of
/// the server functions at `paths` gave it (about `item`, when one is named), loaded by a page
/// part rendered on the server. (An island gets its answer as a prop: `ui::island_data`.)
pub fn kept_answer(paths: &[&'static str], item: Option<String>) -> Resource<KeptAnswer> {
    let paths = paths.to_vec();
    Resource::new(|| (), move |_| KeptAnswer::take_for(paths.clone(), item.clone()))
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
        name: String,
        id: Option<String>,
        value: RwSignal<String>,
        server_error: Signal<Option<AppError>>,
        validate: Option<Check>,
    ) -> Self {
        let touched = RwSignal::new(false);
        // The server's message stays until the person edits the field it is about.
        let edited_since_server_error = RwSignal::new(false);
        Effect::watch(
            move || server_error.get(),
            move |_, _, _| edited_since_server_error.set(false),
            false,
        );
        let id = id.unwrap_or_else(|| format!("field-{name}"));
        let message = Signal::derive(move || {
            let local =
                validate.filter(|_| touched.get()).and_then(|check| check.run(&value.get()).err());
            local.or_else(|| {
                if edited_since_server_error.get() {
                    return None;
                }
                server_error.read().as_ref().and_then(|e| e.for_field(&name).map(str::to_owned))
            })
        });
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

    /// Leaving the field shows what is wrong with it. The element's own text is the truth: it
    /// may have been typed (or filled in by a password manager) before the page's script came
    /// alive, when no input event reached `value`; judging the stale copy would show a wrong
    /// message and move the button the person is clicking.
    fn on_blur(&self, typed: String) {
        if typed != self.value.get_untracked() {
            self.on_input(typed);
        }
        self.touched.set(true);
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
    fn frame(&self, label: String, hint: Option<String>, input: AnyView) -> AnyView {
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
        .into_any()
    }
}

/// A text field or text area, as the server renders it and the browser brings to life: what
/// the island needs, as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldSpec {
    label: String,
    name: String,
    id: Option<String>,
    hint: Option<String>,
    value: String,
    input: InputKind,
    /// Checked as typed once the field has been left.
    check: Option<Check>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum InputKind {
    Line {
        input_type: String,
        autocomplete: String,
        required: bool,
        readonly: bool,
        list: Option<String>,
    },
    Lines {
        rows: u32,
    },
}

impl FieldSpec {
    fn new(
        [label, name]: [&str; 2],
        id: Option<&str>,
        hint: Option<&str>,
        value: String,
        input: InputKind,
        check: Option<Check>,
    ) -> Self {
        Self {
            label: label.to_owned(),
            name: name.to_owned(),
            id: id.map(str::to_owned),
            hint: hint.map(str::to_owned),
            value,
            input,
            check,
        }
    }

    /// The field itself, live: the server's last verdict in `server_error`, and the text in
    /// `bind` when the page also writes it.
    fn live(
        self,
        server_error: Signal<Option<AppError>>,
        bind: Option<RwSignal<String>>,
    ) -> AnyView {
        let FieldSpec { label, name, id, hint, value, input, check } = self;
        let text = bind.unwrap_or_else(|| RwSignal::new(value));
        let initial = text.get_untracked();
        let state = FieldState::new(name.clone(), id, text, server_error, check);
        let message = state.message;
        let described_by = state.described_by(hint.is_some());
        let on_input = {
            let state = state.clone();
            move |ev| state.on_input(event_target_value(&ev))
        };
        let on_blur = {
            let state = state.clone();
            move |ev| state.on_blur(event_target_value(&ev))
        };
        let element = match input {
            InputKind::Line { input_type, autocomplete, required, readonly, list } => view! {
                <input
                    id=state.id.clone()
                    name=name
                    type=input_type
                    value=initial
                    autocomplete=autocomplete
                    required=required
                    readonly=readonly
                    list=list
                    aria-invalid=move || message.read().is_some().to_string()
                    aria-describedby=described_by
                    on:input=on_input
                    on:blur=on_blur
                />
            }
            .into_any(),
            InputKind::Lines { rows } => view! {
                <textarea
                    id=state.id.clone()
                    name=name
                    prop:value=move || text.get()
                    rows=rows
                    aria-invalid=move || message.read().is_some().to_string()
                    aria-describedby=described_by
                    on:input=on_input
                    on:blur=on_blur
                >
                    {initial}
                </textarea>
            }
            .into_any(),
        };
        state.frame(label, hint, element)
    }

    /// The field where it is needed: live in a page or island that comes alive as a whole; else
    /// an island of its own when it checks what is typed; else plain HTML.
    fn render(
        self,
        server_error: Signal<Option<AppError>>,
        bind: Option<RwSignal<String>>,
    ) -> AnyView {
        if self.check.is_none() {
            return self.live(server_error, bind);
        }
        let spec = self.clone();
        live_or_island(
            move || self.live(server_error, bind),
            move || {
                let server_error =
                    server_error.get_untracked().filter(|e| e.for_field(&spec.name).is_some());
                view! { <LiveField spec server_error/> }
            },
        )
    }
}

/// A field that checks what is typed, alone in a page rendered on the server.
#[island]
fn LiveField(spec: FieldSpec, server_error: Option<AppError>) -> impl IntoView {
    spec.live(Signal::stored(server_error), None)
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
    #[prop(optional)] validate: Option<Check>,
) -> impl IntoView {
    let input = InputKind::Line {
        input_type: input_type.to_owned(),
        autocomplete: autocomplete.to_owned(),
        required,
        readonly,
        list: list.map(str::to_owned),
    };
    FieldSpec::new([label, name], id, hint, value, input, validate).render(server_error, None)
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
    #[prop(optional)] validate: Option<Check>,
    /// The text as a signal the page also writes (a picker that adds lines, a file read in):
    /// the text area follows it. Its initial content is then the signal's, not `value`'s.
    #[prop(optional)]
    bind: Option<RwSignal<String>>,
) -> impl IntoView {
    FieldSpec::new([label, name], id, hint, value, InputKind::Lines { rows }, validate)
        .render(server_error, bind)
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
    let state = FieldState::new(
        name.to_owned(),
        id.map(str::to_owned),
        RwSignal::new(String::new()),
        server_error,
        None,
    );
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
    state.frame(label.to_owned(), hint.map(str::to_owned), input)
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

/// A checkbox with its label, and under it the server's message when it names this field.
#[component]
pub fn CheckboxField(
    label: &'static str,
    name: &'static str,
    server_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let error = move || {
        server_error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| view! { <p class="field-error" role="alert">{e.message}</p> })
    };
    view! {
        <div>
            <label class="checkbox">
                <input type="checkbox" name=name/>
                " "
                {label}
            </label>
            {error}
        </div>
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
