//! FAQ spreadsheets (CSV) to intents: one intent per row ([`from_csv`]).

use super::{dedup, short_slug, unique_id, Malformed};
use crate::error::{Error, Result};
use crate::schema::{IntentDef, IntentKind};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// Intents from a FAQ spreadsheet in CSV: header row, then
/// `question,answer[,alternate questions…]` per row (rows may have
/// different lengths; empty alternates are ignored). Intents keep row order.
///
/// Two columns are found by their header instead of their place: `id`
/// (the intent id, slugged; empty: made from the question), so that
/// rewording a question does not rename its intent (tests and labelled
/// questions name ids), and `popularity` (a whole number, see
/// [`IntentDef::popularity`]: orders the popular topics). The other
/// columns are question, answer and alternates, in that order.
///
/// # Errors
/// [`crate::ErrorKind::Data`] naming the first malformed CSV record, row
/// without a question or an answer, id given twice or popularity that is
/// not a whole number (`file:line`, 1-based, counting the header) and how
/// many there are; [`crate::ErrorKind::Io`] on read errors.
pub fn from_csv(path: &Path, reader: impl Read) -> Result<Vec<IntentDef>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Error::data(format!("{}:1", path.display()), e.to_string())),
    };
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (id_col, pop_col) = (find("id"), find("popularity"));
    let mut out: Vec<(IntentDef, bool)> = Vec::new();
    let mut bad = Malformed::default();
    let mut taken = HashSet::new();
    let at = |line: u64| format!("{}:{line}", path.display());
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(Error::io(path, std::io::Error::other(e.to_string())));
                }
                bad.add(at(line), e.to_string());
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        // Question, answer and alternates: the columns that are not named ones.
        let mut texts = rec
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != id_col && Some(*i) != pop_col)
            .map(|(_, f)| f.trim());
        let question = texts.next().unwrap_or("");
        let answer = texts.next().unwrap_or("");
        if question.is_empty() || answer.is_empty() {
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let what = if question.is_empty() {
                "row without a question (first column)"
            } else {
                "row without an answer (second column)"
            };
            bad.add(at(line), what.into());
            continue;
        }
        let examples = dedup(
            std::iter::once(question)
                .chain(texts.filter(|s| !s.is_empty()))
                .collect(),
        );
        let popularity = match cell(pop_col) {
            "" => 0,
            p => match p.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    bad.add(at(line), format!("popularity {p:?} is not a whole number"));
                    continue;
                }
            },
        };
        let own_id = short_slug_opt(cell(id_col));
        if let Some(id) = &own_id {
            if !taken.insert(id.clone()) {
                bad.add(at(line), format!("id `{id}` is given to two rows"));
                continue;
            }
        }
        let given = own_id.is_some();
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
    // Ids made from questions give way to the ids the sheet names.
    let out = out
        .into_iter()
        .map(|(mut d, given)| {
            if !given {
                d.id = unique_id(&d.id, &mut taken);
            }
            d
        })
        .collect();
    bad.into_result(out)
}

/// [`short_slug`] of an id cell, `None` when it is empty.
fn short_slug_opt(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| short_slug(cell))
}
