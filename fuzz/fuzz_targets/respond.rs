//! Utterances through `Engine::respond` on the bundled knowledge base:
//! several turns of one session (choice numbers, yes/no to offers,
//! follow-ups in context), each explained.
//!
//! Input: turns separated by the byte 0xFF (never in UTF-8), each decoded
//! lossily, so valid UTF-8 and arbitrary bytes both reach the engine. At
//! most `MAX_TURNS` turns.
//!
//! Checks, per turn: no panic; `respond_traced` and `respond` give the
//! same reply and session; the confidence is finite and in 0..=1; the reply
//! has text; at most `MAX_OFFERED` choices are on offer; the counted work
//! stays within `MAX_RATIO` times that of the longest ordinary message
//! (`tests/input/slow.ron`'s baseline); the explanation is made, rendered
//! and serialised; the session survives a JSON round trip; `rank` gives at
//! most the entries asked for, with confidences in 0..=1 (its order is
//! the raw evidence's: the calibrated confidences of low entries may be
//! out of order, by design).
#![no_main]

use faqbot::dialogue::choice::MAX_OFFERED;
use faqbot::explain::Explanation;
use faqbot::matcher::work;
use faqbot::Session;
use faqbot_fuzz::{fixture, in_unit, Fixture, MAX_RATIO};
use libfuzzer_sys::fuzz_target;

const MAX_TURNS: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Fixture { engine, baseline } = fixture();
    let mut session = Session::new();
    for raw in data.split(|&b| b == 0xFF).take(MAX_TURNS) {
        let text = String::from_utf8_lossy(raw);
        let mut plain = session.clone();
        let ((reply, decision), units) =
            work::measure(|| engine.respond_traced(&mut session, &text));
        assert!(
            units <= MAX_RATIO * baseline,
            "{units} work units, more than {MAX_RATIO} x {baseline}"
        );
        let same = engine.respond(&mut plain, &text);
        assert_eq!(same, reply, "respond and respond_traced differ");
        assert_eq!(
            plain, session,
            "respond and respond_traced leave different sessions"
        );
        assert!(in_unit(reply.confidence), "confidence {}", reply.confidence);
        assert!(!reply.text.trim().is_empty(), "a reply without text");
        assert!(reply.suggestions.len() <= MAX_OFFERED);
        assert!(session.offered.len() <= MAX_OFFERED);
        for a in &reply.alternatives {
            assert!(in_unit(a.confidence), "alternative {a:?}");
        }
        let x = Explanation::try_new(engine, &reply, &decision).expect("its own engine");
        let _ = x.render();
        let _ = x.render_short();
        serde_json::to_string(&x).expect("the explanation serialises");
        let json = serde_json::to_string(&session).expect("the session serialises");
        let back: Session = serde_json::from_str(&json).expect("the session reads back");
        assert_eq!(back, session);
        let ranking = engine.rank(&text, 5);
        assert!(ranking.len() <= 5);
        assert!(ranking.iter().all(|s| in_unit(s.confidence)), "{ranking:?}");
    }
});
