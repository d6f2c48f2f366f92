//! `faqbot misses FILE...`: the unanswered log grouped by similarity,
//! largest group first, each with a count, a few samples and the closest
//! intent; the groups the current knowledge base answers now are listed
//! last, apart, and a customer's own request for a person is no miss.
//! When the groups are mostly single turns (a small log), the turns by the
//! FAQ entry each comes closest to come first ([`crate::misses::by_intent`]), and the
//! single-turn groups are not listed again.
//! Several files (one per server instance) are read as one log.

mod by_intent;

use super::{load_engine_with, style::clean, Cli};
use crate::misses::by_intent::groups_are_small;
use crate::misses::{group::DEFAULT_THRESHOLD, group_entries, read_log, MissGroup};
use crate::Result;
use std::io::Write;
use std::path::PathBuf;

/// Characters of a sample the text report shows (an utterance may be up to
/// [`crate::dialogue::MAX_INPUT_CHARS`], 1,000).
const SAMPLE_CHARS: usize = 160;

/// Arguments of `faqbot misses`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The log written with `--log FILE`; several files (one per server
    /// instance, say) are grouped as one log.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Show at most this many groups.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Samples shown per group.
    #[arg(long, default_value_t = 3)]
    pub samples: usize,
    /// Cosine similarity (0.0..=1.0) an utterance needs to join a group.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f32,
    /// Print the groups as one JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Runs `faqbot misses`.
///
/// # Errors
/// Knowledge-base errors; an unreadable log file (the first one, named).
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine_with(cli)?;
    let mut missed_turns: Vec<crate::misses::LogEntry> = Vec::new();
    let mut persons = 0;
    let mut feedback = crate::misses::feedback::Feedback::default();
    for file in &args.files {
        let (entries, mut skipped) = read_log(file)?;
        if skipped > 0 {
            // The widget's feedback file (`serve --feedback FILE`): its
            // "not helpful" answers are listed after the groups.
            let f = crate::misses::feedback::read(file)?;
            skipped -= f.lines().min(skipped);
            feedback.helpful += f.helpful;
            feedback.unhelpful.extend(f.unhelpful);
        }
        if skipped > 0 {
            eprintln!(
                "warning: {}: {skipped} {} skipped",
                file.display(),
                if skipped == 1 {
                    "line that is not a log entry"
                } else {
                    "lines that are not log entries"
                }
            );
        }
        // A customer's own request for a person got what it asked for:
        // not a miss (logs from before such requests were left out).
        let (asked, missed): (Vec<_>, Vec<_>) =
            entries.into_iter().partition(|e| e.is_person_request());
        persons += asked.len();
        missed_turns.extend(missed);
    }
    if let Some(warning) = foreign_log(engine.knowledge_base(), &missed_turns, cli) {
        eprintln!("{warning}");
    }
    let mut groups = group_entries(&engine, &missed_turns, args.threshold.clamp(0.0, 1.0));
    let bot_threshold = engine.knowledge_base().settings.threshold;
    let total = groups.len();
    let answered = groups.iter().filter(|g| g.answered()).count();
    // A small log's groups are single turns, which say no more than the
    // log (trial 41): its turns by their closest FAQ entry say what to add.
    let by_entry = (!(args.json || cli.json) && groups_are_small(&groups)).then(|| {
        let b = crate::misses::by_intent::by_intent(&groups);
        let cap = args.samples.max(by_intent::TURNS_PER_ENTRY);
        by_intent::report(&engine, &b, cli, cap)
    });
    let mut singles = 0;
    if by_entry.is_some() {
        // Listed by entry already (those answered now stay, listed last).
        let before = groups.len();
        groups.retain(|g| g.count > 1 || g.answered());
        singles = before - groups.len();
    }
    if !(args.json || cli.json) {
        // The groups the current knowledge base answers go last, apart.
        groups.sort_by_key(MissGroup::answered);
    }
    let listed = groups.len();
    groups.truncate(args.top);
    let mut out = std::io::stdout().lock();
    if args.json || cli.json {
        for g in &mut groups {
            g.samples.truncate(args.samples);
        }
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&groups).unwrap_or_else(|_| "[]".into())
        );
        if !feedback.unhelpful.is_empty() {
            let n = feedback.unhelpful.len();
            eprintln!(
                "note: {n} answer{} rated not helpful in the feedback; the text report lists {} (without --json)",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" }
            );
        }
        return Ok(0);
    }
    let mut text = format!(
        "{} unanswered turn{} in {total} group{}",
        missed_turns.len(),
        if missed_turns.len() == 1 { "" } else { "s" },
        if total == 1 { "" } else { "s" }
    );
    if answered > 0 {
        text.push_str(&format!(
            "; {answered} group{} answered now (listed last)",
            if answered == 1 { " is" } else { "s are" }
        ));
    }
    if persons > 0 {
        text.push_str(&format!(
            "; {persons} request{} for a person left out (not misses)",
            if persons == 1 { "" } else { "s" }
        ));
    }
    text.push('\n');
    if let Some(section) = &by_entry {
        text.push_str(section);
        if singles > 0 {
            text.push_str(&format!(
                "\n{singles} single-turn group{} listed above by entry{}\n",
                if singles == 1 { "" } else { "s" },
                if groups.is_empty() {
                    String::new()
                } else {
                    "; the other groups:".to_string()
                }
            ));
        }
    }
    for (n, g) in groups.iter().enumerate() {
        if g.answered() && (n == 0 || !groups[n - 1].answered()) {
            text.push_str(
                "\nanswered now by the current knowledge base (check that each is the right answer):\n",
            );
        }
        let closest = match &g.closest {
            Some(c) => format!(
                "closest intent: {} ({}{})",
                c.intent,
                // 0.646 beside the threshold 0.65 is shown as 0.646, not as
                // a 0.65 that reads as answered (trial 30).
                crate::dialogue::apart(c.confidence, bot_threshold).0,
                if c.out_of_scope { ", out of scope" } else { "" }
            ),
            None => "no intent comes close".to_string(),
        };
        let oos = match &g.answered_now {
            Some(a) if a.out_of_scope => ", out of scope",
            _ => "",
        };
        let several = g
            .samples
            .iter()
            .filter_map(|s| s.answered_by.as_ref().map(|b| b.intent.as_str()))
            .any(|i| g.answered_now.as_ref().is_some_and(|a| a.intent != i));
        let closest = match &g.answered_now {
            Some(_) if g.answered() && several => {
                "answered now by several intents (each sample's below)".to_string()
            }
            Some(a) if g.answered() => {
                format!("answered now by `{}` ({:.2}{oos})", a.intent, a.confidence)
            }
            Some(a) => format!(
                "{closest}; {} of {} turns answered now by `{}` ({:.2}{oos})",
                a.turns, g.count, a.intent, a.confidence
            ),
            None => closest,
        };
        text.push_str(&format!(
            "\n{}. {} turn{}, {} distinct; {closest}\n",
            n + 1,
            g.count,
            if g.count == 1 { "" } else { "s" },
            g.samples.len()
        ));
        // Which sample each intent answers, when the group's header does not
        // say it for all of them: answered in part, or by several intents.
        // (A group answered now has every sample replayed and answered.)
        let by_one = g.answered() && !several;
        for s in g.samples.iter().take(args.samples) {
            let mut times = if s.count > 1 {
                format!(" ×{}", s.count)
            } else {
                String::new()
            };
            if let (false, Some(b)) = (by_one, &s.answered_by) {
                let oos = if b.out_of_scope { ", out of scope" } else { "" };
                times.push_str(&format!(" → `{}` ({:.2}{oos})", b.intent, b.confidence));
            }
            // A pasted page would fill the screen: the text report shows
            // the start of each sample (`--json` has them whole).
            let sample = crate::normalize::sanitize::shorten(&clean(&s.text), SAMPLE_CHARS);
            if s.follow_up && s.answered_by.is_none() {
                times.push_str(" (a follow-up: no phrasing to add)");
            }
            text.push_str(&format!("   {sample:?}{times}\n"));
        }
    }
    if listed > groups.len() {
        text.push_str(&format!(
            "\n… and {} more group{} (--top to show more)\n",
            listed - groups.len(),
            if listed - groups.len() == 1 { "" } else { "s" }
        ));
    }
    text.push_str(&unhelpful_report(&engine, &feedback, args.samples));
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

/// A warning when most of the intents the log's entries name as
/// candidates are not in the knowledge base: the log was written by another
/// bot (a new user ran `faqbot misses LOG` without `--intents`, and the
/// candle shop's misses were matched against the bundled MINI App intents,
/// with "closest intent: reset_pin"). `None` when at most half are unknown
/// or the entries name none.
fn foreign_log(
    kb: &crate::kb::KnowledgeBase,
    entries: &[crate::misses::LogEntry],
    cli: &Cli,
) -> Option<String> {
    let mut ids: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.candidates.iter().map(|c| c.intent.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let unknown: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| kb.index_of(id).is_none())
        .collect();
    if unknown.is_empty() || 2 * unknown.len() <= ids.len() {
        return None;
    }
    let named: Vec<String> = unknown.iter().take(3).map(|id| format!("`{id}`")).collect();
    let which = match &cli.intents {
        None => "the bundled MINI App knowledge base".to_string(),
        Some(dir) => format!("the knowledge base in {}", dir.display()),
    };
    Some(format!(
        "warning: {} of the {} intents the log names as candidates are not in {which} ({}{}): \
         the log was written by another bot; run `faqbot misses --intents DIR ...` with that \
         bot's knowledge base",
        unknown.len(),
        ids.len(),
        named.join(", "),
        if unknown.len() > 3 { ", ..." } else { "" },
    ))
}

/// The text report's section on answers rated not helpful (empty when the
/// files had none): per intent, most rated first, how many and the
/// customers' questions, each with what the current knowledge base
/// answers it with when that is no longer the rated intent.
fn unhelpful_report(
    engine: &crate::Engine,
    feedback: &crate::misses::feedback::Feedback,
    samples: usize,
) -> String {
    if feedback.unhelpful.is_empty() {
        return String::new();
    }
    let n = feedback.unhelpful.len();
    let mut text = format!(
        "\n{n} answer{} rated not helpful (widget feedback; {} rated helpful): check each \
         question against the answer it got\n",
        if n == 1 { "" } else { "s" },
        feedback.helpful
    );
    for (intent, inputs) in feedback.by_intent() {
        text.push_str(&format!(
            "\n`{intent}`: {} time{}\n",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" }
        ));
        let mut shown = 0;
        for input in inputs.iter().flatten().take(samples) {
            let reply = engine.respond(&mut crate::Session::new(), input);
            let now = match (&reply.kind, &reply.intent) {
                (crate::ReplyKind::Answer, Some(i)) if i == intent => String::new(),
                (crate::ReplyKind::Answer, Some(i)) => format!(" → now `{i}`"),
                (kind, _) => format!(" → now: {}", kind.as_str()),
            };
            let sample = crate::normalize::sanitize::shorten(&clean(input), SAMPLE_CHARS);
            text.push_str(&format!("   {sample:?}{now}\n"));
            shown += 1;
        }
        let without = inputs.iter().filter(|i| i.is_none()).count();
        if shown == 0 && without > 0 {
            text.push_str("   (the ratings did not send the question)\n");
        }
    }
    text
}
