//! Per-client rate limiting of `POST /api/v1/chat` and
//! `POST /api/v1/feedback` (off by default), with `tower_governor`.
//!
//! The settings ([`RateLimit`], [`ClientKey`]) are in every build with the
//! `server` feature; the limiter itself (`layer`) needs the cargo feature
//! `rate-limit` (part of `cli`). A [`super::Config::rate_limit`] set in a
//! build without it makes [`super::router`] panic rather than serve
//! without the limit.
//!
//! Each client (by IP address) has a bucket of `burst` requests that
//! refills at `per_minute` requests per minute (the generic cell rate
//! algorithm). A request over the limit gets `429 rate_limited` with a
//! `Retry-After` header (seconds). The other endpoints are not limited.
//!
//! The client is the TCP peer's address; behind a reverse proxy or load
//! balancer every request comes from the proxy, so set
//! [`ClientKey::Forwarded`] (`--rate-limit-key forwarded`) to use the
//! `X-Forwarded-For`, `X-Real-IP` or `Forwarded` header instead, but only
//! when the proxy sets it (a client can forge it otherwise).

#[cfg(feature = "rate-limit")]
use super::errors::ApiError;
#[cfg(feature = "rate-limit")]
use axum::http::{HeaderValue, Request, StatusCode};
#[cfg(feature = "rate-limit")]
use axum::response::IntoResponse;
use std::net::SocketAddr;
#[cfg(feature = "rate-limit")]
use std::net::{IpAddr, Ipv4Addr};
#[cfg(feature = "rate-limit")]
use tower_governor::governor::GovernorConfigBuilder;
#[cfg(feature = "rate-limit")]
use tower_governor::key_extractor::{KeyExtractor, SmartIpKeyExtractor};
#[cfg(feature = "rate-limit")]
use tower_governor::GovernorError;

/// How a client is told apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ClientKey {
    /// The TCP peer's IP address.
    #[default]
    Peer,
    /// The first address in `X-Forwarded-For` (or `X-Real-IP`,
    /// `Forwarded`), falling back to the peer.
    Forwarded,
}

/// Rate-limit settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per minute a client may make on average (at least 1).
    pub per_minute: u32,
    /// Requests a client may make at once before the rate applies (at
    /// least 1).
    pub burst: u32,
    /// How clients are told apart.
    pub key: ClientKey,
}

/// The peer address of a connection, put into each request's extensions
/// by [`super::serve`].
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub SocketAddr);

/// Tells clients apart for the limiter (see [`ClientKey`]).
#[cfg(feature = "rate-limit")]
#[derive(Clone, Copy, Debug)]
pub struct ClientExtractor(ClientKey);

#[cfg(feature = "rate-limit")]
impl KeyExtractor for ClientExtractor {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = req.extensions().get::<PeerAddr>().map(|p| p.0.ip());
        let forwarded = match self.0 {
            ClientKey::Peer => None,
            ClientKey::Forwarded => SmartIpKeyExtractor.extract(req).ok(),
        };
        // In-process callers (tests) have no peer: one shared bucket.
        Ok(forwarded
            .or(peer)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// The rate-limiting layer.
#[cfg(feature = "rate-limit")]
pub type Layer = tower_governor::GovernorLayer<
    ClientExtractor,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    axum::body::Body,
>;

/// The layer to put on the limited routes, and a task that forgets idle
/// clients every minute (so the table stays bounded by the clients of
/// the last minute or so).
///
/// # Errors
/// Never in practice: the settings are clamped to valid values.
#[cfg(feature = "rate-limit")]
pub fn layer(
    limit: RateLimit,
    metrics: std::sync::Arc<super::metrics::Metrics>,
) -> Result<Layer, String> {
    let period_ns = 60_000_000_000 / u64::from(limit.per_minute.max(1));
    let config = GovernorConfigBuilder::default()
        .per_nanosecond(period_ns)
        .burst_size(limit.burst.max(1))
        .key_extractor(ClientExtractor(limit.key))
        .finish()
        .ok_or("invalid rate limit")?;
    let limiter = config.limiter().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
    Ok(
        tower_governor::GovernorLayer::new(config).error_handler(move |e| match e {
            GovernorError::TooManyRequests { wait_time, .. } => {
                metrics.rate_limited.inc();
                let mut r = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many requests; retry in {wait_time} s"),
                )
                .into_response();
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from(wait_time.max(1)));
                r
            }
            _ => ApiError::internal().into_response(),
        }),
    )
}
