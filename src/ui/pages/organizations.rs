use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::organizations::{fields, list_organizations, CreateOrganization, OrganizationList};
use crate::ui::form::{action_error, Check, Field, FormAlert, SubmitButton};

/// The organizations I belong to, and a form to create one when the instance allows it.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_organizations());
    view! {
        <Title text="Organizations"/>
        <div class="page">
            <h1>"Organizations"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move { loaded(list.await, |list| view! { <Organizations list/> }) })}
            </Suspense>
        </div>
    }
}

#[component]
fn Organizations(list: OrganizationList) -> impl IntoView {
    let rows = if list.organizations.is_empty() {
        view! { <p class="muted">"You do not belong to any organization yet."</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list">
                {list
                    .organizations
                    .into_iter()
                    .map(|o| {
                        view! {
                            <li>
                                <a href=format!("/organizations/{}", o.slug)>{o.name}</a>
                                <span class="muted small">{format!(" /organizations/{}", o.slug)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="panel">{rows}</section>
        {if list.may_create {
            view! { <CreateOrganizationForm/> }.into_any()
        } else {
            view! {
                <p class="muted">
                    "On this instance the administrator creates organizations. Ask them for one, or "
                    "for an invitation to an existing one."
                </p>
            }
                .into_any()
        }}
    }
}

#[component]
fn CreateOrganizationForm() -> impl IntoView {
    let action = ServerAction::<CreateOrganization>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Create an organization"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="The name people see, such as Contoso Research."
                    server_error=error
                    validate=Check::OrganizationName
                />
                <Field
                    label="Short name"
                    name=fields::SLUG
                    hint="Used in links and scope paths (/organizations/short-name); it cannot change later."
                    server_error=error
                    validate=Check::Slug
                />
                <SubmitButton label="Create organization" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
