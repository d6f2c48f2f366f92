//! JSON errors: every 4xx/5xx response of the server has a JSON body.
//!
//! ```json
//! {"error": {"code": "message_too_long", "message": "message is longer than 1000 characters"}}
//! ```
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `invalid_json` | the body is not JSON |
//! | 400 | `bad_request` | not parseable as HTTP/1.1 (request line, header syntax, version) |
//! | 404 | `not_found` | no such path |
//! | 404 | `unknown_session` | feedback for a conversation that does not exist (or expired) |
//! | 405 | `method_not_allowed` | e.g. `GET /api/v1/chat` |
//! | 408 | `timeout` | the request took longer than the server's timeout |
//! | 409 | `session_busy` | another message of the conversation held its lock for over 5 s |
//! | 413 | `body_too_large` | the body is over the server's limit |
//! | 414 | `uri_too_long` | a path over 64 KiB |
//! | 415 | `unsupported_media_type` | `Content-Type` is not `application/json` |
//! | 422 | `invalid_request` | JSON of the wrong shape (not an object, missing or unknown field, wrong type) |
//! | 422 | `message_too_long` | `message` over the message limit |
//! | 422 | `invalid_intent` | feedback `intent` missing or not a `snake_case` id |
//! | 422 | `intent_not_answered` | feedback for an intent the conversation was not answered with |
//! | 429 | `rate_limited` | over `--rate-limit` (with `Retry-After`, seconds) |
//! | 431 | `headers_too_large` | headers over hyper's buffer, or more than 100 of them |
//! | 500 | `internal` | a bug; details go to the log only |
//! | 503 | `session_store_unavailable` | the session store (Redis) cannot be reached |
//! | 503 | `feedback_unavailable` | the feedback file cannot be written |
//!
//! The 400 `bad_request`, 414 and 431 responses are made by hyper before
//! the application sees the request; [`super::wire`] gives them this body.
//!
//! Messages describe what was wrong with the request; they never contain
//! paths, backend errors or other internals (those are logged).

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The JSON body of an error response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// `code` and `message` of an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable, `snake_case` name (see the [module docs](self)).
    pub code: String,
    /// A sentence for a developer reading the response.
    pub message: String,
}

/// An error response: a status and an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The HTTP status (4xx or 5xx).
    pub status: StatusCode,
    /// The stable `code`.
    pub code: &'static str,
    /// The `message`.
    pub message: String,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The generic error for a status that a layer produced without a body
    /// (404, 405, 408, 413, ...).
    pub fn from_status(status: StatusCode) -> Self {
        let code = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::REQUEST_TIMEOUT => "timeout",
            StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
            StatusCode::SERVICE_UNAVAILABLE => "unavailable",
            s if s.is_server_error() => "internal",
            _ => "bad_request",
        };
        let message = status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase();
        ApiError::new(status, code, message)
    }

    /// `500 internal`, with a message that reveals nothing.
    pub fn internal() -> Self {
        ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        match r {
            // serde's message names the field and position in the client's
            // own JSON, which is useful and reveals nothing of the server.
            JsonRejection::JsonDataError(e) => {
                ApiError::new(status, "invalid_request", serde_detail(&e.body_text()))
            }
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::new(status, "invalid_json", serde_detail(&e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                status,
                "unsupported_media_type",
                "expected Content-Type: application/json",
            ),
            _ => ApiError::from_status(status),
        }
    }
}

/// axum puts a fixed prefix before serde's message; keep serde's part.
fn serde_detail(text: &str) -> String {
    let detail = text.split_once(": ").map_or(text, |(_, d)| d);
    detail.chars().take(200).collect()
}

/// A JSON body extractor whose rejections are [`ApiError`]s. The body
/// must be a JSON object: serde would also read a struct from an array of
/// its fields in order (`[null, "parking"]` was answered as a chat
/// request, and `[]` got "invalid length 0, expected struct ChatRequest
/// with 3 elements", naming a Rust type: trial 26), so anything else is
/// `422 invalid_request`, "the body must be a JSON object".
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        // The content type, the size limit and the JSON syntax are checked
        // as `axum::Json` checks them; the raw text keeps serde's line and
        // column in the shape errors.
        let axum::Json(raw) =
            axum::Json::<Box<serde_json::value::RawValue>>::from_request(req, state).await?;
        if !raw.get().trim_start().starts_with('{') {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                "the body must be a JSON object",
            ));
        }
        serde_json::from_str(raw.get()).map(ApiJson).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                e.to_string().chars().take(200).collect::<String>(),
            )
        })
    }
}

/// Middleware (`axum::middleware::map_response`): gives every 4xx/5xx
/// response that has no JSON body the standard [`ErrorBody`] for its
/// status, keeping the other headers (e.g. `Allow` on a 405).
pub async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return resp;
    }
    let (mut parts, _) = resp.into_parts();
    let fresh = ApiError::from_status(status).into_response();
    let (fresh_parts, body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        fresh_parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/json")),
    );
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_serdes_part_of_rejection_text() {
        assert_eq!(
            serde_detail("Failed to deserialize the JSON body into the target type: missing field `message` at line 1 column 2"),
            "missing field `message` at line 1 column 2"
        );
    }

    #[test]
    fn statuses_map_to_codes() {
        assert_eq!(
            ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED).code,
            "method_not_allowed"
        );
        assert_eq!(
            ApiError::from_status(StatusCode::BAD_GATEWAY).code,
            "internal"
        );
    }
}
