//! The organizations you belong to (Azure's subscriptions) and their resource groups.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations))
        .routes(routes!(show_organization))
        .routes(routes!(list_resource_groups, create_resource_group))
        .routes(routes!(delete_resource_group))
}

/// An organization with what you hold there.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OrganizationDetails {
    #[serde(flatten)]
    pub organization: Organization,
    /// The roles you hold at the organization itself.
    pub your_roles: Vec<String>,
    /// The actions those roles allow here.
    pub permitted_actions: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ResourceGroup {
    /// `/organizations/{org}/resourceGroups/{name}`.
    pub id: String,
    pub organization: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResourceGroup {
    /// 1–90 letters, digits, `-`, `_`, `.` and parentheses; unique in the organization.
    #[schema(example = "my_resource_group")]
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Organization {
    /// `/organizations/{name}`.
    pub id: String,
    /// The short name in addresses.
    pub name: String,
    pub display_name: String,
}

/// The organizations you hold a role in (within your token's reach), by name.
#[utoipa::path(get, path = "/organizations", tag = "Organizations", params(PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<Organization>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
    ))]
async fn list_organizations(
    ApiCaller(caller): ApiCaller,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Organization>>, ApiError> {
    let orgs = crate::api::organizations::belonging(&caller).await?;
    let items = orgs
        .into_iter()
        .map(|o| Organization { id: o.path(), name: o.slug, display_name: o.name })
        .collect();
    Ok(Json(paginate(items, |o: &Organization| o.name.clone(), &page)?))
}

/// One organization, for whoever may read it.
#[utoipa::path(get, path = "/organizations/{organization}", tag = "Organizations",
    params(("organization" = String, Path, example = "contoso")),
    responses(
        (status = 200, description = "The answer", body = OrganizationDetails),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn show_organization(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
) -> Result<Json<OrganizationDetails>, ApiError> {
    let (org, _) = crate::api::organizations::resource_groups_of(&caller, &organization).await?;
    let target = org.target();
    Ok(Json(OrganizationDetails {
        organization: Organization {
            id: target.path(),
            name: target.slug.clone(),
            display_name: target.name.clone(),
        },
        your_roles: org.role_names(),
        permitted_actions: org.permitted_actions().iter().map(|a| a.as_str().to_owned()).collect(),
    }))
}

/// The organization's resource groups you may read, by name.
#[utoipa::path(get, path = "/organizations/{organization}/resourceGroups", tag = "Organizations",
    params(("organization" = String, Path, example = "contoso"), PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<ResourceGroup>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_resource_groups(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<ResourceGroup>>, ApiError> {
    let (_, groups) = crate::api::organizations::resource_groups_of(&caller, &organization).await?;
    let items = groups.iter().map(|g| resource_group(g.target())).collect();
    Ok(Json(paginate(items, |g: &ResourceGroup| g.name.to_lowercase(), &page)?))
}

/// Creates a resource group.
#[utoipa::path(post, path = "/organizations/{organization}/resourceGroups", tag = "Organizations",
    request_body = NewResourceGroup, params(("organization" = String, Path, example = "contoso")),
    responses(
        (status = 201, description = "Created", body = ResourceGroup),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_resource_group(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Body(new): Body<NewResourceGroup>,
) -> Result<(StatusCode, Json<ResourceGroup>), ApiError> {
    let group = crate::api::resource_groups::create(&caller, &organization, &new.name).await?;
    Ok((StatusCode::CREATED, Json(resource_group(&group))))
}

/// Deletes a resource group that holds no workspace.
#[utoipa::path(delete, path = "/organizations/{organization}/resourceGroups/{resource_group}",
    tag = "Organizations",
    params(("organization" = String, Path, example = "contoso"), ("resource_group" = String, Path, example = "vision")),
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn delete_resource_group(
    ApiCaller(caller): ApiCaller,
    Path((organization, group)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    crate::api::resource_groups::delete(&caller, &organization, &group).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn resource_group(group: &crate::server::db::scopes::ResourceGroupScope) -> ResourceGroup {
    ResourceGroup {
        id: group.path(),
        organization: group.organization.slug.clone(),
        name: group.name.clone(),
    }
}
