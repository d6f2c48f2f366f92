//! The columns of a FAQ sheet, found by their header ([`Columns::of`]).
//!
//! A sheet's header names its columns: `question` and `answer` (or `Q`,
//! `FAQ`, `Reply`, ...), alternate phrasings (`alternate 1`, `Alt`, `Other
//! ways to ask`, ...), `id`, `popularity` and `follow-ups` (`Related`,
//! `Related questions`, `See also`), in any order. A column whose
//! header is none of these ("Category", "Notes") is not read, and named in
//! a note. A header that names neither a question nor an answer column
//! (a sheet in another language, or one whose first line is already a
//! row) is read by position as before: question, answer, then phrasings.

/// What a column holds, read from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Question,
    Answer,
    Phrasing,
    Id,
    Popularity,
    FollowUps,
}

/// A header longer than this many words is not read as a column name: it
/// is more likely a row of a sheet without a header.
const MAX_NAME_WORDS: usize = 6;

/// The role a header names, `None` for one the importer does not know.
/// Case, spaces and punctuation do not count (`"Alternate #1"` is
/// `alternate 1`); an empty header is a phrasing column, as spreadsheets
/// often label only the first of several.
fn role(header: &str) -> Option<Role> {
    let lower = header.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Some(Role::Phrasing);
    }
    if words.len() > MAX_NAME_WORDS {
        return None;
    }
    let name = words.join(" ");
    match name.as_str() {
        "id" | "intent id" => return Some(Role::Id),
        "popularity" => return Some(Role::Popularity),
        "follow up" | "follow ups" | "followup" | "followups" | "related" | "related questions"
        | "related question" | "see also" => return Some(Role::FollowUps),
        "q" | "faq" | "faqs" | "title" | "query" => return Some(Role::Question),
        "a" => return Some(Role::Answer),
        _ => {}
    }
    let any = |pred: &dyn Fn(&str) -> bool| words.iter().any(|w| pred(w));
    // French "Réponse": a French sheet's "Question" is read by name, so
    // its answer column must be too.
    let answerish = any(&|w| {
        w.starts_with("answer")
            || w.starts_with("repl")
            || w.starts_with("respons")
            || w.starts_with("répons")
            || w.starts_with("repons")
    });
    let phrasing = words[0].starts_with("alt")
        || any(&|w| {
            [
                "phrasing",
                "variant",
                "variation",
                "synonym",
                "paraphras",
                "rephras",
                "example",
            ]
            .iter()
            .any(|p| w.starts_with(p))
        })
        || [
            "also ask",
            "other way",
            "ways to ask",
            "other question",
            "similar question",
        ]
        .iter()
        .any(|p| name.contains(p));
    if phrasing {
        // "Alternative answer" is not a phrasing of the question.
        return (!answerish).then_some(Role::Phrasing);
    }
    if answerish {
        return Some(Role::Answer);
    }
    any(&|w| w == "question" || w == "questions").then_some(Role::Question)
}

/// Where a FAQ sheet's question, answer, phrasings, id and popularity are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Columns {
    /// The question's column (0-based).
    pub question: usize,
    /// The answer's column.
    pub answer: usize,
    /// The alternate phrasings' columns, in sheet order. Cells past the
    /// header's last column are phrasings too.
    pub phrasings: Vec<usize>,
    /// The `id` column.
    pub id: Option<usize>,
    /// The `popularity` column.
    pub popularity: Option<usize>,
    /// The `follow-ups` column: other rows' questions (or ids) offered
    /// after this row's answer, separated by `;`, `|` or line breaks.
    pub follow_ups: Option<usize>,
    /// The headers of the columns that are not read, as written.
    pub ignored: Vec<String>,
    /// Whether the header named no question or answer column, so that
    /// the columns are read by position.
    pub positional: bool,
    /// The number of columns of the header.
    pub width: usize,
}

impl Columns {
    /// The columns a header names (see the module doc).
    ///
    /// # Errors
    /// The message (without its place) when the header has fewer than two
    /// columns besides `id` and `popularity`, or names a question column
    /// but no answer column or the other way round.
    pub fn of(headers: &[&str]) -> Result<Columns, String> {
        let roles: Vec<Option<Role>> = headers.iter().map(|h| role(h)).collect();
        let first = |r: Role| roles.iter().position(|&x| x == Some(r));
        let (id, popularity) = (first(Role::Id), first(Role::Popularity));
        let follow_ups = first(Role::FollowUps);
        let text: Vec<usize> = (0..headers.len())
            .filter(|&i| Some(i) != id && Some(i) != popularity && Some(i) != follow_ups)
            .collect();
        let named: Vec<&str> = headers.iter().copied().filter(|h| !h.is_empty()).collect();
        let listed = if named.is_empty() {
            "empty".to_string()
        } else {
            named.join(",")
        };
        if text.len() < 2 {
            return Err(format!(
                "no answer column: the header has {} ({listed}); a FAQ sheet's header is \
                 question,answer[,alternate phrasings…] (and optionally id and popularity)",
                if named.len() == 1 {
                    "one column"
                } else {
                    "no question and answer columns"
                },
            ));
        }
        let base = Columns {
            question: text[0],
            answer: text[1],
            phrasings: text[2..].to_vec(),
            id,
            popularity,
            follow_ups,
            ignored: Vec::new(),
            positional: true,
            width: headers.len(),
        };
        let (question, answer) = match (first(Role::Question), first(Role::Answer)) {
            (None, None) => return Ok(base),
            (Some(q), Some(a)) => (q, a),
            (Some(q), None) => {
                return Err(format!(
                    "no answer column: the header ({listed}) has a question column ({:?}) but \
                     none named `answer`, `reply` or `response`; rename the answers' column `answer`",
                    headers[q].trim()
                ))
            }
            (None, Some(a)) => {
                return Err(format!(
                    "no question column: the header ({listed}) has an answer column ({:?}) but \
                     none named `question`, `q` or `faq`; rename the questions' column `question`",
                    headers[a].trim()
                ))
            }
        };
        let mut phrasings = Vec::new();
        let mut ignored = Vec::new();
        for &i in &text {
            if i == question || i == answer {
                continue;
            }
            match roles[i] {
                // A second question column ("Question 2") is one more
                // phrasing of the question.
                Some(Role::Phrasing | Role::Question) => phrasings.push(i),
                _ => ignored.push(headers[i].trim().to_string()),
            }
        }
        Ok(Columns {
            question,
            answer,
            phrasings,
            ignored,
            positional: false,
            ..base
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_their_roles() {
        for (h, want) in [
            ("question", Some(Role::Question)),
            (" Question ", Some(Role::Question)),
            ("Q", Some(Role::Question)),
            ("FAQ", Some(Role::Question)),
            ("Title", Some(Role::Question)),
            ("Customer question", Some(Role::Question)),
            ("Answer", Some(Role::Answer)),
            ("A", Some(Role::Answer)),
            ("Our reply", Some(Role::Answer)),
            ("Response", Some(Role::Answer)),
            ("Réponse", Some(Role::Answer)),
            ("alternate 1", Some(Role::Phrasing)),
            ("Alt", Some(Role::Phrasing)),
            ("alt2", Some(Role::Phrasing)),
            ("Alternative phrasing", Some(Role::Phrasing)),
            ("Phrasings", Some(Role::Phrasing)),
            ("variant", Some(Role::Phrasing)),
            ("Also asked as", Some(Role::Phrasing)),
            ("Synonyms", Some(Role::Phrasing)),
            ("Other ways to ask", Some(Role::Phrasing)),
            ("Other questions", Some(Role::Phrasing)),
            ("", Some(Role::Phrasing)),
            ("ID", Some(Role::Id)),
            ("Popularity", Some(Role::Popularity)),
            ("Follow-ups", Some(Role::FollowUps)),
            ("Related questions", Some(Role::FollowUps)),
            ("See also", Some(Role::FollowUps)),
            ("Alternative answer", None),
            ("category", None),
            ("Notes", None),
            ("tags", None),
            ("Last updated", None),
            ("How much does a groom cost for a large dog?", None),
        ] {
            assert_eq!(role(h), want, "{h:?}");
        }
    }

    #[test]
    fn columns_in_any_order() {
        let c = Columns::of(&["answer", "question", "alt1", "alt2"]).unwrap();
        assert_eq!((c.question, c.answer, c.phrasings), (1, 0, vec![2, 3]));
        assert!(!c.positional && c.ignored.is_empty());
        let c = Columns::of(&["question", "answer", "category", "notes", "alternate 1"]).unwrap();
        assert_eq!((c.question, c.answer, c.phrasings), (0, 1, vec![4]));
        assert_eq!(c.ignored, ["category", "notes"]);
        let c = Columns::of(&["Frage", "Antwort", "Andere"]).unwrap();
        assert!(c.positional);
        assert_eq!((c.question, c.answer, c.phrasings), (0, 1, vec![2]));
        let e = Columns::of(&["question", "text", "notes"]).unwrap_err();
        assert!(
            e.starts_with("no answer column") && e.contains("`answer`"),
            "{e}"
        );
        let e = Columns::of(&["reply", "notes"]).unwrap_err();
        assert!(e.starts_with("no question column"), "{e}");
    }
}
