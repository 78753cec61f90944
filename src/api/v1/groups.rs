//! An organization's groups (teams) and their members: list, create, show, delete, add and
//! remove members, invite people into a group. Roles are given to a group through
//! `/roleAssignments` with `group`.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::invitations::Invited;
use super::page::{paginate, Page, PageQuery};
use crate::api::groups as service;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::db::groups::GroupRecord;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(show_group, delete_group))
        .routes(routes!(add_member))
        .routes(routes!(invite_into_group))
        .routes(routes!(remove_member))
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Group {
    pub name: String,
    pub description: String,
    /// Role assignments the group holds, at any scope of the organization.
    pub role_assignments: i64,
    pub members: Vec<GroupMember>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupMember {
    /// The person's address, or the service principal's identity.
    pub email: String,
    pub display_name: String,
    pub service_principal: bool,
    /// May add and remove the group's members.
    pub manager: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    /// 1–64 characters; unique in the organization (ignoring letter case).
    #[schema(example = "Data scientists")]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    /// A member of the organization whose address is confirmed, or a service principal's
    /// identity. Groups hold no groups.
    pub email: String,
    #[serde(default)]
    pub manager: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInvitations {
    /// Up to 50 addresses.
    pub emails: Vec<String>,
    /// A few words for the email.
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Also remove the group's role assignments (needs `roleAssignments/write` and
    /// `roleAssignments/delete`); without it, a group holding roles is not deleted.
    #[serde(default)]
    pub remove_access: bool,
}

/// The organization's groups, by name.
#[utoipa::path(get, path = "/organizations/{organization}/groups", tag = "Groups",
    params(("organization" = String, Path, example = "contoso"), PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<Group>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_groups(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Group>>, ApiError> {
    let (_, listed) = service::groups_of(&caller, &organization).await?;
    let items = listed.into_iter().map(group).collect();
    Ok(Json(paginate(items, |g: &Group| g.name.to_lowercase(), &page)?))
}

/// Creates a group with no members.
#[utoipa::path(post, path = "/organizations/{organization}/groups", tag = "Groups",
    request_body = NewGroup, params(("organization" = String, Path, example = "contoso")),
    responses(
        (status = 201, description = "Created", body = Group),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_group(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Body(new): Body<NewGroup>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    let (_, name) = service::create(&caller, &organization, &new.name, &new.description).await?;
    Ok((StatusCode::CREATED, Json(find(&caller, &organization, &name).await?)))
}

/// One group with its members.
#[utoipa::path(get, path = "/organizations/{organization}/groups/{group}", tag = "Groups",
    params(("organization" = String, Path, example = "contoso"), ("group" = String, Path, example = "Data scientists")),
    responses(
        (status = 200, description = "The answer", body = Group),
        (status = 401, description = "No valid access token or signed-in session", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn show_group(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
) -> Result<Json<Group>, ApiError> {
    Ok(Json(find(&caller, &organization, &name).await?))
}

/// Deletes a group. While it holds roles it is refused, naming them, unless
/// `remove_access=true`.
#[utoipa::path(delete, path = "/organizations/{organization}/groups/{group}", tag = "Groups",
    params(("organization" = String, Path, example = "contoso"), ("group" = String, Path, example = "Data scientists"), DeleteQuery),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn delete_group(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Query(query): Query<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    service::delete(&caller, &organization, &name, query.remove_access).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts a member of the organization in the group: they hold its roles from their next
/// request. Needs `groups/write` (and every action the group's roles allow), or being one of
/// the group's managers.
#[utoipa::path(post, path = "/organizations/{organization}/groups/{group}/members",
    tag = "Groups", request_body = NewMember,
    params(("organization" = String, Path, example = "contoso"), ("group" = String, Path, example = "Data scientists")),
    responses(
        (status = 201, description = "Created", body = Group),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn add_member(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Body(new): Body<NewMember>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    service::add(&caller, &organization, &name, &new.email, new.manager).await?;
    Ok((StatusCode::CREATED, Json(find(&caller, &organization, &name).await?)))
}

/// Invites addresses into the group; one answer per address. A member of the organization
/// whose address is confirmed is put in the group at once (`added`); anyone else is sent an
/// invitation (`invited`) and joins the group, and so the organization, on accepting it. Needs
/// what adding members needs. The invitations are listed, resent and revoked through
/// `/invitations` at the organization.
#[utoipa::path(post, path = "/organizations/{organization}/groups/{group}/invitations",
    tag = "Groups", request_body = GroupInvitations,
    params(("organization" = String, Path, example = "contoso"), ("group" = String, Path, example = "Data scientists")),
    responses(
        (status = 201, description = "Created", body = Vec<Invited>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn invite_into_group(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Body(new): Body<GroupInvitations>,
) -> Result<(StatusCode, Json<Vec<Invited>>), ApiError> {
    let emails = new.emails.join("\n");
    let results = service::invite(&caller, &organization, &name, &emails, &new.note).await?;
    Ok((StatusCode::CREATED, Json(super::invitations::answers(results))))
}

/// Takes someone out of the group: its roles end for them on their next request.
#[utoipa::path(delete, path = "/organizations/{organization}/groups/{group}/members/{email}",
    tag = "Groups",
    params(("organization" = String, Path, example = "contoso"), ("group" = String, Path, example = "Data scientists"), ("email" = String, Path, example = "ada@example.com")),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn remove_member(
    ApiCaller(caller): ApiCaller,
    Path((organization, name, email)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    service::remove(&caller, &organization, &name, &email).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn find(caller: &Caller, organization: &str, name: &str) -> Result<Group, ApiError> {
    let (_, listed) = service::groups_of(caller, organization).await?;
    let found = listed.into_iter().find(|g| g.name.eq_ignore_ascii_case(name.trim()));
    Ok(group(found.ok_or_else(AppError::not_found)?))
}

fn group(record: GroupRecord) -> Group {
    Group {
        name: record.name,
        description: record.description,
        role_assignments: record.assignments,
        members: record
            .members
            .into_iter()
            .map(|m| GroupMember {
                email: m.email,
                display_name: m.display_name,
                service_principal: m.service_principal,
                manager: m.manager,
            })
            .collect(),
    }
}
