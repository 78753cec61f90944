//! Parquet through the `parquet` crate's row API (no Arrow): the footer gives the columns and
//! the row count, and only the pages holding the first rows are read.

use std::fs::File;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::{cell, ROWS};
use crate::api::datasets::PreviewTable;

fn text(field: &Field) -> String {
    match field {
        Field::Str(s) => cell(s),
        Field::Null => String::new(),
        other => cell(&other.to_string()),
    }
}

pub fn parquet_preview(file: File) -> Result<PreviewTable, String> {
    let length = file.metadata().map_err(|_| "the file cannot be read")?.len();
    let reader =
        SerializedFileReader::new(file).map_err(|e| format!("not a Parquet file ({e})"))?;
    let metadata = reader.metadata();
    // Column chunks must lie inside the file: a footer that says otherwise would have the
    // reader allocate what it claims.
    for group in metadata.row_groups() {
        for column in group.columns() {
            let (start, size) = column.byte_range();
            if start.checked_add(size).is_none_or(|end| end > length) {
                return Err("the Parquet footer points outside the file".to_owned());
            }
        }
    }
    let columns: Vec<String> = metadata
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| cell(f.name()))
        .collect();
    let total = metadata.file_metadata().num_rows();
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None).map_err(|e| format!("unreadable rows ({e})"))? {
        let row = row.map_err(|e| format!("unreadable rows ({e})"))?;
        rows.push(row.get_column_iter().map(|(_, field)| text(field)).collect());
        if rows.len() == ROWS {
            break;
        }
    }
    let more = total > rows.len() as i64;
    Ok(PreviewTable { columns, rows, more })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::*;

    /// A Parquet file of `rows` rows (id, name), written with `compression`.
    pub(crate) fn sample(rows: i64, compression: Compression) -> Vec<u8> {
        let schema = Arc::new(
            parse_message_type(
                "message sample { REQUIRED INT64 id; REQUIRED BYTE_ARRAY name (UTF8); }",
            )
            .unwrap(),
        );
        let properties = Arc::new(WriterProperties::builder().set_compression(compression).build());
        let mut bytes = Vec::new();
        let mut writer = SerializedFileWriter::new(&mut bytes, schema, properties).unwrap();
        let mut group = writer.next_row_group().unwrap();
        let ids: Vec<i64> = (1..=rows).collect();
        let names: Vec<ByteArray> =
            ids.iter().map(|i| ByteArray::from(format!("row {i}").as_str())).collect();
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<Int64Type>().write_batch(&ids, None, None).unwrap();
        column.close().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<ByteArrayType>().write_batch(&names, None, None).unwrap();
        column.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();
        bytes
    }

    fn preview_of(bytes: &[u8]) -> Result<PreviewTable, String> {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        parquet_preview(file)
    }

    #[test]
    fn snappy_and_gzip_files_show_their_first_rows() {
        for compression in [Compression::SNAPPY, Compression::GZIP(Default::default())] {
            let table = preview_of(&sample(30, compression)).unwrap();
            assert_eq!(table.columns, ["id", "name"]);
            assert_eq!(table.rows.len(), ROWS);
            assert_eq!(table.rows[0], ["1", "row 1"]);
            assert!(table.more);
        }
        let small = preview_of(&sample(3, Compression::UNCOMPRESSED)).unwrap();
        assert_eq!((small.rows.len(), small.more), (3, false));
    }

    #[test]
    fn a_file_that_is_not_parquet_is_refused_with_a_reason() {
        let error = preview_of(b"id,name\n1,a\n").unwrap_err();
        assert!(error.starts_with("not a Parquet file"), "{error}");
    }

    #[tokio::test]
    async fn a_damaged_file_is_a_sentence_even_if_its_reader_gives_up() {
        let mut damaged = sample(30, Compression::SNAPPY);
        for byte in &mut damaged[4..60] {
            *byte = 0xff;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.parquet");
        std::fs::write(&path, damaged).unwrap();
        let preview = super::super::preview(&path, crate::domain::dataset::DataFormat::Parquet);
        let error = preview.await.unwrap_err();
        assert!(error.starts_with("cannot preview: "), "{error}");
    }
}
