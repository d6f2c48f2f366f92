//! `faqbot misses FILE...`: the unanswered log grouped by similarity,
//! largest group first, each with a count, a few samples and the closest
//! intent. Several files (one per server instance) are read as one log.

use super::{load_engine_with, style::clean, Cli};
use crate::misses::{group, group::DEFAULT_THRESHOLD, read_log};
use crate::Result;
use std::io::Write;
use std::path::PathBuf;

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
    let mut utterances: Vec<String> = Vec::new();
    for file in &args.files {
        let (entries, skipped) = read_log(file)?;
        if skipped > 0 {
            eprintln!(
                "warning: {}: {skipped} line{} that are not log entries skipped",
                file.display(),
                if skipped == 1 { "" } else { "s" }
            );
        }
        utterances.extend(entries.into_iter().map(|e| e.utterance));
    }
    let mut groups = group(&engine, &utterances, args.threshold.clamp(0.0, 1.0));
    let total = groups.len();
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
        return Ok(0);
    }
    let mut text = format!(
        "{} unanswered turn{} in {total} group{}\n",
        utterances.len(),
        if utterances.len() == 1 { "" } else { "s" },
        if total == 1 { "" } else { "s" }
    );
    for (n, g) in groups.iter().enumerate() {
        let closest = match &g.closest {
            Some(c) => format!(
                "closest intent: {} ({:.2}{})",
                c.intent,
                c.confidence,
                if c.out_of_scope { ", out of scope" } else { "" }
            ),
            None => "no intent comes close".to_string(),
        };
        text.push_str(&format!(
            "\n{}. {} turn{}, {} distinct; {closest}\n",
            n + 1,
            g.count,
            if g.count == 1 { "" } else { "s" },
            g.samples.len()
        ));
        for s in g.samples.iter().take(args.samples) {
            let times = if s.count > 1 {
                format!(" ×{}", s.count)
            } else {
                String::new()
            };
            text.push_str(&format!("   {:?}{times}\n", clean(&s.text)));
        }
    }
    if total > groups.len() {
        text.push_str(&format!(
            "\n… and {} more group{} (--top to show more)\n",
            total - groups.len(),
            if total - groups.len() == 1 { "" } else { "s" }
        ));
    }
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}
