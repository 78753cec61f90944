use leptos::prelude::*;

use super::ModelsPage;
use crate::error::AppError;

/// A page of the workspace's models in name order, optionally searched (name, description,
/// tags) and narrowed to those with a version in `stage`.
#[server(endpoint = "models/list")]
pub async fn list_models(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] stage: String,
    #[server(default)] after: String,
) -> Result<ModelsPage, AppError> {
    use super::fields;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::ModelStage;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::models::{self, ModelFilter};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::ModelsRead, Deleted::Excluded).await?;
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let stage = match stage.trim() {
        "" => None,
        s => Some(ModelStage::parse(s).map_err(|e| AppError::invalid_field(fields::STAGE, e))?),
    };
    let filter =
        ModelFilter { search: text(&search), stage, after: text(&after), limit: PAGE as i64 + 1 };
    let mut rows = models::list(&state.pool, &ws, &filter).await.or_internal("listing models")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(ModelsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more { rows.last().map(|m| m.name.to_lowercase()) } else { None },
        models: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
