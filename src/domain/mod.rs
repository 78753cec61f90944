//! Types shared by the browser and the server. Every rule about what a valid value is lives
//! here, once, so a form shows exactly the message the server would enforce.

pub mod access_token;
pub mod compute;
pub mod dataset;
pub mod datastore;
mod display_name;
mod email;
pub mod endpoint;
pub mod environment;
pub mod file_tree;
pub mod format;
pub mod group_name;
pub mod invitation;
pub mod listing;
pub mod model;
mod organization;
pub mod password;
mod person_name;
pub mod pipeline;
pub mod pipeline_run;
pub mod plain_form;
pub mod resource_group;
pub mod role_name;
pub mod run;
mod scope_path;
pub mod series;
pub mod service_principal;
mod workspace_fields;
pub mod workspace_name;
mod workspace_path;

// Property tests of the parsers of names, numbers, lines and paths.
#[cfg(test)]
mod name_props;
#[cfg(test)]
mod path_props;

pub use compute::{ComputeKind, ComputeName, ComputeState};
pub use display_name::DisplayName;
pub use email::Email;
pub use endpoint::{DeploymentName, EndpointName};
pub use model::{Framework, ModelName, ModelStage};
pub use organization::{OrganizationName, Slug};
pub use password::Password;
pub use person_name::PersonName;
pub use resource_group::ResourceGroupName;
pub use role_name::{role_key, RoleName};
pub use run::{ExperimentName, Params, RunSort, RunStatus};
pub use scope_path::ScopePath;
pub use workspace_fields::{Description, Environment, Tags};
pub use workspace_name::WorkspaceName;
pub use workspace_path::{workspace_url, WorkspacePath};

/// Why a value was refused, phrased for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// A value with one rule for validity: what forms check as people type and servers enforce.
pub trait Parse: Sized {
    fn parse(input: &str) -> Result<Self, Invalid>;
}

macro_rules! parse_by_inherent_fn {
    ($($t:ty),*) => {$(
        impl Parse for $t {
            fn parse(input: &str) -> Result<Self, Invalid> {
                <$t>::parse(input)
            }
        }
    )*};
}
parse_by_inherent_fn!(
    access_token::TokenName,
    Email,
    Password,
    PersonName,
    OrganizationName,
    Slug,
    ResourceGroupName,
    RoleName,
    group_name::GroupName,
    WorkspaceName,
    ExperimentName,
    ModelName,
    Framework,
    ComputeName,
    Params,
    datastore::DatastoreName,
    dataset::DatasetName,
    environment::EnvironmentName,
    endpoint::EndpointName,
    endpoint::DeploymentName,
    pipeline::PipelineName,
    service_principal::ServicePrincipalName,
    DisplayName,
    Description,
    Tags
);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
