//! FAQ spreadsheets (CSV) to intents: one intent per row ([`from_csv`]).

use super::columns::Columns;
use super::{dedup, encoding, short_slug, unique_id, Malformed};
use crate::error::{Error, Result};
use crate::schema::{IntentDef, IntentKind};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A FAQ sheet read by [`read_csv`]: the intents of its finished rows and
/// the unfinished rows it left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// One intent per finished row (a question and an answer), in row order.
    pub intents: Vec<IntentDef>,
    /// The rows left out because a question or an answer is still missing,
    /// in row order.
    pub left_out: Vec<LeftOut>,
    /// How the sheet was read where that may not be what its owner meant,
    /// each a note with its place (`faq.csv:1: ignored columns: category,
    /// notes — …`): columns not read, a header read by position, text
    /// read as Windows-1252, fields separated by `;` or tabs.
    pub notes: Vec<String>,
}

/// A row of a FAQ sheet that an import left out because it is not
/// finished: it has a question without an answer (a row still being
/// written), an answer without a question, or only an id, a popularity or
/// alternates. Its [`fmt::Display`] is the import's note:
/// `faq.csv:7: "Do you open on bank holidays?" has no answer yet; left out`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The sheet.
    pub path: PathBuf,
    /// The row's first line in the file (1-based; the header is line 1).
    pub line: u64,
    /// The row's question, or `""` when it has none.
    pub question: String,
    /// The row's answer, or `""` when it has none.
    pub answer: String,
    /// `Some((fields, columns))` when the row has fewer fields than the
    /// header has columns, too few to reach the answer column (a comma
    /// left out, so the answer sits one column early): the note says so.
    pub short: Option<(usize, usize)>,
}

impl LeftOut {
    /// What the row lacks, without its place: `"Do you open on bank
    /// holidays?" has no answer yet`.
    pub fn what(&self) -> String {
        match (self.question.is_empty(), self.answer.is_empty()) {
            (false, _) => match self.short {
                Some((fields, columns)) => format!(
                    "{:?} has no answer: the row has {fields} fields and the header {columns} \
                     (a comma left out?)",
                    one_line(&self.question)
                ),
                None => format!("{:?} has no answer yet", one_line(&self.question)),
            },
            (true, false) => format!(
                "an answer without a question ({:?})",
                one_line(&self.answer)
            ),
            (true, true) => "a row without a question or an answer".into(),
        }
    }
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, line, what) = (self.path.display(), self.line, self.what());
        write!(f, "{path}:{line}: {what}; left out")
    }
}

/// `text` on one line, cut after 60 characters (with `…`): enough to find
/// the row in the sheet.
fn one_line(text: &str) -> String {
    const MAX: usize = 60;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
        None => flat,
    }
}

/// Intents from a FAQ spreadsheet in CSV, without the notes of
/// [`read_csv`]: the intents of its finished rows (rows without a
/// question or an answer are left out).
///
/// # Errors
/// As [`read_csv`].
pub fn from_csv(path: &Path, reader: impl Read) -> Result<Vec<IntentDef>> {
    read_csv(path, reader).map(|sheet| sheet.intents)
}

/// A FAQ spreadsheet in CSV: a header row naming the columns, then one
/// question, its answer and its alternate phrasings per row (rows may have
/// different lengths; empty alternates are ignored). Intents keep row order.
///
/// A sheet is often still being written: a row without an answer (or
/// without a question) is left out and listed in [`Sheet::left_out`], so
/// that the import goes on and says which rows it left out. Empty rows
/// (every cell empty) are skipped without a note.
///
/// Columns are found by their header (case, spaces and punctuation
/// aside), in any order: `question` (or `Q`, `FAQ`, `Title`), `answer`
/// (or `A`, `Reply`, `Response`, `Réponse`), alternate phrasings (`alternate 1`,
/// `Alt`, `Phrasings`, `Variant`, `Also asked`, `Synonyms`, `Other ways to
/// ask`, a second question column, an empty header, and any cell past the
/// header's last column), `id` (the intent id, slugged; empty: made from
/// the question), so that rewording a question does not rename its intent
/// (tests and labelled questions name ids), and `popularity` (a whole
/// number, see [`IntentDef::popularity`]: orders the popular topics). A
/// column with another header ("Category", "Notes") is not read and is
/// named in [`Sheet::notes`]. A header that names neither a question nor an
/// answer column is read by position, with a note: question, answer, then
/// alternates (`id` and `popularity` still by name).
///
/// The text may be UTF-8 (with or without a byte-order mark) or, failing
/// that, Windows-1252 (Excel's plain "CSV"), with a note; the fields may be
/// separated by commas, or by `;` or tabs when the header line has more of
/// them (with a note).
///
/// # Errors
/// [`crate::ErrorKind::Data`] naming the first malformed CSV record, id
/// given twice or popularity that is not a whole number (`file:line`,
/// 1-based, counting the header) and how many there are; a header without
/// an answer column, or naming an answer column but no question column
/// (`file:1`); text that is neither UTF-8 nor Windows-1252 (UTF-16, an
/// `.xlsx` workbook), saying how to save it as CSV UTF-8; a sheet with
/// rows but none with both a
/// question and an answer (naming the first); [`crate::ErrorKind::Io`] on
/// read errors.
pub fn read_csv(path: &Path, mut reader: impl Read) -> Result<Sheet> {
    // Read whole (a sheet is small) to give rows after blank lines their
    // true line, see [`line_of`].
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    read_csv_bytes(path, bytes, &|line| line, None, &HashMap::new())
}

/// [`read_csv`] on the file's bytes, with `row_of` turning the line a
/// record starts on (1-based) into the place errors and notes name (a
/// workbook's row, see [`super::workbook`]; the line itself for a CSV
/// file), the field `delimiter` when it is known (a workbook's CSV is
/// written with commas; `None`: read from the header line), and notes on
/// cells, keyed by (place, 0-based column), added to [`Sheet::notes`] for
/// the cells of a finished row's question, answer and phrasings (a
/// workbook's date cells: a date in an ignored column or an unfinished
/// row is not named).
pub(super) fn read_csv_bytes(
    path: &Path,
    bytes: Vec<u8>,
    row_of: &dyn Fn(u64) -> u64,
    delimiter: Option<u8>,
    cell_notes: &HashMap<(u64, usize), String>,
) -> Result<Sheet> {
    let at = |line: u64| format!("{}:{line}", path.display());
    let header = row_of(1);
    let mut notes = Vec::new();
    let bytes = match encoding::decode(bytes) {
        Ok((bytes, note)) => {
            notes.extend(note.map(|n| format!("{}: {n}", path.display())));
            bytes
        }
        Err((line, msg)) => return Err(Error::data(at(row_of(line)), msg)),
    };
    let delimiter = delimiter.unwrap_or_else(|| encoding::delimiter(&bytes));
    if delimiter != b',' {
        let name = if delimiter == b';' { "`;`" } else { "tabs" };
        notes.push(format!(
            "{}: the fields are separated by {name} (read from the header line)",
            at(header)
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Error::data(at(header), e.to_string())),
    };
    let names: Vec<&str> = headers.iter().collect();
    let cols = Columns::of(&names).map_err(|msg| Error::data(at(header), msg))?;
    if cols.positional {
        notes.push(format!(
            "{}: the header names no question or answer column ({}); the columns are read by \
             position: question, answer, then alternate phrasings (name them `question`, \
             `answer` and `alternate …` to read them by name)",
            at(header),
            names
                .iter()
                .filter(|h| !h.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !cols.ignored.is_empty() {
        notes.push(format!(
            "{}: ignored columns: {} — rename a column `alternate …` to use it as phrasings",
            at(header),
            cols.ignored.join(", ")
        ));
    }
    let mut left_out = Vec::new();
    let mut out: Vec<(IntentDef, bool)> = Vec::new();
    let mut bad = Malformed::default();
    let mut taken = HashSet::new();
    // Per row in `out`: its line and its follow-ups cell as written.
    let mut refs: Vec<(u64, String)> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = row_of(e.position().map_or(0, |p| line_of(&bytes, p)));
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(Error::io(path, std::io::Error::other(e.to_string())));
                }
                bad.add(at(line), e.to_string());
                continue;
            }
        };
        let line = row_of(rec.position().map_or(0, |p| line_of(&bytes, p)));
        let cell = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let question = cell(Some(cols.question));
        let answer = cell(Some(cols.answer));
        // The phrasing columns, then any cells past the header's last column.
        let phrasings = cols
            .phrasings
            .iter()
            .map(|&c| cell(Some(c)))
            .chain(rec.iter().skip(cols.width).map(str::trim));
        if question.is_empty() || answer.is_empty() {
            // A row still being written: left out, with a note. An empty
            // row (e.g. `,,`) is no row at all.
            if !rec.iter().all(|f| f.trim().is_empty()) {
                // Too few fields to reach the answer column, with text
                // beside the question (the answer, one column early).
                let shifted = rec
                    .iter()
                    .enumerate()
                    .any(|(c, f)| c != cols.question && !f.trim().is_empty());
                let short = (answer.is_empty() && rec.len() <= cols.answer && shifted)
                    .then_some((rec.len(), cols.width));
                left_out.push(LeftOut {
                    path: path.to_path_buf(),
                    line,
                    question: question.to_string(),
                    answer: answer.to_string(),
                    short,
                });
            }
            continue;
        }
        if !cell_notes.is_empty() {
            let read = [cols.question, cols.answer]
                .into_iter()
                .chain(cols.phrasings.iter().copied())
                .chain(cols.width..rec.len());
            notes.extend(read.filter_map(|c| cell_notes.get(&(line, c)).cloned()));
        }
        let examples = dedup(
            std::iter::once(question)
                .chain(phrasings.filter(|s| !s.is_empty()))
                .collect(),
        );
        let popularity = match cell(cols.popularity) {
            "" => 0,
            p => match p.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    bad.add(at(line), format!("popularity {p:?} is not a whole number"));
                    continue;
                }
            },
        };
        let own_id = short_slug_opt(cell(cols.id));
        if let Some(id) = &own_id {
            if !taken.insert(id.clone()) {
                bad.add(at(line), format!("id `{id}` is given to two rows"));
                continue;
            }
        }
        let given = own_id.is_some();
        refs.push((line, cell(cols.follow_ups).to_string()));
        out.push((
            IntentDef {
                id: own_id.unwrap_or_else(|| short_slug(question)),
                title: question.to_string(),
                kind: IntentKind::Faq,
                examples,
                keywords: Vec::new(),
                patterns: Vec::new(),
                answer: answer.to_string(),
                follow_ups: Vec::new(),
                popularity,
            },
            given,
        ));
    }
    if out.is_empty() && bad.first.is_none() {
        if let Some(first) = left_out.first() {
            let more = match left_out.len() {
                1 => String::new(),
                n => format!(" (and {} more rows like it)", n - 1),
            };
            return Err(Error::data(
                at(first.line),
                format!(
                    "no row has both a question ({}) and an answer ({}): {}{more}",
                    column_name(&names, cols.question, "first column"),
                    column_name(&names, cols.answer, "second column"),
                    first.what()
                ),
            ));
        }
    }
    // Ids made from questions give way to the ids the sheet names.
    let mut intents: Vec<IntentDef> = out
        .into_iter()
        .map(|(mut d, given)| {
            if !given {
                d.id = unique_id(&d.id, &mut taken);
            }
            d
        })
        .collect();
    for (n, missing) in follow_ups(&mut intents, &refs) {
        notes.push(format!(
            "{}: follow-up {missing:?} names no row's question or id: left out",
            at(refs[n].0)
        ));
    }
    bad.into_result(Sheet {
        intents,
        left_out,
        notes,
    })
}

/// Fills each intent's `follow_ups` from its row's cell in `refs` (same
/// order as `intents`): entries separated by `;`, `|` or line breaks,
/// each another row's question (case, spaces and a final `?` do not
/// count) or id. Returns the entries that name no row, as (row, entry);
/// a row naming itself or one row twice gets it once, never itself.
fn follow_ups(intents: &mut [IntentDef], refs: &[(u64, String)]) -> Vec<(usize, String)> {
    let key = |s: &str| {
        s.trim()
            .trim_end_matches('?')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let by_key: HashMap<String, usize> = intents
        .iter()
        .enumerate()
        .flat_map(|(i, d)| [(key(&d.title), i), (d.id.clone(), i)])
        .collect();
    let mut missing = Vec::new();
    for (n, (_, cell)) in refs.iter().enumerate() {
        let entries = cell
            .split(['\n', ';', '|'])
            .map(str::trim)
            .filter(|e| !e.is_empty());
        let mut ids: Vec<String> = Vec::new();
        for e in entries {
            match by_key.get(&key(e)).or_else(|| by_key.get(e)) {
                Some(&i) if i != n => {
                    let id = intents[i].id.clone();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Some(_) => {}
                None => missing.push((n, e.to_string())),
            }
        }
        if let Some(d) = intents.get_mut(n) {
            d.follow_ups = ids;
        }
    }
    missing
}

/// The line a record starts on. The csv reader's position of a record
/// after blank lines is that of the first blank line (it skips them as
/// part of the record), so the line breaks at the position are counted
/// on.
fn line_of(bytes: &[u8], pos: &csv::Position) -> u64 {
    let from = usize::try_from(pos.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let blank = bytes[from..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    pos.line() + blank as u64
}

/// How a note names column `i`: its header in backquotes, or `fallback`
/// ("first column") when it has none.
fn column_name(names: &[&str], i: usize, fallback: &str) -> String {
    match names.get(i).map(|h| h.trim()) {
        Some(h) if !h.is_empty() => format!("column `{h}`"),
        _ => fallback.to_string(),
    }
}

/// [`short_slug`] of an id cell, `None` when it is empty.
fn short_slug_opt(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| short_slug(cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows after blank lines (LF or CRLF) are named by their own line.
    #[test]
    fn lines_count_blank_lines_and_quoted_newlines() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "question,answer",
                "",
                "One?,",
                "\"Two",
                "lines?\",",
                "",
                "",
                "Three?,",
                "Four?,4",
            ]
            .join(eol);
            let sheet = read_csv(Path::new("s.csv"), text.as_bytes()).unwrap();
            let lines: Vec<u64> = sheet.left_out.iter().map(|r| r.line).collect();
            assert_eq!(lines, [3, 4, 8], "{eol:?}");
        }
        let bad = "question,answer,popularity\n\nQ?,A.,x\n";
        let msg = read_csv(Path::new("s.csv"), bad.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("s.csv:3"), "{msg}");
    }
}
