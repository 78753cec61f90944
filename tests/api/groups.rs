//! Groups as principals (issue 17): a role given to a group counts for everyone in it, on every
//! server sharing the database, and ends for a member on their next request once they are taken
//! out. The groups here are made through the database layer, with proofs from the authorization
//! choke point, as the groups API will.

use atelier::authz::Action;
use atelier::domain::{Email, ScopePath};
use atelier::server::authz;
use atelier::server::db::audit::Actor;
use atelier::server::db::groups;
use atelier::server::db::users::{self, UserRecord};
use reqwest::StatusCode;

use crate::access_cache::{assignment_id, OtherProcess};
use crate::helpers::{app_with_workspace, TestApp};

const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const PAGE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector/experiments";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let email = Email::parse(email).expect("an address");
    users::find_by_email(&app.state.pool, &email).await.expect("reading").expect("an account").id
}

/// Ada, the organization's Owner, as the authorization layer and the activity log know her.
async fn ada_as_actor(app: &TestApp) -> (UserRecord, Actor) {
    let id = user_id(app, "ada@example.com").await;
    let owner = users::find_by_id(&app.state.pool, id).await.expect("reading").expect("Ada");
    let actor =
        Actor { user_id: Some(owner.id), name: "Ada".into(), client_address: String::new() };
    (owner, actor)
}

#[tokio::test]
async fn a_groups_role_counts_for_its_members_and_ends_for_one_taken_out() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let pool = &app.state.pool;
    let (owner, actor) = ada_as_actor(&app).await;
    let (bob_id, carol_id) =
        (user_id(&app, "bob@example.com").await, user_id(&app, "carol@example.com").await);
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;

    let org =
        authz::organization(pool, &owner, "contoso", Action::GroupsWrite).await.expect("Owner");
    let group = groups::create(pool, &org, &actor, ("Data scientists", "Train and register"))
        .await
        .expect("a new group");
    assert!(matches!(
        groups::create(pool, &org, &actor, ("data Scientists", "")).await,
        Err(groups::GroupError::NameTaken)
    ));
    groups::add_member(pool, &org, &actor, (group, bob_id), false).await.expect("Bob joins");
    groups::add_member(pool, &org, &actor, (group, carol_id), false).await.expect("Carol joins");
    let scope = ScopePath::parse(WS_SCOPE).expect("a scope");
    let at = authz::scope(pool, &owner, &scope, Action::RoleAssignmentsWrite).await.expect("Owner");
    groups::grant(pool, &at, &actor, group, "AzureML Data Scientist").await.expect("granted");

    // Through the group, both may read and write here, on this server and on another one; the
    // workspace is among their own.
    let other = OtherProcess::start(&app).await;
    let create = |name: &'static str| {
        [WS[0], WS[1], WS[2], ("name", name), ("description", ""), ("tags", "")]
    };
    for (person, name) in [(&bob, "bobs"), (&carol, "carols")] {
        app.json(person, "workspaces/get", &WS, StatusCode::OK).await;
        assert_eq!(other.status(person, PAGE).await, StatusCode::OK);
        assert_eq!(other.call(person, "experiments/create", &create(name)).await, StatusCode::OK);
        let mine = app.json(person, "workspaces/mine", &[], StatusCode::OK).await;
        assert!(mine.to_string().contains("detector"), "{mine}");
    }

    // Bob is taken out: on his very next request, neither server lets him in; Carol stays.
    groups::remove_member(pool, &org, &actor, (group, bob_id)).await.expect("Bob leaves");
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    assert_eq!(other.status(&bob, PAGE).await, StatusCode::NOT_FOUND);
    assert_eq!(other.call(&bob, "workspaces/get", &WS).await, StatusCode::NOT_FOUND);
    app.json(&carol, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(other.status(&carol, PAGE).await, StatusCode::OK);
    assert!(matches!(
        groups::remove_member(pool, &org, &actor, (group, bob_id)).await,
        Err(groups::GroupError::NotMember)
    ));

    // Every change is in the organization's activity log.
    let log = app
        .json(&ada, "access/activity", &[("scope", "/organizations/contoso")], StatusCode::OK)
        .await
        .to_string();
    for what in [
        "groups/write",
        "Train and register",
        "add member",
        "remove member",
        "group Data scientists",
    ] {
        assert!(log.contains(what), "{what} in {log}");
    }
}

#[tokio::test]
async fn an_owner_group_keeps_a_workspace_owned_only_while_it_has_members() {
    let (app, ada) = app_with_workspace().await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let pool = &app.state.pool;
    let (owner, actor) = ada_as_actor(&app).await;
    let org =
        authz::organization(pool, &owner, "contoso", Action::GroupsWrite).await.expect("Owner");
    let group = groups::create(pool, &org, &actor, ("Administrators", "")).await.expect("a group");
    let scope = ScopePath::parse(WS_SCOPE).expect("a scope");
    let at = authz::scope(pool, &owner, &scope, Action::RoleAssignmentsWrite).await.expect("Owner");
    groups::grant(pool, &at, &actor, group, "Owner").await.expect("granted");

    // An Owner group with nobody in it owns nothing: Ada stays the last Owner here.
    let id = assignment_id(&app, &ada, "ada@example.com").await;
    let remove = [("scope", WS_SCOPE), ("assignment", id.as_str())];
    let refused = app.json(&ada, "access/remove", &remove, StatusCode::CONFLICT).await;
    assert!(refused.to_string().contains("last Owner"), "{refused}");

    // With Carol in it, the group owns the workspace, and Ada's own assignment may go.
    let carol_id = user_id(&app, "carol@example.com").await;
    groups::add_member(pool, &org, &actor, (group, carol_id), false).await.expect("Carol joins");
    app.json(&ada, "access/remove", &remove, StatusCode::OK).await;
    app.json(&carol, "workspaces/get", &WS, StatusCode::OK).await;
}
