//! Which build of faqbot this is: the crate's version and the git commit
//! it was built from, as `faqbot --version`, `GET /healthz` (`build`), the
//! server's start-up log line and the `faqbot_build_info` metric show them.
//!
//! The commit is found by `build.rs`: the environment variable
//! `FAQBOT_GIT_COMMIT` at build time if set (a packager's), else
//! `git rev-parse --short=12 HEAD` in the crate's own repository, else
//! `"unknown"` (a copy without `.git`, no `git` installed, or a package
//! installed with `cargo install`). Cargo rebuilds it when HEAD moves.
//!
//! A build from a work tree with uncommitted changes to the files the
//! program is built from (`src`, `web`, `data`, `intents`, `build.rs`,
//! `Cargo.toml`, `Cargo.lock`; not docs or tests) is marked [`DIRTY`]:
//! `faqbot --version` prints `(commit 2317eb8c4f1a-dirty)`, and `/healthz`
//! and `faqbot_build_info` add `dirty` (`COMMIT` itself stays the 12 hex
//! digits of the commit the changes started from). Never marked without
//! git or with a commit given by `FAQBOT_GIT_COMMIT`.

/// The crate's version (`Cargo.toml`), e.g. `"0.1.0"`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the build comes from: 12 hex digits, or `"unknown"`
/// (see the [module docs](self)).
pub const COMMIT: &str = env!("FAQBOT_GIT_COMMIT");

/// Whether the build's files had uncommitted changes to [`COMMIT`] (see
/// the [module docs](self)); `false` without git.
pub const DIRTY: bool = !env!("FAQBOT_GIT_DIRTY_SUFFIX").is_empty();

/// The files and directories, space-separated, whose uncommitted changes
/// mark a build [`DIRTY`] (`build.rs`'s list): `"src web data intents
/// build.rs Cargo.toml Cargo.lock"`.
pub const BUILT_FROM: &str = env!("FAQBOT_BUILT_FROM");

/// What `faqbot --version` prints after the program's name:
/// `"0.1.0 (commit 2317eb8c4f1a)"`, `"0.1.0 (commit 2317eb8c4f1a-dirty)"`
/// for a build with uncommitted changes ([`DIRTY`]), or
/// `"0.1.0 (commit unknown)"`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FAQBOT_GIT_COMMIT"),
    env!("FAQBOT_GIT_DIRTY_SUFFIX"),
    ")"
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_long_version_names_the_version_and_the_commit() {
        let mark = if super::DIRTY { "-dirty" } else { "" };
        assert_eq!(
            super::LONG_VERSION,
            format!("{} (commit {}{mark})", super::VERSION, super::COMMIT)
        );
        let hex = super::COMMIT.len() == 12 && super::COMMIT.chars().all(|c| c.is_ascii_hexdigit());
        assert!(hex || super::COMMIT == "unknown", "{}", super::COMMIT);
    }

    /// In a git checkout the commit is HEAD's (the build script reruns
    /// when HEAD moves, so a commit made since the last build is seen).
    #[test]
    fn in_a_checkout_the_commit_is_heads() {
        let head = std::process::Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output();
        match head {
            Ok(out) if out.status.success() && option_env!("FAQBOT_GIT_COMMIT_GIVEN").is_none() => {
                let head = String::from_utf8_lossy(&out.stdout).trim().to_string();
                assert_eq!(super::COMMIT, head);
            }
            _ => eprintln!("not a git checkout: commit {}", super::COMMIT),
        }
    }

    /// In a git checkout the build is marked dirty exactly when `git
    /// status` lists an uncommitted change to a file it is built from
    /// (cargo reruns the build script when one of them changes, so the
    /// mark follows an edit and its undoing).
    #[test]
    fn in_a_checkout_the_dirty_mark_follows_git_status() {
        let status = std::process::Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no", "--"])
            .args(super::BUILT_FROM.split(' '))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output();
        match status {
            Ok(out) if out.status.success() && option_env!("FAQBOT_GIT_COMMIT_GIVEN").is_none() => {
                let changed = String::from_utf8_lossy(&out.stdout).into_owned();
                assert_eq!(super::DIRTY, !changed.trim().is_empty(), "{changed}");
            }
            _ => {
                let dirty = super::DIRTY;
                assert!(!dirty, "no git, no mark");
            }
        }
    }
}
