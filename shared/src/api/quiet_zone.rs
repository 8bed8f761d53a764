//! The quiet-zone rule of every image endpoint (1D barcode, DataMatrix, and QR when it
//! comes): a requested quiet zone is either 0 or at least the symbology's minimum.
//!
//! * **Above 0 but below the minimum**: a 422 on `quiet_zone` (rule
//!   [`QUIET_ZONE_TOO_SMALL`]) naming the minimum in mm at the requested X-dimension.
//!   No scanner is obliged to read such a symbol.
//! * **0**: no quiet zone and no light margin indicators, as the spec says: the caller
//!   places the symbol in white space of its own.
//! * **0 with ITF-14 bearer bars or frame**: a 422 too. The bearer bars enclose the
//!   quiet zones (GS1 General Specifications 5.3.3), so with none the frame would touch
//!   the start and stop patterns and read as a bar.
//!
//! The minima, in modules, are [`Symbology::min_quiet_zone`], the one table; the one
//! `quiet_zone` field sets both sides, so the larger side's minimum applies.
//!
//! ```
//! use shared::api::quiet_zone::{check_quiet_zone, QuietZone};
//! use shared::symbol::{Bearer, Symbology};
//! // ITF-14 at X = 0.8 mm needs 10X = 8 mm.
//! let e = check_quiet_zone(Symbology::Itf14, Bearer::Frame, QuietZone::Mm(5.0), 0.8, "module_width")
//!     .unwrap_err();
//! assert_eq!(e.rule, "quiet_zone_too_small");
//! assert!(e.msg.contains("at least 8 mm"));
//! // 0: none, unless bearer bars must enclose it.
//! assert!(check_quiet_zone(Symbology::Itf14, Bearer::None, QuietZone::Mm(0.0), 0.8, "module_width").is_ok());
//! assert!(check_quiet_zone(Symbology::Itf14, Bearer::Bars, QuietZone::Mm(0.0), 0.8, "module_width").is_err());
//! // A QR Code needs 4 modules all round.
//! assert!(check_quiet_zone(Symbology::Qr, Bearer::None, QuietZone::Modules(3), 0.5, "module_size").is_err());
//! ```

use super::problem::FieldFailure;
use crate::symbol::{Bearer, Symbology};

/// `details[].type` of a quiet zone below the symbology's minimum.
pub const QUIET_ZONE_TOO_SMALL: &str = "quiet_zone_too_small";

/// A nanometre: requested values that equal the minimum as printed in the message
/// (rounded up to whole micrometres) are accepted despite float error.
const EPSILON_MM: f64 = 1e-6;

/// The minimum quiet zone of `symbology` in mm at X = `x_mm` (the larger side's).
pub fn min_quiet_zone_mm(symbology: Symbology, x_mm: f64) -> f64 {
    let (left, right) = symbology.min_quiet_zone();
    f64::from(left.max(right)) * x_mm
}

/// A requested quiet zone, in the unit of its endpoint's `quiet_zone` field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QuietZone {
    /// Millimetres (1D barcodes).
    Mm(f64),
    /// Modules (DataMatrix, QR).
    Modules(u32),
}

/// Checks a requested quiet zone for `symbology` drawn at X = `x_mm` (the request field
/// that set X is `x_field`, for the message). `bearer` is the symbol's bearer bars
/// ([`Bearer::None`] but for ITF-14).
pub fn check_quiet_zone(
    symbology: Symbology,
    bearer: Bearer,
    requested: QuietZone,
    x_mm: f64,
    x_field: &str,
) -> Result<(), FieldFailure> {
    let min_mm = min_quiet_zone_mm(symbology, x_mm);
    let (left, right) = symbology.min_quiet_zone();
    let too_small = match requested {
        QuietZone::Mm(mm) if mm > 0.0 => mm + EPSILON_MM < min_mm,
        QuietZone::Modules(n) if n > 0 => n < left.max(right),
        _ => bearer != Bearer::None,
    };
    if !too_small {
        return Ok(());
    }
    let modules = if left == right {
        format!("{left}X")
    } else {
        format!("{left}X left and {right}X right")
    };
    let need = format!(
        "{} needs a quiet zone of {modules}: at least {} mm at {x_field} {x_mm} mm",
        symbology.name(),
        micrometres_up(min_mm),
    );
    let msg = match requested {
        QuietZone::Mm(mm) if mm > 0.0 => format!(
            "{need}; {mm} mm is less. Send at least {}, or 0 for none",
            micrometres_up(min_mm)
        ),
        QuietZone::Modules(n) if n > 0 => format!(
            "{need}; {n} modules is less. Send at least {}, or 0 for none",
            left.max(right)
        ),
        _ => format!(
            "{need}, and 0 is not allowed with bearer bars, which enclose the quiet zones \
             (GS1 General Specifications 5.3.3); or send bearer none"
        ),
    };
    Err(FieldFailure::new("quiet_zone", QUIET_ZONE_TOO_SMALL, msg))
}

/// `mm` rounded up to whole micrometres, printed without trailing zeros (`3.63`, `8`):
/// a value a caller can send back and have accepted.
fn micrometres_up(mm: f64) -> String {
    let um = (mm * 1000.0 - 1e-6).ceil();
    format!("{}", um / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_minimum_is_accepted() {
        // 11 x 0.33 is 3.6300000000000003 in f64: printed 3.63, and 3.63 passes.
        assert_eq!(micrometres_up(11.0 * 0.33), "3.63");
        let ean13 =
            |mm| check_quiet_zone(Symbology::Ean13, Bearer::None, QuietZone::Mm(mm), 0.33, "x");
        assert!(ean13(3.63).is_ok());
        assert!(ean13(3.629).is_err());
        // 10 x 0.3333 = 3.333: printed as is.
        assert_eq!(micrometres_up(10.0 * 0.3333), "3.333");
        assert_eq!(micrometres_up(10.0 * 0.33331), "3.334");
    }
}
