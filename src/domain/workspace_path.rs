//! Where a workspace is: its organization's slug, its resource group and its own name, the three
//! segments of every workspace URL. Server functions take one of these (flattened, so forms and
//! clients still send `organization`, `resource_group` and `workspace`) instead of three strings
//! that could be passed in the wrong order.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkspacePath {
    pub organization: String,
    pub resource_group: String,
    pub workspace: String,
}

impl WorkspacePath {
    pub fn new(
        organization: impl Into<String>,
        resource_group: impl Into<String>,
        workspace: impl Into<String>,
    ) -> Self {
        Self {
            organization: organization.into(),
            resource_group: resource_group.into(),
            workspace: workspace.into(),
        }
    }

    /// The workspace's page in the studio.
    pub fn url(&self) -> String {
        workspace_url(&self.organization, &self.resource_group, &self.workspace)
    }
}

/// `organization/resource group/workspace`: how logs and cache keys name a workspace.
impl fmt::Display for WorkspacePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.organization, self.resource_group, self.workspace)
    }
}

pub fn workspace_url(organization: &str, resource_group: &str, workspace: &str) -> String {
    format!("/organizations/{organization}/resourceGroups/{resource_group}/workspaces/{workspace}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_path_is_the_three_segments_of_its_url() {
        let path = WorkspacePath::new("contoso", "ml-rg", "vision");
        assert_eq!(path.url(), "/organizations/contoso/resourceGroups/ml-rg/workspaces/vision");
        assert_eq!(path.to_string(), "contoso/ml-rg/vision");
    }

    #[test]
    fn a_flattened_workspace_path_reads_the_three_form_fields() {
        #[derive(Deserialize)]
        struct Args {
            #[serde(flatten)]
            path: WorkspacePath,
            #[serde(default)]
            after: String,
        }
        let args: Args = serde_json::from_str(
            r#"{"organization":"contoso","resource_group":"ml-rg","workspace":"vision"}"#,
        )
        .expect("three fields make a path");
        assert_eq!(args.path, WorkspacePath::new("contoso", "ml-rg", "vision"));
        assert_eq!(args.after, "");
    }
}
