use leptos::prelude::*;

use super::ModelsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's models in name order, optionally searched (name, description,
/// tags) and narrowed to those with a version in `stage`.
#[server(endpoint = "models/list")]
pub async fn list_models(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] stage: String,
    #[server(default)] after: String,
) -> Result<ModelsPage, AppError> {
    use super::fields;
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, Cursor, SortKey, PAGE_READ};
    use crate::domain::ModelStage;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::models::{self, ModelFilter};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::ModelsRead, Deleted::Excluded).await?;
    let filter = ModelFilter {
        search: search_text(&search),
        stage: optional(&stage, fields::STAGE, ModelStage::parse)?,
        after: page_after(&after, SortKey::UniqueName)?,
        limit: PAGE_READ,
    };
    let rows = models::list(&state.pool, &ws, &filter).await.or_internal("listing models")?;
    let (rows, next_after) = into_page(rows, |m| Cursor::Name(m.name.to_lowercase()));
    Ok(ModelsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        models: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
