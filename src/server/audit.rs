//! Who is acting, for the activity log: the signed-in person and the address the request came
//! from (the TCP peer; a reverse proxy's address when there is one).

use axum::extract::ConnectInfo;
use std::net::SocketAddr;

use super::db::audit::Actor;
use super::db::users::UserRecord;

pub async fn actor(user: &UserRecord) -> Actor {
    let client_address = client_address().await;
    Actor { user_id: Some(user.id), name: user.display_name.clone(), client_address }
}

/// The address the current request came from, inside a server function.
pub async fn client_address() -> String {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_default()
}
