//! Datastores and the files stored in them: names, kinds, and the paths people and scripts
//! give, checked so that a path can never leave its datastore.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// The name every workspace's default datastore has (as in Azure).
pub const DEFAULT_DATASTORE: &str = "workspaceblobstore";

/// Azure's rule: lowercase letters, digits and underscores, 1 to 255 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatastoreName(String);

impl DatastoreName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(Invalid::new("A datastore name has 1 to 255 characters."));
        }
        if let Some(c) =
            name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
        {
            return Err(Invalid::new(format!(
                "A datastore name has lowercase letters, digits and '_' only, not {c:?}."
            )));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DatastoreKind {
    /// A directory on the server, below the workspace's storage root.
    Local,
    /// A bucket of an S3-compatible object store.
    S3,
}

impl DatastoreKind {
    pub const ALL: [DatastoreKind; 2] = [Self::Local, Self::S3];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::S3 => "s3",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Local => "Local directory",
            Self::S3 => "S3-compatible bucket",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == input.trim())
            .ok_or_else(|| Invalid::new("Choose a local directory or an S3-compatible bucket."))
    }
}

/// A relative, '/'-separated path inside a datastore (a directory, an output file): no empty,
/// `.` or `..` segments, no backslashes or control characters, so it cannot point outside; and
/// no name longer than a file system takes (255 bytes), so it can be written to disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPath(String);

impl StoredPath {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        // Slashes and spaces around go together, so that what is kept reads back the same.
        let path = input.trim_matches(|c: char| c == '/' || c.is_whitespace());
        if path.is_empty() || path.len() > 1024 {
            return Err(Invalid::new(
                "A path has 1 to 1,024 characters, such as outputs/model.pt.",
            ));
        }
        if path.contains('\\') || path.chars().any(char::is_control) {
            return Err(Invalid::new("A path uses '/' between names and no control characters."));
        }
        let segments: Vec<&str> = path.split('/').collect();
        if segments.len() > 32 {
            return Err(Invalid::new("A path has at most 32 levels."));
        }
        if segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
            return Err(Invalid::new("A path cannot have empty, '.' or '..' parts."));
        }
        if segments.iter().any(|s| s.len() > 255) {
            return Err(Invalid::new("A name in a path has at most 255 bytes."));
        }
        Ok(Self(path.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last segment: what a download is called.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

/// An S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'.
pub fn parse_bucket(input: &str) -> Result<String, Invalid> {
    let bucket = input.trim();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    if !(3..=63).contains(&bucket.len()) || !bucket.chars().all(allowed) {
        return Err(Invalid::new(
            "A bucket name has 3 to 63 lowercase letters, digits, '.' and '-'.",
        ));
    }
    Ok(bucket.to_owned())
}

/// The endpoint of an S3-compatible service: an http(s) URL, or empty for AWS itself.
pub fn parse_endpoint(input: &str) -> Result<String, Invalid> {
    let endpoint = input.trim();
    if endpoint.is_empty() {
        return Ok(String::new());
    }
    let valid = (endpoint.starts_with("https://") || endpoint.starts_with("http://"))
        && endpoint.len() <= 512
        && !endpoint.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(Invalid::new("An endpoint is a URL such as https://s3.example.com."));
    }
    Ok(endpoint.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datastore_names_follow_azure_rules() {
        assert!(DatastoreName::parse("training_data_2").is_ok());
        assert!(DatastoreName::parse("Training").unwrap_err().0.contains("'T'"));
        assert!(DatastoreName::parse("").is_err());
    }

    #[test]
    fn stored_paths_cannot_leave_their_datastore() {
        assert_eq!(StoredPath::parse("/outputs/model.pt").unwrap().as_str(), "outputs/model.pt");
        assert_eq!(StoredPath::parse("outputs/model.pt").unwrap().file_name(), "model.pt");
        for bad in ["", "../etc/passwd", "a/../../b", "a//b", "a/./b", "a\\b", "a\u{0}b"] {
            assert!(StoredPath::parse(bad).is_err(), "{bad:?}");
        }
        assert!(StoredPath::parse(&"a/".repeat(33)).is_err());
        // Spaces and slashes around go together: what is kept reads back the same.
        assert_eq!(StoredPath::parse(" /a /").unwrap().as_str(), "a");
        assert!(StoredPath::parse(&"n".repeat(255)).is_ok());
        assert!(StoredPath::parse(&format!("a/{}", "n".repeat(256))).is_err());
    }

    #[test]
    fn buckets_and_endpoints_are_checked() {
        assert!(parse_bucket("ml-data.eu").is_ok());
        assert!(parse_bucket("ML").is_err());
        assert_eq!(parse_endpoint(" ").unwrap(), "");
        assert!(parse_endpoint("https://minio.local:9000").is_ok());
        assert!(parse_endpoint("ftp://x").is_err());
    }
}
