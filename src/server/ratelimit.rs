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
//! `Retry-After` header: the seconds until the next request is allowed,
//! rounded up (at least 1), the same figure as in the message. The other
//! endpoints are not limited.
//!
//! The client is the TCP peer's address; behind a reverse proxy or load
//! balancer every request comes from the proxy, so set
//! [`ClientKey::Forwarded`] (`--rate-limit-key forwarded`) to use the
//! address that proxy appended to `X-Forwarded-For` instead: the
//! right-most entry ([`forwarded_client`]). Everything left of it was sent
//! by the client (or by proxies further out) and can be forged, so it is
//! never used. This assumes exactly one proxy in front of the server that
//! appends the peer it saw (nginx `$proxy_add_x_forwarded_for`, HAProxy
//! `option forwardfor`, AWS ALB); with several, the proxy nearest the
//! server must set the header to the client address it determined itself
//! (docs/deployment.md, "Rate limiting").

#[cfg(feature = "rate-limit")]
use super::errors::ApiError;
use axum::http::HeaderMap;
#[cfg(feature = "rate-limit")]
use axum::http::{HeaderValue, Request, StatusCode};
#[cfg(feature = "rate-limit")]
use axum::response::IntoResponse;
#[cfg(feature = "rate-limit")]
use std::net::Ipv4Addr;
use std::net::{IpAddr, SocketAddr};
#[cfg(feature = "rate-limit")]
use tower_governor::governor::GovernorConfigBuilder;
#[cfg(feature = "rate-limit")]
use tower_governor::key_extractor::KeyExtractor;
#[cfg(feature = "rate-limit")]
use tower_governor::GovernorError;

/// How a client is told apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ClientKey {
    /// The TCP peer's IP address.
    #[default]
    Peer,
    /// The right-most address in `X-Forwarded-For` (the one the nearest
    /// proxy appended), falling back to the peer when there is none or it
    /// is not an IP address.
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

/// The client address the nearest proxy appended: the right-most entry of
/// the last `X-Forwarded-For` header (a proxy may add a header line of its
/// own instead of appending to the client's). An entry may carry a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`). `None` when there is no such
/// header or that entry is not an IP address; the entries left of it are
/// never read, since the client can write anything there.
pub fn forwarded_client(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let entry = last.to_str().ok()?.rsplit(',').next()?.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

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
            ClientKey::Forwarded => forwarded_client(req.headers()),
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
                // The limiter's whole seconds are rounded down; a client
                // that waits that long may be refused again. One more
                // second is the wait rounded up (at least 1), the same
                // figure in the header and the message.
                let retry = wait_time.saturating_add(1);
                let mut r = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many requests; retry in {retry} s"),
                )
                .into_response();
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from(retry));
                r
            }
            _ => ApiError::internal().into_response(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use axum::http::HeaderMap;

    /// Header lines as the proxy passes them on, and the client they name.
    #[test]
    fn the_right_most_forwarded_entry_is_the_client() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["10.0.0.9"], Some("10.0.0.9")),
            // A forged first entry is ignored.
            (&["203.0.113.1, 10.0.0.9"], Some("10.0.0.9")),
            (&["203.0.113.1,10.0.0.9 "], Some("10.0.0.9")),
            // The proxy added a line of its own.
            (&["203.0.113.1", "10.0.0.9"], Some("10.0.0.9")),
            (&["198.51.100.2, 2001:db8::7"], Some("2001:db8::7")),
            (&["10.0.0.9:4711"], Some("10.0.0.9")),
            (&["[2001:db8::7]:4711"], Some("2001:db8::7")),
            // Not an address: the caller falls back to the peer.
            (&["10.0.0.9, unknown"], None),
            (&["10.0.0.9, "], None),
        ];
        for (lines, want) in cases {
            let mut headers = HeaderMap::new();
            for l in *lines {
                headers.append("x-forwarded-for", l.parse().unwrap());
            }
            let got = forwarded_client(&headers).map(|ip| ip.to_string());
            assert_eq!(got.as_deref(), *want, "{lines:?}");
        }
    }
}
