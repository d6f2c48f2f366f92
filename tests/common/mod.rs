//! Helpers shared by the server tests: a small JSON-over-HTTP client and
//! an oracle that replays a conversation on a private session.
#![allow(dead_code)]

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use std::net::SocketAddr;

/// A JSON client for one server (HTTP/1.1, keep-alive).
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{addr}"),
        }
    }

    /// `POST path` with a JSON body; returns the status and the JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let req = hyper::Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .expect("request");
        self.send(req).await
    }

    /// `GET path`; returns the status and the JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let req = hyper::Request::get(format!("{}{path}", self.base))
            .body(Full::new(Bytes::new()))
            .expect("request");
        self.send(req).await
    }

    async fn send(&self, req: hyper::Request<Full<Bytes>>) -> (u16, Value) {
        let resp = self.client.request(req).await.expect("server answers");
        let status = resp.status().as_u16();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }
}

/// A reply as the client sees it: serialised to JSON text and parsed
/// back (so `f32` confidences compare as the wire shows them).
pub fn wire(reply: &faqbot::Reply) -> Value {
    serde_json::from_str(&serde_json::to_string(reply).expect("reply serialises")).expect("JSON")
}

/// The chat replies a private session gets for `script`, as JSON values.
pub fn oracle(engine: &faqbot::Engine, script: &[String]) -> Vec<Value> {
    let mut session = faqbot::Session::new();
    script
        .iter()
        .map(|m| wire(&engine.respond(&mut session, m)))
        .collect()
}

/// A reply without its `session` and `new_session` fields.
pub fn without_session(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("session");
        o.remove("new_session");
    }
    v
}

/// A conversation per index: two FAQ questions and numbered choices, so
/// that the replies depend on the session's state. Titles of the FAQ
/// intents are the questions.
pub fn script(engine: &faqbot::Engine, k: usize) -> Vec<String> {
    let kb = engine.knowledge_base();
    let titles: Vec<&str> = engine
        .popular()
        .iter()
        .map(|&i| kb.intents[i].title.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let n = titles.len();
    vec![
        titles[k % n].to_string(),
        "1".to_string(),
        "2".to_string(),
        titles[(k * 7 + 3) % n].to_string(),
        "1".to_string(),
        "and on android?".to_string(),
    ]
}

/// Starts `faqbot serve --addr 127.0.0.1:0 ARGS` with its log on a pipe,
/// waits (up to `patience`) for the "serving on http://ADDR" line, and
/// returns the process, its address and every log line so far and to come.
///
/// Panics with the log when the server does not start in time.
pub fn spawn_serve(
    args: &[&str],
    patience: std::time::Duration,
) -> (
    std::process::Child,
    SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    spawn_serve_with(
        std::process::Command::new(env!("CARGO_BIN_EXE_faqbot")),
        args,
        patience,
    )
}

/// [`spawn_serve`] with a command prepared by the caller (e.g. with
/// environment variables): `faqbot` with no arguments yet.
pub fn spawn_serve_with(
    mut command: std::process::Command,
    args: &[&str],
    patience: std::time::Duration,
) -> (
    std::process::Child,
    SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env("FAQBOT_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("faqbot starts");
    let logs: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let sink = logs.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("serving on http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
            }
            sink.lock().unwrap().push(line);
        }
    });
    match rx.recv_timeout(patience) {
        Ok(a) => (child, a.parse().expect("address in the log"), logs),
        Err(_) => {
            let _ = child.kill();
            panic!("server did not start: {:?}", logs.lock().unwrap());
        }
    }
}

/// The value of the sample `series` (metric name with its labels, as
/// `/metrics` prints them) in the exposition `text`; `None` when absent.
pub fn metric_sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}
