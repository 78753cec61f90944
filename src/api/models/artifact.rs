//! Where a registration's files come from, checked: a path in the source run's outputs, or an
//! uploaded file; never both.

use super::fields;
use crate::domain::datastore::StoredPath;
use crate::domain::Invalid;
use crate::error::AppError;

/// The uploaded file, when one was sent: its name and bytes.
pub(super) fn upload(
    file_name: &str,
    content: &str,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    if content.trim().is_empty() {
        return Ok(None);
    }
    let name = crate::domain::dataset::parse_file_name(file_name)
        .map_err(|e| AppError::invalid_field(fields::CONTENT, e))?;
    let bytes = crate::api::runs::decode_upload(fields::CONTENT, content, "A model file")?;
    Ok(Some((name, bytes)))
}

/// The path in the run's outputs whose files the version gets, when one was given: it needs
/// the run, and excludes an upload.
pub(super) fn run_path(
    artifact_path: &str,
    source_run: Option<&str>,
    uploaded: bool,
) -> Result<Option<StoredPath>, AppError> {
    if artifact_path.trim().is_empty() {
        return Ok(None);
    }
    let invalid =
        |message: &str| AppError::invalid_field(fields::ARTIFACT_PATH, Invalid::new(message));
    if source_run.is_none() {
        return Err(invalid("Files are copied from a run's outputs: name the source run too."));
    }
    if uploaded {
        return Err(invalid("Take the files from the run's outputs or from an upload, not both."));
    }
    StoredPath::parse(artifact_path)
        .map(Some)
        .map_err(|e| AppError::invalid_field(fields::ARTIFACT_PATH, e))
}
