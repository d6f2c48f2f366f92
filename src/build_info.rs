//! Which build of faqbot this is: the crate's version and the git commit
//! it was built from, as `faqbot --version`, `GET /healthz` (`build`), the
//! server's start-up log line and the `faqbot_build_info` metric show them.
//!
//! The commit is found by `build.rs`: the environment variable
//! `FAQBOT_GIT_COMMIT` at build time if set (a packager's), else
//! `git rev-parse --short=12 HEAD` in the crate's own repository, else
//! `"unknown"` (a copy without `.git`, no `git` installed, or a package
//! installed with `cargo install`). Cargo rebuilds it when HEAD moves.
//! Uncommitted changes are not noted: a build from a modified work tree
//! names the commit it started from.

/// The crate's version (`Cargo.toml`), e.g. `"0.1.0"`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the build comes from: 12 hex digits, or `"unknown"`
/// (see the [module docs](self)).
pub const COMMIT: &str = env!("FAQBOT_GIT_COMMIT");

/// What `faqbot --version` prints after the program's name:
/// `"0.1.0 (commit 2317eb8c4f1a)"`, or `"0.1.0 (commit unknown)"`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FAQBOT_GIT_COMMIT"),
    ")"
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_long_version_names_the_version_and_the_commit() {
        assert_eq!(
            super::LONG_VERSION,
            format!("{} (commit {})", super::VERSION, super::COMMIT)
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
}
