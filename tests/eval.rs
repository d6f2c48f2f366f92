//! `faqbot eval` metrics on a tiny case computed by hand.

use faqbot::eval::{evaluate, score, Prediction};
use faqbot::import::Labelled;
use faqbot::matcher::{Evidence, Scored};
use faqbot::{Engine, KnowledgeBase};
use std::path::PathBuf;
use std::time::Duration;

const KB: &str = r#"[
    (id: "a", title: "Opening hours", examples: ["when are you open", "opening hours"], answer: "A"),
    (id: "b", title: "Reset my PIN", examples: ["forgot my pin", "reset pin"], answer: "B"),
    (id: "c", title: "Delivery costs", examples: ["how much is delivery", "shipping costs"], answer: "C"),
]"#;

fn engine() -> Engine {
    // The figures are computed by hand from these examples' own words: the
    // common synonym groups ("delivery" ~ "shipping", "cost" ~ "price")
    // stay off.
    let kb = KnowledgeBase::from_sources(vec![
        (PathBuf::from("kb.ron"), KB.into()),
        (PathBuf::from("bot.ron"), "(common_synonyms: false)".into()),
    ])
    .unwrap();
    Engine::new(kb)
}

/// A one-intent ranking with this confidence; the policy's own decision
/// at threshold 0.45 comes from `Engine::decide`.
fn pred(engine: &Engine, intent: usize, confidence: f32) -> Prediction {
    let ranking = vec![Scored {
        intent,
        confidence,
        // It shares a content word with the message: an FAQ top that
        // shares none is never an answer.
        evidence: Evidence {
            coverage: 1.0,
            familiarity: 1.0,
            ..Evidence::default()
        },
    }];
    let (kind, answered) = engine.decide(&ranking, 0.45, 0.06);
    Prediction {
        ranking,
        kind,
        answered,
        offered: Vec::new(),
        raised: false,
    }
}

#[test]
fn metrics_match_the_hand_computed_figures() {
    let e = engine();
    let (a, b, c) = (0, 1, 2);
    // label, top intent, confidence
    let cases = [
        (Some("a"), a, 0.9), // right
        (Some("a"), b, 0.6), // wrong
        (Some("b"), b, 0.8), // right
        (Some("b"), b, 0.3), // right, but below the threshold
        (Some("c"), a, 0.5), // wrong
        (None, c, 0.2),      // out of scope, rejected at 0.45
        (None, a, 0.7),      // out of scope, answered at 0.45
    ];
    let preds: Vec<Prediction> = cases.iter().map(|&(_, i, c)| pred(&e, i, c)).collect();
    let labels: Vec<Option<String>> = cases.iter().map(|c| c.0.map(str::to_string)).collect();
    let r = score(&e, &preds, &labels, Duration::from_millis(7));

    assert_eq!((r.lines, r.in_scope, r.out_of_scope), (7, 5, 2));
    // Lines 1, 3 and 4 of the 5 in scope.
    assert_eq!(r.accuracy, Some(0.6));
    // At 0.45: line 2 and 5 answered wrongly, line 4 not answered, line 7
    // (out of scope) answered.
    let missed: Vec<(usize, Option<&str>, &str, Option<&str>)> = r
        .misses
        .iter()
        .map(|m| {
            (
                m.line,
                m.expected.as_deref(),
                m.kind.as_str(),
                m.answered.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        missed,
        [
            (2, Some("a"), "answer", Some("b")),
            (4, Some("b"), "fallback", None),
            (5, Some("c"), "answer", Some("a")),
            (7, None, "answer", Some("a")),
        ]
    );
    // a: P 1/2 R 1/2 F1 0.5; b: P 2/3 R 1 F1 0.8; c: F1 0.
    let f1 = r.macro_f1.unwrap();
    assert!((f1 - 1.3 / 3.0).abs() < 1e-9, "{f1}");
    let fb = r.intents.iter().find(|s| s.intent == "b").unwrap();
    assert!((fb.precision - 2.0 / 3.0).abs() < 1e-9 && fb.recall == 1.0);

    // At 0.45: lines 1, 2, 3, 5, 7 answered; 4 and 6 are fallbacks.
    let at = &r.at_threshold;
    assert_eq!((at.answered, at.fallbacks, at.clarified), (5, 2, 0));
    assert_eq!(at.in_scope_accuracy, Some(0.4)); // lines 1 and 3
    assert_eq!(at.oos_recall, Some(0.5)); // line 6 of 6 and 7
    assert_eq!(at.oos_precision, Some(0.5)); // line 6 of 4 and 6

    let confused: Vec<(&str, &str, usize)> = r
        .confusions
        .iter()
        .map(|c| (c.expected.as_str(), c.predicted.as_str(), c.count))
        .collect();
    assert_eq!(confused, [("a", "b", 1), ("c", "a", 1)]);

    // Sweep at 0.00: everything answered, 3 right of 7, no OOS rejected,
    // utility (3 + 0 - 4) / 7.
    let p0 = &r.sweep[0];
    assert_eq!(p0.coverage, 1.0);
    assert!((p0.accuracy.unwrap() - 3.0 / 7.0).abs() < 1e-9);
    assert_eq!(p0.oos_recall, Some(0.0));
    assert!((p0.utility + 1.0 / 7.0).abs() < 1e-9);
    // 0.71..=0.80 answer lines 1 and 3 only: (2 + 2 - 0) / 7, the best;
    // the lowest such threshold is recommended.
    let p71 = &r.sweep[71];
    assert!((p71.coverage - 2.0 / 7.0).abs() < 1e-9);
    assert_eq!(p71.accuracy, Some(1.0));
    assert_eq!(p71.oos_recall, Some(1.0));
    assert!((p71.utility - 4.0 / 7.0).abs() < 1e-9);
    assert_eq!(r.recommended_threshold, 0.71);
    // A tie is no reason to move: with bot.ron's threshold inside the best
    // range it is recommended itself, above it the range's nearest end.
    for (own, recommended) in [(0.75, 0.75), (0.9, 0.8)] {
        let kb = KnowledgeBase::from_sources(vec![
            (PathBuf::from("bot.ron"), format!("(threshold: {own})")),
            (PathBuf::from("kb.ron"), KB.into()),
        ])
        .unwrap();
        let r = score(&Engine::new(kb), &preds, &labels, Duration::from_millis(7));
        assert_eq!(r.recommended_threshold, recommended, "bot.ron {own}");
    }
    assert!((r.utterances_per_second - 1000.0).abs() < 1e-6);

    // Calibration over the 5 in-scope lines: bin 0.9 (0.9, right), bin 0.6
    // (0.6, wrong), bin 0.8 (0.8, right), bin 0.3 (0.3, right), bin 0.5
    // (0.5, wrong): ECE = (0.1 + 0.6 + 0.2 + 0.7 + 0.5) / 5 = 0.42.
    let cal = &r.calibration;
    assert!((cal.ece.unwrap() - 0.42).abs() < 1e-6, "{cal:?}");
    assert_eq!(cal.bins.iter().map(|b| b.lines).sum::<usize>(), 5);
    assert_eq!(cal.bins[6].accuracy, Some(0.0));
    assert_eq!(cal.bins[3].accuracy, Some(1.0));
}

/// A reply whose confidence a rule set to the threshold (`raised_by`) is
/// answered whatever threshold `bot.ron` sets, so the sweep answers it at
/// every threshold: a new user set the recommended threshold 0.66 and
/// got the same out-of-scope answers as at 0.65.
#[test]
fn the_sweep_answers_a_raised_reply_at_every_threshold() {
    let e = engine();
    let (a, b) = (0, 1);
    // label, top intent, confidence, raised by a rule
    let cases = [
        (Some("a"), a, 0.9, false), // right
        (Some("b"), b, 0.65, false),
        (None, a, 0.65, true), // out of scope, raised to the threshold
    ];
    let preds: Vec<Prediction> = cases
        .iter()
        .map(|&(_, i, c, raised)| Prediction {
            raised,
            ..pred(&e, i, c)
        })
        .collect();
    let labels: Vec<Option<String>> = cases.iter().map(|c| c.0.map(str::to_string)).collect();
    let r = score(&e, &preds, &labels, Duration::from_millis(1));
    for p in &r.sweep {
        // The raised line is answered (wrongly) at every threshold.
        assert_eq!(p.oos_recall, Some(0.0), "{p:?}");
    }
    // Above 0.65 only lines 1 and 3 are answered; without the rule the
    // out-of-scope line would have been rejected there.
    let p66 = &r.sweep[66];
    assert!((p66.coverage - 2.0 / 3.0).abs() < 1e-9, "{p66:?}");
    assert_eq!(p66.accuracy, Some(0.5));
    let plain: Vec<Prediction> = cases.iter().map(|&(_, i, c, _)| pred(&e, i, c)).collect();
    let r = score(&e, &plain, &labels, Duration::from_millis(1));
    assert_eq!(r.sweep[66].oos_recall, Some(1.0));
}

#[test]
fn evaluate_runs_the_engine_and_resolves_labels() {
    let e = engine();
    let rows = vec![
        Labelled {
            text: "forgot my pin".into(),
            intent: Some("b".into()),
        },
        Labelled {
            text: "Opening hours".into(),
            intent: Some("A".into()),
        },
        Labelled {
            text: "shipping costs".into(),
            intent: Some("c".into()),
        },
        Labelled {
            text: "zebra quantum".into(),
            intent: None,
        },
        Labelled {
            text: "reset pin".into(),
            intent: Some("nope".into()),
        },
    ];
    let r = evaluate(&e, &rows);
    assert_eq!(r.unknown_labels, ["nope"]);
    // "A" resolves to `a` through its slug; the unknown label counts wrong.
    assert_eq!(r.accuracy, Some(0.75));
    assert_eq!(r.at_threshold.oos_recall, Some(1.0));
    // The line with the unknown label is a miss, with its text.
    let last = r.misses.last().expect("a miss");
    assert_eq!((last.line, last.text.as_str()), (5, "reset pin"));
    assert_eq!(r.at_threshold.answered, 4);
    assert_eq!(
        r.confusions
            .iter()
            .map(|c| c.expected.as_str())
            .collect::<Vec<_>>(),
        ["(unknown label)"]
    );
}

/// An in-scope line that falls back offering its intent counts as one
/// click away; one offering another intent does not, and an answered or
/// out-of-scope line is not counted at all.
#[test]
fn unanswered_lines_that_offer_the_right_intent_are_counted() {
    let e = engine();
    let row = |text: &str, intent: Option<&str>| Labelled {
        text: text.into(),
        intent: intent.map(Into::into),
    };
    let rows = vec![
        // Falls back offering `a` (opening hours) alone.
        row("is the shop open on sunday morning", Some("a")),
        row("is the shop open on sunday morning", Some("c")),
        row("forgot my pin", Some("b")),
        row("is the shop open on sunday morning", None),
    ];
    let r = evaluate(&e, &rows);
    let a = &r.at_threshold;
    assert_eq!(a.answered, 1, "{a:?}");
    assert_eq!((a.unanswered_in_scope, a.offered_right), (2, 1));
    assert!(faqbot::eval::render(&r)
        .contains("in-scope lines not answered: 2, of which 1 offer the right intent"));
}

#[test]
fn an_empty_file_gives_undefined_figures_not_a_panic() {
    let r = evaluate(&engine(), &[]);
    assert_eq!(r.accuracy, None);
    assert_eq!(r.macro_f1, None);
    assert_eq!(r.sweep.len(), 101);
}

/// A recommended threshold from a few dozen lines comes with a caution
/// (one question moves it by several points); from enough lines, none.
#[test]
fn a_threshold_from_few_lines_comes_with_a_caution() {
    let e = engine();
    let rows = |n: usize| -> Vec<Labelled> {
        (0..n)
            .map(|i| Labelled {
                text: ["forgot my pin", "when are you open", "zebra quantum"][i % 3].into(),
                intent: [Some("b".to_string()), Some("a".into()), None][i % 3].clone(),
            })
            .collect()
    };
    let few = faqbot::eval::render(&evaluate(&e, &rows(30)));
    assert!(few.contains("from 30 lines only: too few"), "{few}");
    let enough = faqbot::eval::FEW_LINES;
    let many = faqbot::eval::render(&evaluate(&e, &rows(enough)));
    assert!(many.contains("recommended threshold"), "{many}");
    assert!(!many.contains("too few"), "{many}");
}

/// A sweep over in-scope lines only cannot see answers to questions the
/// bot should not answer: the report says so; with out-of-scope lines, not.
#[test]
fn a_file_without_out_of_scope_lines_comes_with_a_caution() {
    let e = engine();
    let line = |text: &str, intent: Option<&str>| Labelled {
        text: text.into(),
        intent: intent.map(String::from),
    };
    let in_scope = [
        line("forgot my pin", Some("b")),
        line("when are you open", Some("a")),
    ];
    let only = faqbot::eval::render(&evaluate(&e, &in_scope));
    assert!(only.contains("no out-of-scope lines"), "{only}");
    let mut both = in_scope.to_vec();
    both.push(line("zebra quantum", None));
    let mixed = faqbot::eval::render(&evaluate(&e, &both));
    assert!(!mixed.contains("no out-of-scope lines"), "{mixed}");
}

/// Three intents whose examples share their topic's words, one example
/// that shares nothing with its intent, and an out-of-scope intent.
const CV_KB: &str = r#"[
    (id: "hours", title: "Opening hours", examples: ["opening hours on monday", "opening hours on sunday", "opening hours at easter", "opening hours in winter"], answer: "9 to 5."),
    (id: "pin", title: "Reset my PIN", examples: ["forgot pin code", "reset pin code", "new pin code", "pin code wrong"], answer: "Tap Forgot PIN."),
    (id: "delivery", title: "Delivery costs", examples: ["delivery price abroad", "delivery price at home", "zebra xylophone quartet"], answer: "Free over 50."),
    (id: "off_topic", title: "Not covered", kind: OutOfScope, examples: ["weather tomorrow in paris", "weather tomorrow in rome", "best pizza recipe", "best pasta recipe"]),
]"#;

#[test]
fn cross_validation_answers_each_example_with_a_bot_built_without_it() {
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("cv.ron"), CV_KB.into())]).unwrap();
    let engine = Engine::new(kb);
    let cv = faqbot::eval::cross_validate(&engine, 5);
    assert_eq!(cv.folds, 5);
    assert!(cv.kept_whole.is_empty(), "{:?}", cv.kept_whole);
    let r = &cv.report;
    // Every example once: 4 + 4 + 3 in scope, the out-of-scope intent's 4 out.
    assert_eq!((r.lines, r.in_scope, r.out_of_scope), (15, 11, 4));
    // The odd example shares no word with its intent: its top is not
    // `delivery`; every other in-scope example shares its topic's words.
    assert_eq!(r.accuracy, Some(10.0 / 11.0));
    let odd: Vec<_> = r
        .misses
        .iter()
        .filter(|m| m.expected.as_deref() == Some("delivery"))
        .collect();
    assert_eq!(odd.len(), 1, "{:?}", r.misses);
    assert_eq!(odd[0].text, "zebra xylophone quartet");
    // Its position among all the examples (intents sorted by id:
    // delivery, hours, off_topic, pin): the third.
    assert_eq!(odd[0].line, 3);
    assert_eq!(
        faqbot::eval::cross_validate::example_at(engine.knowledge_base(), 3),
        Some((0, 2))
    );
    // The same knowledge base with its examples reversed: the same folds,
    // so the same report (the deal hashes texts, it does not count them).
    let mut reversed = engine.knowledge_base().clone();
    for d in &mut reversed.intents {
        d.examples.reverse();
    }
    let again = faqbot::eval::cross_validate(&Engine::new(reversed), 5);
    assert_eq!(again.report.accuracy, r.accuracy);
    assert_eq!(again.report.at_threshold.answered, r.at_threshold.answered);
}
