//! The artifact files of model versions, as records; the bytes live in the workspace's default
//! datastore under `models/<model id>/<version>/`, see `server::model_files`.

use sqlx::Row;

use super::run_outputs::OutputRecord;
use super::scopes::WorkspaceScope;
use super::{tenant, Pool};
use crate::domain::datastore::StoredPath;
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct FileRecord {
    /// Relative to the version's folder, '/'-separated.
    pub path: String,
    pub size: i64,
    pub sha256: String,
}

/// A file of a version, with where its folder is: the datastore's directory and the model's id.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub file: FileRecord,
    pub datastore_path: String,
    pub model_id: i64,
}

/// The row a new version's files are recorded under.
pub struct VersionFolder {
    pub version_id: i64,
    pub datastore_id: i64,
}

/// Records a file of a new version, in its registration's transaction.
pub async fn insert(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    folder: &VersionFolder,
    file: &FileRecord,
) -> Result<(), sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "INSERT INTO model_version_files (organization_id, workspace_id, model_version_id, \
         datastore_id, path, size, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(folder.version_id)
    .bind(folder.datastore_id)
    .bind(&file.path)
    .bind(file.size)
    .bind(&file.sha256)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The files of a model's versions (of one, when `version` is given): (version, file), by
/// version then path.
pub async fn for_model(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: i64,
    version: Option<i64>,
) -> Result<Vec<(i64, FileRecord)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let rows = sqlx::query(
        "SELECT v.version, f.path, f.size, f.sha256 FROM model_version_files f \
         JOIN model_versions v ON v.id = f.model_version_id \
         WHERE v.organization_id = $1 AND v.workspace_id = $2 AND v.model_id = $3 \
         AND ($4 IS NULL OR v.version = $4) AND f.organization_id = $1 \
         ORDER BY v.version, f.path",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .bind(version)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("version")?, from_row(row)?))).collect()
}

/// One file of version `version` of the model named `model` in the workspace.
pub async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    (model, version): (&str, i64),
    path: &StoredPath,
) -> Result<Option<StoredFile>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT f.path, f.size, f.sha256, d.path AS datastore_path, m.id AS model_id \
         FROM models m JOIN model_versions v ON v.model_id = m.id \
         JOIN model_version_files f ON f.model_version_id = v.id \
         JOIN datastores d ON d.id = f.datastore_id \
         WHERE m.organization_id = $1 AND m.workspace_id = $2 AND m.name_key = $3 \
         AND v.version = $4 AND f.organization_id = $1 AND f.path = $5",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model.trim().to_ascii_lowercase())
    .bind(version)
    .bind(path.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(StoredFile {
            file: from_row(&row)?,
            datastore_path: row.try_get("datastore_path")?,
            model_id: row.try_get("model_id")?,
        })
    })
    .transpose()
}

/// Removes the file records of a model's versions (`version`) or of all of them, in the
/// transaction deleting those versions.
pub(super) async fn delete(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    model_id: i64,
    version: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM model_version_files WHERE organization_id = $1 AND model_version_id IN \
         (SELECT id FROM model_versions WHERE model_id = $2 AND organization_id = $1 \
          AND ($3 IS NULL OR version = $3))",
    )
    .bind(org)
    .bind(model_id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The outputs of run `run_id` that an artifact path names: the output at that path, or every
/// output in the folder it names; in path order.
pub async fn run_outputs_under(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
    artifact: &StoredPath,
) -> Result<Vec<OutputRecord>, sqlx::Error> {
    let outputs = super::run_outputs::list_in(tx, ws, run_id).await?;
    let folder = format!("{}/", artifact.as_str());
    Ok(outputs
        .into_iter()
        .filter(|o| o.path == artifact.as_str() || o.path.starts_with(&folder))
        .collect())
}

/// Where an output named by `artifact` lands in the version's folder: a file named directly
/// keeps its name; a folder's files keep their paths below it (as MLflow's model folders do).
pub fn path_in_version(artifact: &StoredPath, output: &str) -> String {
    match output.strip_prefix(&format!("{}/", artifact.as_str())) {
        Some(below) => below.to_owned(),
        None => artifact.file_name().to_owned(),
    }
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<FileRecord, sqlx::Error> {
    Ok(FileRecord {
        path: row.try_get("path")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_keeps_its_inner_paths_and_a_file_its_name() {
        let folder = StoredPath::parse("outputs/model").unwrap();
        assert_eq!(path_in_version(&folder, "outputs/model/MLmodel"), "MLmodel");
        assert_eq!(path_in_version(&folder, "outputs/model/data/weights.pt"), "data/weights.pt");
        let file = StoredPath::parse("outputs/model.pkl").unwrap();
        assert_eq!(path_in_version(&file, "outputs/model.pkl"), "model.pkl");
    }
}
