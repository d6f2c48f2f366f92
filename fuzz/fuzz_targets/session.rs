//! A stored conversation (the server keeps one per session id, as JSON,
//! in memory or in Redis) that is hostile or corrupted, then turns on it
//! as the chat handler plays them: `respond_traced`, `Conversation::record`
//! with a transcript, and the conversation stored again.
//!
//! Input: the stored JSON, then after a byte 0xFF the turns (separated by
//! 0xFF, decoded lossily; at most `MAX_TURNS`). Also read as a bare
//! `Session`, and as a chat request body.
//!
//! Checks: no panic; every turn's counted work stays within `MAX_RATIO`
//! times that of the longest ordinary message from a fresh session
//! (whatever the stored session holds: a huge `last_utterance`, thousands
//! of `offered` ids); the confidence is finite and in 0..=1; the
//! conversation stays within its caps (`MAX_TRANSCRIPT_TURNS`,
//! `MAX_OFFERED` suggestions) and survives a JSON round trip.
#![no_main]

use faqbot::dialogue::choice::MAX_OFFERED;
use faqbot::explain::Explanation;
use faqbot::matcher::work;
use faqbot::server::api::ChatRequest;
use faqbot::server::sessions::{Conversation, MAX_TRANSCRIPT_TURNS};
use faqbot::Session;
use faqbot_fuzz::{fixture, Fixture, MAX_RATIO};
use libfuzzer_sys::fuzz_target;

const MAX_TURNS: usize = 4;

fuzz_target!(|data: &[u8]| {
    let Fixture { engine, baseline } = fixture();
    let mut parts = data.split(|&b| b == 0xFF);
    let stored = parts.next().unwrap_or_default();
    let _ = serde_json::from_slice::<ChatRequest>(stored);
    if let Ok(mut session) = serde_json::from_slice::<Session>(stored) {
        let (_, units) = work::measure(|| engine.respond(&mut session, "2"));
        assert!(
            units <= MAX_RATIO * baseline,
            "{units} work units (bare session)"
        );
    }
    let Ok(mut conv) = serde_json::from_slice::<Conversation>(stored) else {
        return;
    };
    let turns: Vec<String> = parts
        .take(MAX_TURNS)
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    let turns = if turns.is_empty() {
        vec!["1".to_string()]
    } else {
        turns
    };
    for (n, text) in turns.iter().enumerate() {
        let ((reply, decision), units) =
            work::measure(|| engine.respond_traced(&mut conv.session, text));
        assert!(
            units <= MAX_RATIO * baseline,
            "{units} work units, more than {MAX_RATIO} x {baseline}"
        );
        assert!(
            reply.confidence.is_finite() && (0.0..=1.0).contains(&reply.confidence),
            "{reply:?}"
        );
        assert!(reply.suggestions.len() <= MAX_OFFERED);
        let x = Explanation::try_new(engine, &reply, &decision).expect("its own engine");
        let _ = x.render_short();
        conv.record(&reply, n as u64, true);
        assert!(conv.transcript.len() <= MAX_TRANSCRIPT_TURNS);
        let json = serde_json::to_string(&conv).expect("the conversation serialises");
        let back: Conversation = serde_json::from_str(&json).expect("the conversation reads back");
        assert_eq!(back.session, conv.session);
    }
});
