//! Parquet through the `parquet` crate's row API (no Arrow): the footer gives the columns and
//! the row count, and only the row groups holding the first rows are read, each after its
//! pages are checked against the limits (`parquet_pages`).

use std::fs::File;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::parquet_pages::check_row_group;
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
    let pages = file.try_clone().map_err(|_| "the file cannot be read")?;
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
    let unreadable = |e: parquet::errors::ParquetError| format!("unreadable rows ({e})");
    'groups: for (index, group) in metadata.row_groups().iter().enumerate() {
        check_row_group(&pages, group)?;
        let group = reader.get_row_group(index).map_err(unreadable)?;
        for row in group.get_row_iter(None).map_err(unreadable)? {
            let row = row.map_err(unreadable)?;
            rows.push(row.get_column_iter().map(|(_, field)| text(field)).collect());
            if rows.len() == ROWS {
                break 'groups;
            }
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

    /// One INT64 column of `rows` values (all `value`), plain-encoded in a single page.
    fn one_big_page(rows: usize, value: i64, compression: Compression) -> Vec<u8> {
        let schema = Arc::new(parse_message_type("message big { REQUIRED INT64 n; }").unwrap());
        let properties = WriterProperties::builder()
            .set_compression(compression)
            .set_dictionary_enabled(false)
            .set_encoding(parquet::basic::Encoding::PLAIN)
            .set_data_page_size_limit(256 * 1024 * 1024)
            .set_data_page_row_count_limit(usize::MAX)
            .set_write_batch_size(rows)
            .build();
        let mut bytes = Vec::new();
        let mut writer =
            SerializedFileWriter::new(&mut bytes, schema, Arc::new(properties)).unwrap();
        let mut group = writer.next_row_group().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<Int64Type>().write_batch(&vec![value; rows], None, None).unwrap();
        column.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();
        bytes
    }

    /// Rewrites the first page header's declared uncompressed size, which must take four
    /// varint bytes before and after (so nothing after it moves).
    fn declare_uncompressed(bytes: &mut [u8], size: u32) {
        let file = preview_file(bytes);
        let reader = SerializedFileReader::new(file).unwrap();
        let start = reader.metadata().row_group(0).column(0).byte_range().0 as usize;
        // Field 1 (page type, one byte), then field 2: the uncompressed size.
        assert_eq!((bytes[start], bytes[start + 2]), (0x15, 0x15));
        let at = start + 3;
        assert!(bytes[at..at + 3].iter().all(|b| b & 0x80 != 0) && bytes[at + 3] & 0x80 == 0);
        let mut zigzag = u64::from(size) << 1;
        for byte in &mut bytes[at..at + 4] {
            *byte = (zigzag & 0x7f) as u8 | 0x80;
            zigzag >>= 7;
        }
        assert_eq!(zigzag, 0, "the new size needs four bytes");
        bytes[at + 3] &= 0x7f;
    }

    fn preview_file(bytes: &[u8]) -> std::fs::File {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        file
    }

    #[test]
    fn a_page_declaring_a_huge_uncompressed_size_is_refused_before_anything_is_reserved() {
        // 200,000 values: a 1.6 MB page, whose size takes four varint bytes.
        let mut bytes = one_big_page(200_000, 7, Compression::SNAPPY);
        assert_eq!(preview_of(&bytes).unwrap().rows.len(), ROWS);
        declare_uncompressed(&mut bytes, 120 * 1024 * 1024);
        let refused = preview_of(&bytes).unwrap_err();
        assert_eq!(refused, "a page unpacks to more than 16 MB");
    }

    #[test]
    fn a_gzip_page_that_inflates_past_what_it_declares_is_refused() {
        // 2.5 million zeros: 20 MB that gzip packs into a few kilobytes.
        let mut bytes = one_big_page(2_500_000, 0, Compression::GZIP(Default::default()));
        assert!(bytes.len() < 256 * 1024, "{} bytes", bytes.len());
        declare_uncompressed(&mut bytes, 1024 * 1024 + 8);
        let refused = preview_of(&bytes).unwrap_err();
        assert_eq!(refused, "a page unpacks to more than 16 MB");
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
