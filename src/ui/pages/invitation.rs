//! `/invite/{token}`: the page an invitation link opens. Opening it changes nothing; the
//! Accept button (a POST) uses the token. Each end state has its own clear message.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::invitations::{
    fields, invitation_landing, AcceptInvitation, DeclineInvitation, Landing, Offer, Viewer,
};
use crate::ui::auth_state::AuthState;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert, SubmitButton};
use crate::ui::format::{date, date_time};
use crate::ui::invited_to::InvitedTo;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvitation>::new();
    let decline = ServerAction::<DeclineInvitation>::new();
    AuthState::get().refresh_after(accept.version());
    let landing =
        Resource::new(move || (token(), decline.version().get()), |(t, _)| invitation_landing(t));
    view! {
        <Title text="Invitation"/>
        <section class="panel narrow">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let token = token();
                    loaded(landing.await, |landing| view! { <LandingView landing token accept decline/> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn LandingView(
    landing: Landing,
    token: String,
    accept: ServerAction<AcceptInvitation>,
    decline: ServerAction<DeclineInvitation>,
) -> impl IntoView {
    let ended = |heading: &'static str, text: String| {
        view! {
            <h1>{heading}</h1>
            <p>{text}</p>
            <p><a class="button" href="/">"Go to your home page"</a></p>
        }
        .into_any()
    };
    match landing {
        Landing::Pending(offer) => view! { <OfferView offer token accept decline/> }.into_any(),
        Landing::Accepted => ended(
            "Invitation already accepted",
            "This invitation has been used. If it was you, the workspace is in your list.".into(),
        ),
        Landing::Declined => ended("Invitation declined", "This invitation was declined, so the link no longer works.".into()),
        Landing::Revoked => ended(
            "Invitation withdrawn",
            "The person who invited you (or an owner) withdrew this invitation. Ask them for a new one.".into(),
        ),
        Landing::GroupDeleted(group) => ended(
            "Invitation withdrawn",
            format!("The group {group} was deleted, so this invitation no longer works. Ask the person who invited you for a new one."),
        ),
        Landing::Expired => ended(
            "Invitation expired",
            "This invitation link has expired. Ask the person who invited you to send it again.".into(),
        ),
        Landing::Unknown => ended(
            "Invitation not found",
            "This link does not match any invitation. It may have been replaced by a newer one: use the latest email.".into(),
        ),
    }
}

#[component]
fn OfferView(
    offer: Offer,
    token: String,
    accept: ServerAction<AcceptInvitation>,
    decline: ServerAction<DeclineInvitation>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        action_error(accept.value()).get().or(action_error(decline.value()).get())
    });
    let note = (!offer.note.is_empty())
        .then(|| view! { <blockquote class="note">{offer.note.clone()}</blockquote> });
    let access_end = offer.access_expires_at.map(|at| {
        view! {
            <p class="muted">{format!("The role ends on {}.", date(at))}</p>
        }
    });
    let respond = match &offer.viewer {
        Viewer::Invitee => {
            let token2 = token.clone();
            view! {
            <FormAlert server_error=error/>
            <div class="actions">
                <ActionForm action=accept attr:class="inline-form">
                    <input type="hidden" name=fields::TOKEN value=token.clone()/>
                    <SubmitButton label="Accept invitation" busy_label="Accepting…" pending=accept.pending()/>
                </ActionForm>
                <ActionForm action=decline attr:class="inline-form">
                    <input type="hidden" name=fields::TOKEN value=token2/>
                    <button type="submit">"Decline"</button>
                </ActionForm>
            </div>
            }
            .into_any()
        }
        Viewer::Visitor => {
            let next = format!("/sign-in?next=/invite/{token}");
            let sign_up =
                format!("/sign-up?invitation={token}&email={}", query_value(&offer.email));
            let sign_up_text = if offer.open_sign_up {
                "New to Atelier? Create an account with this address."
            } else {
                "New here? This invitation lets you create an account with this address."
            };
            view! {
                <p>"To accept, sign in as " <strong>{offer.email.clone()}</strong> "."</p>
                <div class="actions">
                    <a class="button primary" href=next>"Sign in to accept"</a>
                    <a class="button" href=sign_up>"Create an account"</a>
                </div>
                <p class="muted small">{sign_up_text}</p>
            }
            .into_any()
        }
        Viewer::SomeoneElse { masked_invited } => {
            let auth = AuthState::get();
            view! {
                <p class="form-alert" role="alert">
                    {format!("This invitation is for {masked_invited}, not the account you are signed in with. Sign out, then open the link again and sign in with that address.")}
                </p>
                <ActionForm action=auth.sign_out attr:class="inline-form">
                    <button type="submit">"Sign out"</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <h1>"You are invited"</h1>
        <InvitedTo inviter=offer.inviter.clone() place=offer.place.clone() role=offer.role.clone() group=offer.group.clone()/>
        {note}
        {access_end}
        <p class="muted small">{format!("This link works once and expires {}.", date_time(offer.expires_at))}</p>
        {respond}
    }
}

/// Percent-encodes what would change meaning in a query value (an address may hold `+`, `&`).
fn query_value(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' | '~' | '@' => c.to_string(),
            other => {
                let mut buf = [0u8; 4];
                other.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_keep_plus_and_ampersand_literal() {
        assert_eq!(super::query_value("a+b&c@x.io"), "a%2Bb%26c@x.io");
    }
}
