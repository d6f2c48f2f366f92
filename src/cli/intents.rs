//! `faqbot intents [--json]`: list the knowledge base.

use super::{load_engine, style::clean, Cli};
use crate::Result;
use std::io::Write;

/// Arguments of `faqbot intents`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array of `{id, title, kind, answer, follow_ups, popularity}`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `faqbot intents`.
///
/// # Errors
/// Knowledge-base errors.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine(cli.intents.as_ref())?;
    let kb = engine.knowledge_base();
    let mut out = std::io::stdout().lock();
    if args.json || cli.json {
        let list: Vec<serde_json::Value> = kb
            .intents
            .iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.id, "title": d.title, "kind": d.kind, "answer": d.answer,
                    "follow_ups": d.follow_ups, "popularity": d.popularity,
                    "examples": d.examples.len(),
                })
            })
            .collect();
        let _ = writeln!(out, "{}", serde_json::Value::Array(list));
        return Ok(0);
    }
    for d in &kb.intents {
        let r = writeln!(
            out,
            "{}  ({:?}, {} example{}, popularity {})\n  {}\n  {}\n  follow-ups: {}\n",
            d.id,
            d.kind,
            d.examples.len(),
            if d.examples.len() == 1 { "" } else { "s" },
            d.popularity,
            clean(&d.title),
            clean(&d.answer),
            if d.follow_ups.is_empty() {
                "-".to_string()
            } else {
                d.follow_ups.join(", ")
            }
        );
        if r.is_err() {
            break;
        }
    }
    Ok(0)
}
