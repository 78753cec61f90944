use leptos::prelude::*;

use super::auth_state::AuthState;
use crate::api::auth::CurrentUser;

/// The signed-in person's name in the header, opening a menu. Built on `<details>` so it opens
/// by keyboard and works before the WASM has loaded.
#[component]
pub fn UserMenu(user: CurrentUser) -> impl IntoView {
    let auth = AuthState::get();
    let initials = initials(&user.display_name);
    let pending = user.pending_invitations;
    let badge = (pending > 0).then(|| {
        let label = format!("{pending} pending invitation{}", if pending == 1 { "" } else { "s" });
        view! { <span class="count-badge" title=label.clone() aria-label=label>{pending}</span> }
    });
    view! {
        <details class="user-menu">
            <summary>
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="user-name">{user.display_name.clone()}</span>
                {badge}
            </summary>
            <div class="menu" role="group" aria-label="Account menu">
                <p class="menu-identity">
                    <strong>{user.display_name}</strong>
                    <span class="muted">{user.email}</span>
                    {user.is_instance_admin.then(|| view! { <span class="badge">"Instance admin"</span> })}
                </p>
                <a class="menu-item" href="/invitations">
                    {if pending > 0 { format!("Invitations ({pending})") } else { "Invitations".to_owned() }}
                </a>
                <a class="menu-item" href="/account">"Account"</a>
                <a class="menu-item" href="/tokens">"Access tokens"</a>
                <a class="menu-item" href="/account/sessions">"Sessions"</a>
                {user.is_instance_admin.then(|| view! { <a class="menu-item" href="/admin">"Instance settings"</a> })}
                {user.is_instance_admin.then(|| view! { <a class="menu-item" href="/admin/outbox">"Outbox"</a> })}
                <ActionForm action=auth.sign_out>
                    <button type="submit" class="menu-item">"Sign out"</button>
                </ActionForm>
            </div>
        </details>
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials("Grace Brewster Hopper"), "GB");
        assert_eq!(initials("ada"), "A");
        assert_eq!(initials("Émile zola"), "ÉZ");
    }
}
