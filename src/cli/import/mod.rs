//! `faqbot import FILE… --out DIR`: labelled utterances (JSONL) or a FAQ
//! spreadsheet (CSV or a workbook) to a RON knowledge-base directory.

mod notes;

use super::Cli;
use crate::import::{
    back_up_edited, import_files_from_sheet, is_as_imported, ron_files, write_dir_in,
    write_smalltalk, Backup, Format,
};
use crate::schema::IntentKind;
use crate::{KnowledgeBase, Result};
use notes::{greeting_copy_note, language_note, pattern_notes, placeholder_note, semantic_hint};
use std::path::{Path, PathBuf};

/// Arguments of `faqbot import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files: JSONL `{"text": ..., "intent": ...}` (e.g. train.jsonl and
    /// train_oos.jsonl) or a FAQ spreadsheet, CSV or a workbook (.xlsx,
    /// .xlsm, .xlsb, .xls, .ods: its first visible worksheet with a cell,
    /// or the one `--sheet` names), with a
    /// header row naming its columns (`question`, `answer`, `alternate 1`…,
    /// `id`, `popularity`, in any order; rows without an answer or question
    /// yet are left out, each named), or a FAQ page in Markdown (.md:
    /// headings or bold paragraphs ending in `?` are the questions, the
    /// text after each its answer).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output directory (created; without `--force` it must hold no `.ron`
    /// file).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Input format (default: from the extension: `.csv` is CSV, `.xlsx`,
    /// `.xlsm`, `.xlsb`, `.xls` and `.ods` a workbook, `.md` and
    /// `.markdown` a FAQ page, else JSONL).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The worksheet of a workbook to read, by its name (default: the
    /// first visible worksheet with a cell).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Import again into a knowledge base made by an earlier import: only
    /// `intents.ron` is overwritten; `bot.ron` (your settings),
    /// `smalltalk.ron` and your own `.ron` files are kept and loaded along.
    /// An `intents.ron` edited since the import is first copied to
    /// `intents.ron.bak` (`.bak.2`, … when that exists). If the result does
    /// not load (an id in both), nothing is changed.
    #[arg(long)]
    pub force: bool,
    /// With a FAQ spreadsheet (CSV or workbook), also write `smalltalk.ron`: a greeting,
    /// thanks and goodbye, so that "hello" is answered. Not the default:
    /// on ten-row development sheets, three small-talk intents among ten rows
    /// cost answered questions (right answers 37 → 31 of 210).
    #[arg(long)]
    pub small_talk: bool,
}

/// Runs `faqbot import`: writes the knowledge base, then loads it back to
/// check it.
///
/// # Errors
/// Malformed input, I/O errors, or (never expected) an output that does
/// not load.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let imported = import_files_from_sheet(&args.files, args.format, args.sheet.as_deref())?;
    // How the sheets were read where that may not be what the owner
    // meant (columns not read, a header read by position, the encoding,
    // the separator): on stderr, before anything is written.
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    let intents = imported.intents;
    let sources: Vec<String> = args
        .files
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    // Only rows without an answer of their own (labelled utterances) get a
    // placeholder: the header says so only then (trial 29 read "Answers are
    // placeholders" above a sheet's real answers).
    let placeholders = intents
        .iter()
        .filter(|d| d.has_placeholder_answer() && d.kind != IntentKind::OutOfScope)
        .count();
    let answers_note = match placeholders {
        0 => "The answers are the source's own.".to_string(),
        n if n
            == intents
                .iter()
                .filter(|d| d.kind != IntentKind::OutOfScope)
                .count() =>
        {
            "The answers are placeholders (the source had none): write each intent's answer."
                .to_string()
        }
        n => format!(
            "{n} answers are placeholders (their rows had none): `faqbot check` lists them."
        ),
    };
    let comment = format!(
        "Imported by `faqbot import` from {}.\n\
         {answers_note}\n\
         `faqbot import --force` rewrites this file from the source: write intents of your own\n\
         in another .ron file of this directory (it is loaded along and kept), and new phrasings\n\
         of a row in the sheet. If this file was edited, --force first copies it to {}.bak.",
        sources.join(", "),
        crate::import::INTENTS_FILE
    );
    // A sheet in another language gets that language in bot.ron (its
    // stemmer; no English-only reply to its customers), when its function
    // words clearly say which (trial 23, finding 5).
    let guess = crate::import::language::detect(&intents);
    let language = guess.decided().unwrap_or("english");
    // The row that says where the business is gets patterns for
    // customers' "where are you?" (all stop words) and "address?".
    let mut intents = intents;
    // So does the row of the opening hours, for "what time do you shut?".
    let (location, hours) = if language.eq_ignore_ascii_case("english") {
        (
            crate::import::location::add_patterns(&mut intents),
            crate::import::hours::add_patterns(&mut intents),
        )
    } else {
        (None, None)
    };
    let backup = Backup::take(&args.out)?;
    let mut written = write_dir_in(&args.out, &intents, &comment, args.force, language)?;
    // `write_dir` keeps an existing bot.ron (the team's settings).
    let settings = args.out.join(crate::kb::SETTINGS_FILE);
    let kept_settings = !written.contains(&settings);
    // A FAQ spreadsheet is a business's bot: with --small-talk it gets
    // small talk, so that "hello" is answered. Labelled utterances
    // (corpora) stay as they are.
    let spreadsheet = args
        .files
        .iter()
        .any(|p| args.format.unwrap_or_else(|| Format::of_path(p)).is_sheet());
    if spreadsheet && args.small_talk {
        // "hi" gets bot.ron's greeting (kept or just written), not a
        // generic one.
        let greeting = std::fs::read_to_string(&settings)
            .ok()
            .and_then(|t| {
                crate::kb::ron_options()
                    .from_str::<crate::schema::BotSettings>(&t)
                    .ok()
            })
            .map(|s| s.greeting);
        match write_smalltalk(&args.out, &intents, greeting.as_deref()) {
            Ok(path) => written.extend(path),
            Err(e) => return Err(undo(&args.out, &backup, e)),
        }
    }
    let kb = match KnowledgeBase::load_dir(&args.out) {
        Ok(kb) => kb,
        Err(e) => return Err(undo(&args.out, &backup, e)),
    };
    let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
    // An intents.ron edited since the last import (examples, keywords,
    // follow-ups added by hand) is not lost: a copy is kept.
    let intents_path = args.out.join(crate::import::INTENTS_FILE);
    if let Some(before) = backup.before(crate::import::INTENTS_FILE) {
        let now = std::fs::read(&intents_path).map_err(|e| crate::Error::io(&intents_path, e))?;
        if let Some(copy) = back_up_edited(&args.out, before, &now)? {
            let why = match std::str::from_utf8(before).ok().and_then(is_as_imported) {
                Some(_) => "was edited since the last import",
                None => "has no import-hash line (written by hand, or by an older faqbot)",
            };
            eprintln!(
                "note: {} {why}; --force replaced it and kept the earlier file as {}: move \
                 your additions to a .ron file of your own (loaded along and kept by --force)",
                intents_path.display(),
                copy.display()
            );
        }
    }
    for p in &written {
        println!("wrote {}", p.display());
    }
    if kept_settings {
        println!(
            "kept {} (your settings); delete it and import again for the defaults",
            settings.display()
        );
    }
    // Every .ron file not written now was there before (intents.ron is
    // always written, smalltalk.ron only when absent).
    for p in ron_files(&args.out)? {
        if written.contains(&p) || p == settings {
            continue;
        }
        if p.ends_with(crate::import::SMALLTALK_FILE) {
            println!(
                "kept {} (your small talk); delete it and import again with --small-talk for the default",
                p.display()
            );
        } else {
            println!("kept {} (your own intents, loaded along)", p.display());
        }
    }
    println!(
        "{} intents, {} examples; loads without errors",
        kb.intents.len(),
        examples
    );
    for note in pattern_notes(&intents, location, hours) {
        println!("{note}");
    }
    // Labelled utterances have no answers: the import wrote placeholders,
    // which customers would be shown as they are (trial 23, finding 4).
    let placeholders: Vec<&str> = intents
        .iter()
        .filter(|d| d.has_placeholder_answer() && d.kind != IntentKind::OutOfScope)
        .map(|d| d.id.as_str())
        .collect();
    if let Some(note) = placeholder_note(&placeholders, &intents_path) {
        println!("{note}");
    }
    // Rows still being written are left out, each named so that it can
    // be found in the sheet and finished.
    for row in &imported.left_out {
        println!("note: {row}");
    }
    // A FAQ page's unfinished entries are questions, a sheet's rows.
    let page = args
        .files
        .iter()
        .any(|p| args.format.unwrap_or_else(|| Format::of_path(p)) == Format::Markdown);
    let (row, rows) = if page {
        ("question", "questions")
    } else {
        ("row", "rows")
    };
    if imported.left_out.len() > 1 {
        println!(
            "note: {} {rows} left out; finish them and import again with --force",
            imported.left_out.len()
        );
    } else if !imported.left_out.is_empty() {
        println!("note: finish the {row} and import again with --force");
    }
    let small_talk: Vec<&str> = kb
        .intents
        .iter()
        .filter(|d| d.kind == IntentKind::SmallTalk)
        .map(|d| d.id.as_str())
        .collect();
    if spreadsheet && !small_talk.is_empty() {
        println!(
            "small talk ({}) is in {}: edit its answers to suit your bot",
            small_talk.join(", "),
            crate::import::SMALLTALK_FILE
        );
    } else if spreadsheet {
        println!(
            "no small talk: \"hello\" gets bot.ron's greeting and the popular topics, \"thanks\" and \"bye\" a short reply; `--small-talk` writes {} (replies of their own to greetings, thanks and goodbyes)",
            crate::import::SMALLTALK_FILE
        );
    }
    let source = if spreadsheet { "sheet" } else { "text" };
    if let Some(note) = language_note(&guess, language, source, &kb.settings, kept_settings) {
        println!("{note}");
    }
    if spreadsheet && !kept_settings {
        // The written bot.ron has generic texts ("faqbot", "a member of
        // our support team can help you further"): a business's bot needs its own
        // name and the way its customers reach the team.
        // The handoff may give the contact details the answers state
        // (`import::contact`): then it is named, to be checked.
        let generic_handoff = crate::check::generic_settings(&kb.settings).contains(&"handoff");
        let (texts, reach) = if generic_handoff {
            (
                "greeting, fallback and handoff texts are",
                "; give it your business's name and say how customers reach your team".to_string(),
            )
        } else {
            (
                "greeting and fallback texts are",
                format!(
                    "; give it your business's name, and check the handoff, which gives the contact details found in your answers: {:?}",
                    kb.settings.handoff
                ),
            )
        };
        println!(
            "next: edit {}: the bot's name, {texts} generic defaults{reach}{}",
            settings.display(),
            greeting_copy_note(&kb, &written, &args.out)
        );
        // Numbers written equally often, none in a row about contacting
        // the business: the handoff's is a guess (a climbing wall's trial
        // got its party booking line).
        if let Some(c) = crate::import::contact::Contact::find(&intents) {
            if c.handoff() == kb.settings.handoff {
                if let Some(note) = c.unsure_note(&settings) {
                    println!("{note}");
                }
            }
        }
    }
    // A question twice in a sheet is two intents that split its
    // examples between them: say so (`faqbot check` also flags it).
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for d in intents
        .iter()
        .filter(|d| d.kind == IntentKind::Faq && !d.title.is_empty())
    {
        let key = d.title.trim().to_lowercase();
        if let Some(first) = seen.insert(key, &d.id) {
            println!(
                "note: `{}` has the same question as `{first}`; merge the two rows (or reword one) so that one answer gets all its phrasings",
                d.id
            );
        }
    }
    let thin = crate::check::thin_intents(&kb);
    let faq = kb
        .intents
        .iter()
        .filter(|d| d.kind == IntentKind::Faq)
        .count();
    if let Some(note) = crate::check::thin_note(&thin, faq) {
        // The same note as `faqbot check`'s, and what to do in a sheet.
        println!("{note}");
        if spreadsheet {
            println!(
                "note: in the sheet, a row's phrasings are its question and its `alternate …` \
                 columns; measure with `faqbot eval` on a few labelled customer questions \
                 (without them, `faqbot eval --cross-validate` answers each alternate with a bot \
                 built without it: an upper bound, and which rows take each other's questions)"
            );
            if let Some(hint) = semantic_hint(cli, &kb, &args.out) {
                println!("{hint}");
            }
        }
    }
    // The import checks only that the result loads; `check` lints it
    // (questions made only of stop words, rows that steal each other's
    // questions, ...).
    println!(
        "next: faqbot check --intents {}  (conflicts, unreachable rows, fragile phrasings)",
        args.out.display()
    );
    Ok(0)
}

/// Puts the output directory `dir` back as the import found it and
/// returns `e`, saying so (or, if even that fails, both errors).
fn undo(dir: &Path, backup: &Backup, e: crate::Error) -> crate::Error {
    let at = dir.display().to_string();
    match backup.restore() {
        Ok(()) => crate::Error::data(
            at,
            format!("not imported; nothing changed, the files are as they were:\n{e}"),
        ),
        Err(r) => crate::Error::data(
            at,
            format!("not imported, and the earlier files could not be put back ({r}):\n{e}"),
        ),
    }
}
