//! What the fuzz targets share: the bundled engine, the work baseline of
//! the `respond` and `session` targets, and a scratch file per target.

use faqbot::matcher::work;
use faqbot::{Engine, Session};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Most work units of a turn, as a multiple of [`Fixture::baseline`]. Not
/// `tests/input/slow.ron`'s 8: a message of 26 unknown 24-letter words,
/// each with two doubled letters, counts about 20 times the baseline's
/// units (typo correction's deletions, in two indexes, counted per byte)
/// for about 6 times its time; a blow-up (the first finding counted 144
/// times) is far above this.
pub const MAX_RATIO: u64 = 32;

/// The bundled engine and what a turn may cost on it.
pub struct Fixture {
    pub engine: Engine,
    /// Work units of `respond` on the longest ordinary message (1,000
    /// characters) in a fresh session.
    pub baseline: u64,
}

/// The bundled knowledge base's engine, made once per process.
pub fn engine() -> &'static Engine {
    &fixture().engine
}

/// The engine with its work baseline, made once per process.
pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let engine = Engine::bundled().expect("the bundled knowledge base loads");
        let long: String = "How do I reset my MINI App PIN? "
            .chars()
            .cycle()
            .take(1000)
            .collect();
        let (_, baseline) = work::measure(|| engine.respond(&mut Session::new(), &long));
        Fixture { engine, baseline }
    })
}

/// Whether `x` is a confidence: finite and in 0.0..=1.0.
pub fn in_unit(x: f32) -> bool {
    x.is_finite() && (0.0..=1.0).contains(&x)
}

/// A file named `name` in a temporary directory of this process and
/// `target`, for readers that take a path: made on the first call, and
/// the same path after it (a fuzz target is one process with one file).
pub fn scratch_file(target: &str, name: &str) -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("faqbot-fuzz-{target}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir.join(name)
    })
}
