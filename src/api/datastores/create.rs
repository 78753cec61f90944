// One argument per form field (the form works without JavaScript); the attribute must cover
// the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Registers a datastore: a local directory below the workspace's storage, or an
/// S3-compatible bucket whose secret key is sealed with the server's key before it is stored.
#[server(endpoint = "datastores/create")]
pub async fn create_datastore(
    #[server(flatten)] ws_path: WorkspacePath,
    name: String,
    kind: String,
    #[server(default)] path: String,
    #[server(default)] bucket: String,
    #[server(default)] endpoint: String,
    #[server(default)] region: String,
    #[server(default)] access_key_id: String,
    #[server(default)] secret_access_key: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::datastore::{
        parse_bucket, parse_endpoint, DatastoreKind, DatastoreName, StoredPath,
    };
    use crate::domain::{Description, Invalid};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datastores::{self, NewDatastore};
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&ws_path, Action::DatastoresWrite, Deleted::Excluded).await?;
    let invalid = |field: &'static str| move |e: Invalid| AppError::invalid_field(field, e);
    let name = DatastoreName::parse(&name).map_err(invalid(fields::NAME))?;
    let kind = DatastoreKind::parse(&kind).map_err(invalid(fields::KIND))?;
    let description = Description::parse(&description).map_err(invalid(fields::DESCRIPTION))?;
    let (path, bucket, endpoint, region) = match kind {
        DatastoreKind::Local => {
            let path = StoredPath::parse(&path).map_err(invalid(fields::PATH))?;
            (path.as_str().to_owned(), String::new(), String::new(), String::new())
        }
        DatastoreKind::S3 => {
            let prefix = match path.trim() {
                "" => String::new(),
                p => StoredPath::parse(p).map_err(invalid(fields::PATH))?.as_str().to_owned(),
            };
            let bucket = parse_bucket(&bucket).map_err(invalid(fields::BUCKET))?;
            let endpoint = parse_endpoint(&endpoint).map_err(invalid(fields::ENDPOINT))?;
            (prefix, bucket, endpoint, region.trim().to_owned())
        }
    };
    let secret = secret_access_key.trim();
    let key_id = access_key_id.trim();
    if kind == DatastoreKind::S3 && (key_id.is_empty() != secret.is_empty()) {
        return Err(AppError::invalid_field(
            fields::SECRET_ACCESS_KEY,
            Invalid::new("Give both the access key id and the secret key, or neither."),
        ));
    }
    let sealed_secret = if kind == DatastoreKind::S3 && !secret.is_empty() {
        Some(state.sealer.seal(secret).or_internal("sealing a datastore secret")?)
    } else {
        None
    };
    let new = NewDatastore {
        name: name.as_str(),
        kind,
        path: &path,
        bucket: &bucket,
        endpoint: &endpoint,
        region: &region,
        access_key_id: if kind == DatastoreKind::S3 { key_id } else { "" },
        sealed_secret,
        description: description.as_str(),
    };
    datastores::create(&state.pool, &ws, &actor, &new).await.map_err(change_error)?;
    leptos_axum::redirect(&format!("{}/datastores", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
