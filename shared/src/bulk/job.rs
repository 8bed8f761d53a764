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
use serde::{Deserialize, Serialize};

/// What one item varies: the GS1 data beyond the job's GTIN.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Item {
    /// AI (10) batch/lot number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// AI (21) serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// AI (17) expiry date, YYMMDD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
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
    /// `file, gtin, lot, serial, expiry, digital_link_uri`.
    pub manifest: [String; 6],
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

    /// The recipe read once for the whole job: the request every item starts from, and
    /// the GTIN-14.
    ///
    /// Errors: a recipe that no longer reads (a job written by another version), or a
    /// GTIN that is not one (validated at submit time).
    pub fn template(&self) -> Result<Template, FieldFailure> {
        let Recipe::Qr {
            gtin,
            format,
            options,
        } = &self.recipe;
        let path = format!(
            "{}{}.{format}",
            QrRequest::PATH,
            crate::gs1::digital_link::percent_encode(gtin)
        );
        let request: QrRequest = read_get(&path, Some(options))
            .map_err(|p| FieldFailure::new("recipe", "recipe_invalid", p.detail))?;
        let gtin14 = gtin
            .parse::<crate::gs1::Gtin14>()
            .map_err(|e| FieldFailure::gtin(&e))?
            .as_str()
            .to_string();
        Ok(Template { request, gtin14 })
    }

    /// The request that draws item `index` (0-based).
    pub fn request(&self, template: &Template, index: usize) -> QrRequest {
        let item = self.items.get(index).cloned().unwrap_or_default();
        let mut request = template.request.clone();
        request.data = Gs1Fields {
            gtin: template.gtin14.clone(),
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
        let request = self.request(template, index);
        // One validation per item: the URI builder's.
        let uri = request.uri()?;
        let bytes = request.render_uri(&uri)?;
        let item = &self.items[index];
        let gtin14 = template.gtin14.clone();
        let name = file_name(
            index,
            self.items.len(),
            &gtin14,
            &[item.lot.as_deref(), item.serial.as_deref()],
            request.format.extension(),
        );
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(Rendered {
            manifest: [
                name.clone(),
                gtin14,
                field(&item.lot),
                field(&item.serial),
                field(&item.expiry),
                uri,
            ],
            file_name: name,
            bytes,
        })
    }
}

/// A job's recipe, read once: see [`Job::template`].
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The request of every item, less the item's lot, serial and expiry.
    pub request: QrRequest,
    /// The job's GTIN as GTIN-14.
    pub gtin14: String,
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
