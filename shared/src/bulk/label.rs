//! Label jobs (`POST /products/api/v1/labels/`): any symbology the image endpoints
//! draw, one per item, as a ZIP of files or as sheets of labels ([`LabelOutput`]).
//!
//! The symbol recipe *is* an endpoint's request ([`LabelSymbol`]): the options are read
//! by the endpoint's own reader (`ImageRequest::read`) and stored as its GET query, so a
//! label is drawn exactly as `GET /products/api/v1/{barcode,datamatrix,qr}/...` would
//! draw it, with the same defaults, limits and errors. Per item, the GS1 data go where
//! that endpoint takes them:
//!
//! | `symbol.type`                        | carries                         | drawn by                      |
//! |--------------------------------------|---------------------------------|-------------------------------|
//! | `qr`                                 | the item's Digital Link URI     | [`QrRequest`]                 |
//! | `datamatrix`                         | every AI of the item            | [`DataMatrixRequest`]         |
//! | `gs1_128`                            | every AI, as bracketed data     | [`BarcodeRequest`]            |
//! | `auto`                               | GS1-128 with AIs, else by GTIN  | [`BarcodeRequest`]            |
//! | EAN/UPC, `itf14`, `ean14`, `code128`, `code39` | the GTIN alone (an item with lot, serial, expiry or ais is a 422 at that field) | [`BarcodeRequest`] |
//!
//! A failure is reported at the field that caused it: an item's data below
//! `items[i]` (`items.3.lot`), an option below `symbol` (`symbol.module_size`).

use super::job::Item;
use crate::api::barcode::BarcodeRequest;
use crate::api::barcode_type::BarcodeType;
use crate::api::datamatrix::DataMatrixRequest;
use crate::api::fields::Fields;
use crate::api::gs1_fields::Gs1Fields;
use crate::api::image::{read_get, render_image, ImageRequest};
use crate::api::problem::{FieldError, FieldFailure, Loc, Problem};
use crate::api::qr::QrRequest;
use crate::gs1::element_string::ElementString;
use crate::render::sheet::{Grid, LabelContent};
use crate::render::{Format, RenderOptions, Scene};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The request fields that carry an item's data, not a recipe option: they come from
/// the items, never from `symbol`.
const DATA_FIELDS: [&str; 7] = [
    "gtin",
    "lot",
    "serial",
    "expiry",
    "ais",
    "element_string",
    "format",
];
/// HRI and text-line size on a sheet when the symbol's options name none, pt.
pub const DEFAULT_LABEL_FONT_PT: f64 = 8.0;

/// How every item of a label job is drawn: one of the image endpoints' requests, its
/// GS1 data left empty.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelSymbol {
    /// A 1D symbol (`symbol.type` is a `barcode_type` of the barcode endpoint).
    Barcode(BarcodeRequest),
    /// A GS1 DataMatrix.
    DataMatrix(DataMatrixRequest),
    /// A QR Code of the item's Digital Link URI.
    Qr(QrRequest),
}

/// One item's symbol, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// The symbol at its true X-dimension, quiet zones included.
    pub scene: Scene,
    /// What the symbol carries: the Digital Link URI (QR), the bracketed element
    /// string (DataMatrix, GS1-128), or the GTIN (other 1D symbols).
    pub data: String,
    /// HRI lines for a label beside a matrix symbol, one AI each; empty for 1D (whose
    /// scene has its HRI).
    pub hri_lines: Vec<String>,
}

impl LabelSymbol {
    /// The wire name of `symbol.type`: `qr`, `datamatrix`, or a `barcode_type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            LabelSymbol::Barcode(b) => b.barcode_type.name(),
            LabelSymbol::DataMatrix(_) => "datamatrix",
            LabelSymbol::Qr(_) => "qr",
        }
    }

    /// The options as the endpoint's GET query (defaults left out), for the job file.
    pub fn options(&self) -> String {
        match self {
            LabelSymbol::Barcode(r) => r.query(),
            LabelSymbol::DataMatrix(r) => r.query(),
            LabelSymbol::Qr(r) => r.query(),
        }
    }

    /// The output format of each file.
    pub fn format(&self) -> Format {
        match self {
            LabelSymbol::Barcode(r) => r.format,
            LabelSymbol::DataMatrix(r) => r.format,
            LabelSymbol::Qr(r) => r.format,
        }
    }

    /// The formats this symbol's endpoint offers.
    pub fn formats(type_name: &str) -> &'static [&'static str] {
        match type_name {
            "datamatrix" => DataMatrixRequest::FORMATS,
            "qr" => QrRequest::FORMATS,
            _ => BarcodeRequest::FORMATS,
        }
    }

    /// Reads a stored recipe back: `type_name` and its `options` query, in `format`.
    ///
    /// Errors: a recipe that no longer reads (a job written by another version).
    pub fn from_recipe(type_name: &str, options: &str, format: &str) -> Result<Self, Problem> {
        let path = |prefix: &str| format!("{prefix}.{format}");
        Ok(match type_name {
            "qr" => LabelSymbol::Qr(read_get(&path(QrRequest::PATH), Some(options))?),
            "datamatrix" => {
                LabelSymbol::DataMatrix(read_get(&path(DataMatrixRequest::PATH), Some(options))?)
            }
            _ => LabelSymbol::Barcode(read_get(&path(BarcodeRequest::PATH), Some(options))?),
        })
    }

    /// Reads `symbol` (an object: `type` and the endpoint's options) for files in
    /// `format`; errors are at `body.symbol.<field>` (`barcode_type` is `type`).
    ///
    /// Errors: every failing field, as one list.
    pub fn read(value: Option<&Value>, format: Format) -> Result<Self, Vec<FieldError>> {
        let at = |field: &str, rule: &str, msg: String| {
            vec![FieldError::at(&["body", "symbol", field], rule, msg)]
        };
        let Some(value) = value else {
            return Err(vec![FieldError::at(
                &["body", "symbol"],
                "missing",
                "Field required",
            )]);
        };
        let Value::Object(map) = value else {
            return Err(vec![FieldError::at(
                &["body", "symbol"],
                "model_type",
                "Input should be an object with a type and that symbol's options",
            )]);
        };
        let mut map = map.clone();
        let type_name = match map.remove("type") {
            Some(Value::String(s)) => s,
            None | Some(Value::Null) => return Err(at("type", "missing", "Field required".into())),
            Some(_) => {
                return Err(at(
                    "type",
                    "string_type",
                    "Input should be a valid string".into(),
                ))
            }
        };
        let known = type_name == "qr"
            || type_name == "datamatrix"
            || BarcodeType::from_name(&type_name).is_some();
        if !known {
            let mut names: Vec<&str> = BarcodeType::ALL.iter().map(|(n, _)| *n).collect();
            names.extend(["datamatrix", "qr"]);
            return Err(at(
                "type",
                "enum",
                format!("Input should be one of {}", names.join(", ")),
            ));
        }
        if let Some(k) = DATA_FIELDS.iter().find(|k| map.contains_key(**k)) {
            let msg = if *k == "format" {
                "format is a field of the job (for output zip), not of symbol"
            } else {
                "An item's data is given per item, in items[]"
            };
            return Err(at(k, "extra_forbidden", msg.into()));
        }
        let nest = |p: Problem| -> Vec<FieldError> {
            p.details
                .into_iter()
                .map(|d| {
                    let mut d = d.nested(&[Loc::Key("symbol".into())]);
                    if d.loc.last() == Some(&Loc::Key("barcode_type".into())) {
                        *d.loc.last_mut().expect("not empty") = Loc::Key("type".into());
                    }
                    d
                })
                .collect()
        };
        fn read_as<R: ImageRequest>(
            map: serde_json::Map<String, Value>,
            format: Format,
        ) -> Result<R, Problem> {
            let mut f = Fields::from_body_map(map);
            let r = R::read(&mut f, None, format);
            let known: Vec<&str> = R::BODY_FIELDS
                .iter()
                .copied()
                .filter(|k| !DATA_FIELDS.contains(k))
                .collect();
            f.finish(&known)?;
            Ok(r)
        }
        match type_name.as_str() {
            "qr" => read_as::<QrRequest>(map, format).map(LabelSymbol::Qr),
            "datamatrix" => read_as::<DataMatrixRequest>(map, format).map(LabelSymbol::DataMatrix),
            _ => {
                if map.contains_key("barcode_type") {
                    return Err(at(
                        "barcode_type",
                        "extra_forbidden",
                        "The 1D type is symbol.type".into(),
                    ));
                }
                map.insert("barcode_type".into(), Value::String(type_name));
                read_as::<BarcodeRequest>(map, format).map(LabelSymbol::Barcode)
            }
        }
        .map_err(nest)
    }

    /// The GS1 data of `item` as the 2D endpoints read it.
    fn gs1_fields(item: &Item) -> Gs1Fields {
        Gs1Fields {
            gtin: item.gtin.clone().unwrap_or_default(),
            lot: item.lot.clone(),
            serial: item.serial.clone(),
            expiry: item.expiry.clone(),
            extra: item.ais.clone(),
            from_ais_object: item.ais.iter().map(|(ai, _)| ai.clone()).collect(),
        }
    }

    /// Draws `item`'s symbol. A failure's `field` is the body path below the item
    /// (`lot`, `ais.17`, `""` for the item as a whole) or below `symbol`
    /// (`symbol.module_size`): see [`ItemFailure`].
    ///
    /// Errors: the item's data, or an option that cannot draw it.
    pub fn draw(&self, item: &Item) -> Result<Drawn, ItemFailure> {
        let data = Self::gs1_fields(item);
        match self {
            LabelSymbol::Qr(template) => {
                let mut r = template.clone();
                r.data = data;
                let es = r.data.element_string().map_err(ItemFailure::of_item)?;
                let uri = r.uri().map_err(ItemFailure::of_item)?;
                let scene = r.scene_uri(&uri).map_err(ItemFailure::of_symbol)?;
                Ok(Drawn {
                    scene,
                    data: uri,
                    hri_lines: hri_lines(&es),
                })
            }
            LabelSymbol::DataMatrix(template) => {
                let mut r = template.clone();
                r.data = data;
                // On a label the HRI is set beside the symbol.
                r.write_text = false;
                let es = r.element_string().map_err(ItemFailure::of_item)?;
                let scene = r.scene().map_err(ItemFailure::of_symbol)?;
                Ok(Drawn {
                    scene,
                    data: es.to_bracketed(),
                    hri_lines: hri_lines(&es),
                })
            }
            LabelSymbol::Barcode(template) => {
                let mut r = template.clone();
                let has_ais = item.lot.is_some()
                    || item.serial.is_some()
                    || item.expiry.is_some()
                    || !item.ais.is_empty();
                let carries_ais = match r.barcode_type {
                    BarcodeType::Gs1_128 => true,
                    BarcodeType::Auto => has_ais,
                    _ => false,
                };
                let bracketed = if carries_ais {
                    let es = data.element_string().map_err(ItemFailure::of_item)?;
                    Some(es.to_bracketed())
                } else {
                    if has_ais {
                        let field = [
                            ("lot", item.lot.is_some()),
                            ("serial", item.serial.is_some()),
                            ("expiry", item.expiry.is_some()),
                            ("ais", !item.ais.is_empty()),
                        ]
                        .into_iter()
                        .find(|(_, there)| *there)
                        .map_or("ais", |(f, _)| f);
                        return Err(ItemFailure::of_item(FieldFailure::new(
                            field,
                            "gtin_only",
                            format!(
                                "A {} symbol carries the GTIN alone: drop {field}, or use symbol.type gs1_128, datamatrix or qr",
                                r.barcode_type.name()
                            ),
                        )));
                    }
                    None
                };
                r.gtin = bracketed.clone().unwrap_or(data.gtin.clone());
                let scene = r.scene().map_err(|e| {
                    // The encoder knows the data as `gtin`; everything else is an option.
                    if e.field == "gtin" {
                        ItemFailure::of_item(e)
                    } else {
                        ItemFailure::of_symbol(e)
                    }
                })?;
                let data = bracketed.unwrap_or_else(|| {
                    data.gtin
                        .parse::<crate::gs1::Gtin14>()
                        .map_or(data.gtin.clone(), |g| g.as_str().to_string())
                });
                Ok(Drawn {
                    scene,
                    data,
                    hri_lines: Vec::new(),
                })
            }
        }
    }

    /// The file of a drawn symbol, in the recipe's format.
    ///
    /// Errors: a PNG over the pixel limit (at `symbol.dpi`).
    pub fn render(&self, drawn: &Drawn) -> Result<Vec<u8>, ItemFailure> {
        let (embed_font, dpi) = match self {
            LabelSymbol::Barcode(r) => (r.embed_font, r.dpi),
            LabelSymbol::DataMatrix(r) => (true, r.dpi),
            LabelSymbol::Qr(_) => (true, 300),
        };
        render_image(
            &drawn.scene,
            self.format(),
            &RenderOptions { embed_font, dpi },
        )
        .map_err(ItemFailure::of_symbol)
    }

    /// [`LabelSymbol::draw`], and for PNG files the check that the image is not over
    /// the pixel limit (what rendering would refuse): the submit-time check of a ZIP job.
    ///
    /// Errors: as [`LabelSymbol::draw`]; a PNG too large at `symbol.dpi`.
    pub fn check(&self, item: &Item) -> Result<(), ItemFailure> {
        let drawn = self.draw(item)?;
        if self.format() == Format::Png {
            let dpi = match self {
                LabelSymbol::Barcode(r) => r.dpi,
                LabelSymbol::DataMatrix(r) => r.dpi,
                LabelSymbol::Qr(_) => 300,
            };
            let (w, h) = crate::render::png_size(&drawn.scene, dpi);
            if w.saturating_mul(h) > crate::render::MAX_PNG_PIXELS {
                return Err(ItemFailure::of_symbol(FieldFailure::new(
                    "dpi",
                    "image_too_large",
                    format!(
                        "The PNG would be {w} x {h} pixels, over the {} pixel limit: lower dpi or the module size",
                        crate::render::MAX_PNG_PIXELS
                    ),
                )));
            }
        }
        Ok(())
    }

    /// The HRI and text-line size on a label: the symbol's `font_size`, if it has one.
    pub fn font_pt(&self) -> f64 {
        match self {
            LabelSymbol::Barcode(r) => r.font_size,
            LabelSymbol::DataMatrix(r) => r.font_size,
            LabelSymbol::Qr(_) => DEFAULT_LABEL_FONT_PT,
        }
    }

    /// The option that sets the X-dimension (`symbol.module_width` or
    /// `symbol.module_size`): where a symbol too large for its label is reported.
    pub fn x_field(&self) -> &'static str {
        match self {
            LabelSymbol::Barcode(_) => "symbol.module_width",
            _ => "symbol.module_size",
        }
    }

    /// One label: `item`'s symbol, HRI and text line on a `grid` label.
    ///
    /// Errors: as [`LabelSymbol::draw`], and a symbol that does not fit the label, at
    /// the X-dimension option, saying by how many mm.
    pub fn label(&self, item: &Item, grid: &Grid) -> Result<Scene, ItemFailure> {
        let drawn = self.draw(item)?;
        crate::render::sheet::label_scene(
            &LabelContent {
                symbol: &drawn.scene,
                hri_lines: &drawn.hri_lines,
                text: item.text.as_deref(),
                font_pt: self.font_pt(),
            },
            grid.label_width_mm,
            grid.label_height_mm,
        )
        .map_err(|e| {
            let mut over = Vec::new();
            if e.too_wide_mm > 0.0 {
                over.push(format!(
                    "{:.2} mm too wide ({:.2} mm with its quiet zones, the label is {:.2} mm)",
                    e.too_wide_mm,
                    drawn.scene.width_mm,
                    e.room_mm.0
                ));
            }
            if e.too_tall_mm > 0.0 {
                over.push(format!(
                    "{:.2} mm too tall ({:.2} mm, the label has {:.2} mm above its text line)",
                    e.too_tall_mm, drawn.scene.height_mm, e.room_mm.1
                ));
            }
            ItemFailure::of_symbol(FieldFailure::new(
                self.x_field(),
                "symbol_too_large",
                format!(
                    "The {} symbol does not fit the label: {}. Symbols are drawn at their true X-dimension, never scaled: lower the X-dimension or bar height, or choose a larger label",
                    self.type_name(),
                    over.join(" and ")
                ),
            ))
        })
    }
}

/// `(AI)value`, one line per AI, in the element string's order.
fn hri_lines(es: &ElementString) -> Vec<String> {
    es.ais.iter().map(|(ai, v)| format!("({ai}){v}")).collect()
}

/// A failure drawing one item: at a field of the item, or of `symbol`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure {
    /// True when `failure.field` is below `symbol` (it then starts with `symbol.`).
    pub in_symbol: bool,
    /// The field and rule.
    pub failure: FieldFailure,
}

impl ItemFailure {
    /// A failure of the item's data: an `element_string` field is the item's `ais`.
    fn of_item(mut f: FieldFailure) -> Self {
        if f.field == "element_string" {
            f.field = "ais".into();
        }
        ItemFailure {
            in_symbol: false,
            failure: f,
        }
    }

    /// A failure of an option (`module_size`, `dpi`...), or of a field already below
    /// `symbol`; `barcode_type` is `symbol.type`.
    fn of_symbol(mut f: FieldFailure) -> Self {
        if f.field.is_empty() {
            // Capacity: the item's data are too much for the symbol.
            return ItemFailure {
                in_symbol: false,
                failure: f,
            };
        }
        if f.field == "barcode_type" {
            f.field = "type".into();
        }
        if !f.field.starts_with("symbol.") {
            f.field = format!("symbol.{}", f.field);
        }
        ItemFailure {
            in_symbol: true,
            failure: f,
        }
    }

    /// The 422 detail, for item `index` (0-based): `["body", "items", 3, "lot"]`
    /// or `["body", "symbol", "module_size"]` (with the item named in `msg`).
    pub fn field_error(&self, index: usize) -> FieldError {
        let f = &self.failure;
        let parts: Vec<&str> = f.field.split('.').filter(|s| !s.is_empty()).collect();
        if self.in_symbol {
            let mut loc = vec!["body"];
            loc.extend(parts);
            FieldError::at(&loc, &f.rule, format!("items[{index}]: {}", f.msg))
        } else {
            let mut loc = vec!["body"];
            loc.extend(parts);
            FieldError::at(&loc, &f.rule, f.msg.clone())
                .nested(&[Loc::Key("items".into()), Loc::Index(index)])
        }
    }
}

/// What a label job makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LabelOutput {
    /// One file per item plus `manifest.csv`, in a ZIP.
    Zip,
    /// One PDF of label sheets.
    Sheet(SheetSpec),
}

/// A sheet: page, grid and where to start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SheetSpec {
    /// Page width, mm.
    pub page_width_mm: f64,
    /// Page height, mm.
    pub page_height_mm: f64,
    /// The label grid on each page.
    #[serde(flatten)]
    pub grid: Grid,
    /// Draw crop marks in the page margins.
    pub crop_marks: bool,
    /// 1-based position on the first page of the first label (labels before it were
    /// used already).
    pub start_position: u32,
}

impl SheetSpec {
    /// A sheet of `grid` on a `page` (width, height) mm.
    pub fn new(page: (f64, f64), grid: Grid, crop_marks: bool, start_position: u32) -> Self {
        SheetSpec {
            page_width_mm: page.0,
            page_height_mm: page.1,
            grid,
            crop_marks,
            start_position,
        }
    }

    /// Pages needed for `count` labels.
    pub fn pages(&self, count: usize) -> usize {
        let per = self.grid.per_page().max(1);
        (count + self.start_position.max(1) as usize - 1).div_ceil(per)
    }

    /// (page, slot on the page) of label `index` (0-based), both 0-based.
    pub fn place(&self, index: usize) -> (usize, usize) {
        let per = self.grid.per_page().max(1);
        let g = index + self.start_position.max(1) as usize - 1;
        (g / per, g % per)
    }
}
