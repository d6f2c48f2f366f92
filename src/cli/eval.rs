//! `faqbot eval --intents DIR FILE.jsonl`: accuracy, F1, out-of-scope
//! handling, a threshold sweep and throughput on labelled utterances.

use super::{load_engine, Cli};
use crate::eval::{evaluate, render, Report};
use crate::import::read_jsonl_file;
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `faqbot eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled utterances, one `{"text": ..., "intent": ...}` per line.
    pub file: PathBuf,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Draw the threshold sweep to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Runs `faqbot eval`.
///
/// # Errors
/// Knowledge-base errors, unreadable or malformed input, an unwritable plot.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let started = Instant::now();
    let engine = load_engine(cli.intents.as_ref())?;
    let loaded = started.elapsed();
    let rows = read_jsonl_file(&args.file)?;
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
            "{} against {} ({} intents, {} examples with titles, loaded in {} ms)",
            args.file.display(),
            cli.intents.as_ref().map_or_else(
                || "the bundled knowledge base".to_string(),
                |p| p.display().to_string()
            ),
            kb.intents.len(),
            engine.matcher().example_count(),
            loaded.as_millis()
        );
        println!("{}", render(&report));
        if let Some(p) = &args.plot {
            println!("sweep drawn to {}", p.display());
        }
    }
    Ok(0)
}

type Getter = fn(&crate::eval::SweepPoint) -> Option<f64>;

/// Draws coverage, accuracy of what is answered and OOS recall against the
/// threshold, with the configured and the recommended threshold marked.
///
/// # Errors
/// When the SVG cannot be drawn or written.
pub fn plot(report: &Report, path: &Path) -> Result<()> {
    use plotters::prelude::*;
    let err = |e: String| Error::data(path.display().to_string(), e);
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
    let mut chart = ChartBuilder::on(&root)
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
    root.present().map_err(|e| err(e.to_string()))?;
    Ok(())
}
