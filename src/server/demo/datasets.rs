//! Demo data assets: an uploaded CSV and JSON lines file (so a first start shows a preview),
//! a second version of the CSV, and references into the default datastore and the web.

use std::path::Path;

use anyhow::Context;

use crate::domain::dataset::{DataFormat, DataUri, DatasetName};
use crate::domain::{Description, Tags};
use crate::server::authz::Authorized;
use crate::server::dataset_files;
use crate::server::db::audit::Actor;
use crate::server::db::dataset_versions::{NewVersion, Source};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::Pool;
use crate::server::storage::sha256_hex;

/// The flowers of Fisher's iris data, a few of each species.
const IRIS: &str = "sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
4.9,3.0,1.4,0.2,setosa
4.7,3.2,1.3,0.2,setosa
5.0,3.6,1.4,0.2,setosa
5.4,3.9,1.7,0.4,setosa
7.0,3.2,4.7,1.4,versicolor
6.4,3.2,4.5,1.5,versicolor
6.9,3.1,4.9,1.5,versicolor
5.5,2.3,4.0,1.3,versicolor
6.5,2.8,4.6,1.5,versicolor
6.3,3.3,6.0,2.5,virginica
5.8,2.7,5.1,1.9,virginica
7.1,3.0,5.9,2.1,virginica
6.3,2.9,5.6,1.8,virginica
6.5,3.0,5.8,2.2,virginica
";

/// Review snippets for the sentiment workspace, nested labels included.
const REVIEWS: &str = r#"{"id": 1, "text": "A quiet, moving film.", "label": "positive", "meta": {"source": "sst2", "split": "train"}}
{"id": 2, "text": "Too long, and the jokes fall flat.", "label": "negative", "meta": {"source": "sst2", "split": "train"}}
{"id": 3, "text": "The cast carries it.", "label": "positive"}
{"id": 4, "text": "I wanted to like it.", "label": "negative", "tokens": ["I", "wanted", "to", "like", "it"]}
"#;

enum Data<'a> {
    File(&'a str, &'a str),
    Uri(&'a str),
}

/// Four assets per workspace; `iris` in two versions.
pub async fn seed(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
) -> anyhow::Result<()> {
    let iris_v2 = format!("{IRIS}5.9,3.0,5.1,1.8,virginica\n");
    let versions = [
        (
            "iris",
            DataFormat::Csv,
            Data::File("iris.csv", IRIS),
            "Fisher's iris measurements.",
            "task=classification",
        ),
        (
            "iris",
            DataFormat::Csv,
            Data::File("iris.csv", &iris_v2),
            "One more virginica.",
            "task=classification",
        ),
        (
            "reviews",
            DataFormat::JsonLines,
            Data::File("reviews.jsonl", REVIEWS),
            "Labelled review snippets.",
            "task=sentiment\nlanguage=en",
        ),
        (
            "product-photos",
            DataFormat::UriFolder,
            Data::Uri("azureml://datastores/workspaceblobstore/paths/photos/"),
            "Product photos as uploaded by the shop.",
            "task=vision",
        ),
        (
            "taxi-trips",
            DataFormat::Parquet,
            Data::Uri("https://example.com/nyc-taxi/2024-01.parquet"),
            "A month of taxi trips, kept where it was published.",
            "source=public",
        ),
    ];
    for (name, format, data, description, tags) in versions {
        let (name, description, tags) =
            (DatasetName::parse(name)?, Description::parse(description)?, Tags::parse(tags)?);
        let uri;
        let digest;
        let (source, bytes) = match data {
            Data::Uri(text) => {
                uri = DataUri::parse(text)?;
                (Source::Uri(&uri), None)
            }
            Data::File(file_name, text) => {
                digest = sha256_hex(text.as_bytes());
                let size = text.len() as i64;
                (Source::Upload { file_name, size, sha256: &digest }, Some(text.as_bytes()))
            }
        };
        let new =
            NewVersion { name: &name, format, source, description: &description, tags: &tags };
        dataset_files::register(pool, data_dir, ws, actor, &new, bytes)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))
            .context("registering a demo data asset")?;
    }
    Ok(())
}
