//! Role definitions in seed 003's JSON: list an organization's (built-in and custom), create
//! from the file as written there (the organization is the one its `AssignableScopes` name),
//! show (in Azure's `/subscriptions/…` form when asked, to take back to Azure), replace, delete.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::api::roles as service;
use crate::authz::role_json::parse_role_json;
use crate::authz::RoleDefinition;
use crate::domain::ScopePath;
use crate::error::AppError;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_role)).routes(routes!(list_roles)).routes(routes!(
        show_role,
        replace_role,
        delete_role
    ))
}

/// A role definition as seed 003 writes it. Creating also takes Azure's `roleName` /
/// `permissions: [{actions, notActions}]` shape and lower-camel-case keys.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDefinitionJson {
    #[schema(example = "Data Scientist")]
    pub name: String,
    pub is_custom: bool,
    pub description: String,
    #[schema(example = json!(["*"]))]
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    /// Where it may be assigned: `/organizations/…` (or Azure's `/subscriptions/…`) paths;
    /// `/` for the built-in roles.
    pub assignable_scopes: Vec<String>,
}

/// A role as saved, with what is worth knowing before giving it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SavedRole {
    pub role: RoleDefinitionJson,
    /// Patterns that match no action Atelier knows: probably typos.
    pub unmatched: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShowQuery {
    /// `azure` writes the scopes in Azure's `/subscriptions/…` form.
    pub scope_form: Option<String>,
}

/// Creates a custom role from seed 003's JSON, in the organization its `AssignableScopes`
/// name. You must hold every action it allows at each of those scopes.
#[utoipa::path(post, path = "/roleDefinitions", tag = "Role definitions",
    request_body = RoleDefinitionJson,
    responses(
        (status = 201, description = "Created", body = SavedRole),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_role(
    ApiCaller(caller): ApiCaller,
    Body(json): Body<serde_json::Value>,
) -> Result<(StatusCode, Json<SavedRole>), ApiError> {
    let draft = parse(&json)?;
    let organization = organization_of(&draft)?;
    let (role, saved) = service::save(&caller, &organization, None, draft).await?;
    Ok((StatusCode::CREATED, Json(saved_role(role, saved))))
}

/// The built-in roles and the organization's custom roles, by name.
#[utoipa::path(get, path = "/organizations/{organization}/roleDefinitions",
    tag = "Role definitions", params(("organization" = String, Path, example = "contoso"), PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<RoleDefinitionJson>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_roles(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<RoleDefinitionJson>>, ApiError> {
    let (_, roles) = service::roles_of(&caller, &organization).await?;
    let items = roles.iter().map(|r| role_json(r, false)).collect();
    Ok(Json(paginate(items, |r: &RoleDefinitionJson| r.name.to_lowercase(), &page)?))
}

/// One role, as seed 003's JSON (`?scope_form=azure` for `/subscriptions/…` scopes).
#[utoipa::path(get, path = "/organizations/{organization}/roleDefinitions/{name}",
    tag = "Role definitions",
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "Owner"), ShowQuery),
    responses(
        (status = 200, description = "The answer", body = RoleDefinitionJson),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn show_role(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Result<Json<RoleDefinitionJson>, ApiError> {
    let azure = match query.scope_form.as_deref() {
        None | Some("atelier") => false,
        Some("azure") => true,
        Some(_) => {
            return Err(ApiError::invalid(Some("scope_form"), "scope_form is atelier or azure."))
        }
    };
    let (_, roles) = service::roles_of(&caller, &organization).await?;
    let role = roles
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(AppError::not_found)?;
    Ok(Json(role_json(role, azure)))
}

/// Replaces the custom role `name` with the definition given (which may rename it).
#[utoipa::path(put, path = "/organizations/{organization}/roleDefinitions/{name}",
    tag = "Role definitions", request_body = RoleDefinitionJson,
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "Owner")),
    responses(
        (status = 200, description = "The answer", body = SavedRole),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn replace_role(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Body(json): Body<serde_json::Value>,
) -> Result<Json<SavedRole>, ApiError> {
    let draft = parse(&json)?;
    let (role, saved) = service::save(&caller, &organization, Some(&name), draft).await?;
    Ok(Json(saved_role(role, saved)))
}

/// Deletes a custom role; refused, naming its holders, while anyone holds it.
#[utoipa::path(delete, path = "/organizations/{organization}/roleDefinitions/{name}",
    tag = "Role definitions",
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "Owner")),
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "No valid access token or signed-in session", body = ErrorBody), (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody), (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn delete_role(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    service::delete(&caller, &organization, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn parse(json: &serde_json::Value) -> Result<RoleDefinition, ApiError> {
    parse_role_json(&json.to_string()).map_err(|(field, invalid)| {
        ApiError(AppError::invalid_field(crate::api::roles::fields::for_role_field(field), invalid))
    })
}

/// The one organization a new role's scopes lie in.
fn organization_of(role: &RoleDefinition) -> Result<String, ApiError> {
    let field = Some(crate::api::roles::fields::ASSIGNABLE_SCOPES);
    let mut organizations = Vec::new();
    for scope in &role.assignable_scopes {
        let path =
            ScopePath::parse(scope).map_err(|invalid| ApiError::invalid(field, invalid.0))?;
        match path.organization() {
            Some(org) if !organizations.contains(&org.to_owned()) => {
                organizations.push(org.to_owned())
            }
            Some(_) => {}
            None => return Err(ApiError::invalid(
                field,
                "A custom role is assignable inside one organization: name it in AssignableScopes.",
            )),
        }
    }
    match organizations.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            Err(ApiError::invalid(field, "Name at least one scope where the role can be assigned."))
        }
        _ => Err(ApiError::invalid(
            field,
            "AssignableScopes name more than one organization: a custom role belongs to one.",
        )),
    }
}

fn role_json(role: &RoleDefinition, azure: bool) -> RoleDefinitionJson {
    let scope = |s: &String| match ScopePath::parse(s) {
        Ok(path) if azure => path.azure_form(),
        _ => s.clone(),
    };
    RoleDefinitionJson {
        name: role.name.clone(),
        is_custom: role.is_custom,
        description: role.description.clone(),
        actions: role.actions.clone(),
        not_actions: role.not_actions.clone(),
        assignable_scopes: role.assignable_scopes.iter().map(scope).collect(),
    }
}

fn saved_role(role: RoleDefinition, saved: crate::api::roles::SavedRole) -> SavedRole {
    SavedRole { role: role_json(&role, false), unmatched: saved.unmatched, notes: saved.notes }
}
