//! The symbol options of `render` and `batch`: every field of the image endpoints as a
//! kebab-case flag, turned into the endpoint's own request.
//!
//! No option rule lives here. The flags given are written into a JSON object under the
//! endpoints' field names (`--module-width 0.5` -> `"module_width": 0.5`; a flag not
//! given is left out, so the endpoint's default applies) and read by the endpoint's own
//! reader ([`read_body`] then `Fields::finish`, what `POST /products/api/v1/barcode/`
//! runs), then drawn by its own `render`. So the bytes are those the API answers, and a
//! bad value fails with the API's rule, reported at the flag that carried it.

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::Args;
use serde_json::{Map, Number, Value};
use shared::api::barcode::BarcodeRequest;
use shared::api::barcode_type::BarcodeType;
use shared::api::datamatrix::DataMatrixRequest;
use shared::api::fields::Fields;
use shared::api::image::{read_body, ImageRequest};
use shared::api::problem::{FieldFailure, Problem};
use shared::api::qr::{stem, QrRequest};
use shared::gs1::{DigitalLink, ElementString, Gtin14};
use shared::render::Format;

/// `--type` for the GS1 DataMatrix endpoint.
pub const DATAMATRIX: &str = "datamatrix";
/// `--type` for the QR Code (Digital Link) endpoint.
pub const QR: &str = "qr";

/// `--type`'s values: the 1D endpoint's `barcode_type` names (its own list), then
/// `datamatrix` and `qr`; `gs1-128` is also accepted for `gs1_128`.
fn type_parser() -> PossibleValuesParser {
    let linear = BarcodeType::ALL.iter().map(|(name, _)| {
        let v = PossibleValue::new(*name).help(format!("1D barcode, barcode_type {name}"));
        if name.contains('_') {
            v.alias(name.replace('_', "-"))
        } else {
            v
        }
    });
    PossibleValuesParser::new(linear.chain([
        PossibleValue::new(DATAMATRIX).help("GS1 DataMatrix of the GS1 data"),
        PossibleValue::new(QR).help("QR Code of the GS1 data's Digital Link URI"),
    ]))
}

/// The symbol and its options: the fields of `POST /products/api/v1/{barcode,datamatrix,qr}/`.
#[derive(Args, Debug, Clone, Default)]
pub struct SymbolArgs {
    /// Symbology: a 1D type (auto picks it from the GTIN's length), datamatrix or qr
    #[arg(short = 't', long = "type", value_name = "TYPE", default_value = "auto",
          value_parser = type_parser(), help_heading = "Symbol")]
    pub symbol_type: String,
    /// The GTIN (8, 12, 13 or 14 digits); for 1D types also bracketed AIs (gs1_128) or free text (code128, code39)
    #[arg(long, alias = "data", help_heading = "Symbol")]
    pub gtin: Option<String>,
    /// Batch/lot number, AI (10) (datamatrix, qr)
    #[arg(long, help_heading = "GS1 data (datamatrix, qr)")]
    pub lot: Option<String>,
    /// Serial number, AI (21) (datamatrix, qr)
    #[arg(long, help_heading = "GS1 data (datamatrix, qr)")]
    pub serial: Option<String>,
    /// Expiry date YYMMDD (DD 00 allowed), AI (17) (datamatrix, qr)
    #[arg(long, help_heading = "GS1 data (datamatrix, qr)")]
    pub expiry: Option<String>,
    /// More AIs, bracketed `(3103)000500` or raw (datamatrix, qr)
    #[arg(long, value_name = "AIS", help_heading = "GS1 data (datamatrix, qr)")]
    pub element_string: Option<String>,
    /// One more AI, repeatable: `--ai 3103=000500` (datamatrix, qr)
    #[arg(
        long = "ai",
        value_name = "AI=VALUE",
        help_heading = "GS1 data (datamatrix, qr)"
    )]
    pub ais: Vec<String>,
    /// X-dimension in mm (default 0.33) (1D)
    #[arg(long, value_name = "MM", help_heading = "1D options")]
    pub module_width: Option<f64>,
    /// Bar height in mm (default 25) (1D)
    #[arg(long, value_name = "MM", help_heading = "1D options")]
    pub module_height: Option<f64>,
    /// ITF-14 bearer bars: frame (default), bars or none (1D)
    #[arg(long, value_name = "KIND", help_heading = "1D options")]
    pub bearer: Option<String>,
    /// Add Code 39's mod-43 check character (1D)
    #[arg(long, help_heading = "1D options")]
    pub code39_check: bool,
    /// SVG text as `<text>` rather than OCR-B outlines (1D)
    #[arg(long, help_heading = "1D options")]
    pub no_embed_font: bool,
    /// Module size in mm (default 0.5; for qr, of SVG, EPS and PDF) (datamatrix, qr)
    #[arg(long, value_name = "MM", help_heading = "2D options")]
    pub module_size: Option<f64>,
    /// DataMatrix shape: square (default) or rectangle (datamatrix)
    #[arg(long, value_name = "SHAPE", help_heading = "2D options")]
    pub shape: Option<String>,
    /// QR error correction level: L, M (default), Q or H (qr)
    #[arg(long, value_name = "LEVEL", help_heading = "2D options")]
    pub ec_level: Option<String>,
    /// QR PNG side in pixels, 50-2000 (default 300) (qr)
    #[arg(long, value_name = "PX", help_heading = "2D options")]
    pub size: Option<f64>,
    /// Quiet zone: mm for 1D (default 6.5, or the symbology's minimum), modules for datamatrix (default 2)
    #[arg(long, value_name = "N", help_heading = "Layout")]
    pub quiet_zone: Option<f64>,
    /// Print the human readable text (the 1D default; off by default for datamatrix)
    #[arg(long, conflicts_with = "no_text", help_heading = "Layout")]
    pub text: bool,
    /// Leave the human readable text out
    #[arg(long, help_heading = "Layout")]
    pub no_text: bool,
    /// Text size in pt (default 10 for 1D, 8 for datamatrix)
    #[arg(long, value_name = "PT", help_heading = "Layout")]
    pub font_size: Option<f64>,
    /// PNG resolution (default 300); module edges land on whole pixels (1D, datamatrix)
    #[arg(long, help_heading = "Layout")]
    pub dpi: Option<f64>,
}

/// What went wrong with a symbol request, per field: `(field, rule, message)` with the
/// endpoint's field names (`module_width`, `ais.17`, `""` for the whole symbol).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldFailure>);

impl Invalid {
    fn from_problem(p: Problem) -> Invalid {
        if p.details.is_empty() {
            return Invalid(vec![FieldFailure::new("", p.kind.code(), p.detail)]);
        }
        Invalid(
            p.details
                .into_iter()
                .map(|d| {
                    let loc: Vec<String> = d.loc.iter().skip(1).map(ToString::to_string).collect();
                    FieldFailure::new(loc.join("."), d.kind, d.msg)
                })
                .collect(),
        )
    }

    /// One line: `--module-width: Input should be ... [greater_than_equal]`, errors
    /// joined by `; `; `name` says what to call a field (a flag, a column).
    pub fn line(&self, name: impl Fn(&str) -> String) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|f| {
                let what = if f.rule == "extra_forbidden" {
                    f.msg.clone()
                } else {
                    format!("{} [{}]", f.msg, f.rule)
                };
                if f.field.is_empty() {
                    what
                } else {
                    format!("{}: {what}", name(&f.field))
                }
            })
            .collect();
        parts.join("; ")
    }
}

/// The flag that carries an endpoint field: `module_width` -> `--module-width`.
pub fn flag_name(field: &str) -> String {
    match field {
        "barcode_type" => "--type".into(),
        "write_text" => "--text/--no-text".into(),
        "embed_font" => "--no-embed-font".into(),
        f => match f.strip_prefix("ais.") {
            Some(ai) => format!("--ai {ai}"),
            None => format!("--{}", f.replace('_', "-")),
        },
    }
}

/// A JSON number, or the field's own error for NaN and infinities.
fn number(v: f64) -> Value {
    Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number)
}

impl SymbolArgs {
    /// The endpoint fields these flags set (`format` is the caller's).
    pub fn body(&self) -> Result<Map<String, Value>, Invalid> {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        };
        let s = |v: &Option<String>| v.clone().map(Value::String);
        let n = |v: Option<f64>| v.map(number);
        if !matches!(self.symbol_type.as_str(), DATAMATRIX | QR) {
            put("barcode_type", Some(Value::String(self.linear_type())));
        }
        put("gtin", s(&self.gtin));
        put("lot", s(&self.lot));
        put("serial", s(&self.serial));
        put("expiry", s(&self.expiry));
        put("element_string", s(&self.element_string));
        put("module_width", n(self.module_width));
        put("module_height", n(self.module_height));
        put("bearer", s(&self.bearer));
        put(
            "code39_check",
            self.code39_check.then_some(Value::Bool(true)),
        );
        put(
            "embed_font",
            self.no_embed_font.then_some(Value::Bool(false)),
        );
        put("module_size", n(self.module_size));
        put("shape", s(&self.shape));
        put("ec_level", s(&self.ec_level));
        put("size", n(self.size));
        put("quiet_zone", n(self.quiet_zone));
        let text = match (self.text, self.no_text) {
            (true, _) => Some(Value::Bool(true)),
            (_, true) => Some(Value::Bool(false)),
            _ => None,
        };
        put("write_text", text);
        put("font_size", n(self.font_size));
        put("dpi", n(self.dpi));
        if !self.ais.is_empty() {
            let mut ais = Map::new();
            for pair in &self.ais {
                let Some((ai, value)) = pair.split_once('=') else {
                    return Err(Invalid(vec![FieldFailure::new(
                        format!("ais.{pair}"),
                        "syntax",
                        "write AI=VALUE, e.g. --ai 3103=000500",
                    )]));
                };
                ais.insert(ai.to_string(), Value::String(value.to_string()));
            }
            m.insert("ais".into(), Value::Object(ais));
        }
        Ok(m)
    }

    /// The `barcode_type` name of a 1D `--type` (`gs1-128` -> `gs1_128`).
    fn linear_type(&self) -> String {
        self.symbol_type.replace('-', "_")
    }

    /// The formats `--type` offers, by extension (the endpoint's own list).
    pub fn formats(&self) -> &'static [&'static str] {
        match self.symbol_type.as_str() {
            DATAMATRIX => DataMatrixRequest::FORMATS,
            QR => QrRequest::FORMATS,
            _ => BarcodeRequest::FORMATS,
        }
    }

    /// The request of `--type`'s endpoint from `body` (its fields, `format` included),
    /// read by the endpoint's own reader.
    ///
    /// Errors: every field that fails its rule, as the endpoint's 422 would list them.
    pub fn request(&self, body: Map<String, Value>) -> Result<SymbolRequest, Invalid> {
        let read = match self.symbol_type.as_str() {
            DATAMATRIX => read(body).map(SymbolRequest::DataMatrix),
            QR => read(body).map(SymbolRequest::Qr),
            _ => read(body).map(SymbolRequest::Barcode),
        };
        read.map_err(|Invalid(mut errors)| {
            for e in errors.iter_mut().filter(|e| e.rule == "extra_forbidden") {
                e.msg = format!("does not apply to --type {}", self.symbol_type);
            }
            Invalid(errors)
        })
    }
}

/// What `POST` reads: the body's fields, then unknown fields refused.
fn read<R: ImageRequest>(body: Map<String, Value>) -> Result<R, Invalid> {
    let mut f = Fields::from_body_map(body);
    let request: R = read_body(&mut f);
    f.finish(R::BODY_FIELDS).map_err(Invalid::from_problem)?;
    Ok(request)
}

/// A request of one of the image endpoints.
#[derive(Debug, Clone)]
pub enum SymbolRequest {
    /// `POST /products/api/v1/barcode/`.
    Barcode(BarcodeRequest),
    /// `POST /products/api/v1/datamatrix/`.
    DataMatrix(DataMatrixRequest),
    /// `POST /products/api/v1/qr/`.
    Qr(QrRequest),
}

/// One symbol drawn, with what the bulk manifest says of it.
pub struct Drawn {
    /// The image bytes.
    pub bytes: Vec<u8>,
    /// The GTIN-14, or (free-text 1D data) the data itself.
    pub gtin: String,
    /// AI (10), (21), (17) where the data has them.
    pub lot: Option<String>,
    /// AI (21).
    pub serial: Option<String>,
    /// AI (17).
    pub expiry: Option<String>,
    /// The canonical Digital Link URI of the data, where it has a GTIN.
    pub uri: Option<String>,
}

impl SymbolRequest {
    /// The output format.
    pub fn format(&self) -> Format {
        match self {
            SymbolRequest::Barcode(r) => r.format(),
            SymbolRequest::DataMatrix(r) => r.format(),
            SymbolRequest::Qr(r) => r.format(),
        }
    }

    /// The image bytes, exactly as the endpoint draws them.
    pub fn render(&self) -> Result<Vec<u8>, Invalid> {
        let r = match self {
            SymbolRequest::Barcode(r) => r.render(),
            SymbolRequest::DataMatrix(r) => r.render(),
            SymbolRequest::Qr(r) => r.render(),
        };
        r.map_err(|e| Invalid(vec![e]))
    }

    /// The image and its manifest fields. A QR is drawn from the URI computed once
    /// (as the bulk job does); the others by [`SymbolRequest::render`].
    pub fn draw(&self) -> Result<Drawn, Invalid> {
        let one = |e: FieldFailure| Invalid(vec![e]);
        match self {
            SymbolRequest::Qr(r) => {
                let uri = r.uri().map_err(one)?;
                let bytes = r.render_uri(&uri).map_err(one)?;
                Ok(Drawn {
                    bytes,
                    gtin: gtin14(&r.data.gtin),
                    lot: r.data.lot.clone(),
                    serial: r.data.serial.clone(),
                    expiry: r.data.expiry.clone(),
                    uri: Some(uri),
                })
            }
            SymbolRequest::DataMatrix(r) => {
                let bytes = self.render()?;
                // The render validated the data; the URI builder validates it once more.
                let uri = r
                    .data
                    .unvalidated_element_string()
                    .ok()
                    .and_then(|es| DigitalLink::from_element_string(&es, Some(stem())).ok())
                    .map(|dl| dl.to_string());
                Ok(Drawn {
                    bytes,
                    gtin: gtin14(&r.data.gtin),
                    lot: r.data.lot.clone(),
                    serial: r.data.serial.clone(),
                    expiry: r.data.expiry.clone(),
                    uri,
                })
            }
            SymbolRequest::Barcode(r) => {
                let bytes = self.render()?;
                let data = r.gtin.trim_start();
                let es = if data.starts_with('(') {
                    ElementString::parse_bracketed(data).ok()
                } else {
                    data.trim()
                        .replace([' ', '-'], "")
                        .parse::<Gtin14>()
                        .ok()
                        .map(|g| [("01", g.as_str().to_string())].into_iter().collect())
                };
                let Some(es) = es.filter(|_| {
                    !matches!(r.barcode_type, BarcodeType::Code128 | BarcodeType::Code39)
                }) else {
                    return Ok(Drawn {
                        bytes,
                        gtin: r.gtin.clone(),
                        lot: None,
                        serial: None,
                        expiry: None,
                        uri: None,
                    });
                };
                let get = |ai: &str| es.get(ai).map(str::to_string);
                Ok(Drawn {
                    bytes,
                    gtin: get("01").unwrap_or_default(),
                    lot: get("10"),
                    serial: get("21"),
                    expiry: get("17"),
                    uri: DigitalLink::from_element_string(&es, Some(stem()))
                        .ok()
                        .map(|dl| dl.to_string()),
                })
            }
        }
    }
}

/// A GTIN as GTIN-14 (as sent if it is none: the request has failed already then).
fn gtin14(gtin: &str) -> String {
    gtin.parse::<Gtin14>()
        .map_or_else(|_| gtin.to_string(), |g| g.as_str().to_string())
}
