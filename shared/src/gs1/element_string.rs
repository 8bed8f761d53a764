//! [`ElementString`]: a message of GS1 Application Identifier element strings, read
//! from bracketed form (`(01)09501101020917(10)ABC`) or raw form (FNC1 / GS
//! separated, as scanned), written back to either, and validated the way GS1's
//! Syntax Engine does: every component's length, character set and linters, then
//! over the whole message repeated AIs, invalid pairs (`ex=`) and required
//! associations (`req=`).

use super::ai::{self, AiEntry};
use super::error::Gs1Error;
use super::lint;

/// The ASCII group separator that stands for FNC1 in raw data.
pub const GS: char = '\x1d';

/// Symbology identifiers accepted (and dropped) at the start of raw data.
pub const SYMBOLOGY_PREFIXES: &[&str] = &["]C1", "]d2", "]Q3", "]e0", "]J1"];

/// AI element strings in message order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ElementString {
    /// `(AI, value)` pairs in order.
    pub ais: Vec<(String, String)>,
}

fn unknown_ai(ai: &str) -> Gs1Error {
    Gs1Error::new("unknown_ai", format!("unknown AI ({ai})")).with_ai(ai)
}

/// True when `pattern` (digits, `n` = any digit) matches `ai`.
pub fn ai_matches(pattern: &str, ai: &str) -> bool {
    pattern.len() == ai.len()
        && pattern
            .bytes()
            .zip(ai.bytes())
            .all(|(p, a)| p == a || (p == b'n' && a.is_ascii_digit()))
}

/// Whether an FNC1 separator must follow `ai` when another element string comes after
/// it: true unless the AI is in the table of element strings with a predefined length
/// (GS1 General Specifications 5.10.1, Figure 5.10.1-1; 7.8.5 for the FNC1 separator).
/// An AI we do not know is treated as variable length, so it gets a separator.
///
/// This is the one place that decides where separators go: [`ElementString::to_raw`],
/// [`ElementString::parse_raw`], the GS1-128 and GS1 DataMatrix encoders all ask it.
pub fn separator_required_after(ai: &str) -> bool {
    ai::lookup(ai).is_none_or(|e| !e.predefined_length)
}

/// `items` reordered for encoding: those whose AI (read by `ai_of`) has a predefined
/// length first, then the others, each group in its original order (a stable partition).
///
/// GS1 recommends this order because only the AIs that are not of predefined length need
/// an FNC1 separator, and the last one needs none (GS1 General Specifications 5.10.1,
/// 7.8.5); the GS1 Syntax Engine orders Digital Link data attributes the same way.
pub fn predefined_length_first<T>(
    items: impl IntoIterator<Item = T>,
    ai_of: impl Fn(&T) -> &str,
) -> Vec<T> {
    let (mut first, rest): (Vec<T>, Vec<T>) = items
        .into_iter()
        .partition(|item| !separator_required_after(ai_of(item)));
    first.extend(rest);
    first
}

impl<A: Into<String>, V: Into<String>> FromIterator<(A, V)> for ElementString {
    /// `(AI, value)` pairs in the order given.
    fn from_iter<I: IntoIterator<Item = (A, V)>>(iter: I) -> Self {
        ElementString {
            ais: iter
                .into_iter()
                .map(|(a, v)| (a.into(), v.into()))
                .collect(),
        }
    }
}

impl ElementString {
    /// The element string to encode for AIs taken from structured fields (a request's
    /// `gtin`, `expiry`, `lot`, ...): those of predefined length first, so the message
    /// needs the fewest FNC1 separators (see [`predefined_length_first`]).
    ///
    /// Data the client wrote as one element string keeps its own order: parse it with
    /// [`parse_bracketed`](Self::parse_bracketed) or [`parse_raw`](Self::parse_raw) instead.
    pub fn ordered_for_encoding(ais: Vec<(String, String)>) -> Self {
        ElementString {
            ais: predefined_length_first(ais, |(ai, _)| ai.as_str()),
        }
    }

    /// Whether an FNC1 separator follows the element string at `index`: its AI is not of
    /// predefined length ([`separator_required_after`]) and it is not the last one.
    pub fn needs_separator_after(&self, index: usize) -> bool {
        index + 1 < self.ais.len() && separator_required_after(&self.ais[index].0)
    }

    /// The element strings as a symbol carries them: `(AI, value, FNC1 follows)` in
    /// message order, where the flag is [`needs_separator_after`](Self::needs_separator_after).
    pub fn encoding_units(&self) -> impl Iterator<Item = (&str, &str, bool)> + '_ {
        self.ais
            .iter()
            .enumerate()
            .map(|(i, (ai, v))| (ai.as_str(), v.as_str(), self.needs_separator_after(i)))
    }

    /// An empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an element string.
    pub fn push(&mut self, ai: impl Into<String>, value: impl Into<String>) {
        self.ais.push((ai.into(), value.into()));
    }

    /// The value of the first occurrence of `ai`.
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.ais
            .iter()
            .find(|(a, _)| a == ai)
            .map(|(_, v)| v.as_str())
    }

    /// Parses bracketed data, e.g. `(01)09501101020917(17)270630(10)ABC`.
    ///
    /// A literal `(` inside a value is written `\(` (as the Syntax Engine does).
    /// Only syntax and AI existence are checked here; call [`validate`](Self::validate).
    pub fn parse_bracketed(s: &str) -> Result<Self, Gs1Error> {
        let syntax = |pos: usize, msg: &str| Gs1Error::new("syntax", msg).with_position(Some(pos));
        let chars: Vec<char> = s.chars().collect();
        if chars.first() != Some(&'(') {
            return Err(syntax(0, "bracketed data must start with \"(\""));
        }
        let mut out = ElementString::new();
        let mut i = 0;
        while i < chars.len() {
            // chars[i] == '('
            let close = chars[i..]
                .iter()
                .position(|&c| c == ')')
                .map(|p| p + i)
                .ok_or_else(|| syntax(i, "missing \")\" after AI"))?;
            let ai: String = chars[i + 1..close].iter().collect();
            if ai.len() < 2 || ai.len() > 4 || !ai.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax(i + 1, "an AI is 2 to 4 digits").with_ai(ai));
            }
            if ai::lookup(&ai).is_none() {
                return Err(unknown_ai(&ai).with_position(Some(i + 1)));
            }
            let mut value = String::new();
            let mut j = close + 1;
            while j < chars.len() && chars[j] != '(' {
                if chars[j] == '\\' && chars.get(j + 1) == Some(&'(') {
                    value.push('(');
                    j += 2;
                } else {
                    value.push(chars[j]);
                    j += 1;
                }
            }
            if value.is_empty() {
                return Err(Gs1Error::new("length", format!("AI ({ai}) has no data"))
                    .with_ai(ai)
                    .with_component(0));
            }
            out.ais.push((ai, value));
            i = j;
        }
        Ok(out)
    }

    /// Parses raw (unbracketed) data: AIs and values run together, a GS (`\x1d`,
    /// FNC1) ends each variable-length value that is not last.
    ///
    /// Two forms are read, as the Syntax Engine does:
    /// * scan data: a symbology identifier (`]C1`, `]d2`, `]Q3`, `]e0`, or `]J1`)
    ///   then the AI data, FNC1 written as GS. The identifier stands for FNC1 in
    ///   first position, so a GS straight after it is an error, and so is any `^`
    ///   (the engine's `gs1_processScanData` forbids it so as not to conflate it
    ///   with FNC1);
    /// * AI data: an optional leading FNC1, written GS or `^` (the engine's own
    ///   notation), then the AI data with GS or `^` for each FNC1. Unlike the
    ///   engine we do not insist on the leading FNC1, as decoders hand us data
    ///   with the symbology identifier (and so the FNC1) already stripped.
    ///
    /// A superfluous FNC1 after a predefined-length AI, and one FNC1 at the very
    /// end of the data, are tolerated (engine: `gs1_processAIdata`).
    pub fn parse_raw(data: &str) -> Result<Self, Gs1Error> {
        let mut rest = data;
        let caret_is_fnc1;
        if let Some(p) = SYMBOLOGY_PREFIXES.iter().find(|p| rest.starts_with(*p)) {
            rest = &rest[p.len()..];
            if let Some(at) = rest.find('^') {
                return Err(Gs1Error::new("syntax", "scan data contains \"^\"")
                    .with_position(Some(data.len() - rest.len() + at)));
            }
            if rest.starts_with(GS) {
                return Err(Gs1Error::new(
                    "syntax",
                    "FNC1 straight after the symbology identifier",
                )
                .with_position(Some(p.len())));
            }
            caret_is_fnc1 = false;
        } else {
            caret_is_fnc1 = true;
            if rest.starts_with([GS, '^']) {
                rest = &rest[1..];
            }
        }
        let is_fnc1 = |c: char| c == GS || (caret_is_fnc1 && c == '^');
        let mut out = ElementString::new();
        if rest.is_empty() {
            return Err(Gs1Error::new("syntax", "no AI data"));
        }
        while !rest.is_empty() {
            let at = data.len() - rest.len();
            let entry = ai::lookup_prefix(rest).ok_or_else(|| {
                let shown: String = rest.chars().take(4).collect();
                Gs1Error::new(
                    "unknown_ai",
                    format!("no known AI at the start of \"{shown}\""),
                )
                .with_position(Some(at))
            })?;
            rest = &rest[entry.ai.len()..];
            let value;
            if !separator_required_after(entry.ai) {
                let n = entry.max_len();
                let end = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
                value = &rest[..end];
                if value.chars().count() < n || value.contains(is_fnc1) {
                    return Err(Gs1Error::new(
                        "length",
                        format!("AI ({}) needs {n} characters", entry.ai),
                    )
                    .with_ai(entry.ai)
                    .with_component(0));
                }
                rest = &rest[end..];
            } else {
                let end = rest.find(is_fnc1).unwrap_or(rest.len());
                value = &rest[..end];
                rest = &rest[end..];
            }
            if value.is_empty() {
                return Err(
                    Gs1Error::new("length", format!("AI ({}) has no data", entry.ai))
                        .with_ai(entry.ai)
                        .with_component(0),
                );
            }
            out.ais.push((entry.ai.to_owned(), value.to_owned()));
            // Skip one FNC1, even after a predefined-length AI or at the end.
            if rest.starts_with(is_fnc1) {
                rest = &rest[1..];
            }
        }
        Ok(out)
    }

    /// Bracketed form, `(` in values escaped as `\(`.
    pub fn to_bracketed(&self) -> String {
        let mut s = String::new();
        for (ai, v) in &self.ais {
            s.push('(');
            s.push_str(ai);
            s.push(')');
            s.push_str(&v.replace('(', "\\("));
        }
        s
    }

    /// Raw form without symbology identifier: a GS after every value whose AI is
    /// not of predefined length, except the last.
    pub fn to_raw(&self) -> String {
        let mut s = String::new();
        for (ai, v, separator) in self.encoding_units() {
            s.push_str(ai);
            s.push_str(v);
            if separator {
                s.push(GS);
            }
        }
        s
    }

    /// Human readable interpretation: `(01) 09501101020917 (17) 270630`.
    pub fn hri(&self) -> String {
        self.ais
            .iter()
            .map(|(a, v)| format!("({a}) {v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Validates the message like GS1's Syntax Engine: each AI in order (known
    /// AI, component lengths, character sets, linters), then repeated AIs must
    /// have identical values, then `ex=` pairs, then `req=` associations, then
    /// that AI (8030) comes with a serialised (253), (255) or (8003).
    pub fn validate(&self) -> Result<(), Gs1Error> {
        if self.ais.is_empty() {
            return Err(Gs1Error::new("syntax", "no AI data"));
        }
        let mut entries = Vec::with_capacity(self.ais.len());
        for (ai, v) in &self.ais {
            let e = ai::lookup(ai).ok_or_else(|| unknown_ai(ai))?;
            validate_value(e, v)?;
            entries.push(e);
        }
        // Repeated AIs.
        for (i, (ai, v)) in self.ais.iter().enumerate() {
            if let Some((_, v2)) = self.ais[..i].iter().find(|(a, _)| a == ai) {
                if v2 != v {
                    return Err(Gs1Error::new(
                        "duplicate_ai",
                        format!("AI ({ai}) is repeated with different values"),
                    )
                    .with_ai(ai.as_str()));
                }
            }
        }
        // Invalid pairs.
        for e in &entries {
            for pat in e.ex {
                if let Some((other, _)) = self
                    .ais
                    .iter()
                    .find(|(a, _)| a != e.ai && ai_matches(pat, a))
                {
                    return Err(Gs1Error::new(
                        "ex",
                        format!("AI ({}) must not be used with AI ({other})", e.ai),
                    )
                    .with_ai(e.ai));
                }
            }
        }
        // Required associations.
        for e in &entries {
            for rule in e.req {
                let ok = rule.iter().any(|alt| {
                    alt.iter()
                        .all(|pat| self.ais.iter().any(|(a, _)| ai_matches(pat, a)))
                });
                if !ok {
                    let wanted: Vec<String> = rule.iter().map(|alt| alt.join("+")).collect();
                    return Err(Gs1Error::new(
                        "req",
                        format!("AI ({}) requires one of: {}", e.ai, wanted.join(", ")),
                    )
                    .with_ai(e.ai));
                }
            }
        }
        // A digital signature (8030) signs a serialised instance: the key AIs
        // whose serial component is optional must carry it (engine:
        // validateDigSigRequiresSerialisedKey, enabled by default).
        if self.ais.iter().any(|(a, _)| a == "8030") {
            for (ai, v) in &self.ais {
                let key_len = match ai.as_str() {
                    "253" | "255" => 13,
                    "8003" => 14,
                    _ => continue,
                };
                if v.chars().count() <= key_len {
                    return Err(Gs1Error::new(
                        "digsig_serial",
                        format!("AI ({ai}) needs its serial component when used with AI (8030)"),
                    )
                    .with_ai(ai.as_str()));
                }
            }
        }
        Ok(())
    }
}

/// Validates one AI value against its table entry: lengths, character sets and
/// linters, component by component.
pub fn validate_value(e: &AiEntry, value: &str) -> Result<(), Gs1Error> {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n > e.max_len() {
        return Err(Gs1Error::new(
            "length",
            format!("AI ({}) data is too long: {n} > {}", e.ai, e.max_len()),
        )
        .with_ai(e.ai)
        .with_position(Some(e.max_len())));
    }
    let mut pos = 0;
    for (idx, c) in e.components.iter().enumerate() {
        let left = n - pos;
        if left == 0 && c.optional {
            break;
        }
        let take = left.min(c.max as usize);
        if take < c.min as usize {
            return Err(Gs1Error::new(
                "length",
                format!("AI ({}) data is too short for component {}", e.ai, idx + 1),
            )
            .with_ai(e.ai)
            .with_component(idx)
            .with_position(Some(pos)));
        }
        let part: String = chars[pos..pos + take].iter().collect();
        let located = |le: lint::LintError| {
            Gs1Error::new(le.rule, format!("AI ({}): {}", e.ai, le.msg))
                .with_ai(e.ai)
                .with_component(idx)
                .with_position(le.position.map(|p| p + pos))
        };
        lint::cset(c.cset, &part).map_err(located)?;
        for l in c.linters {
            lint::run(*l, &part).map_err(located)?;
        }
        pos += take;
    }
    if pos < n {
        return Err(
            Gs1Error::new("length", format!("AI ({}) data is too long", e.ai))
                .with_ai(e.ai)
                .with_position(Some(pos)),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_and_raw_forms() {
        let es = ElementString::parse_bracketed("(01)09501101020917(17)270630(10)ABC").unwrap();
        assert_eq!(es.hri(), "(01) 09501101020917 (17) 270630 (10) ABC");
        assert_eq!(es.to_raw(), "01095011010209171727063010ABC");
        let es2 = ElementString::parse_bracketed("(10)ABC(01)09501101020917").unwrap();
        assert_eq!(es2.to_raw(), "10ABC\x1d0109501101020917");
        assert_eq!(ElementString::parse_raw(&es2.to_raw()).unwrap(), es2);
        assert_eq!(
            ElementString::parse_raw("]C1010950110102091717270630")
                .unwrap()
                .ais
                .len(),
            2
        );
    }

    #[test]
    fn separators_follow_ais_not_of_predefined_length_except_the_last() {
        // (bracketed input, FNC1 after each element string)
        let rows: &[(&str, &[bool])] = &[
            // 0: (01) and (17) predefined, (10) variable but last
            (
                "(01)09501101020917(17)270630(10)ABC",
                &[false, false, false],
            ),
            // 1: (10) variable and not last
            ("(10)ABC(01)09501101020917", &[true, false]),
            // 2: (8005) is of fixed length (6) but not predefined: it needs a separator
            ("(8005)000123(01)09501101020917", &[true, false]),
            // 3: (402) likewise (17 digits, not in Figure 5.10.1-1)
            ("(402)95011010209170003(10)A", &[true, false]),
        ];
        for (i, (data, want)) in rows.iter().enumerate() {
            let es = ElementString::parse_bracketed(data).unwrap();
            let got: Vec<bool> = es.encoding_units().map(|(_, _, sep)| sep).collect();
            assert_eq!(got, *want, "row {i}");
            let by_index: Vec<bool> = (0..es.ais.len())
                .map(|k| es.needs_separator_after(k))
                .collect();
            assert_eq!(by_index, *want, "row {i}");
        }
        assert!(separator_required_after("9999"), "an unknown AI gets one");
    }

    #[test]
    fn structured_fields_put_predefined_length_ais_first_in_a_stable_order() {
        let ais = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let es = ElementString::ordered_for_encoding(ais(&[
            ("10", "LOT"),
            ("01", "09501101020917"),
            ("21", "SN"),
            ("17", "270630"),
            ("8005", "000123"),
        ]));
        let order: Vec<&str> = es.ais.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(order, ["01", "17", "10", "21", "8005"]);
        assert_eq!(
            es.to_raw(),
            "01095011010209171727063010LOT\x1d21SN\x1d8005000123"
        );
    }

    #[test]
    fn escaped_bracket() {
        let es = ElementString::parse_bracketed("(01)09501101020917(10)A\\(B").unwrap();
        assert_eq!(es.get("10"), Some("A(B"));
        assert_eq!(es.to_bracketed(), "(01)09501101020917(10)A\\(B");
        es.validate().unwrap();
    }

    #[test]
    fn validate_rules() {
        // (bracketed input, expected rule or "" for valid)
        let rows: &[(&str, &str)] = &[
            /* 0 */ ("(01)09501101020917", ""),
            /* 1 */ ("(01)09501101020918", "csum"),
            /* 2 */ ("(01)0950110102091", "length"),
            /* 3 */ ("(10)ABC", "req"),
            /* 4 */ ("(01)09501101020917(02)09501101020917", "ex"),
            /* 5 */ ("(01)09501101020917(10)A(10)B", "duplicate_ai"),
            /* 6 */ ("(01)09501101020917(10)A(10)A", ""),
            /* 7 */ ("(01)09501101020917(10)A B", "cset82"),
            /* 8 */ ("(01)09501101020917(17)271330", "yymmd0"),
            /* 9 */ ("(01)09501101020917(3103)000123(3102)000123", "ex"),
        ];
        for (i, (input, rule)) in rows.iter().enumerate() {
            let r = ElementString::parse_bracketed(input).and_then(|e| e.validate());
            match r {
                Ok(()) => assert_eq!(*rule, "", "row {i}"),
                Err(e) => assert_eq!(e.rule(), *rule, "row {i}: {e}"),
            }
        }
    }
}
