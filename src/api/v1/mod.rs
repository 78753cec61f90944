//! The management API under `/api/v1`: what an administrator does in the studio, for scripts
//! and the `atl` command line. Each route calls the same operation as the studio's server
//! function (through [`Caller`](crate::server::authz::Caller)), so the choke point, the
//! validation messages and the activity log are the studio's. The OpenAPI document is made by
//! `utoipa` from the handlers and types registered here, the same registrations that build the
//! router, so the two cannot disagree.

mod assignments;
mod body;
mod caller;
mod error;
mod groups;
mod invitations;
mod organizations;
mod page;
mod reference;
mod roles;
mod service_principals;
mod tokens;
mod workspaces;

pub use error::{code_of, ErrorBody};
pub use page::Page;

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::server::state::AppState;

pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Atelier management API",
        version = "1",
        description = "Organizations, resource groups, workspaces, roles, role assignments, groups, \
            invitations, service principals and access tokens. Authenticate with an access token \
            (`Authorization: Bearer atl_…`) or a signed-in studio session. Errors are \
            `{code, message, field}`; lists are pages with a `next_cursor`."
    ),
    modifiers(&Security),
    security(("token" = [])),
    tags(
        (name = "Organizations", description = "Organizations (Azure's subscriptions) and their resource groups."),
        (name = "Workspaces", description = "Workspaces: seed 001's name, display name, description, environment and tags."),
        (name = "Role definitions", description = "Built-in and custom roles, in seed 003's JSON."),
        (name = "Role assignments", description = "Who holds which role where: people, groups and service principals."),
        (name = "Groups", description = "Teams of people and service principals, given roles together."),
        (name = "Invitations", description = "Roles offered to addresses that are not members yet."),
        (name = "Service principals", description = "Accounts for pipelines and CI, with tokens of their own."),
        (name = "Access tokens", description = "Your tokens, for scripts, pipelines and atl."),
    ),
)]
struct Overview;

struct Security;

impl Modify for Security {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("An access token (atl_…) from the Access tokens page."))
            .build();
        components.add_security_scheme("token", SecurityScheme::Http(bearer));
    }
}

/// The routes and the document they make.
pub fn router_and_document() -> (axum::Router<AppState>, Document) {
    let api = OpenApiRouter::new()
        .merge(workspaces::routes())
        .merge(roles::routes())
        .merge(assignments::routes())
        .merge(groups::routes())
        .merge(organizations::routes())
        .merge(tokens::routes())
        .merge(invitations::routes())
        .merge(service_principals::routes());
    let (router, mut document) =
        OpenApiRouter::with_openapi(Overview::openapi()).nest(BASE, api).split_for_parts();
    answered_by_every_route(&mut document);
    let served = std::sync::Arc::new(document.clone());
    let router = router
        .route(&format!("{BASE}/openapi.json"), axum::routing::get(move || openapi(served)))
        .route(&format!("{BASE}/reference"), axum::routing::get(reference::page))
        .route(&format!("{BASE}/{{*rest}}"), axum::routing::any(error::unknown_route));
    (router, document)
}

/// What any route may answer before its own work starts, added to each operation: refused
/// credentials (401) and, after many invalid tokens from one address, 429 with `Retry-After`.
fn answered_by_every_route(document: &mut Document) {
    use utoipa::openapi::{schema::Ref, ContentBuilder, RefOr, ResponseBuilder};
    let response = |description: &str| {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content("application/json", body)
                .build(),
        )
    };
    for item in document.paths.paths.values_mut() {
        let operations =
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            responses
                .entry("401".to_owned())
                .or_insert_with(|| response("No valid access token or signed-in session"));
            responses.entry("429".to_owned()).or_insert_with(|| {
                response("Too many invalid tokens from this address: wait Retry-After seconds")
            });
        }
    }
}

/// The OpenAPI 3.1 document of every route here.
async fn openapi(document: std::sync::Arc<Document>) -> Json<Document> {
    Json(document.as_ref().clone())
}
