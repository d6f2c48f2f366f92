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
                tier: tier(Evidence::Lexical {
                    raw,
                    general_only: false,
                }),
                fused: false,
                phrasing_lead: None,
                general_only: Vec::new(),
            }),
            follow_up: false,
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

/// With the semantic stage on, the fused confidence the bot computed
/// decides, with a row that stands out semantically (trial 43: "pets
/// allowed?", closest the dog row at 0.43, its phrasing 0.35 ahead, was
/// close to no entry; "my son cant swim…" at 0.09 was listed under the
/// rain row); without it, the lexical raw confidence, unless the turn
/// shares only general words with the entry.
#[test]
fn the_tier_comes_from_the_fused_ranking_with_the_stage_and_not_from_general_words() {
    let fused = |confidence, lead, general_only| {
        tier(Evidence::Fused {
            confidence,
            lead,
            general_only,
        })
    };
    assert_eq!(fused(0.43, 0.35, false), Tier::Close);
    assert_eq!(fused(0.43, 0.0, false), Tier::Weak, "no row stands out");
    assert_eq!(fused(0.2, 0.3, false), Tier::Weak);
    assert_eq!(fused(0.09, 0.3, false), Tier::Far);
    // Only the business's word in common: close on the phrasing's lead
    // alone (the model reads the rest), else close to no entry.
    assert_eq!(fused(0.43, 0.35, true), Tier::Close);
    assert_eq!(fused(0.58, -0.09, true), Tier::Far);
    let lexical = |raw, general_only| tier(Evidence::Lexical { raw, general_only });
    assert_eq!(lexical(0.25, false), Tier::Close);
    assert_eq!(lexical(0.15, false), Tier::Weak);
    assert_eq!(lexical(0.05, false), Tier::Far);
    assert_eq!(lexical(0.25, true), Tier::Far, "only the business's word");
}

/// A turn that shares with an entry only a word of the whole business
/// ("boat", in the phrasings of most rows) is close to no entry; one that
/// shares another word with it is listed under it.
#[test]
fn a_turn_sharing_only_a_general_word_is_close_to_no_entry() {
    let kb = crate::KnowledgeBase::from_sources(vec![(
        std::path::PathBuf::from("kb.ron"),
        r#"[
    (id: "fishing", title: "Can we fish from the boat?", examples: ["fishing from the boat"], answer: "Yes, bring your own rods."),
    (id: "price", title: "How much is a boat for a day?", examples: ["boat hire prices"], answer: "£160 a day."),
    (id: "dogs", title: "Can I bring my dog on the boat?", examples: ["dogs on board"], answer: "Yes, dogs are welcome."),
    (id: "parking", title: "Where do we park?", examples: ["car park"], answer: "At the boathouse."),
]"#
        .into(),
    )])
    .unwrap();
    let engine = Engine::new(kb);
    let judge = Judge::new(&engine);
    let nearest = |text: &str| {
        let ranking = engine.rank(text, 5);
        judge
            .nearest_faq(&engine, &ranking, None, text)
            .expect("an FAQ intent ranks")
    };
    let toilet = nearest("is there a toilet on the boat");
    assert_eq!(toilet.general_only, ["boat"], "{toilet:?}");
    assert_eq!(toilet.tier, Tier::Far, "{toilet:?}");
    assert!(!toilet.close && !toilet.fused && toilet.phrasing_lead.is_none());
    let rods = nearest("can my husband bring his fishing rods on the boat");
    assert_eq!(rods.intent, "fishing");
    assert!(rods.general_only.is_empty(), "{rods:?}");
    assert_ne!(rods.tier, Tier::Far, "{rods:?}");
}
