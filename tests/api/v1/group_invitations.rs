//! Inviting into a group through `/api/v1`: one answer per address (a member added at once,
//! anyone else invited), the invitations listed at the organization with their group, refused
//! to readers, and accepted into the group with no role of one's own.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::access::organization_with;
use super::support::{delete, error, get, post};
use crate::membership::invitation_token;
use crate::tracking_support::token;

const ORG: &str = "/organizations/contoso";
const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const TEAM: &str = "/organizations/contoso/groups/Team";

fn outcomes(answers: &Value) -> Vec<(&str, &str)> {
    let answers = answers.as_array().unwrap().iter();
    answers.map(|a| (a["email"].as_str().unwrap(), a["outcome"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn addresses_are_added_or_invited_into_a_group_and_join_it_on_accepting() {
    let (app, ada, secret) = organization_with(&[("Bob", "bob@example.com")]).await;
    let groups = "/organizations/contoso/groups";
    assert_eq!(post(&app, &secret, groups, json!({"name": "Team"})).await.0, StatusCode::CREATED);
    let grant = json!({"scope": WS, "role": "Reader", "group": "Team"});
    assert_eq!(post(&app, &secret, "/roleAssignments", grant).await.0, StatusCode::CREATED);

    let invitations = format!("{TEAM}/invitations");
    let emails = json!({"emails": ["bob@example.com", "Cleo@Example.com", "nope"], "note": "Hi"});
    let (status, answers) = post(&app, &secret, &invitations, emails.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{answers}");
    assert_eq!(
        outcomes(&answers),
        [("bob@example.com", "added"), ("cleo@example.com", "invited"), ("nope", "invalid")]
    );
    assert!(answers[2]["reason"].is_string(), "{answers}");
    let (_, again) = post(&app, &secret, &invitations, emails).await;
    assert_eq!(
        outcomes(&again)[..2],
        [("bob@example.com", "already_member"), ("cleo@example.com", "already_invited")]
    );

    let (_, page) = get(&app, &secret, &format!("/invitations?scope={ORG}")).await;
    let listed = &page["items"][0];
    assert_eq!((&listed["email"], &listed["group"]), (&json!("cleo@example.com"), &json!("Team")));
    assert_eq!(listed["role"], Value::Null);

    // Bob is in the group, but reads only another workspace: the organization's groups are
    // not his to see (its readers are refused with 403: the matrix).
    let bob = crate::helpers::client();
    app.sign_in(&bob, "bob@example.com", crate::helpers::PASSWORD).await;
    let bobs = token(&app, &bob, "bob", "everything", false).await;
    let refused = post(&app, &bobs, &invitations, json!({"emails": ["dan@example.com"]})).await;
    error(&refused, StatusCode::NOT_FOUND, "not_found");
    let nowhere = format!("{ORG}/groups/Nobody/invitations");
    let unknown = post(&app, &secret, &nowhere, json!({"emails": ["dan@example.com"]})).await;
    error(&unknown, StatusCode::NOT_FOUND, "not_found");
    let extra = post(&app, &secret, &invitations, json!({"emails": [], "role": "Reader"})).await;
    assert_eq!(extra.0, StatusCode::BAD_REQUEST, "{}", extra.1);

    // Cleo accepts: the group's role reaches her through the group alone.
    let cleo = app.signed_in("Cleo", "cleo@example.com").await;
    let link = invitation_token(&app, &ada, ORG, "cleo@example.com").await;
    let accepted = app.call(&cleo, "invitations/accept", &[("token", &link)]).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let (_, assignments) = get(&app, &secret, &format!("/roleAssignments?scope={WS}")).await;
    let items = assignments["items"].as_array().unwrap();
    let team = items.iter().find(|a| a["principal"] == "Team").unwrap();
    assert!(team["held_by"].as_array().unwrap().contains(&json!("cleo@example.com")), "{team}");
    assert!(!items.iter().any(|a| a["principal"] == "cleo@example.com"), "{assignments}");

    // Another one is revoked at the organization, where the group's invitations are.
    post(&app, &secret, &invitations, json!({"emails": ["dan@example.com"]})).await;
    let (_, page) = get(&app, &secret, &format!("/invitations?scope={ORG}")).await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (status, _) = delete(&app, &secret, &format!("/invitations/{id}?scope={ORG}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = get(&app, &secret, &format!("/invitations?scope={ORG}")).await;
    assert_eq!(page["items"], json!([]));
}
