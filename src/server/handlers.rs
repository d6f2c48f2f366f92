//! The API's request handlers (see [`super::api`] for the wire format).

use super::api::{
    BuildInfo, ChatRequest, ChatResponse, FeedbackRecord, FeedbackRequest, FeedbackResponse,
    Health, IntentsResponse, KbInfo, MenuItem, Readiness, Reason,
};
use super::errors::{ApiError, ApiJson};
use super::sessions::{self, Conversation, StoreError, MAX_ID_LEN};
use super::webhook::HandoffEvent;
use super::{reload, AppState, TurnRecord};
use crate::dialogue::sanitize;
use crate::ReplyKind;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::atomic::Ordering;

/// The error for a failed store operation, counted in the metrics.
fn store_error(st: &AppState, e: StoreError) -> ApiError {
    match e {
        StoreError::Busy => {
            st.metrics.session_busy.inc();
            tracing::warn!("{e}");
            ApiError::new(
                StatusCode::CONFLICT,
                "session_busy",
                "another message of this conversation is still being answered; try again",
            )
        }
        StoreError::Unavailable(_) => {
            st.metrics.store_errors.inc();
            tracing::error!("{e}");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "session_store_unavailable",
                "conversations cannot be stored right now; try again later",
            )
        }
    }
}

/// The first 8 characters of a session id, enough to follow a conversation
/// in the log without writing whole ids there.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn valid_id(id: Option<String>) -> Option<String> {
    id.filter(|s| !s.is_empty() && s.len() <= MAX_ID_LEN)
}

pub(super) async fn chat(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<ChatRequest>,
) -> Result<Json<ChatResponse>, ApiError> {
    let limit = st.config.max_message_chars;
    if req.message.chars().count() > limit {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "message_too_long",
            format!("message is longer than {limit} characters"),
        ));
    }
    if req.why && !st.config.explain {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "explain_disabled",
            "this server does not explain its replies (start it with --explain)",
        ));
    }
    let given = valid_id(req.session);
    // Held until the conversation is saved: the next message of this
    // conversation (here or at another instance) waits for it.
    let _lock = match &given {
        Some(id) => Some(
            st.sessions
                .lock(id)
                .await
                .map_err(|e| store_error(&st, e))?,
        ),
        None => None,
    };
    let known = match given {
        Some(id) => st
            .sessions
            .load(&id)
            .await
            .map_err(|e| store_error(&st, e))?
            .map(|c| (id, c)),
        None => None,
    };
    let resumed = known.is_some();
    let (id, mut conv) = known.unwrap_or_else(|| (sessions::new_id(), Conversation::new()));
    let engine = st.live.engine();
    // Matching is CPU work: run it on the blocking pool, at most
    // `matching` turns at once, so that slow inputs cannot stall the
    // async workers that accept and answer other requests.
    let permit = st
        .matching
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())?;
    let job_engine = engine.clone();
    let message = req.message;
    let failed = |e: tokio::task::JoinError| {
        tracing::error!("matching task failed: {e}");
        ApiError::internal()
    };
    // The sentence model never runs here: a turn that needs it comes back
    // as `None` with the session untouched.
    let (conv, done, message) = tokio::task::spawn_blocking(move || {
        let done = job_engine.respond_deferred(&mut conv.session, &message);
        drop(permit);
        (conv, done, message)
    })
    .await
    .map_err(failed)?;
    let (mut conv, reply, decision) = match done {
        Some((reply, decision)) => (conv, reply, decision),
        None => {
            // The lexical stages are unsure: embed the question on the
            // bounded inference pool, then finish the turn with it.
            let permit = st
                .inference
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| ApiError::internal())?;
            let job_engine = engine.clone();
            let mut conv = conv;
            tokio::task::spawn_blocking(move || {
                let question = crate::dialogue::sanitize(&message);
                let embedding = job_engine.semantic().embed(question.trim());
                drop(permit);
                let (reply, decision) = match embedding {
                    Some(v) => job_engine.respond_embedded(&mut conv.session, &message, &v),
                    None => job_engine.respond_traced(&mut conv.session, &message),
                };
                (conv, reply, decision)
            })
            .await
            .map_err(failed)?
        }
    };
    let now = reload::unix_now();
    conv.record(&reply, now, st.webhook.is_some());
    let event = (reply.kind == ReplyKind::Handoff && st.webhook.is_some()).then(|| HandoffEvent {
        event: "handoff".to_string(),
        event_id: sessions::new_id(),
        handoffs_in_session: conv.handoffs,
        session: id.clone(),
        time: now,
        bot: engine.knowledge_base().settings.name.clone(),
        transcript: conv.transcript.clone(),
    });
    st.sessions
        .save(&id, conv)
        .await
        .map_err(|e| store_error(&st, e))?;
    // Only a turn the user got is recorded: one answered 503 because its
    // conversation could not be stored is not an unanswered question.
    if let Some(hook) = &st.on_turn {
        hook(&TurnRecord {
            session: &id,
            reply: &reply,
            decision: &decision,
        });
    }
    st.metrics.chat_reply(&reply);
    if let (Some(hook), Some(event)) = (&st.webhook, event) {
        hook.send(event);
    }
    tracing::info!(
        session = short(&id),
        resumed,
        kind = reply.kind.as_str(),
        intent = reply.intent.as_deref().unwrap_or("-"),
        confidence = reply.confidence,
        "chat turn"
    );
    let why = req
        .why
        .then(|| crate::explain::Explanation::new(&engine, &reply, &decision).render_short());
    Ok(Json(ChatResponse {
        session: id,
        new_session: !resumed,
        reply,
        why,
    }))
}

pub(super) async fn intents(State(st): State<AppState>) -> Json<IntentsResponse> {
    let engine = st.live.engine();
    let kb = engine.knowledge_base();
    let intents = engine
        .popular()
        .iter()
        .map(|&i| &kb.intents[i])
        .filter(|d| !d.title.trim().is_empty())
        .map(|d| MenuItem {
            id: d.id.clone(),
            title: d.title.clone(),
        })
        .collect();
    Json(IntentsResponse {
        name: kb.settings.name.clone(),
        greeting: kb.settings.greeting.clone(),
        handoff: kb.settings.handoff.clone(),
        handoff_html: Some(crate::markup::text_to_html(&kb.settings.handoff)),
        intents,
        texts: kb.settings.texts.clone(),
    })
}

/// Most bytes of a feedback `intent`.
const MAX_INTENT_LEN: usize = 100;

pub(super) async fn feedback(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<FeedbackRequest>,
) -> Result<Json<FeedbackResponse>, ApiError> {
    let Some(intent) = req.intent.clone() else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_intent",
            "intent is required: the intent of the reply being rated",
        ));
    };
    let ok = !intent.is_empty()
        && intent.len() <= MAX_INTENT_LEN
        && intent
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_intent",
            format!("intent must be a snake_case id of at most {MAX_INTENT_LEN} bytes"),
        ));
    }
    let Some(session) = valid_id(req.session) else {
        return Err(unknown_session());
    };
    let Some(conv) = st
        .sessions
        .load(&session)
        .await
        .map_err(|e| store_error(&st, e))?
    else {
        return Err(unknown_session());
    };
    if !conv.answered(&intent) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "intent_not_answered",
            "this conversation was not answered with that intent",
        ));
    }
    let input = req.input.map(|s| {
        sanitize(&s)
            .chars()
            .take(st.config.max_message_chars)
            .collect::<String>()
    });
    tracing::info!(
        session = short(&session),
        intent = intent.as_str(),
        helpful = req.helpful,
        "feedback"
    );
    let Some(log) = &st.feedback else {
        return Ok(Json(FeedbackResponse { recorded: false }));
    };
    let record = FeedbackRecord {
        time: reload::unix_now(),
        session: Some(session),
        intent: Some(intent),
        input,
        helpful: req.helpful,
    };
    log.append(&record).await.map_err(|e| {
        tracing::error!(file = %log.path().display(), "cannot write feedback: {e}");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "feedback_unavailable",
            "feedback cannot be recorded right now",
        )
    })?;
    Ok(Json(FeedbackResponse { recorded: true }))
}

fn unknown_session() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_session",
        "no such conversation (it may have expired)",
    )
}

/// What is wrong right now, and the store's counters if it answers.
async fn reasons(st: &AppState) -> (Vec<Reason>, Option<sessions::StoreStats>) {
    let mut reasons = Vec::new();
    let reload = st.live.status();
    if !reload.ok {
        reasons.push(Reason {
            code: "reload_failed".to_string(),
            message: reload
                .message
                .unwrap_or_else(|| "the last reload was rejected".to_string()),
        });
    }
    // Not counted in `store_errors`, which counts the customers' requests
    // that failed, not how often the store was probed; the store logs its
    // own connection attempts.
    let stats = match st.sessions.stats().await {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::debug!("{e}");
            let message = match st.sessions.refusal() {
                Some(why) => format!("{why}; chat answers 503"),
                None => format!(
                    "the {} session store cannot be reached; chat answers 503",
                    st.sessions.backend()
                ),
            };
            reasons.push(Reason {
                code: "session_store_unavailable".to_string(),
                message,
            });
            None
        }
    };
    // Data that no longer reaches its file: said here, where an operator
    // looks, not only once on standard error (an operator's trial deleted
    // the --log directory and health stayed "ok").
    if let Some(message) = st.log_problem.as_ref().and_then(|p| p()) {
        reasons.push(Reason {
            code: "log_unwritable".to_string(),
            message,
        });
    }
    if let Some(message) = st.feedback.as_ref().and_then(|f| f.problem()) {
        reasons.push(Reason {
            code: "feedback_unwritable".to_string(),
            message,
        });
    }
    if st.draining.load(Ordering::SeqCst) {
        reasons.push(Reason {
            code: "shutting_down".to_string(),
            message: "the server is shutting down".to_string(),
        });
    }
    (reasons, stats)
}

pub(super) async fn healthz(State(st): State<AppState>) -> Json<Health> {
    let engine = st.live.engine();
    let (reasons, sessions) = reasons(&st).await;
    Json(Health {
        status: if reasons.is_empty() { "ok" } else { "degraded" }.to_string(),
        reasons,
        store: st.sessions.backend().to_string(),
        build: BuildInfo::current(),
        kb: KbInfo {
            intents: engine.knowledge_base().intents.len(),
            generation: st.live.generation(),
            hash: st.live.hash(),
            semantic: engine.semantic().status().code().to_string(),
            semantic_error: engine.semantic().status().failure().map(str::to_string),
        },
        reload: st.live.status(),
        sessions,
    })
}

/// Reasons of `/healthz` that do not make an instance unready: it still
/// answers customers (a rejected reload keeps the previous knowledge base;
/// a log file that cannot be written loses records, not replies).
const NOT_READINESS: [&str; 3] = ["reload_failed", "log_unwritable", "feedback_unwritable"];

pub(super) async fn readyz(State(st): State<AppState>) -> Response {
    let (all, _) = reasons(&st).await;
    let reasons: Vec<Reason> = all
        .into_iter()
        .filter(|r| !NOT_READINESS.contains(&r.code.as_str()))
        .collect();
    let ready = reasons.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(Readiness { ready, reasons })).into_response()
}

pub(super) async fn metrics(State(st): State<AppState>) -> Response {
    let m = &st.metrics;
    let reload = st.live.status();
    m.set_reload_status(reload.attempts, reload.failed, reload.ok);
    m.generation
        .set(i64::try_from(st.live.generation()).unwrap_or(i64::MAX));
    match st.sessions.stats().await {
        Ok(s) => m
            .sessions_live
            .set(i64::try_from(s.live).unwrap_or(i64::MAX)),
        Err(e) => {
            // A scrape is not a customer's failed request (see `reasons`).
            tracing::debug!("{e}");
            m.sessions_live.set(-1)
        }
    };
    m.set_store_connection(st.sessions.connection());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.encode(),
    )
        .into_response()
}
