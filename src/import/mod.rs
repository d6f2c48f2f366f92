//! Importing knowledge bases from labelled utterances and FAQ spreadsheets.
//!
//! Two sources, one result (a list of [`IntentDef`] that [`write_dir`]
//! writes as a loadable RON knowledge-base directory):
//!
//! * **Labelled utterances** ([`from_jsonl`]): one JSON object per line,
//!   `{"text": "...", "intent": "label"}`, as in `shared/datasets/`. Every
//!   label becomes one intent whose id is [`slug`] of the label
//!   (`"Setup Printer"` → `setup_printer`), whose examples are the label's
//!   utterances in file order (exact duplicates dropped), whose title is the
//!   label made readable ([`readable`]) and whose answer is a placeholder
//!   naming the label ([`IntentDef::placeholder_answer`]; `faqbot check`
//!   warns about each until it is replaced: `placeholder-answer`). Rows
//!   with `"intent": null` (out-of-scope utterances, e.g. `train_oos.jsonl`)
//!   become examples of one intent of kind [`IntentKind::OutOfScope`], id
//!   [`OUT_OF_SCOPE_ID`]: winning it yields a fallback.
//! * **FAQ spreadsheets** ([`from_csv`]): a CSV file with a header row
//!   naming the columns `question`, `answer` and alternate phrasings
//!   (`alternate 1`, ...) in any order (see [`read_csv`]); quoted fields
//!   may hold commas, quotes (`""`) and newlines. Every row becomes one intent:
//!   title and first example the question, the alternates further examples,
//!   the answer as written, the id [`slug`] of the question (at most
//!   [`MAX_ID_LEN`] bytes, cut at a word boundary). A row still without
//!   an answer (or a question) is left out, and named in the import's
//!   notes ([`LeftOut`]). A workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`,
//!   `.ods`; feature `workbook`) is read as the CSV of its first visible
//!   worksheet with a cell, or of the one named ([`read_workbook_sheet`]).
//!
//! With `--small-talk`, a FAQ spreadsheet's knowledge base also gets a
//! greeting, thanks and goodbye as small talk ([`write_smalltalk`],
//! `smalltalk.ron`), so that "hello" is not a fallback; labelled
//! utterances (corpora) get none.
//!
//! Ids that collide after slugging get `_2`, `_3`, ... in input order. The
//! output is deterministic: the same input gives byte-identical files, and
//! loading them gives back the same intents (sorted by id).

use crate::error::{Error, Result};
use crate::schema::{IntentDef, IntentKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

mod columns;
pub mod contact;
mod csv_sheet;
mod encoding;
pub mod faq_page;
pub mod hours;
pub mod language;
pub mod location;
pub mod row_patterns;
mod smalltalk;
pub mod translations;
pub mod workbook;
mod write;
pub use csv_sheet::{from_csv, read_csv, LeftOut, Sheet};
pub use smalltalk::{smalltalk_for, SMALLTALK_FILE, SMALLTALK_RON};
pub use workbook::{read_workbook, read_workbook_sheet};
pub use write::{
    back_up_edited, is_as_imported, ron_files, to_ron, write_dir, write_dir_in, write_smalltalk,
    Backup, IMPORT_HASH,
};

/// Id of the intent that collects out-of-scope (`"intent": null`) utterances.
pub const OUT_OF_SCOPE_ID: &str = "out_of_scope";
/// Longest id, in bytes, made from a CSV question.
pub const MAX_ID_LEN: usize = 48;
/// File the intents are written to inside the output directory.
pub const INTENTS_FILE: &str = "intents.ron";

/// One labelled utterance: a line of a JSONL file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labelled {
    /// What the user typed.
    pub text: String,
    /// The intent label, or `None` for an out-of-scope utterance.
    pub intent: Option<String>,
}

/// Reads labelled utterances, one JSON object per line; blank lines are
/// skipped.
///
/// # Errors
/// [`crate::ErrorKind::Io`] on read errors; [`crate::ErrorKind::Data`]
/// naming the first line that is not such an object (`file:line:col`) and
/// how many there are.
pub fn read_jsonl(path: &Path, reader: impl BufRead) -> Result<Vec<Labelled>> {
    let mut rows = Vec::new();
    let mut bad = Malformed::default();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Labelled>(&line) {
            Ok(row) => rows.push(row),
            Err(e) => bad.add(
                format!("{}:{}:{}", path.display(), n + 1, e.column().max(1)),
                format!("not a {{\"text\": ..., \"intent\": ...}} object: {e}"),
            ),
        }
    }
    bad.into_result(rows)
}

/// The first malformed line or row of a file, and how many there were.
#[derive(Default)]
struct Malformed {
    first: Option<(String, String)>,
    count: usize,
}

impl Malformed {
    fn add(&mut self, at: String, message: String) {
        self.count += 1;
        self.first.get_or_insert((at, message));
    }

    fn into_result<T>(self, ok: T) -> Result<T> {
        match self.first {
            None => Ok(ok),
            Some((at, msg)) if self.count == 1 => Err(Error::data(at, msg)),
            Some((at, msg)) => Err(Error::data(
                at,
                format!("{msg} (and {} more malformed records)", self.count - 1),
            )),
        }
    }
}

/// Reads a JSONL file of labelled utterances (see [`read_jsonl`]).
///
/// # Errors
/// As [`read_jsonl`], and when the file cannot be opened.
pub fn read_jsonl_file(path: &Path) -> Result<Vec<Labelled>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_jsonl(path, std::io::BufReader::new(f))
}

/// An intent id from a label: lower case, accents folded (`é` → `e`), every
/// run of characters other than ASCII letters and digits replaced by `_`
/// (`"Setup Printer"` → `setup_printer`, `"card_arrival"` unchanged). A
/// label without letters or digits gives `intent`.
pub fn slug(label: &str) -> String {
    let folded = crate::normalize::unicode::fold(label, label.len());
    let mut out = String::with_capacity(folded.len());
    let mut gap = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            gap = false;
        } else if !gap {
            out.push('_');
            gap = true;
        }
    }
    if out.bytes().all(|b| b == b'_') {
        return "intent".into();
    }
    out
}

/// A readable title from a label: `snake_case` and `CamelCase` split into
/// words, first letter capitalised (`"card_arrival"` → `"Card arrival"`,
/// `"FindConnection"` → `"Find connection"`, `"Make Update"` unchanged).
pub fn readable(label: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for part in label.split(|c: char| c == '_' || c == '-' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        // Split CamelCase at a lower-to-upper change.
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.push(c);
        }
        if !cur.is_empty() {
            words.push(cur);
        }
    }
    let all_camel = label.chars().any(char::is_lowercase)
        && !label.contains(' ')
        && !label.contains('_')
        && words.len() > 1;
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower_rest = all_camel && w.chars().skip(1).all(char::is_lowercase);
        if i == 0 {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else if lower_rest {
            out.push_str(&w.to_lowercase());
        } else {
            out.push_str(w);
        }
    }
    if out.is_empty() {
        label.trim().to_string()
    } else {
        out
    }
}

/// Gives every id a unique form: later duplicates get `_2`, `_3`, ...
fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.to_string()) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| taken.insert(id.clone()))
        .expect("an unused suffix exists")
}

/// Intents from labelled utterances: one per label, plus one
/// [`IntentKind::OutOfScope`] intent for `null` rows if there are any.
/// Intents come out sorted by id; examples keep input order, without exact
/// duplicates and empty texts.
pub fn from_labelled(rows: &[Labelled]) -> Vec<IntentDef> {
    // Labels in sorted order so ids (and collision suffixes) do not depend
    // on the row order.
    let mut by_label: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut oos: Vec<&str> = Vec::new();
    for r in rows {
        let text = r.text.trim();
        if text.is_empty() {
            continue;
        }
        match &r.intent {
            Some(l) => by_label.entry(l.as_str()).or_default().push(text),
            None => oos.push(text),
        }
    }
    let mut taken = HashSet::new();
    if !oos.is_empty() {
        taken.insert(OUT_OF_SCOPE_ID.to_string());
    }
    let mut out: Vec<IntentDef> = by_label
        .into_iter()
        .map(|(label, texts)| {
            let id = unique_id(&slug(label), &mut taken);
            IntentDef {
                id,
                title: readable(label),
                kind: IntentKind::Faq,
                examples: dedup(texts),
                keywords: Vec::new(),
                patterns: Vec::new(),
                answer: IntentDef::placeholder_answer(label),
                follow_ups: Vec::new(),
                popularity: 0,
            }
        })
        .collect();
    if !oos.is_empty() {
        out.push(IntentDef {
            id: OUT_OF_SCOPE_ID.into(),
            title: "Out of scope".into(),
            kind: IntentKind::OutOfScope,
            examples: dedup(oos),
            keywords: Vec::new(),
            patterns: Vec::new(),
            answer: "(Questions this bot does not answer; winning this intent gives a fallback.)"
                .into(),
            follow_ups: Vec::new(),
            popularity: 0,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn dedup(texts: Vec<&str>) -> Vec<String> {
    let mut seen = HashSet::new();
    texts
        .into_iter()
        .filter(|t| seen.insert(*t))
        .map(str::to_string)
        .collect()
}

/// Reads labelled utterances from JSONL (see [`read_jsonl`]) and turns
/// them into intents (see [`from_labelled`]).
///
/// # Errors
/// As [`read_jsonl`].
pub fn from_jsonl(path: &Path, reader: impl BufRead) -> Result<Vec<IntentDef>> {
    Ok(from_labelled(&read_jsonl(path, reader)?))
}

/// [`slug`] cut to at most [`MAX_ID_LEN`] bytes at an `_`, without a
/// trailing or leading `_`.
fn short_slug(text: &str) -> String {
    let s = slug(text);
    let s = s.trim_matches('_');
    if s.is_empty() {
        return "intent".into();
    }
    if s.len() <= MAX_ID_LEN {
        return s.to_string();
    }
    let cut = s[..MAX_ID_LEN]
        .rfind('_')
        .filter(|&i| i > 0)
        .unwrap_or(MAX_ID_LEN);
    s[..cut].to_string()
}

/// The format of an import source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// JSON lines `{"text": ..., "intent": ...}`.
    Jsonl,
    /// A FAQ spreadsheet `question,answer[,alternates…]` with a header row.
    Csv,
    /// A FAQ spreadsheet in a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods):
    /// its first visible worksheet with a cell, read as a CSV sheet would
    /// be (needs the `workbook` feature, which the faqbot binary has).
    Workbook,
    /// A FAQ page in Markdown (.md, .markdown): its questions (headings or
    /// bold paragraphs ending in `?`) and the text after each as its
    /// answer ([`faq_page::read_markdown`]).
    Markdown,
}

impl Format {
    /// The format a file name suggests: `.csv` is CSV, a workbook's
    /// extension ([`workbook::EXTENSIONS`]) a workbook, anything else JSONL.
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            Some(e) if e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown") => {
                Format::Markdown
            }
            _ if workbook::is_workbook(path) => Format::Workbook,
            _ => Format::Jsonl,
        }
    }

    /// Whether it is a FAQ (a spreadsheet, CSV or workbook, or a FAQ
    /// page), as opposed to labelled utterances.
    pub fn is_sheet(self) -> bool {
        matches!(self, Format::Csv | Format::Workbook | Format::Markdown)
    }
}

/// What [`import_files_with_notes`] read: the intents, and the rows of FAQ
/// sheets it left out (for the import's notes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// The intents, as [`import_files`] returns them.
    pub intents: Vec<IntentDef>,
    /// The unfinished rows of the CSV files, in file and row order.
    pub left_out: Vec<LeftOut>,
    /// How the CSV files were read where that may not be what their owner
    /// meant ([`Sheet::notes`]), in file order.
    pub notes: Vec<String>,
}

/// Imports several files (each in `format`, or the format its extension
/// suggests) into one list of intents: those of JSONL files sorted by id,
/// then those of CSV rows in row order (the order a FAQ page lists its
/// questions in, which the written file keeps and the popular topics
/// follow until views are counted, see [`crate::dialogue::popular`]).
/// JSONL files are pooled (a label in two files is one intent); CSV rows
/// each make an intent. Unfinished CSV rows are left out (see
/// [`import_files_with_notes`] for which).
///
/// # Errors
/// I/O errors and malformed lines or rows, as [`read_jsonl`] and
/// [`read_csv`].
pub fn import_files(files: &[PathBuf], format: Option<Format>) -> Result<Vec<IntentDef>> {
    import_files_with_notes(files, format).map(|i| i.intents)
}

/// [`import_files`], with the rows of FAQ sheets it left out because they
/// have no answer (or no question) yet.
///
/// # Errors
/// As [`import_files`].
pub fn import_files_with_notes(files: &[PathBuf], format: Option<Format>) -> Result<Imported> {
    import_files_from_sheet(files, format, None)
}

/// [`import_files_with_notes`], reading the worksheet named `sheet` of
/// each workbook (`faqbot import --sheet NAME`, see
/// [`workbook::read_workbook_sheet`]) instead of its first visible one
/// with a cell.
///
/// # Errors
/// As [`import_files`]; with `sheet`, a file that is not a workbook (a
/// CSV or JSONL file has no worksheets) and a workbook without a worksheet
/// of that name.
pub fn import_files_from_sheet(
    files: &[PathBuf],
    format: Option<Format>,
    sheet: Option<&str>,
) -> Result<Imported> {
    let mut labelled = Vec::new();
    let mut csv_intents = Vec::new();
    let mut left_out = Vec::new();
    let mut notes = Vec::new();
    for path in files {
        let f = format.unwrap_or_else(|| Format::of_path(path));
        if let (Some(name), Format::Csv | Format::Jsonl | Format::Markdown) = (sheet, f) {
            return Err(Error::data(
                path.display().to_string(),
                format!(
                    "`--sheet {name}` picks a worksheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, \
                     .ods), and this file is read as {}, which has none",
                    match f {
                        Format::Csv => "CSV",
                        Format::Markdown => "a Markdown FAQ page",
                        _ => "JSONL",
                    }
                ),
            ));
        }
        match f {
            Format::Jsonl => labelled.extend(read_jsonl_file(path)?),
            f @ (Format::Csv | Format::Workbook | Format::Markdown) => {
                let sheet = if f == Format::Workbook {
                    workbook::read_workbook_sheet(path, sheet)?
                } else if f == Format::Markdown {
                    faq_page::read_markdown_file(path)?
                } else {
                    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                    read_csv(path, std::io::BufReader::new(f))?
                };
                csv_intents.extend(sheet.intents);
                left_out.extend(sheet.left_out);
                notes.extend(sheet.notes);
            }
        }
    }
    let mut all = from_labelled(&labelled);
    let mut taken: HashSet<String> = all.iter().map(|d| d.id.clone()).collect();
    for mut d in csv_intents {
        if taken.contains(&d.id) {
            d.id = unique_id(&d.id, &mut taken);
        } else {
            taken.insert(d.id.clone());
        }
        all.push(d);
    }
    Ok(Imported {
        intents: all,
        left_out,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The popular topics put the imported sheet's file first.
    #[test]
    fn the_import_writes_the_main_file() {
        assert_eq!(crate::dialogue::MAIN_FILES[0], INTENTS_FILE);
    }

    #[test]
    fn slugs_labels() {
        assert_eq!(slug("Setup Printer"), "setup_printer");
        assert_eq!(slug("card_arrival"), "card_arrival");
        assert_eq!(slug("Make  Update!"), "make_update_");
        assert_eq!(slug("Caf\u{e9} -- Cr\u{e8}me"), "cafe_creme");
        assert_eq!(slug("?!"), "intent");
        assert_eq!(slug("FindConnection"), "findconnection");
    }

    #[test]
    fn readable_titles() {
        assert_eq!(readable("card_arrival"), "Card arrival");
        assert_eq!(readable("FindConnection"), "Find connection");
        assert_eq!(readable("Make Update"), "Make Update");
        assert_eq!(readable("Setup Printer"), "Setup Printer");
        assert_eq!(readable("getting_spare_card"), "Getting spare card");
    }

    #[test]
    fn short_slugs_cut_at_words() {
        let s =
            short_slug("How do I reset the PIN protection for opening the MINI App on my phone?");
        assert!(s.len() <= MAX_ID_LEN, "{s}");
        assert!(!s.ends_with('_'));
        assert!(s.starts_with("how_do_i_reset_the_pin"));
    }
}
