//! FAQ spreadsheets in workbooks: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and
//! `.ods`, read with calamine (feature `workbook`, in the `faqbot`
//! binary).
//!
//! The first visible worksheet that has a cell is the sheet (a note names
//! it when the workbook has several; hidden sheets and chart sheets are
//! passed over). Its cells become the text of a CSV file,
//! which [`super::read_csv`] then reads exactly as a sheet saved as CSV: the same
//! header names, notes and checks, and places that are the worksheet's row
//! numbers (`faq.xlsx:7` is row 7). A cell's text is what the workbook
//! holds (a number as a number, `12.5`; a date as its serial number unless
//! the cell holds text); a formula's cached value is read, never the
//! formula, and a formula error (`#N/A`) stops the import at its cell.

use super::csv_sheet::Sheet;
use crate::error::{Error, Result};
use std::path::Path;

/// The extensions read as workbooks (lower case).
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook by its extension (any case).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

/// Reads the FAQ sheet of the workbook at `path` (see the module doc).
///
/// # Errors
/// [`crate::ErrorKind::Data`] at `path` when the file is not a workbook
/// calamine can read (damaged, password-protected, another format) or has
/// no worksheet with a cell; then every error of [`super::read_csv`], at the
/// worksheet's row numbers. Without the `workbook` feature, every
/// workbook is such an error, saying to save the sheet as CSV UTF-8.
#[cfg(feature = "workbook")]
pub fn read_workbook(path: &Path) -> Result<Sheet> {
    use calamine::{open_workbook_auto, Data, Reader, SheetType, SheetVisible};
    let bad = |msg: String| Error::data(path.display().to_string(), msg);
    let mut book = open_workbook_auto(path).map_err(|e| {
        bad(format!(
            "cannot read this workbook ({e}); {} (a file that is CSV already imports without \
             `--format workbook`)",
            super::encoding::SAVE_AS_UTF8
        ))
    })?;
    // Hidden sheets (lookup tables) and chart sheets are not the FAQ.
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
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
    let Some((name, range)) = found else {
        return Err(bad(
            "the workbook has no visible worksheet with a cell".to_string()
        ));
    };
    // The CSV text's line where each record starts → its worksheet row
    // (1-based; the range may start below row 1, and a cell with line
    // breaks spans several lines of CSV).
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut row_at_line: Vec<u64> = vec![u64::from(first_row) + 1];
    for (k, row) in range.rows().enumerate() {
        let breaks: usize = row
            .iter()
            .map(|c| match c {
                Data::String(t) => t.matches('\n').count(),
                _ => 0,
            })
            .sum();
        let r = u64::from(first_row) + k as u64 + 1;
        row_at_line.extend(std::iter::repeat_n(r, breaks + 1));
        // A formula that failed (#N/A, #REF!) would be imported as the
        // text customers are shown.
        if let Some((c, Data::Error(e))) = row
            .iter()
            .enumerate()
            .find(|(_, c)| matches!(c, Data::Error(_)))
        {
            let (_, first_col) = range.start().unwrap_or((0, 0));
            return Err(Error::data(
                format!("{}:{r}", path.display()),
                format!(
                    "cell {}{r} of worksheet '{name}' holds the formula error {e}; fix the formula \
                     or type the text",
                    column_letters(first_col as usize + c)
                ),
            ));
        }
    }
    let mut text = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(&mut text);
        for row in range.rows() {
            let cells = row.iter().map(|c| match c {
                Data::Empty => String::new(),
                other => other.to_string(),
            });
            w.write_record(cells)
                .map_err(|e| bad(format!("worksheet '{name}': {e}")))?;
        }
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    let row_of = |line: u64| {
        usize::try_from(line)
            .ok()
            .and_then(|l| row_at_line.get(l))
            .copied()
            .unwrap_or(line)
    };
    let mut sheet = super::csv_sheet::read_csv_bytes(path, text, &row_of, Some(b','))?;
    if names.len() > 1 {
        sheet.notes.insert(
            0,
            format!(
                "{}: read worksheet '{name}', the first with a cell of {} ({})",
                path.display(),
                names.len(),
                names.join(", ")
            ),
        );
    }
    Ok(sheet)
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
pub fn read_workbook(path: &Path) -> Result<Sheet> {
    Err(Error::data(
        path.display().to_string(),
        format!(
            "this faqbot was built without the `workbook` feature, which reads workbooks; {}",
            super::encoding::SAVE_AS_UTF8
        ),
    ))
}
