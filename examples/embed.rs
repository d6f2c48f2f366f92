//! Embedding faqbot in your own program: one engine shared by many
//! conversations, each with its own `Session`.
//!
//! Run with `cargo run --example embed`.

use faqbot::{Engine, ReplyKind, Session};
use std::sync::Arc;

fn main() -> Result<(), faqbot::Error> {
    // Load the bundled MINI App intents (or `Engine::load("my-intents/")`).
    let engine = Arc::new(Engine::bundled()?);

    // Two visitors chat at the same time; the engine is shared, sessions are not.
    let questions = [
        ["I forgot my app PIN", "1"],
        ["hi", "how do I delete my data"],
    ];
    let handles: Vec<_> = questions
        .into_iter()
        .map(|turns| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                let mut session = Session::new();
                for text in turns {
                    let reply = engine.respond(&mut session, text);
                    let who = reply.intent.as_deref().unwrap_or("-");
                    println!(
                        "{text:?} -> {} {who} ({:.2})",
                        reply.kind.as_str(),
                        reply.confidence
                    );
                    if reply.kind == ReplyKind::Answer {
                        println!("    {}", reply.answer.unwrap_or_default());
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("conversation thread");
    }
    Ok(())
}
