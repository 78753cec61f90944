//! CSV through the `csv` crate: quoted fields, embedded commas and line breaks, rows of
//! uneven length; bytes that are not UTF-8 are shown replaced rather than refused.

use std::io::Read;

use super::{cell, Limited, ROWS};
use crate::api::datasets::PreviewTable;

pub fn csv_preview(reader: impl Read) -> Result<PreviewTable, String> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(Limited::new(reader));
    let headers = csv.byte_headers().map_err(|e| describe(&e))?;
    if headers.as_slice().contains(&0) {
        return Err("the file is not text, so not CSV".to_owned());
    }
    let columns: Vec<String> = headers.iter().map(|h| cell(&String::from_utf8_lossy(h))).collect();
    if columns.is_empty() || (columns.len() == 1 && columns[0].is_empty()) {
        return Err("the file is empty".to_owned());
    }
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut more = false;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) if rows.len() == ROWS => {
                more = true;
                break;
            }
            Ok(true) => {
                rows.push(record.iter().map(|f| cell(&String::from_utf8_lossy(f))).collect())
            }
            // A row cut by the read limit is not an error of the file.
            Err(_) if csv.get_ref().hit_limit() => break,
            Err(e) => return Err(describe(&e)),
        }
    }
    if csv.get_ref().hit_limit() && rows.len() < ROWS {
        // The last row read may be cut short: show it only when it is certainly whole.
        rows.pop();
        more = true;
    }
    Ok(PreviewTable { columns, rows, more })
}

fn describe(error: &csv::Error) -> String {
    match error.position() {
        Some(at) => format!("the CSV is malformed at line {}", at.line()),
        None => "the CSV is malformed".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_line_breaks_stay_inside_their_cell() {
        let text = "name,notes\n\"Smith, Ada\",\"line one\nline two\"\nBob,\"said \"\"hi\"\"\"\n";
        let table = csv_preview(text.as_bytes()).unwrap();
        assert_eq!(table.columns, ["name", "notes"]);
        assert_eq!(table.rows[0], ["Smith, Ada", "line one\nline two"]);
        assert_eq!(table.rows[1], ["Bob", "said \"hi\""]);
        assert!(!table.more);
    }

    #[test]
    fn twenty_rows_are_shown_and_more_is_said() {
        let text: String =
            std::iter::once("n\n".to_owned()).chain((0..50).map(|i| format!("{i}\n"))).collect();
        let table = csv_preview(text.as_bytes()).unwrap();
        assert_eq!(table.rows.len(), ROWS);
        assert_eq!(table.rows[19], ["19"]);
        assert!(table.more);
    }

    #[test]
    fn a_large_file_is_read_only_up_to_the_limit() {
        let row = format!("{}\n", "x".repeat(100_000));
        let text = format!("wide\n{}", row.repeat(30));
        let table = csv_preview(text.as_bytes()).unwrap();
        assert!(table.rows.len() < ROWS && table.more, "{} rows", table.rows.len());
        assert!(table.rows.iter().all(|r| r[0].chars().count() == super::super::CELL_CHARS + 1));
    }

    #[test]
    fn empty_or_binary_files_are_explained_and_uneven_rows_kept() {
        assert_eq!(csv_preview(&b""[..]).unwrap_err(), "the file is empty");
        let binary = csv_preview(&b"PAR1\0\x15\x04"[..]).unwrap_err();
        assert_eq!(binary, "the file is not text, so not CSV");
        let uneven = csv_preview(&b"a,b\n1\n2,3,4\n"[..]).unwrap();
        assert_eq!(uneven.rows, [vec!["1"], vec!["2", "3", "4"]]);
    }
}
