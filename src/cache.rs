//! Where faqbot keeps what it computed from a knowledge base and may reuse
//! on the next start: one subdirectory per kind of cache (`semantic`: the
//! embeddings of the semantic stage; `calibration`: the fitted
//! calibration, see [`crate::matcher::Matcher::with_calibration_cache`]).
//!
//! Every cache is only a shortcut: a file that is missing, unreadable or
//! corrupt is ignored and the value computed as without it, and a cache
//! that cannot be written costs nothing but the time saved.

use std::path::PathBuf;

/// The directory of the cache `kind` (a plain name such as `"semantic"`):
/// `$FAQBOT_CACHE_DIR/KIND`, else `$XDG_CACHE_HOME/faqbot/KIND`, else
/// `$HOME/.cache/faqbot/KIND`. `None` when none of these variables is set
/// (empty counts as unset) or when `FAQBOT_CACHE` is `off` (no cache at
/// all).
pub fn dir(kind: &str) -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if var("FAQBOT_CACHE").is_some_and(|v| v == "off") {
        return None;
    }
    if let Some(d) = var("FAQBOT_CACHE_DIR") {
        return Some(PathBuf::from(d).join(kind));
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("faqbot").join(kind));
    }
    var("HOME").map(|d| PathBuf::from(d).join(".cache/faqbot").join(kind))
}
