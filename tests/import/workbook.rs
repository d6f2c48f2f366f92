//! FAQ spreadsheets in workbooks (`.xlsx`, `.ods`): read as their CSV would
//! be, at the worksheet's row numbers. The fixtures are written by
//! `tests/fixtures/import/make-workbooks.py` (openpyxl, odfpy).

use super::{assert_succeeded, fixture, import_command, temp_dir};
use faqbot::import::{import_files_with_notes, Format};
use faqbot::schema::IntentDef;

/// The rows of the fixtures' "FAQ" sheet, as (id, examples, answer, popularity).
fn expected() -> Vec<(&'static str, Vec<&'static str>, &'static str, u64)> {
    vec![
        (
            "do_you_have_parking",
            vec!["Do you have parking?", "Where can I leave my car?"],
            "Yes: 20 free spaces behind the building.",
            120,
        ),
        (
            "when_are_you_open",
            vec!["When are you open?", "Opening hours"],
            "Monday to Friday, 9:00 to 17:30.\nClosed on bank holidays.",
            80,
        ),
        (
            "can_i_pay_by_card",
            vec!["Can I pay by card?"],
            "All major cards, and Apple Pay.",
            45,
        ),
    ]
}

fn shape(intents: &[IntentDef]) -> Vec<(&str, Vec<&str>, &str, u64)> {
    intents
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.examples.iter().map(String::as_str).collect(),
                d.answer.as_str(),
                d.popularity,
            )
        })
        .collect()
}

#[test]
fn an_xlsx_workbook_imports_its_first_worksheet_with_a_cell() {
    let path = fixture("faq.xlsx");
    assert_eq!(Format::of_path(&path), Format::Workbook);
    let got = import_files_with_notes(&[path], None).unwrap();
    assert_eq!(shape(&got.intents), expected());
    // The sheet is "FAQ" (the empty "Cover" comes first); row 1 is empty,
    // the header on row 2, the row without an answer on row 5, after a
    // row whose answer has a line break.
    assert_eq!(got.left_out.len(), 1);
    assert_eq!(got.left_out[0].line, 5);
    assert_eq!(got.left_out[0].question, "Do you deliver?");
    assert!(
        got.notes
            .iter()
            .any(|n| n
                .contains("read worksheet 'FAQ', the first with a cell of 3 (Cover, FAQ, Notes)")),
        "{:?}",
        got.notes
    );
}

#[test]
fn an_ods_workbook_imports_like_the_xlsx() {
    let got = import_files_with_notes(&[fixture("faq.ods")], None).unwrap();
    assert_eq!(shape(&got.intents), expected());
    // Its sheet starts on row 1: the unfinished row is row 4.
    assert_eq!(got.left_out[0].line, 4);
    assert!(got.notes.is_empty(), "{:?}", got.notes);
}

#[test]
fn a_damaged_workbook_or_a_workbook_named_csv_is_a_clear_error() {
    let dir = temp_dir("workbooks");
    std::fs::create_dir_all(&dir).unwrap();
    // A zip header and nothing else, as an .xlsx.
    let broken = dir.join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not really a workbook").unwrap();
    let out = import_command(&broken, dir.join("out1")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.xlsx") && err.contains("cannot read this workbook"),
        "{err}"
    );
    assert!(err.contains("CSV UTF-8"), "{err}");
    // A real workbook saved under a .csv name: told to name it .xlsx.
    let misnamed = dir.join("faq.csv");
    std::fs::copy(fixture("faq.xlsx"), &misnamed).unwrap();
    let out = import_command(&misnamed, dir.join("out2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("faq.csv:1") && err.contains("`faq.xlsx`"),
        "{err}"
    );
    // ... which `--format workbook` reads as what it is.
    let out = import_command(&misnamed, dir.join("out3"))
        .args(["--format", "workbook"])
        .output()
        .unwrap();
    assert_succeeded(&out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hidden_sheets_are_passed_over_and_semicolons_in_cells_are_text() {
    // tricky.xlsx: a hidden lookup sheet first, then "FAQ" whose answer
    // header and answer have semicolons (a workbook's cells are never split).
    let got = import_files_with_notes(&[fixture("tricky.xlsx")], None).unwrap();
    assert_eq!(got.intents.len(), 1, "{:?}", got.notes);
    assert_eq!(
        got.intents[0].answer,
        "Yes: 20 free spaces; ask at the desk."
    );
    assert!(
        got.notes.iter().all(|n| !n.contains("separated")),
        "{:?}",
        got.notes
    );
}

#[test]
fn a_formula_error_stops_the_import_at_its_cell() {
    let err = import_files_with_notes(&[fixture("error.xlsx")], None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("error.xlsx:3") && msg.contains("cell B3") && msg.contains("#N/A"),
        "{msg}"
    );
}

#[test]
fn an_old_xls_named_csv_is_told_to_take_its_extension() {
    let dir = temp_dir("xls-as-csv");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("faq.csv");
    // The OLE compound-file header of .xls workbooks, then binary.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend([0u8; 64]);
    std::fs::write(&path, bytes).unwrap();
    let out = import_command(&path, dir.join("out")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(.xls)") && err.contains("`faq.xls`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Cells typed as dates and times are imported as their ISO text, not as
/// the serial number the workbook stores ("46382"), each named in a note;
/// a date in a column that is not read is not (trial 23, finding 7).
#[test]
fn dates_and_times_are_imported_as_iso_text_with_a_note() {
    let got = import_files_with_notes(&[fixture("dates.xlsx")], None).unwrap();
    let answer = |id: &str| {
        got.intents
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.answer.clone())
    };
    assert_eq!(answer("when_is_the_sale").as_deref(), Some("2026-12-26"));
    assert_eq!(
        answer("when_does_the_sale_end").as_deref(),
        Some("2027-01-02 17:00")
    );
    let open = got
        .intents
        .iter()
        .find(|d| d.id == "when_do_you_open")
        .unwrap();
    assert_eq!(open.examples, ["When do you open?", "09:30"]);
    let notes: Vec<&str> = got
        .notes
        .iter()
        .map(String::as_str)
        .filter(|n| n.contains("cell"))
        .collect();
    let path = fixture("dates.xlsx");
    let at = |row: u32| format!("{}:{row}: ", path.display());
    assert_eq!(
        notes,
        [
            format!(
                "{}cell B3 holds a date, imported as 2026-12-26; type it as text to choose how it reads",
                at(3)
            ),
            format!(
                "{}cell C4 holds a time, imported as 09:30; type it as text to choose how it reads",
                at(4)
            ),
            format!(
                "{}cell B5 holds a date and time, imported as 2027-01-02 17:00; type it as text to choose how it reads",
                at(5)
            ),
        ]
    );
    // OpenDocument stores the date as ISO text already.
    let got = import_files_with_notes(&[fixture("dates.ods")], None).unwrap();
    assert_eq!(got.intents[0].answer, "2026-12-26");
    assert!(
        got.notes
            .iter()
            .any(|n| n.ends_with(":2: cell B2 holds a date, imported as 2026-12-26; type it as text to choose how it reads")),
        "{:?}",
        got.notes
    );
}

/// A workbook whose first sheet is not the FAQ: the error names the
/// worksheet read and the others, and `--sheet NAME` reads the FAQ
/// (trial 23, finding 7).
#[test]
fn the_worksheet_read_is_named_and_sheet_picks_another() {
    let dir = temp_dir("sheet");
    let book = fixture("instructions.xlsx");
    let out = import_command(&book, dir.join("out1")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "instructions.xlsx:1: no answer column",
        "read worksheet 'Instructions' (the first visible one with a cell); the workbook also \
         has 'FAQ' (with a question and answer header), 'Notes': pick one with `--sheet 'FAQ'`",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // Named exactly or in another case.
    for name in ["FAQ", "faq"] {
        let out = import_command(&book, dir.join(format!("out-{name}")))
            .args(["--sheet", name])
            .output()
            .unwrap();
        assert_succeeded(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("1 intents, 1 examples"), "{stdout}");
        // No note on which worksheet was read: the one named.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("read worksheet"), "{err}");
    }
    // A name the workbook does not have lists those it has.
    let out = import_command(&book, dir.join("out2"))
        .args(["--sheet", "Questions"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the workbook has no worksheet named 'Questions'; its worksheets: 'Instructions', 'FAQ', 'Notes'"
        ),
        "{err}"
    );
    // The worksheet named, and still no header: said which it was.
    let out = import_command(&book, dir.join("out3"))
        .args(["--sheet", "Notes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no answer column") && err.contains("read worksheet 'Notes'"),
        "{err}"
    );
    // A CSV file has no worksheets.
    let out = import_command(fixture("faq.csv"), dir.join("out4"))
        .args(["--sheet", "FAQ"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("faq.csv") && err.contains("`--sheet FAQ` picks a worksheet of a workbook"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
