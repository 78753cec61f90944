//! Online endpoints and their deployments: which model version each deployment serves, on what
//! instances, with which share of the endpoint's traffic, and whether it runs. Atelier records
//! deployments; it does not run inference servers, so states change only when people act.

mod create;
mod create_deployment;
mod delete;
mod delete_deployment;
mod get;
mod get_deployment;
mod list;
mod set_traffic;
mod start_deployment;
mod stop_deployment;
mod update;
mod update_deployment;

pub use create::{create_endpoint, CreateEndpoint};
pub use create_deployment::{create_deployment, CreateDeployment};
pub use delete::{delete_endpoint, DeleteEndpoint};
pub use delete_deployment::{delete_deployment, DeleteDeployment};
pub use get::{get_endpoint, GetEndpoint};
pub use get_deployment::{get_deployment, GetDeployment};
pub use list::{list_endpoints, ListEndpoints};
pub use set_traffic::{set_traffic, SetTraffic};
pub use start_deployment::{start_deployment, StartDeployment};
pub use stop_deployment::{stop_deployment, StopDeployment};
pub use update::{update_endpoint, UpdateEndpoint};
pub use update_deployment::{update_deployment, UpdateDeployment};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::endpoint::{AuthMode, DeploymentState, EndpointState};
use crate::domain::ModelStage;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointSummary {
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub auth_mode: AuthMode,
    pub state: EndpointState,
    pub deployment_count: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub name: String,
    pub model: String,
    pub model_version: i64,
    /// The served version's stage now: an archived version still serves until changed.
    pub model_stage: ModelStage,
    pub instance_type: String,
    pub instance_count: i64,
    pub traffic_percent: i64,
    pub state: DeploymentState,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One page of a workspace's endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointsPage {
    pub workspace: WorkspaceCrumbs,
    pub endpoints: Vec<EndpointSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub workspace: WorkspaceCrumbs,
    pub endpoint: EndpointSummary,
    /// By name.
    pub deployments: Vec<DeploymentView>,
    /// Newest first; `None` for those who may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// One deployment's page: the deployment, the files of the model version it serves (`None`
/// for those who may not read models) and its recent activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentPage {
    pub workspace: WorkspaceCrumbs,
    pub endpoint: String,
    pub deployment: DeploymentView,
    pub model_files: Option<Vec<crate::api::models::ModelFile>>,
    /// Newest first; `None` for those who may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// A deployment serving a version of a model, as the model's page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServingDeployment {
    pub endpoint: String,
    pub deployment: String,
    pub model_version: i64,
    pub traffic_percent: i64,
    pub state: DeploymentState,
}

pub fn endpoint_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/endpoints/{name}", workspace.url())
}

pub fn deployment_url(workspace: &WorkspaceCrumbs, endpoint: &str, deployment: &str) -> String {
    format!("{}/deployments/{deployment}", endpoint_url(workspace, endpoint))
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const AUTH_MODE: &str = "auth_mode";
    pub const CONFIRM_NAME: &str = "confirm_name";
    pub const MODEL: &str = "model";
    pub const MODEL_VERSION: &str = "model_version";
    pub const INSTANCE_TYPE: &str = "instance_type";
    pub const INSTANCE_COUNT: &str = "instance_count";
    pub const TRAFFIC: &str = "traffic";
    pub const DEPLOYMENT: &str = "deployment";
}

/// An endpoint by name with its deployments (by name); "not found" when there is none.
#[cfg(feature = "ssr")]
pub(crate) async fn with_deployments(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    name: &str,
) -> Result<
    (
        crate::server::db::endpoints::EndpointRecord,
        Vec<crate::server::db::deployments::DeploymentRecord>,
    ),
    crate::error::AppError,
> {
    use crate::error::AppError;
    use crate::server::db::{deployments, endpoints};
    use crate::server::error::OrInternal;

    let record = endpoints::get(pool, ws, name)
        .await
        .or_internal("reading an endpoint")?
        .ok_or_else(AppError::not_found)?;
    let deployments =
        deployments::for_endpoint(pool, ws, record.id).await.or_internal("reading deployments")?;
    Ok((record, deployments))
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(record: crate::server::db::endpoints::EndpointRecord) -> EndpointSummary {
    EndpointSummary {
        name: record.name,
        description: record.description,
        tags: record.tags,
        auth_mode: record.auth_mode,
        state: record.state,
        deployment_count: record.deployment_count,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn deployment_view(
    record: crate::server::db::deployments::DeploymentRecord,
) -> DeploymentView {
    DeploymentView {
        name: record.name,
        model: record.model,
        model_version: record.model_version,
        model_stage: record.model_stage,
        instance_type: record.instance_type,
        instance_count: record.instance_count,
        traffic_percent: record.traffic_percent,
        state: record.state,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// The deployments serving versions of a model, for its page; empty for those who may not
/// read endpoints.
#[cfg(feature = "ssr")]
pub(crate) async fn serving_model(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    model_id: i64,
) -> Result<Vec<ServingDeployment>, crate::error::AppError> {
    use crate::server::db::deployments;
    use crate::server::error::OrInternal;
    if !ws.permits(Action::EndpointsRead) {
        return Ok(Vec::new());
    }
    let serving = deployments::serving_model(pool, ws, model_id)
        .await
        .or_internal("reading the deployments of a model")?;
    Ok(serving
        .into_iter()
        .map(|s| ServingDeployment {
            endpoint: s.endpoint,
            deployment: s.deployment.name,
            model_version: s.deployment.model_version,
            traffic_percent: s.deployment.traffic_percent,
            state: s.deployment.state,
        })
        .collect())
}

/// An audit event about an endpoint or one of its deployments as a sentence.
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let text = |key: &str| details[key].as_str().unwrap_or_default().to_owned();
    let flag = |key: &str| details[key].as_bool() == Some(true);
    let deployment = text("deployment");
    if let Some(traffic) = details["traffic"].as_object() {
        let split: Vec<String> = traffic
            .iter()
            .map(|(name, percent)| format!("{name} {}%", percent.as_i64().unwrap_or_default()))
            .collect();
        return format!("set the traffic: {}", split.join(", "));
    }
    if action == Action::EndpointsDelete.as_str() {
        return if deployment.is_empty() {
            "deleted the endpoint".to_owned()
        } else {
            format!("deleted deployment {deployment}")
        };
    }
    let served =
        || format!("{} version {}", text("model"), details["version"].as_i64().unwrap_or(0));
    match (deployment.is_empty(), details["to"].as_str()) {
        (true, _) if flag("created") => "created the endpoint".to_owned(),
        (true, _) => "changed the description, tags or authentication".to_owned(),
        (false, Some("stopped")) => format!("stopped deployment {deployment}"),
        (false, Some(_)) => format!("started deployment {deployment}"),
        (false, None) if flag("created") => {
            format!("added deployment {deployment} serving {}", served())
        }
        (false, None) => format!(
            "changed deployment {deployment}: {} on {} × {}",
            served(),
            details["instance_count"].as_i64().unwrap_or(0),
            text("instance_type")
        ),
    }
}

/// The endpoint fields people type, checked, with errors beside their fields; an empty
/// authentication mode is a key, as in Azure.
#[cfg(feature = "ssr")]
pub(crate) fn endpoint_fields(
    description: &str,
    tags: &str,
    auth_mode: &str,
) -> Result<(crate::domain::Description, crate::domain::Tags, AuthMode), crate::error::AppError> {
    use crate::domain::{Description, Tags};
    use crate::error::AppError;
    let description = Description::parse(description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let auth_mode = match auth_mode.trim() {
        "" => AuthMode::Key,
        mode => AuthMode::parse(mode).map_err(|e| AppError::invalid_field(fields::AUTH_MODE, e))?,
    };
    Ok((description, tags, auth_mode))
}

/// What a deployment serves and on what, as typed: the model's name, its version, the
/// instance type (the default size when empty) and the instance count.
#[cfg(feature = "ssr")]
pub(crate) struct DeploymentInput<'a> {
    pub model: &'a str,
    pub version: &'a str,
    pub instance_type: &'a str,
    pub instance_count: &'a str,
}

#[cfg(feature = "ssr")]
impl DeploymentInput<'_> {
    /// Checked, with errors beside their fields. Those who may not read models are told the
    /// same for every model, so the form reveals none.
    pub(crate) fn parse(
        &self,
        may_read_models: bool,
    ) -> Result<(i64, &'static crate::domain::compute::VmSize, i64), crate::error::AppError> {
        use crate::domain::compute::{parse_vm_size, DEFAULT_VM_SIZE};
        use crate::domain::endpoint::parse_instance_count;
        use crate::domain::model::parse_version;
        use crate::domain::Invalid;
        use crate::error::AppError;
        if self.model.trim().is_empty() {
            return Err(AppError::invalid_field(
                fields::MODEL,
                Invalid::new("Name the registered model to deploy."),
            ));
        }
        let version = parse_version(self.version)
            .map_err(|e| AppError::invalid_field(fields::MODEL_VERSION, e))?;
        let instance_type = match self.instance_type.trim() {
            "" => DEFAULT_VM_SIZE,
            size => size,
        };
        let instance_type = parse_vm_size(instance_type)
            .map_err(|e| AppError::invalid_field(fields::INSTANCE_TYPE, e))?;
        let count = parse_instance_count(self.instance_count)
            .map_err(|e| AppError::invalid_field(fields::INSTANCE_COUNT, e))?;
        if !may_read_models {
            return Err(change_error(
                crate::server::db::endpoints::ChangeError::ModelVersionNotFound,
            ));
        }
        Ok((version, instance_type, count))
    }
}

/// Starts or stops the deployment named in the workspace at `path`, under EndpointsWrite.
#[cfg(feature = "ssr")]
pub(crate) async fn change_state(
    path: &crate::domain::WorkspacePath,
    (endpoint, deployment): (&str, &str),
    action: crate::domain::endpoint::DeploymentAction,
) -> Result<(), crate::error::AppError> {
    use crate::server::authz::{self, Deleted};
    use crate::server::db::deployments;

    let (state, ws, actor) =
        authz::caller_workspace(path, Action::EndpointsWrite, Deleted::Excluded).await?;
    deployments::set_state(&state.pool, &ws, &actor, (endpoint, deployment), action)
        .await
        .map_err(change_error)?;
    Ok(())
}

/// The message for a failed change, beside the field it is about, and the log entry for an
/// unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::endpoints::ChangeError,
) -> crate::error::AppError {
    use crate::domain::Invalid;
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::endpoints::ChangeError;
    match error {
        ChangeError::NameTaken => {
            AppError::conflict(fields::NAME, "This workspace already has an endpoint by that name.")
        }
        ChangeError::DeploymentNameTaken => {
            AppError::conflict(fields::NAME, "This endpoint already has a deployment by that name.")
        }
        ChangeError::NotFound | ChangeError::DeploymentNotFound => AppError::not_found(),
        ChangeError::ModelVersionNotFound => AppError::invalid_field(
            fields::MODEL_VERSION,
            Invalid::new("This workspace has no such version of that model."),
        ),
        ChangeError::ArchivedVersion(model, version) => AppError::invalid_field(
            fields::MODEL_VERSION,
            Invalid::new(format!(
                "Version {version} of {model} is archived; move it out of Archived to deploy it."
            )),
        ),
        ChangeError::Traffic(message) => {
            AppError::invalid_field(fields::TRAFFIC, Invalid::new(message))
        }
        ChangeError::State(message) => AppError::new(ErrorKind::Conflict, message),
        ChangeError::Database(e) => crate::server::error::internal("changing an endpoint", e),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        let write = Action::EndpointsWrite.as_str();
        let delete = Action::EndpointsDelete.as_str();
        assert_eq!(describe_event(write, r#"{"created":true}"#), "created the endpoint");
        assert_eq!(
            describe_event(
                write,
                r#"{"deployment":"blue","created":true,"model":"clf","version":2}"#
            ),
            "added deployment blue serving clf version 2"
        );
        assert_eq!(
            describe_event(write, r#"{"traffic":{"blue":70,"green":30}}"#),
            "set the traffic: blue 70%, green 30%"
        );
        assert_eq!(
            describe_event(write, r#"{"deployment":"green","from":"succeeded","to":"stopped"}"#),
            "stopped deployment green"
        );
        assert_eq!(describe_event(delete, r#"{"deployment":"green"}"#), "deleted deployment green");
        assert_eq!(describe_event(delete, r#"{"deleted":true}"#), "deleted the endpoint");
    }
}
