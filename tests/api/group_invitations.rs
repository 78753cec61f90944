//! Invitations into a group (issue 17): whoever may put people in a group invites addresses into
//! it; a member of the organization is put in at once, anyone else accepts a link and joins the
//! group (and through it the organization), holding the group's roles and none of their own.
//! Deleting the group withdraws what is pending, and its links say so.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, client, TestApp};
use crate::membership::{add_member, confirmed_by_admin};

const ORG: (&str, &str) = ("organization", "contoso");
const ORG_SCOPE: &str = "/organizations/contoso";
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const TEAM: (&str, &str) = ("group", "Data scientists");

/// Ada's organization with the group "Data scientists", which holds AzureML Data Scientist at
/// the workspace.
async fn app_with_team() -> (TestApp, Client) {
    let (app, ada) = app_with_workspace().await;
    app.json(&ada, "groups/create", &[ORG, ("name", "Data scientists")], StatusCode::OK).await;
    let grant = [("scope", WS_SCOPE), TEAM, ("role", "AzureML Data Scientist")];
    app.json(&ada, "access/grant_group", &grant, StatusCode::OK).await;
    (app, ada)
}

async fn invite(app: &TestApp, caller: &Client, emails: &str) -> Value {
    let form = [ORG, TEAM, ("emails", emails), ("note", "Welcome to the team")];
    app.json(caller, "groups/invite", &form, StatusCode::OK).await
}

/// The team as the Groups page lists it.
async fn team(app: &TestApp, caller: &Client) -> Value {
    let listed = app.json(caller, "groups/list", &[ORG], StatusCode::OK).await;
    listed["groups"].as_array().unwrap().iter().find(|g| g["name"] == TEAM.1).unwrap().clone()
}

/// The id of the pending invitation to `email` into the team.
async fn invited_id(app: &TestApp, caller: &Client, email: &str) -> String {
    let group = team(app, caller).await;
    let found = group["invited"].as_array().unwrap().iter().find(|i| i["email"] == email);
    found.unwrap_or_else(|| panic!("{email} is invited: {group}"))["id"].to_string()
}

/// The token of that invitation's link, copied by `caller`.
async fn token_for(app: &TestApp, caller: &Client, email: &str) -> String {
    let id = invited_id(app, caller, email).await;
    let form = [("scope", ORG_SCOPE), ("invitation", id.as_str())];
    let link = app.json(caller, "invitations/link", &form, StatusCode::OK).await;
    link.as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn landing(app: &TestApp, token: &str) -> Value {
    app.json(&client(), "invitations/landing", &[("token", token)], StatusCode::OK).await
}

async fn member_emails(app: &TestApp, caller: &Client) -> Vec<String> {
    let group = team(app, caller).await;
    let members = group["members"].as_array().unwrap().iter();
    members.map(|m| m["email"].as_str().unwrap().to_owned()).collect()
}

/// Someone in the organization (Reader of another workspace), address confirmed.
async fn member_elsewhere(app: &TestApp, owner: &Client, name: &str, email: &str) -> Client {
    app.create_workspace(owner, "contoso/vision", "", "other").await;
    let person = app.signed_in(name, email).await;
    let other = "/organizations/contoso/resourceGroups/vision/workspaces/other";
    add_member(app, owner, &person, other, "Reader").await;
    confirmed_by_admin(app, owner, &person).await;
    person
}

#[tokio::test]
async fn an_invitee_who_accepts_joins_the_group_and_holds_its_role_through_it_alone() {
    let (app, ada) = app_with_team().await;
    let answer = invite(&app, &ada, "Bob@Example.com").await;
    assert_eq!(answer, json!([{ "email": "bob@example.com", "outcome": "Invited" }]));

    // The email, the lists and the link name the group, not a role.
    let pool = app.pool().await;
    let subject: String =
        sqlx::query_scalar("SELECT subject FROM outbox WHERE invitation_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject, "Ada invited you to join the group Data scientists in contoso on Atelier");
    let listed = &team(&app, &ada).await["invited"][0];
    assert_eq!((&listed["email"], &listed["group"]), (&json!("bob@example.com"), &json!(TEAM.1)));
    let access = app.json(&ada, "access/get", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let pending = &access["invitations"][0];
    assert_eq!((&pending["group"], &pending["role"]), (&json!(TEAM.1), &Value::Null));
    let token = token_for(&app, &ada, "bob@example.com").await;
    let offer = &landing(&app, &token).await["Pending"];
    assert_eq!(offer["group"], TEAM.1);
    assert_eq!(offer["role"], Value::Null);
    assert_eq!(offer["place"], "contoso");
    assert_eq!(offer["note"], "Welcome to the team");

    let bob = app.signed_in("Bob", "bob@example.com").await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    let accepted = app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(landing(&app, &token).await, "Accepted");

    // He is in the group, and the group's role is his: the decision goes through the group.
    assert_eq!(member_emails(&app, &ada).await, ["bob@example.com"]);
    app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    let check = [("scope", WS_SCOPE), ("email", "bob@example.com")];
    let explained = app.json(&ada, "access/check", &check, StatusCode::OK).await;
    assert!(explained.to_string().contains("via Data scientists"), "{explained}");
    let bob_id = app.current_user(&bob).await["id"].as_i64().unwrap();
    let own: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM role_assignments WHERE user_id = $1")
        .bind(bob_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(own, 0, "no role assignment of his own");
    assert!(team(&app, &ada).await["invited"].as_array().unwrap().is_empty());

    // The activity log has the invitation and the new member as changes to the group.
    let log = app.json(&ada, "access/activity", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let about_team: Vec<String> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == "group Data scientists")
        .map(|e| e["details"].as_str().unwrap().to_owned())
        .collect();
    assert!(about_team.iter().any(|d| d.contains("\"invite\"")), "{about_team:?}");
    assert!(about_team.iter().any(|d| d.contains("\"add member\"")), "{about_team:?}");
}

#[tokio::test]
async fn a_member_of_the_organization_is_added_at_once_and_the_answer_says_which() {
    let (app, ada) = app_with_team().await;
    member_elsewhere(&app, &ada, "Carol", "carol@example.com").await;
    let answer = invite(&app, &ada, "dave@example.com carol@example.com not-an-address").await;
    let outcomes: Vec<(&str, &Value)> = answer
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["email"].as_str().unwrap(), &r["outcome"]))
        .collect();
    assert_eq!(outcomes[0], ("dave@example.com", &json!("Invited")));
    assert_eq!(outcomes[1], ("carol@example.com", &json!("Added")));
    assert_eq!(outcomes[2].0, "not-an-address");
    assert!(outcomes[2].1["Invalid"].is_string(), "{answer}");
    assert_eq!(member_emails(&app, &ada).await, ["carol@example.com"]);

    let again = invite(&app, &ada, "dave@example.com, carol@example.com").await;
    assert_eq!(
        again,
        json!([
            { "email": "dave@example.com", "outcome": "AlreadyInvited" },
            { "email": "carol@example.com", "outcome": "AlreadyInGroup" },
        ])
    );
    // A role invitation to the same address at the organization is another invitation.
    let role_invite = [
        ("scope", ORG_SCOPE),
        ("emails", "dave@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ""),
    ];
    let invited = app.json(&ada, "invitations/create", &role_invite, StatusCode::OK).await;
    assert_eq!(invited[0]["outcome"], "Invited");
}

#[tokio::test]
async fn only_those_who_may_change_the_group_invite_into_it_its_managers_included() {
    let (app, ada) = app_with_team().await;
    let form = [ORG, TEAM, ("emails", "eve@example.com")];
    // Mallory has her own organization: contoso's group does not exist for her.
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "mallory-inc", "stuff", "things").await;
    assert_eq!(app.call(&mallory, "groups/invite", &form).await.status(), StatusCode::NOT_FOUND);
    // Rita reads the organization: she sees the group but may not fill it.
    let rita = app.signed_in("Rita", "rita@example.com").await;
    add_member(&app, &ada, &rita, ORG_SCOPE, "Reader").await;
    confirmed_by_admin(&app, &ada, &rita).await;
    assert_eq!(app.call(&rita, "groups/invite", &form).await.status(), StatusCode::FORBIDDEN);
    let unknown = [ORG, ("group", "Nobody"), ("emails", "eve@example.com")];
    assert_eq!(app.call(&ada, "groups/invite", &unknown).await.status(), StatusCode::NOT_FOUND);
    let refused = app.call(&ada, "groups/invite", &[ORG, TEAM, ("emails", "")]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["field"], "emails", "{refused}");

    // Made a manager of the group, Rita invites into it, copies the link and revokes it.
    let manager = [ORG, TEAM, ("email", "rita@example.com"), ("manager", "on")];
    app.json(&ada, "groups/add_member", &manager, StatusCode::OK).await;
    assert_eq!(invite(&app, &rita, "eve@example.com").await[0]["outcome"], "Invited");
    let token = token_for(&app, &rita, "eve@example.com").await;
    let id = invited_id(&app, &rita, "eve@example.com").await;
    let revoke = [("scope", ORG_SCOPE), ("invitation", id.as_str())];
    app.json(&rita, "invitations/revoke", &revoke, StatusCode::OK).await;
    assert_eq!(landing(&app, &token).await, "Revoked");
    // A manager manages the group's invitations, not the organization's role invitations.
    let role_invite = [
        ("scope", ORG_SCOPE),
        ("emails", "zed@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ""),
    ];
    app.json(&ada, "invitations/create", &role_invite, StatusCode::OK).await;
    let access = app.json(&ada, "access/get", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let zed =
        access["invitations"].as_array().unwrap().iter().find(|i| i["email"] == "zed@example.com");
    let zed = zed.unwrap()["id"].to_string();
    let revoke = [("scope", ORG_SCOPE), ("invitation", zed.as_str())];
    assert_eq!(
        app.call(&rita, "invitations/revoke", &revoke).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn deleting_the_group_withdraws_its_invitations_and_their_links_say_so() {
    let (app, ada) = app_with_team().await;
    invite(&app, &ada, "bob@example.com").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    // Read as an accepting request would read it, before the group goes.
    let stale = atelier::server::db::invitations::by_token_hash(
        &app.state.pool,
        &atelier::server::secrets::token_hash(&token),
    )
    .await
    .unwrap()
    .unwrap();
    let delete = [ORG, TEAM, ("confirm_name", TEAM.1), ("remove_access", "on")];
    app.json(&ada, "groups/delete", &delete, StatusCode::OK).await;

    assert_eq!(landing(&app, &token).await, json!({ "GroupDeleted": "Data scientists" }));
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let refused = app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let refused: Value = refused.json().await.unwrap();
    assert!(
        refused["message"].as_str().unwrap().contains("The group Data scientists was deleted"),
        "{refused}"
    );
    // Accepting what was read before the group went changes nothing and says why.
    let scope =
        atelier::server::db::scopes::by_ref(&app.state.pool, stale.organization_id, stale.scope)
            .await
            .unwrap()
            .unwrap();
    let bob_id = app.current_user(&bob).await["id"].as_i64().unwrap();
    let actor = atelier::server::db::audit::Actor::system("test");
    let now = app.clock.now();
    let accepted = atelier::server::db::invitations::accept(
        &app.state.pool,
        &stale,
        &scope,
        &actor,
        bob_id,
        now,
    )
    .await;
    assert!(
        matches!(accepted, Err(atelier::server::db::invitations::AcceptError::GroupGone)),
        "{accepted:?}"
    );
    let pool = app.pool().await;
    let (state, group): (String, Option<i64>) =
        sqlx::query_as("SELECT state, group_id FROM invitations").fetch_one(&pool).await.unwrap();
    assert_eq!((state.as_str(), group), ("revoked", None));
    let memberships: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_group_members")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(memberships, 0);
    let log = app.json(&ada, "access/activity", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    assert!(log.to_string().contains("group deleted"), "{log}");
}

#[tokio::test]
async fn a_group_invitation_follows_a_rename_is_resent_with_a_new_link_and_revoked() {
    let (app, ada) = app_with_team().await;
    invite(&app, &ada, "bob@example.com").await;
    let first = token_for(&app, &ada, "bob@example.com").await;
    let rename =
        [ORG, TEAM, ("name", "ML engineers"), ("description", "Train and register models")];
    app.json(&ada, "groups/update", &rename, StatusCode::OK).await;
    assert_eq!(landing(&app, &first).await["Pending"]["group"], "ML engineers");

    let listed = app.json(&ada, "access/get", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    let id = listed["invitations"][0]["id"].to_string();
    let which = [("scope", ORG_SCOPE), ("invitation", id.as_str())];
    app.json(&ada, "invitations/resend", &which, StatusCode::OK).await;
    assert_eq!(landing(&app, &first).await, "Unknown");
    let changed = [("scope", ORG_SCOPE), ("invitation", id.as_str()), ("role", "Reader")];
    let refused = app.call(&ada, "invitations/change_role", &changed).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    app.json(&ada, "invitations/revoke", &which, StatusCode::OK).await;
    let access = app.json(&ada, "access/get", &[("scope", ORG_SCOPE)], StatusCode::OK).await;
    assert!(access["invitations"].as_array().unwrap().is_empty(), "{access}");
}

#[tokio::test]
async fn a_confirmed_account_finds_its_group_invitation_in_its_inbox_and_accepts_it_there() {
    let (app, ada) = app_with_team().await;
    let frank = app.signed_in("Frank", "frank@example.com").await;
    confirmed_by_admin(&app, &ada, &frank).await;
    invite(&app, &ada, "frank@example.com").await;
    let inbox = app.json(&frank, "invitations/mine", &[], StatusCode::OK).await;
    let item = &inbox["items"][0];
    assert_eq!(
        (&item["group"], &item["role"], &item["place"]),
        (&json!(TEAM.1), &Value::Null, &json!("contoso"))
    );
    let id = item["id"].to_string();
    let answer = [("invitation", id.as_str()), ("answer", "accept")];
    app.json(&frank, "invitations/answer", &answer, StatusCode::OK).await;
    assert_eq!(member_emails(&app, &ada).await, ["frank@example.com"]);
    app.json(&frank, "workspaces/get", &WS, StatusCode::OK).await;
}

#[tokio::test]
async fn accepting_as_the_group_is_deleted_joins_before_or_is_told_the_group_went() {
    let (app, ada) = app_with_team().await;
    invite(&app, &ada, "bob@example.com").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let delete = [ORG, TEAM, ("confirm_name", TEAM.1), ("remove_access", "on")];
    let accept = [("token", token.as_str())];
    let (accepted, deleted) = tokio::join!(
        app.call(&bob, "invitations/accept", &accept),
        app.call(&ada, "groups/delete", &delete)
    );
    assert_eq!(deleted.status(), StatusCode::OK);
    let status = accepted.status();
    if status != StatusCode::OK {
        assert_eq!(status, StatusCode::NOT_FOUND);
        let refused: Value = accepted.json().await.unwrap();
        assert!(refused["message"].as_str().unwrap().contains("was deleted"), "{refused}");
    }
    // Either way the group and its memberships are gone.
    let pool = app.pool().await;
    let memberships: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_group_members")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(memberships, 0);
}
