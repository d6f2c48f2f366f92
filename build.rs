//! Build script: the word index of the bundled lexicon
//! (`data/lexicon/english.lex`), computed here once instead of at every
//! start of the program (see `src/lexicon/table.rs`). The lexicon file
//! itself is not changed.
//!
//! It also records the git commit the build comes from, as the
//! environment variable `FAQBOT_GIT_COMMIT` of the crate
//! (`src/build_info.rs`): `FAQBOT_GIT_COMMIT` from the build's own
//! environment if set (a packager's), else what `git` says about this
//! directory, else `unknown` (no git, a clean copy without `.git`, or a
//! package from `cargo install`, which must still build). And whether the
//! files the build is made from ([`BUILT_FROM`]) have uncommitted changes:
//! `FAQBOT_GIT_DIRTY_SUFFIX` is then `-dirty` (else empty).

#[path = "src/lexicon/table.rs"]
#[allow(dead_code)]
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;

const LEXICON: &str = "data/lexicon/english.lex";

/// The files and directories the program is built from (sources, the
/// widget, bundled data and knowledge base, the manifest): a change to
/// one of them not yet committed marks the build `-dirty`. Documentation
/// and tests are left out: they do not change the binary.
const BUILT_FROM: [&str; 7] = [
    "src",
    "web",
    "data",
    "intents",
    "build.rs",
    "Cargo.toml",
    "Cargo.lock",
];

fn main() {
    git_commit();
    println!("cargo:rerun-if-changed={LEXICON}");
    println!("cargo:rerun-if-changed=src/lexicon/table.rs");
    let bytes = std::fs::read(LEXICON).unwrap_or_else(|e| panic!("{LEXICON}: {e}"));
    // Header: magic (8 bytes), word count, vector count, dimensions, word
    // block length (u32 each), then the word block. A file that does not
    // fit gets an empty index; the program then finds no words and the
    // lexicon's tests fail.
    let header = |k: usize| table::u32_at(&bytes, k).map(|v| v as usize);
    let index = match (header(2), header(5)) {
        (Some(n), Some(len)) => match bytes.get(24..24 + len) {
            Some(block) if block.iter().filter(|&&b| b == b'\n').count() + 1 == n => {
                table::build(block, n)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("english.idx");
    std::fs::write(&out, index).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

/// Runs `git ARGS` in this crate's directory; its trimmed output, or
/// `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// Sets `FAQBOT_GIT_COMMIT` (12 hex digits, or `unknown`) and asks cargo
/// to run this script again when HEAD moves (a commit, a checkout): the
/// files `.git/HEAD` and the branch's ref (or `packed-refs`) are watched;
/// `git rev-parse --git-path` finds them in a worktree too. Sets
/// `FAQBOT_GIT_DIRTY_SUFFIX` to `-dirty` when `git status` lists a change
/// to a tracked file under [`BUILT_FROM`] (empty otherwise, and without
/// git or a commit given), and then watches those paths too, so an edit
/// (or undoing it) is seen at the next build.
fn git_commit() {
    println!("cargo:rerun-if-env-changed=FAQBOT_GIT_COMMIT");
    if let Ok(given) = std::env::var("FAQBOT_GIT_COMMIT") {
        println!("cargo:rustc-env=FAQBOT_GIT_COMMIT={given}");
        println!("cargo:rustc-env=FAQBOT_GIT_COMMIT_GIVEN=1");
        println!("cargo:rustc-env=FAQBOT_GIT_DIRTY_SUFFIX=");
        return;
    }
    // Only this crate's own repository: a copy unpacked inside another
    // repository (a vendored dependency) must not take that one's commit.
    let own = git(&["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .zip(Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().ok())
        .is_some_and(|(top, here)| top == here);
    let commit = own
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    if commit.is_some() {
        let mut watch = vec!["HEAD".to_string()];
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watch.push(branch);
        }
        watch.push("packed-refs".to_string());
        for name in watch {
            // A watched file that does not exist would rerun the script
            // on every build.
            if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
    let dirty = commit.is_some() && {
        for path in BUILT_FROM {
            println!("cargo:rerun-if-changed={path}");
        }
        let mut args = vec!["status", "--porcelain", "--untracked-files=no", "--"];
        args.extend(BUILT_FROM);
        git(&args).is_some()
    };
    let commit = commit.unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=FAQBOT_GIT_COMMIT={commit}");
    let suffix = if dirty { "-dirty" } else { "" };
    println!("cargo:rustc-env=FAQBOT_GIT_DIRTY_SUFFIX={suffix}");
    // The list itself, for the tests that check the mark against `git
    // status` (`build_info::BUILT_FROM`).
    println!("cargo:rustc-env=FAQBOT_BUILT_FROM={}", BUILT_FROM.join(" "));
}
