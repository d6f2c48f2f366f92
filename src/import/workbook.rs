//! FAQ spreadsheets in workbooks: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and
//! `.ods`, read with calamine (feature `workbook`, in the `faqbot`
//! binary).
//!
//! The first visible worksheet that has a cell is the sheet, or the one
//! named (`--sheet NAME`); a note names it when the workbook has several
//! (hidden sheets and chart sheets are passed over), and an error in it
//! names it and the others. Its cells become the text of a CSV file,
//! which [`super::read_csv`] then reads exactly as a sheet saved as CSV: the same
//! header names, notes and checks, and places that are the worksheet's row
//! numbers (`faq.xlsx:7` is row 7). A cell's text is what the workbook
//! holds (a number as a number, `12.5`), except that a date or time is
//! read as ISO text (`2026-12-26`, `09:30`), not as the serial number it
//! is stored as, with a note naming the cell when it is read (trial 23,
//! finding 7); a formula's cached value is read, never the formula, and a
//! formula error (`#N/A`) stops the import at its cell.

use super::csv_sheet::Sheet;
use crate::error::{Error, Result};
#[cfg(feature = "workbook")]
use std::collections::HashMap;
use std::path::Path;

/// The extensions read as workbooks (lower case).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook by its extension (any case).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

/// Reads the FAQ sheet of the workbook at `path` (see the module doc):
/// [`read_workbook_sheet`] without a worksheet named.
///
/// # Errors
/// As [`read_workbook_sheet`].
pub fn read_workbook(path: &Path) -> Result<Sheet> {
    read_workbook_sheet(path, None)
}

/// Reads the FAQ sheet of the workbook at `path`: the worksheet named
/// `sheet` (`faqbot import --sheet NAME`; the exact name, else the one
/// that differs only in case and surrounding spaces; hidden ones too), or
/// without one the first visible worksheet with a cell (see the module
/// doc).
///
/// # Errors
/// [`crate::ErrorKind::Data`] at `path` when the file is not a workbook
/// calamine can read (damaged, password-protected, another format), has
/// no worksheet with a cell, or none named `sheet` (the message lists its
/// worksheets); then every error of [`super::read_csv`], at the
/// worksheet's row numbers, naming the worksheet read and, when no
/// worksheet was named, the workbook's other visible worksheets (which
/// `--sheet` picks). Without the `workbook` feature, every workbook is
/// such an error, saying to save the sheet as CSV UTF-8.
#[cfg(feature = "workbook")]
pub fn read_workbook_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet> {
    use calamine::{open_workbook_auto, Reader, SheetType, SheetVisible};
    let bad = |msg: String| Error::data(path.display().to_string(), msg);
    let mut book = open_workbook_auto(path).map_err(|e| {
        bad(format!(
            "cannot read this workbook ({e}); {} (a file that is CSV already imports without \
             `--format workbook`)",
            super::encoding::SAVE_AS_UTF8
        ))
    })?;
    let worksheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    // Hidden sheets (lookup tables) and chart sheets are not the FAQ.
    let names: Vec<String> = worksheets
        .iter()
        .filter(|(_, visible)| *visible)
        .map(|(n, _)| n.clone())
        .collect();
    let (name, range) = if let Some(wanted) = sheet {
        let name = worksheets
            .iter()
            .map(|(n, _)| n)
            .find(|n| *n == wanted)
            .or_else(|| {
                worksheets
                    .iter()
                    .map(|(n, _)| n)
                    .find(|n| n.trim().to_lowercase() == wanted.trim().to_lowercase())
            })
            .cloned()
            .ok_or_else(|| {
                let all: Vec<String> = worksheets.iter().map(|(n, _)| format!("'{n}'")).collect();
                bad(format!(
                    "the workbook has no worksheet named '{wanted}'; its worksheets: {}",
                    all.join(", ")
                ))
            })?;
        let range = book
            .worksheet_range(&name)
            .map_err(|e| bad(format!("cannot read worksheet '{name}': {e}")))?;
        if range.is_empty() {
            return Err(bad(format!("worksheet '{name}' has no cell")));
        }
        (name, range)
    } else {
        let mut found = None;
        for name in &names {
            let range = book
                .worksheet_range(name)
                .map_err(|e| bad(format!("cannot read worksheet '{name}': {e}")))?;
            if !range.is_empty() {
                found = Some((name.clone(), range));
                break;
            }
        }
        found.ok_or_else(|| bad("the workbook has no visible worksheet with a cell".to_string()))?
    };
    let (text, row_at_line, cell_notes) = to_csv(path, &name, &range)?;
    let row_of = |line: u64| {
        usize::try_from(line)
            .ok()
            .and_then(|l| row_at_line.get(l))
            .copied()
            .unwrap_or(line)
    };
    let others: Vec<&String> = names.iter().filter(|n| **n != name).collect();
    let mut sheet_read =
        match super::csv_sheet::read_csv_bytes(path, text, &row_of, Some(b','), &cell_notes) {
            Ok(s) => s,
            Err(e) => {
                // The worksheet read may not be the FAQ (an "Instructions"
                // tab first): say which was read, and which others there
                // are (trial 23, finding 7).
                let crate::ErrorKind::Data { at, message } = e.kind() else {
                    return Err(e);
                };
                let which = if sheet.is_some() {
                    format!("read worksheet '{name}'")
                } else if others.is_empty() {
                    return Err(e);
                } else {
                    let headed: Vec<bool> = others
                        .iter()
                        .map(|n| has_faq_header(&mut book, n))
                        .collect();
                    let listed: Vec<String> = others
                        .iter()
                        .zip(&headed)
                        .map(|(n, h)| {
                            if *h {
                                format!("'{n}' (with a question and answer header)")
                            } else {
                                format!("'{n}'")
                            }
                        })
                        .collect();
                    let pick = others
                        .iter()
                        .zip(&headed)
                        .find(|(_, h)| **h)
                        .map_or(others[0], |(n, _)| *n);
                    format!(
                        "read worksheet '{name}' (the first visible one with a cell); the \
                         workbook also has {}: pick one with `--sheet '{pick}'`",
                        listed.join(", ")
                    )
                };
                return Err(Error::data(at.clone(), format!("{message}\n{which}")));
            }
        };
    if names.len() > 1 && sheet.is_none() {
        sheet_read.notes.insert(
            0,
            format!(
                "{}: read worksheet '{name}', the first with a cell of {} ({}); `--sheet NAME` \
                 reads another",
                path.display(),
                names.len(),
                names.join(", ")
            ),
        );
    }
    Ok(sheet_read)
}

/// Whether the first row of worksheet `name` names a question and an
/// answer column (the header of a FAQ sheet).
#[cfg(feature = "workbook")]
fn has_faq_header<R: calamine::Reader<RS>, RS: std::io::Read + std::io::Seek>(
    book: &mut R,
    name: &str,
) -> bool {
    let Ok(range) = book.worksheet_range(name) else {
        return false;
    };
    let Some(first) = range.rows().next() else {
        return false;
    };
    let cells: Vec<String> = first.iter().map(ToString::to_string).collect();
    let headers: Vec<&str> = cells.iter().map(String::as_str).collect();
    super::columns::Columns::of(&headers).is_ok_and(|c| !c.positional)
}

/// The worksheet `name`'s cells as the text of a CSV file, the worksheet
/// row (1-based) of each line of that text (`row_at_line[line]`; a cell
/// with line breaks spans several), and the notes on cells whose text is
/// not what they hold, keyed by (row, column in the range): a date, a
/// time or a duration, read as its text ([`date_text`]).
///
/// # Errors
/// A formula error (`#N/A`) in a cell, at its row.
#[cfg(feature = "workbook")]
#[allow(clippy::type_complexity)]
fn to_csv(
    path: &Path,
    name: &str,
    range: &calamine::Range<calamine::Data>,
) -> Result<(Vec<u8>, Vec<u64>, HashMap<(u64, usize), String>)> {
    use calamine::Data;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut row_at_line: Vec<u64> = vec![u64::from(first_row) + 1];
    let mut notes = HashMap::new();
    let mut text = Vec::new();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(&mut text);
    for (k, row) in range.rows().enumerate() {
        let r = u64::from(first_row) + k as u64 + 1;
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let at = || format!("cell {}{r}", column_letters(first_col as usize + c));
            let text = match cell {
                Data::Empty => String::new(),
                // A formula that failed (#N/A, #REF!) would be imported as
                // the text customers are shown.
                Data::Error(e) => {
                    return Err(Error::data(
                        format!("{}:{r}", path.display()),
                        format!(
                            "{} of worksheet '{name}' holds the formula error {e}; fix the \
                             formula or type the text",
                            at()
                        ),
                    ))
                }
                Data::DateTime(d) => {
                    let (text, what) = date_text(d);
                    notes.insert(
                        (r, c),
                        format!(
                            "{}:{r}: {} holds {what}, imported as {text}; type it as text to \
                             choose how it reads",
                            path.display(),
                            at()
                        ),
                    );
                    text
                }
                Data::DateTimeIso(t) | Data::DurationIso(t) => {
                    let what = if matches!(cell, Data::DurationIso(_)) {
                        "a duration"
                    } else {
                        "a date"
                    };
                    notes.insert(
                        (r, c),
                        format!(
                            "{}:{r}: {} holds {what}, imported as {t}; type it as text to \
                             choose how it reads",
                            path.display(),
                            at()
                        ),
                    );
                    t.clone()
                }
                other => other.to_string(),
            };
            cells.push(text);
        }
        let breaks: usize = cells.iter().map(|t| t.matches('\n').count()).sum();
        row_at_line.extend(std::iter::repeat_n(r, breaks + 1));
        w.write_record(&cells).map_err(|e| {
            Error::data(
                path.display().to_string(),
                format!("worksheet '{name}': {e}"),
            )
        })?;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    drop(w);
    Ok((text, row_at_line, notes))
}

/// A date or time cell's value as text, and what it is: `("2026-12-26",
/// "a date")`, `("09:30", "a time")`, `("2026-12-26 14:30", "a date and
/// time")`, or a duration's serial number as the workbook stores it
/// (`("1.5", "a duration")`). Excel stores a date as the days since
/// 1899-12-30 (1900 date system; 1904-01-01 in the 1904 system of old Mac
/// workbooks), a time as the fraction of a day.
#[cfg(feature = "workbook")]
fn date_text(d: &calamine::ExcelDateTime) -> (String, &'static str) {
    use calamine::{
        ExcelDateTime,
        ExcelDateTimeType::{DateTime, TimeDelta},
    };
    let v = d.as_f64();
    // calamine keeps the date system and the kind private without its
    // `dates` feature (chrono); they are found by comparing.
    let is_1904 = [DateTime, TimeDelta]
        .into_iter()
        .any(|t| *d == ExcelDateTime::new(v, t, true));
    if *d == ExcelDateTime::new(v, TimeDelta, is_1904) || !v.is_finite() || v < 0.0 {
        return (v.to_string(), "a duration");
    }
    let mut days = v.floor() as i64;
    let mut seconds = ((v - v.floor()) * 86_400.0).round() as i64;
    if seconds == 86_400 {
        days += 1;
        seconds = 0;
    }
    let time = {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        if s == 0 {
            format!("{h:02}:{m:02}")
        } else {
            format!("{h:02}:{m:02}:{s:02}")
        }
    };
    if days == 0 {
        return (time, "a time");
    }
    // Days since 1970-01-01. The 1900 system counts a 29 February 1900
    // that never was (serial 60): dates before it are one day later.
    let unix = if is_1904 {
        days - 24_107
    } else if days < 60 {
        days - 25_568
    } else {
        days - 25_569
    };
    let date = civil_date(unix);
    if seconds == 0 {
        (date, "a date")
    } else {
        (format!("{date} {time}"), "a date and time")
    }
}

/// The ISO date (`2026-12-26`) of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
#[cfg(feature = "workbook")]
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The spreadsheet name of 0-based column `c`: `A`, …, `Z`, `AA`, ….
#[cfg(feature = "workbook")]
fn column_letters(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Without the `workbook` feature: an error saying how to import the sheet.
///
/// # Errors
/// Always ([`crate::ErrorKind::Data`] at `path`).
#[cfg(not(feature = "workbook"))]
pub fn read_workbook_sheet(path: &Path, _sheet: Option<&str>) -> Result<Sheet> {
    Err(Error::data(
        path.display().to_string(),
        format!(
            "this faqbot was built without the `workbook` feature, which reads workbooks; {}",
            super::encoding::SAVE_AS_UTF8
        ),
    ))
}
