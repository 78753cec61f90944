// A registration names the asset, its format and its data (a URI, or a file's name and
// base64 bytes) beside its description and tags, each a flat form field so the form also
// works without JavaScript (URIs then); the attribute must cover the client function the
// server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Registers a version of a data asset (the next number; 1 for a new name) from a URI, or
/// from an uploaded file (base64 `content`, at most 8 MB, kept in the workspace's default
/// datastore), and opens the new version.
#[server(endpoint = "datasets/register")]
pub async fn register_dataset(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    format: String,
    #[server(default)] uri: String,
    #[server(default)] file_name: String,
    #[server(default)] content: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{fields, version_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::dataset::{parse_file_name, DataFormat, DataUri, DatasetName};
    use crate::domain::{Description, Invalid, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::dataset_files;
    use crate::server::db::dataset_versions::{NewVersion, Source};
    use crate::server::storage;

    const MAX_BYTES: usize = 8 * 1024 * 1024;
    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatasetsWrite, Deleted::Excluded).await?;
    let invalid = |field: &'static str| move |e: Invalid| AppError::invalid_field(field, e);
    let name = DatasetName::parse(&name).map_err(invalid(fields::NAME))?;
    let format = DataFormat::parse(&format).map_err(invalid(fields::FORMAT))?;
    let description = Description::parse(&description).map_err(invalid(fields::DESCRIPTION))?;
    let tags = Tags::parse(&tags).map_err(invalid(fields::TAGS))?;
    let uploaded = if content.trim().is_empty() {
        None
    } else {
        if !format.uploadable() {
            return Err(AppError::invalid_field(
                fields::FORMAT,
                Invalid::new(
                    "A folder is registered by its URI; choose another format to upload a file.",
                ),
            ));
        }
        let file_name = parse_file_name(&file_name).map_err(invalid(fields::FILE_NAME))?;
        let bytes = storage::decode_base64(&content).ok_or_else(|| {
            AppError::invalid_field(
                fields::CONTENT,
                Invalid::new("The file did not arrive intact."),
            )
        })?;
        if bytes.len() > MAX_BYTES {
            return Err(AppError::invalid_field(
                fields::CONTENT,
                Invalid::new("An uploaded file has at most 8 MB; register larger data by its URI."),
            ));
        }
        Some((file_name, bytes))
    };
    let uri = match &uploaded {
        Some(_) => None,
        None => Some(DataUri::parse(&uri).map_err(invalid(fields::URI))?),
    };
    let digest = uploaded.as_ref().map(|(_, bytes)| storage::sha256_hex(bytes));
    let source = match (&uri, &uploaded, &digest) {
        (Some(uri), _, _) => Source::Uri(uri),
        (None, Some((file_name, bytes)), Some(sha256)) => Source::Upload {
            file_name,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
        },
        _ => unreachable!("a registration has a URI or an upload"),
    };
    let new = NewVersion { name: &name, format, source, description: &description, tags: &tags };
    let bytes = uploaded.as_ref().map(|(_, bytes)| bytes.as_slice());
    let registered =
        dataset_files::register(&state.pool, &state.settings.data_dir, &ws, &actor, &new, bytes)
            .await?;
    let crumbs = WorkspaceCrumbs::of(ws.target());
    leptos_axum::redirect(&version_url(&crumbs, &registered.name, registered.version));
    Ok(())
}
