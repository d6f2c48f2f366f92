//! The widget's "Was this helpful?" answers (`faqbot serve --feedback
//! FILE`), read by `faqbot misses`: the answers customers rated "no",
//! grouped by the intent that gave them.
//!
//! A wrong answer is not in the unanswered log (the bot answered), so
//! without this no command showed it: a new user (trial 31) clicked "No"
//! under a wrong answer and found no way to read the file but by hand.
//! Each line of the file is one JSON object, `{"time", "session",
//! "intent", "input", "helpful"}`; lines of another kind (the unanswered
//! log's, when both are given) are not feedback.

use serde::Deserialize;
use std::path::Path;

/// One feedback line, as the server writes it.
#[derive(Deserialize)]
struct Line {
    intent: Option<String>,
    #[serde(default)]
    input: Option<String>,
    helpful: bool,
}

/// The feedback lines of a file: the answers rated not helpful, and how
/// many lines rated one helpful.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feedback {
    /// (intent, the customer's question if the widget sent it), one per
    /// answer rated not helpful, in the file's order.
    pub unhelpful: Vec<(String, Option<String>)>,
    /// Answers rated helpful.
    pub helpful: usize,
}

impl Feedback {
    /// Lines read as feedback.
    pub fn lines(&self) -> usize {
        self.unhelpful.len() + self.helpful
    }

    /// The answers rated not helpful by intent: (intent, its questions as
    /// sent, `None` for a rating without one), most rated first, then by
    /// intent id.
    pub fn by_intent(&self) -> Vec<(&str, Vec<Option<&str>>)> {
        let mut out: Vec<(&str, Vec<Option<&str>>)> = Vec::new();
        for (intent, input) in &self.unhelpful {
            let k = match out.iter().position(|(i, _)| *i == intent.as_str()) {
                Some(k) => k,
                None => {
                    out.push((intent.as_str(), Vec::new()));
                    out.len() - 1
                }
            };
            out[k].1.push(input.as_deref());
        }
        out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        out
    }
}

/// The feedback lines of `text` (other lines are left to the unanswered
/// log's reader).
pub fn parse(text: &str) -> Feedback {
    let mut f = Feedback::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(l) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        match (l.helpful, l.intent) {
            (true, _) => f.helpful += 1,
            (false, Some(intent)) => f.unhelpful.push((intent, l.input)),
            (false, None) => {}
        }
    }
    f
}

/// [`parse`] of the file at `path`.
///
/// # Errors
/// The file cannot be read.
pub fn read(path: &Path) -> crate::error::Result<Feedback> {
    let bytes = std::fs::read(path).map_err(|e| crate::error::Error::io(path, e))?;
    Ok(parse(&String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_lines_are_read_and_grouped_by_intent() {
        let text = r#"{"time":1,"session":"s","intent":"a","input":"q1","helpful":false}
{"time":2,"session":"s","intent":"b","input":"q2","helpful":true}
{"time":3,"session":"t","intent":"c","input":null,"helpful":false}
{"time":4,"session":"u","intent":"c","input":"q3","helpful":false}
{"time":5,"kind":"fallback","route":"ranked","utterance":"x","candidates":[]}
not json
"#;
        let f = parse(text);
        assert_eq!(f.lines(), 4);
        assert_eq!(f.helpful, 1);
        assert_eq!(
            f.by_intent(),
            vec![("c", vec![None, Some("q3")]), ("a", vec![Some("q1")])]
        );
    }
}
