//! The first rows of an uploaded CSV, JSON lines or Parquet file, as a table of text. Each
//! reader takes only what 20 rows need (text formats read at most `READ_LIMIT` bytes; Parquet
//! reads its footer and the first pages) and cuts long cells, so a large file costs no more
//! than a small one. What cannot be read is said in a sentence, never an error page.

mod csv_rows;
mod json_lines;
mod parquet_pages;
mod parquet_rows;

use std::io::Read;
use std::path::Path;

use crate::api::datasets::PreviewTable;
use crate::domain::dataset::DataFormat;

pub use csv_rows::csv_preview;
pub use json_lines::json_lines_preview;
pub use parquet_rows::parquet_preview;

/// Rows shown.
pub const ROWS: usize = 20;
/// Characters kept of a cell; longer ones end in '…'.
pub const CELL_CHARS: usize = 200;
/// Bytes a text format may read to find its rows.
pub const READ_LIMIT: u64 = 1024 * 1024;

/// The preview of the file at `file`, or why there is none ("cannot preview: …").
pub async fn preview(file: &Path, format: DataFormat) -> Result<PreviewTable, String> {
    let file = file.to_owned();
    // The readers are synchronous, and a malformed Parquet file may make its reader panic:
    // a blocking task contains both.
    let read = tokio::task::spawn_blocking(move || {
        let opened = std::fs::File::open(&file).map_err(|_| "the file is missing".to_owned())?;
        match format {
            DataFormat::Csv => csv_preview(opened),
            DataFormat::JsonLines => json_lines_preview(opened),
            DataFormat::Parquet => parquet_preview(opened),
            DataFormat::UriFile | DataFormat::UriFolder => {
                Err("only CSV, JSON lines and Parquet files are previewed".to_owned())
            }
        }
    })
    .await;
    let outcome = match read {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("the file could not be read as {}", format.label())),
    };
    outcome.map_err(|why| format!("cannot preview: {why}"))
}

/// A cell's text, cut to `CELL_CHARS`.
fn cell(text: &str) -> String {
    match text.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A reader that stops after `READ_LIMIT` bytes and remembers whether it had to.
struct Limited<R> {
    inner: std::io::Take<R>,
}

impl<R: Read> Limited<R> {
    fn new(inner: R) -> Self {
        Self { inner: inner.take(READ_LIMIT) }
    }

    /// Whether the limit was reached: the last row read may be cut short.
    fn hit_limit(&self) -> bool {
        self.inner.limit() == 0
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_on_a_character_boundary() {
        assert_eq!(cell("short"), "short");
        let long = "é".repeat(CELL_CHARS + 5);
        let cut = cell(&long);
        assert_eq!(cut.chars().count(), CELL_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[tokio::test]
    async fn a_missing_or_unreadable_file_is_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let missing = preview(&dir.path().join("none.csv"), DataFormat::Csv).await;
        assert_eq!(missing.unwrap_err(), "cannot preview: the file is missing");
        let garbage = dir.path().join("bad.parquet");
        std::fs::write(&garbage, b"not parquet at all").unwrap();
        let refused = preview(&garbage, DataFormat::Parquet).await.unwrap_err();
        assert!(refused.starts_with("cannot preview: "), "{refused}");
    }
}
