//! A Redis that answers but refuses this server (a missing or wrong
//! password, an ACL user without a permission, a database number it does
//! not have) is a misconfiguration, not an outage: retrying does not help
//! until the operator changes something. [`refusal`] recognises such an
//! error and says what to change, for the log, `/healthz` and `/readyz`.

use redis::{ErrorKind, RedisError};

/// How to give the password; the message never repeats the URL.
const HOW: &str = "give the password in the URL, redis://:PASSWORD@HOST:PORT/DB \
                   (redis://USER:PASSWORD@HOST:PORT/DB for an ACL user), best through \
                   the environment variable FAQBOT_SESSIONS rather than --sessions";

/// Why Redis, although it answered, refused this server, as a sentence
/// that says what to change; `None` when `e` is not such a refusal (a
/// connection error, a timeout, another error reply).
pub(super) fn refusal(e: &RedisError) -> Option<String> {
    // The code and detail of an error reply ("NOAUTH", "Authentication
    // required."), and the whole text: an error of the connection's setup
    // (AUTH, SELECT) carries the reply in its detail, after the crate's
    // own description.
    let text = format!(
        "{} {} {e}",
        e.code().unwrap_or_default(),
        e.detail().unwrap_or_default()
    );
    if text.contains("NOAUTH") || text.contains("Authentication required") {
        Some(format!(
            "the Redis session store refused authentication: it requires a password \
             (NOAUTH) and none was given; {HOW}"
        ))
    } else if text.contains("WRONGPASS") || e.kind() == ErrorKind::AuthenticationFailed {
        Some(format!(
            "the Redis session store refused authentication: the password (or user) is \
             wrong (WRONGPASS); {HOW}"
        ))
    } else if text.contains("NOPERM") || text.contains("no permissions") {
        Some(
            "the Redis session store refused a command (NOPERM): the ACL user of its URL \
             lacks a permission faqbot needs (string, sorted-set and hash commands, \
             EVAL/EVALSHA, on the keys under --redis-prefix)"
                .to_string(),
        )
    } else if text.contains("refused to switch database") {
        let why = e.detail().unwrap_or("no such database");
        Some(format!(
            "the Redis session store refused to switch to the database number in its URL \
             ({why}); use one below its `databases` setting (16 by default: 0 to 15)"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::refusal;
    use redis::{ErrorKind, RedisError};

    #[test]
    fn refusals_are_told_from_outages() {
        let noauth = RedisError::from((
            ErrorKind::ExtensionError,
            "NOAUTH",
            "Authentication required.".to_string(),
        ));
        let why = refusal(&noauth).unwrap();
        assert!(
            why.starts_with("the Redis session store refused authentication"),
            "{why}"
        );
        assert!(why.contains("redis://:PASSWORD@HOST") && why.contains("FAQBOT_SESSIONS"));
        let wrong = RedisError::from((
            ErrorKind::AuthenticationFailed,
            "Password authentication failed",
        ));
        assert!(refusal(&wrong).unwrap().contains("WRONGPASS"));
        let select = RedisError::from((
            ErrorKind::ResponseError,
            "Redis server refused to switch database",
            "DB index is out of range".to_string(),
        ));
        assert!(refusal(&select)
            .unwrap()
            .contains("DB index is out of range"));
        let io = RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(refusal(&io), None);
        let other = RedisError::from((
            ErrorKind::ResponseError,
            "An error was signalled by the server",
            "WRONGTYPE".to_string(),
        ));
        assert_eq!(refusal(&other), None);
    }
}
