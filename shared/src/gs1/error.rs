//! [`Gs1Error`]: the one error type of element strings and Digital Links.

use std::fmt;

/// Why GS1 data was rejected, in the terms of GS1's Syntax Engine.
///
/// `rule` is a stable, machine-readable name: a linter or character-set check of
/// the dictionary (`"csum"`, `"yymmd0"`, `"cset82"`, ...), or one of
/// `"length"`, `"unknown_ai"`, `"req"`, `"ex"`, `"duplicate_ai"`,
/// `"digsig_serial"` (AI 8030 with an unserialised 253/255/8003), `"syntax"`
/// (malformed input), `"dl_syntax"`, `"dl_unknown_key"` (no primary key in a URI
/// path), `"dl_key_order"`, `"dl_not_attribute"`, `"dl_duplicate_ai"` (an AI
/// repeated in a URI), `"dl_belongs_in_path"` (a query AI that is a key qualifier
/// of the path), `"dl_no_primary_key"` (a valid message with no Digital Link
/// primary key AI, so no URI: see [`BuildError`](super::digital_link::BuildError)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gs1Error {
    ai: Option<String>,
    component: Option<usize>,
    rule: &'static str,
    position: Option<usize>,
    msg: String,
}

impl Gs1Error {
    /// A new error for `rule` with a human message.
    pub fn new(rule: &'static str, msg: impl Into<String>) -> Self {
        Gs1Error {
            ai: None,
            component: None,
            rule,
            position: None,
            msg: msg.into(),
        }
    }
    /// Names the AI concerned.
    pub fn with_ai(mut self, ai: impl Into<String>) -> Self {
        self.ai = Some(ai.into());
        self
    }
    /// Names the 0-based index of the AI's component concerned.
    pub fn with_component(mut self, component: usize) -> Self {
        self.component = Some(component);
        self
    }
    /// Sets the 0-based character position.
    pub fn with_position(mut self, position: Option<usize>) -> Self {
        self.position = position;
        self
    }
    /// The AI concerned, if any (e.g. `"01"`).
    pub fn ai(&self) -> Option<&str> {
        self.ai.as_deref()
    }
    /// The 0-based component index within the AI's data, if any.
    pub fn component(&self) -> Option<usize> {
        self.component
    }
    /// The rule that failed (see the type docs).
    pub fn rule(&self) -> &'static str {
        self.rule
    }
    /// 0-based character position of the offending data, where applicable: within
    /// the AI's value for AI errors, within the input for syntax errors.
    pub fn position(&self) -> Option<usize> {
        self.position
    }
    /// The human message.
    pub fn message(&self) -> &str {
        &self.msg
    }
}

/// `AI (17), component 1, character 3: illegal month`: where first (1-based for
/// people), then what. A message that already starts with its AI is not prefixed twice.
impl fmt::Display for Gs1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(ai) = &self.ai else {
            return f.write_str(&self.msg);
        };
        let prefix = format!("AI ({ai}): ");
        let msg = self.msg.strip_prefix(&prefix).unwrap_or(&self.msg);
        write!(f, "AI ({ai})")?;
        if let Some(c) = self.component {
            write!(f, ", component {}", c + 1)?;
        }
        if let Some(p) = self.position {
            write!(f, ", character {}", p + 1)?;
        }
        write!(f, ": {msg}")
    }
}

impl std::error::Error for Gs1Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_says_where_then_what() {
        let e = Gs1Error::new("yymmd0", "AI (17): illegal month")
            .with_ai("17")
            .with_component(0)
            .with_position(Some(2));
        assert_eq!(
            e.to_string(),
            "AI (17), component 1, character 3: illegal month"
        );
        let e = Gs1Error::new("syntax", "unbalanced bracket");
        assert_eq!(e.to_string(), "unbalanced bracket");
    }
}
