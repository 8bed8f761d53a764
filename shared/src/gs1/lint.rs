//! One function per linter of the GS1 Barcode Syntax Dictionary, named after it,
//! plus the character-set checks applied to every component (`csetnumeric` for N,
//! `cset82` for X, `cset39` for Y, `cset64` for Z).
//!
//! Each takes the data of one component and returns a [`LintError`] naming the
//! linter (`rule`), the 0-based character offset of the offending data within the
//! component where one applies, and a message. Semantics follow the linters of
//! GS1's reference Syntax Engine (`lint_*.c`); where it needs external data (GS1
//! Company Prefix allocations) we do what it does without that data.

use super::ai::{CharSet, Linter};
use super::check_digit::{self, CSET32, CSET82};
use super::lint_tables;
use crate::unicode::CharName;

/// A failed linter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rule}: {msg}")]
pub struct LintError {
    /// Name of the linter, as in the dictionary (`"csum"`, `"yymmd0"`, ...).
    pub rule: &'static str,
    /// 0-based character offset of the bad data within the component, if applicable.
    pub position: Option<usize>,
    /// What is wrong, for humans.
    pub msg: String,
}

/// Result of a linter.
pub type LintResult = Result<(), LintError>;

fn err(rule: &'static str, position: Option<usize>, msg: impl Into<String>) -> LintResult {
    Err(LintError {
        rule,
        position,
        msg: msg.into(),
    })
}

fn first_non_digit(data: &str) -> Option<usize> {
    data.chars().position(|c| !c.is_ascii_digit())
}

fn digits_only(rule: &'static str, data: &str) -> LintResult {
    match first_non_digit(data) {
        Some(p) => err(rule, Some(p), "non-digit character"),
        None => Ok(()),
    }
}

fn num(s: &str) -> u32 {
    s.bytes().fold(0, |a, b| a * 10 + u32::from(b - b'0'))
}

/// Runs a dictionary linter by its table tag.
pub fn run(linter: Linter, data: &str) -> LintResult {
    match linter {
        Linter::Couponcode => couponcode(data),
        Linter::Couponposoffer => couponposoffer(data),
        Linter::Csum => csum(data),
        Linter::Csumalpha => csumalpha(data),
        Linter::Gcppos1 => gcppos1(data),
        Linter::Gcppos2 => gcppos2(data),
        Linter::Hasnondigit => hasnondigit(data),
        Linter::Hh => hh(data),
        Linter::Hhmi => hhmi(data),
        Linter::Hyphen => hyphen(data),
        Linter::Iban => iban(data),
        Linter::Importeridx => importeridx(data),
        Linter::Iso3166 => iso3166(data),
        Linter::Iso3166999 => iso3166999(data),
        Linter::Iso3166alpha2 => iso3166alpha2(data),
        Linter::Iso4217 => iso4217(data),
        Linter::Iso5218 => iso5218(data),
        Linter::Latitude => latitude(data),
        Linter::Longitude => longitude(data),
        Linter::Mediatype => mediatype(data),
        Linter::Mi => mi(data),
        Linter::Nonzero => nonzero(data),
        Linter::Nozeroprefix => nozeroprefix(data),
        Linter::Packagetype => packagetype(data),
        Linter::Pcenc => pcenc(data),
        Linter::Pieceoftotal => pieceoftotal(data),
        Linter::Posinseqslash => posinseqslash(data),
        Linter::Ss => ss(data),
        Linter::Winding => winding(data),
        Linter::Yesno => yesno(data),
        Linter::Yymmd0 => yymmd0(data),
        Linter::Yymmdd => yymmdd(data),
        Linter::Yyyymmdd => yyyymmdd(data),
        Linter::Zero => zero(data),
    }
}

/// Runs the character-set check of a component type.
pub fn cset(cs: CharSet, data: &str) -> LintResult {
    match cs {
        CharSet::Numeric => csetnumeric(data),
        CharSet::Cset82 => cset82(data),
        CharSet::Cset39 => cset39(data),
        CharSet::Cset64 => cset64(data),
    }
}

/// The rule name of a component type's character-set check.
pub fn cset_rule(cs: CharSet) -> &'static str {
    match cs {
        CharSet::Numeric => "csetnumeric",
        CharSet::Cset82 => "cset82",
        CharSet::Cset39 => "cset39",
        CharSet::Cset64 => "cset64",
    }
}

// ---------------------------------------------------------------- character sets

/// `N`: digits only.
pub fn csetnumeric(data: &str) -> LintResult {
    match data.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        Some((p, c)) => err(
            "csetnumeric",
            Some(p),
            format!("{} is not a digit", CharName(c)),
        ),
        None => Ok(()),
    }
}

/// Alias of [`csetnumeric`].
pub fn numeric(data: &str) -> LintResult {
    csetnumeric(data)
}

/// `X`: GS1 AI encodable character set 82.
pub fn cset82(data: &str) -> LintResult {
    match data.chars().enumerate().find(|(_, c)| !CSET82.contains(*c)) {
        Some((p, c)) => err(
            "cset82",
            Some(p),
            format!("{} is not in GS1 CSET 82", CharName(c)),
        ),
        None => Ok(()),
    }
}

/// `Y`: GS1 AI encodable character set 39 (`#`, `-`, `/`, digits, upper case).
pub fn cset39(data: &str) -> LintResult {
    let ok =
        |c: char| c == '#' || c == '-' || c == '/' || c.is_ascii_digit() || c.is_ascii_uppercase();
    match data.chars().enumerate().find(|(_, c)| !ok(*c)) {
        Some((p, c)) => err(
            "cset39",
            Some(p),
            format!("{} is not in GS1 CSET 39", CharName(c)),
        ),
        None => Ok(()),
    }
}

/// `Z`: GS1 AI encodable character set 64 (base64url). Up to two trailing `=`
/// are allowed, only when they pad the whole to a multiple of three characters.
pub fn cset64(data: &str) -> LintResult {
    let body = data.trim_end_matches('=');
    let len = body.chars().count();
    let pads = data.len() - body.len();
    if pads > 2 || (pads > 0 && !(len + pads).is_multiple_of(3)) {
        return err("cset64", Some(len), "invalid base64 padding");
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    match body.chars().enumerate().find(|&(_, c)| !ok(c)) {
        Some((p, c)) => err(
            "cset64",
            Some(p),
            format!("{} is not in GS1 CSET 64", CharName(c)),
        ),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- check digits

/// The last digit is the GS1 mod-10 check digit of the others.
pub fn csum(data: &str) -> LintResult {
    digits_only("csum", data)?;
    if data.is_empty() {
        return err("csum", Some(0), "too short for a check digit");
    }
    let n = data.len();
    let expected = check_digit::mod10(&data[..n - 1]).unwrap_or(0);
    if data.as_bytes()[n - 1] != b'0' + expected {
        return err(
            "csum",
            Some(n - 1),
            format!(
                "incorrect check digit: expected {expected}, got {}",
                &data[n - 1..]
            ),
        );
    }
    Ok(())
}

/// The last two characters are the GS1 alphanumeric check character pair.
pub fn csumalpha(data: &str) -> LintResult {
    const R: &str = "csumalpha";
    let chars: Vec<char> = data.chars().collect();
    let n = chars.len();
    if n < 2 {
        return err(R, Some(0), "too short for a check character pair");
    }
    if n - 2 > check_digit::MAX_ALPHA_DATA_LEN {
        return err(
            R,
            Some(0),
            "too long for the check character pair implementation",
        );
    }
    if let Some(p) = chars[..n - 2].iter().position(|c| !CSET82.contains(*c)) {
        return err(R, Some(p), "character outside CSET 82");
    }
    if let Some(p) = chars[n - 2..].iter().position(|c| !CSET32.contains(*c)) {
        return err(R, Some(n - 2 + p), "check character outside CSET 32");
    }
    let body: String = chars[..n - 2].iter().collect();
    let pair = check_digit::alpha_pair(&body).unwrap_or(['?', '?']);
    if chars[n - 2] != pair[0] || chars[n - 1] != pair[1] {
        return err(
            R,
            Some(n - 2),
            format!(
                "incorrect check character pair: expected {}{}",
                pair[0], pair[1]
            ),
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- GS1 Company Prefix

const GCP_MIN_LENGTH: usize = 4;

/// Starts with a GS1 Company Prefix. Without a table of GCP allocations (as the
/// Syntax Engine by default) this only checks that the shortest possible GCP, 4
/// characters, is present and all digits.
pub fn gcppos1(data: &str) -> LintResult {
    gcp_at("gcppos1", data, 0)
}

/// Starts with a GS1 Company Prefix from its second character (after the
/// indicator / extension digit); see [`gcppos1`].
pub fn gcppos2(data: &str) -> LintResult {
    if data.chars().count() < 2 {
        return err("gcppos2", Some(0), "too short for a GS1 Company Prefix");
    }
    gcp_at("gcppos2", data, 1)
}

fn gcp_at(rule: &'static str, data: &str, skip: usize) -> LintResult {
    let chars: Vec<char> = data.chars().skip(skip).collect();
    if chars.len() < GCP_MIN_LENGTH {
        return err(rule, Some(skip), "too short for a GS1 Company Prefix");
    }
    match chars[..GCP_MIN_LENGTH]
        .iter()
        .position(|c| !c.is_ascii_digit())
    {
        Some(p) => err(rule, Some(skip + p), "invalid GS1 Company Prefix"),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- dates and times

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks YYYYMMDD; `d0` allows day 00. Positions are relative to `data`, whose
/// first `off` characters are the century we added (0 or 2).
fn date8(rule: &'static str, data: &str, off: usize, d0: bool) -> LintResult {
    let (y, m, d) = (num(&data[..4]), num(&data[4..6]), num(&data[6..8]));
    if !(1..=12).contains(&m) {
        return err(rule, Some(4 - off), "illegal month");
    }
    if (d == 0 && !d0) || d > days_in_month(y, m) {
        return err(rule, Some(6 - off), "illegal day of the month");
    }
    Ok(())
}

fn yymmdd_impl(rule: &'static str, data: &str, d0: bool) -> LintResult {
    let n = data.chars().count();
    if n != 6 {
        let msg = if n < 6 {
            "date too short"
        } else {
            "date too long"
        };
        return err(rule, Some(0), msg);
    }
    digits_only(rule, data)?;
    // The engine maps YY to a century within -49/+50 years of now. Only the leap
    // year rule depends on it, and for YY = 00 every year from 2000 to 2049 gives
    // 2000 (a leap year); other centuries only matter for years that are not a
    // multiple of 4, whose leap status the century cannot change.
    let yy = num(&data[..2]);
    let full = format!("{}{}", 2000 + yy, &data[2..]);
    date8(rule, &full, 2, d0)
}

/// YYMMDD: a valid date.
pub fn yymmdd(data: &str) -> LintResult {
    yymmdd_impl("yymmdd", data, false)
}

/// YYMMDD: a valid date, or day 00 meaning the month.
pub fn yymmd0(data: &str) -> LintResult {
    yymmdd_impl("yymmd0", data, true)
}

/// YYYYMMDD: a valid date.
pub fn yyyymmdd(data: &str) -> LintResult {
    const R: &str = "yyyymmdd";
    let n = data.chars().count();
    if n != 8 {
        return err(
            R,
            Some(0),
            if n < 8 {
                "date too short"
            } else {
                "date too long"
            },
        );
    }
    digits_only(R, data)?;
    date8(R, data, 0, false)
}

fn two_digits(rule: &'static str, data: &str, max: u32, what: &str) -> LintResult {
    let n = data.chars().count();
    if n != 2 {
        return err(rule, Some(0), format!("{what} must be two digits"));
    }
    digits_only(rule, data)?;
    if num(data) > max {
        return err(rule, Some(0), format!("illegal {what}"));
    }
    Ok(())
}

/// HH: hour 00-23.
pub fn hh(data: &str) -> LintResult {
    two_digits("hh", data, 23, "hour")
}

/// MI: minute 00-59.
pub fn mi(data: &str) -> LintResult {
    two_digits("mi", data, 59, "minute")
}

/// SS: second 00-59.
pub fn ss(data: &str) -> LintResult {
    two_digits("ss", data, 59, "second")
}

/// HHMI: hour 00-23 and minute 00-59.
pub fn hhmi(data: &str) -> LintResult {
    const R: &str = "hhmi";
    if data.chars().count() != 4 {
        return err(R, Some(0), "time must be four digits");
    }
    digits_only(R, data)?;
    if num(&data[..2]) > 23 {
        return err(R, Some(0), "illegal hour");
    }
    if num(&data[2..]) > 59 {
        return err(R, Some(2), "illegal minute");
    }
    Ok(())
}

// ---------------------------------------------------------------- code lists

fn in_table(rule: &'static str, table: &[&str], data: &str, what: &str) -> LintResult {
    if table.binary_search(&data).is_ok() {
        Ok(())
    } else {
        err(rule, Some(0), format!("not a valid {what}"))
    }
}

/// ISO 3166-1 numeric country code.
pub fn iso3166(data: &str) -> LintResult {
    in_table(
        "iso3166",
        lint_tables::ISO3166,
        data,
        "ISO 3166 country code",
    )
}

/// ISO 3166-1 numeric country code, or `999`.
pub fn iso3166999(data: &str) -> LintResult {
    if data == "999" {
        return Ok(());
    }
    in_table(
        "iso3166999",
        lint_tables::ISO3166,
        data,
        "ISO 3166 country code or 999",
    )
}

/// ISO 3166-1 alpha-2 country code.
pub fn iso3166alpha2(data: &str) -> LintResult {
    in_table(
        "iso3166alpha2",
        lint_tables::ISO3166ALPHA2,
        data,
        "ISO 3166 alpha-2 country code",
    )
}

/// ISO 4217 numeric currency code.
pub fn iso4217(data: &str) -> LintResult {
    in_table(
        "iso4217",
        lint_tables::ISO4217,
        data,
        "ISO 4217 currency code",
    )
}

/// ISO/IEC 5218 sex code.
pub fn iso5218(data: &str) -> LintResult {
    in_table("iso5218", lint_tables::ISO5218, data, "ISO/IEC 5218 code")
}

/// AIDC media type code.
pub fn mediatype(data: &str) -> LintResult {
    in_table("mediatype", lint_tables::MEDIATYPE, data, "AIDC media type")
}

/// UN/ECE Recommendation 21 package type code.
pub fn packagetype(data: &str) -> LintResult {
    in_table(
        "packagetype",
        lint_tables::PACKAGETYPE,
        data,
        "package type code",
    )
}

// ---------------------------------------------------------------- simple values

/// Digits, not all zero.
pub fn nonzero(data: &str) -> LintResult {
    digits_only("nonzero", data)?;
    if data.bytes().all(|b| b == b'0') {
        return err("nonzero", Some(0), "zero value not permitted");
    }
    Ok(())
}

/// Digits, not starting with `0`. A non-digit anywhere is reported before a
/// zero prefix, as the engine does.
pub fn nozeroprefix(data: &str) -> LintResult {
    digits_only("nozeroprefix", data)?;
    if data.starts_with('0') {
        return err("nozeroprefix", Some(0), "zero prefix not permitted");
    }
    Ok(())
}

/// A zero value: one or more `0` characters (`0`, `00`, ...), nothing else.
pub fn zero(data: &str) -> LintResult {
    if !data.is_empty() && data.bytes().all(|b| b == b'0') {
        Ok(())
    } else {
        err("zero", Some(0), "must be zero")
    }
}

/// `0` or `1`.
pub fn yesno(data: &str) -> LintResult {
    if data == "0" || data == "1" {
        Ok(())
    } else {
        err("yesno", Some(0), "must be 0 or 1")
    }
}

/// Winding direction: `0`, `1` or `9`.
pub fn winding(data: &str) -> LintResult {
    if data == "0" || data == "1" || data == "9" {
        Ok(())
    } else {
        err("winding", Some(0), "winding direction must be 0, 1 or 9")
    }
}

/// One or more hyphens only.
pub fn hyphen(data: &str) -> LintResult {
    if !data.is_empty() && data.bytes().all(|b| b == b'-') {
        Ok(())
    } else {
        err("hyphen", Some(0), "must be a hyphen")
    }
}

/// Contains at least one non-digit character.
pub fn hasnondigit(data: &str) -> LintResult {
    if data.chars().any(|c| !c.is_ascii_digit()) {
        Ok(())
    } else {
        err("hasnondigit", Some(0), "must contain a non-digit character")
    }
}

/// Importer index: one character of `-`, digits, letters, `_`.
pub fn importeridx(data: &str) -> LintResult {
    let mut it = data.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if c == '-' || c == '_' || c.is_ascii_alphanumeric() => Ok(()),
        (Some(_), None) => err("importeridx", Some(0), "invalid importer index character"),
        _ => err(
            "importeridx",
            Some(0),
            "importer index must be one character",
        ),
    }
}

/// Every `%` is followed by two hex digits.
pub fn pcenc(data: &str) -> LintResult {
    let b = data.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return err("pcenc", Some(i), "invalid percent sequence");
            }
            if !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                return err("pcenc", Some(i), "invalid percent sequence");
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// Piece number then total count, equal lengths: neither zero, piece <= total.
pub fn pieceoftotal(data: &str) -> LintResult {
    const R: &str = "pieceoftotal";
    // The engine checks the length before the characters.
    let n = data.chars().count();
    if n == 0 || !n.is_multiple_of(2) {
        return err(R, Some(0), "piece and total must have equal lengths");
    }
    digits_only(R, data)?;
    let (p, t) = data.split_at(n / 2);
    if p.bytes().all(|b| b == b'0') {
        return err(R, Some(0), "piece number is zero");
    }
    if t.bytes().all(|b| b == b'0') {
        return err(R, Some(n / 2), "total count is zero");
    }
    if p > t {
        return err(R, Some(0), "piece number exceeds total count");
    }
    Ok(())
}

/// `<pos>/<end>`: both numbers without zero prefix, pos <= end.
pub fn posinseqslash(data: &str) -> LintResult {
    const R: &str = "posinseqslash";
    let Some((p, e)) = data.split_once('/') else {
        return err(R, Some(0), "must be <position>/<end>");
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(p) || !digits(e) {
        return err(R, Some(0), "must be <position>/<end>");
    }
    if p.starts_with('0') {
        return err(R, Some(0), "zero prefix not permitted");
    }
    if e.starts_with('0') {
        return err(R, Some(p.len() + 1), "zero prefix not permitted");
    }
    if p.len() > e.len() || (p.len() == e.len() && p > e) {
        return err(R, Some(0), "position exceeds end");
    }
    Ok(())
}

fn coordinate(rule: &'static str, data: &str, max: u64) -> LintResult {
    if data.chars().count() != 10 {
        return err(rule, Some(0), "must be ten digits");
    }
    digits_only(rule, data)?;
    if data.parse::<u64>().unwrap_or(u64::MAX) > max {
        return err(rule, Some(0), "out of range");
    }
    Ok(())
}

/// Latitude, 10 digits, 0000000000-1800000000.
pub fn latitude(data: &str) -> LintResult {
    coordinate("latitude", data, 1_800_000_000)
}

/// Longitude, 10 digits, 0000000000-3600000000. Unlike `latitude`, the engine
/// reports a non-digit among the first ten characters before a wrong length.
pub fn longitude(data: &str) -> LintResult {
    const R: &str = "longitude";
    if let Some(p) = data.chars().take(10).position(|c| !c.is_ascii_digit()) {
        return err(R, Some(p), "non-digit character");
    }
    coordinate(R, data, 3_600_000_000)
}

/// IBAN: more than 4 characters, digits and upper case, ISO 3166 alpha-2
/// country, mod 97 = 1.
pub fn iban(data: &str) -> LintResult {
    const R: &str = "iban";
    // In the engine's order: length, characters, country code, checksum. The
    // upper length bound is the AI's (34), not the linter's.
    let b = data.as_bytes();
    if b.len() <= 4 {
        return err(R, Some(0), "IBAN too short");
    }
    if let Some(p) = b
        .iter()
        .position(|c| !c.is_ascii_digit() && !c.is_ascii_uppercase())
    {
        return err(R, Some(p), "invalid IBAN character");
    }
    if lint_tables::ISO3166ALPHA2
        .binary_search(&&data[..2])
        .is_err()
    {
        return err(R, Some(0), "illegal IBAN country code");
    }
    let mut sum = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        sum = if c.is_ascii_digit() {
            (sum * 10 + u32::from(c - b'0')) % 97
        } else {
            (sum * 100 + u32::from(c - b'A') + 10) % 97
        };
    }
    if sum != 1 {
        return err(R, Some(2), "incorrect IBAN checksum");
    }
    Ok(())
}

// ---------------------------------------------------------------- coupons

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.b.len() - self.p
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.p).copied()
    }
    /// Takes a one-digit field, failing with `missing` if none is left.
    fn digit(&mut self, rule: &'static str, missing: &str) -> Result<u8, LintError> {
        match self.peek() {
            Some(d) => {
                self.p += 1;
                Ok(d - b'0')
            }
            None => Err(LintError {
                rule,
                position: Some(0),
                msg: missing.into(),
            }),
        }
    }
    fn skip(&mut self, rule: &'static str, n: usize, what: &str) -> LintResult {
        if self.left() < n {
            return err(
                rule,
                Some(if self.left() == 0 { 0 } else { self.p }),
                format!("{what} truncated"),
            );
        }
        self.p += n;
        Ok(())
    }
    fn gcp(&mut self, rule: &'static str, n: usize, what: &str) -> LintResult {
        let start = self.p;
        self.skip(rule, n, what)?;
        if n > 0 && n < GCP_MIN_LENGTH {
            return err(
                rule,
                Some(start),
                format!("{what}: invalid GS1 Company Prefix"),
            );
        }
        Ok(())
    }
}

fn bad(rule: &'static str, pos: usize, msg: &str) -> LintResult {
    err(rule, Some(pos), msg)
}

/// North American coupon code (AI 8110), with its optional fields 1-6 and 9.
pub fn couponcode(data: &str) -> LintResult {
    const R: &str = "couponcode";
    digits_only(R, data)?;
    let mut c = Cursor {
        b: data.as_bytes(),
        p: 0,
    };
    let v = c.digit(R, "missing GCP length indicator")?;
    if v > 6 {
        return bad(R, c.p - 1, "invalid GCP length indicator");
    }
    c.gcp(R, usize::from(v) + 6, "GCP")?;
    c.skip(R, 6, "offer code")?;
    let v = c.digit(R, "missing save value length indicator")?;
    if !(1..=5).contains(&v) {
        return bad(R, c.p - 1, "invalid save value length indicator");
    }
    c.skip(R, usize::from(v), "save value")?;
    purchase(&mut c, "1st")?;
    if c.peek() == Some(b'1') {
        c.p += 1;
        let v = c.digit(R, "missing additional purchase rules code")?;
        if v > 3 {
            return bad(R, c.p - 1, "invalid additional purchase rules code");
        }
        purchase(&mut c, "2nd")?;
        purchase_gcp(&mut c, "2nd")?;
    }
    if c.peek() == Some(b'2') {
        c.p += 1;
        purchase(&mut c, "3rd")?;
        purchase_gcp(&mut c, "3rd")?;
    }
    let mut expiry = None;
    if c.peek() == Some(b'3') {
        c.p += 1;
        let start = c.p;
        c.skip(R, 6, "expiration date")?;
        if yymmdd(&data[start..start + 6]).is_err() {
            return bad(R, start, "invalid expiration date");
        }
        expiry = Some(&data[start..start + 6]);
    }
    if c.peek() == Some(b'4') {
        c.p += 1;
        let start = c.p;
        c.skip(R, 6, "start date")?;
        let sd = &data[start..start + 6];
        if yymmdd(sd).is_err() {
            return bad(R, start, "invalid start date");
        }
        if expiry.is_some_and(|e| sd > e) {
            return bad(R, start - 8, "expiration date before start date");
        }
    }
    if c.peek() == Some(b'5') {
        c.p += 1;
        let v = c.digit(R, "missing serial number length indicator")?;
        c.skip(R, usize::from(v) + 6, "serial number")?;
    }
    if c.peek() == Some(b'6') {
        c.p += 1;
        let v = c.digit(R, "missing retailer GCP/GLN length indicator")?;
        if !(1..=7).contains(&v) {
            return bad(R, c.p - 1, "invalid retailer GCP/GLN length indicator");
        }
        c.gcp(R, usize::from(v) + 6, "retailer GCP/GLN")?;
    }
    if c.peek() == Some(b'9') {
        c.p += 1;
        let v = c.digit(R, "missing save value code")?;
        if ![0, 1, 2, 5, 6].contains(&v) {
            return bad(R, c.p - 1, "invalid save value code");
        }
        let v = c.digit(R, "missing save value applies to item")?;
        if v > 2 {
            return bad(R, c.p - 1, "invalid save value applies to item");
        }
        c.digit(R, "missing store coupon flag")?;
        let v = c.digit(R, "missing don't multiply flag")?;
        if v > 1 {
            return bad(R, c.p - 1, "invalid don't multiply flag");
        }
    }
    if c.left() > 0 {
        return bad(R, c.p, "excess data");
    }
    Ok(())
}

fn purchase(c: &mut Cursor<'_>, nth: &str) -> LintResult {
    const R: &str = "couponcode";
    let v = c.digit(
        R,
        &format!("missing {nth} purchase requirement length indicator"),
    )?;
    if !(1..=5).contains(&v) {
        return bad(
            R,
            c.p - 1,
            &format!("invalid {nth} purchase requirement length indicator"),
        );
    }
    c.skip(R, usize::from(v), &format!("{nth} purchase requirement"))?;
    let v = c.digit(R, &format!("missing {nth} purchase requirement code"))?;
    if v > 4 && v != 9 {
        return bad(
            R,
            c.p - 1,
            &format!("invalid {nth} purchase requirement code"),
        );
    }
    c.skip(R, 3, &format!("{nth} purchase family code"))
}

fn purchase_gcp(c: &mut Cursor<'_>, nth: &str) -> LintResult {
    const R: &str = "couponcode";
    let v = c.digit(R, &format!("missing {nth} purchase GCP length indicator"))?;
    if v > 6 && v != 9 {
        return bad(
            R,
            c.p - 1,
            &format!("invalid {nth} purchase GCP length indicator"),
        );
    }
    let n = if v == 9 { 0 } else { usize::from(v) + 6 };
    c.gcp(R, n, &format!("{nth} purchase GCP"))
}

/// Positive offer file coupon code (AI 8112).
pub fn couponposoffer(data: &str) -> LintResult {
    const R: &str = "couponposoffer";
    digits_only(R, data)?;
    let mut c = Cursor {
        b: data.as_bytes(),
        p: 0,
    };
    let v = c.digit(R, "missing format code")?;
    if v > 1 {
        return bad(R, 0, "invalid format code");
    }
    let v = c.digit(R, "missing funder ID length indicator")?;
    if v > 6 {
        return bad(R, 1, "invalid funder ID length indicator");
    }
    c.gcp(R, usize::from(v) + 6, "funder ID")?;
    c.skip(R, 6, "offer code")?;
    let v = c.digit(R, "missing serial number length indicator")?;
    c.skip(R, usize::from(v) + 6, "serial number")?;
    if c.left() > 0 {
        return bad(R, c.p, "excess data");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type F = fn(&str) -> LintResult;

    /// (linter, data, ok) rows taken from or modelled on the Syntax Engine's
    /// unit tests.
    #[test]
    fn linter_table() {
        let rows: &[(&str, F, &str, bool)] = &[
            /* 0 */ ("cset64", cset64, "12=", true),
            /* 1 */ ("cset64", cset64, "1==", true),
            /* 2 */ ("cset64", cset64, "===", false),
            /* 3 */ ("cset64", cset64, "123=", false),
            /* 4 */ ("cset64", cset64, "AB C", false),
            /* 5 */ ("cset64", cset64, "", true),
            /* 6 */ ("cset82", cset82, "ABC#", false),
            /* 7 */ ("cset82", cset82, "!\"%&'()*+,-./:;<=>?_az", true),
            /* 8 */ ("cset39", cset39, "#-/09AZ", true),
            /* 9 */ ("cset39", cset39, "a", false),
            /* 10 */ ("csum", csum, "09501101020917", true),
            /* 11 */ ("csum", csum, "09501101020918", false),
            /* 12 */ ("csumalpha", csumalpha, "1987654Ad4X4bL5ttr2310c2K", true),
            /* 13 */ ("csumalpha", csumalpha, "1987654Ad4X4bL5ttr2310cXK", false),
            /* 14 */ ("csumalpha", csumalpha, "2", false),
            /* 15 */ ("gcppos1", gcppos1, "0123", true),
            /* 16 */ ("gcppos1", gcppos1, "012", false),
            /* 17 */ ("gcppos1", gcppos1, "012A5", false),
            /* 18 */ ("gcppos2", gcppos2, "I0123", true),
            /* 19 */ ("gcppos2", gcppos2, "I012", false),
            /* 20 */ ("yymmd0", yymmd0, "200600", true),
            /* 21 */ ("yymmd0", yymmd0, "000229", true),
            /* 22 */ ("yymmd0", yymmd0, "210229", false),
            /* 23 */ ("yymmd0", yymmd0, "201310", false),
            /* 24 */ ("yymmdd", yymmdd, "200600", false),
            /* 25 */ ("yymmdd", yymmdd, "240229", true),
            /* 26 */ ("yyyymmdd", yyyymmdd, "20000229", true),
            /* 27 */ ("yyyymmdd", yyyymmdd, "19000229", false),
            /* 28 */ ("hhmi", hhmi, "2359", true),
            /* 29 */ ("hhmi", hhmi, "2400", false),
            /* 30 */ ("hhmi", hhmi, "2360", false),
            /* 31 */ ("hh", hh, "23", true),
            /* 32 */ ("mi", mi, "60", false),
            /* 33 */ ("ss", ss, "59", true),
            /* 34 */ ("iso3166", iso3166, "826", true),
            /* 35 */ ("iso3166", iso3166, "999", false),
            /* 36 */ ("iso3166999", iso3166999, "999", true),
            /* 37 */ ("iso3166alpha2", iso3166alpha2, "GB", true),
            /* 38 */ ("iso3166alpha2", iso3166alpha2, "XX", false),
            /* 39 */ ("iso4217", iso4217, "978", true),
            /* 40 */ ("iso4217", iso4217, "000", false),
            /* 41 */ ("iso5218", iso5218, "9", true),
            /* 42 */ ("iso5218", iso5218, "3", false),
            /* 43 */ ("nonzero", nonzero, "0009", true),
            /* 44 */ ("nonzero", nonzero, "000", false),
            /* 45 */ ("nozeroprefix", nozeroprefix, "10", true),
            /* 46 */ ("nozeroprefix", nozeroprefix, "01", false),
            /* 47 */ ("zero", zero, "0", true),
            /* 48 */ ("zero", zero, "1", false),
            /* 49 */ ("pieceoftotal", pieceoftotal, "0103", true),
            /* 50 */ ("pieceoftotal", pieceoftotal, "0908", false),
            /* 51 */ ("pieceoftotal", pieceoftotal, "0100", false),
            /* 52 */ ("pcenc", pcenc, "ABC%20XYZ", true),
            /* 53 */ ("pcenc", pcenc, "ABC%gXYZ", false),
            /* 54 */ ("pcenc", pcenc, "ABC%2", false),
            /* 55 */ ("latitude", latitude, "1800000000", true),
            /* 56 */ ("latitude", latitude, "1800000001", false),
            /* 57 */ ("longitude", longitude, "3600000000", true),
            /* 58 */ ("longitude", longitude, "3600000001", false),
            /* 59 */ ("yesno", yesno, "1", true),
            /* 60 */ ("yesno", yesno, "2", false),
            /* 61 */ ("hyphen", hyphen, "--", true),
            /* 62 */ ("hyphen", hyphen, "", false),
            /* 63 */ ("winding", winding, "9", true),
            /* 64 */ ("winding", winding, "2", false),
            /* 65 */ ("mediatype", mediatype, "01", true),
            /* 66 */ ("mediatype", mediatype, "00", false),
            /* 67 */ ("packagetype", packagetype, "1A", true),
            /* 68 */ ("packagetype", packagetype, "1C", false),
            /* 69 */ ("importeridx", importeridx, "_", true),
            /* 70 */ ("importeridx", importeridx, ".", false),
            /* 71 */ ("iban", iban, "GB98MIDL07009312345678", true),
            /* 72 */ ("iban", iban, "BE71096123456760", false),
            /* 73 */ ("iban", iban, "XX361234567890", false),
            /* 74 */ ("couponcode", couponcode, "012345612345611110123", true),
            /* 75 */ ("couponcode", couponcode, "0123456123456", false),
            /* 76 */
            (
                "couponposoffer",
                couponposoffer,
                "001234561234560123456",
                true,
            ),
            /* 77 */
            (
                "couponposoffer",
                couponposoffer,
                "0012345612345601234567",
                false,
            ),
            /* 78 */ ("posinseqslash", posinseqslash, "9/10", true),
            /* 79 */ ("posinseqslash", posinseqslash, "10/9", false),
            /* 80 */ ("posinseqslash", posinseqslash, "01/2", false),
            /* 81 */ ("hasnondigit", hasnondigit, "12A", true),
            /* 82 */ ("hasnondigit", hasnondigit, "123", false),
            /* 83 */ ("csetnumeric", csetnumeric, "12a", false),
        ];
        for (i, (name, f, data, ok)) in rows.iter().enumerate() {
            let r = f(data);
            assert_eq!(r.is_ok(), *ok, "row {i}: {name}({data:?}) -> {r:?}");
            if let Err(e) = r {
                assert_eq!(e.rule, *name, "row {i}");
            }
        }
    }

    #[test]
    fn positions() {
        // (result, expected position)
        let rows: &[(LintResult, usize)] = &[
            /* 0 */ (csum("09501101020918"), 13),
            /* 1 */ (yymmd0("200132"), 4),
            /* 2 */ (yymmd0("201310"), 2),
            /* 3 */ (cset82("AB C"), 2),
            /* 4 */ (cset64("12==="), 2),
            /* 5 */ (gcppos2("I01A45"), 3),
            /* 6 */ (posinseqslash("1/02"), 2),
            /* 7 */ (iban("BE71096123456760"), 2),
            /* 8 */ (couponcode("01234561234560"), 13),
            // The engine's order of checks decides which fault is reported.
            /* 9 */
            (nozeroprefix("0A"), 1),
            /* 10 */ (pieceoftotal("1x1"), 0),
            /* 11 */ (longitude("30152979x"), 8),
            /* 12 */ (iban("XX36123456789a"), 13),
        ];
        for (i, (r, pos)) in rows.iter().enumerate() {
            assert_eq!(r.as_ref().unwrap_err().position, Some(*pos), "row {i}");
        }
    }
}
