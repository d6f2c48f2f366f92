//! The evaluation [`Report`] as text for people (`faqbot eval` without
//! `--json`).

use super::*;

/// `0.933`, or `-` for an undefined figure.
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The report as text for people; the sweep is shown every 0.05.
pub fn render(report: &Report) -> String {
    use std::fmt::Write;
    let r = report;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "lines: {} ({} in scope, {} out of scope)",
        r.lines, r.in_scope, r.out_of_scope
    );
    if !r.unknown_labels.is_empty() {
        let _ = writeln!(
            out,
            "labels naming no intent (counted wrong): {}",
            r.unknown_labels.join(", ")
        );
    }
    let right = r
        .accuracy
        .map_or(0, |a| (a * r.in_scope as f64).round() as usize);
    let _ = writeln!(
        out,
        "accuracy (in scope, top intent, no threshold): {} ({right}/{})",
        fmt_opt(r.accuracy),
        r.in_scope
    );
    let _ = writeln!(
        out,
        "macro-F1 over intents:                         {}",
        fmt_opt(r.macro_f1)
    );
    let a = &r.at_threshold;
    let _ = writeln!(
        out,
        "at threshold {:.2}, margin {:.2}: {} answered, {} clarifications, {} fallbacks",
        a.threshold, a.margin, a.answered, a.clarified, a.fallbacks
    );
    let _ = writeln!(
        out,
        "  in-scope accuracy:     {}",
        fmt_opt(a.in_scope_accuracy)
    );
    if a.unanswered_in_scope > 0 {
        let _ = writeln!(
            out,
            "  in-scope lines not answered: {}, of which {} offer the right intent among the suggestions (one click away)",
            a.unanswered_in_scope, a.offered_right
        );
    }
    if r.out_of_scope > 0 {
        // Said in words: trial 58's owner read "out-of-scope precision:
        // 0.294" and could not tell what it measured.
        let _ = writeln!(
            out,
            "  out-of-scope recall:   {} (share of the out-of-scope lines left without an FAQ answer)",
            fmt_opt(a.oos_recall)
        );
        let _ = writeln!(
            out,
            "  out-of-scope precision: {} (share of the lines left without an FAQ answer that were out of scope)",
            fmt_opt(a.oos_precision)
        );
    }
    if !r.confusions.is_empty() {
        let _ = writeln!(out, "most confused (expected -> predicted):");
        for c in &r.confusions {
            let _ = writeln!(out, "  {:>4}  {} -> {}", c.count, c.expected, c.predicted);
        }
    }
    render_weakest(&mut out, r);
    render_misses(&mut out, r);
    let _ = writeln!(
        out,
        "threshold sweep (margin {:.2}; every 0.05, and the recommended threshold marked *):",
        a.margin
    );
    let _ = writeln!(
        out,
        "  (coverage: share of lines answered; accuracy: share of answered lines answered right;\n   \
         utility: (right − wrong decisions) / lines. At threshold 0 coverage stays below 1: a \
         close\n   runner-up makes a clarification, and rules offer a top rather than answer it)"
    );
    let _ = writeln!(out, "  threshold  coverage  accuracy  oos-recall  utility");
    let recommended = (r.recommended_threshold * 100.0).round() as i32;
    for p in r.sweep.iter().filter(|p| {
        let t = (p.threshold * 100.0).round() as i32;
        t % 5 == 0 || t == recommended
    }) {
        let mark = if (p.threshold * 100.0).round() as i32 == recommended {
            '*'
        } else {
            ' '
        };
        let _ = writeln!(
            out,
            " {mark}{:>9.2}  {:>8.3}  {:>8}  {:>10}  {:>7.3}",
            p.threshold,
            p.coverage,
            fmt_opt(p.accuracy),
            fmt_opt(p.oos_recall),
            p.utility
        );
    }
    let _ = writeln!(
        out,
        "recommended threshold: {:.2} (most right minus wrong decisions)",
        r.recommended_threshold
    );
    if r.lines < FEW_LINES {
        let _ = writeln!(
            out,
            "  (from {} lines only: too few to choose a threshold by; the default is calibrated \
             for every knowledge base, so change bot.ron's threshold only after measuring on at \
             least {FEW_LINES} labelled customer questions)",
            r.lines
        );
    }
    if r.out_of_scope == 0 && r.in_scope > 0 {
        let _ = writeln!(
            out,
            "  (the file has no out-of-scope lines (\"intent\": null): the sweep cannot count \
             answers to questions the bot should not answer, so a lower threshold looks better \
             here than it is; add customer questions your knowledge base does not answer)"
        );
    }
    let c = &r.calibration;
    if c.ece.is_some() {
        let _ = writeln!(
            out,
            "calibration (in scope, top confidence vs top intent right): ECE {}",
            fmt_opt(c.ece)
        );
        let _ = writeln!(out, "  confidence  lines  mean conf.  accuracy");
        for b in c.bins.iter().filter(|b| b.lines > 0) {
            let _ = writeln!(
                out,
                "  {:.1}-{:.1}     {:>5}  {:>10}  {:>8}",
                b.lower,
                b.lower + 1.0 / CALIBRATION_BINS as f32,
                b.lines,
                fmt_opt(b.confidence),
                fmt_opt(b.accuracy)
            );
        }
    }
    let _ = write!(
        out,
        "throughput: {:.0} utterances/s ({} in {:.3} s, one thread)",
        r.utterances_per_second, r.lines, r.seconds
    );
    out
}

/// How many intents "weakest intents" lists.
pub const SHOWN_WEAKEST: usize = 5;

/// The intents whose lines most often rank another intent first (lowest
/// recall, then most lines), at most [`SHOWN_WEAKEST`], when any is below
/// 1.0: `  delivery  recall 0.50 (2 of 4), precision 1.00`. Where to add
/// examples first.
fn render_weakest(out: &mut String, r: &Report) {
    use std::fmt::Write;
    let mut weak: Vec<&IntentScore> = r
        .intents
        .iter()
        .filter(|s| s.support > 0 && s.recall < 1.0)
        .collect();
    if weak.is_empty() {
        return;
    }
    weak.sort_by(|a, b| {
        a.recall
            .total_cmp(&b.recall)
            .then(b.support.cmp(&a.support))
            .then(a.intent.cmp(&b.intent))
    });
    let width = weak
        .iter()
        .take(SHOWN_WEAKEST)
        .map(|s| s.intent.len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "weakest intents (their lines' top intent, no threshold; {} of {} below recall 1.00):",
        weak.len(),
        r.intents.iter().filter(|s| s.support > 0).count()
    );
    for s in weak.iter().take(SHOWN_WEAKEST) {
        let right = (s.recall * s.support as f64).round() as usize;
        let _ = writeln!(
            out,
            "  {:<width$}  recall {:.2} ({right} of {}), precision {:.2}",
            s.intent, s.recall, s.support, s.precision
        );
    }
}

/// The lines not handled right at the threshold, at most [`SHOWN_MISSES`]:
/// `line 3: expected x, got fallback (top x 0.23): "the text"`.
fn render_misses(out: &mut String, r: &Report) {
    use std::fmt::Write;
    if r.misses.is_empty() {
        return;
    }
    let a = &r.at_threshold;
    let _ = writeln!(
        out,
        "not handled right at threshold {:.2} ({} of {} lines):",
        a.threshold,
        r.misses.len(),
        r.lines
    );
    for m in r.misses.iter().take(SHOWN_MISSES) {
        let expected = m.expected.as_deref().unwrap_or("out of scope");
        let got = match (&m.answered, &m.top) {
            (Some(i), _) => format!("{} {i} {:.2}", m.kind, m.confidence),
            // 0.646 at the threshold 0.65 is shown as 0.646 (trial 30).
            (None, Some(t)) => format!(
                "{} (top {t} {})",
                m.kind,
                crate::dialogue::apart(m.confidence, a.threshold).0
            ),
            (None, None) => m.kind.clone(),
        };
        match &m.location {
            Some(at) => {
                let _ = write!(out, "  {at}: expected {expected}, got {got}");
            }
            None => {
                let _ = write!(out, "  line {}: expected {expected}, got {got}", m.line);
            }
        }
        if m.text.is_empty() {
            let _ = writeln!(out);
        } else {
            let _ = writeln!(out, ": {:?}", m.text);
        }
    }
    if r.misses.len() > SHOWN_MISSES {
        let _ = writeln!(
            out,
            "  … and {} more (`--json` lists every one under \"misses\")",
            r.misses.len() - SHOWN_MISSES
        );
    }
}

/// Fewer labelled lines than this get a caution under the recommended
/// threshold: with a few dozen lines one question moves the sweep's
/// right-minus-wrong by several points, and a new user would copy the
/// number (seen in a new-user trial: 20 lines recommended 0.05).
pub const FEW_LINES: usize = 100;
