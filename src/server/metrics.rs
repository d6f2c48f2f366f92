//! `GET /metrics`: counters in the Prometheus text format.
//!
//! | metric | type | labels | what |
//! |---|---|---|---|
//! | `faqbot_http_requests_total` | counter | `route`, `status` | responses sent, by route (the path of a known endpoint, `other` for the rest) and HTTP status |
//! | `faqbot_http_request_duration_seconds` | histogram | `route` | time from request to response head, 100 µs to 13 s in powers of 2 |
//! | `faqbot_replies_total` | counter | `kind`, `intent` | chat replies by kind (`answer`, `clarify`, `fallback`, `handoff`, ...) and intent (`none` without one); sum over both labels for all replies |
//! | `faqbot_fallbacks_total` | counter | - | replies of kind `fallback`, not counting those to empty messages. Not the misses: it includes "There is no choice 2." and "Could you tell me a bit more…?" (a follow-up nothing answers), and leaves out the miss that becomes a handoff |
//! | `faqbot_misses_total` | counter | - | replies with `miss: true` in their JSON: questions the bot could not answer, the handoff they lead to included (`max_fallbacks` misses in a row) |
//! | `faqbot_handoffs_total` | counter | - | replies that hand the conversation to a human, for either reason below |
//! | `faqbot_handoff_reasons_total` | counter | `reason` (`asked`, `repeated_misses`) | the same handoffs by why: the customer asked for a person (`miss` false), or `max_fallbacks` misses in a row (`miss: true`) |
//! | `faqbot_reloads_total` | counter | `result` (`ok`, `failed`) | knowledge-base reload attempts |
//! | `faqbot_kb_generation` | gauge | - | knowledge bases loaded so far (1 + successful reloads) |
//! | `faqbot_kb_reload_ok` | gauge | - | 1 while the last reload attempt succeeded (or none was made), 0 from a rejected reload until one succeeds: the files on disk do not load, so a restart would fail |
//! | `faqbot_build_info` | gauge | `version`, `commit`, `dirty` | always 1; the labels name the build ([`crate::build_info`]; `dirty` is `"true"` for a build with uncommitted changes to `commit`) |
//! | `faqbot_sessions_live` | gauge | - | conversations in the store (for Redis: all instances'); -1 when the store cannot be reached |
//! | `faqbot_session_store_errors_total` | counter | - | chat and feedback requests refused because the session store failed (Redis unreachable); `/healthz`, `/readyz` and scrapes are not counted |
//! | `faqbot_session_store_up` | gauge | - | 1 while the session store is connected (always for the in-memory store), 0 while it is not (Redis down or reconnecting) |
//! | `faqbot_session_store_connect_attempts_total` | counter | - | connection attempts to Redis, failed or not (0 for the in-memory store); while Redis is down a few a second, one at a time |
//! | `faqbot_session_busy_total` | counter | - | requests refused because their conversation stayed locked |
//! | `faqbot_webhook_deliveries_total` | counter | `result` (`ok`, `failed`, `dropped`) | handoff webhook posts (after retries; `dropped` when the queue was full) |
//! | `faqbot_rate_limited_total` | counter | - | requests refused by the rate limit |
//!
//! Counters are per instance; sum them over instances in Prometheus.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::atomic::Ordering;

/// Labels of request counters.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The endpoint.
    pub route: &'static str,
    /// The HTTP status code.
    pub status: u16,
}

/// Labels of the latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The endpoint.
    pub route: &'static str,
}

/// Labels of reply counters.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReplyLabels {
    /// The reply's kind.
    pub kind: &'static str,
    /// The intent, or `none`.
    pub intent: String,
}

/// Labels of the handoff counter by reason.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    /// `asked` or `repeated_misses` ([`handoff_reason`]).
    pub reason: &'static str,
}

/// Labels of `faqbot_build_info`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct BuildLabels {
    /// The crate's version ([`crate::build_info::VERSION`]).
    pub version: &'static str,
    /// The git commit ([`crate::build_info::COMMIT`]).
    pub commit: &'static str,
    /// `"true"` for a build with uncommitted changes
    /// ([`crate::build_info::DIRTY`]), else `"false"`.
    pub dirty: &'static str,
}

/// Why a reply of kind `handoff` hands over: `"repeated_misses"` when it
/// is a miss (the `max_fallbacks`-th miss in a row, `miss: true`),
/// `"asked"` otherwise (the customer asked for a person: the handoff
/// intent, or a request the dialogue recognised).
pub fn handoff_reason(reply: &crate::Reply) -> &'static str {
    if reply.miss {
        "repeated_misses"
    } else {
        "asked"
    }
}

/// Labels of outcome counters.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    /// `ok`, `failed` or `dropped`.
    pub result: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 18))
}

/// The server's metrics; one per [`super::AppState`] (so tests running
/// several servers in one process keep them apart).
pub struct Metrics {
    registry: Registry,
    /// Responses by route and status.
    pub requests: Family<RequestLabels, Counter>,
    /// Latency by route.
    pub latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    /// Replies by kind and intent.
    pub replies: Family<ReplyLabels, Counter>,
    /// Fallback replies.
    pub fallbacks: Counter,
    /// Handoff replies.
    pub handoffs: Counter,
    /// Replies with `miss: true`.
    pub misses: Counter,
    /// Handoff replies by reason.
    pub handoff_reasons: Family<ReasonLabels, Counter>,
    /// Whether the last reload attempt succeeded (set when scraped).
    pub reload_ok: Gauge,
    /// Always 1, labelled with the build.
    pub build_info: Family<BuildLabels, Gauge>,
    /// Reload attempts by result (mirrored from the reload status).
    pub reloads: Family<ResultLabels, Counter>,
    /// Knowledge-base generation.
    pub generation: Gauge,
    /// Live conversations (set when scraped).
    pub sessions_live: Gauge,
    /// Chat and feedback requests refused because the session store
    /// failed (health checks and scrapes are not counted).
    pub store_errors: Counter,
    /// Whether the session store is connected (set when scraped).
    pub store_up: Gauge,
    /// Connection attempts of the session store (mirrored when scraped).
    pub store_connect_attempts: Counter,
    /// Requests refused with `session_busy`.
    pub session_busy: Counter,
    /// Webhook deliveries by result.
    pub webhook: Family<ResultLabels, Counter>,
    /// Requests refused by the rate limit.
    pub rate_limited: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// All metrics at zero, registered under the `faqbot_` prefix.
    pub fn new() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("faqbot"),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            replies: Family::default(),
            fallbacks: Counter::default(),
            handoffs: Counter::default(),
            misses: Counter::default(),
            handoff_reasons: Family::default(),
            reload_ok: Gauge::default(),
            build_info: Family::default(),
            reloads: Family::default(),
            generation: Gauge::default(),
            sessions_live: Gauge::default(),
            store_errors: Counter::default(),
            store_up: Gauge::default(),
            store_connect_attempts: Counter::default(),
            session_busy: Counter::default(),
            webhook: Family::default(),
            rate_limited: Counter::default(),
        };
        m.build_info
            .get_or_create(&BuildLabels {
                version: crate::build_info::VERSION,
                commit: crate::build_info::COMMIT,
                dirty: if crate::build_info::DIRTY {
                    "true"
                } else {
                    "false"
                },
            })
            .set(1);
        m.reload_ok.set(1);
        // Both reasons from the start, so that a rate over either is
        // defined before the first handoff.
        for reason in ["asked", "repeated_misses"] {
            let _ = m.handoff_reasons.get_or_create(&ReasonLabels { reason });
        }
        let r = &mut m.registry;
        r.register(
            "build_info",
            "The build: version and git commit (always 1)",
            m.build_info.clone(),
        );
        r.register(
            "http_requests",
            "HTTP responses by route and status",
            m.requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to the response head, by route",
            m.latency.clone(),
        );
        r.register(
            "replies",
            "Chat replies by kind and intent",
            m.replies.clone(),
        );
        r.register("fallbacks", "Fallback replies", m.fallbacks.clone());
        r.register(
            "handoffs",
            "Replies handing over to a human",
            m.handoffs.clone(),
        );
        r.register(
            "misses",
            "Replies to questions the bot could not answer (miss: true)",
            m.misses.clone(),
        );
        r.register(
            "handoff_reasons",
            "Handoffs by reason: asked (for a person) or repeated_misses",
            m.handoff_reasons.clone(),
        );
        r.register(
            "kb_reload_ok",
            "Whether the last knowledge-base reload succeeded (1) or was rejected (0)",
            m.reload_ok.clone(),
        );
        r.register(
            "reloads",
            "Knowledge-base reload attempts",
            m.reloads.clone(),
        );
        r.register(
            "kb_generation",
            "Knowledge bases loaded",
            m.generation.clone(),
        );
        r.register(
            "sessions_live",
            "Conversations in the session store (-1: unreachable)",
            m.sessions_live.clone(),
        );
        r.register(
            "session_store_errors",
            "Failed session-store operations",
            m.store_errors.clone(),
        );
        r.register(
            "session_store_up",
            "Whether the session store is connected (1) or not (0)",
            m.store_up.clone(),
        );
        r.register(
            "session_store_connect_attempts",
            "Connection attempts of the session store, failed or not",
            m.store_connect_attempts.clone(),
        );
        r.register(
            "session_busy",
            "Requests refused because their conversation stayed locked",
            m.session_busy.clone(),
        );
        r.register(
            "webhook_deliveries",
            "Handoff webhook deliveries by result",
            m.webhook.clone(),
        );
        r.register(
            "rate_limited",
            "Requests refused by the rate limit",
            m.rate_limited.clone(),
        );
        m
    }

    /// Counts one chat reply. A reply to an empty message ("Please type a
    /// question.", kind `fallback`) counts in `faqbot_replies_total` but not
    /// in `faqbot_fallbacks_total`: nothing was asked that the bot missed.
    /// It also counts misses (`miss: true`) and handoffs by reason
    /// ([`handoff_reason`]).
    pub fn chat_reply(&self, reply: &crate::Reply) {
        if reply.input.trim().is_empty() {
            self.count_reply(reply.kind, reply.intent.as_deref());
        } else {
            self.reply(reply.kind, reply.intent.as_deref());
        }
        if reply.miss {
            self.misses.inc();
        }
        if reply.kind == crate::ReplyKind::Handoff {
            self.handoff_reasons
                .get_or_create(&ReasonLabels {
                    reason: handoff_reason(reply),
                })
                .inc();
        }
    }

    fn count_reply(&self, kind: crate::ReplyKind, intent: Option<&str>) {
        self.replies
            .get_or_create(&ReplyLabels {
                kind: kind.as_str(),
                intent: intent.unwrap_or("none").to_string(),
            })
            .inc();
    }

    /// Counts one chat reply to a message that was not empty (see
    /// [`Metrics::chat_reply`]).
    pub fn reply(&self, kind: crate::ReplyKind, intent: Option<&str>) {
        self.count_reply(kind, intent);
        match kind {
            crate::ReplyKind::Fallback => {
                self.fallbacks.inc();
            }
            crate::ReplyKind::Handoff => {
                self.handoffs.inc();
            }
            _ => {}
        }
    }

    /// Counts one response.
    pub fn response(&self, route: &'static str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { route, status })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }

    /// Mirrors the reload status: attempts and failures since start, and
    /// whether the last attempt succeeded (`ok`, [`super::api::ReloadInfo::ok`]).
    pub fn set_reload_status(&self, attempts: u64, failed: u64, ok: bool) {
        self.set_reloads(attempts, failed);
        self.reload_ok.set(i64::from(ok));
    }

    /// Mirrors the reload status (attempts and failures since start).
    pub fn set_reloads(&self, attempts: u64, failed: u64) {
        let set = |result, v| {
            self.reloads
                .get_or_create(&ResultLabels { result })
                .inner()
                .store(v, Ordering::Relaxed);
        };
        set("ok", attempts.saturating_sub(failed));
        set("failed", failed);
    }

    /// Mirrors the session store's connection
    /// ([`super::sessions::SessionStore::connection`]; `None`, an
    /// in-process store, counts as connected).
    pub fn set_store_connection(&self, status: Option<super::sessions::ConnectionStatus>) {
        let (up, attempts) = status.map_or((true, 0), |s| (s.up, s.attempts));
        self.store_up.set(i64::from(up));
        self.store_connect_attempts
            .inner()
            .store(attempts, Ordering::Relaxed);
    }

    /// The text exposition (`text/plain; version=0.0.4` compatible
    /// OpenMetrics text).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The route label of a path: the path itself for the server's endpoints,
/// `other` for anything else (so that scanners cannot grow the label set).
pub fn route_label(path: &str) -> &'static str {
    const ROUTES: [&str; 11] = [
        "/api/v1/chat",
        "/api/v1/intents",
        "/api/v1/feedback",
        "/healthz",
        "/readyz",
        "/metrics",
        "/",
        "/widget.js",
        "/widget.css",
        "/demo.css",
        "other",
    ];
    ROUTES
        .iter()
        .find(|r| **r == path)
        .copied()
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_appear_in_the_text_format() {
        let m = Metrics::new();
        m.response(route_label("/api/v1/chat"), 200, 0.001);
        m.response(route_label("/wp-login.php"), 404, 0.001);
        m.reply(crate::ReplyKind::Fallback, None);
        m.set_reloads(3, 1);
        m.set_store_connection(Some(crate::server::sessions::ConnectionStatus {
            up: false,
            attempts: 7,
            connections: 1,
        }));
        let text = m.encode();
        assert!(text.contains("faqbot_session_store_up 0"), "{text}");
        assert!(text.contains("faqbot_session_store_connect_attempts_total 7"));
        assert!(
            text.contains(r#"faqbot_http_requests_total{route="/api/v1/chat",status="200"} 1"#),
            "{text}"
        );
        assert!(text.contains(r#"faqbot_http_requests_total{route="other",status="404"} 1"#));
        assert!(text.contains(r#"faqbot_replies_total{kind="fallback",intent="none"} 1"#));
        assert!(text.contains("faqbot_fallbacks_total 1"));
        assert!(text.contains(r#"faqbot_reloads_total{result="ok"} 2"#));
        assert!(text.contains(r#"faqbot_reloads_total{result="failed"} 1"#));
        assert!(text.contains("faqbot_http_request_duration_seconds_bucket"));
    }

    #[test]
    fn the_build_and_a_rejected_reload_show() {
        let m = Metrics::new();
        let text = m.encode();
        let line = format!(
            r#"faqbot_build_info{{version="{}",commit="{}",dirty="{}"}} 1"#,
            crate::build_info::VERSION,
            crate::build_info::COMMIT,
            crate::build_info::DIRTY
        );
        assert!(text.contains(&line), "{text}");
        assert!(text.contains("faqbot_kb_reload_ok 1"), "{text}");
        m.set_reload_status(2, 1, false);
        assert!(m.encode().contains("faqbot_kb_reload_ok 0"));
        m.set_reload_status(3, 1, true);
        assert!(m.encode().contains("faqbot_kb_reload_ok 1"));
    }
}
