//! Importing into an existing directory: `--force`, the backup of an
//! edited `intents.ron`, the team's own files and settings.

use super::*;

/// `import --force` over an `intents.ron` edited by hand keeps the edited
/// file as `intents.ron.bak` (then `.bak.2`) and says so on stderr; over
/// one that is as imported it keeps nothing (trial 20, finding 4).
#[test]
fn a_forced_reimport_keeps_a_copy_of_an_edited_intents_file() {
    let dir = temp_dir("edited");
    let import = |force: bool| {
        let mut c = import_command(fixture("bakery.csv"), &dir);
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
        .replace(
            "Imported by `faqbot import`",
            "Imported by `faqbot import` (edited)",
        );
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
    let dir = temp_dir("reimport");
    let import = |force: bool| {
        let mut c = import_command(fixture("bakery.csv"), &dir);
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
    let dir = temp_dir("grown");
    let import = |sheet: &Path, force: bool| {
        let mut c = import_command(sheet, &dir);
        c.arg("--small-talk");
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
fn importing_into_an_existing_knowledge_base_names_what_force_keeps() {
    let dir = temp_dir("again");
    let import = || {
        import_command(fixture("bakery.csv"), &dir)
            .output()
            .unwrap()
    };
    assert!(import().status.success());
    let again = import();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success(), "{err}");
    // --force keeps bot.ron: the message must not promise to overwrite it,
    // and it names the file that --force overwrites (a new user's trial
    // was told "bot.ron: already exists").
    assert!(
        err.contains("--force") && err.contains("bot.ron, your settings, is kept"),
        "{err}"
    );
    assert!(err.contains("intents.ron: already exists"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The handoff an import writes gives the contact details the answers
/// state (two new users' trials were handed off "to nobody": "A member
/// of our support team can help you further." and no way to reach them),
/// the import says so, and the bot gives it when a customer asks for a
/// person; a sheet without contact details keeps the generic text.
#[test]
fn the_imported_handoff_gives_the_contact_details_of_the_answers() {
    let csv = "question,answer\n\
        How do I get a quote?,\"Call us on 01632 960278 or fill in the form at swiftmove.example.\"\n\
        Do you offer storage?,Yes: containers from £25 a week. Ring 01632 960278 to reserve one.\n\
        Can you move pianos?,\"Yes, uprights and grands; email crew@swiftmove.example with the stairs.\"\n\
        Can I change the date?,\"Yes: email crew@swiftmove.example a week ahead.\"\n";
    let (out, dir, sheet) = import_sheet("contact", csv);
    assert_succeeded(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected =
        "A member of our team can help you further: call 01632 960278 or e-mail crew@swiftmove.example.";
    assert!(
        stdout.contains("check the handoff") && stdout.contains(expected),
        "{stdout}"
    );
    let bot = std::fs::read_to_string(dir.join("bot.ron")).unwrap();
    assert!(bot.contains(expected), "{bot}");
    let reply = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--intents")
        .arg(&dir)
        .args(["ask", "can i talk to a real person"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&reply.stdout).contains("call 01632 960278"),
        "{}",
        String::from_utf8_lossy(&reply.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&sheet);

    let (out, dir, sheet) = import_sheet(
        "no-contact",
        "question,answer\nDo you open on Sundays?,No.\n",
    );
    assert_succeeded(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("say how customers reach your team"),
        "{stdout}"
    );
    let bot = std::fs::read_to_string(dir.join("bot.ron")).unwrap();
    assert!(
        bot.contains("A member of our support team can help you further."),
        "{bot}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&sheet);
}
