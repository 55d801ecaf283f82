//! The one place an outcome is put into words. The inspector, the timeline's bars, the call
//! table, the stage and the runner all show a call as `call -> result`, with `result` from
//! [`outcome_words`], so a timeout reads the same in every view and in both languages.

use super::Lang;
use crate::engine::{CancelReason, Outcome, Value, format_seconds};
use crate::t;

/// An outcome in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeWords {
    /// What follows `call ->` in every view: `b'hi'`, `ECONNREFUSED`, `timed out`.
    pub result: String,
    /// A sentence more for the views with room (the inspector, the runner): the errno's
    /// number, what a Python program would have seen of a call the workbench ended.
    pub note: Option<String>,
}

/// Words for how a call ended (None: it has not). `call_name` is the call's name (`recv`);
/// `value` gives a returned value's Python literal, which the caller makes because it needs
/// the received bytes and the sockets' names; it is the same in both languages.
pub fn outcome_words(
    lang: Lang,
    outcome: Option<&Outcome>,
    call_name: &str,
    value: impl FnOnce(&Value) -> String,
) -> OutcomeWords {
    let (result, note) = match outcome {
        None => (t!(lang, "outcome-pending"), None),
        Some(Outcome::Ok(shown)) => (value(shown), None),
        Some(Outcome::Errno(code)) => (
            crate::engine::errno::name(*code).to_string(),
            Some(t!(lang, "outcome-errno-number", code = *code)),
        ),
        Some(Outcome::TimedOut { timeout_ms }) => (
            t!(lang, "outcome-timed-out"),
            Some(t!(
                lang,
                "outcome-timed-out-after",
                seconds = format_seconds(*timeout_ms)
            )),
        ),
        Some(Outcome::Cancelled(reason)) => (
            match reason {
                CancelReason::User => t!(lang, "outcome-cancelled"),
                CancelReason::Closed => t!(lang, "outcome-ended-by-close-all"),
            },
            Some(t!(lang, "outcome-would-still-wait", call = call_name)),
        ),
        Some(Outcome::Invalid(reason)) => {
            (t!(lang, "outcome-invalid", reason = reason.as_str()), None)
        }
    };
    OutcomeWords { result, note }
}

/// A call whose socket's thread ended before it returned (it never will).
pub fn no_result_thread_ended(lang: Lang) -> String {
    t!(lang, "outcome-thread-ended")
}
