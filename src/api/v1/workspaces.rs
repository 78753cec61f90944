//! Workspaces: list those you may read, create (seed 001's fields), show, delete.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::api::workspaces as service;
use crate::domain::WorkspacePath;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workspaces))
        .routes(routes!(create_workspace))
        .routes(routes!(show_workspace, delete_workspace))
}

/// A workspace as lists show it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkspaceSummary {
    /// `/organizations/{org}/resourceGroups/{group}/workspaces/{name}`: the scope to give roles
    /// at.
    pub id: String,
    pub organization: String,
    pub resource_group: String,
    pub name: String,
    pub display_name: String,
    /// `development`, `test` or `production`.
    pub environment: String,
    /// The roles you hold there (made there or inherited).
    pub your_roles: Vec<String>,
    /// Unix seconds.
    pub last_activity_at: i64,
}

/// A workspace with its settings.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Workspace {
    #[serde(flatten)]
    pub summary: WorkspaceSummary,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    pub created_by: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Where the `mlflow` client logs to (`MLFLOW_TRACKING_URI`).
    pub tracking_uri: String,
}

/// A new workspace, as seed 001's SDK creates one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkspace {
    /// 3–33 letters, digits, hyphens and underscores, starting with a letter or digit; unique in
    /// the resource group (ignoring letter case).
    pub name: String,
    /// Shown in the studio; the name when not given.
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    /// `development` (the default), `test` or `production`.
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Workspaces you may read, by their ids.
#[utoipa::path(get, path = "/workspaces", tag = "Workspaces", params(PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<WorkspaceSummary>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
    ))]
async fn list_workspaces(
    ApiCaller(caller): ApiCaller,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<WorkspaceSummary>>, ApiError> {
    let listings = service::readable(&caller).await?;
    let items = listings
        .iter()
        .map(|listing| {
            let w = listing.target();
            summary(
                &w.scope,
                &w.display_name,
                w.environment,
                listing.role_names(),
                w.last_activity_at,
            )
        })
        .collect();
    Ok(Json(paginate(items, |w: &WorkspaceSummary| w.id.clone(), &page)?))
}

/// Creates a workspace in an existing resource group; you become its Owner.
#[utoipa::path(post, path = "/organizations/{organization}/resourceGroups/{resource_group}/workspaces",
    tag = "Workspaces", request_body = NewWorkspace,
    params(("organization" = String, Path, example = "contoso"), ("resource_group" = String, Path, example = "vision")),
    responses(
        (status = 201, description = "Created", body = Workspace),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_workspace(
    ApiCaller(caller): ApiCaller,
    Path((organization, resource_group)): Path<(String, String)>,
    Body(new): Body<NewWorkspace>,
) -> Result<(StatusCode, Json<Workspace>), ApiError> {
    let tags = tag_lines(&new.tags)?;
    let placement = format!("{organization}/{resource_group}");
    let request = service::WorkspaceRequest {
        placement: &placement,
        new_resource_group: "",
        name: &new.name,
        display_name: &new.display_name,
        environment: new.environment.as_deref().unwrap_or("development"),
        description: &new.description,
        tags: &tags,
    };
    let created = service::create(&caller, request).await?;
    let path = WorkspacePath::new(
        created.resource_group.organization.slug.clone(),
        created.resource_group.name.clone(),
        created.name.clone(),
    );
    Ok((StatusCode::CREATED, Json(workspace(&caller, &path).await?)))
}

/// A workspace's settings.
#[utoipa::path(get, path = "/organizations/{organization}/resourceGroups/{resource_group}/workspaces/{workspace}",
    tag = "Workspaces",
    params(("organization" = String, Path, example = "contoso"), ("resource_group" = String, Path, example = "vision"), ("workspace" = String, Path, example = "detector")),
    responses(
        (status = 200, description = "The answer", body = Workspace),
        (status = 401, description = "No valid access token or signed-in session", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn show_workspace(
    ApiCaller(caller): ApiCaller,
    Path((organization, resource_group, name)): Path<(String, String, String)>,
) -> Result<Json<Workspace>, ApiError> {
    let path = WorkspacePath::new(organization, resource_group, name);
    Ok(Json(workspace(&caller, &path).await?))
}

/// Deletes a workspace. Its Owner can restore it in the studio until the retention window
/// ends; then it is purged.
#[utoipa::path(delete, path = "/organizations/{organization}/resourceGroups/{resource_group}/workspaces/{workspace}",
    tag = "Workspaces",
    params(("organization" = String, Path, example = "contoso"), ("resource_group" = String, Path, example = "vision"), ("workspace" = String, Path, example = "detector")),
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "No valid access token or signed-in session", body = ErrorBody), (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn delete_workspace(
    ApiCaller(caller): ApiCaller,
    Path((organization, resource_group, name)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let path = WorkspacePath::new(organization, resource_group, name);
    service::delete(&caller, &path, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn workspace(
    caller: &crate::server::authz::Caller,
    path: &WorkspacePath,
) -> Result<Workspace, ApiError> {
    let (ws, record) = service::details(caller, path).await?;
    let scope = &record.scope;
    let base = caller.state.settings.base_url.as_ref().map(|u| u.as_str()).unwrap_or_default();
    let group = &scope.resource_group;
    Ok(Workspace {
        summary: summary(
            scope,
            &record.display_name,
            record.environment,
            ws.role_names(),
            record.last_activity_at,
        ),
        description: record.description.clone(),
        tags: record.tags.pairs().iter().cloned().collect(),
        created_by: record.created_by.clone(),
        created_at: record.created_at,
        tracking_uri: crate::server::mlflow::tracking_uri(
            base,
            &group.organization.slug,
            &group.name,
            &scope.name,
        ),
    })
}

fn summary(
    scope: &crate::server::db::scopes::WorkspaceScope,
    display_name: &str,
    environment: crate::domain::Environment,
    your_roles: Vec<String>,
    last_activity_at: i64,
) -> WorkspaceSummary {
    WorkspaceSummary {
        id: scope.path(),
        organization: scope.resource_group.organization.slug.clone(),
        resource_group: scope.resource_group.name.clone(),
        name: scope.name.clone(),
        display_name: display_name.to_owned(),
        environment: environment.as_str().to_owned(),
        your_roles,
        last_activity_at,
    }
}

/// Tags as the `key=value` lines the studio's field takes, so both are checked alike.
fn tag_lines(tags: &BTreeMap<String, String>) -> Result<String, ApiError> {
    let mut lines = Vec::with_capacity(tags.len());
    for (key, value) in tags {
        if key.contains('=') || key.contains('\n') || value.contains('\n') {
            return Err(ApiError::invalid(
                Some("tags"),
                format!("The tag {key:?}: keys hold no '=' and neither holds a line break."),
            ));
        }
        lines.push(format!("{key}={value}"));
    }
    Ok(lines.join("\n"))
}
