//! The compute targets and environments a graph's steps name: checked against the workspace
//! (saying which one on which line is missing), resolved to versions for a run, and listed as
//! the pipeline's related items.

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::pipeline::{EnvironmentRef, PipelineGraph};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::server::authz::Authorized;
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::{computes, environments, Pool};
use crate::server::error::OrInternal;

use super::{fields, RelatedItem};

/// The version a reference means now: the one it names, or the newest; `None` when the
/// environment (or that version) does not exist.
async fn resolve(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    env: &EnvironmentRef,
) -> Result<Option<(String, i64)>, AppError> {
    let versions =
        environments::versions(pool, ws, &env.name).await.or_internal("reading environments")?;
    let found = match env.version {
        Some(v) => versions.into_iter().find(|r| r.version == v),
        None => versions.into_iter().next(),
    };
    Ok(found.map(|r| (r.name, r.version)))
}

/// Checks that every compute and environment the steps name exists in the workspace; with
/// `pin`, each environment reference gains the version it means now (what a run records).
pub(super) async fn check(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    graph: &mut PipelineGraph,
    pin: bool,
) -> Result<(), AppError> {
    let refused = |message: String| AppError::invalid_field(fields::STEPS, Invalid::new(message));
    for index in 0..graph.steps.len() {
        let line = graph.line_of(index);
        let step = &graph.steps[index];
        if let Some(compute) = &step.compute {
            let found = computes::get(pool, ws, compute).await.or_internal("reading compute")?;
            if found.is_none() {
                return Err(refused(format!(
                    "Line {line}: there is no compute {compute:?} in this workspace."
                )));
            }
        }
        if let Some(env) = step.environment.clone() {
            let Some((name, version)) = resolve(pool, ws, &env).await? else {
                let message = match env.version {
                    Some(v)
                        if resolve(pool, ws, &EnvironmentRef { version: None, ..env.clone() })
                            .await?
                            .is_some() =>
                    {
                        format!("Line {line}: the environment {:?} has no version {v}.", env.name)
                    }
                    _ => format!(
                        "Line {line}: there is no environment {:?} in this workspace.",
                        env.name
                    ),
                };
                return Err(refused(message));
            };
            if pin {
                graph.steps[index].environment =
                    Some(EnvironmentRef { name, version: Some(version) });
            }
        }
    }
    Ok(())
}

/// The compute and environments the steps name, once each, linked when they exist and the
/// person may see them.
pub(super) async fn related(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    graph: &PipelineGraph,
) -> Result<Vec<RelatedItem>, AppError> {
    let crumbs = WorkspaceCrumbs::of(ws.target());
    let mut items: Vec<RelatedItem> = Vec::new();
    let seen = |items: &[RelatedItem], kind: &str, name: &str| {
        items.iter().any(|i| i.kind == kind && i.name.eq_ignore_ascii_case(name))
    };
    for step in &graph.steps {
        if let Some(compute) = step.compute.as_deref().filter(|c| !seen(&items, "Compute", c)) {
            let url = if ws.permits(Action::ComputesRead) {
                computes::get(pool, ws, compute)
                    .await
                    .or_internal("reading compute")?
                    .map(|c| crate::api::computes::compute_url(&crumbs, &c.name))
            } else {
                None
            };
            items.push(RelatedItem { kind: "Compute".into(), name: compute.to_owned(), url });
        }
        if let Some(env) = step.environment.as_ref() {
            let name = env.to_string();
            if seen(&items, "Environment", &name) {
                continue;
            }
            let url = if ws.permits(Action::EnvironmentsRead) {
                resolve(pool, ws, env)
                    .await?
                    .map(|(found, _)| format!("{}/environments/{found}", crumbs.url()))
            } else {
                None
            };
            items.push(RelatedItem { kind: "Environment".into(), name, url });
        }
    }
    Ok(items)
}
