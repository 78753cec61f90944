//! Every operation of the OpenAPI document, called as each kind of caller: nobody, an invalid
//! token, a stranger, a member of a group that was removed, a reader, a service principal
//! reading the organization, the owner's read-only token and the owner. The table below must
//! name exactly the document's operations, so a new route cannot go untested.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::call;
use crate::helpers::{app_with_workspace, seed_003_role, TestApp};
use crate::membership::{add_member, confirmed_by_admin};
use crate::tracking_support::{principal_token, script, service_principal, token};

const ORG: &str = "/organizations/contoso";
const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

/// What an operation touches: tenant data (hidden from strangers), or the caller's own
/// (their tokens, the lists of what they belong to).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reach {
    Tenant,
    Own,
}

struct Operation {
    method: &'static str,
    /// As the document writes it.
    template: &'static str,
    path: String,
    body: Value,
    reach: Reach,
}

impl Operation {
    fn reads(&self) -> bool {
        self.method == "get"
    }
}

struct Fixture {
    app: TestApp,
    owner: String,
    owner_read_only: String,
    reader: String,
    principal: String,
    stranger: String,
    group_removed: String,
    carol_assignment: i64,
    invitations: (i64, i64),
    spare_token: i64,
    spare_principal_token: i64,
}

fn scoped(path: &str, scope: &str) -> String {
    format!("{path}?scope={scope}")
}

fn operations(fx: &Fixture) -> Vec<Operation> {
    let op = |method, template: &'static str, path: String, body: Value, reach| Operation {
        method,
        template,
        path,
        body,
        reach,
    };
    use Reach::{Own, Tenant};
    let mut new_role: Value = serde_json::from_str(&seed_003_role("vision", "detector")).unwrap();
    new_role["Name"] = json!("New role");
    let mut replaced = new_role.clone();
    replaced["Name"] = json!("Spare");
    let (revoked, resent) = fx.invitations;
    vec![
        op("get", "/api/v1/organizations", "/organizations".into(), Value::Null, Own),
        op("get", "/api/v1/organizations/{organization}", ORG.into(), Value::Null, Tenant),
        op("get", "/api/v1/organizations/{organization}/resourceGroups", format!("{ORG}/resourceGroups"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/resourceGroups", format!("{ORG}/resourceGroups"), json!({"name": "new-rg"}), Tenant),
        op("delete", "/api/v1/organizations/{organization}/resourceGroups/{resource_group}", format!("{ORG}/resourceGroups/empty"), Value::Null, Tenant),
        op("get", "/api/v1/workspaces", "/workspaces".into(), Value::Null, Own),
        op("post", "/api/v1/organizations/{organization}/resourceGroups/{resource_group}/workspaces", format!("{ORG}/resourceGroups/vision/workspaces"), json!({"name": "new-ws"}), Tenant),
        op("get", "/api/v1/organizations/{organization}/resourceGroups/{resource_group}/workspaces/{workspace}", WS.into(), Value::Null, Tenant),
        op("delete", "/api/v1/organizations/{organization}/resourceGroups/{resource_group}/workspaces/{workspace}", format!("{ORG}/resourceGroups/vision/workspaces/spare-ws"), Value::Null, Tenant),
        op("post", "/api/v1/roleDefinitions", "/roleDefinitions".into(), new_role, Tenant),
        op("get", "/api/v1/organizations/{organization}/roleDefinitions", format!("{ORG}/roleDefinitions"), Value::Null, Tenant),
        op("get", "/api/v1/organizations/{organization}/roleDefinitions/{name}", format!("{ORG}/roleDefinitions/Spare"), Value::Null, Tenant),
        op("put", "/api/v1/organizations/{organization}/roleDefinitions/{name}", format!("{ORG}/roleDefinitions/Spare"), replaced, Tenant),
        op("delete", "/api/v1/organizations/{organization}/roleDefinitions/{name}", format!("{ORG}/roleDefinitions/Spare%20too"), Value::Null, Tenant),
        op("get", "/api/v1/roleAssignments", scoped("/roleAssignments", WS), Value::Null, Tenant),
        op("post", "/api/v1/roleAssignments", "/roleAssignments".into(), json!({"scope": WS, "role": "Reader", "user": "rita@example.com"}), Tenant),
        op("delete", "/api/v1/roleAssignments/{id}", scoped(&format!("/roleAssignments/{}", fx.carol_assignment), WS), Value::Null, Tenant),
        op("get", "/api/v1/organizations/{organization}/groups", format!("{ORG}/groups"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/groups", format!("{ORG}/groups"), json!({"name": "New group"}), Tenant),
        op("get", "/api/v1/organizations/{organization}/groups/{group}", format!("{ORG}/groups/Team"), Value::Null, Tenant),
        op("delete", "/api/v1/organizations/{organization}/groups/{group}", format!("{ORG}/groups/Spare%20group"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/groups/{group}/members", format!("{ORG}/groups/Team/members"), json!({"email": "ci-bot@contoso.service-principals.invalid"}), Tenant),
        op("delete", "/api/v1/organizations/{organization}/groups/{group}/members/{email}", format!("{ORG}/groups/Team/members/rita@example.com"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/groups/{group}/invitations", format!("{ORG}/groups/Team/invitations"), json!({"emails": ["newcomer@example.com"]}), Tenant),
        op("get", "/api/v1/invitations", scoped("/invitations", WS), Value::Null, Tenant),
        op("post", "/api/v1/invitations", "/invitations".into(), json!({"scope": WS, "role": "Reader", "emails": ["new@example.com"]}), Tenant),
        op("delete", "/api/v1/invitations/{id}", scoped(&format!("/invitations/{revoked}"), WS), Value::Null, Tenant),
        op("post", "/api/v1/invitations/{id}/resend", scoped(&format!("/invitations/{resent}/resend"), WS), Value::Null, Tenant),
        op("get", "/api/v1/organizations/{organization}/servicePrincipals", format!("{ORG}/servicePrincipals"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/servicePrincipals", format!("{ORG}/servicePrincipals"), json!({"name": "new-bot"}), Tenant),
        op("delete", "/api/v1/organizations/{organization}/servicePrincipals/{name}", format!("{ORG}/servicePrincipals/spare-bot"), Value::Null, Tenant),
        op("get", "/api/v1/organizations/{organization}/servicePrincipals/{name}/tokens", format!("{ORG}/servicePrincipals/ci-bot/tokens"), Value::Null, Tenant),
        op("post", "/api/v1/organizations/{organization}/servicePrincipals/{name}/tokens", format!("{ORG}/servicePrincipals/ci-bot/tokens"), json!({"name": "more"}), Tenant),
        op("delete", "/api/v1/organizations/{organization}/servicePrincipals/{name}/tokens/{id}", format!("{ORG}/servicePrincipals/ci-bot/tokens/{}", fx.spare_principal_token), Value::Null, Tenant),
        op("get", "/api/v1/tokens", "/tokens".into(), Value::Null, Own),
        op("post", "/api/v1/tokens", "/tokens".into(), json!({"name": "more", "read_only": true}), Own),
        op("delete", "/api/v1/tokens/{id}", format!("/tokens/{}", fx.spare_token), Value::Null, Own),
    ]
}

/// Ada owns contoso (workspaces detector and spare-ws, resource group empty, custom roles
/// Spare and "Spare too", groups Team (Rita) and Spare group, two invitations, Carol's Reader
/// at detector, service principals ci-bot with two tokens and spare-bot). Rita reads the organization; service principal ci-bot reads it too;
/// Mallory has her own organization; Gus read it only through a group since deleted with its
/// access.
async fn fixture() -> Fixture {
    let (app, ada) = app_with_workspace().await;
    let owner = token(&app, &ada, "owner", "everything", false).await;
    let call_ok = |method: Method, path: String, body: Value| {
        let (app, owner) = (&app, owner.clone());
        async move {
            let (status, answer) = call(app, &owner, method, &path, body).await;
            assert!(status.is_success(), "{path}: {status} {answer}");
            answer
        }
    };
    call_ok(Method::POST, format!("{ORG}/resourceGroups"), json!({"name": "empty"})).await;
    let spare_ws = json!({"name": "spare-ws"});
    call_ok(Method::POST, format!("{ORG}/resourceGroups/vision/workspaces"), spare_ws).await;
    for name in ["Spare", "Spare too"] {
        let mut role: Value = serde_json::from_str(&seed_003_role("vision", "detector")).unwrap();
        role["Name"] = json!(name);
        call_ok(Method::POST, "/roleDefinitions".into(), role).await;
    }
    let rita = app.signed_in("Rita", "rita@example.com").await;
    add_member(&app, &ada, &rita, ORG, "Reader").await;
    confirmed_by_admin(&app, &ada, &rita).await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    add_member(&app, &ada, &carol, WS, "Reader").await;
    confirmed_by_admin(&app, &ada, &carol).await;
    for name in ["Team", "Spare group"] {
        call_ok(Method::POST, format!("{ORG}/groups"), json!({ "name": name })).await;
    }
    let rita_in = json!({"email": "rita@example.com"});
    call_ok(Method::POST, format!("{ORG}/groups/Team/members"), rita_in).await;
    let emails =
        json!({"scope": WS, "role": "Reader", "emails": ["zed@example.com", "zoe@example.com"]});
    call_ok(Method::POST, "/invitations".into(), emails).await;
    let pending = call_ok(Method::GET, scoped("/invitations", WS), Value::Null).await;
    let ids: Vec<i64> =
        pending["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let assignments = call_ok(Method::GET, scoped("/roleAssignments", WS), Value::Null).await;
    let carol_assignment = assignments["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["principal"] == "carol@example.com")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    let reads = json!({"scope": ORG, "role": "Reader", "service_principal": "ci-bot"});
    call_ok(Method::POST, "/roleAssignments".into(), reads).await;
    let principal = principal_token(&app, &ada, ("contoso", "ci-bot"), ORG).await;
    service_principal(&app, &ada, "contoso", "spare-bot").await;
    let bot_tokens = format!("{ORG}/servicePrincipals/ci-bot/tokens");
    call_ok(Method::POST, bot_tokens.clone(), json!({"name": "spare"})).await;
    let listed = call_ok(Method::GET, bot_tokens, Value::Null).await;
    let spare_principal_token = listed["items"][0]["id"].as_i64().unwrap();

    // Gus reads the organization through a group only, until it is deleted with its access.
    let gus = app.signed_in("Gus", "gus@example.com").await;
    add_member(&app, &ada, &gus, OTHER_WS, "Reader").await;
    confirmed_by_admin(&app, &ada, &gus).await;
    call_ok(Method::POST, format!("{ORG}/groups"), json!({"name": "Old team"})).await;
    call_ok(
        Method::POST,
        format!("{ORG}/groups/Old%20team/members"),
        json!({"email": "gus@example.com"}),
    )
    .await;
    let team_reads = json!({"scope": ORG, "role": "Reader", "group": "Old team"});
    call_ok(Method::POST, "/roleAssignments".into(), team_reads).await;
    // His own way in goes: the group alone gives him the organization now.
    let spare = call_ok(Method::GET, scoped("/roleAssignments", OTHER_WS), Value::Null).await;
    let own = spare["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["principal"] == "gus@example.com")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    call_ok(Method::DELETE, scoped(&format!("/roleAssignments/{own}"), OTHER_WS), Value::Null)
        .await;
    let group_removed = token(&app, &gus, "gus", "everything", false).await;
    assert_eq!(call(&app, &group_removed, Method::GET, ORG, Value::Null).await.0, StatusCode::OK);
    call_ok(Method::DELETE, format!("{ORG}/groups/Old%20team?remove_access=true"), Value::Null)
        .await;

    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "mallory-inc", "stuff", "things").await;
    let stranger = token(&app, &mallory, "mallory", "everything", false).await;
    let reader = token(&app, &rita, "rita", "everything", false).await;
    let owner_read_only = token(&app, &ada, "owner reads", "everything", true).await;
    token(&app, &ada, "spare", "everything", false).await;
    let tokens = call_ok(Method::GET, "/tokens".into(), Value::Null).await;
    let spare_token = tokens["items"][0]["id"].as_i64().unwrap();
    Fixture {
        app,
        owner,
        owner_read_only,
        reader,
        principal,
        stranger,
        group_removed,
        carol_assignment,
        invitations: (ids[0], ids[1]),
        spare_token,
        spare_principal_token,
    }
}

/// Gus's way into the organization before the group (a member can be put in a group): Reader
/// of another workspace, removed once he is in the group.
const OTHER_WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/spare-ws";

#[tokio::test]
async fn every_api_operation_allows_refuses_or_hides_as_each_caller_should() {
    let fx = fixture().await;
    let response = script().get(fx.app.url("/api/v1/openapi.json")).send().await.unwrap();
    let document: Value = response.json().await.unwrap();
    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    let operations = operations(&fx);
    let tabled: BTreeSet<(String, String)> =
        operations.iter().map(|o| (o.template.to_owned(), o.method.to_owned())).collect();
    assert_eq!(tabled, documented, "the table names exactly the document's operations");

    let mut problems = Vec::new();
    let invalid = "atl_0000000000000000000000000000000000000000";
    for (index, operation) in operations.iter().enumerate() {
        let method = Method::from_bytes(operation.method.to_uppercase().as_bytes()).unwrap();
        let send = |secret: &str| {
            let (method, body) = (method.clone(), operation.body.clone());
            let app = &fx.app;
            let path = operation.path.clone();
            let secret = secret.to_owned();
            async move { call(app, &secret, method, &path, body).await }
        };
        let mut expect = |who: &str, (got, body): (StatusCode, Value), wanted: &[StatusCode]| {
            if !wanted.contains(&got) {
                let (method, path) = (operation.method, &operation.path);
                problems.push(format!("{method} {path} as {who}: {got} {body}, not {wanted:?}"));
            }
        };
        let nobody = script()
            .request(method.clone(), fx.app.url(&format!("/api/v1{}", operation.path)))
            .send()
            .await
            .unwrap()
            .status();
        expect("nobody", (nobody, Value::Null), &[StatusCode::UNAUTHORIZED]);
        // Invalid tokens from one address are throttled after 20 (then every call from it
        // waits): the extractor refusing them is the same for every route, so a few suffice.
        if index < 12 {
            expect("an invalid token", send(invalid).await, &[StatusCode::UNAUTHORIZED]);
        }
        for (who, secret) in
            [("a stranger", &fx.stranger), ("a member of a removed group", &fx.group_removed)]
        {
            let answer = send(secret).await;
            match operation.reach {
                Reach::Tenant => expect(who, answer, &[StatusCode::NOT_FOUND]),
                // Their own lists hold nothing of contoso's.
                Reach::Own if operation.reads() => {
                    // Their own lists hold nothing of contoso's.
                    let leaks = answer.1.to_string().contains("contoso");
                    let status = if leaks { StatusCode::IM_A_TEAPOT } else { answer.0 };
                    expect(who, (status, answer.1), &[StatusCode::OK]);
                }
                Reach::Own => {}
            }
        }
        let write_refused = [StatusCode::FORBIDDEN];
        for (who, secret) in
            [("a reader", &fx.reader), ("a reading service principal", &fx.principal)]
        {
            if operation.reach == Reach::Tenant {
                let answer = send(secret).await;
                if operation.reads() {
                    expect(who, answer, &[StatusCode::OK]);
                } else {
                    expect(who, answer, &write_refused);
                }
            }
        }
        if operation.reach == Reach::Tenant && !operation.reads() {
            let answer = send(&fx.owner_read_only).await;
            let says = answer.1["message"].as_str().unwrap_or_default().contains("read-only");
            let status = if says { answer.0 } else { StatusCode::IM_A_TEAPOT };
            expect("a read-only token", (status, answer.1), &[StatusCode::FORBIDDEN]);
        }
    }
    // The owner, last (the calls above changed nothing): each operation succeeds.
    for operation in &operations {
        let method = Method::from_bytes(operation.method.to_uppercase().as_bytes()).unwrap();
        let (status, body) =
            call(&fx.app, &fx.owner, method, &operation.path, operation.body.clone()).await;
        if !status.is_success() {
            problems.push(format!(
                "{} {} as the owner: {status} {body}",
                operation.method, operation.path
            ));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
