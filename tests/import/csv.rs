//! FAQ spreadsheets (CSV): columns by header, quoting, encodings and
//! separators, unfinished rows, notes, row order.

use super::*;

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
    let (out, dir, sheet) = import_sheet(
        "ignored",
        "question,answer,category,alternate 1\nWhere can I park?,Outside.,Visiting,parking\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("ignored columns: category — rename a column `alternate …`"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(dir.join("intents.ron")).unwrap();
    assert!(!written.contains("Visiting"), "{written}");
    // A sheet's answers are its own: the header says so, not "placeholders"
    // (trial 29).
    assert!(
        written.contains("// The answers are the source's own."),
        "{written}"
    );
    assert!(!written.contains("placeholder"), "{written}");
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
    let (out, dir, sheet) = import_sheet(
        "twice",
        "question,answer\nVPN access?,Ask IT.\nvpn access?,Use the portal.\n",
    );
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

/// A row with fewer fields than the header, too few to reach the answer
/// column, whose answer sits a column early (a comma left out): the note
/// says how many fields the row and the header have (trial 38: "has no
/// answer yet" sent its owner looking for an answer that was there). A row
/// with its question alone is still one being written.
#[test]
fn a_row_short_of_a_field_says_so() {
    let text = "Question,Alt 1,Alt 2,Answer\n\
                Do you deliver?,delivery,\"Yes, within 15 miles.\"\n\
                Are you open on Sundays?,sunday hours,,Yes 8-1.\n\
                Do you do vegan cakes?\n";
    let sheet = read_csv(Path::new("rag.csv"), text.as_bytes()).unwrap();
    let notes: Vec<String> = sheet.left_out.iter().map(LeftOut::to_string).collect();
    assert_eq!(
        notes,
        [
            "rag.csv:2: \"Do you deliver?\" has no answer: the row has 3 fields and the header 4 \
             (a comma left out?); left out",
            "rag.csv:4: \"Do you do vegan cakes?\" has no answer yet; left out",
        ]
    );
    assert_eq!(sheet.intents.len(), 1);
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
    let out = import_command(fixture("unfinished.csv"), &dir)
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
fn a_thinly_phrased_sheet_points_at_the_semantic_stage() {
    // A sheet whose rows have one or two phrasings is where the sentence
    // model helps most: the import says so, and how to turn it on, unless
    // a model directory is already configured in a build with the stage.
    let dir = temp_dir("semantic-hint");
    let sheet =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheet-gym/faq.csv");
    let import = |model: Option<&str>| {
        let mut c = import_command(&sheet, &dir);
        c.env_remove("FAQBOT_SEMANTIC_MODEL").arg("--force");
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

/// A `follow-ups` column (`Related`, `See also`) names other rows by
/// question or id; the answer offers them as related questions (trial
/// 26: a sheet could not hold follow-ups, and hand edits of intents.ron
/// are moved aside by the next `import --force`).
#[test]
fn csv_follow_ups_column_names_other_rows() {
    let text = "question,answer,alternate 1,Related\n\
                Do you treat children?,\"Yes, free on the NHS under 18.\",,\"how much does a check-up cost ; Can I book online?\"\n\
                How much does a check-up cost?,£27.,price of a check up,Do you treat children?|children\n\
                Can I book online?,Yes: brightsmile.example/book.,,do you do botox?\n";
    let sheet = read_csv(Path::new("rel.csv"), text.as_bytes()).unwrap();
    let follow: Vec<&[String]> = sheet.intents.iter().map(|d| &d.follow_ups[..]).collect();
    assert_eq!(
        follow,
        [
            &[
                "how_much_does_a_check_up_cost".to_string(),
                "can_i_book_online".into()
            ][..],
            // By question, and not the same row twice; "children" names
            // no row.
            &["do_you_treat_children".to_string()][..],
            &[][..],
        ]
    );
    assert_eq!(
        sheet.notes,
        [
            "rel.csv:3: follow-up \"children\" names no row's question or id: left out",
            "rel.csv:4: follow-up \"do you do botox?\" names no row's question or id: left out",
        ]
    );
    // Not a phrasing: the column is not read as another way to ask.
    assert_eq!(sheet.intents[2].examples, ["Can I book online?"]);

    // Imported, the answer offers them.
    let (out, dir, _) = import_sheet("follow-ups", text);
    assert_succeeded(&out);
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let engine = faqbot::Engine::new(kb);
    let reply = engine.respond(&mut faqbot::Session::new(), "Do you treat children?");
    assert_eq!(reply.intent.as_deref(), Some("do_you_treat_children"));
    let offered: Vec<&str> = reply
        .suggestions
        .iter()
        .map(|s| s.intent.as_str())
        .collect();
    assert_eq!(
        offered,
        ["how_much_does_a_check_up_cost", "can_i_book_online"]
    );
}
