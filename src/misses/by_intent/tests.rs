use super::*;
use crate::misses::group::AnsweredBy;

/// A single-turn group of `text`, its closest FAQ intent `intent` at
/// `confidence` and raw confidence `raw`.
fn single(text: &str, intent: &str, confidence: f32, raw: f32) -> MissGroup {
    MissGroup {
        count: 1,
        samples: vec![Sample {
            text: text.into(),
            count: 1,
            answered_by: None,
            closest: Some(NearestFaq {
                intent: intent.into(),
                confidence,
                raw_confidence: raw,
                close: raw >= crate::dialogue::verdict::PAIR_EVIDENCE_FLOOR,
            }),
        }],
        closest: None,
        answered_now: None,
    }
}

#[test]
fn turns_gather_under_their_closest_entry_most_turns_first() {
    let groups = vec![
        single("pay by card?", "payment", 0.61, 0.35),
        single("price in writing", "quote", 0.58, 0.12),
        single("come round and see my stuff first", "quote", 0.55, 0.25),
        single("edinburgh?", "quote", 0.28, 0.04),
        single("staff checked?", "cost", 0.43, 0.05),
    ];
    let b = by_intent(&groups);
    let entries: Vec<(&str, usize, usize)> = b
        .entries
        .iter()
        .map(|e| (e.intent, e.turns, e.close))
        .collect();
    assert_eq!(entries, [("quote", 2, 1), ("payment", 1, 1)]);
    let quote: Vec<&str> = b.entries[0].samples.iter().map(|t| t.text).collect();
    assert_eq!(
        quote,
        ["come round and see my stuff first", "price in writing"],
        "the close one first, though less confident"
    );
    let not_close: Vec<&str> = b.not_close.iter().map(|t| t.text).collect();
    assert_eq!(
        not_close,
        ["staff checked?", "edinburgh?"],
        "the more confident first"
    );
    assert_eq!(b.not_close_turns(), 2);
}

#[test]
fn entries_of_as_many_turns_go_by_their_close_turns() {
    let groups = vec![
        single("a", "weakly", 0.6, 0.15),
        single("b", "strongly", 0.5, 0.3),
    ];
    let b = by_intent(&groups);
    let order: Vec<&str> = b.entries.iter().map(|e| e.intent).collect();
    assert_eq!(order, ["strongly", "weakly"]);
}

#[test]
fn samples_answered_now_are_left_out_and_unranked_ones_are_close_to_no_entry() {
    let mut fixed = single("can i pay by card", "payment", 0.9, 0.8);
    fixed.samples[0].answered_by = Some(AnsweredBy {
        intent: "payment".into(),
        out_of_scope: false,
        confidence: 0.9,
    });
    let mut unranked = single("zzz", "x", 0.0, 0.0);
    unranked.samples[0].closest = None;
    let groups = vec![fixed, unranked, single("cheque?", "payment", 0.5, 0.3)];
    let b = by_intent(&groups);
    assert_eq!(b.entries.len(), 1);
    assert_eq!(b.entries[0].samples[0].text, "cheque?");
    assert_eq!(b.entries[0].turns, 1);
    assert_eq!(b.not_close.len(), 1);
    assert!(b.not_close[0].closest.is_none());
}

#[test]
fn groups_are_small_when_most_open_groups_are_single_turns() {
    let mut big = single("a", "q", 0.5, 0.3);
    big.count = 4;
    let one = || single("b", "q", 0.5, 0.3);
    assert!(groups_are_small(&[one(), one(), big.clone()]));
    assert!(!groups_are_small(&[one(), big.clone()]), "half is not most");
    assert!(!groups_are_small(&[one()]), "one group says it all");
    assert!(!groups_are_small(&[big.clone(), big, one()]));
}
