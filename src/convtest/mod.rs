//! Conversation tests: the runner behind `faqbot test` and `cargo test`.
//!
//! Files are RON lists of [`schema::TestCase`] (see [`schema`] for the
//! format). Each case plays in a fresh [`Session`]; a case fails when any
//! expectation of any of its turns does not hold. Cases run in parallel on
//! all cores; the report lists them in file order.

pub mod junit;
pub mod schema;

use crate::error::{Error, Result};
use crate::kb::ron_options;
use crate::normalize::Normalizer;
use crate::reply::Reply;
use crate::session::Session;
use crate::Engine;
use schema::{TestCase, TurnExpect};
use std::fmt;
use std::path::{Path, PathBuf};

/// One test file and its cases.
#[derive(Clone, Debug)]
pub struct TestFile {
    /// Where the cases came from.
    pub path: PathBuf,
    /// The cases, in file order.
    pub cases: Vec<TestCase>,
    /// The 1-based line where each case (same index) starts, when found.
    pub lines: Vec<Option<usize>>,
}

/// The line of each case: where its name (or first user text) is written,
/// searched in order through the file.
fn case_lines(text: &str, cases: &[TestCase]) -> Vec<Option<usize>> {
    let mut from = 0;
    cases
        .iter()
        .map(|c| {
            let needle = match (
                &c.name,
                c.user.as_ref().or(c.turns.first().map(|t| &t.user)),
            ) {
                (Some(n), _) => format!("{n:?}"),
                (None, Some(u)) => format!("{u:?}"),
                (None, None) => return None,
            };
            let at = from + text[from..].find(&needle)?;
            from = at + needle.len();
            Some(text[..at].matches('\n').count() + 1)
        })
        .collect()
}

/// Reads one test file.
///
/// # Errors
/// I/O errors, or a `file:line:col` data error for malformed RON.
pub fn load_file(path: &Path) -> Result<TestFile> {
    let read = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let text = read.strip_prefix(crate::kb::BOM).unwrap_or(&read);
    let cases: Vec<TestCase> = ron_options().from_str(text).map_err(|e| {
        let d = crate::kb::ron_diagnostic_in(path, text, &e);
        let at = d
            .location
            .as_ref()
            .map_or_else(|| path.display().to_string(), |l| l.to_string());
        let mut message = format!("error[{}]: {}", d.code, d.message);
        if let Some(h) = &d.hint {
            message.push_str(&format!("\n  hint: {h}"));
        }
        Error::data(at, message)
    })?;
    for (i, c) in cases.iter().enumerate() {
        if c.turns.is_empty() && c.user.is_none() {
            return Err(Error::data(
                path.display().to_string(),
                format!("case {} has neither `turns` nor `user`", i + 1),
            ));
        }
    }
    Ok(TestFile {
        path: path.to_path_buf(),
        lines: case_lines(text, &cases),
        cases,
    })
}

/// Reads test files; a directory stands for the `*.ron` files directly in
/// it, sorted by name.
///
/// # Errors
/// As [`load_file`]; also an unreadable directory.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<TestFile>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            inner.sort();
            for f in inner {
                files.push(load_file(&f)?);
            }
        } else {
            files.push(load_file(p)?);
        }
    }
    Ok(files)
}

impl TestCase {
    /// The turns, with the one-turn shorthand expanded.
    pub fn all_turns(&self) -> Vec<TurnExpect> {
        let mut turns = self.turns.clone();
        if let Some(user) = &self.user {
            turns.insert(
                0,
                TurnExpect {
                    user: user.clone(),
                    intent: self.intent.clone(),
                    not_intent: self.not_intent.clone(),
                    kind: self.kind,
                    answer_contains: self.answer_contains.clone(),
                    text_contains: self.text_contains.clone(),
                    suggestions_include: self.suggestions_include.clone(),
                    suggestions_exclude: self.suggestions_exclude.clone(),
                    min_confidence: self.min_confidence,
                },
            );
        }
        turns
    }

    /// The case's name, or its first user turn.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.all_turns()
                .first()
                .map(|t| format!("{:?}", t.user))
                .unwrap_or_default()
        })
    }
}

/// A turn whose reply broke an expectation.
#[derive(Clone, Debug)]
pub struct TurnFailure {
    /// 1-based turn number.
    pub turn: usize,
    /// What the user said.
    pub user: String,
    /// What the bot replied.
    pub reply: Reply,
    /// Each broken expectation: "intent: expected `a`, got `b`".
    pub problems: Vec<String>,
    /// The top intents for this turn with their confidences.
    pub top: Vec<(String, f32)>,
}

/// The outcome of one case.
#[derive(Clone, Debug)]
pub struct CaseOutcome {
    /// The file the case is in.
    pub file: PathBuf,
    /// The 1-based line where the case starts, when known.
    pub line: Option<usize>,
    /// The case's display name.
    pub name: String,
    /// The first failing turn, or `None` when the case passed.
    pub failure: Option<TurnFailure>,
}

/// Checks one reply against one turn's expectations; returns what broke.
pub fn check_turn(expect: &TurnExpect, reply: &Reply) -> Vec<String> {
    let mut problems = Vec::new();
    let got_intent = reply.intent.as_deref().unwrap_or("none");
    if let Some(want) = &expect.intent {
        if reply.intent.as_deref() != Some(want.as_str()) {
            problems.push(format!("intent: expected `{want}`, got `{got_intent}`"));
        }
    }
    if let Some(not) = &expect.not_intent {
        if reply.intent.as_deref() == Some(not.as_str()) {
            problems.push(format!("intent: expected anything but `{not}`"));
        }
    }
    if let Some(kind) = expect.kind {
        if reply.kind != kind {
            problems.push(format!(
                "kind: expected {}, got {}",
                kind.as_str(),
                reply.kind.as_str()
            ));
        }
    }
    if let Some(needle) = &expect.answer_contains {
        let answer = reply.answer.as_deref().unwrap_or("");
        if !answer.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("answer: expected it to contain {needle:?}"));
        }
    }
    if let Some(needle) = &expect.text_contains {
        if !reply.text.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("text: expected it to contain {needle:?}"));
        }
    }
    for s in &expect.suggestions_include {
        if !reply.suggestions.iter().any(|x| &x.intent == s) {
            let got: Vec<&str> = reply
                .suggestions
                .iter()
                .map(|x| x.intent.as_str())
                .collect();
            problems.push(format!("suggestions: expected `{s}` among {got:?}"));
        }
    }
    for s in &expect.suggestions_exclude {
        if reply.suggestions.iter().any(|x| &x.intent == s) {
            problems.push(format!("suggestions: expected no `{s}`"));
        }
    }
    if let Some(min) = expect.min_confidence {
        if reply.confidence < min {
            problems.push(format!(
                "confidence: expected at least {min:.2}, got {:.2}",
                reply.confidence
            ));
        }
    }
    problems
}

/// Problems with the intent ids a turn names: ids the knowledge base does
/// not have, each with a "did you mean" when one is close.
pub fn unknown_ids(engine: &Engine, expect: &TurnExpect) -> Vec<String> {
    let kb = engine.knowledge_base();
    let ids = expect
        .intent
        .iter()
        .chain(&expect.not_intent)
        .chain(&expect.suggestions_include)
        .chain(&expect.suggestions_exclude);
    ids.filter(|id| kb.index_of(id).is_none())
        .map(|id| {
            let ids = kb.intents.iter().map(|d| d.id.as_str());
            let close = similar_ids(id, ids, engine.matcher().normalizer());
            let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
            match quoted.as_slice() {
                [] => format!("unknown intent `{id}` in the test"),
                [one] => format!("unknown intent `{id}` in the test (did you mean {one}?)"),
                [rest @ .., last] => format!(
                    "unknown intent `{id}` in the test (did you mean {} or {last}?)",
                    rest.join(", ")
                ),
            }
        })
        .collect()
}

/// The ids a mistyped or shortened intent id `id` may mean, best first,
/// at most 3: the one closest by spelling ([`crate::kb::did_you_mean`]:
/// `wiif` → `wifi`), then ids that hold `id`'s words in a row
/// (`opening_hours` → `what_are_your_opening_hours`; shortest first), then
/// ids that have more than half of its words (`dog_vaccination` →
/// `do_you_need_my_dog_s_vaccination_records`; most shared first). Ids
/// made from a sheet's questions are long, and a test names them short.
/// Words are compared as the matcher compares them, by their terms in
/// `norm` (stemmed and synonym-mapped): `areas_covered` →
/// `what_areas_do_you_cover` (trial 27).
pub fn similar_ids<'a>(
    id: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    norm: &Normalizer,
) -> Vec<&'a str> {
    let words = |s: &str| -> Vec<String> {
        s.split('_')
            .filter(|w| !w.is_empty())
            .map(|w| norm.token(w).term)
            .collect()
    };
    let wanted = words(id);
    let mut out: Vec<&str> = crate::kb::did_you_mean(id, ids.clone())
        .into_iter()
        .collect();
    if wanted.is_empty() {
        return out;
    }
    let mut runs: Vec<&str> = ids
        .clone()
        .filter(|c| *c != id && words(c).windows(wanted.len()).any(|w| w == wanted))
        .collect();
    runs.sort_by_key(|c| (c.len(), *c));
    let mut shared: Vec<(usize, &str)> = ids
        .map(|c| {
            let cw = words(c);
            (wanted.iter().filter(|w| cw.contains(w)).count(), c)
        })
        .filter(|&(n, c)| c != id && 2 * n > wanted.len())
        .collect();
    shared.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    for c in runs.into_iter().chain(shared.into_iter().map(|(_, c)| c)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.truncate(3);
    out
}

/// Plays one case in a fresh session; `line` is where it starts in its file.
pub fn run_case(engine: &Engine, file: &Path, line: Option<usize>, case: &TestCase) -> CaseOutcome {
    let mut session = Session::new();
    let mut failure = None;
    for (n, turn) in case.all_turns().iter().enumerate() {
        let (reply, decision) = engine.respond_traced(&mut session, &turn.user);
        let mut problems = unknown_ids(engine, turn);
        problems.extend(check_turn(turn, &reply));
        if !problems.is_empty() {
            let kb = engine.knowledge_base();
            failure = Some(TurnFailure {
                turn: n + 1,
                user: turn.user.clone(),
                top: decision
                    .ranking
                    .iter()
                    .take(3)
                    .map(|s| (kb.intents[s.intent].id.clone(), s.confidence))
                    .collect(),
                reply,
                problems,
            });
            break;
        }
    }
    CaseOutcome {
        file: file.to_path_buf(),
        line,
        name: case.display_name(),
        failure,
    }
}

/// The outcome of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every case's outcome, in file order.
    pub outcomes: Vec<CaseOutcome>,
}

impl Report {
    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_none()).count()
    }

    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.outcomes.iter().filter(|o| o.failure.is_some())
    }
}

impl fmt::Display for Report {
    /// Each failure with the reply, the expectation and the top
    /// alternatives, then `N passed, N failed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for o in self.failures() {
            let Some(t) = &o.failure else { continue };
            let at = match o.line {
                Some(l) => format!("{}:{l}", o.file.display()),
                None => o.file.display().to_string(),
            };
            writeln!(f, "FAIL {at}: {} (turn {})", o.name, t.turn)?;
            writeln!(f, "  user:  {:?}", t.user)?;
            let first_line = t.reply.text.lines().next().unwrap_or("");
            writeln!(
                f,
                "  reply: {} {} ({:.2}): {:?}",
                t.reply.kind.as_str(),
                t.reply.intent.as_deref().unwrap_or("-"),
                t.reply.confidence,
                crate::normalize::sanitize::shorten(first_line, 70)
            )?;
            for p in &t.problems {
                writeln!(f, "  {p}")?;
            }
            let top: Vec<String> = t.top.iter().map(|(i, c)| format!("{i} {c:.2}")).collect();
            writeln!(
                f,
                "  top:   {}",
                if top.is_empty() {
                    "(no intent ranked)".to_string()
                } else {
                    top.join(", ")
                }
            )?;
        }
        write!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

/// Runs every case of every file, in parallel over the available cores.
pub fn run_all(engine: &Engine, files: &[TestFile]) -> Report {
    let jobs: Vec<(&Path, Option<usize>, &TestCase)> = files
        .iter()
        .flat_map(|f| {
            f.cases
                .iter()
                .enumerate()
                .map(move |(i, c)| (f.path.as_path(), f.lines.get(i).copied().flatten(), c))
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let chunk = jobs.len().div_ceil(threads).max(1);
    let outcomes = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(p, l, c)| run_case(engine, p, *l, c))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Report { outcomes }
}

#[cfg(test)]
mod tests {
    use super::{similar_ids, Normalizer};

    /// A test file saved by Notepad starts with a byte order mark; it is
    /// read like the knowledge base's files (review of session 21).
    #[test]
    fn a_test_file_with_a_byte_order_mark_loads() {
        let dir = std::env::temp_dir().join(format!("faqbot-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bom.ron");
        let text = "\u{feff}[\n    (user: \"hi\", kind: answer),\n]\n";
        std::fs::write(&path, text).unwrap();
        let file = super::load_file(&path);
        let _ = std::fs::remove_dir_all(&dir);
        let file = file.expect("a BOM is dropped before parsing");
        assert_eq!(file.cases.len(), 1);
        assert_eq!(file.lines, vec![Some(2)]);
    }

    /// Imported ids are long; a test names them short (trial 20, finding 9).
    #[test]
    fn similar_ids_by_spelling_words_in_a_row_and_shared_words() {
        let ids = [
            "what_are_your_opening_hours",
            "do_you_need_my_dog_s_vaccination_records",
            "how_much_does_a_groom_cost",
            "wifi",
            "opening_hours_on_holidays",
        ];
        let norm = Normalizer::new("english", &[]);
        let similar = |id: &str| similar_ids(id, ids.iter().copied(), &norm);
        assert_eq!(
            similar("opening_hours"),
            ["opening_hours_on_holidays", "what_are_your_opening_hours"]
        );
        assert_eq!(similar("wiif"), ["wifi"]);
        assert_eq!(
            similar("dog_vaccination"),
            ["do_you_need_my_dog_s_vaccination_records"]
        );
        assert_eq!(similar("groom_price_cost"), ["how_much_does_a_groom_cost"]);
        assert!(similar("parking").is_empty());
        // "hours" alone is a word of both, in a row.
        assert_eq!(similar("hours").len(), 2);
    }

    /// A test's id may inflect a word of the id it means: `areas_covered`
    /// for `what_areas_do_you_cover` said only "unknown intent" (trial 27).
    #[test]
    fn similar_ids_compare_words_by_their_stems() {
        let ids = [
            "what_areas_do_you_cover",
            "how_do_i_book_a_visit",
            "do_you_give_free_quotes",
        ];
        let norm = Normalizer::new("english", &[]);
        let similar = |id: &str| similar_ids(id, ids.iter().copied(), &norm);
        assert_eq!(similar("areas_covered"), ["what_areas_do_you_cover"]);
        assert_eq!(similar("booking_visits"), ["how_do_i_book_a_visit"]);
        assert_eq!(similar("free_quote"), ["do_you_give_free_quotes"]);
    }
}
