//! JSON bodies for the errors that hyper answers itself.
//!
//! A request hyper cannot parse never reaches the application: hyper
//! answers `400` (a garbage request line or header), `414` (a path over
//! 64 KiB) or `431` (a head over [`super::MAX_HEADER_BYTES`], 256 KiB, or more than
//! 100 headers) with an empty body and closes the connection. The API promises a JSON
//! body on every error, so [`JsonErrorIo`] wraps each connection and
//! rewrites exactly those responses: a response head of one of these
//! statuses with `content-length: 0` and no `content-type`, which the
//! application never sends (every application error has a JSON body, see
//! [`super::errors::json_errors`]). Everything else passes through
//! untouched.

use super::errors::ApiError;
use axum::http::StatusCode;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A connection whose hyper-made error responses get a JSON body.
#[derive(Debug)]
pub struct JsonErrorIo<T> {
    inner: T,
    pending: Vec<u8>,
    sent: usize,
}

impl<T> JsonErrorIo<T> {
    /// Wraps `inner`.
    pub fn new(inner: T) -> Self {
        JsonErrorIo {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

/// The rewritten response for `buf` if it is a bodiless error head of
/// hyper's, `None` otherwise.
fn rewrite(buf: &[u8]) -> Option<Vec<u8>> {
    let status = match buf.get(..13)? {
        b"HTTP/1.1 400 " | b"HTTP/1.0 400 " => StatusCode::BAD_REQUEST,
        b"HTTP/1.1 414 " | b"HTTP/1.0 414 " => StatusCode::URI_TOO_LONG,
        b"HTTP/1.1 431 " | b"HTTP/1.0 431 " => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    if end + 4 != buf.len() {
        return None;
    }
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines: Vec<&str> = head.split("\r\n").collect();
    let lower = |l: &str| l.to_ascii_lowercase();
    if lines.iter().any(|l| lower(l).starts_with("content-type:")) {
        return None;
    }
    let at = lines
        .iter()
        .position(|l| lower(l).replace(' ', "") == "content-length:0")?;
    lines.remove(at);
    let error = match status {
        StatusCode::BAD_REQUEST => ApiError::new(
            status,
            "bad_request",
            "the request could not be parsed as HTTP/1.1",
        ),
        StatusCode::URI_TOO_LONG => ApiError::new(status, "uri_too_long", "the path is too long"),
        _ => ApiError::new(
            status,
            "headers_too_large",
            "the request's headers are too large or too many",
        ),
    };
    let body =
        serde_json::json!({"error": {"code": error.code, "message": error.message}}).to_string();
    let mut out = lines.join("\r\n");
    out.push_str(&format!(
        "\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    Some(out.into_bytes())
}

impl<T: AsyncWrite + Unpin> JsonErrorIo<T> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonErrorIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonErrorIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(fixed) = rewrite(buf) {
            self.pending = fixed;
            // Written by later polls (flush, shutdown) if not all now.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let [one] = bufs {
            if let Some(fixed) = rewrite(one) {
                self.pending = fixed;
                let _ = self.drain(cx)?;
                return Poll::Ready(Ok(one.len()));
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn only_bodiless_parse_errors_are_rewritten() {
        let head =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(rewrite(head).unwrap()).unwrap();
        let (h, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(h.contains("content-type: application/json"));
        assert!(h.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "headers_too_large");
        // The application's own errors carry a content type: untouched.
        let app = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite(app).is_none());
        assert!(rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        // A head followed by a body in the same write is not hyper's error.
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nx").is_none());
    }
}
