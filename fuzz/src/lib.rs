//! # gs1-codes fuzz properties
//!
//! The cargo-fuzz targets of `fuzz_targets/` (run them with `make fuzz`) share the
//! checks in this crate. Each check states a *property* of `shared`, not just "it does
//! not panic": it returns `Err` with what broke, and the target panics with that
//! message, which libFuzzer reports as a crash and saves the input for. The checks are
//! plain functions, unit-tested here (`cargo test` in `fuzz/`), so a property can be
//! tried on one input without libFuzzer.
//!
//! | target | input | property |
//! |--------|-------|----------|
//! | `element_string` | text | whatever [`parse_bracketed`] or [`parse_raw`] accepts has known AIs and non-empty values; bracketed data reads back from its bracketed form; a *valid* message reads back from every written form (see `gs1_message`) |
//! | `gs1_message` | a message built from the AI table ([`message::MessageSpec`]) | a valid message reads back to itself from bracketed, raw with GS, raw after each symbology identifier, the `^` notation, as a scan (`]d2`, bracketed); its Digital Link (under four stems) parses back to the same link and the same AIs, and scans (`]Q1`) to them; a valid message without a link fails only for a rule of [`gs1::NO_URI_RULES`] |
//! | `digital_link` | text | a URI that parses is a valid message; its URI string parses back to the same link; its canonical form too, with the same AIs; the builder makes a link of its AIs with the same key; it scans as valid with the same AIs |
//! | `scan` | a symbology identifier and text | [`understand`] never refuses; status `ERROR` exactly when invalid; the five GS1 AI-data identifiers read a body alike; a valid scan's AIs are a valid message whose (01) is its GTIN, which it does not contradict, and which reads the same when re-sent as `]d2` data |
//! | `linear` | EAN-13/8, UPC-A/E, ITF-14, Code 128 (text or bytes + FNC1), GS1-128, Code 39 | what encodes has its symbology's module count (table in [`linear`]) and reads back with an independent decoder to the data, check digit or character included; the HRI is that data; GS1-128 carries FNC1 + the raw element string |
//! | `datamatrix` | bytes and FNC1s, or a GS1 message; square or rectangle | the size is an ISO/IEC 16022 Table 7 size of the shape and the smallest that holds the data; finder and clock tracks; the modules read back (Reed-Solomon finding no error) to the codewords, which decode to exactly the input |
//! | `qr` | text, level | width 17 + 4·version, the smallest version that holds the segments; the segments cover the data in modes that can carry it; finders, timing and alignment patterns, dark module, format information (the level asked for) and version information; the data mask of least penalty; the modules read back (unmasked, de-interleaved, segments parsed) to the input bytes |
//! | `qr_penalty` | a version and module bits | the bit-parallel mask penalty equals [`matrix::reference_penalty`], the four rules written as the standard reads |
//! | `render` | a symbol and options (X, height, quiet zone, text, font size, dpi, SVG text) in the API's bounds | the scene's rectangles are the symbol's modules at the snapped X (so the module count survives layout), guard bars 5X longer, inside a canvas on whole pixels when laid out for a dpi, with the quiet zone asked for; SVG, EPS and PDF state the scene's size (SVG and EPS its rectangles, numbers as `{:.4}` trimmed writes them); the PNG decodes to the scene's size at its dpi with black bars, and without text to exactly the rasterised rectangles |
//!
//! What a Digital Link cannot carry, and so is excluded from the element string → DL →
//! element string round trip, is listed with the reasons at [`gs1::NO_URI_RULES`]; the
//! round trip compares AIs as a set, as a URI keeps neither message order nor repeats.
//!
//! [`parse_bracketed`]: shared::gs1::ElementString::parse_bracketed
//! [`parse_raw`]: shared::gs1::ElementString::parse_raw
//! [`understand`]: shared::gs1::scan::understand
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod gs1;
pub mod linear;
pub mod matrix;
pub mod message;
pub mod render;

/// What a property check returns: `Err` says which property failed, and how.
pub type Check = Result<(), String>;

/// Returns `Err(format!(...))` from the enclosing check unless `cond` holds. A comparison
/// with NaN does not hold, so a NaN size or position fails the check it appears in.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {{
        let holds: bool = $cond;
        if !holds {
            return Err(format!($($msg)+));
        }
    }};
}

/// Panics with the failed property's message: how a fuzz target reports it.
pub fn assert_holds(check: Check) {
    if let Err(e) = check {
        panic!("property violated: {e}");
    }
}

/// The text of fuzz bytes: valid UTF-8 as is; otherwise `None` (the parsers take `&str`,
/// and libFuzzer soon learns to stay in UTF-8).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
