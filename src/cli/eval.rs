//! `faqbot eval --intents DIR FILE.jsonl`: accuracy, F1, out-of-scope
//! handling, a threshold sweep and throughput on labelled utterances;
//! `faqbot eval --cross-validate`: the same report on the knowledge base's
//! own examples, each answered by a bot built without it
//! ([`crate::eval::cross_validate()`]).

use super::{load_engine_with, Cli};
use crate::eval::{cross_validate, evaluate, render, CrossValidation, Report};
use crate::import::read_jsonl_file;
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `faqbot eval`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["file", "cross_validate"])))]
pub struct Args {
    /// Labelled utterances, one `{"text": ..., "intent": ...}` per line
    /// (or `--cross-validate` instead). The intent is an intent's id or
    /// its title (a sheet row's question; case, surrounding spaces and
    /// final punctuation aside), or `null` for a question the bot should
    /// not answer.
    #[arg(
        required_unless_present = "cross_validate",
        conflicts_with = "cross_validate"
    )]
    pub file: Option<PathBuf>,
    /// Instead of a file: estimate how the knowledge base answers phrasings
    /// it has not seen, from its own examples (k-fold cross-validation:
    /// each example answered by a bot built without it; an out-of-scope
    /// intent's examples must get no answer). Same report as for a file.
    #[arg(long, visible_alias = "cv")]
    pub cross_validate: bool,
    /// Folds of `--cross-validate` (2 to 20; each builds a bot).
    #[arg(long, value_name = "K", default_value_t = crate::eval::DEFAULT_FOLDS as u64,
          value_parser = clap::value_parser!(u64).range(2..=crate::eval::cross_validate::MAX_FOLDS as u64),
          requires = "cross_validate")]
    pub folds: u64,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Draw the threshold sweep and, next to it, the reliability diagram
    /// (accuracy against confidence) to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Runs `faqbot eval`.
///
/// # Errors
/// Knowledge-base errors, unreadable or malformed input, an unwritable plot.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let started = Instant::now();
    let engine = load_engine_with(cli)?;
    let loaded = started.elapsed();
    let Some(file) = &args.file else {
        return run_cross_validation(cli, args, &engine);
    };
    let rows = read_jsonl_file(file)?;
    // Every line would count as out of scope: no figure would mean
    // anything, the recommended threshold least (trial 43 was told 0.80).
    if let Some(problem) = unlabelled(engine.knowledge_base(), file, &rows) {
        return Err(Error::data(file.display().to_string(), problem));
    }
    let labels: Vec<Option<String>> = rows.iter().map(|r| r.intent.clone()).collect();
    crate::eval::label::check_labels(
        engine.knowledge_base(),
        &file.display().to_string(),
        &labels,
    )?;
    let report = evaluate(&engine, &rows);
    if let Some(path) = &args.plot {
        plot(&report, path)?;
    }
    if args.json || cli.json {
        let json =
            serde_json::to_string(&report).map_err(|e| Error::data("<json>", e.to_string()))?;
        println!("{json}");
    } else {
        let kb = engine.knowledge_base();
        println!(
            "{} against {} ({} intents, {} examples, loaded in {} ms)",
            file.display(),
            cli.intents.as_ref().map_or_else(
                || "the bundled knowledge base".to_string(),
                |p| p.display().to_string()
            ),
            kb.intents.len(),
            // As `faqbot import` and `check` count them (titles apart).
            kb.intents.iter().map(|d| d.examples.len()).sum::<usize>(),
            loaded.as_millis()
        );
        println!("{}", render(&report));
        if let Some(p) = &args.plot {
            println!("sweep drawn to {}", p.display());
        }
    }
    Ok(0)
}

/// `faqbot eval --cross-validate`: the report on the knowledge base's own
/// examples.
fn run_cross_validation(cli: &Cli, args: &Args, engine: &crate::Engine) -> Result<u8> {
    let mut cv: CrossValidation = cross_validate(engine, args.folds as usize);
    let kb = engine.knowledge_base();
    // The engine keeps no file text: read the files again to place each
    // miss at its example (`file:line:col`), if they still say the same.
    let files = match &cli.intents {
        Some(dir) => crate::kb::read_dir_sources(dir).ok(),
        None => Some(crate::kb::bundled_sources()),
    };
    let sourced = files.and_then(|f| crate::KnowledgeBase::from_sources(f).ok());
    if let Some(src) = sourced.filter(|s| s.intents == kb.intents) {
        let places = crate::check::locate::SourceIndex::new(&src);
        let place = |m: &crate::eval::Miss| {
            let (i, e) = crate::eval::cross_validate::example_at(kb, m.line)?;
            // A text given twice: the place of this copy.
            let ex = &kb.intents[i].examples;
            let nth = ex[..e].iter().filter(|x| **x == ex[e]).count();
            places.value_nth(i, "examples", &ex[e], nth).location
        };
        let mut located: Vec<_> = std::mem::take(&mut cv.report.misses)
            .into_iter()
            .map(|m| (place(&m), m))
            .collect();
        // In file order: by file, line and column (a stable sort).
        located.sort_by_key(|(at, _)| at.as_ref().map(|l| (l.file.clone(), l.line, l.col)));
        cv.report.misses = located
            .into_iter()
            .map(|(at, mut m)| {
                m.location = at.map(|l| l.to_string());
                m
            })
            .collect();
    }
    if let Some(path) = &args.plot {
        plot(&cv.report, path)?;
    }
    if args.json || cli.json {
        let json = serde_json::to_string(&cv).map_err(|e| Error::data("<json>", e.to_string()))?;
        println!("{json}");
        return Ok(0);
    }
    let asked = args.folds as usize;
    let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
    println!(
        "cross-validation of {} ({} intent{}, {} example{}) in {} fold{}{}: each example answered by a bot built without it",
        cli.intents.as_ref().map_or_else(
            || "the bundled knowledge base".to_string(),
            |p| p.display().to_string()
        ),
        kb.intents.len(),
        if kb.intents.len() == 1 { "" } else { "s" },
        examples,
        if examples == 1 { "" } else { "s" },
        cv.folds,
        if cv.folds == 1 { "" } else { "s" },
        if cv.folds < asked {
            format!(" ({asked} asked; the others had nothing to hold out)")
        } else {
            String::new()
        }
    );
    if !cv.kept_whole.is_empty() {
        println!(
            "not held out (a single phrasing, or examples that repeat the title): {}",
            cv.kept_whole.join(", ")
        );
    }
    if cv.report.lines == 0 {
        println!(
            "nothing to hold out: every intent has a single phrasing (its title, or one example); \
             add examples (in a sheet: alternate phrasings) to measure how others fare, or \
             measure on customer questions: one {{\"text\": ..., \"intent\": ...}} per line \
             (`null` for out of scope) in a file, then `faqbot eval FILE`"
        );
        return Ok(0);
    }
    println!("{}", render(&cv.report));
    println!(
        "(authors' examples resemble each other more than customers' messages do: read these \
         figures as an upper bound of what customers will get)"
    );
    if let Some(p) = &args.plot {
        println!("sweep drawn to {}", p.display());
    }
    Ok(0)
}

type Getter = fn(&crate::eval::SweepPoint) -> Option<f64>;

/// Draws coverage, accuracy of what is answered and OOS recall against the
/// threshold, with the configured and the recommended threshold marked; to
/// its right the reliability diagram: per confidence bin, the share of
/// in-scope lines whose top intent is right, against the diagonal of a
/// perfectly calibrated confidence, with the ECE in the caption.
///
/// # Errors
/// When the SVG cannot be drawn or written.
pub fn plot(report: &Report, path: &Path) -> Result<()> {
    use plotters::prelude::*;
    let err = |e: String| Error::data(path.display().to_string(), e);
    let root = SVGBackend::new(path, (1180, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
    let (sweep_area, reliability_area) = root.split_horizontally(720);
    let mut chart = ChartBuilder::on(&sweep_area)
        .caption("faqbot eval: threshold sweep", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..1f32, 0f64..1.02f64)
        .map_err(|e| err(e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc("threshold")
        .y_desc("share")
        .draw()
        .map_err(|e| err(e.to_string()))?;
    let series: [(&str, RGBColor, Getter); 3] = [
        ("coverage", BLUE, |p| Some(p.coverage)),
        ("accuracy of answered", GREEN, |p| p.accuracy),
        ("out-of-scope recall", RED, |p| p.oos_recall),
    ];
    for (name, color, get) in series {
        let pts: Vec<(f32, f64)> = report
            .sweep
            .iter()
            .filter_map(|p| get(p).map(|v| (p.threshold, v)))
            .collect();
        if pts.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(|e| err(e.to_string()))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }
    for (t, color, name) in [
        (report.at_threshold.threshold, BLACK, "configured threshold"),
        (
            report.recommended_threshold,
            MAGENTA,
            "recommended threshold",
        ),
    ] {
        chart
            .draw_series(LineSeries::new(
                vec![(t, 0.0), (t, 1.02)],
                color.stroke_width(1),
            ))
            .map_err(|e| err(e.to_string()))?
            .label(format!("{name} {t:.2}"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(1))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerLeft)
        .draw()
        .map_err(|e| err(e.to_string()))?;
    reliability_plot(report, &reliability_area).map_err(err)?;
    root.present().map_err(|e| err(e.to_string()))?;
    Ok(())
}

/// The reliability diagram: one bar per non-empty confidence bin at its
/// accuracy, the mean confidence as a dot, and the diagonal.
fn reliability_plot<DB: plotters::prelude::DrawingBackend>(
    report: &Report,
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
) -> std::result::Result<(), String> {
    use plotters::prelude::*;
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let c = &report.calibration;
    let caption = format!("reliability (ECE {})", crate::eval::fmt_opt(c.ece));
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f64..1f64, 0f64..1.02f64)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("confidence of the top intent")
        .y_desc("share right")
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.stroke_width(1),
        ))
        .map_err(e)?
        .label("perfect calibration")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(1)));
    let width = 1.0 / crate::eval::CALIBRATION_BINS as f64;
    let bars: Vec<Rectangle<(f64, f64)>> = c
        .bins
        .iter()
        .filter_map(|b| {
            let lo = f64::from(b.lower);
            Some(Rectangle::new(
                [(lo + 0.1 * width, 0.0), (lo + 0.9 * width, b.accuracy?)],
                BLUE.mix(0.5).filled(),
            ))
        })
        .collect();
    chart
        .draw_series(bars)
        .map_err(e)?
        .label("share right, per bin")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BLUE.mix(0.5).filled()));
    let dots: Vec<Circle<(f64, f64), i32>> = c
        .bins
        .iter()
        .filter_map(|b| Some(Circle::new((b.confidence?, b.accuracy?), 4, RED.filled())))
        .collect();
    chart
        .draw_series(dots)
        .map_err(e)?
        .label("(mean confidence, share right)")
        .legend(|(x, y)| Circle::new((x + 9, y), 4, RED.filled()));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(e)?;
    Ok(())
}

/// Why `file` (read as `rows`) cannot be evaluated, when no line has an
/// `"intent"` field at all: every line would count as out of scope, which
/// a file labelled under another name (`"label"`, `"row"`: a new user's
/// trial) does not mean. Names the other fields, and says which to rename
/// when its values are ids or titles of `kb`'s intents. `None` when a line
/// has the field (`"intent": null` is an out-of-scope label) or the file
/// has no lines.
fn unlabelled(
    kb: &crate::kb::KnowledgeBase,
    file: &Path,
    rows: &[crate::import::Labelled],
) -> Option<String> {
    use crate::eval::label::{resolve, Label};
    if rows.is_empty() || rows.iter().any(|r| r.intent.is_some()) {
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    // Each other field, with how many lines give it a string that names an
    // intent, of how many give it a string.
    let mut others: Vec<(String, usize, usize)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str(line) else {
            continue;
        };
        if map.contains_key("intent") {
            return None;
        }
        for (key, value) in map.iter().filter(|(k, _)| *k != "text") {
            let k = match others.iter().position(|o| &o.0 == key) {
                Some(k) => k,
                None => {
                    others.push((key.clone(), 0, 0));
                    others.len() - 1
                }
            };
            if let serde_json::Value::String(v) = value {
                others[k].2 += 1;
                others[k].1 += usize::from(!matches!(resolve(kb, v), Label::Unknown));
            }
        }
    }
    let fields = if others.is_empty() {
        String::new()
    } else {
        format!(
            " (other fields: {})",
            others
                .iter()
                .map(|o| format!("\"{}\"", o.0))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // The field whose strings name intents most often, if most do.
    let rename = others
        .iter()
        .filter(|o| o.1 > 0 && 2 * o.1 >= o.2)
        .max_by_key(|o| o.1)
        .map(|(key, named, strings)| {
            format!(
                "; \"{key}\" names an intent (its id or title) on {named} of its {strings} lines: \
                 rename it \"intent\""
            )
        })
        .unwrap_or_default();
    Some(format!(
        "no line has an \"intent\" field{fields}, so every line would count as out of scope \
         and no figure would mean anything{rename}; label each line {{\"text\": ..., \"intent\": ...}} \
         with an intent's id or title, or \"intent\": null for a question the bot should not answer"
    ))
}
