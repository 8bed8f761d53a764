//! [`DigitalLink`]: GS1 Digital Link URIs (GS1 Digital Link standard 1.2, numeric
//! AI syntax only), parsed into primary key, key qualifiers and data attributes,
//! and built canonically from an [`ElementString`].
//!
//! ```
//! use shared::gs1::DigitalLink;
//! let dl = DigitalLink::parse("https://example.com/shop/01/09501101020917/10/AB%2FC?17=270630").unwrap();
//! assert_eq!(dl.key, ("01".to_owned(), "09501101020917".to_owned()));
//! assert_eq!(dl.qualifiers, vec![("10".to_owned(), "AB/C".to_owned())]);
//! assert_eq!(dl.stem, "https://example.com/shop");
//! ```

use std::fmt;

use super::ai;
use super::element_string::{predefined_length_first, ElementString};
use super::error::Gs1Error;

/// The stem used when none is given.
pub const DEFAULT_STEM: &str = "https://id.gs1.org";

/// A GS1 Digital Link URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalLink {
    /// Scheme, domain and any path prefix before the primary key, no trailing `/`.
    pub stem: String,
    /// Primary key AI and value (AI 01 always 14 digits).
    pub key: (String, String),
    /// Key qualifiers in path order.
    pub qualifiers: Vec<(String, String)>,
    /// Data attributes (query parameters whose name is an AI), in order.
    pub attributes: Vec<(String, String)>,
    /// Other query parameters (not AIs), kept apart, decoded, in order.
    pub other_params: Vec<(String, String)>,
}

fn dl_err(rule: &'static str, msg: impl Into<String>) -> Gs1Error {
    Gs1Error::new(rule, msg)
}

fn is_numeric_ai(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Percent-encodes everything but the RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Characters that may not appear in the domain (engine: `badDomainCharacters`).
const BAD_DOMAIN_CHARS: &str = "_~?#@!$&'()*+,;=%";

/// Decodes `%XX` sequences as the Syntax Engine's `URIunescape` does: a `%` not
/// followed by two hex digits stays as it is, `+` means a space in a query
/// component only, and `%00` is an error. A result that is not UTF-8 is an error
/// too (no AI value may hold such bytes: they are outside CSET 82).
pub fn percent_decode(s: &str) -> Result<String, Gs1Error> {
    unescape(s, false)
}

fn unescape(s: &str, query: bool) -> Result<String, Gs1Error> {
    let bytes = unescape_bytes(s, query);
    if let Some(p) = bytes.iter().position(|&b| b == 0) {
        return Err(dl_err("dl_syntax", "percent-encoded NUL").with_position(Some(p)));
    }
    String::from_utf8(bytes).map_err(|_| dl_err("dl_syntax", "percent-encoding is not UTF-8"))
}

fn unescape_bytes(s: &str, query: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).is_some_and(|c| c.is_ascii_hexdigit());
        if b[i] == b'%' && hex(i + 1) && hex(i + 2) {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0));
            i += 3;
        } else {
            out.push(if query && b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    out
}

/// Pads a GTIN-8, -12 or -13 to 14 digits.
fn pad_gtin(v: String) -> String {
    if matches!(v.len(), 8 | 12 | 13) && v.bytes().all(|b| b.is_ascii_digit()) {
        format!("{v:0>14}")
    } else {
        v
    }
}

/// True when `qualifiers` follow one of the key's qualifier sequences in order.
fn qualifiers_in_order(seqs: &[&[&str]], qualifiers: &[&str]) -> bool {
    seqs.iter().any(|seq| {
        let mut it = seq.iter();
        qualifiers.iter().all(|q| it.any(|s| s == q))
    }) || qualifiers.is_empty()
}

/// A Digital Link URI cut at its syntax boundaries, nothing decoded yet.
struct UriParts<'a> {
    /// Scheme and domain, e.g. `https://example.com`.
    origin: &'a str,
    /// The path from its first `/`, before any `?` or `#`.
    path: &'a str,
    /// The query without its `?`, before any `#` (empty when there is none).
    query: &'a str,
}

/// Whether `c` may appear in a URI as written: an unreserved or reserved character, or
/// the `%` of a percent-encoding (RFC 3986 section 2; the Syntax Engine's check).
pub fn is_uri_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// As the Syntax Engine: only unreserved, reserved and `%` characters may appear.
fn check_uri_characters(uri: &str) -> Result<(), Gs1Error> {
    match uri.chars().enumerate().find(|&(_, c)| !is_uri_character(c)) {
        Some((p, c)) => Err(dl_err(
            "dl_syntax",
            format!(
                "{} is not permitted in a URI (RFC 3986: ASCII letters, digits and -._~:/?#[]@!$&'()*+,;=%; percent-encode the rest)",
                crate::unicode::CharName(c)
            ),
        )
        .with_position(Some(p))),
        None => Ok(()),
    }
}

/// Splits off the scheme (all lower or all upper case, never mixed) and domain, then
/// the fragment (which ends the data) and the query (which ends the path).
fn split_uri(uri: &str) -> Result<UriParts<'_>, Gs1Error> {
    let after_scheme = if uri.starts_with("https://") || uri.starts_with("HTTPS://") {
        8
    } else if uri.starts_with("http://") || uri.starts_with("HTTP://") {
        7
    } else {
        return Err(dl_err(
            "dl_syntax",
            "a Digital Link URI starts with http:// or https://",
        ));
    };
    let path_start = match uri[after_scheme..].find('/') {
        Some(p) if p > 0 => p + after_scheme,
        _ => return Err(dl_err("dl_syntax", "no domain and path")),
    };
    if let Some(p) = uri[after_scheme..path_start].find(|c| BAD_DOMAIN_CHARS.contains(c)) {
        return Err(dl_err("dl_syntax", "character not permitted in the domain")
            .with_position(Some(after_scheme + p)));
    }
    let without_fragment = uri.split('#').next().unwrap_or(uri);
    let (path_part, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p, q),
        None => (without_fragment, ""),
    };
    Ok(UriParts {
        origin: &path_part[..path_start],
        path: &path_part[path_start..],
        query,
    })
}

/// Where the primary key sits in the path.
struct KeyInPath<'a> {
    /// How many path segments precede the key: they belong to the stem.
    stem_segments: usize,
    /// The `/AI/value` pairs, key first, still percent-encoded.
    pairs: Vec<(&'a str, &'a str)>,
}

/// Walks back over the path's `/AI/value` pairs until the (rightmost) primary key.
fn find_primary_key<'a>(segs: &[&'a str]) -> Result<KeyInPath<'a>, Gs1Error> {
    let no_key = || dl_err("dl_unknown_key", "no GS1 primary key in the URI path");
    let mut end = segs.len();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    loop {
        if end < 2 {
            return Err(no_key());
        }
        let (a, v) = (segs[end - 2], segs[end - 1]);
        let Some(entry) = is_numeric_ai(a).then(|| ai::lookup(a)).flatten() else {
            return Err(no_key());
        };
        pairs.push((a, v));
        end -= 2;
        if entry.dlpkey.is_some() {
            pairs.reverse();
            return Ok(KeyInPath {
                stem_segments: end,
                pairs,
            });
        }
    }
}

/// Percent-decodes the path's AI values, in order; none may be empty. A GTIN-8, -12 or
/// -13 as AI (01) is padded to 14 digits when `opts` permits it.
fn decode_path_pairs(
    pairs: &[(&str, &str)],
    opts: ParseOptions,
) -> Result<Vec<(String, String)>, Gs1Error> {
    let mut decoded = Vec::with_capacity(pairs.len());
    for (a, v) in pairs {
        if v.is_empty() {
            return Err(dl_err("length", format!("AI ({a}) has no data")).with_ai(*a));
        }
        let mut v = unescape(v, false)?;
        if *a == "01" && opts.permit_zero_suppressed_gtin {
            v = pad_gtin(v);
        }
        decoded.push((a.to_string(), v));
    }
    Ok(decoded)
}

/// The key's qualifier sequences (`dlpkey`), and the qualifiers' AIs, once the
/// qualifiers are found to follow one of the sequences in order.
type QualifierOrder = (&'static [&'static [&'static str]], Vec<&'static str>);

/// Checks that the path's qualifiers follow one of the key's qualifier sequences, in
/// order (the dictionary's `dlpkey=...` attribute).
fn check_qualifier_order(
    key: &(String, String),
    qualifiers: &[(String, String)],
) -> Result<QualifierOrder, Gs1Error> {
    let entry = ai::lookup(&key.0).expect("looked up by find_primary_key");
    let seqs = entry.dlpkey.unwrap_or(&[]);
    let qs: Vec<&'static str> = qualifiers
        .iter()
        .map(|(a, _)| ai::lookup(a).expect("looked up by find_primary_key").ai)
        .collect();
    if !qualifiers_in_order(seqs, &qs) {
        return Err(dl_err(
            "dl_key_order",
            format!(
                "qualifiers /{} are not valid for key ({}) in this order",
                qs.join("/"),
                key.0
            ),
        )
        .with_ai(key.0.clone()));
    }
    Ok((seqs, qs))
}

/// Reads the query into `dl.attributes` (parameters named by an AI, decoded) and
/// `dl.other_params` (the rest).
fn read_query(query: &str, dl: &mut DigitalLink) -> Result<(), Gs1Error> {
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let lossy = |s: &str| String::from_utf8_lossy(&unescape_bytes(s, true)).into_owned();
        // A singleton (no `=`) or a name that is not all digits is not an AI:
        // kept aside, never an error (the engine does not even decode it). An
        // empty name (`?=x`) counts as all digits and names no AI: an error, as
        // in the engine.
        let Some((k, v)) = param.split_once('=') else {
            dl.other_params.push((lossy(param), String::new()));
            continue;
        };
        if !k.bytes().all(|b| b.is_ascii_digit()) {
            dl.other_params.push((lossy(k), lossy(v)));
            continue;
        }
        let e = ai::lookup(k)
            .ok_or_else(|| dl_err("unknown_ai", format!("unknown AI ({k}) in query")).with_ai(k))?;
        if v.is_empty() {
            return Err(dl_err("length", format!("AI ({k}) has no data")).with_ai(k));
        }
        let mut v = unescape(v, true)?;
        if e.ai == "01" {
            v = pad_gtin(v);
        }
        dl.attributes.push((k.to_owned(), v));
    }
    Ok(())
}

/// Checks the data attributes: none repeats an AI before it, each is permitted as an
/// attribute, and none is a key qualifier that belongs in the path.
fn check_attributes(
    dl: &DigitalLink,
    seqs: &[&[&str]],
    qs: &[&'static str],
) -> Result<(), Gs1Error> {
    let path_ais: Vec<&str> = std::iter::once(&dl.key)
        .chain(&dl.qualifiers)
        .map(|(a, _)| a.as_str())
        .collect();
    for (i, (k, _)) in dl.attributes.iter().enumerate() {
        let earlier = path_ais
            .iter()
            .copied()
            .chain(dl.attributes[..i].iter().map(|(a, _)| a.as_str()));
        if earlier.clone().any(|a| a == k) {
            return Err(dl_err(
                "dl_duplicate_ai",
                format!("AI ({k}) appears more than once in the URI"),
            )
            .with_ai(k.as_str()));
        }
        let e = ai::lookup(k).expect("looked up by read_query");
        if !e.dl_data_attr {
            return Err(dl_err(
                "dl_not_attribute",
                format!("AI ({k}) is not a Digital Link data attribute"),
            )
            .with_ai(k.as_str()));
        }
        if belongs_in_path(seqs, qs, e.ai) {
            return Err(dl_err(
                "dl_belongs_in_path",
                format!("AI ({k}) is a key qualifier and belongs in the path"),
            )
            .with_ai(k.as_str()));
        }
    }
    Ok(())
}

/// True when `ai`, put anywhere among the path's qualifiers `qs`, gives a valid
/// qualifier sequence of the key (whose sequences are `seqs`): then it belongs in
/// the path, not in the query.
fn belongs_in_path(seqs: &[&[&str]], qs: &[&str], ai: &str) -> bool {
    (0..=qs.len()).any(|j| {
        let mut trial = qs.to_vec();
        trial.insert(j, ai);
        qualifiers_in_order(seqs, &trial)
    })
}

/// Why [`DigitalLink::from_element_string`] built no URI: either the data is not a
/// valid GS1 message, or it is one that has no Digital Link form. Both carry the
/// [`Gs1Error`] that says which rule and AI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The AIs are not a valid GS1 message (any rule of
    /// [`ElementString::validate`]).
    #[error("{0}")]
    InvalidData(Gs1Error),
    /// The message is valid but no Digital Link URI carries it: `dl_no_primary_key`
    /// (no AI of the message is a Digital Link primary key) or `dl_not_attribute`
    /// (an AI that no path can hold is not a Digital Link data attribute, so it
    /// cannot go in the query either).
    #[error("{0}")]
    NoUri(Gs1Error),
}

impl BuildError {
    /// The rule, AI and message of the failure, whichever kind it is.
    pub fn gs1_error(&self) -> &Gs1Error {
        match self {
            BuildError::InvalidData(e) | BuildError::NoUri(e) => e,
        }
    }
}

impl From<BuildError> for Gs1Error {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::InvalidData(e) | BuildError::NoUri(e) => e,
        }
    }
}

/// `(AI, value)` pairs in order.
type Attributes = Vec<(String, String)>;

/// Qualifiers and data attributes of the valid message `es` with the key at `ki`
/// and `path` (qualifier AIs, in sequence order) in the path; an error when an AI
/// left for the query is not a data attribute, or is one that belongs in the path.
/// Repeats of an AI (identical values, as validated) appear once.
fn with_path(
    es: &ElementString,
    ki: usize,
    seqs: &[&[&str]],
    path: &[&str],
) -> Result<(Vec<(String, String)>, Attributes), Gs1Error> {
    let key = es.ais[ki].0.as_str();
    let qualifiers: Vec<(String, String)> = path
        .iter()
        .filter_map(|q| es.ais.iter().find(|(a, _)| a == q).cloned())
        .collect();
    let mut attributes: Vec<(String, String)> = Vec::new();
    for (a, v) in predefined_length_first(&es.ais, |(a, _)| a) {
        if a == key || path.contains(&a.as_str()) || attributes.iter().any(|(x, _)| x == a) {
            continue;
        }
        let e = ai::lookup(a).ok_or_else(|| dl_err("unknown_ai", format!("unknown AI ({a})")))?;
        if !e.dl_data_attr {
            return Err(dl_err(
                "dl_not_attribute",
                format!("AI ({a}): not a Digital Link data attribute, so no query can hold it"),
            )
            .with_ai(a.as_str()));
        }
        if belongs_in_path(seqs, path, e.ai) {
            return Err(dl_err(
                "dl_belongs_in_path",
                format!("AI ({a}): a key qualifier, so it belongs in the path"),
            )
            .with_ai(a.as_str()));
        }
        attributes.push((a.clone(), v.clone()));
    }
    Ok((qualifiers, attributes))
}

/// Choices the Syntax Engine offers for reading Digital Link URIs. The default is
/// the engine's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept a GTIN-8, -12 or -13 as the AI (01) value in the path, padded to
    /// 14 digits (engine: `gs1_encoder_setPermitZeroSuppressedGTINinDLuris`, off
    /// by default). In the query AI (01) is always padded, as in the engine.
    pub permit_zero_suppressed_gtin: bool,
}

impl DigitalLink {
    /// Parses and validates a Digital Link URI with the Syntax Engine's default
    /// options (see [`ParseOptions`]).
    pub fn parse(uri: &str) -> Result<Self, Gs1Error> {
        Self::parse_with(uri, ParseOptions::default())
    }

    /// Parses and validates a Digital Link URI the way the Syntax Engine's
    /// `gs1_parseDLuri` does, then validates the AIs as a message.
    ///
    /// The steps, each a function below, in the engine's order (so the first error
    /// found is the engine's): check the characters, split the URI, find the primary
    /// key in the path, decode the path's AI values, check the qualifier order, read
    /// the query, check the data attributes, validate the whole message.
    pub fn parse_with(uri: &str, opts: ParseOptions) -> Result<Self, Gs1Error> {
        check_uri_characters(uri)?;
        let parts = split_uri(uri)?;
        let segs: Vec<&str> = parts.path[1..].split('/').collect();
        let KeyInPath {
            stem_segments,
            pairs,
        } = find_primary_key(&segs)?;
        let stem = format!(
            "{}{}",
            parts.origin,
            segs[..stem_segments]
                .iter()
                .fold(String::new(), |s, p| s + "/" + p)
        );
        let mut qualifiers = decode_path_pairs(&pairs, opts)?;
        let key = qualifiers.remove(0);
        let (seqs, qs) = check_qualifier_order(&key, &qualifiers)?;
        let mut dl = DigitalLink {
            stem,
            key,
            qualifiers,
            attributes: Vec::new(),
            other_params: Vec::new(),
        };
        read_query(parts.query, &mut dl)?;
        check_attributes(&dl, seqs, &qs)?;
        dl.to_element_string().validate()?;
        Ok(dl)
    }

    /// Builds the canonical Digital Link of `es`, as the engine's
    /// `gs1_generateDLuri`: the first primary-key AI, then the longest of its
    /// qualifier sequences present (in sequence order) as path, every other AI as a
    /// query parameter: those of predefined length first, then the others, each in
    /// message order. `stem` defaults to `https://id.gs1.org`.
    ///
    /// Where the engine gives up because its path leaves in the query an AI that is
    /// not a data attribute, another valid path that leaves none is taken (the next
    /// longest, in sequence order): `(01)..(10)ABC(235)XYZ` gives `/01/../235/XYZ?10=ABC`.
    ///
    /// Errors: [`BuildError::InvalidData`] when `es` is not a valid message (see
    /// [`ElementString::validate`]), [`BuildError::NoUri`] when it is valid but no
    /// Digital Link URI carries it.
    ///
    /// ```
    /// use shared::gs1::digital_link::{BuildError, DigitalLink};
    /// use shared::gs1::ElementString;
    /// let es = ElementString::parse_bracketed("(01)09501101020917(8200)https://example.com/p").unwrap();
    /// let Err(BuildError::NoUri(e)) = DigitalLink::from_element_string(&es, None) else { panic!() };
    /// assert_eq!((e.rule(), e.ai()), ("dl_not_attribute", Some("8200")));
    /// ```
    pub fn from_element_string(es: &ElementString, stem: Option<&str>) -> Result<Self, BuildError> {
        es.validate().map_err(BuildError::InvalidData)?;
        let (ki, entry) = es
            .ais
            .iter()
            .enumerate()
            .find_map(|(i, (a, _))| ai::lookup(a).filter(|e| e.dlpkey.is_some()).map(|e| (i, e)))
            .ok_or_else(|| {
                BuildError::NoUri(dl_err(
                    "dl_no_primary_key",
                    "no Digital Link primary key AI (such as (01) or (00)) in the data",
                ))
            })?;
        let seqs = entry.dlpkey.unwrap_or(&[]);
        let present = |q: &&str| es.ais.iter().any(|(a, _)| a == q);
        // The present part of each qualifier sequence, longest first, ties in
        // sequence order (a stable sort): the first is the engine's choice.
        let mut paths: Vec<Vec<&str>> = seqs
            .iter()
            .map(|seq| seq.iter().copied().filter(present).collect())
            .collect();
        paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
        if paths.is_empty() {
            paths.push(Vec::new());
        }
        let stem = {
            // One trailing slash is dropped, as by the engine.
            let stem = stem.unwrap_or(DEFAULT_STEM);
            stem.strip_suffix('/').unwrap_or(stem)
        };
        let mut engine_error = None;
        for path in &paths {
            match with_path(es, ki, seqs, path) {
                Ok((qualifiers, attributes)) => {
                    return Ok(DigitalLink {
                        stem: stem.to_owned(),
                        key: es.ais[ki].clone(),
                        qualifiers,
                        attributes,
                        other_params: Vec::new(),
                    })
                }
                Err(e) => {
                    engine_error.get_or_insert(e);
                }
            }
        }
        Err(BuildError::NoUri(
            engine_error.expect("at least one path was tried"),
        ))
    }

    /// The canonical form of a parsed Digital Link, as the engine regenerates it:
    /// the same key and qualifiers in the path, the data attributes of predefined
    /// length first, then the others, each in URI order, no other query parameters,
    /// under `stem` (default `https://id.gs1.org`, one trailing `/` dropped).
    pub fn canonical(&self, stem: Option<&str>) -> Self {
        let stem = stem.unwrap_or(DEFAULT_STEM);
        DigitalLink {
            stem: stem.strip_suffix('/').unwrap_or(stem).to_owned(),
            key: self.key.clone(),
            qualifiers: self.qualifiers.clone(),
            attributes: predefined_length_first(self.attributes.iter().cloned(), |(a, _)| a),
            other_params: Vec::new(),
        }
    }

    /// The AIs carried: key, qualifiers, then data attributes.
    pub fn to_element_string(&self) -> ElementString {
        let mut es = ElementString::new();
        es.ais.push(self.key.clone());
        es.ais.extend(self.qualifiers.iter().cloned());
        es.ais.extend(self.attributes.iter().cloned());
        es
    }

    /// The URI (same as `to_string()`).
    pub fn to_uri(&self) -> String {
        self.to_string()
    }
}

/// The name of a query parameter that is not an AI, written so that it reads back as
/// one that is not: a name of digits only (`?%31=x` decodes to `1`) would be taken for
/// an AI, so each of its digits is percent-encoded; any other name as [`percent_encode`].
fn other_param_name(name: &str) -> String {
    if name.bytes().all(|b| b.is_ascii_digit()) {
        name.bytes().map(|b| format!("%{b:02X}")).collect()
    } else {
        percent_encode(name)
    }
}

impl fmt::Display for DigitalLink {
    /// The URI: stem, key and qualifiers in the path, then the data attributes and the
    /// other parameters in the query, so that [`DigitalLink::parse`] reads back the same
    /// link (other parameters' names of digits only are percent-encoded, so they are not
    /// read back as AIs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem)?;
        for (a, v) in std::iter::once(&self.key).chain(&self.qualifiers) {
            write!(f, "/{a}/{}", percent_encode(v))?;
        }
        let attributes = self.attributes.iter().map(|(k, v)| (percent_encode(k), v));
        let others = self
            .other_params
            .iter()
            .map(|(k, v)| (other_param_name(k), v));
        for (i, (k, v)) in attributes.chain(others).enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            write!(f, "{sep}{k}={}", percent_encode(v))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        // (uri, expected rule or "" when valid)
        let rows: &[(&str, &str)] = &[
            /* 0 */ ("https://id.gs1.org/01/09501101020917", ""),
            // A GTIN-13 in the path is refused by default, as by the engine.
            /* 1 */
            (
                "https://id.gs1.org/01/9501101020917/22/X/10/ABC/21/1",
                "length",
            ),
            /* 2 */
            (
                "https://id.gs1.org/01/09501101020917/10/ABC/22/X",
                "dl_key_order",
            ),
            /* 3 */ ("https://id.gs1.org/01/09501101020917/235/X", ""),
            /* 4 */
            (
                "https://id.gs1.org/01/09501101020917/22/X/235/Y",
                "dl_key_order",
            ),
            /* 5 */ ("https://id.gs1.org/10/ABC", "dl_unknown_key"),
            /* 6 */
            (
                "https://id.gs1.org/01/09501101020917?21=123",
                "dl_not_attribute",
            ),
            /* 7 */ ("https://id.gs1.org/01/09501101020917?17=270630&foo=bar", ""),
            /* 8 */ ("ftp://id.gs1.org/01/09501101020917", "dl_syntax"),
            /* 9 */ ("https://id.gs1.org/01/09501101020918", "csum"),
            /* 10 */ ("https://example.com/a/b/00/106141411234567897", ""),
            // A `%` without two hex digits is data, as in the engine's URIunescape.
            /* 11 */
            ("https://id.gs1.org/01/09501101020917/10/A%2", ""),
            // An empty query key names no AI: refused, as by the engine.
            /* 12 */
            ("https://id.gs1.org/01/09501101020917?=x&99=A", "unknown_ai"),
            /* 13 */
            ("https://id.gs1.org/01/09501101020917?99=A&=", "unknown_ai"),
            /* 14 */ ("https://id.gs1.org/01/09501101020917?=", "unknown_ai"),
            // An empty key is an error wherever it comes ...
            /* 15 */
            (
                "https://id.gs1.org/01/09501101020917?x=&x=2&=x1",
                "unknown_ai",
            ),
            // ... while a name with a letter is no AI, with an empty value or none.
            /* 16 */
            ("https://id.gs1.org/01/09501101020917?x=&x=2&&y", ""),
            // The issue's URI: 235 in the path, 10 a data attribute.
            /* 17 */
            ("https://id.gs1.org/01/09501101020917/235/XYZ?10=ABC", ""),
        ];
        for (i, (uri, rule)) in rows.iter().enumerate() {
            match DigitalLink::parse(uri) {
                Ok(_) => assert_eq!(*rule, "", "row {i}"),
                Err(e) => assert_eq!(e.rule(), *rule, "row {i}: {e}"),
            }
        }
    }

    #[test]
    fn build_table() {
        // (bracketed element string, canonical URI)
        let rows: &[(&str, &str)] = &[
            /* 0 */
            (
                "(01)09501101020917(17)270630(10)ABC",
                "https://id.gs1.org/01/09501101020917/10/ABC?17=270630",
            ),
            /* 1 */
            (
                "(01)09501101020917(21)S/1(10)L(22)C",
                "https://id.gs1.org/01/09501101020917/22/C/10/L/21/S%2F1",
            ),
            /* 2 */
            (
                "(00)106141411234567897",
                "https://id.gs1.org/00/106141411234567897",
            ),
            /* 3 */
            (
                "(414)9501101020917(254)A",
                "https://id.gs1.org/414/9501101020917/254/A",
            ),
        ];
        for (i, (es, uri)) in rows.iter().enumerate() {
            let es = ElementString::parse_bracketed(es).unwrap();
            let dl = DigitalLink::from_element_string(&es, None).unwrap();
            assert_eq!(dl.to_string(), *uri, "row {i}");
            assert_eq!(DigitalLink::parse(uri).unwrap(), dl, "row {i}");
        }
    }

    #[test]
    fn build_chooses_a_path_that_leaves_only_attributes_in_the_query() {
        // (bracketed element string, canonical URI): the engine's longest path would
        // leave a non-attribute AI in the query, another valid path does not.
        let rows: &[(&str, &str)] = &[
            /* 0 */
            (
                "(01)09501101020917(235)XYZ(10)ABC",
                "https://id.gs1.org/01/09501101020917/235/XYZ?10=ABC",
            ),
            /* 1 */
            (
                "(10)ABC(235)XYZ(01)09501101020917(17)270630",
                "https://id.gs1.org/01/09501101020917/235/XYZ?17=270630&10=ABC",
            ),
            // Longest first: with 22 too, 235 has no place in 22/10/21, nor 22 and
            // 10 in 235; 22 is no data attribute, so no URI (row 0 of the next test).
        ];
        for (i, (es, uri)) in rows.iter().enumerate() {
            let es = ElementString::parse_bracketed(es).unwrap();
            let dl = DigitalLink::from_element_string(&es, None).unwrap();
            assert_eq!(dl.to_string(), *uri, "row {i}");
            assert_eq!(DigitalLink::parse(uri).unwrap(), dl, "row {i}");
        }
    }

    #[test]
    fn valid_data_without_a_uri_is_told_apart_from_invalid_data() {
        // (bracketed element string, Some(rule, AI) when valid without a URI, None
        // when invalid)
        type Row = (&'static str, Option<(&'static str, Option<&'static str>)>);
        let rows: &[Row] = &[
            /* 0 */
            (
                "(01)09501101020917(235)XYZ(22)A(10)ABC",
                Some(("dl_not_attribute", Some("235"))),
            ),
            /* 1 */
            (
                "(01)09501101020917(8200)https://example.com/p",
                Some(("dl_not_attribute", Some("8200"))),
            ),
            /* 2 */ ("(03)09501101020917", Some(("dl_no_primary_key", None))),
            /* 3 */
            (
                "(01)09501101020917(21)ABC(8040)490154203237518",
                Some(("dl_not_attribute", Some("8040"))),
            ),
            /* 4 */ ("(99)ABC", Some(("dl_no_primary_key", None))),
            /* 5 */ ("(01)09501101020918", None),
            /* 6 */ ("(10)ABC", None),
        ];
        for (i, (es, want)) in rows.iter().enumerate() {
            let es = ElementString::parse_bracketed(es).unwrap();
            match (DigitalLink::from_element_string(&es, None), want) {
                (Err(BuildError::NoUri(e)), Some((rule, ai))) => {
                    assert_eq!((e.rule(), e.ai()), (*rule, *ai), "row {i}");
                    assert_eq!(es.validate(), Ok(()), "row {i}");
                }
                (Err(BuildError::InvalidData(e)), None) => {
                    assert_eq!(es.validate(), Err(e), "row {i}")
                }
                (got, _) => panic!("row {i}: {got:?}"),
            }
        }
    }

    #[test]
    fn other_params_named_by_digits_read_back_as_other_params() {
        // Fuzzing (fuzz/seeds/digital_link/regression-other-param-digits): a parameter
        // that is not an AI but decodes to digits (a singleton `?1`, or `?%31=x`) was
        // written back as `?1=`, which reads as AI (1): unknown_ai.
        // (URI, its URI as written)
        let rows: &[(&str, &str)] = &[
            /* 0 */
            (
                "https://id.gs1.grg/01/09501101020917/22/C?1",
                "https://id.gs1.grg/01/09501101020917/22/C?%31=",
            ),
            /* 1 */
            (
                "https://id.gs1.org/01/09501101020917?17=270630&%31%30=x",
                "https://id.gs1.org/01/09501101020917?17=270630&%31%30=x",
            ),
            /* 2 */
            (
                "https://id.gs1.org/01/09501101020917?utm=1&x",
                "https://id.gs1.org/01/09501101020917?utm=1&x=",
            ),
        ];
        for (i, (uri, written)) in rows.iter().enumerate() {
            let dl = DigitalLink::parse(uri).unwrap();
            assert_eq!(dl.to_string(), *written, "row {i}");
            assert_eq!(DigitalLink::parse(written), Ok(dl), "row {i}");
        }
    }

    #[test]
    fn canonical_keeps_the_parsed_path() {
        let dl = DigitalLink::parse(
            "https://example.com/x/01/09501101020917/235/XYZ?99=Q&10=ABC&17=270630&utm=1",
        )
        .unwrap();
        assert_eq!(
            dl.canonical(Some("https://id.gs1.org/")).to_string(),
            "https://id.gs1.org/01/09501101020917/235/XYZ?17=270630&99=Q&10=ABC"
        );
    }
}
