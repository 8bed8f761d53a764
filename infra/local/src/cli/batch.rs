//! `gs1-codes batch`: one symbol per input row, rendered on every core (rayon), into a
//! ZIP or a directory with the bulk job's file names and `manifest.csv`
//! ([`shared::bulk::file_name`], [`shared::bulk::Archive`]).
//!
//! Each row is the JSON body of one `POST` to the endpoint of `--type`: the flags give
//! every row's fields (as `render`'s do), the row's own fields are laid over them, and
//! the endpoint's reader and renderer do the rest ([`super::symbol`]). Input is CSV with
//! a header naming the fields (`gtin,lot,serial,expiry`, any option such as
//! `module_width`, and all-digit headers as extra AIs), or JSON Lines (one object per
//! line). A row that fails goes to the errors file (`line,field,rule,message`), the
//! other rows are written, and the exit code is 3.

use super::render::FormatArg;
use super::symbol::{flag_name, Drawn, Invalid, SymbolArgs};
use super::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Map, Value};
use shared::bulk::{file_name, inert_cell, Archive, Rendered, MANIFEST_HEADER};
use std::io::{BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rows rendered in parallel at once (and handed to the writer together).
const CHUNK: usize = 512;

/// The input's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// CSV with a header naming the fields
    Csv,
    /// JSON Lines: one JSON object per line
    Jsonl,
}

/// `gs1-codes batch`.
#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Input rows: CSV with a header, or JSON Lines; - for stdin
    #[arg(short = 'i', long = "input", value_name = "FILE")]
    pub input: PathBuf,
    /// Output: a .zip file, or a directory (ending in / or existing)
    #[arg(short = 'o', long = "output", value_name = "OUT.zip|DIR/")]
    pub output: PathBuf,
    /// Format of every symbol (default svg)
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<FormatArg>,
    /// Input form (default: .jsonl/.ndjson/.json files are JSON Lines, .csv is CSV, else by the first character)
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Where failed rows go (default: errors.csv in the output directory, or OUT.errors.csv beside the ZIP)
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Threads (default: every core)
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub symbol: SymbolArgs,
}

/// One input row: its first line in the input and its fields.
struct Row {
    line: u64,
    fields: Result<Map<String, Value>, String>,
}

/// One row's outcome.
type Outcome = Result<Rendered, (u64, Invalid)>;
/// One row written to a directory: its manifest row or why not; `Err` stops the batch.
type Written = Result<Result<Vec<String>, (u64, Invalid)>, Failure>;

/// Where the symbols go.
enum Output {
    Zip(PathBuf),
    Dir(PathBuf),
}

/// Runs the batch.
pub fn run(args: BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    if let Some(n) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| Failure::msg(format!("--jobs: {e}")))?;
    }
    let output = output_of(&args.output)?;
    let errors_path = args.errors.clone().unwrap_or_else(|| match &output {
        Output::Dir(d) => d.join("errors.csv"),
        Output::Zip(z) => z.with_extension("errors.csv"),
    });
    let mut template = args
        .symbol
        .body()
        .map_err(|e| Failure::invalid(&e, flag_name))?;
    let format = args.format.map_or("svg", FormatArg::name);
    template.insert("format".into(), Value::String(format.into()));
    let rows = read_rows(&args.input, args.input_format)?;
    let count = rows.len();

    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} symbols, {per_sec}, eta {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let draw = |i: usize, row: &Row| -> Outcome {
        let fields = row.fields.as_ref().map_err(|e| {
            (
                row.line,
                Invalid(vec![shared::api::problem::FieldFailure::new(
                    "",
                    "row_invalid",
                    e.clone(),
                )]),
            )
        })?;
        let mut body = template.clone();
        for (k, v) in fields {
            if k == "ais" {
                if let (Some(Value::Object(a)), Value::Object(b)) = (body.get_mut("ais"), v) {
                    a.extend(b.clone());
                    continue;
                }
            }
            body.insert(k.clone(), v.clone());
        }
        let request = args.symbol.request(body).map_err(|e| (row.line, e))?;
        let drawn = request.draw().map_err(|e| (row.line, e))?;
        Ok(rendered(i, count, request.format().extension(), drawn))
    };

    let mut failed: Vec<(u64, Invalid)> = Vec::new();
    let mut manifest_rows: Vec<Vec<String>> = Vec::new();
    let indexed: Vec<(usize, &Row)> = rows.iter().enumerate().collect();
    match &output {
        Output::Dir(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::io(&dir.display().to_string(), &e))?;
            for chunk in indexed.chunks(CHUNK) {
                let done: Vec<Written> = chunk
                    .par_iter()
                    .map(|&(i, row)| match draw(i, row) {
                        Ok(r) => {
                            let path = dir.join(&r.file_name);
                            std::fs::write(&path, &r.bytes)
                                .map_err(|e| Failure::io(&path.display().to_string(), &e))?;
                            Ok(Ok(r.manifest))
                        }
                        Err(e) => Ok(Err(e)),
                    })
                    .collect();
                for d in done {
                    match d? {
                        Ok(m) => manifest_rows.push(m),
                        Err(e) => failed.push(e),
                    }
                }
                progress.inc(chunk.len() as u64);
            }
            write_manifest(&dir.join("manifest.csv"), &manifest_rows)?;
        }
        Output::Zip(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::io(&path.display().to_string(), &e))?;
            // The writer thread zips one chunk while the cores render the next.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Rendered>>(2);
            let writer = std::thread::spawn(move || -> Result<usize, String> {
                let mut archive = Archive::new(BufWriter::new(file)).map_err(|e| e.to_string())?;
                let mut n = 0;
                for chunk in rx {
                    for r in &chunk {
                        archive.add(r).map_err(|e| e.to_string())?;
                        n += 1;
                    }
                }
                archive
                    .finish()
                    .map_err(|e| e.to_string())?
                    .flush()
                    .map_err(|e| e.to_string())?;
                Ok(n)
            });
            for chunk in indexed.chunks(CHUNK) {
                let done: Vec<Outcome> = chunk.par_iter().map(|&(i, row)| draw(i, row)).collect();
                let mut ok = Vec::with_capacity(done.len());
                for d in done {
                    match d {
                        Ok(r) => ok.push(r),
                        Err(e) => failed.push(e),
                    }
                }
                manifest_rows.extend(ok.iter().map(|r| r.manifest.clone()));
                if tx.send(ok).is_err() {
                    break;
                }
                progress.inc(chunk.len() as u64);
            }
            drop(tx);
            writer
                .join()
                .map_err(|_| Failure::msg("the ZIP writer stopped"))?
                .map_err(|e| Failure::msg(format!("{}: {e}", path.display())))?;
        }
    }
    progress.finish_and_clear();

    let secs = started.elapsed().as_secs_f64();
    let written = manifest_rows.len();
    let mut summary = format!("{written} symbols in {secs:.2} s");
    if failed.is_empty() {
        if args.errors.is_none() && errors_path.exists() {
            // A stale default errors file from an earlier run would mislead.
            let _ = std::fs::remove_file(&errors_path);
        }
        println!("{summary}");
        return Ok(());
    }
    write_errors(&errors_path, &failed, &rows)?;
    summary.push_str(&format!(
        ", {} of {count} rows failed (see {})",
        failed.len(),
        errors_path.display()
    ));
    println!("{summary}");
    Err(Failure {
        code: 3,
        message: String::new(),
    })
}

/// `-o`: a ZIP (`.zip`) or a directory (ends in `/` or exists).
fn output_of(path: &Path) -> Result<Output, Failure> {
    let s = path.to_string_lossy();
    if s.ends_with('/') || path.is_dir() {
        Ok(Output::Dir(path.to_path_buf()))
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        Ok(Output::Zip(path.to_path_buf()))
    } else {
        Err(Failure::usage(format!(
            "-o {s}: give a .zip file or a directory ending in /"
        )))
    }
}

/// One drawn row as the bulk job writes it: its file name and manifest row.
fn rendered(index: usize, count: usize, ext: &str, d: Drawn) -> Rendered {
    let name = file_name(
        index,
        count,
        &d.gtin,
        &[d.lot.as_deref(), d.serial.as_deref()],
        ext,
    );
    let field = |v: Option<String>| v.unwrap_or_default();
    Rendered {
        manifest: vec![
            name.clone(),
            d.gtin,
            field(d.lot),
            field(d.serial),
            field(d.expiry),
            field(d.uri),
        ],
        file_name: name,
        bytes: d.bytes,
    }
}

/// Reads every row; a malformed one becomes an error row (the others still run).
fn read_rows(input: &Path, form: Option<InputFormat>) -> Result<Vec<Row>, Failure> {
    let name = input.display().to_string();
    let mut text = String::new();
    if input.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::io("stdin", &e))?;
    } else {
        text = std::fs::read_to_string(input).map_err(|e| Failure::io(&name, &e))?;
    }
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let form = form.unwrap_or(match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
        Some("csv") => InputFormat::Csv,
        _ if text.trim_start().starts_with('{') => InputFormat::Jsonl,
        _ => InputFormat::Csv,
    });
    match form {
        InputFormat::Jsonl => Ok(jsonl_rows(&text)),
        InputFormat::Csv => csv_rows(&text).map_err(|e| Failure::msg(format!("{name}: {e}"))),
    }
}

/// A field name as the endpoints spell it: `Module-Width` -> `module_width`.
fn field_key(header: &str) -> String {
    header.trim().to_ascii_lowercase().replace('-', "_")
}

fn jsonl_rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in text.as_bytes().lines().enumerate() {
        let line = line.unwrap_or_default();
        if line.trim().is_empty() {
            continue;
        }
        let fields = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(m)) => Ok(m.into_iter().map(|(k, v)| (field_key(&k), v)).collect()),
            Ok(_) => Err("a line must be a JSON object".to_string()),
            Err(e) => Err(format!("invalid JSON: {e}")),
        };
        rows.push(Row {
            line: i as u64 + 1,
            fields,
        });
    }
    rows
}

/// The fields that are text whatever they look like (a lot `0012` stays a string).
const TEXT_FIELDS: [&str; 9] = [
    "gtin",
    "lot",
    "serial",
    "expiry",
    "element_string",
    "bearer",
    "shape",
    "ec_level",
    "format",
];

fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the header: {e}"))?
        .iter()
        .map(field_key)
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err("the first line must be a header naming the fields (gtin,lot,...)".into());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let (line, fields) = match record {
            Err(e) => (
                e.position().map_or(0, |p| p.line()),
                Err(format!("unreadable CSV: {e}")),
            ),
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                (line, csv_fields(&headers, &r))
            }
        };
        rows.push(Row { line, fields });
    }
    Ok(rows)
}

/// One CSV record as body fields: empty cells left out (the default applies), option
/// columns read as numbers or booleans, all-digit headers gathered into `ais`.
fn csv_fields(headers: &[String], r: &csv::StringRecord) -> Result<Map<String, Value>, String> {
    if r.len() > headers.len() {
        return Err(format!(
            "{} cells, but the header names {}",
            r.len(),
            headers.len()
        ));
    }
    let mut m = Map::new();
    let mut ais = Map::new();
    for (h, cell) in headers.iter().zip(r.iter()) {
        if cell.is_empty() || h.is_empty() {
            continue;
        }
        let value = if TEXT_FIELDS.contains(&h.as_str()) {
            Value::String(cell.to_string())
        } else if h.bytes().all(|b| b.is_ascii_digit()) {
            ais.insert(h.clone(), Value::String(cell.to_string()));
            continue;
        } else if let Ok(b) = cell.trim().parse::<bool>() {
            Value::Bool(b)
        } else if let Some(n) = cell
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Value::Number(n)
        } else {
            Value::String(cell.to_string())
        };
        m.insert(h.clone(), value);
    }
    if !ais.is_empty() {
        m.insert("ais".into(), Value::Object(ais));
    }
    Ok(m)
}

fn write_manifest(path: &Path, rows: &[Vec<String>]) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::io(&path.display().to_string(), &e);
    let mut w = csv::Writer::from_path(path).map_err(|e| io(e.into()))?;
    w.write_record(MANIFEST_HEADER).map_err(|e| io(e.into()))?;
    for r in rows {
        // As the ZIP's manifest: a formula-like cell is made inert.
        w.write_record(r.iter().map(|cell| inert_cell(cell)))
            .map_err(|e| io(e.into()))?;
    }
    w.flush().map_err(io)
}

/// `line,field,rule,message`, one row per failing field, in input order. A field is
/// named as the row named it (its column or key) when the row gave it, else by its flag.
fn write_errors(path: &Path, failed: &[(u64, Invalid)], rows: &[Row]) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::io(&path.display().to_string(), &e);
    let mut w = csv::Writer::from_path(path).map_err(|e| io(e.into()))?;
    w.write_record(["line", "field", "rule", "message"])
        .map_err(|e| io(e.into()))?;
    let mut failed: Vec<&(u64, Invalid)> = failed.iter().collect();
    failed.sort_by_key(|(line, _)| *line);
    for (line, invalid) in failed {
        let row = rows.iter().find(|r| r.line == *line);
        let in_row = |field: &str| {
            let top = field.split('.').next().unwrap_or(field);
            row.and_then(|r| r.fields.as_ref().ok())
                .is_some_and(|f| f.contains_key(top))
        };
        for f in &invalid.0 {
            let field = if f.field.is_empty() || in_row(&f.field) {
                f.field.clone()
            } else {
                flag_name(&f.field)
            };
            let record = [line.to_string(), field, f.rule.clone(), f.msg.clone()];
            w.write_record(record.iter().map(|cell| inert_cell(cell)))
                .map_err(|e| io(e.into()))?;
        }
    }
    w.flush().map_err(io)
}
