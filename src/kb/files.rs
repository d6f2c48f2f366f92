//! Reading a knowledge-base directory: which entries are read, and how
//! every entry that is not is reported by name.
//!
//! Every entry directly inside the directory whose name ends in `.ron` is
//! looked at. Its file type is checked *before* it is opened (a FIFO is
//! never opened: opening one blocks until a writer comes):
//!
//! | entry | outcome | code |
//! |---|---|---|
//! | a regular file, or a symlink to one | read | |
//! | a symlink loop | error | `symlink-loop` |
//! | a dangling symlink | error (warning for an editor's `.#name` lock link) | `dangling-symlink` |
//! | a file that cannot be opened or read (permissions, I/O) | error | `unreadable` |
//! | a file that is not UTF-8 | error | `not-utf8` |
//! | a file over [`MAX_FILE_BYTES`] (32 MiB) | error | `file-too-large` |
//! | a directory, FIFO, socket or device named `*.ron` | warning, skipped | `not-a-file` |
//!
//! An error is for a file that should have been read: the knowledge base
//! does not load (and a hot reload keeps the previous one). A warning is
//! where skipping is right.

use crate::error::{Diagnostic, Error, Location, Result};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Most bytes of one knowledge-base file. A larger `*.ron` entry (a log
/// or a data dump saved under the wrong name, a sparse file) is an error,
/// `file-too-large`, and is never read into memory: a hot reload must not
/// be able to exhaust the server's memory. Real files are far smaller (the
/// bundled ones are under 100 KB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// `(path, text)` of knowledge-base files, as read.
pub type Sources = Vec<(PathBuf, String)>;

/// `(path, text)` of every readable `*.ron` file directly inside `dir`,
/// sorted by path, and a warning for every `*.ron` entry rightly skipped.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the directory cannot be listed;
/// [`crate::ErrorKind::Load`] with every error (and warning) of the table
/// in the module doc when a `*.ron` entry should have been read and could
/// not be.
pub fn read_dir_checked(dir: &Path) -> Result<(Sources, Vec<Diagnostic>)> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, not_a_directory(dir, e)))?;
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        match read_entry(&path) {
            Ok(Some(text)) => files.push((path, text)),
            Ok(None) => {}
            Err(d) => diags.push(*d),
        }
    }
    diags.sort_by(|a, b| (a.severity, &a.location).cmp(&(b.severity, &b.location)));
    if diags
        .iter()
        .any(|d| d.severity == crate::error::Severity::Error)
    {
        return Err(Error::load(diags));
    }
    files.sort();
    Ok((files, diags))
}

/// `e`, the error of listing `dir`, saying which directory was likely
/// meant when `dir` is a file (a knowledge base is a directory; the
/// operating system only says "Not a directory").
fn not_a_directory(dir: &Path, e: std::io::Error) -> std::io::Error {
    if !dir.is_file() {
        return e;
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::io::Error::new(
        e.kind(),
        format!(
            "{e}: a knowledge base is a directory of .ron files; did you mean `{}`, the \
             directory this file is in?",
            parent.display()
        ),
    )
}

/// The `no-intents` error of the directory `dir` (as given, and absolute
/// when that differs), with a hint naming up to 3 of its subdirectories
/// that hold `.ron` files (sorted), when there are any.
pub(crate) fn no_intents(dir: &Path) -> Diagnostic {
    let absolute = std::path::absolute(dir)
        .ok()
        .filter(|a| a != dir)
        .map(|a| format!(" ({})", a.display()))
        .unwrap_or_default();
    let d = Diagnostic::error(
        "no-intents",
        format!(
            "the knowledge base in `{}`{absolute} has no intents (no .ron file with a list of \
             intents)",
            dir.display()
        ),
    );
    let mut subdirs: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|p| p.is_dir() && holds_ron(p))
        .collect();
    subdirs.sort();
    let names: Vec<String> = subdirs
        .iter()
        .take(3)
        .map(|p| format!("`{}`", p.display()))
        .collect();
    match names.len() {
        0 => d,
        1 => d.hint(format!(
            "{} holds .ron files: is that the knowledge base?",
            names[0]
        )),
        _ => d.hint(format!(
            "these subdirectories hold .ron files: {}{}; is one of them the knowledge base?",
            names.join(", "),
            if subdirs.len() > 3 { ", …" } else { "" }
        )),
    }
}

/// Whether the directory `dir` has an entry whose name ends in `.ron`.
fn holds_ron(dir: &Path) -> bool {
    fs::read_dir(dir).into_iter().flatten().any(|entry| {
        entry
            .ok()
            .is_some_and(|e| e.path().extension().is_some_and(|x| x == "ron"))
    })
}

fn at(path: &Path) -> Option<Location> {
    Some(Location {
        file: path.to_path_buf(),
        line: 1,
        col: 1,
    })
}

/// Whether an I/O error means "too many levels of symbolic links" (ELOOP).
fn is_loop(e: &std::io::Error) -> bool {
    // ELOOP is 40 on Linux, 62 on the BSDs and macOS.
    let eloop = if cfg!(target_os = "linux") { 40 } else { 62 };
    e.raw_os_error() == Some(eloop) || e.to_string().contains("symbolic links")
}

/// The text of one entry; `Ok(None)` when it vanished or changed type
/// while being opened; `Err` with the error or warning of the module doc.
fn read_entry(path: &Path) -> std::result::Result<Option<String>, Box<Diagnostic>> {
    let name = path.display();
    let link = fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if is_loop(&e) => {
            return Err(Box::new(
                Diagnostic::error(
                    "symlink-loop",
                    format!("`{name}` is a symlink loop and cannot be read"),
                )
                .at(at(path))
                .hint("point the link at a real file, or remove it"),
            ))
        }
        Err(e) if link && e.kind() == std::io::ErrorKind::NotFound => {
            let lock = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".#"));
            let target = fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let msg =
                format!("`{name}` is a dangling symlink (to `{target}`, which does not exist)");
            let d = if lock {
                Diagnostic::warning(
                    "dangling-symlink",
                    format!("{msg}; an editor's lock file, skipped"),
                )
            } else {
                Diagnostic::error("dangling-symlink", msg)
                    .hint("restore the link's target, or remove the link")
            };
            return Err(Box::new(d.at(at(path))));
        }
        Err(e) => {
            return Err(Box::new(
                Diagnostic::error("unreadable", format!("`{name}` cannot be read: {e}"))
                    .at(at(path)),
            ))
        }
    };
    if !meta.is_file() {
        let what = kind_of(&meta);
        return Err(Box::new(
            Diagnostic::warning(
                "not-a-file",
                format!("`{name}` is {what}, not a file; skipped"),
            )
            .at(at(path)),
        ));
    }
    let unreadable = |e: std::io::Error| {
        Box::new(
            Diagnostic::error("unreadable", format!("`{name}` cannot be read: {e}"))
                .at(at(path))
                .hint("check the file's permissions"),
        )
    };
    let too_large = |len: u64| {
        Box::new(
            Diagnostic::error(
                "file-too-large",
                format!(
                    "`{name}` is {} MiB; a knowledge-base file may be at most {} MiB",
                    len.div_ceil(1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .at(at(path))
            .hint("split it into several files, or move a file that is not a knowledge base out of the directory"),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let f = fs::File::open(path).map_err(unreadable)?;
    // Re-check what was opened: the entry may have been replaced meanwhile.
    let opened = f.metadata().map_err(unreadable)?;
    if !opened.is_file() {
        return Ok(None);
    }
    if opened.len() > MAX_FILE_BYTES {
        return Err(too_large(opened.len()));
    }
    // Bounded even when the file grows while it is read.
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.into_bytes()[..off]).into_owned();
            Err(Box::new(
                Diagnostic::error("not-utf8", format!("`{name}` is not valid UTF-8"))
                    .at(Some(super::location(path, &text, off))),
            ))
        }
    }
}

/// "a directory", "a FIFO", ... for an entry that is not a regular file.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::read_dir_checked;
    use crate::ErrorKind;
    use std::os::unix::fs::symlink;

    const INTENT: &str = r#"[(id: "a", title: "A", examples: ["a b c"], answer: "A.")]"#;

    fn codes(dir: &std::path::Path) -> Vec<(&'static str, String)> {
        match read_dir_checked(dir) {
            Ok((_, w)) => w
                .into_iter()
                .map(|d| (d.code, d.location.unwrap().file.display().to_string()))
                .collect(),
            Err(e) => match e.kind() {
                ErrorKind::Load { diagnostics } => diagnostics
                    .iter()
                    .map(|d| {
                        (
                            d.code,
                            d.location.clone().unwrap().file.display().to_string(),
                        )
                    })
                    .collect(),
                _ => panic!("{e}"),
            },
        }
    }

    #[test]
    fn loops_dangling_links_and_fifos_are_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("good.ron"), INTENT).unwrap();
        symlink(d.join("loop.ron"), d.join("loop.ron")).unwrap();
        symlink(d.join("missing"), d.join("gone.ron")).unwrap();
        std::fs::create_dir(d.join("dir.ron")).unwrap();
        let st = std::process::Command::new("mkfifo")
            .arg(d.join("pipe.ron"))
            .status()
            .unwrap();
        assert!(st.success());
        let got = codes(d);
        let has = |code: &str, file: &str| got.iter().any(|(c, f)| *c == code && f.ends_with(file));
        assert!(has("symlink-loop", "loop.ron"), "{got:?}");
        assert!(has("dangling-symlink", "gone.ron"), "{got:?}");
        assert!(has("not-a-file", "pipe.ron"), "{got:?}");
        assert!(has("not-a-file", "dir.ron"), "{got:?}");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn skipped_entries_alone_are_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("good.ron"), INTENT).unwrap();
        symlink(d.join("good.ron"), d.join("alias.ron")).unwrap();
        symlink("nowhere", d.join(".#good.ron")).unwrap();
        std::fs::create_dir(d.join("old.ron")).unwrap();
        let (files, warnings) = read_dir_checked(d).unwrap();
        assert_eq!(files.len(), 2);
        let codes: Vec<_> = warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["dangling-symlink", "not-a-file"]);
    }
}
