//! How someone from outside an organization comes to hold a role in it: only people who already
//! belong to the organization are granted roles by email, so a newcomer is invited and accepts
//! through the link (as the inviter copies it when no mail server is configured). Roles are
//! given by email only to members whose address is confirmed: [`confirmed_by_admin`] stands for
//! a person who used the link Atelier mailed them.

use reqwest::{Client, StatusCode};

use crate::helpers::TestApp;

/// The token in the link of the pending invitation to `email` at `scope`.
pub async fn invitation_token(app: &TestApp, owner: &Client, scope: &str, email: &str) -> String {
    let view = app.json(owner, "access/get", &[("scope", scope)], StatusCode::OK).await;
    let id = view["invitations"]
        .as_array()
        .expect("the inviter may read invitations")
        .iter()
        .find(|i| i["email"] == email.to_lowercase())
        .unwrap_or_else(|| panic!("a pending invitation to {email} at {scope}: {view}"))["id"]
        .to_string();
    let link = app
        .json(owner, "invitations/link", &[("scope", scope), ("invitation", &id)], StatusCode::OK)
        .await;
    link.as_str().expect("a link").rsplit('/').next().expect("a token").to_owned()
}

/// Makes the person signed in on `member` hold `role` at `scope`: `owner` invites their
/// address, and they accept through the link.
pub async fn add_member(app: &TestApp, owner: &Client, member: &Client, scope: &str, role: &str) {
    add_member_until(app, owner, member, (scope, role), "").await;
}

/// [`add_member`], for access that ends on the date `access_ends` (none when empty).
pub async fn add_member_until(
    app: &TestApp,
    owner: &Client,
    member: &Client,
    (scope, role): (&str, &str),
    access_ends: &str,
) {
    let me = app.current_user(member).await;
    let email = me["email"].as_str().expect("a signed-in member").to_lowercase();
    let form = [
        ("scope", scope),
        ("emails", &email),
        ("role", role),
        ("note", ""),
        ("access_ends", access_ends),
    ];
    let results = app.json(owner, "invitations/create", &form, StatusCode::OK).await;
    assert_eq!(results[0]["outcome"], "Invited", "inviting {email}: {results}");
    let token = invitation_token(app, owner, scope, &email).await;
    let accepted = app.call(member, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(accepted.status(), StatusCode::OK, "{email} accepting {role} at {scope}");
}

/// Grants `role` at `scope` to `email` as `giver`, the way it now works: a member of the
/// organization is granted at once; anyone else is invited, and when the address has an
/// account (signed up with the test password) they accept through the link. Returns the
/// status of the grant itself.
pub async fn grant(
    app: &TestApp,
    giver: &Client,
    scope: &str,
    email: &str,
    role: &str,
) -> StatusCode {
    let form = [("scope", scope), ("email", email), ("role", role)];
    let response = app.call(giver, "access/grant", &form).await;
    let status = response.status();
    let outcome: serde_json::Value = response.json().await.unwrap_or_default();
    if status == StatusCode::OK && outcome == "Invited" {
        let invitee = crate::helpers::client();
        let signed_in = app.sign_in(&invitee, email, crate::helpers::PASSWORD).await;
        if signed_in.status() == StatusCode::OK {
            let token = invitation_token(app, giver, scope, email).await;
            let accepted = app.call(&invitee, "invitations/accept", &[("token", &token)]).await;
            assert_eq!(accepted.status(), StatusCode::OK, "{email} accepting {role} at {scope}");
        }
    }
    status
}

/// [`grant`], which must succeed.
pub async fn give(app: &TestApp, giver: &Client, scope: &str, email: &str, role: &str) {
    let status = grant(app, giver, scope, email, role).await;
    assert_eq!(status, StatusCode::OK, "giving {role} at {scope} to {email}");
}

/// The instance admin confirms `person`'s address (as on an instance without mail).
pub async fn confirmed_by_admin(app: &TestApp, admin: &Client, person: &Client) {
    let id = app.current_user(person).await["id"].to_string();
    app.json(admin, "instance/confirm_account", &[("user", &id)], StatusCode::OK).await;
}
