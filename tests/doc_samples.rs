//! The command-line samples in README.md and docs/*.md, run against the
//! real binary with `trycmd`: every ```console block is a test, its `$ `
//! lines the commands, the rest their expected output (`[..]` matches any
//! text on a line, `...` any lines; `? 1` an exit code other than 0).
//!
//! After a deliberate change of output (e.g. new confidences), re-bless
//! the samples with `TRYCMD=overwrite cargo test --test doc_samples`
//! and review the diff.

#[test]
fn cli_samples_in_the_docs_match_the_binary() {
    trycmd::TestCases::new()
        .register_bin("faqbot", trycmd::cargo::cargo_bin!("faqbot"))
        .env("NO_COLOR", "1")
        .env("FAQBOT_HISTORY", "")
        .case("README.md")
        .case("docs/*.md");
}

/// The crate counts of docs/usage.md's feature table are what the command
/// it gives prints (library trial, finding 11: the command counted cargo
/// tree's repeated ` (*)` lines too and gave 42 for the table's 33).
#[test]
fn the_crate_counts_in_usage_md_are_what_its_command_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/usage.md")).unwrap();
    assert!(doc.contains("--prefix none | sed 's/ (\\*)$//' | sort -u | wc -l"));
    let count = |features: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO"));
        cmd.current_dir(root)
            .args([
                "tree",
                "--offline",
                "--locked",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .arg("--no-default-features");
        if !features.is_empty() {
            cmd.args(["--features", &features.join(",")]);
        }
        let out = cmd.output().expect("cargo tree runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim_end_matches(" (*)").to_string())
            .filter(|l| !l.is_empty())
            .collect();
        lines.len()
    };
    let rows: Vec<(Vec<&str>, usize)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let n: usize = cells.get(3)?.split_whitespace().next()?.parse().ok()?;
            let features = cells[1]
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|f| !f.contains(' '))
                .collect();
            Some((features, n))
        })
        .collect();
    assert!(rows.len() >= 10, "the table's rows: {rows:?}");
    for (features, n) in rows {
        assert_eq!(count(&features), n, "features {features:?}");
    }
}
