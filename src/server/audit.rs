//! Who is acting, for the activity log: the signed-in person and the address the request came
//! from (the TCP peer; a reverse proxy's address when there is one).

use axum::extract::ConnectInfo;
use std::net::SocketAddr;

use super::db::audit::Actor;
use super::db::users::UserRecord;

pub async fn actor(user: &UserRecord) -> Actor {
    let client_address = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_default();
    Actor { user_id: Some(user.id), name: user.display_name.clone(), client_address }
}
