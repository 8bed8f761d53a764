//! GS1 rules: Application Identifiers, GTINs, element strings, Digital Link URIs.
//! Pure and synchronous: no I/O, no clock, no allocation-heavy dependencies.
//!
//! | module             | holds                                                               |
//! |--------------------|---------------------------------------------------------------------|
//! | [`ai`]             | the AI table generated from the GS1 Barcode Syntax Dictionary       |
//! | [`lint_tables`]    | generated code lists (ISO 3166, ISO 4217, package types, ...)       |
//! | [`check_digit`]    | GS1 mod-10 check digit and the alphanumeric check character pair    |
//! | [`lint`]           | one function per dictionary linter (`csum`, `yymmd0`, `cset82`, ...) |
//! | [`gtin`]           | [`Gtin14`]: a checked GTIN, normalised to 14 digits                 |
//! | [`element_string`] | [`ElementString`]: bracketed / raw (FNC1) AI data and its validation |
//! | [`digital_link`]   | [`DigitalLink`]: GS1 Digital Link URIs to and from element strings  |
//! | [`scan`]           | [`scan::understand`]: a raw value as scanners send it, read and checked |
//! | [`error`]          | [`Gs1Error`]: what failed (AI, component, rule, position)           |
//!
//! ```
//! use shared::gs1::{DigitalLink, ElementString};
//! let es = ElementString::parse_bracketed("(01)09501101020917(17)270630(10)ABC").unwrap();
//! es.validate().unwrap();
//! assert_eq!(es.to_raw(), "010950110102091717270630" .to_owned() + "10ABC");
//! let dl = DigitalLink::from_element_string(&es, None).unwrap();
//! assert_eq!(dl.to_string(), "https://id.gs1.org/01/09501101020917/10/ABC?17=270630");
//! ```

#[rustfmt::skip]
#[allow(clippy::all)]
pub mod ai;
pub mod check_digit;
pub mod digital_link;
pub mod element_string;
pub mod error;
pub mod gtin;
pub mod lint;
pub mod scan;
#[rustfmt::skip]
#[allow(clippy::all)]
pub mod lint_tables;

pub use ai::{lookup, AiEntry, CharSet, Component, Linter};

pub use digital_link::DigitalLink;
pub use element_string::ElementString;
pub use error::Gs1Error;
pub use gtin::{Gtin14, GtinError};
pub use lint::LintError;
