use leptos::prelude::*;

use crate::ui::auth_state::AuthState;

/// Shows its children (a sign-in or sign-up form) to visitors; a signed-in person is told so
/// instead of being offered a second account.
#[component]
pub fn SignedInGate(children: ChildrenFn) -> impl IntoView {
    let auth = AuthState::get();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => {
                        view! {
                            <p>
                                "You are signed in as " <strong>{user.display_name}</strong> ". "
                                <a href="/">"Go to your home page"</a>
                            </p>
                        }
                            .into_any()
                    }
                    _ => children.read_value()().into_any(),
                }
            })}
        </Transition>
    }
}
