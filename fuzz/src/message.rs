//! [`MessageSpec`]: GS1 messages built from the AI table, so that most fuzz inputs are
//! *valid* element strings (random text almost never is: a GTIN needs its check digit,
//! a date a real month). Each AI's value is drawn component by component in its
//! character set and length range; check digits, check character pairs, dates, times,
//! country and currency codes are then made right unless the input says not to, so the
//! fuzzer explores invalid data too.

use arbitrary::{Arbitrary, Unstructured};
use shared::gs1::ai::{AiEntry, CharSet, Linter, AI_TABLE};
use shared::gs1::check_digit::{alpha_pair, mod10, CSET82};
use shared::gs1::{lookup, ElementString};

/// The most AIs in one generated message (a real label carries a handful).
pub const MAX_AIS: usize = 8;

/// AIs that labels and Digital Links use most, and those with Digital Link roles
/// (primary keys, their qualifiers, data attributes and AIs that are neither): picked
/// half of the time, so the interesting pairings (`req`, `ex`, key qualifiers) happen.
pub const COMMON_AIS: &[&str] = &[
    "01", "10", "21", "17", "22", "235", "00", "02", "37", "11", "15", "3103", "3922", "414",
    "254", "415", "8020", "8200", "99", "91", "253", "255", "8003", "8004", "8006", "8026", "8010",
    "8011", "8013", "8017", "8018", "8030", "7003", "7240", "4321", "402", "401", "7023", "417",
    "7250", "8005", "8008", "8012", "95", "420", "421", "422", "423", "03", "7007",
];

/// One AI of a generated message.
#[derive(Debug, Clone, Arbitrary)]
pub struct AiSpec {
    /// `Ok(i)`: the i-th of [`COMMON_AIS`]; `Err(i)`: the i-th entry of the whole table.
    pub pick: Result<u8, u16>,
    /// Picks lengths and characters, a byte at a time (cycled; zeros when empty).
    pub value: Vec<u8>,
    /// Make check digits, dates and code lists right (the usual case).
    pub fix: bool,
}

/// A generated GS1 message: its AIs, in message order.
#[derive(Debug, Clone, Arbitrary)]
pub struct MessageSpec {
    /// At most [`MAX_AIS`] are used.
    pub ais: Vec<AiSpec>,
}

impl MessageSpec {
    /// The element string: each AI with its generated value, in order.
    pub fn build(&self) -> ElementString {
        self.ais
            .iter()
            .take(MAX_AIS)
            .map(|spec| {
                let entry = spec.entry();
                (entry.ai, value_for(entry, &spec.value, spec.fix))
            })
            .collect()
    }
}

impl AiSpec {
    /// The table entry picked.
    pub fn entry(&self) -> &'static AiEntry {
        match self.pick {
            Ok(i) => lookup(COMMON_AIS[usize::from(i) % COMMON_AIS.len()]).expect("a table AI"),
            Err(i) => &AI_TABLE[usize::from(i) % AI_TABLE.len()],
        }
    }
}

/// Reads bytes from `bytes`, cycling, zeros when there are none.
struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        if self.bytes.is_empty() {
            return 0;
        }
        let b = self.bytes[self.at % self.bytes.len()];
        self.at += 1;
        b
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + u32::from(self.next()) % (hi - lo + 1)
    }
}

/// The 39 characters of CSET 39 and the 64 of CSET 64 (base64url), GS1 General
/// Specifications 7.11, Figures 7.11-2 and 7.11-3.
const CSET39: &str = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CSET64: &str = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

fn charset(cs: CharSet) -> &'static [u8] {
    match cs {
        CharSet::Numeric => b"0123456789",
        CharSet::Cset82 => CSET82.as_bytes(),
        CharSet::Cset39 => CSET39.as_bytes(),
        CharSet::Cset64 => CSET64.as_bytes(),
    }
}

/// A value for `entry`: each component's length and characters from `bytes`, then (when
/// `fix`) the linters that random characters rarely satisfy made to hold.
pub fn value_for(entry: &AiEntry, bytes: &[u8], fix: bool) -> String {
    let mut b = Bytes { bytes, at: 0 };
    let mut value = String::new();
    let last = entry.components.len().saturating_sub(1);
    for (k, c) in entry.components.iter().enumerate() {
        // An optional component may be left out only at the end of the data.
        if c.optional && k == last && b.next().is_multiple_of(4) {
            break;
        }
        let len = b.range(u32::from(c.min), u32::from(c.max.max(c.min))) as usize;
        let set = charset(c.cset);
        let mut part: Vec<u8> = (0..len)
            .map(|_| set[usize::from(b.next()) % set.len()])
            .collect();
        if fix {
            for linter in c.linters {
                fix_linter(*linter, &mut part, &mut b);
            }
        }
        value.push_str(std::str::from_utf8(&part).expect("ASCII"));
    }
    value
}

/// Makes `part` satisfy `linter` where that is a local edit; others are left to chance.
fn fix_linter(linter: Linter, part: &mut [u8], b: &mut Bytes) {
    let n = part.len();
    let put = |part: &mut [u8], at: usize, text: &str| {
        if at + text.len() <= n {
            part[at..at + text.len()].copy_from_slice(text.as_bytes());
        }
    };
    match linter {
        Linter::Csum if n > 0 => {
            if let Some(c) = mod10(std::str::from_utf8(&part[..n - 1]).unwrap_or("x")) {
                part[n - 1] = b'0' + c;
            }
        }
        Linter::Csumalpha if n > 2 => {
            if let Some(pair) = alpha_pair(std::str::from_utf8(&part[..n - 2]).unwrap_or("~")) {
                part[n - 2] = pair[0] as u8;
                part[n - 1] = pair[1] as u8;
            }
        }
        Linter::Yymmdd | Linter::Yymmd0 => {
            let (y, m, d) = (b.range(0, 99), b.range(1, 12), b.range(1, 28));
            put(part, 0, &format!("{y:02}{m:02}{d:02}"));
        }
        Linter::Yyyymmdd => {
            let (y, m, d) = (b.range(1900, 2099), b.range(1, 12), b.range(1, 28));
            put(part, 0, &format!("{y:04}{m:02}{d:02}"));
        }
        Linter::Hh => put(part, 0, &format!("{:02}", b.range(0, 23))),
        Linter::Mi | Linter::Ss => put(part, 0, &format!("{:02}", b.range(0, 59))),
        Linter::Hhmi => put(
            part,
            0,
            &format!("{:02}{:02}", b.range(0, 23), b.range(0, 59)),
        ),
        Linter::Iso3166 | Linter::Iso3166999 => put(
            part,
            0,
            ["276", "250", "840", "826", "380"][usize::from(b.next()) % 5],
        ),
        Linter::Iso3166alpha2 => put(
            part,
            0,
            ["DE", "FR", "US", "GB", "IT"][usize::from(b.next()) % 5],
        ),
        Linter::Iso4217 => put(
            part,
            0,
            ["978", "840", "826", "392"][usize::from(b.next()) % 4],
        ),
        Linter::Yesno => put(part, 0, ["0", "1"][usize::from(b.next()) % 2]),
        Linter::Nonzero if n > 0 && part.iter().all(|&c| c == b'0') => part[n - 1] = b'1',
        Linter::Zero => put(part, 0, "0"),
        _ => {}
    }
}

/// A [`MessageSpec`] from raw fuzz bytes (for targets that take more than a message).
pub fn message_from(u: &mut Unstructured) -> arbitrary::Result<ElementString> {
    Ok(MessageSpec::arbitrary(u)?.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_values_of_common_ais_are_mostly_valid() {
        // GIVEN every common AI with a few byte patterns, fixed
        let mut valid = 0;
        let mut total = 0;
        for ai in COMMON_AIS {
            let entry = lookup(ai).unwrap();
            for seed in [&b""[..], b"\x01\x02\x03", b"\xff\x10\x7f\x33"] {
                let value = value_for(entry, seed, true);
                total += 1;
                if shared::gs1::element_string::validate_value(entry, &value).is_ok() {
                    valid += 1;
                }
            }
        }
        // THEN most are valid on their own (pairing rules aside)
        assert!(valid * 10 >= total * 8, "{valid} of {total}");
    }

    #[test]
    fn a_gtin_gets_its_check_digit() {
        let es = MessageSpec {
            ais: vec![AiSpec {
                pick: Ok(0),
                value: b"\x09\x05\x00\x01".to_vec(),
                fix: true,
            }],
        }
        .build();
        assert_eq!(es.ais[0].0, "01");
        assert_eq!(es.validate(), Ok(()));
    }
}
