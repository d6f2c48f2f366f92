//! `faqbot import`: JSONL and CSV sources, ids, quoting, determinism and
//! the round trip import → write → load → same intents.

use faqbot::import::{
    from_csv, from_jsonl, import_files, is_as_imported, read_csv, to_ron, write_dir, LeftOut,
    IMPORT_HASH, OUT_OF_SCOPE_ID,
};
use faqbot::schema::IntentKind;
use faqbot::{ErrorKind, KnowledgeBase};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faqbot-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn jsonl_labels_become_intents_with_slugged_ids() {
    let path = fixture("labelled.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let intents = from_jsonl(&path, text.as_bytes()).unwrap();
    let ids: Vec<&str> = intents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["make_update", OUT_OF_SCOPE_ID, "setup_printer"]);
    let printer = &intents[2];
    assert_eq!(printer.title, "Setup Printer");
    // File order, exact duplicate dropped.
    assert_eq!(
        printer.examples,
        ["my printer does not print", "install a printer driver"]
    );
    assert!(
        printer.answer.contains("Setup Printer"),
        "{}",
        printer.answer
    );
    assert_eq!(printer.kind, IntentKind::Faq);
    assert_eq!(intents[1].kind, IntentKind::OutOfScope);
    assert_eq!(intents[1].examples, ["record my screen"]);
}

#[test]
fn csv_quoting_commas_quotes_and_newlines() {
    let path = fixture("faq.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let intents = from_csv(&path, text.as_bytes()).unwrap();
    assert_eq!(intents.len(), 4, "one intent per row");
    let pin = &intents[0];
    assert_eq!(pin.id, "how_do_i_reset_my_pin");
    assert_eq!(pin.title, "How do I reset my PIN?");
    assert_eq!(pin.answer, "Log out, log in again and choose a new PIN.");
    assert_eq!(
        pin.examples,
        [
            "How do I reset my PIN?",
            "forgot my pin",
            "pin reset, please"
        ]
    );
    let pay = &intents[1];
    assert_eq!(pay.title, "Can I pay by card, cash or \"voucher\"?");
    assert_eq!(pay.id, "can_i_pay_by_card_cash_or_voucher");
    assert_eq!(
        pay.answer,
        "Card and cash: yes.\nVouchers: only in the shop."
    );
    assert_eq!(pay.examples.len(), 1, "empty alternates are ignored");
    let hours = &intents[2];
    assert_eq!(hours.title, "What are your\nopening hours?");
    assert_eq!(hours.id, "what_are_your_opening_hours");
    assert_eq!(hours.examples[1], "when are you open");
    assert_eq!(
        intents[3].id, "how_do_i_reset_my_pin_2",
        "colliding ids get a suffix"
    );
}

/// `id` and `popularity` columns are found by their header, wherever they
/// are; the other columns stay question, answer, alternates.
#[test]
fn csv_id_and_popularity_columns_are_read_by_name() {
    let path = Path::new("named.csv");
    let text = "Popularity,Question,Answer,ID,Alt\n\
                5,Who do I call after hours?,Ring 555-0100.,after_hours,out of office phone\n\
                ,Guest wifi?,Yes: Northwind-Guest.,,wifi for visitors\n\
                12,VPN access?,Ask IT.,Guest Wifi,\n";
    let intents = from_csv(path, text.as_bytes()).unwrap();
    let got: Vec<(&str, &str, u64, usize)> = intents
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.answer.as_str(),
                d.popularity,
                d.examples.len(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("after_hours", "Ring 555-0100.", 5, 2),
            // Made from the question, it gives way to the id row 3 names.
            ("guest_wifi_2", "Yes: Northwind-Guest.", 0, 2),
            ("guest_wifi", "Ask IT.", 12, 1),
        ]
    );
    let bad = "id,question,answer,popularity\nx,Q one?,A.,many\nx,Q two?,B.,1\n";
    let msg = from_csv(path, bad.as_bytes()).unwrap_err().to_string();
    assert!(
        msg.contains("named.csv:2") && msg.contains("not a whole number"),
        "{msg}"
    );
    let twice = "id,question,answer\nx,Q one?,A.\nx,Q two?,B.\n";
    let msg = from_csv(path, twice.as_bytes()).unwrap_err().to_string();
    assert!(
        msg.contains("named.csv:3") && msg.contains("given to two rows"),
        "{msg}"
    );
}

/// Question and answer are found by their header, wherever they are: a
/// sheet whose answer column comes first is not read with its answers as
/// questions (trial 20, finding 1a).
#[test]
fn csv_answer_column_first() {
    let text = "answer,question,alt1,alt2\n\
                \"From £35, depending on size.\",How much does a groom cost?,price of a groom,\n\
                Collect at 4pm.,When can I pick up my dog?,,pick up time\n";
    let sheet = read_csv(Path::new("h3.csv"), text.as_bytes()).unwrap();
    let got: Vec<(&str, &str, Vec<&str>)> = sheet
        .intents
        .iter()
        .map(|d| {
            let ex = d.examples.iter().map(String::as_str).collect();
            (d.title.as_str(), d.answer.as_str(), ex)
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "How much does a groom cost?",
                "From £35, depending on size.",
                vec!["How much does a groom cost?", "price of a groom"]
            ),
            (
                "When can I pick up my dog?",
                "Collect at 4pm.",
                vec!["When can I pick up my dog?", "pick up time"]
            ),
        ]
    );
    assert!(sheet.notes.is_empty(), "{:?}", sheet.notes);
}

/// Columns the importer does not know ("category", "notes") are not read
/// as phrasings; a note names them (trial 20, finding 1b).
#[test]
fn csv_category_and_notes_columns_are_not_phrasings() {
    let text = "question,answer,category,notes,alternate 1,Owner,Last updated\n\
                Where can I park?,Two free spaces outside.,Visiting,check with Sue,Is there parking?,Sue,2026-05-01\n\
                Do you groom cats?,\"Sorry, dogs only.\",Services,,Can I bring my cat?\n";
    let sheet = read_csv(Path::new("cat.csv"), text.as_bytes()).unwrap();
    let examples: Vec<&[String]> = sheet.intents.iter().map(|d| &d.examples[..]).collect();
    assert_eq!(
        examples,
        [
            &["Where can I park?".to_string(), "Is there parking?".into()][..],
            &[
                "Do you groom cats?".to_string(),
                "Can I bring my cat?".into()
            ][..],
        ]
    );
    assert_eq!(
        sheet.notes,
        [
            "cat.csv:1: ignored columns: category, notes, Owner, Last updated — rename a column \
          `alternate …` to use it as phrasings"
        ]
    );
}

/// Header variants a spreadsheet owner writes: `Q`/`A`, `FAQ`/`Reply`,
/// `Other ways to ask`, an unlabelled column, a second question column.
#[test]
fn csv_header_variants_are_recognised() {
    for header in [
        "Q,A,Other ways to ask,",
        "FAQ,Our reply,Alt,Alt",
        "Question,Response,Question 2,Synonyms",
        " QUESTION , Answer ,Alternate #1,Also asked as",
    ] {
        let text = format!("{header}\nOpen?,9 to 5.,opening hours,when do you open\n");
        let sheet = read_csv(Path::new("v.csv"), text.as_bytes()).unwrap();
        let d = &sheet.intents[0];
        assert_eq!(
            (d.title.as_str(), d.answer.as_str(), d.examples.len()),
            ("Open?", "9 to 5.", 3),
            "{header}"
        );
        assert!(sheet.notes.is_empty(), "{header}: {:?}", sheet.notes);
    }
    // Named columns that do not say which is which are an error that
    // says what to rename, not a guess.
    for (header, want) in [
        ("question,text,notes", "no answer column"),
        ("Reply,Customer said", "no question column"),
    ] {
        let msg = from_csv(Path::new("n.csv"), format!("{header}\nx,y\n").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("n.csv:1") && msg.contains(want), "{msg}");
    }
}

/// A header that names neither a question nor an answer column (another
/// language, or a sheet whose first line is a row) is read by position
/// as before, with a note saying so.
#[test]
fn csv_without_known_headers_is_read_by_position() {
    let text = "Frage,Antwort,Andere\nGeöffnet?,Von 9 bis 17 Uhr.,Öffnungszeiten\n";
    let sheet = read_csv(Path::new("de.csv"), text.as_bytes()).unwrap();
    let d = &sheet.intents[0];
    assert_eq!(d.title, "Geöffnet?");
    assert_eq!(d.answer, "Von 9 bis 17 Uhr.");
    assert_eq!(d.examples, ["Geöffnet?", "Öffnungszeiten"]);
    assert_eq!(sheet.notes.len(), 1, "{:?}", sheet.notes);
    assert!(
        sheet.notes[0].starts_with("de.csv:1: the header names no question or answer column (Frage, Antwort, Andere); the columns are read by position"),
        "{}",
        sheet.notes[0]
    );
}

/// `faqbot import` prints the sheet's notes on stderr, and the unknown
/// column does not reach the knowledge base.
#[test]
fn import_command_names_ignored_columns_on_stderr() {
    let dir = temp_dir("ignored");
    let sheet = dir.with_extension("csv");
    std::fs::write(
        &sheet,
        "question,answer,category,alternate 1\nWhere can I park?,Outside.,Visiting,parking\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("import")
        .arg(&sheet)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("ignored columns: category — rename a column `alternate …`"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(dir.join("intents.ron")).unwrap();
    assert!(!written.contains("Visiting"), "{written}");
    let _ = std::fs::remove_file(&sheet);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two most common Excel exports besides CSV UTF-8 import, each with
/// a note: Windows-1252 text (`£` is the byte 0xA3) and fields separated
/// by `;` (trial 20, finding 11).
#[test]
fn csv_in_windows_1252_or_with_semicolons_imports_with_a_note() {
    let cp1252 = b"question,answer\nHow much is a groom?,From \xA335 \x96 ask Sue.\n";
    let sheet = read_csv(Path::new("cp.csv"), &cp1252[..]).unwrap();
    assert_eq!(sheet.intents[0].answer, "From £35 – ask Sue.");
    assert_eq!(sheet.notes.len(), 1, "{:?}", sheet.notes);
    assert!(
        sheet.notes[0]
            .starts_with("cp.csv: line 2 is not UTF-8: the sheet was read as Windows-1252")
            && sheet.notes[0].contains("CSV UTF-8"),
        "{}",
        sheet.notes[0]
    );
    let semi = "question;answer;alternate 1\r\nHow much is a groom?;From £35, or £45.;price\r\n";
    let sheet = read_csv(Path::new("semi.csv"), semi.as_bytes()).unwrap();
    let d = &sheet.intents[0];
    assert_eq!(d.answer, "From £35, or £45.");
    assert_eq!(d.examples, ["How much is a groom?", "price"]);
    assert_eq!(
        sheet.notes,
        ["semi.csv:1: the fields are separated by `;` (read from the header line)"]
    );
    let tabs = "question\tanswer\nOpen?\t9 to 5.\n";
    let sheet = read_csv(Path::new("t.csv"), tabs.as_bytes()).unwrap();
    assert_eq!(sheet.intents[0].answer, "9 to 5.");
    // What cannot be read says how to save it.
    let msg = from_csv(Path::new("u16.csv"), &b"\xFF\xFEq\0,\0"[..])
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("u16.csv:1")
            && msg.contains("UTF-16")
            && msg.contains("File → Save As → CSV UTF-8"),
        "{msg}"
    );
}

#[test]
fn a_question_twice_in_a_sheet_gets_a_note() {
    let dir = temp_dir("twice");
    let sheet = dir.with_extension("csv");
    std::fs::write(
        &sheet,
        "question,answer\nVPN access?,Ask IT.\nvpn access?,Use the portal.\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("import")
        .arg(&sheet)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("`vpn_access_2` has the same question as `vpn_access`"),
        "{stdout}"
    );
    let _ = std::fs::remove_file(&sheet);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A sheet still being written: a row without an answer (or without a
/// question) is left out and named with its line; empty rows are skipped
/// without a note; the finished rows are imported.
#[test]
fn unfinished_rows_are_left_out_with_their_line() {
    let path = fixture("unfinished.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let sheet = read_csv(&path, text.as_bytes()).unwrap();
    let ids: Vec<&str> = sheet.intents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "when_are_you_open",
            "where_do_i_park",
            "how_do_i_return_an_item"
        ]
    );
    let notes: Vec<String> = sheet
        .left_out
        .iter()
        .map(|r| {
            r.to_string()
                .replace(&path.display().to_string(), "unfinished.csv")
        })
        .collect();
    // Line numbers count the header, the quoted two-line answer and the
    // blank line.
    assert_eq!(
        notes,
        [
            "unfinished.csv:7: \"Do you open on bank holidays?\" has no answer yet; left out",
            "unfinished.csv:8: an answer without a question (\"Yes, gift cards are sold at the till.\"); left out",
        ]
    );
    assert_eq!(from_csv(&path, text.as_bytes()).unwrap(), sheet.intents);
    assert_eq!(import_files(&[path], None).unwrap(), sheet.intents);
    // A row with only an id is unfinished too; a long question is cut.
    let long = format!(
        "id,question,answer\nlater,,\n,{},\n,Q?,A.\n",
        "word ".repeat(30)
    );
    let sheet = read_csv(Path::new("s.csv"), long.as_bytes()).unwrap();
    let notes: Vec<String> = sheet.left_out.iter().map(LeftOut::to_string).collect();
    assert_eq!(
        notes[0],
        "s.csv:2: a row without a question or an answer; left out"
    );
    assert!(notes[1].starts_with("s.csv:3: \"word word"), "{}", notes[1]);
    assert!(
        notes[1].ends_with("word…\" has no answer yet; left out"),
        "{}",
        notes[1]
    );
}

/// Errors stay errors: a header without an answer column, and a sheet
/// where no row is finished (a sheet in the wrong layout).
#[test]
fn a_sheet_without_answers_is_still_an_error() {
    let path = Path::new("one.csv");
    let msg = from_csv(path, "question\nWhen are you open?\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("one.csv:1") && msg.contains("no answer column"),
        "{msg}"
    );
    let msg = from_csv(path, "id,question\nx,Open?\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("one.csv:1") && msg.contains("no answer column"),
        "{msg}"
    );
    let msg = from_csv(path, "question,answer\nOpen?,\nClosed?,\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("one.csv:2")
            && msg.contains("no row has both a question")
            && msg.contains("\"Open?\" has no answer yet (and 1 more rows like it)"),
        "{msg}"
    );
}

/// `faqbot import` of a sheet with an unfinished row: exit 0, the note
/// names the row, and the finished rows answer.
#[test]
fn import_command_notes_unfinished_rows_and_goes_on() {
    let dir = temp_dir("unfinished");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("import")
        .arg(fixture("unfinished.csv"))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 intents"), "{stdout}");
    assert!(
        stdout.contains(
            "unfinished.csv:7: \"Do you open on bank holidays?\" has no answer yet; left out"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("2 rows left out"), "{stdout}");
    let ask = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--intents")
        .arg(&dir)
        .args(["ask", "where can I park"])
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&ask.stdout);
    assert!(
        ask.status.success() && answer.contains("car park behind the shop"),
        "{answer}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_input_is_an_error_naming_the_line() {
    let path = fixture("bad.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let err = from_jsonl(&path, text.as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Data { .. }));
    let msg = err.to_string();
    assert!(msg.contains("bad.jsonl:2:"), "{msg}");
    assert!(msg.contains("1 more"), "{msg}");

    let path = fixture("bad.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // No row of it is finished: an error naming the first.
    let msg = from_csv(&path, text.as_bytes()).unwrap_err().to_string();
    assert!(
        msg.contains("bad.csv:2")
            && msg.contains("an answer without a question")
            && msg.contains("1 more"),
        "{msg}"
    );
}

#[test]
fn round_trip_and_deterministic_output() {
    let files = [fixture("labelled.jsonl"), fixture("faq.csv")];
    let intents = import_files(&files, None).unwrap();
    let dir = temp_dir("roundtrip");
    write_dir(&dir, &intents, "test", false).unwrap();
    let first = std::fs::read_to_string(dir.join("intents.ron")).unwrap();

    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let mut sorted = intents.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(kb.intents, sorted, "import -> load gives the same intents");

    // A second import writes the same bytes; without --force it refuses.
    assert!(write_dir(&dir, &intents, "test", false).is_err());
    write_dir(&dir, &import_files(&files, None).unwrap(), "test", true).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("intents.ron")).unwrap(),
        first
    );
    // The file is to_ron's text and the line of its hash.
    let hash_line = first
        .lines()
        .find(|l| l.starts_with(IMPORT_HASH))
        .expect("an import-hash line");
    assert_eq!(
        first.replace(&format!("{hash_line}\n"), ""),
        to_ron(&intents, "test").unwrap()
    );
    assert_eq!(is_as_imported(&first), Some(true));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `import --force` over an `intents.ron` edited by hand keeps the edited
/// file as `intents.ron.bak` (then `.bak.2`) and says so on stderr; over
/// one that is as imported it keeps nothing (trial 20, finding 4).
#[test]
fn a_forced_reimport_keeps_a_copy_of_an_edited_intents_file() {
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("edited");
    let import = |force: bool| {
        let mut c = std::process::Command::new(bin);
        c.arg("import")
            .arg(fixture("bakery.csv"))
            .arg("--out")
            .arg(&dir);
        if force {
            c.arg("--force");
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    import(false);
    let path = dir.join("intents.ron");
    let imported = std::fs::read_to_string(&path).unwrap();
    assert!(
        imported.contains("`faqbot import --force` rewrites this file")
            && imported.contains("another .ron file of this directory"),
        "{imported}"
    );
    // Not edited: replaced without a copy.
    let err = import(true);
    assert!(!err.contains(".bak"), "{err}");
    assert!(!dir.join("intents.ron.bak").exists());
    // Edited: the edit survives in the copy.
    let edited = imported.replacen(
        "examples: [",
        "examples: [\n            \"hand-written\",",
        1,
    );
    assert_eq!(is_as_imported(&edited), Some(false));
    std::fs::write(&path, &edited).unwrap();
    let err = import(true);
    assert!(
        err.contains("was edited since the last import") && err.contains("intents.ron.bak"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("intents.ron.bak")).unwrap(),
        edited
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), imported);
    // Again: the first copy stays, the second is numbered; the copies are
    // not .ron files, so the knowledge base loads without them.
    std::fs::write(&path, &edited).unwrap();
    let err = import(true);
    assert!(err.contains("intents.ron.bak.2"), "{err}");
    assert!(dir.join("intents.ron.bak").exists());
    // A file without the hash line (hand-written, or an older import) is
    // kept too.
    let old: String = imported
        .lines()
        .filter(|l| !l.starts_with(IMPORT_HASH))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("Answers are placeholders", "Answers are Placeholders");
    assert_eq!(is_as_imported(&old), None);
    std::fs::write(&path, &old).unwrap();
    let err = import(true);
    assert!(
        err.contains("no import-hash line") && err.contains("intents.ron.bak.3"),
        "{err}"
    );
    KnowledgeBase::load_dir(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_forced_reimport_keeps_the_teams_settings() {
    // A help desk tunes bot.ron (threshold, texts), then re-imports its
    // updated spreadsheet with --force: the settings must survive.
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("reimport");
    let import = |force: bool| {
        let mut c = std::process::Command::new(bin);
        c.arg("import")
            .arg(fixture("bakery.csv"))
            .arg("--out")
            .arg(&dir);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let first = import(false);
    let first_out = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{first_out}");
    // A fresh spreadsheet import points at the generic texts to edit.
    assert!(
        first_out.contains("next: edit") && first_out.contains("handoff"),
        "{first_out}"
    );
    let settings = dir.join("bot.ron");
    let tuned = std::fs::read_to_string(&settings)
        .unwrap()
        .replace("threshold: 0.65", "threshold: 0.5");
    assert!(tuned.contains("threshold: 0.5"), "{tuned}");
    std::fs::write(&settings, &tuned).unwrap();
    let again = import(true);
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{out}");
    assert!(out.contains("kept") && out.contains("bot.ron"), "{out}");
    // The team's own settings get no "edit the defaults" hint.
    assert!(!out.contains("next: edit"), "{out}");
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), tuned);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_thinly_phrased_sheet_points_at_the_semantic_stage() {
    // A sheet whose rows have one or two phrasings is where the sentence
    // model helps most: the import says so, and how to turn it on, unless
    // a model directory is already configured in a build with the stage.
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("semantic-hint");
    let sheet =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheet-gym/faq.csv");
    let import = |model: Option<&str>| {
        let mut c = std::process::Command::new(bin);
        c.env_remove("FAQBOT_SEMANTIC_MODEL")
            .arg("import")
            .arg(&sheet)
            .arg("--out")
            .arg(&dir)
            .arg("--force");
        if let Some(m) = model {
            c.arg("--semantic-model").arg(m);
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plain = import(None);
    // The same note, count and words as `faqbot check`'s.
    assert!(
        plain.contains("FAQ intents have fewer than 4 phrasings (title and examples"),
        "{plain}"
    );
    assert!(plain.contains("next: faqbot check --intents"), "{plain}");
    assert!(
        plain.contains("semantic stage") && plain.contains("docs/semantic.md"),
        "{plain}"
    );
    let how = if faqbot::semantic::BUILT {
        "scripts/get-semantic-model.sh"
    } else {
        "--features semantic"
    };
    assert!(plain.contains(how), "{plain}");
    let configured = import(Some("/nonexistent/model"));
    assert_eq!(
        configured.contains("semantic stage"),
        !faqbot::semantic::BUILT,
        "{configured}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_directory_with_foreign_ron_files_needs_force() {
    let dir = temp_dir("foreign");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("other.ron"), "[]").unwrap();
    let intents = import_files(&[fixture("labelled.jsonl")], None).unwrap();
    let msg = write_dir(&dir, &intents, "x", false)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("other.ron") && msg.contains("--force"),
        "{msg}"
    );
    assert!(!dir.join("intents.ron").exists());
    // With --force the team's own file stays beside the import.
    write_dir(&dir, &intents, "x", true).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("other.ron")).unwrap(),
        "[]"
    );
    assert!(dir.join("intents.ron").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A team whose knowledge base grew beyond its spreadsheet (edited small
/// talk, a file of intents of its own) imports the edited sheet again:
/// only `intents.ron` changes; and when the new sheet would break one of
/// the team's files, nothing changes at all.
#[test]
fn a_forced_reimport_keeps_the_teams_own_files_or_changes_nothing() {
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("grown");
    let import = |sheet: &Path, force: bool| {
        let mut c = std::process::Command::new(bin);
        c.arg("import")
            .arg(sheet)
            .arg("--small-talk")
            .arg("--out")
            .arg(&dir);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    assert!(import(&fixture("bakery.csv"), false).status.success());
    let smalltalk = dir.join("smalltalk.ron");
    let edited = std::fs::read_to_string(&smalltalk).unwrap().replacen(
        "answer: \"",
        "answer: \"Welcome to the bakery! ",
        1,
    );
    std::fs::write(&smalltalk, &edited).unwrap();
    let own = "[(id: \"our_story\", examples: [\"how long has the bakery existed\"], \
               answer: \"Since 1998.\", follow_ups: [\"do_you_deliver\"])]";
    std::fs::write(dir.join("story.ron"), own).unwrap();

    let again = import(&fixture("bakery.csv"), true);
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(out.contains("kept") && out.contains("story.ron"), "{out}");
    assert!(out.contains("smalltalk.ron (your small talk)"), "{out}");
    assert_eq!(std::fs::read_to_string(&smalltalk).unwrap(), edited);
    assert_eq!(std::fs::read_to_string(dir.join("story.ron")).unwrap(), own);
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    assert!(kb.intents.iter().any(|d| d.id == "our_story"));

    // The edited sheet drops the row the team's intent points to.
    let sheet = dir.with_extension("csv");
    let rows: String = std::fs::read_to_string(fixture("bakery.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("Do you deliver?"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&sheet, rows).unwrap();
    let before = std::fs::read(dir.join("intents.ron")).unwrap();
    let broken = import(&sheet, true);
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(!broken.status.success(), "{err}");
    assert!(
        err.contains("nothing changed") && err.contains("unknown-follow-up"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("intents.ron")).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&smalltalk).unwrap(), edited);
    let _ = std::fs::remove_file(&sheet);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_imports_then_evaluates() {
    let dir = temp_dir("cli");
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let out = std::process::Command::new(bin)
        .arg("import")
        .arg(fixture("labelled.jsonl"))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 intents, 5 examples"));

    let out = std::process::Command::new(bin)
        .args(["eval", "--json", "--intents"])
        .arg(&dir)
        .arg(fixture("labelled.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Every line is an example of its own intent.
    assert_eq!(report["accuracy"], 1.0);
    assert_eq!(report["lines"], 6);
    assert_eq!(report["out_of_scope"], 1);
    assert_eq!(report["sweep"].as_array().unwrap().len(), 101);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A FAQ spreadsheet's knowledge base answers "hello", "thanks" and "bye"
/// with the small talk `faqbot import --small-talk` writes next to the rows, and the
/// rows still answer their questions (tests/fixtures/import/bakery_conversations.ron,
/// run by `faqbot test`). Labelled utterances get no small talk.
#[test]
fn csv_import_writes_small_talk_that_answers_greetings() {
    let dir = temp_dir("smalltalk");
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let out = std::process::Command::new(bin)
        .arg("import")
        .arg(fixture("bakery.csv"))
        .arg("--out")
        .arg(&dir)
        .arg("--small-talk")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("smalltalk.ron"), "{stdout}");
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let small_talk: Vec<&str> = kb
        .intents
        .iter()
        .filter(|d| d.kind == IntentKind::SmallTalk)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(small_talk, ["goodbye", "greeting", "thanks"]);
    let out = std::process::Command::new(bin)
        .arg("test")
        .arg("--intents")
        .arg(&dir)
        .arg(fixture("bakery_conversations.ron"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("9 passed, 0 failed"), "{report}");
    // Importing again with --force succeeds (and keeps the small talk).
    let again = std::process::Command::new(bin)
        .arg("import")
        .arg(fixture("bakery.csv"))
        .arg("--out")
        .arg(&dir)
        .arg("--force")
        .arg("--small-talk")
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // Without --small-talk, a spreadsheet gets none (and is told how).
    let plain = temp_dir("smalltalk-plain");
    let out = std::process::Command::new(bin)
        .arg("import")
        .arg(fixture("bakery.csv"))
        .arg("--out")
        .arg(&plain)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!plain.join("smalltalk.ron").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--small-talk"));
    let _ = std::fs::remove_dir_all(&plain);

    let jsonl = temp_dir("smalltalk-jsonl");
    let out = std::process::Command::new(bin)
        .arg("import")
        .arg(fixture("labelled.jsonl"))
        .arg("--out")
        .arg(&jsonl)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!jsonl.join("smalltalk.ron").exists());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&jsonl);
}

/// An imported row whose id is one of the small talk's keeps it; that
/// small-talk intent is left out, and the rest still loads.
#[test]
fn small_talk_gives_way_to_an_imported_id() {
    let dir = temp_dir("smalltalk-taken");
    let csv =
        "question,answer\nGreeting?,\"Our greeting cards are by the till.\"\nHello,Hi there.\n";
    let path = dir.with_extension("csv");
    std::fs::write(&path, csv).unwrap();
    let intents = import_files(std::slice::from_ref(&path), None).unwrap();
    write_dir(&dir, &intents, "test", false).unwrap();
    faqbot::import::write_smalltalk(&dir, &intents).unwrap();
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let ids: Vec<(&str, IntentKind)> = kb.intents.iter().map(|d| (d.id.as_str(), d.kind)).collect();
    assert_eq!(
        ids,
        [
            ("goodbye", IntentKind::SmallTalk),
            ("greeting", IntentKind::Faq),
            ("hello", IntentKind::Faq),
            ("thanks", IntentKind::SmallTalk)
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_closed_stdout_ends_import_quietly() {
    // `faqbot import … | head -1`: the reader goes away before the report
    // is printed; the command must not panic ("failed printing to stdout").
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("closed-stdout");
    let mut child = Command::new(bin)
        .arg("import")
        .arg(fixture("bakery.csv"))
        .arg("--out")
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn importing_into_an_existing_knowledge_base_names_what_force_keeps() {
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let dir = temp_dir("again");
    let import = || {
        std::process::Command::new(bin)
            .arg("import")
            .arg(fixture("bakery.csv"))
            .arg("--out")
            .arg(&dir)
            .output()
            .unwrap()
    };
    assert!(import().status.success());
    let again = import();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success(), "{err}");
    // --force keeps bot.ron: the message must not promise to overwrite it.
    assert!(
        err.contains("--force") && err.contains("bot.ron, your settings, is kept"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sheet_keeps_its_row_order_and_its_first_rows_are_the_popular_topics() {
    let csv = fixture("bakery.csv");
    let rows: Vec<String> = std::fs::read_to_string(&csv)
        .unwrap()
        .lines()
        .skip(1)
        .take(3)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let intents = import_files(&[csv], None).unwrap();
    let titles: Vec<&str> = intents.iter().take(3).map(|d| d.title.as_str()).collect();
    assert_eq!(titles, rows, "intents in row order");
    let dir = temp_dir("row-order");
    write_dir(&dir, &intents, "test", false).unwrap();
    let engine = faqbot::Engine::new(KnowledgeBase::load_dir(&dir).unwrap());
    // Ids sort otherwise ("can_i_order…" < "do_you_deliver" < "when_are…"),
    // so this checks the order the file defines them in.
    let reply = engine.respond(&mut faqbot::Session::default(), "");
    let offered: Vec<&str> = reply.suggestions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(offered, rows, "{}", reply.text);

    // A team's own file beside the import (`extra.ron` sorts before
    // `intents.ron`) adds topics; equally popular, the sheet's rows stay
    // first. An intent with a popularity comes before those without.
    let extra = |popularity: u64| {
        format!(
            "[(id: \"gift_cards\", title: \"Do you sell gift cards?\", examples: [\"gift card\"], \
             answer: \"Yes, at the till.\", popularity: {popularity})]"
        )
    };
    std::fs::write(dir.join("extra.ron"), extra(0)).unwrap();
    let engine = faqbot::Engine::new(KnowledgeBase::load_dir(&dir).unwrap());
    let reply = engine.respond(&mut faqbot::Session::default(), "");
    let offered: Vec<&str> = reply.suggestions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(offered, rows, "{}", reply.text);
    std::fs::write(dir.join("extra.ron"), extra(5)).unwrap();
    let engine = faqbot::Engine::new(KnowledgeBase::load_dir(&dir).unwrap());
    let reply = engine.respond(&mut faqbot::Session::default(), "");
    let offered: Vec<&str> = reply.suggestions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        offered,
        ["Do you sell gift cards?", &rows[0], &rows[1]],
        "{}",
        reply.text
    );
    let _ = std::fs::remove_dir_all(&dir);
}
