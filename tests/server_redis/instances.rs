//! Bookkeeping of the instances sharing a Redis prefix (an operator's
//! trial 51): conversations that expire are counted in `/healthz`
//! `sessions.expired` as with the memory store, and an instance that
//! serves another knowledge base on the same prefix is warned about.

use super::*;
use faqbot::server::sessions::redis::instances::HEARTBEAT;

/// The `live` set used to expire one idle timeout after the last save,
/// with every id in it: when all conversations had gone quiet, none was
/// ever counted (`expired: 0`, where the memory store said 3). Now the ids
/// are trimmed, and counted, by `/healthz` (or the next save).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_that_expire_are_counted() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let server = Server::start(&redis, &["--session-idle", "1"]);
    for q in ["I forgot my app PIN", "how do I charge", "hello"] {
        server.chat_ok(None, q).await;
    }
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["sessions"]["live"], 3, "{h}");
    assert_eq!(h["sessions"]["expired"], 0, "{h}");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["sessions"]["live"], 0, "{h}");
    assert_eq!(h["sessions"]["expired"], 3, "{h}");
    // Counted once: another health check and a new conversation add none.
    server.chat_ok(None, "hello").await;
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["sessions"]["expired"], 3, "{h}");
    assert_eq!(h["sessions"]["live"], 1, "{h}");
}

fn warnings(server: &Server) -> Vec<String> {
    server
        .logs
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("serves a different knowledge base"))
        .cloned()
        .collect()
}

/// A knowledge base of one intent in a temporary directory.
fn one_intent_kb(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("faq.ron"),
        format!(
            r#"[(id: "opening_hours", title: "When are you open?", examples: ["when are you open"], answer: "{answer}")]"#
        ),
    )
    .unwrap();
    dir
}

/// Waits until `server` has logged `n` mismatch warnings (within a
/// heartbeat and [`PATIENCE`]).
async fn wait_warnings(server: &Server, n: usize) {
    let start = Instant::now();
    while warnings(server).len() < n {
        assert!(
            start.elapsed() < PATIENCE + HEARTBEAT,
            "{:?}",
            server.logs.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Two knowledge bases on one prefix share conversations: the second to
/// start warns, naming `--redis-prefix`, and so do the instances already
/// running, at their next heartbeat, once each (the older instance's log
/// said nothing); an instance on its own prefix does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_knowledge_base_on_the_same_prefix_is_warned_about() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let first = Server::start(&redis, &[]);
    let same = Server::start(&redis, &[]);
    let kb = one_intent_kb("9 to 5.");
    let kb_dir = kb.path().to_str().unwrap();
    let other = Server::start(&redis, &["--intents", kb_dir]);
    let apart = Server::start(&redis, &["--intents", kb_dir, "--redis-prefix", "bot2:"]);
    let start = Instant::now();
    while warnings(&other).len() < 2 {
        assert!(
            start.elapsed() < PATIENCE,
            "{:?}",
            other.logs.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let warned = warnings(&other);
    for (w, addr) in warned.iter().zip([first.addr, same.addr]) {
        assert!(
            w.contains("--redis-prefix") && w.contains("`faqbot:`"),
            "{w}"
        );
        assert!(
            warned.iter().any(|w| w.contains(&addr.to_string())),
            "{warned:?}"
        );
    }
    // The two that were there first notice the newcomer at their next
    // heartbeat (within 20 s), each naming it, once.
    for older in [&first, &same] {
        wait_warnings(older, 1).await;
        let w = warnings(older);
        assert!(w[0].contains(&other.addr.to_string()), "{w:?}");
        assert!(w[0].contains("--redis-prefix"), "{w:?}");
    }
    // One more heartbeat: nobody warns again about the same instance, and
    // the instance on its own prefix never did.
    tokio::time::sleep(HEARTBEAT + Duration::from_secs(2)).await;
    assert_eq!(warnings(&first).len(), 1, "{:?}", warnings(&first));
    assert_eq!(warnings(&same).len(), 1, "{:?}", warnings(&same));
    assert_eq!(warnings(&apart), Vec::<String>::new());
    assert_eq!(warnings(&other).len(), 2);

    // A reload to the knowledge base of the others: nothing to warn
    // about; to yet another: warned again.
    std::fs::write(
        kb.path().join("faq.ron"),
        r#"[(id: "opening_hours", title: "When are you open?", examples: ["when are you open"], answer: "10 to 6.")]"#,
    )
    .unwrap();
    wait_warnings(&other, 4).await;
    // The older instances see its new knowledge base as another one.
    wait_warnings(&first, 2).await;
}
