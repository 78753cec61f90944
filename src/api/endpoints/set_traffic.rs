use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Splits the endpoint's traffic between its deployments in one change: `deployments[i]`
/// receives `percents[i]` percent (deployments not named keep theirs). Whole numbers 0–100,
/// nothing to stopped deployments, exactly 100 in all while some deployment runs.
#[server(endpoint = "endpoints/set_traffic")]
pub async fn set_traffic(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    #[server(default)] deployments: Vec<String>,
    #[server(default)] percents: Vec<String>,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::endpoint::parse_percent;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::deployments as db;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsWrite, Deleted::Excluded).await?;
    if deployments.len() != percents.len() {
        return Err(AppError::invalid_field(
            fields::TRAFFIC,
            Invalid::new("Give one percentage for each deployment."),
        ));
    }
    let shares = deployments
        .into_iter()
        .zip(&percents)
        .map(|(name, percent)| {
            let percent = parse_percent(name.trim(), percent)
                .map_err(|e| AppError::invalid_field(fields::TRAFFIC, e))?;
            Ok((name, percent))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    db::set_traffic(&state.pool, &ws, &actor, &endpoint, &shares).await.map_err(change_error)
}
