//! `/tokens`: my personal access tokens, for scripts, pipelines and the MLflow client. Create
//! one (name, reach, end date, read only), see its secret once, and revoke it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use crate::api::plain_form::KeptAnswer;
use crate::api::tokens::{list_tokens, CreateToken, RevokeToken, TokensView};
use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert, SubmitButton};
use crate::ui::island_data::{island_with, reloaded};
use crate::ui::token_parts::{revoke_label, NewSecret, TokenFields, TokenTable};

#[component]
pub fn TokensPage() -> impl IntoView {
    // A token created by a form posted without JavaScript: its secret, kept for this render.
    let first = || async {
        let kept = KeptAnswer::take_for(vec![CreateToken::PATH], None).await;
        (kept, list_tokens().await)
    };
    view! {
        <Title text="Access tokens"/>
        {island_with(first, |(kept, first)| view! { <TokensIsland kept first/> })}
    }
}

/// The page's content is one island: a new token's secret is shown once, from the answer to
/// the form that created it, and the list follows every creation and revocation in place. It
/// starts from what its page loaded (`ui::island_data`).
#[island]
fn TokensIsland(kept: KeptAnswer, first: Result<TokensView, AppError>) -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = reloaded(
        first,
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let kept = kept.of::<CreateToken>().map(|(_, token)| token);
    view! {
        <div class="page">
            <h1>"Access tokens"</h1>
            <p class="muted">
                "A token lets a script, a pipeline, the MLflow client or the "<code>"atl"</code>
                " command line act as you, with your roles, limited to where you choose and, if you "
                "like, to reading. Keep it secret like a password. "
                <a href="/api/v1/reference" rel="external">"Management API reference"</a>
            </p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new({
                    let kept = kept.clone();
                    async move {
                    let created = Signal::derive(move || {
                        create.value().get().and_then(Result::ok).or_else(|| kept.clone())
                    });
                    let page = loaded(tokens.await, |view| view! { <Tokens view create revoke/> });
                    view! { <NewSecret created/> {page} }
                }})}
            </Suspense>
        </div>
    }
}

#[component]
fn Tokens(
    view: TokensView,
    create: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let TokensView { tokens, reaches, today, latest_end } = view;
    let revoke_error = action_error(revoke.value());
    let error = action_error(create.value());
    let revoke_form = move |t: &crate::api::tokens::TokenRow| {
        let (id, label) = (t.id, revoke_label(t));
        view! {
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="danger" aria-label=label>"Revoke"</button>
            </ActionForm>
        }
    };
    view! {
        <section class="panel">
            <h2>"Your tokens"</h2>
            <FormAlert server_error=revoke_error/>
            <TokenTable tokens revoke=revoke_form/>
        </section>
        <section class="panel narrow-left">
            <h2>"Create a token"</h2>
            <ActionForm action=create attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <TokenFields
                    reaches
                    today
                    latest_end
                    name_hint="What it is for, such as \u{201c}training on my laptop\u{201d} or \u{201c}CI\u{201d}."
                    reach_hint="Where it may act. Elsewhere it finds nothing, whatever your roles there."
                    server_error=error
                />
                <SubmitButton label="Create token" busy_label="Creating…" pending=create.pending()/>
            </ActionForm>
        </section>
    }
}
