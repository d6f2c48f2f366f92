//! A model directory that holds no model (needs no model itself): named
//! by `--semantic-model` it is a usage error (exit status 2, saying what is
//! missing and how to get the model); named by `FAQBOT_SEMANTIC_MODEL` or
//! `bot.ron` the bot answers without the stage, says so on standard
//! error, and a server reports why in `/healthz`.

use faqbot::semantic::MODEL_ENV;
use std::path::Path;
use std::process::{Command, Output};

/// `faqbot ARGS` on the bundled knowledge base, with `FAQBOT_SEMANTIC_MODEL`
/// set to `env` (or unset).
fn faqbot(args: &[&str], env: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    c.args(args).env("FAQBOT_CACHE", "off");
    match env {
        Some(v) => c.env(MODEL_ENV, v),
        None => c.env_remove(MODEL_ENV),
    };
    c.output().expect("faqbot runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const QUESTION: &str = "I forgot my app PIN";

#[test]
fn a_bad_semantic_model_flag_is_a_usage_error_naming_what_is_missing() {
    let missing = "/nonexistent/faqbot-model";
    let out = faqbot(&["--semantic-model", missing, "ask", QUESTION], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "no answer: {out:?}");
    let err = stderr(&out);
    for part in [
        "--semantic-model",
        missing,
        "the directory does not exist",
        "scripts/get-semantic-model.sh",
    ] {
        assert!(err.contains(part), "{part:?} in {err}");
    }

    // A directory with only some of the files: the ones it lacks.
    let partial = tempfile::tempdir().unwrap();
    std::fs::write(partial.path().join("config.json"), "{}").unwrap();
    let dir = partial.path().to_str().unwrap();
    let out = faqbot(&["--semantic-model", dir, "ask", QUESTION], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert!(err.contains(dir), "{err}");
    assert!(
        err.contains("it has no tokenizer.json or model.safetensors"),
        "{err}"
    );

    // The flag wins over a good variable, and still fails.
    let good = std::env::var(MODEL_ENV).unwrap_or_default();
    if !good.is_empty() {
        let out = faqbot(&["--semantic-model", missing, "ask", QUESTION], Some(&good));
        assert_eq!(out.status.code(), Some(2), "{out:?}");
    }
}

#[test]
fn a_bad_model_from_the_environment_or_bot_ron_warns_and_answers_without_the_stage() {
    let plain = faqbot(&["ask", QUESTION], None);
    assert_eq!(plain.status.code(), Some(0), "{plain:?}");
    let stale = "/nonexistent/shared-model";
    let out = faqbot(&["ask", QUESTION], Some(stale));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        out.stdout, plain.stdout,
        "the same answer as without a model"
    );
    let err = stderr(&out);
    for part in [
        "warning: semantic: off",
        stale,
        "the directory does not exist",
        "WITHOUT the semantic stage",
        MODEL_ENV,
        "scripts/get-semantic-model.sh",
    ] {
        assert!(err.contains(part), "{part:?} in {err}");
    }

    // `semantic_model` in bot.ron, relative to the knowledge base.
    let kb = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb/contact");
    std::fs::copy(fixtures.join("faq.ron"), kb.path().join("faq.ron")).unwrap();
    let bot = std::fs::read_to_string(fixtures.join("bot.ron")).unwrap();
    let bot = bot.replacen(
        "max_fallbacks:",
        "semantic_model: \"no-model-here\",\n    max_fallbacks:",
        1,
    );
    std::fs::write(kb.path().join("bot.ron"), bot).unwrap();
    let kb_dir = kb.path().to_str().unwrap();
    let out = faqbot(&["--intents", kb_dir, "ask", "do you fix punctures"], None);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = stderr(&out);
    assert!(err.contains("no-model-here"), "{err}");
    assert!(err.contains("semantic_model in bot.ron"), "{err}");
    assert!(err.contains("WITHOUT the semantic stage"), "{err}");
}

/// A server whose shared variable names a stale directory starts, answers,
/// and says in `/healthz` why the stage is off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_a_stale_model_variable_starts_and_healthz_says_why() {
    let stale = "/nonexistent/shared-model";
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.env(MODEL_ENV, stale).env("FAQBOT_CACHE", "off");
    let (mut child, addr, logs) =
        crate::common::spawn_serve_with(cmd, &[], std::time::Duration::from_secs(60));
    let (status, health) = crate::common::Http::new(addr).get("/healthz").await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert_eq!(health["kb"]["semantic"], "failed", "{health}");
    let why = health["kb"]["semantic_error"].as_str().unwrap_or_default();
    assert!(why.contains(stale), "{health}");
    assert!(why.contains("the directory does not exist"), "{health}");
    let log = logs.lock().unwrap().join("\n");
    assert!(log.contains("WITHOUT the semantic stage"), "{log}");
}
