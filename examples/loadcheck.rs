//! A verifying load client for `faqbot serve`: many conversations at once,
//! each checked turn by turn against the engine run locally on a private
//! session, so that a reply crossing into another conversation (or a lost
//! session) is caught, not just counted as a 200.
//!
//! ```text
//! faqbot serve --addr 127.0.0.1:8080 &
//! cargo run --release --example loadcheck -- --addr 127.0.0.1:8080 --sessions 200 --seconds 30
//! ```
//!
//! With `--addr` given several times (instances sharing one Redis), each
//! conversation sends its turns to the instances in turn, so every turn
//! after the first continues a conversation another instance started.
//!
//! Localhost only (the addresses must be loopback addresses), bounded in
//! time. Prints requests, errors, mismatches, requests/s and p50/p99
//! latency; exits 1 when any request failed or any reply was wrong.
//! `--intents DIR` must name the knowledge base the server answers from.

use clap::Parser;
use faqbot::{Engine, Session};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// The server (a loopback address); repeat for several instances.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: Vec<SocketAddr>,
    /// Conversations running at the same time, one connection each.
    #[arg(long, default_value_t = 200)]
    sessions: usize,
    /// How long to run, in seconds (at most 600).
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// The knowledge base the server answers from (default: bundled).
    #[arg(long)]
    intents: Option<PathBuf>,
}

/// A conversation: FAQ titles and numbered choices, so that replies
/// depend on the session's state.
fn script(titles: &[String], k: usize) -> Vec<String> {
    let n = titles.len();
    vec![
        titles[k % n].clone(),
        "1".into(),
        "2".into(),
        titles[(k * 7 + 3) % n].clone(),
        "1".into(),
        "and on android?".into(),
    ]
}

fn wire(reply: &faqbot::Reply) -> Value {
    serde_json::from_str(&serde_json::to_string(reply).unwrap()).unwrap()
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    mismatches: u64,
    first_problem: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if args.addr.iter().any(|a| !a.ip().is_loopback()) {
        eprintln!("loadcheck only targets loopback addresses");
        return std::process::ExitCode::from(2);
    }
    let engine = match &args.intents {
        Some(d) => Engine::load(d),
        None => Engine::bundled(),
    }
    .expect("knowledge base loads");
    let kb = engine.knowledge_base();
    let titles: Vec<String> = engine
        .popular()
        .iter()
        .map(|&i| kb.intents[i].title.clone())
        .filter(|t| !t.is_empty())
        .collect();
    // Expected replies for every distinct script (scripts repeat every
    // `titles.len()` conversations).
    let expected: Arc<Vec<(Vec<String>, Vec<Value>)>> = Arc::new(
        (0..titles.len())
            .map(|k| {
                let s = script(&titles, k);
                let mut session = Session::new();
                let replies = s
                    .iter()
                    .map(|m| wire(&engine.respond(&mut session, m)))
                    .collect();
                (s, replies)
            })
            .collect(),
    );
    let deadline = Instant::now() + Duration::from_secs(args.seconds.min(600));
    let bases: Arc<Vec<String>> =
        Arc::new(args.addr.iter().map(|a| format!("http://{a}")).collect());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.sessions {
        let expected = expected.clone();
        let bases = bases.clone();
        tasks.push(tokio::spawn(async move {
            // One client (and so one keep-alive connection) per worker.
            let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(1) // per instance
                .build_http();
            let mut tally = Tally::default();
            let mut round = 0usize;
            while Instant::now() < deadline {
                let k = (worker + round * 7919) % expected.len();
                round += 1;
                let (messages, replies) = &expected[k];
                let mut id: Option<String> = None;
                for (turn, message) in messages.iter().enumerate() {
                    let body = json!({"session": id, "message": message}).to_string();
                    let base = &bases[(worker + turn) % bases.len()];
                    let req = hyper::Request::post(format!("{base}/api/v1/chat"))
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body)))
                        .unwrap();
                    let t0 = Instant::now();
                    let result = async {
                        let resp = client.request(req).await.map_err(|e| e.to_string())?;
                        let status = resp.status();
                        let bytes = resp
                            .into_body()
                            .collect()
                            .await
                            .map_err(|e| e.to_string())?
                            .to_bytes();
                        if !status.is_success() {
                            return Err(format!("status {status}"));
                        }
                        serde_json::from_slice::<Value>(&bytes).map_err(|e| e.to_string())
                    }
                    .await;
                    let us = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
                    tally.latencies_us.push(us);
                    let mut reply = match result {
                        Ok(r) => r,
                        Err(e) => {
                            tally.errors += 1;
                            tally.first_problem.get_or_insert(e);
                            break;
                        }
                    };
                    let got_id = reply
                        .as_object_mut()
                        .and_then(|o| o.remove("session"))
                        .and_then(|v| v.as_str().map(str::to_string));
                    let same_session = match (&id, &got_id) {
                        (Some(a), Some(b)) => a == b,
                        (None, Some(_)) => true,
                        _ => false,
                    };
                    if !same_session || reply != replies[turn] {
                        tally.mismatches += 1;
                        tally.first_problem.get_or_insert(format!(
                            "conversation {k} turn {turn} ({message:?}): got {reply}, expected {}",
                            replies[turn]
                        ));
                        break;
                    }
                    id = got_id;
                }
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.expect("worker");
        all.latencies_us.extend(t.latencies_us);
        all.errors += t.errors;
        all.mismatches += t.mismatches;
        if all.first_problem.is_none() {
            all.first_problem = t.first_problem;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let pct = |p: f64| -> f64 {
        let v = &all.latencies_us;
        if v.is_empty() {
            return 0.0;
        }
        let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
        f64::from(v[i]) / 1000.0
    };
    let n = all.latencies_us.len();
    println!(
        "sessions={} requests={n} seconds={secs:.1} rps={:.0} errors={} mismatches={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        args.sessions,
        n as f64 / secs,
        all.errors,
        all.mismatches,
        pct(50.0),
        pct(99.0),
        pct(100.0),
    );
    if let Some(p) = &all.first_problem {
        println!("first problem: {p}");
    }
    if all.errors > 0 || all.mismatches > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
