//! Groups as principals (issue 17): an organization's groups made and filled through their
//! server functions, a role given to a group counting for everyone in it on every server
//! sharing the database, and ending for a member on their next request once they are taken out.

use reqwest::{Client, StatusCode};

use crate::access_cache::{assignment_id, OtherProcess};
use crate::helpers::{app_with_workspace, TestApp};
use crate::membership::{add_member, confirmed_by_admin};

const ORG: (&str, &str) = ("organization", "contoso");
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const PAGE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector/experiments";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

/// Someone in the organization (a Reader of another workspace), whose address is confirmed, with
/// no access to `detector`. (`owner` is the instance admin too: the first account.)
async fn member_elsewhere(app: &TestApp, owner: &Client, name: &str, email: &str) -> Client {
    let person = app.signed_in(name, email).await;
    let other = "/organizations/contoso/resourceGroups/vision/workspaces/other";
    add_member(app, owner, &person, other, "Reader").await;
    confirmed_by_admin(app, owner, &person).await;
    app.json(&person, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    person
}

async fn put_in(app: &TestApp, owner: &Client, group: &str, email: &str) {
    let form = [ORG, ("group", group), ("email", email)];
    app.json(owner, "groups/add_member", &form, StatusCode::OK).await;
}

#[tokio::test]
async fn a_groups_role_counts_for_its_members_and_ends_for_one_taken_out() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let bob = member_elsewhere(&app, &ada, "Bob", "bob@example.com").await;
    let carol = member_elsewhere(&app, &ada, "Carol", "carol@example.com").await;

    let create = [ORG, ("name", " Data  scientists "), ("description", "Train and register")];
    let name = app.json(&ada, "groups/create", &create, StatusCode::OK).await;
    assert_eq!(name, "Data scientists");
    put_in(&app, &ada, "data scientists", "bob@example.com").await;
    put_in(&app, &ada, "Data scientists", "carol@example.com").await;
    let grant =
        [("scope", WS_SCOPE), ("group", "Data scientists"), ("role", "AzureML Data Scientist")];
    app.json(&ada, "access/grant_group", &grant, StatusCode::OK).await;

    // Through the group, both may read and write here, on this server and on another one; the
    // workspace is among their own.
    let other = OtherProcess::start(&app).await;
    let experiment = |name: &'static str| {
        [WS[0], WS[1], WS[2], ("name", name), ("description", ""), ("tags", "")]
    };
    for (person, name) in [(&bob, "bobs"), (&carol, "carols")] {
        app.json(person, "workspaces/get", &WS, StatusCode::OK).await;
        assert_eq!(other.status(person, PAGE).await, StatusCode::OK);
        assert_eq!(
            other.call(person, "experiments/create", &experiment(name)).await,
            StatusCode::OK
        );
        let mine = app.json(person, "workspaces/mine", &[], StatusCode::OK).await;
        assert!(mine.to_string().contains("detector"), "{mine}");
    }
    let listed = app.json(&ada, "groups/list", &[ORG], StatusCode::OK).await;
    let group = &listed["groups"][0];
    assert_eq!(group["name"], "Data scientists");
    assert_eq!(group["assignments"], 1);
    let members: Vec<&str> =
        group["members"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(members, ["bob@example.com", "carol@example.com"]);

    // Bob is taken out: on his very next request, neither server lets him in; Carol stays.
    let remove = [ORG, ("group", "Data scientists"), ("email", "bob@example.com")];
    app.json(&ada, "groups/remove_member", &remove, StatusCode::OK).await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    assert_eq!(other.status(&bob, PAGE).await, StatusCode::NOT_FOUND);
    assert_eq!(other.call(&bob, "workspaces/get", &WS).await, StatusCode::NOT_FOUND);
    app.json(&carol, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(other.status(&carol, PAGE).await, StatusCode::OK);
    let again = app.json(&ada, "groups/remove_member", &remove, StatusCode::CONFLICT).await;
    assert_eq!(again["field"], "email");

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
async fn groups_refuse_bad_names_duplicates_and_people_outside_the_organization() {
    let (app, ada) = app_with_workspace().await;
    let stranger = app.signed_in("Sam", "sam@example.com").await;
    let create = |name: &'static str| [ORG, ("name", name), ("description", "")];
    app.json(&ada, "groups/create", &create("Administrators"), StatusCode::OK).await;

    let cases = [
        ("   ", StatusCode::BAD_REQUEST, "Give the group a name"),
        ("Admins\u{200b}", StatusCode::BAD_REQUEST, "U+200B"),
        ("administrators", StatusCode::CONFLICT, "already has a group of that name"),
    ];
    for (name, status, message) in cases {
        let refused = app.json(&ada, "groups/create", &create(name), status).await;
        assert_eq!(refused["field"], "name", "{refused}");
        assert!(refused["message"].as_str().unwrap().contains(message), "{refused}");
    }

    // Sam has an account but no place in the organization, and Una joined through an
    // invitation but never confirmed her address: neither can be put in a group (the same
    // answer as for an address nobody has), since a group's roles come with it.
    let una = app.signed_in("Una", "una@example.com").await;
    add_member(&app, &ada, &una, WS_SCOPE, "Reader").await;
    for email in ["sam@example.com", "una@example.com", "nobody@example.com"] {
        let form = [ORG, ("group", "Administrators"), ("email", email)];
        let refused = app.json(&ada, "groups/add_member", &form, StatusCode::CONFLICT).await;
        assert_eq!(refused["field"], "email", "{refused}");
        assert!(refused["message"].as_str().unwrap().contains("Invite"), "{refused}");
    }
    let bad = [ORG, ("group", "Administrators"), ("email", "not an address")];
    app.json(&ada, "groups/add_member", &bad, StatusCode::BAD_REQUEST).await;
    let missing = [ORG, ("group", "Nobody"), ("email", "ada@example.com")];
    app.json(&ada, "groups/add_member", &missing, StatusCode::NOT_FOUND).await;
    let unknown = [("scope", WS_SCOPE), ("group", "Nobody"), ("role", "Reader")];
    let refused = app.json(&ada, "access/grant_group", &unknown, StatusCode::BAD_REQUEST).await;
    assert_eq!(refused["field"], "group", "{refused}");

    // Someone outside the organization finds nothing of its groups.
    app.json(&stranger, "groups/list", &[ORG], StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn an_owner_group_keeps_a_workspace_owned_only_while_it_has_members() {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    let carol = member_elsewhere(&app, &ada, "Carol", "carol@example.com").await;
    app.json(&ada, "groups/create", &[ORG, ("name", "Administrators")], StatusCode::OK).await;
    let grant = [("scope", WS_SCOPE), ("group", "Administrators"), ("role", "Owner")];
    app.json(&ada, "access/grant_group", &grant, StatusCode::OK).await;

    // An Owner group with nobody in it owns nothing: Ada stays the last Owner here.
    let id = assignment_id(&app, &ada, "ada@example.com").await;
    let remove = [("scope", WS_SCOPE), ("assignment", id.as_str())];
    let refused = app.json(&ada, "access/remove", &remove, StatusCode::CONFLICT).await;
    assert!(refused.to_string().contains("last Owner"), "{refused}");

    // With Carol in it, the group owns the workspace, and Ada's own assignment may go.
    put_in(&app, &ada, "Administrators", "carol@example.com").await;
    app.json(&ada, "access/remove", &remove, StatusCode::OK).await;
    app.json(&carol, "workspaces/get", &WS, StatusCode::OK).await;
}

#[tokio::test]
async fn putting_someone_in_a_group_never_gives_more_than_the_caller_holds() {
    let (app, ada) = app_with_workspace().await;
    // Kim may manage groups and read everything, nothing more.
    let keeper = [
        ORG,
        ("original", ""),
        ("name", "Group keeper"),
        ("description", "Looks after the organization's groups"),
        ("actions", "Microsoft.Authorization/groups/*\n*/read"),
        ("not_actions", ""),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    app.json(&ada, "roles/save", &keeper, StatusCode::OK).await;
    let kim = app.signed_in("Kim", "kim@example.com").await;
    add_member(&app, &ada, &kim, "/organizations/contoso", "Group keeper").await;
    confirmed_by_admin(&app, &ada, &kim).await;
    for (group, role) in [("Administrators", "Owner"), ("Readers", "Reader")] {
        app.json(&ada, "groups/create", &[ORG, ("name", group)], StatusCode::OK).await;
        let grant = [("scope", WS_SCOPE), ("group", group), ("role", role)];
        app.json(&ada, "access/grant_group", &grant, StatusCode::OK).await;
    }

    // Joining the Owners' group would make Kim an Owner: refused, saying why.
    let join = |group| [ORG, ("group", group), ("email", "kim@example.com")];
    let refused =
        app.json(&kim, "groups/add_member", &join("Administrators"), StatusCode::FORBIDDEN).await;
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("role Owner at") && message.contains(WS_SCOPE), "{message}");
    app.json(&kim, "workspaces/get", &WS, StatusCode::OK).await;
    let create = [WS[0], WS[1], WS[2], ("name", "kims"), ("description", ""), ("tags", "")];
    app.json(&kim, "experiments/create", &create, StatusCode::FORBIDDEN).await;

    // Reading is all the Readers' group gives, and Kim reads already: allowed.
    app.json(&kim, "groups/add_member", &join("Readers"), StatusCode::OK).await;
}
