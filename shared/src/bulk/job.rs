//! The job: a render recipe and the items it is applied to, stored as JSON in the
//! object store (an SQS message holds at most 256 KiB; 5000 items do not fit).
//!
//! The recipe is kept as the request that renders one symbol, written with the same
//! field names and defaults as the endpoint's GET URL (`ImageRequest::query`), so the
//! bundler renders each item exactly as `GET /products/api/v1/qr/{gtin}.png?...` would.

use crate::api::gs1_fields::Gs1Fields;
use crate::api::image::{read_get, ImageRequest};
use crate::api::problem::FieldFailure;
use crate::api::qr::QrRequest;
use crate::bulk::label::{LabelOutput, LabelSymbol};
use serde::{Deserialize, Serialize};

/// What one item varies: the GS1 data beyond the job's GTIN (bulk QR), or all of it and
/// a text line (labels).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Item {
    /// AI (01), as sent: a label item's own GTIN (a bulk QR job's is the job's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// AI (10) batch/lot number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// AI (21) serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// AI (17) expiry date, YYMMDD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// Further AIs, (AI, value), as the endpoints' `ais` object gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ais: Vec<(String, String)>,
    /// A line of text printed on the item's label (sheets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// How every item is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "symbol", rename_all = "snake_case")]
pub enum Recipe {
    /// A QR Code of the item's canonical Digital Link URI.
    Qr {
        /// The shared GTIN (as sent; normalised when the URI is built).
        gtin: String,
        /// `svg`, `png`, `eps` or `pdf`.
        format: String,
        /// The other options, as the endpoint's GET query (`ec_level=H&size=600`).
        options: String,
    },
    /// Labels: each item's own symbol of any type ([`LabelSymbol`]), as files in a ZIP
    /// or on sheets.
    Label {
        /// `symbol.type`: `qr`, `datamatrix` or a 1D `barcode_type`.
        #[serde(rename = "type")]
        type_name: String,
        /// The file format (`pdf` for sheets).
        format: String,
        /// The symbol's options, as its endpoint's GET query.
        options: String,
        /// ZIP or sheets.
        output: LabelOutput,
    },
}

/// A bulk job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// How every item is drawn.
    pub recipe: Recipe,
    /// The items, in order (1 to 5000).
    pub items: Vec<Item>,
}

/// One item drawn: its file and its manifest row.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The file's name in the ZIP.
    pub file_name: String,
    /// The image.
    pub bytes: Vec<u8>,
    /// The manifest row: [`MANIFEST_HEADER`] or [`LABEL_MANIFEST_HEADER`].
    pub manifest: Vec<String>,
}

/// The columns of `manifest.csv`.
pub const MANIFEST_HEADER: [&str; 6] = [
    "file",
    "gtin",
    "lot",
    "serial",
    "expiry",
    "digital_link_uri",
];

/// The columns of a label job's `manifest.csv`: `ais` as a bracketed element string,
/// `data` what the symbol carries (Digital Link URI, element string or GTIN).
pub const LABEL_MANIFEST_HEADER: [&str; 9] = [
    "file", "gtin", "lot", "serial", "expiry", "ais", "text", "type", "data",
];

impl Job {
    /// A QR job from a template request (its GS1 data but the GTIN is ignored) and items.
    pub fn qr(template: &QrRequest, items: Vec<Item>) -> Job {
        Job {
            recipe: Recipe::Qr {
                gtin: template.data.gtin.clone(),
                format: template.format.extension().to_string(),
                options: template.query(),
            },
            items,
        }
    }

    /// A label job.
    pub fn label(symbol: &LabelSymbol, output: LabelOutput, items: Vec<Item>) -> Job {
        Job {
            recipe: Recipe::Label {
                type_name: symbol.type_name().to_string(),
                format: symbol.format().extension().to_string(),
                options: symbol.options(),
                output,
            },
            items,
        }
    }

    /// The recipe read once for the whole job: the request every item starts from (and
    /// for bulk QR the GTIN-14).
    ///
    /// Errors: a recipe that no longer reads (a job written by another version), or a
    /// GTIN that is not one (validated at submit time).
    pub fn template(&self) -> Result<Template, FieldFailure> {
        let invalid = |p: crate::api::problem::Problem| {
            FieldFailure::new("recipe", "recipe_invalid", p.detail)
        };
        match &self.recipe {
            Recipe::Qr {
                gtin,
                format,
                options,
            } => {
                let path = format!(
                    "{}{}.{format}",
                    QrRequest::PATH,
                    crate::gs1::digital_link::percent_encode(gtin)
                );
                let request: QrRequest = read_get(&path, Some(options)).map_err(invalid)?;
                let gtin14 = gtin
                    .parse::<crate::gs1::Gtin14>()
                    .map_err(|e| FieldFailure::gtin(&e))?
                    .as_str()
                    .to_string();
                Ok(Template::Qr { request, gtin14 })
            }
            Recipe::Label {
                type_name,
                format,
                options,
                output,
            } => Ok(Template::Label {
                symbol: LabelSymbol::from_recipe(type_name, options, format).map_err(invalid)?,
                output: output.clone(),
            }),
        }
    }

    /// The media type of what the job makes.
    pub fn content_type(&self) -> &'static str {
        match &self.recipe {
            Recipe::Label {
                output: LabelOutput::Sheet(_),
                ..
            } => "application/pdf",
            _ => "application/zip",
        }
    }

    /// The file name extension of what the job makes (`zip`, `pdf`).
    pub fn extension(&self) -> &'static str {
        match self.content_type() {
            "application/pdf" => "pdf",
            _ => "zip",
        }
    }

    /// The request that draws item `index` (0-based) of a bulk QR job.
    pub fn request(&self, request: &QrRequest, gtin14: &str, index: usize) -> QrRequest {
        let item = self.items.get(index).cloned().unwrap_or_default();
        let mut request = request.clone();
        request.data = Gs1Fields {
            gtin: gtin14.to_string(),
            lot: item.lot,
            serial: item.serial,
            expiry: item.expiry,
            extra: Vec::new(),
            from_ais_object: Vec::new(),
        };
        request
    }

    /// Draws item `index` (0-based) of `self.items`, from the job's [`Template`].
    ///
    /// Errors: the item's GS1 data (validated at submit time, so only a job written by
    /// another version fails here).
    pub fn render(&self, template: &Template, index: usize) -> Result<Rendered, FieldFailure> {
        let item = &self.items[index];
        let name = |gtin14: &str, extension: &str| {
            file_name(
                index,
                self.items.len(),
                gtin14,
                &[item.lot.as_deref(), item.serial.as_deref()],
                extension,
            )
        };
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        match template {
            Template::Qr { request, gtin14 } => {
                let request = self.request(request, gtin14, index);
                // One validation per item: the URI builder's.
                let uri = request.uri()?;
                let bytes = request.render_uri(&uri)?;
                let name = name(gtin14, request.format.extension());
                Ok(Rendered {
                    manifest: vec![
                        name.clone(),
                        gtin14.clone(),
                        field(&item.lot),
                        field(&item.serial),
                        field(&item.expiry),
                        uri,
                    ],
                    file_name: name,
                    bytes,
                })
            }
            Template::Label { symbol, .. } => {
                let fail = |e: crate::bulk::label::ItemFailure| e.failure;
                let drawn = symbol.draw(item).map_err(fail)?;
                let bytes = symbol.render(&drawn).map_err(fail)?;
                let gtin = field(&item.gtin);
                let gtin14 = gtin
                    .parse::<crate::gs1::Gtin14>()
                    .map_or(gtin.clone(), |g| g.as_str().to_string());
                let name = name(&safe_name(&gtin14), symbol.format().extension());
                let ais = crate::gs1::element_string::ElementString {
                    ais: item.ais.clone(),
                };
                Ok(Rendered {
                    manifest: vec![
                        name.clone(),
                        gtin14,
                        field(&item.lot),
                        field(&item.serial),
                        field(&item.expiry),
                        ais.to_bracketed(),
                        field(&item.text),
                        symbol.type_name().to_string(),
                        drawn.data,
                    ],
                    file_name: name,
                    bytes,
                })
            }
        }
    }
}

/// A job's recipe, read once: see [`Job::template`].
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A bulk QR job.
    Qr {
        /// The request of every item, less the item's lot, serial and expiry.
        request: QrRequest,
        /// The job's GTIN as GTIN-14.
        gtin14: String,
    },
    /// A label job.
    Label {
        /// The symbol of every item, less the item's data.
        symbol: LabelSymbol,
        /// ZIP or sheets.
        output: LabelOutput,
    },
}

impl Template {
    /// The columns of this job's `manifest.csv`.
    pub fn manifest_header(&self) -> &'static [&'static str] {
        match self {
            Template::Qr { .. } => &MANIFEST_HEADER,
            Template::Label { .. } => &LABEL_MANIFEST_HEADER,
        }
    }
}

/// The file name of item `index` (0-based) of `count`: its 1-based number, zero-padded
/// to at least 4 digits (`0001`), the GTIN-14, each part given (lot, serial) made safe
/// by [`safe_name`], joined by `_`, then `.ext`: `0001_09501101020917_LOT1_SN1.png`.
pub fn file_name(
    index: usize,
    count: usize,
    gtin: &str,
    parts: &[Option<&str>],
    ext: &str,
) -> String {
    let width = count.to_string().len().max(4);
    let mut name = format!("{:0width$}_{}", index + 1, safe_name(gtin));
    for part in parts.iter().flatten() {
        name.push('_');
        name.push_str(&safe_name(part));
    }
    name.push('.');
    name.push_str(ext);
    name
}

/// A file-name part: ASCII letters, digits and `-` kept, anything else `_`, at most 40
/// characters, so no name can climb out of the archive (`../`), hide (`.x`) or break a
/// shell or a `Content-Disposition` header. The 1-based index prefix keeps names unique.
pub fn safe_name(part: &str) -> String {
    part.chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_parts_are_safe() {
        let rows = [
            // 0: plain
            ("LOT-1", "LOT-1"),
            // 1: path climbing and separators
            ("../..\\x", "______x"),
            // 2: GS1 CSET 82 punctuation
            ("A/B.C%'", "A_B_C__"),
        ];
        for (i, (input, want)) in rows.into_iter().enumerate() {
            assert_eq!(safe_name(input), want, "row {i}");
        }
    }
}
