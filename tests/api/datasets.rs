//! Data assets: versions numbered per name from uploads and URIs, previews of CSV,
//! JSON lines and Parquet, downloads through the workspace's authorization, a list searched,
//! filtered, sorted and paged by key (through indexes), edits and deletions that take the
//! files along, and the roles.

use std::sync::Arc;

use atelier::domain::dataset::{DataFormat, DatasetSort};
use atelier::server::db::datasets::{plan_of_list, DatasetFilter};
use atelier::server::db::Backend;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

async fn upload(
    app: &TestApp,
    client: &Client,
    (name, format): (&str, &str),
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let content = STANDARD.encode(bytes);
    let form = with(&[
        ("name", name),
        ("format", format),
        ("file_name", file_name),
        ("content", &content),
        ("tags", "team=vision"),
    ]);
    app.call(client, "datasets/register", &form).await
}

async fn register_uri(app: &TestApp, client: &Client, name: &str, uri: &str) -> reqwest::Response {
    let form = with(&[("name", name), ("format", "uri_folder"), ("uri", uri)]);
    app.call(client, "datasets/register", &form).await
}

async fn version(app: &TestApp, client: &Client, name: &str, version: &str) -> Value {
    let form = with(&[("dataset", name), ("version", version)]);
    app.json(client, "datasets/version", &form, StatusCode::OK).await
}

fn names(page: &Value) -> Vec<String> {
    page["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().into())
        .collect()
}

/// A small Parquet file (fare, city) with `rows` rows, snappy-compressed.
fn parquet_file(rows: usize) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let schema = "message trips { REQUIRED DOUBLE fare; REQUIRED BYTE_ARRAY city (UTF8); }";
    let schema = Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
    let properties =
        WriterProperties::builder().set_compression(parquet::basic::Compression::SNAPPY).build();
    let mut bytes = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut bytes, schema, Arc::new(properties)).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let fares: Vec<f64> = (0..rows).map(|i| 2.5 + i as f64).collect();
    let cities: Vec<ByteArray> =
        (0..rows).map(|i| ByteArray::from(["Oslo", "Lima"][i % 2])).collect();
    let mut column = group.next_column().unwrap().unwrap();
    column.typed::<DoubleType>().write_batch(&fares, None, None).unwrap();
    column.close().unwrap();
    let mut column = group.next_column().unwrap().unwrap();
    column.typed::<ByteArrayType>().write_batch(&cities, None, None).unwrap();
    column.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
    bytes
}

#[tokio::test]
async fn uploads_and_uris_become_numbered_versions_with_previews_and_downloads() {
    let (app, ada) = app_with_workspace().await;
    let csv = b"id,name,notes\n1,\"Smith, Ada\",\"two\nlines\"\n2,Bob,plain\n";
    let registered = upload(&app, &ada, ("iris", "csv"), "iris.csv", csv).await;
    assert_eq!(registered.status(), StatusCode::OK);
    let v1 = version(&app, &ada, "iris", "1").await;
    assert_eq!(v1["version"]["size"], csv.len());
    assert_eq!(v1["version"]["uploaded"], true);
    assert_eq!(v1["version"]["datastore"], "workspaceblobstore");
    let table = &v1["preview"]["Table"];
    assert_eq!(table["columns"], serde_json::json!(["id", "name", "notes"]));
    assert_eq!(table["rows"][0], serde_json::json!(["1", "Smith, Ada", "two\nlines"]));
    assert_eq!(table["more"], false);

    // The same name again, any case: version 2, by URI into a datastore of the workspace.
    let uri = "azureml://datastores/workspaceblobstore/paths/iris/";
    assert_eq!(register_uri(&app, &ada, "IRIS", uri).await.status(), StatusCode::OK);
    let v2 = version(&app, &ada, "iris", "2").await;
    assert_eq!((v2["version"]["uri"].as_str(), v2["preview"].as_str()), (Some(uri), Some("None")));
    assert_eq!(v2["name"], "iris", "the first spelling is kept");
    assert_eq!(v2["other_versions"], serde_json::json!([1]));
    let missing_store = register_uri(&app, &ada, "iris", "azureml://datastores/lake/paths/x").await;
    assert_eq!(missing_store.status(), StatusCode::BAD_REQUEST);
    let refused: Value = missing_store.json().await.unwrap();
    assert_eq!(refused["field"], "uri");
    assert!(refused["message"].as_str().unwrap().contains("no datastore named lake"));
    let external = register_uri(&app, &ada, "web", "https://example.com/data/").await;
    assert_eq!(external.status(), StatusCode::OK);
    let bad = register_uri(&app, &ada, "web", "ftp://example.com/x").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let jsonl = b"{\"b\": 1, \"a\": {\"x\": [1, 2]}}\n{\"c\": \"text\", \"b\": 2}\n";
    let sent = upload(&app, &ada, ("reviews", "jsonl"), "reviews.jsonl", jsonl).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let reviews = version(&app, &ada, "reviews", "1").await;
    let table = &reviews["preview"]["Table"];
    assert_eq!(table["columns"], serde_json::json!(["b", "a", "c"]));
    assert_eq!(table["rows"][0], serde_json::json!(["1", "{\"x\":[1,2]}", ""]));

    let parquet = parquet_file(30);
    let sent = upload(&app, &ada, ("trips", "parquet"), "trips.parquet", &parquet).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let trips = version(&app, &ada, "trips", "1").await;
    let table = &trips["preview"]["Table"];
    assert_eq!(table["columns"], serde_json::json!(["fare", "city"]));
    assert_eq!(table["rows"].as_array().unwrap().len(), 20);
    assert_eq!(table["rows"][1], serde_json::json!(["3.5", "Lima"]));
    assert_eq!(table["more"], true);

    let sent = upload(&app, &ada, ("broken", "parquet"), "broken.parquet", b"id,name\n1,x\n").await;
    assert_eq!(sent.status(), StatusCode::OK);
    let broken = version(&app, &ada, "broken", "1").await;
    let why = broken["preview"]["Unavailable"].as_str().unwrap();
    assert!(why.starts_with("cannot preview: not a Parquet file"), "{why}");
    let sent = upload(&app, &ada, ("broken", "jsonl"), "broken.jsonl", b"{\"a\": 1}\n[2]\n").await;
    assert_eq!(sent.status(), StatusCode::OK);
    let broken = version(&app, &ada, "broken", "2").await;
    assert_eq!(broken["preview"]["Unavailable"], "cannot preview: line 2 is not a JSON object");

    let folder = upload(&app, &ada, ("x", "uri_folder"), "x.csv", b"a\n").await;
    assert_eq!(folder.status(), StatusCode::BAD_REQUEST);
    let too_big = vec![b'a'; 8 * 1024 * 1024 + 1];
    let refused = upload(&app, &ada, ("big", "csv"), "big.csv", &too_big).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let text = refused.text().await.unwrap();
    assert!(text.contains("at most 8 MB"), "{text}");

    let url = app.url(&format!("/files{WS_SCOPE}/datasets/iris/versions/1/iris.csv"));
    let download = ada.get(&url).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().as_ref(), csv);
    let other_name = url.replace("iris.csv", "other.csv");
    assert_eq!(ada.get(&other_name).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    let asset = app.json(&ada, "datasets/get", &with(&[("dataset", "iris")]), StatusCode::OK).await;
    let numbers: Vec<i64> = asset["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(asset["dataset"]["format"], "UriFolder", "the asset shows its latest version");
    let events: Vec<&str> =
        asset["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        [
            &format!("registered version 2 (uri_folder, {uri})"),
            "registered version 1 (csv, iris.csv)"
        ]
    );
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_by_key_while_assets_arrive() {
    let (app, ada) = app_with_workspace().await;
    let sizes = [("alpha", 30), ("bravo", 10), ("charlie", 20)];
    for (name, size) in sizes {
        let sent = upload(&app, &ada, (name, "csv"), "data.csv", &vec![b'x'; size]).await;
        assert_eq!(sent.status(), StatusCode::OK);
    }
    assert_eq!(
        register_uri(&app, &ada, "delta", "s3://bucket/delta/").await.status(),
        StatusCode::OK
    );
    let tagged = with(&[
        ("name", "echo"),
        ("format", "uri_file"),
        ("uri", "https://e.com/x"),
        ("tags", "owner=nova"),
    ]);
    assert_eq!(app.call(&ada, "datasets/register", &tagged).await.status(), StatusCode::OK);

    let list = |extra: Vec<(&'static str, String)>| {
        let app = &app;
        let ada = &ada;
        async move {
            let form: Vec<(&str, &str)> =
                WS.iter().copied().chain(extra.iter().map(|(k, v)| (*k, v.as_str()))).collect();
            app.json(ada, "datasets/list", &form, StatusCode::OK).await
        }
    };
    assert_eq!(names(&list(vec![]).await), ["alpha", "bravo", "charlie", "delta", "echo"]);
    assert_eq!(names(&list(vec![("search", "NOVA".into())]).await), ["echo"], "tags are searched");
    assert_eq!(names(&list(vec![("format", "csv".into())]).await), ["alpha", "bravo", "charlie"]);
    let largest = list(vec![("sort", "largest".into())]).await;
    assert_eq!(names(&largest)[..3], ["alpha", "charlie", "bravo"]);
    let smallest = list(vec![("sort", "smallest".into()), ("format", "csv".into())]).await;
    assert_eq!(names(&smallest), ["bravo", "charlie", "alpha"]);
    let future = atelier::server::db::now() + 86_400;
    let none = list(vec![("since", future.to_string())]).await;
    assert!(names(&none).is_empty());
    let all = list(vec![("until", future.to_string()), ("since", "0".into())]).await;
    assert_eq!(names(&all).len(), 5);
    let refused = app.call(&ada, "datasets/list", &with(&[("format", "xlsx")])).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    // Pages by key: 60 more assets make two pages; assets added between pages neither repeat
    // nor push others out.
    for i in 0..60 {
        let name = format!("set-{i:02}");
        let sent = register_uri(&app, &ada, &name, "s3://bucket/x/").await;
        assert_eq!(sent.status(), StatusCode::OK);
    }
    for sort in ["name", "newest", "smallest"] {
        let first = list(vec![("sort", sort.into())]).await;
        assert_eq!(names(&first).len(), 50, "{sort}");
        let after = first["next_after"].as_str().unwrap().to_owned();
        let late = format!("late-{sort}");
        assert_eq!(register_uri(&app, &ada, &late, "s3://b/x/").await.status(), StatusCode::OK);
        let second = list(vec![("sort", sort.into()), ("after", after)]).await;
        let mut seen = names(&first);
        seen.extend(names(&second));
        let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: a page repeats an asset");
        // Every asset there before the first page is on one of the two pages.
        let before = 65 + ["name", "newest", "smallest"].iter().position(|s| *s == sort).unwrap();
        let old = seen.iter().filter(|n| *n != &late).count();
        assert_eq!(old, before, "{sort}: an asset was skipped");
    }
    let stale = app.call(&ada, "datasets/list", &with(&[("sort", "newest"), ("after", "x")])).await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn versions_are_edited_and_deleted_with_their_files_and_assets_with_all_of_them() {
    let (app, ada) = app_with_workspace().await;
    for body in [&b"a\n1\n"[..], b"a\n2\n"] {
        assert_eq!(
            upload(&app, &ada, ("iris", "csv"), "iris.csv", body).await.status(),
            StatusCode::OK
        );
    }
    let edit = with(&[
        ("dataset", "iris"),
        ("version", "2"),
        ("description", "Cleaned"),
        ("tags", "stage=gold"),
    ]);
    assert_eq!(app.call(&ada, "datasets/update", &edit).await.status(), StatusCode::OK);
    let listed = app.json(&ada, "datasets/list", &WS, StatusCode::OK).await;
    assert_eq!(listed["datasets"][0]["description"], "Cleaned", "the list shows the latest edit");
    let missing = with(&[("dataset", "iris"), ("version", "9"), ("description", "")]);
    assert_eq!(app.call(&ada, "datasets/update", &missing).await.status(), StatusCode::NOT_FOUND);

    let root = app.state.settings.data_dir.join("workspaces");
    let files = |v: &str| {
        let mut dirs = std::fs::read_dir(&root).unwrap();
        let ws = dirs.next().unwrap().unwrap().path();
        ws.join("workspaceblobstore/datasets/iris").join(v).join("iris.csv")
    };
    assert!(files("1").exists() && files("2").exists());
    let delete = with(&[("dataset", "iris"), ("version", "2")]);
    assert_eq!(app.call(&ada, "datasets/delete_version", &delete).await.status(), StatusCode::OK);
    assert!(!files("2").exists() && files("1").exists());
    let listed = app.json(&ada, "datasets/list", &WS, StatusCode::OK).await;
    assert_eq!(listed["datasets"][0]["latest_version"], 1);
    assert_eq!(
        app.call(&ada, "datasets/delete_version", &delete).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        upload(&app, &ada, ("iris", "csv"), "iris.csv", b"a\n3\n").await.status(),
        StatusCode::OK
    );
    let v3 = version(&app, &ada, "iris", "3").await;
    assert_eq!(v3["version"]["version"], 3, "numbers are not reused");

    let unconfirmed = with(&[("dataset", "iris"), ("confirm_name", "iri")]);
    assert_eq!(
        app.call(&ada, "datasets/delete", &unconfirmed).await.status(),
        StatusCode::BAD_REQUEST
    );
    let confirmed = with(&[("dataset", "iris"), ("confirm_name", "IRIS")]);
    assert_eq!(app.call(&ada, "datasets/delete", &confirmed).await.status(), StatusCode::OK);
    assert!(!files("1").exists() && !files("3").exists());
    assert!(!files("").exists(), "the asset's directory goes");
    let gone = app.call(&ada, "datasets/get", &with(&[("dataset", "iris")])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE target = 'iris' AND action LIKE '%datasets%'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(events, 6, "three registrations, an edit, a version and the asset deleted");

    // A workspace purged takes its assets' rows and files along.
    assert_eq!(upload(&app, &ada, ("keep", "csv"), "k.csv", b"a\n").await.status(), StatusCode::OK);
    let delete_ws = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete_ws).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    for table in ["datasets", "dataset_versions"] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table} keeps rows of a purged workspace");
    }
}

#[tokio::test]
async fn data_scientists_register_readers_only_read_and_strangers_see_nothing() {
    let (app, ada) = app_with_workspace().await;
    assert_eq!(
        upload(&app, &ada, ("iris", "csv"), "iris.csv", b"a\n1\n").await.status(),
        StatusCode::OK
    );
    let dana = app.signed_in("Dana", "dana@example.com").await;
    let rita = app.signed_in("Rita", "rita@example.com").await;
    for (email, role) in
        [("dana@example.com", "AzureML Data Scientist"), ("rita@example.com", "Reader")]
    {
        crate::membership::give(&app, &ada, WS_SCOPE, email, role).await;
    }
    assert_eq!(
        upload(&app, &dana, ("iris", "csv"), "iris.csv", b"a\n2\n").await.status(),
        StatusCode::OK
    );
    let delete = with(&[("dataset", "iris"), ("version", "2")]);
    assert_eq!(app.call(&dana, "datasets/delete_version", &delete).await.status(), StatusCode::OK);

    let refused = upload(&app, &rita, ("iris", "csv"), "iris.csv", b"a\n").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let edit = with(&[("dataset", "iris"), ("version", "1"), ("description", "x")]);
    assert_eq!(app.call(&rita, "datasets/update", &edit).await.status(), StatusCode::FORBIDDEN);
    let page = version(&app, &rita, "iris", "1").await;
    assert!(page["permitted"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| !a.as_str().unwrap().contains("datasets/registered/write")));
    let url = app.url(&format!("/files{WS_SCOPE}/datasets/iris/versions/1/iris.csv"));
    assert_eq!(rita.get(&url).send().await.unwrap().status(), StatusCode::OK);

    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "mallory-inc", "stuff", "things").await;
    let read = app.call(&mallory, "datasets/get", &with(&[("dataset", "iris")])).await;
    assert_eq!(read.status(), StatusCode::NOT_FOUND);
    assert_eq!(mallory.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let visitor = crate::helpers::client();
    assert_eq!(visitor.get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_data_asset_list_reads_through_indexes() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan; forbid that to see which index the query can use.
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let by_name = match backend {
        Backend::Sqlite => "sqlite_autoindex_datasets_1",
        Backend::Postgres => "datasets_workspace_id_name_key_key",
    };
    let base = DatasetFilter { limit: 51, ..DatasetFilter::default() };
    let csv = Some(DataFormat::Csv);
    let filters = [
        ("name", base.clone(), by_name),
        (
            "newest",
            DatasetFilter { sort: DatasetSort::Newest, ..base.clone() },
            "datasets_workspace_latest_at",
        ),
        (
            "dates",
            DatasetFilter {
                sort: DatasetSort::Oldest,
                since: Some(1),
                until: Some(9),
                ..base.clone()
            },
            "datasets_workspace_latest_at",
        ),
        (
            "largest",
            DatasetFilter { sort: DatasetSort::Largest, ..base.clone() },
            "datasets_workspace_size",
        ),
        ("format", DatasetFilter { format: csv, ..base.clone() }, "datasets_workspace_format_name"),
        (
            "format by time",
            DatasetFilter { format: csv, sort: DatasetSort::Newest, ..base.clone() },
            "datasets_workspace_format_latest_at",
        ),
        (
            "format by size",
            DatasetFilter { format: csv, sort: DatasetSort::Smallest, ..base.clone() },
            "datasets_workspace_format_size",
        ),
    ];
    for (what, filter, index) in filters {
        let plan = plan_of_list(&mut conn, backend, (1, 1), &filter).await.unwrap();
        let text = plan.join("\n");
        let scans = match backend {
            Backend::Sqlite => plan.iter().any(|l| l.trim_start().starts_with("SCAN datasets")),
            Backend::Postgres => text.contains("Seq Scan on datasets"),
        };
        assert!(!scans, "{what}: the data asset list scans the whole table:\n{text}");
        assert!(!text.contains("TEMP B-TREE") && !text.contains("Sort"), "{what}: sorts:\n{text}");
        assert!(text.contains(index), "{what}: not the expected index:\n{text}");
    }
}

#[tokio::test]
async fn a_uri_into_a_local_datastore_is_previewed_from_the_file_it_names() {
    let (app, ada) = app_with_workspace().await;
    let created = app.call(&ada, "experiments/create", &with(&[("name", "mnist")])).await;
    assert_eq!(created.status(), StatusCode::OK);
    let response = app.call(&ada, "runs/create", &with(&[("experiment", "mnist")])).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let run = location.rsplit('/').next().unwrap().to_owned();
    let csv = STANDARD.encode("epoch,accuracy\n1,0.91\n2,0.94\n");
    let output = with(&[("run", &run), ("path", "outputs/scores.csv"), ("content", &csv)]);
    assert_eq!(app.call(&ada, "runs/upload_output", &output).await.status(), StatusCode::OK);

    // The run's output, registered by its path in the default datastore.
    let uri =
        format!("azureml://datastores/workspaceblobstore/paths/runs/{run}/outputs/scores.csv");
    let form = with(&[("name", "scores"), ("format", "csv"), ("uri", &uri)]);
    assert_eq!(app.call(&ada, "datasets/register", &form).await.status(), StatusCode::OK);
    let scores = version(&app, &ada, "scores", "1").await;
    let table = &scores["preview"]["Table"];
    assert_eq!(table["columns"], serde_json::json!(["epoch", "accuracy"]));
    assert_eq!(table["rows"][1], serde_json::json!(["2", "0.94"]));

    // A path with nothing at it says so rather than failing the page.
    let uri = "azureml://datastores/workspaceblobstore/paths/runs/none/outputs/gone.csv";
    let form = with(&[("name", "gone"), ("format", "csv"), ("uri", uri)]);
    assert_eq!(app.call(&ada, "datasets/register", &form).await.status(), StatusCode::OK);
    let gone = version(&app, &ada, "gone", "1").await;
    assert_eq!(gone["preview"]["Unavailable"], "cannot preview: the file is missing");
}

#[tokio::test]
async fn a_data_asset_over_a_run_output_previews_only_for_those_who_may_read_runs() {
    let (app, ada) = app_with_workspace().await;
    let created = app.call(&ada, "experiments/create", &with(&[("name", "mnist")])).await;
    assert_eq!(created.status(), StatusCode::OK);
    let response = app.call(&ada, "runs/create", &with(&[("experiment", "mnist")])).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let run = location.rsplit('/').next().unwrap().to_owned();
    let csv = STANDARD.encode("secret,value\nkey,zebra-s3cret\n");
    let output = with(&[("run", &run), ("path", "outputs/secret.csv"), ("content", &csv)]);
    assert_eq!(app.call(&ada, "runs/upload_output", &output).await.status(), StatusCode::OK);
    let uri =
        format!("azureml://datastores/workspaceblobstore/paths/runs/{run}/outputs/secret.csv");
    let form = with(&[("name", "leak"), ("format", "csv"), ("uri", &uri)]);
    assert_eq!(app.call(&ada, "datasets/register", &form).await.status(), StatusCode::OK);

    // A role that reads data assets but not runs.
    let role = [
        ("organization", "contoso"),
        ("name", "Data Reader"),
        (
            "actions",
            "Microsoft.MachineLearningServices/workspaces/read\n\
             Microsoft.MachineLearningServices/workspaces/datasets/*/read",
        ),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    assert_eq!(app.call(&ada, "roles/save", &role).await.status(), StatusCode::OK);
    let eve = app.signed_in("Eve", "eve@example.com").await;
    crate::tracking_support::grant_on_detector(&app, &ada, "eve@example.com", "Data Reader").await;
    let outputs = app.call(&eve, "runs/outputs", &with(&[("run", &run)])).await.status();
    assert_eq!(outputs, StatusCode::FORBIDDEN);
    let seen = version(&app, &eve, "leak", "1").await;
    assert!(seen["preview"]["Table"].is_null(), "{seen}");
    assert!(!seen.to_string().contains("zebra-s3cret"), "{seen}");
    // The owner, who may read runs, sees the rows.
    let owner = version(&app, &ada, "leak", "1").await;
    assert_eq!(owner["preview"]["Table"]["rows"][0], serde_json::json!(["key", "zebra-s3cret"]));

    // Paths are checked as stored outputs' paths are.
    for bad in ["runs/./x.csv", "runs\\x.csv", "/etc/passwd"] {
        let uri = format!("azureml://datastores/workspaceblobstore/paths/{bad}");
        let form = with(&[("name", "bad"), ("format", "csv"), ("uri", &uri)]);
        let refused = app.call(&ada, "datasets/register", &form).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{uri}");
    }
}
