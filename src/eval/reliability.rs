//! The reliability table and the expected calibration error (ECE) of
//! `faqbot eval` (see the parent module's doc).

use serde::Serialize;

/// Equal-width confidence bins of the reliability table and the ECE.
pub const CALIBRATION_BINS: usize = 10;

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// One confidence bin of the reliability table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin, 0.0..1.0 (the bin is `[lower, lower + 0.1)`, the last one closed).
    pub lower: f32,
    /// In-scope lines whose top confidence falls in the bin.
    pub lines: usize,
    /// Mean top confidence of those lines, 0.0..=1.0; `None` for an empty bin.
    pub confidence: Option<f64>,
    /// Share of those lines whose top intent is the label; `None` for an empty bin.
    pub accuracy: Option<f64>,
}

/// How well confidences match accuracy (see the module doc).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reliability {
    /// Expected calibration error over the in-scope lines, 0.0..=1.0;
    /// `None` without in-scope lines.
    pub ece: Option<f64>,
    /// The [`CALIBRATION_BINS`] bins, lowest confidence first.
    pub bins: Vec<ReliabilityBin>,
}

/// The reliability table and ECE of (top confidence, top intent is right)
/// pairs; confidences outside 0.0..=1.0 are clamped.
pub fn reliability(pairs: impl IntoIterator<Item = (f32, bool)>) -> Reliability {
    let mut n = [0usize; CALIBRATION_BINS];
    let mut conf = [0.0f64; CALIBRATION_BINS];
    let mut right = [0usize; CALIBRATION_BINS];
    for (c, ok) in pairs {
        let c = if c.is_finite() {
            c.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let b = ((c * CALIBRATION_BINS as f32) as usize).min(CALIBRATION_BINS - 1);
        n[b] += 1;
        conf[b] += f64::from(c);
        right[b] += usize::from(ok);
    }
    let total: usize = n.iter().sum();
    let bins: Vec<ReliabilityBin> = (0..CALIBRATION_BINS)
        .map(|b| ReliabilityBin {
            lower: b as f32 / CALIBRATION_BINS as f32,
            lines: n[b],
            confidence: (n[b] > 0).then(|| conf[b] / n[b] as f64),
            accuracy: ratio(right[b], n[b]),
        })
        .collect();
    let ece = (total > 0).then(|| {
        bins.iter()
            .filter_map(|b| {
                Some(b.lines as f64 / total as f64 * (b.accuracy? - b.confidence?).abs())
            })
            .sum()
    });
    Reliability { ece, bins }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reliability_of_a_perfectly_calibrated_and_an_overconfident_set() {
        // 0.25 right one time in four, 0.75 three times in four: ECE 0.
        let good = [(0.25, true), (0.25, false), (0.25, false), (0.25, false)]
            .into_iter()
            .chain([(0.75, true), (0.75, true), (0.75, true), (0.75, false)]);
        let r = reliability(good);
        assert!(r.ece.expect("lines") < 1e-6, "{r:?}");
        assert_eq!(r.bins.len(), CALIBRATION_BINS);
        assert_eq!(r.bins[2].lines, 4);
        assert_eq!(r.bins[7].accuracy, Some(0.75));
        // Always 0.95 sure, right half the time: ECE 0.45.
        let bad = (0..10).map(|k| (0.95, k % 2 == 0));
        assert!((reliability(bad).ece.expect("lines") - 0.45).abs() < 1e-6);
        // 1.0 falls in the last bin; no lines, no ECE.
        assert_eq!(reliability([(1.0, true)]).bins[9].lines, 1);
        assert_eq!(reliability([]).ece, None);
    }
}
