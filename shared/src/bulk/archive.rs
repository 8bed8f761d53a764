//! The bundle's archive: one file per symbol, then `manifest.csv`, written as a stream
//! (no seeking, so it can go to S3 parts as well as to a file or a pipe).
//!
//! The bulk job's bundler and the `gs1-codes batch` command both write through
//! [`Archive`], so a ZIP from either has the same entries, options and manifest: PNGs
//! stored (they are compressed already), SVG, EPS, PDF and the manifest deflated, and
//! every entry dated 1980-01-01, so the same items give the same bytes.
//!
//! Entry names are the job's [`super::file_name`]s (letters, digits, `-`, `_` and one
//! `.`: never a `..`, a `/`, a `\` or an absolute path). The manifest is CSV as RFC 4180
//! writes it (a value with `,`, `"` or a line break is quoted, `"` doubled), and a cell
//! that a spreadsheet would run as a formula is made inert ([`inert_cell`]).

use super::job::{Rendered, MANIFEST_HEADER};
use std::io::Write;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

/// A ZIP being written: symbol files in the order added, `manifest.csv` last.
pub struct Archive<W: Write> {
    zip: ZipWriter<StreamWriter<W>>,
    manifest: csv::Writer<Vec<u8>>,
}

/// Why the archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The ZIP writer or the output failed.
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing a manifest row failed.
    #[error("manifest: {0}")]
    Manifest(#[from] csv::Error),
    /// The output failed.
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
}

impl<W: Write> Archive<W> {
    /// An archive written into `out`, its manifest started with [`MANIFEST_HEADER`]
    /// (a bulk QR job's columns).
    pub fn new(out: W) -> Result<Archive<W>, ArchiveError> {
        Archive::with_header(out, &MANIFEST_HEADER)
    }

    /// An archive whose manifest has the columns `header` (a label job's, say).
    pub fn with_header(out: W, header: &[&str]) -> Result<Archive<W>, ArchiveError> {
        let mut manifest = csv::Writer::from_writer(Vec::new());
        manifest.write_record(header)?;
        Ok(Archive {
            zip: ZipWriter::new_stream(out),
            manifest,
        })
    }

    /// Adds one symbol's file and its manifest row.
    pub fn add(&mut self, r: &Rendered) -> Result<(), ArchiveError> {
        self.zip
            .start_file(&r.file_name, entry_options(&r.file_name))?;
        self.zip.write_all(&r.bytes)?;
        self.manifest
            .write_record(r.manifest.iter().map(|cell| inert_cell(cell)))?;
        Ok(())
    }

    /// Writes `manifest.csv` and the ZIP's central directory; returns the output.
    pub fn finish(mut self) -> Result<W, ArchiveError> {
        let manifest = self
            .manifest
            .into_inner()
            .map_err(|e| ArchiveError::Io(e.into_error()))?;
        self.zip
            .start_file("manifest.csv", entry_options("manifest.csv"))?;
        self.zip.write_all(&manifest)?;
        Ok(self.zip.finish()?.into_inner())
    }
}

/// A manifest cell as a spreadsheet shows it, never runs it: a value that starts with
/// `=`, `+`, `-` or `@` (a formula to Excel, LibreOffice and Google Sheets), or a tab or
/// carriage return, gets a `'` in front, as OWASP's "CSV Injection" advises; so does a
/// value that starts with `'` itself, so the rule reverses exactly: a cell that starts
/// with `'` is the value with that first `'` removed. GS1's CSET 82 allows `=`, `+`, `-`
/// and `'` in a lot or serial, and a label's text is free.
pub fn inert_cell(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A file's ZIP entry options: stored for PNG, deflated otherwise; fixed date.
pub fn entry_options(file_name: &str) -> SimpleFileOptions {
    let method = if file_name.ends_with(".png") {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_made_inert_and_reversibly() {
        let rows = [
            // 0: plain values are as sent
            ("LOT1", "LOT1"),
            ("", ""),
            // 2: formula starters
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            // 7: a leading quote is doubled, so removing one always gives the value
            ("'=x", "''=x"),
            // 8: only the first character counts
            ("A=1", "A=1"),
        ];
        for (i, (value, want)) in rows.into_iter().enumerate() {
            let cell = inert_cell(value);
            assert_eq!(cell, want, "row {i}");
            let back = cell.strip_prefix('\'').unwrap_or(&cell);
            assert_eq!(back, value, "row {i}");
        }
    }
}
