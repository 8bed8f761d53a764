//! `POST /products/api/v1/labels/` and `GET /products/api/v1/labels/{task_id}/`: the
//! spec's "Labels" tag, bulk label-export jobs on the bulk QR job's queue, task table,
//! object store and bundler ([`crate::bulk`], [`crate::bulk::label`]).
//!
//! The body:
//!
//! | field            | what                                                                 |
//! |------------------|----------------------------------------------------------------------|
//! | `items`          | 1-5000 of `{gtin, lot?, serial?, expiry?, ais?: {AI: value}, text?}`; `text` at most 100 characters of printable Latin-1 |
//! | `symbol`         | `{type, ...options}`: `type` a 1D `barcode_type`, `datamatrix` or `qr`; the options that endpoint takes (`module_width`, `module_size`, `ec_level`...) |
//! | `output`         | `zip` (default) or `sheet`                                           |
//! | `format`         | zip only: `svg`, `png` (default), `eps`, `pdf` (as the endpoint offers) |
//! | `layout`         | sheet only: `L7160`, `L7163`, `5160`, or `{columns, rows, label_width_mm, label_height_mm, margin_top_mm, margin_left_mm, gap_x_mm, gap_y_mm}` |
//! | `page`           | sheet only: `A4`, `Letter` or `{width_mm, height_mm}`; default the stock's page, else A4 |
//! | `crop_marks`     | sheet only: marks at the label edges in the page margins (default false) |
//! | `start_position` | sheet only: 1-based position of the first label on the first page, to finish a partly used sheet (default 1) |
//!
//! Every item is drawn at submit time (all cores), so a bad item, an option that
//! cannot draw it, or a symbol too large for its label (never scaled: the 422 says by
//! how many mm) is a 422 naming the field (`items.3.lot`, `symbol.module_size`)
//! before anything is queued. The answer and the status are the bulk QR job's
//! ([`super::qr_bulk`]); a completed sheet job downloads one PDF, a ZIP job a ZIP
//! with `manifest.csv`.

use super::auth::{require_key, Caller};
use super::body::{Buffered, MAX_BULK_BODY_BYTES};
use super::fields::Fields;
use super::problem::{FieldError, Loc, Problem};
use super::qr_bulk::{item_objects, status, submit_job, BulkStore};
use super::{reply, route_both, App, Request};
use crate::bulk::label::{LabelOutput, LabelSymbol, SheetSpec};
use crate::bulk::{Item, Job};
use crate::render::sheet::{stock, Grid, A4, LETTER, STOCKS};
use crate::render::Format;
use crate::unicode::CharName;
use axum::extract::{Extension, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The submit path; a task's status is `{PATH}{task_id}/`.
pub const PATH: &str = "/products/api/v1/labels/";
/// The body fields a label job's reader accepts (the OpenAPI schema lists these).
pub const FIELDS: &[&str] = &[
    "items",
    "symbol",
    "output",
    "format",
    "layout",
    "page",
    "crop_marks",
    "start_position",
];
const SHEET_FIELDS: [&str; 4] = ["layout", "page", "crop_marks", "start_position"];
/// At most this many failing items are listed in one 422.
const MAX_ITEM_ERRORS: usize = 50;
/// The longest `text` line, in characters.
const MAX_TEXT_CHARS: usize = 100;

/// The submit and status routes, behind an API key.
pub fn routes<S: BulkStore>(app: &Arc<App<S>>) -> Router {
    let key = || from_fn_with_state(Arc::clone(app), require_key::<S>);
    let r = route_both(Router::new(), PATH, post(submit::<S>).route_layer(key()));
    route_both(
        r,
        &format!("{PATH}{{task_id}}/"),
        get(status::<S>).route_layer(key()),
    )
    .with_state(Arc::clone(app))
}

async fn submit<S: BulkStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered<MAX_BULK_BODY_BYTES>,
) -> axum::response::Response {
    reply(submit_job(&app, &caller, req, PATH, read).await)
}

/// Reads and validates the body, then draws every item as it will be drawn.
fn read(req: &Request) -> Result<Job, Problem> {
    let mut f = Fields::from_json_request_up_to(req, MAX_BULK_BODY_BYTES)?;
    let output = f.choice("output", "zip", &["zip", "sheet"]);
    let sheet = output == "sheet";
    let mut errors: Vec<FieldError> = Vec::new();
    let (format, sheet_spec) = if sheet {
        if f.has("format") {
            f.error(
                "format",
                "extra_forbidden",
                "A sheet is one PDF: format is for output zip",
            );
        }
        (Format::Pdf, Some(read_sheet(&mut f)))
    } else {
        for k in SHEET_FIELDS {
            if f.has(k) {
                f.error(k, "extra_forbidden", format!("{k} is for output sheet"));
            }
        }
        let type_name = f
            .raw("symbol")
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let formats = LabelSymbol::formats(type_name);
        let format = f.choice("format", "png", formats);
        (format.parse().unwrap_or(Format::Png), None)
    };
    let symbol = LabelSymbol::read(f.raw("symbol"), format);
    let items = read_items(&mut f);
    let mut known: Vec<&str> = FIELDS.to_vec();
    known.retain(|k| sheet || !SHEET_FIELDS.contains(k));
    if let Err(p) = f.finish(&known) {
        errors.extend(p.details);
    }
    let symbol = match symbol {
        Ok(s) => s,
        Err(e) => {
            errors.extend(e);
            return Err(Problem::validation(errors));
        }
    };
    if !errors.is_empty() {
        return Err(Problem::validation(errors));
    }
    // A sheet field that failed has recorded its error, returned above.
    let sheet_spec = sheet_spec.map(|s| s.ok_or_else(|| Problem::validation(Vec::new())));
    let sheet_spec = sheet_spec.transpose()?;
    // Every item drawn as the bundler will draw it, on every core.
    let failures: Vec<FieldError> = items
        .par_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let result = match &sheet_spec {
                Some(s) => symbol.label(item, &s.grid).map(|_| ()),
                None => symbol.check(item),
            };
            result.err().map(|e| e.field_error(i))
        })
        .collect();
    if !failures.is_empty() {
        // One symbol error repeated for every item says nothing more: keep the first.
        let mut seen_symbol = false;
        let shown: Vec<FieldError> = failures
            .into_iter()
            .filter(|e| {
                let in_symbol = e.loc.get(1) == Some(&Loc::Key("symbol".into()));
                let keep = !(in_symbol && seen_symbol);
                seen_symbol |= in_symbol;
                keep
            })
            .take(MAX_ITEM_ERRORS)
            .collect();
        return Err(Problem::validation(shown));
    }
    let output = match sheet_spec {
        Some(s) => LabelOutput::Sheet(s),
        None => LabelOutput::Zip,
    };
    Ok(Job::label(&symbol, output, items))
}

/// The sheet fields; `None` when one failed (the error is recorded in `f`).
fn read_sheet(f: &mut Fields) -> Option<SheetSpec> {
    let named_page = |name: &str| match name {
        "A4" => Some(A4),
        "Letter" => Some(LETTER),
        _ => None,
    };
    let page = match f.raw("page").cloned() {
        None => None,
        Some(Value::String(s)) => match named_page(&s) {
            Some(p) => Some(p),
            None => {
                f.error(
                    "page",
                    "enum",
                    "Input should be 'A4', 'Letter' or {width_mm, height_mm}",
                );
                return None;
            }
        },
        Some(Value::Object(map)) => {
            let dims = read_numbers(
                f,
                "page",
                &map,
                &[("width_mm", 20.0, 1500.0), ("height_mm", 20.0, 1500.0)],
            )?;
            Some((dims[0], dims[1]))
        }
        Some(_) => {
            f.error(
                "page",
                "model_type",
                "Input should be 'A4', 'Letter' or {width_mm, height_mm}",
            );
            return None;
        }
    };
    let (grid, stock_page) = match f.raw("layout").cloned() {
        None => {
            f.error(
                "layout",
                "missing",
                "Field required: a stock (L7160, L7163, 5160) or {columns, rows, ...}",
            );
            return None;
        }
        Some(Value::String(s)) => match stock(&s) {
            Some(st) => (st.grid, Some((st.name, st.page))),
            None => {
                let names: Vec<&str> = STOCKS.iter().map(|s| s.name).collect();
                f.error(
                    "layout",
                    "enum",
                    format!(
                        "Input should be one of {} or a custom layout object",
                        names.join(", ")
                    ),
                );
                return None;
            }
        },
        Some(Value::Object(map)) => {
            let v = read_numbers(
                f,
                "layout",
                &map,
                &[
                    ("columns", 1.0, 50.0),
                    ("rows", 1.0, 100.0),
                    ("label_width_mm", 5.0, 1000.0),
                    ("label_height_mm", 5.0, 1000.0),
                    ("margin_top_mm", 0.0, 1000.0),
                    ("margin_left_mm", 0.0, 1000.0),
                    ("gap_x_mm", 0.0, 1000.0),
                    ("gap_y_mm", 0.0, 1000.0),
                ],
            )?;
            for (k, i) in [("columns", 0), ("rows", 1)] {
                if v[i].fract() != 0.0 {
                    f.error_at(
                        &["layout", k],
                        "int_type",
                        "Input should be a valid integer",
                    );
                    return None;
                }
            }
            (
                Grid {
                    columns: v[0] as u32,
                    rows: v[1] as u32,
                    label_width_mm: v[2],
                    label_height_mm: v[3],
                    margin_top_mm: v[4],
                    margin_left_mm: v[5],
                    gap_x_mm: v[6],
                    gap_y_mm: v[7],
                },
                None,
            )
        }
        Some(_) => {
            f.error(
                "layout",
                "model_type",
                "Input should be a stock name or a layout object",
            );
            return None;
        }
    };
    let page = match (page, stock_page) {
        (Some(p), Some((name, sp))) if (p.0 - sp.0).abs() > 0.5 || (p.1 - sp.1).abs() > 0.5 => {
            f.error(
                "page",
                "page_mismatch",
                format!(
                    "{name} labels come on a {:.1} x {:.1} mm page; leave page out or give that page",
                    sp.0, sp.1
                ),
            );
            return None;
        }
        (Some(p), _) => p,
        (None, Some((_, sp))) => sp,
        (None, None) => A4,
    };
    let (right, bottom) = grid.extent();
    if right > page.0 + 0.01 || bottom > page.1 + 0.01 {
        f.error(
            "layout",
            "layout_off_page",
            format!(
                "The labels reach {right:.2} x {bottom:.2} mm from the page's top-left corner, past the {:.1} x {:.1} mm page by {:.2} mm across and {:.2} mm down",
                page.0,
                page.1,
                (right - page.0).max(0.0),
                (bottom - page.1).max(0.0)
            ),
        );
        return None;
    }
    let crop_marks = f.boolean("crop_marks", false);
    let per_page = grid.per_page() as i64;
    let start = f.integer("start_position", 1, 1, per_page) as u32;
    Some(SheetSpec::new(page, grid, crop_marks, start))
}

/// The numbers `names` (name, min, max) of the object `map` at `field`; `None` after
/// recording an error.
fn read_numbers(
    f: &mut Fields,
    field: &str,
    map: &Map<String, Value>,
    names: &[(&str, f64, f64)],
) -> Option<Vec<f64>> {
    let mut out = Vec::new();
    let mut ok = true;
    for k in map.keys() {
        if !names.iter().any(|(n, _, _)| n == k) {
            f.error_at(
                &[field, k],
                "extra_forbidden",
                "Extra inputs are not permitted",
            );
            ok = false;
        }
    }
    for (name, min, max) in names {
        match map.get(*name).and_then(Value::as_f64) {
            None if map.get(*name).is_some_and(|v| !v.is_null()) => {
                f.error_at(
                    &[field, name],
                    "float_type",
                    "Input should be a valid number",
                );
                ok = false;
            }
            None => {
                f.error_at(&[field, name], "missing", "Field required");
                ok = false;
            }
            Some(v) if v < *min => {
                f.error_at(
                    &[field, name],
                    "greater_than_equal",
                    format!("Input should be greater than or equal to {min}"),
                );
                ok = false;
            }
            Some(v) if v > *max => {
                f.error_at(
                    &[field, name],
                    "less_than_equal",
                    format!("Input should be less than or equal to {max}"),
                );
                ok = false;
            }
            Some(v) => out.push(v),
        }
    }
    ok.then_some(out)
}

/// `items`: 1 to 5000 objects of a required `gtin`, optional string `lot`, `serial`,
/// `expiry`, `text` and an `ais` object of strings.
fn read_items(f: &mut Fields) -> Vec<Item> {
    let objects = item_objects(f);
    let mut items = Vec::with_capacity(objects.len());
    for (index, map) in objects {
        let mut item = Item::default();
        for (k, v) in map {
            let at = ["items", &index, &k];
            if k == "ais" {
                match v {
                    Value::Null => {}
                    Value::Object(ais) => {
                        for (ai, v) in ais {
                            match v {
                                Value::String(s) => item.ais.push((ai, s)),
                                _ => f.error_at(
                                    &["items", &index, "ais", &ai],
                                    "string_type",
                                    "Input should be a valid string",
                                ),
                            }
                        }
                    }
                    _ => f.error_at(&at, "dict_type", "Input should be an object of AI -> value"),
                }
                continue;
            }
            let slot = match k.as_str() {
                "gtin" => &mut item.gtin,
                "lot" => &mut item.lot,
                "serial" => &mut item.serial,
                "expiry" => &mut item.expiry,
                "text" => &mut item.text,
                _ => {
                    f.error_at(&at, "extra_forbidden", "Extra inputs are not permitted");
                    continue;
                }
            };
            match v {
                Value::Null => {}
                Value::String(s) => *slot = Some(s),
                _ => f.error_at(&at, "string_type", "Input should be a valid string"),
            }
        }
        if item.gtin.is_none() {
            f.error_at(&["items", &index, "gtin"], "missing", "Field required");
        }
        if item
            .text
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS)
        {
            f.error_at(
                &["items", &index, "text"],
                "string_too_long",
                format!("String should have at most {MAX_TEXT_CHARS} characters"),
            );
        } else if let Some((p, c)) = item.text.as_deref().and_then(unprintable) {
            f.error_at(
                &["items", &index, "text"],
                "text_charset",
                format!(
                    "character {} at position {} cannot be printed on a label: the text line is printable Latin-1 (U+0020..U+007E, U+00A0..U+00FF), what the sheet's OCR-B font holds in its WinAnsi encoding",
                    CharName(c),
                    p + 1
                ),
            );
        }
        items.push(item);
    }
    items
}

/// The first character of a label's text line that cannot be printed, with its
/// 0-based position: a control character (C0, DEL, C1), which a line has no use for,
/// or one beyond Latin-1, which the sheet's font encoding (WinAnsi, one byte a
/// character) cannot hold. Latin-1 characters OCR-B has no glyph for still print, as
/// their stand-in (`<U+00E9>`), as in every HRI.
fn unprintable(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() || u32::from(c) > 0xFF)
}
