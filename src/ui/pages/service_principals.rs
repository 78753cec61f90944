//! `/organizations/{org}/service-principals`: the organization's non-human principals for
//! pipelines and CI. Those who may give roles here create them, manage the tokens of the one
//! chosen (`?principal=name`, so each is a link and works without JavaScript) and delete them;
//! roles are given on Access control pages, by the identity shown here.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::plain_form::KeptAnswer;
use crate::api::service_principals::{
    fields, list_service_principals, service_principal_tokens, CreateServicePrincipal,
    CreateServicePrincipalToken, DeleteServicePrincipal, PrincipalTokensView,
    RevokeServicePrincipalToken, ServicePrincipalRow, ServicePrincipalsView,
};
use crate::api::tokens::{CreatedToken, TokenRow};
use crate::authz::Action;
use crate::domain::service_principal::RULE;
use crate::error::AppError;
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::copy_field::CopyField;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, Check, ConfirmNameField, Field, FormAlert, SubmitButton};
use crate::ui::format::date;
use crate::ui::island_data::{island_with, reloaded};
use crate::ui::token_parts::{revoke_label, NewSecret, TokenFields, TokenTable};

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateServicePrincipal>,
    delete: ServerAction<DeleteServicePrincipal>,
    create_token: ServerAction<CreateServicePrincipalToken>,
    revoke_token: ServerAction<RevokeServicePrincipalToken>,
}

#[component]
pub fn ServicePrincipalsPage() -> impl IntoView {
    let org = use_params_map().read_untracked().get("org").unwrap_or_default();
    let chosen = use_query_map().read_untracked().get("principal").filter(|p| !p.is_empty());
    let first = {
        let (org, chosen) = (org.clone(), chosen.clone());
        move || {
            let (org, chosen) = (org.clone(), chosen.clone());
            async move {
                // A token a form posted without JavaScript created for it: its secret, kept for
                // this render.
                let kept = KeptAnswer::take_for(
                    vec![CreateServicePrincipalToken::PATH],
                    Some(chosen.clone().unwrap_or_default()),
                )
                .await;
                let list = list_service_principals(org.clone()).await;
                FirstView { kept, list, tokens: tokens_of(org, chosen).await }
            }
        }
    };
    island_with(first, move |first| {
        view! { <ServicePrincipalsIsland org=org.clone() chosen=chosen.clone() first/> }
    })
}

/// What the page shows first, loaded on the server (see `ui::island_data`).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct FirstView {
    kept: KeptAnswer,
    list: Result<ServicePrincipalsView, AppError>,
    tokens: Result<Option<PrincipalTokensView>, AppError>,
}

/// The tokens of the chosen service principal, if one is chosen.
async fn tokens_of(
    org: String,
    chosen: Option<String>,
) -> Result<Option<PrincipalTokensView>, AppError> {
    match chosen {
        Some(name) => service_principal_tokens(org, name).await.map(Some),
        None => Ok(None),
    }
}

/// The page's content is one island: a new token's secret is shown once, from the answer to
/// the form that created it, and the lists follow every change in place.
/// `chosen`: the service principal whose tokens are shown (`?principal=`), if any.
#[island]
fn ServicePrincipalsIsland(org: String, chosen: Option<String>, first: FirstView) -> impl IntoView {
    let FirstView { kept, list, tokens } = first;
    let chosen_name = chosen.clone().unwrap_or_default();
    let kept = kept.of_item::<CreateServicePrincipalToken>(&chosen_name);
    let actions = Actions {
        create: ServerAction::new(),
        delete: ServerAction::new(),
        create_token: ServerAction::new(),
        revoke_token: ServerAction::new(),
    };
    let token_versions =
        move || (actions.create_token.version().get(), actions.revoke_token.version().get());
    let list = reloaded(
        list,
        move || (actions.create.version().get(), actions.delete.version().get(), token_versions()),
        {
            let org = org.clone();
            move |_| list_service_principals(org.clone())
        },
    );
    let tokens = reloaded(tokens, token_versions, move |_| tokens_of(org.clone(), chosen.clone()));
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let kept = kept.clone();
                    Suspend::new(async move {
                        let (list, tokens) = (list.await, tokens.await);
                        loaded(list, |view| view! { <Principals view tokens kept actions/> })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Principals(
    view: ServicePrincipalsView,
    tokens: Result<Option<PrincipalTokensView>, AppError>,
    kept: Option<CreatedToken>,
    actions: Actions,
) -> impl IntoView {
    let slug = view.organization_slug.clone();
    let may_write = view.may(Action::RoleAssignmentsWrite);
    let may_delete = may_write && view.may(Action::RoleAssignmentsDelete);
    let chosen = match tokens {
        Ok(Some(principal)) => {
            view! { <Chosen org=slug.clone() principal kept actions may_delete/> }.into_any()
        }
        Ok(None) => ().into_any(),
        Err(error) => view! { <p class="form-alert" role="alert">{error.message}</p> }.into_any(),
    };
    let table = if view.principals.is_empty() {
        view! { <p class="empty-state">"No service principals yet."</p> }.into_any()
    } else {
        let rows = view.principals.into_iter().map(|p| view! { <PrincipalLine p/> }).collect_view();
        view! {
            <table class="table principals">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Identity"</th>
                        <th scope="col">"Roles"</th>
                        <th scope="col">"Active tokens"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let create = may_write.then(|| view! { <CreateForm org=slug.clone() action=actions.create/> });
    view! {
        <Title text=format!("Service principals · {}", view.organization_name)/>
        <Breadcrumbs org_slug=slug.clone() org_name=view.organization_name.clone()/>
        <div class="page-heading">
            <div>
                <h1>"Service principals"</h1>
                <p class="muted">
                    "Accounts for pipelines and CI rather than people. Each acts only through its tokens, "
                    "with the roles it is given on Access control pages, like a person."
                </p>
            </div>
            <p class="actions">
                <a class="button" href=format!("/organizations/{slug}/access")>"Access control"</a>
            </p>
        </div>
        <section class="panel">
            <h2>"In this organization"</h2>
            {table}
        </section>
        {chosen}
        {create}
    }
}

#[component]
fn PrincipalLine(p: ServicePrincipalRow) -> impl IntoView {
    view! {
        <tr>
            <th scope="row"><a href=format!("?principal={}", p.name)>{p.name.clone()}</a></th>
            <td><code>{p.identity}</code></td>
            <td>{p.roles}</td>
            <td>{p.active_tokens}</td>
            <td>{date(p.created_at)}</td>
        </tr>
    }
}

#[component]
fn CreateForm(org: String, action: ServerAction<CreateServicePrincipal>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Create a service principal"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <input type="hidden" name=fields::ORGANIZATION value=org/>
                <Field
                    label="Name"
                    name=fields::NAME
                    id="field-principal-name"
                    hint=RULE
                    server_error=error
                    validate=Check::ServicePrincipalName
                />
                <SubmitButton label="Create service principal" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// The chosen service principal: its identity, its tokens and (for those allowed) a new token
/// and deletion.
#[component]
fn Chosen(
    org: String,
    principal: PrincipalTokensView,
    kept: Option<CreatedToken>,
    actions: Actions,
    may_delete: bool,
) -> impl IntoView {
    let PrincipalTokensView { name, identity, tokens, may_manage } = principal;
    let created = Signal::derive(move || {
        actions.create_token.value().get().and_then(Result::ok).or_else(|| kept.clone())
    });
    let revoke_error = action_error(actions.revoke_token.value());
    let hidden = {
        let (org, name) = (org.clone(), name.clone());
        move || {
            view! {
                <input type="hidden" name=fields::ORGANIZATION value=org.clone()/>
                <input type="hidden" name=fields::SERVICE_PRINCIPAL value=name.clone()/>
            }
        }
    };
    let revoke = {
        let hidden = hidden.clone();
        move |t: &TokenRow| {
            let (id, label, hidden) = (t.id, revoke_label(t), hidden.clone());
            may_manage.then(|| {
                view! {
                    <ActionForm action=actions.revoke_token attr:class="inline-form">
                        {hidden()}
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="danger" aria-label=label>"Revoke"</button>
                    </ActionForm>
                }
            })
        }
    };
    let create_error = action_error(actions.create_token.value());
    let crate::api::tokens::TokensView { tokens, reaches, today, latest_end } = tokens;
    let new_token = may_manage.then({
        let hidden = hidden.clone();
        move || {
            view! {
                <h3>"Create a token"</h3>
                <ActionForm action=actions.create_token attr:class="stacked-form narrow-left" attr:novalidate=true>
                    <FormAlert server_error=create_error/>
                    {hidden()}
                    <TokenFields
                        reaches
                        today
                        latest_end
                        name_hint="Where it is used, such as \u{201c}nightly training\u{201d} or \u{201c}GitHub Actions\u{201d}."
                        reach_hint="Where it may act: the organization or one workspace. It holds only the service principal's roles there."
                        server_error=create_error
                    />
                    <SubmitButton label="Create token" busy_label="Creating…" pending=actions.create_token.pending()/>
                </ActionForm>
            }
        }
    });
    let delete = may_delete
        .then(|| view! { <DeleteForm hidden=hidden() name=name.clone() action=actions.delete/> });
    view! {
        <section class="panel principal" aria-label=format!("Service principal {name}")>
            <h2>{name.clone()} " " <span class="badge principal-kind">"Service principal"</span></h2>
            <CopyField label="Identity" id="principal-identity" value=identity/>
            <p class="muted">
                "Give it roles on the Access control page of this organization, or of one of its "
                "resource groups or workspaces, by this identity, as you would a person by email."
            </p>
            <NewSecret created/>
            <h3>"Tokens"</h3>
            <FormAlert server_error=revoke_error/>
            <TokenTable tokens revoke/>
            {new_token}
        </section>
        {delete}
    }
}

#[component]
fn DeleteForm(
    hidden: impl IntoView + 'static,
    name: String,
    action: ServerAction<DeleteServicePrincipal>,
) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete service principal"</h2></summary>
            <p>
                "Removes all its roles and revokes its tokens: scripts using them are refused from "
                "their next request. The activity log keeps what it did. This cannot be undone."
            </p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden}
                <ConfirmNameField label="Service principal name" hint="Type the service principal's name to confirm." name server_error=error/>
                <SubmitButton label="Delete service principal" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
