//! What users asked that the bot could not answer: the log writer
//! ([`log`]), personal-data masking ([`mask`]), the grouping behind
//! `faqbot misses` ([`mod@group`]) and the widget's feedback it also reads
//! ([`feedback`]); the turns gathered by their closest FAQ entry
//! ([`by_intent`]).

pub mod by_intent;
pub mod feedback;
pub mod group;
pub mod log;
pub mod mask;

pub use group::{group, group_entries, read_log, AnsweredBy, AnsweredNow, MissGroup};
pub use log::{LogEntry, UnansweredLog};
