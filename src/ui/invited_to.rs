//! How an invitation's pages say what it offers, in the words of its email: "Ada invited you
//! to workspace detector in contoso › vision as Reader." or "Ada invited you to join the group
//! Data scientists in Contoso."

use leptos::prelude::*;

/// `place` is where a role is given, or the organization of the group offered; exactly one of
/// `role` and `group` is set.
#[component]
pub fn InvitedTo(
    inviter: String,
    place: String,
    role: Option<String>,
    group: Option<String>,
) -> impl IntoView {
    let what = match group {
        Some(group) => view! {
            "join the group " <strong>{group}</strong> " in " <strong>{place}</strong>
        }
        .into_any(),
        None => view! {
            <strong>{place}</strong> " as " <strong>{role.unwrap_or_default()}</strong>
        }
        .into_any(),
    };
    view! { <p><strong>{inviter}</strong> " invited you to " {what} "."</p> }
}
