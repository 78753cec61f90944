//! The checks a form field runs as the person types: the same domain rules the server enforces,
//! named by a value rather than a function so a field rendered on the server can tell the
//! browser which one to run (island props travel as JSON).

use serde::{Deserialize, Serialize};

use crate::domain::access_token::TokenName;
use crate::domain::compute::{parse_idle_shutdown, parse_max_nodes, parse_min_nodes};
use crate::domain::dataset::DatasetName;
use crate::domain::datastore::DatastoreName;
use crate::domain::environment::EnvironmentName;
use crate::domain::invitation::{AddressList, InvitationNote};
use crate::domain::pipeline::{PipelineGraph, PipelineName};
use crate::domain::service_principal::ServicePrincipalName;
use crate::domain::{
    ComputeName, DeploymentName, Description, DisplayName, Email, EndpointName, ExperimentName,
    Framework, ModelName, OrganizationName, Params, Parse, Password, PersonName, ResourceGroupName,
    RoleName, Slug, Tags, WorkspaceName,
};

/// A rule a field's text must follow; [`Check::run`] says what is wrong, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    AddressList,
    ComputeName,
    DatasetName,
    DatastoreName,
    DeploymentName,
    Description,
    DisplayName,
    /// A display name, or nothing (the name is then used).
    OptionalDisplayName,
    Email,
    EndpointName,
    EnvironmentName,
    ExperimentName,
    Framework,
    GroupName,
    InvitationNote,
    ModelName,
    OrganizationName,
    Params,
    Password,
    PersonName,
    PipelineGraph,
    PipelineName,
    ResourceGroupName,
    RoleName,
    ServicePrincipalName,
    Slug,
    Tags,
    TokenName,
    WorkspaceName,
    /// A project's name: a resource group's, and the stem of its workspaces' (`{name}-prod`).
    ProjectName,
    MinNodes,
    MaxNodes,
    IdleShutdown,
}

/// The validator for a domain type: `Err` holds the message to show.
pub fn valid<T: Parse>(input: &str) -> Result<(), String> {
    T::parse(input).map(drop).map_err(|invalid| invalid.0)
}

impl Check {
    pub fn run(self, input: &str) -> Result<(), String> {
        match self {
            Self::AddressList => valid::<AddressList>(input),
            Self::ComputeName => valid::<ComputeName>(input),
            Self::DatasetName => valid::<DatasetName>(input),
            Self::DatastoreName => valid::<DatastoreName>(input),
            Self::DeploymentName => valid::<DeploymentName>(input),
            Self::Description => valid::<Description>(input),
            Self::DisplayName => valid::<DisplayName>(input),
            Self::OptionalDisplayName if input.trim().is_empty() => Ok(()),
            Self::OptionalDisplayName => valid::<DisplayName>(input),
            Self::Email => valid::<Email>(input),
            Self::EndpointName => valid::<EndpointName>(input),
            Self::EnvironmentName => valid::<EnvironmentName>(input),
            Self::ExperimentName => valid::<ExperimentName>(input),
            Self::Framework => valid::<Framework>(input),
            Self::GroupName => valid::<crate::domain::group_name::GroupName>(input),
            Self::InvitationNote => valid::<InvitationNote>(input),
            Self::ModelName => valid::<ModelName>(input),
            Self::OrganizationName => valid::<OrganizationName>(input),
            Self::Params => valid::<Params>(input),
            Self::Password => valid::<Password>(input),
            Self::PersonName => valid::<PersonName>(input),
            Self::PipelineGraph => valid::<PipelineGraph>(input),
            Self::PipelineName => valid::<PipelineName>(input),
            Self::ResourceGroupName => valid::<ResourceGroupName>(input),
            Self::RoleName => valid::<RoleName>(input),
            Self::ServicePrincipalName => valid::<ServicePrincipalName>(input),
            Self::Slug => valid::<Slug>(input),
            Self::Tags => valid::<Tags>(input),
            Self::TokenName => valid::<TokenName>(input),
            Self::WorkspaceName => valid::<WorkspaceName>(input),
            Self::ProjectName => {
                valid::<ResourceGroupName>(input)?;
                valid::<WorkspaceName>(&format!("{}-prod", input.trim())).map_err(|_| {
                    "Use 2 to 28 letters, digits, hyphens or underscores, starting with a letter \
                     or digit."
                        .to_owned()
                })
            }
            Self::MinNodes => parse_min_nodes(input).map(drop).map_err(|e| e.0),
            Self::MaxNodes => parse_max_nodes(input).map(drop).map_err(|e| e.0),
            Self::IdleShutdown => parse_idle_shutdown(input).map(drop).map_err(|e| e.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Check;

    #[test]
    fn checks_say_what_is_wrong_and_accept_what_is_right() {
        assert!(Check::Email.run("ada@example.com").is_ok());
        assert!(Check::Email.run("ada").is_err());
        assert!(Check::OptionalDisplayName.run("  ").is_ok());
        assert!(Check::ProjectName.run("fraud").is_ok());
        assert!(Check::ProjectName.run("a-very-long-project-name-abcd").is_err());
        assert!(Check::MinNodes.run("-1").is_err());
    }

    #[test]
    fn a_check_travels_as_json() {
        let json = serde_json::to_string(&Check::WorkspaceName).unwrap();
        assert_eq!(serde_json::from_str::<Check>(&json).unwrap(), Check::WorkspaceName);
    }
}
