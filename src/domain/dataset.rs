//! Data assets: a named, versioned reference to data, either a file uploaded into the
//! workspace's default datastore or a URI (a path in one of the workspace's datastores, an
//! `https://` address or an `s3://` object). Each version says what format the data has.

use super::run::asset_name;
use super::Invalid;
use serde::{Deserialize, Serialize};

/// A data asset's name (the rules of environment and model names). Unique in its workspace
/// ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetName(String);

impl DatasetName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        asset_name(input, "data asset").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// What a version holds: tabular files (previewed when uploaded) or, as in Azure, a plain
/// reference to one file or a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataFormat {
    Csv,
    Parquet,
    JsonLines,
    UriFile,
    UriFolder,
}

impl DataFormat {
    pub const ALL: [DataFormat; 5] =
        [Self::Csv, Self::Parquet, Self::JsonLines, Self::UriFile, Self::UriFolder];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
            Self::JsonLines => "jsonl",
            Self::UriFile => "uri_file",
            Self::UriFolder => "uri_folder",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Parquet => "Parquet",
            Self::JsonLines => "JSON lines",
            Self::UriFile => "File (uri_file)",
            Self::UriFolder => "Folder (uri_folder)",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(input)).ok_or_else(|| {
            Invalid::new("Choose a format: csv, parquet, jsonl, uri_file or uri_folder.")
        })
    }

    /// Whether an uploaded file of this format shows its first rows.
    pub fn previewable(self) -> bool {
        matches!(self, Self::Csv | Self::Parquet | Self::JsonLines)
    }

    /// A folder cannot be uploaded as one file.
    pub fn uploadable(self) -> bool {
        self != Self::UriFolder
    }
}

/// Where a version's data lives when it was not uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataUri {
    /// `azureml://datastores/<datastore>/paths/<path>`: a path in a datastore of the workspace.
    Datastore { datastore: String, path: String, text: String },
    /// `https://…` or `s3://bucket/key`, taken as given.
    External(String),
}

impl DataUri {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let uri = input.trim();
        if uri.is_empty() {
            return Err(Invalid::new("Give a URI, or upload a file instead."));
        }
        if uri.len() > 2048 || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid::new("A URI is one word of at most 2,048 characters."));
        }
        if let Some(rest) = uri.strip_prefix("azureml://datastores/") {
            let (datastore, path) = rest.split_once("/paths/").ok_or_else(|| {
                Invalid::new("Write a datastore path as azureml://datastores/<name>/paths/<path>.")
            })?;
            let datastore = super::datastore::DatastoreName::parse(datastore)?;
            // The same rules as the paths of stored outputs: no empty, '.' or '..' parts, no
            // backslashes or control characters, at most 32 levels.
            let path = path.strip_suffix('/').unwrap_or(path);
            if path.starts_with('/') {
                return Err(Invalid::new("A datastore path is relative: it starts with a name."));
            }
            let path = super::datastore::StoredPath::parse(path).map_err(|e| {
                Invalid::new(format!("A datastore path names a file or folder. {}", e.0))
            })?;
            return Ok(Self::Datastore {
                datastore: datastore.as_str().to_owned(),
                path: path.as_str().to_owned(),
                text: uri.to_owned(),
            });
        }
        let external = [("https://", 8), ("s3://", 5)]
            .into_iter()
            .any(|(scheme, len)| uri.starts_with(scheme) && uri.len() > len);
        if external {
            return Ok(Self::External(uri.to_owned()));
        }
        Err(Invalid::new("A URI starts with azureml://datastores/, https:// or s3://."))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Datastore { text, .. } => text,
            Self::External(text) => text,
        }
    }

    /// The datastore a URI points into, when it is one of the workspace's.
    pub fn datastore(&self) -> Option<&str> {
        match self {
            Self::Datastore { datastore, .. } => Some(datastore),
            Self::External(_) => None,
        }
    }
}

/// The name an uploaded file is kept under: its last path segment, at most 255 characters,
/// without control characters.
pub fn parse_file_name(input: &str) -> Result<String, Invalid> {
    let name = input.trim().rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() || name == "." || name == ".." {
        return Err(Invalid::new("The uploaded file needs a name."));
    }
    if name.chars().count() > 255 || name.chars().any(char::is_control) {
        return Err(Invalid::new("A file name has at most 255 characters, none of them controls."));
    }
    Ok(name.to_owned())
}

/// The sorts of the data assets list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DatasetSort {
    #[default]
    Name,
    Newest,
    Oldest,
    Largest,
    Smallest,
}

impl DatasetSort {
    /// What its page cursors hold.
    pub fn key(self) -> super::listing::SortKey {
        match self {
            Self::Name => super::listing::SortKey::UniqueName,
            _ => super::listing::SortKey::Number,
        }
    }

    pub const ALL: [DatasetSort; 5] =
        [Self::Name, Self::Newest, Self::Oldest, Self::Largest, Self::Smallest];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Largest => "largest",
            Self::Smallest => "smallest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Newest => "Newest version first",
            Self::Oldest => "Oldest version first",
            Self::Largest => "Largest first",
            Self::Smallest => "Smallest first",
        }
    }

    /// The sort a URL names; an unknown one falls back to name order.
    pub fn from_url(text: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == text).unwrap_or_default()
    }
}

impl super::listing::ListSort for DatasetSort {
    fn url_name(self) -> &'static str {
        self.as_str()
    }

    fn from_url_name(text: &str) -> Self {
        Self::from_url(text)
    }

    fn descending(self) -> bool {
        matches!(self, Self::Newest | Self::Largest)
    }

    fn title(self) -> &'static str {
        self.label()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_formats_are_checked() {
        assert_eq!(DatasetName::parse(" Iris.v2 ").unwrap().key(), "iris.v2");
        assert_eq!(
            DatasetName::parse("_x").unwrap_err().0,
            "A data asset name starts with a letter or a digit."
        );
        assert_eq!(DataFormat::parse("JSONL").unwrap(), DataFormat::JsonLines);
        assert!(DataFormat::parse("xlsx").is_err());
        assert!(!DataFormat::UriFolder.uploadable());
        assert!(DataFormat::Parquet.previewable() && !DataFormat::UriFile.previewable());
    }

    #[test]
    fn uris_name_a_datastore_path_or_an_external_address() {
        let uri =
            DataUri::parse("azureml://datastores/workspaceblobstore/paths/iris/data.csv").unwrap();
        assert_eq!(uri.datastore(), Some("workspaceblobstore"));
        assert!(DataUri::parse("https://example.com/iris.csv").unwrap().datastore().is_none());
        assert!(DataUri::parse("s3://bucket/key.parquet").is_ok());
        assert!(DataUri::parse("azureml://datastores/Bad-Name/paths/x").is_err());
        assert!(DataUri::parse("azureml://datastores/lake/paths/../x").is_err());
        for bad in ["./x", "a/./b", "a\\b", "a//b", "/etc/passwd", "a/%2e%2e/../b"] {
            let uri = format!("azureml://datastores/lake/paths/{bad}");
            assert!(DataUri::parse(&uri).is_err(), "{uri}");
        }
        let deep = format!("azureml://datastores/lake/paths/{}", ["d"; 33].join("/"));
        assert!(DataUri::parse(&deep).is_err());
        assert!(DataUri::parse("azureml://datastores/lake/x").is_err());
        assert!(DataUri::parse("http://example.com/x").is_err());
        assert!(DataUri::parse("https://").is_err());
        assert!(DataUri::parse("https://a b").is_err());
    }

    #[test]
    fn uploaded_file_names_keep_their_last_segment() {
        assert_eq!(parse_file_name("C:\\data\\iris.csv").unwrap(), "iris.csv");
        assert_eq!(parse_file_name("a/b/rows.jsonl").unwrap(), "rows.jsonl");
        assert!(parse_file_name("..").is_err());
        assert!(parse_file_name("dir/").is_err());
    }

    #[test]
    fn sorts_round_trip_through_urls() {
        for sort in DatasetSort::ALL {
            assert_eq!(DatasetSort::from_url(sort.as_str()), sort);
        }
        assert_eq!(DatasetSort::from_url("bogus"), DatasetSort::Name);
    }
}
