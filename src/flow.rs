//! The checkout as a pure state machine: `step(state, event) -> (state, commands)`. No leptos,
//! web-sys or gloo here: the UI renders [`State`] and turns user actions and I/O results into
//! [`Event`]s; the embedding runs the [`Command`]s. Table-driven native tests cover every
//! transition.

use dollr_api::widget::{CheckoutSummary, ErrorCode};

use crate::error::WidgetError;
use crate::i18n::Key;

/// Where the checkout is.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Fetching the order summary.
    Loading,
    /// The order is shown.
    Ready {
        /// What is being paid.
        summary: Box<CheckoutSummary>,
    },
    /// The order could not be loaded.
    LoadFailed {
        /// What to tell the payer.
        message: Key,
        /// Whether "Try again" can help.
        retryable: bool,
    },
}

/// Something that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The proxy answered the summary request.
    SummaryLoaded(CheckoutSummary),
    /// The summary request failed.
    SummaryFailed(WidgetError),
    /// The payer pressed "Try again".
    RetryPressed,
}

/// I/O the embedding must perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `GET /v1/checkout`.
    FetchSummary,
}

/// The first state and what to do to leave it.
pub fn start() -> (State, Vec<Command>) {
    (State::Loading, vec![Command::FetchSummary])
}

/// The sentence for an error, and whether retrying may help.
pub fn describe(error: &WidgetError) -> (Key, bool) {
    match error {
        WidgetError::Network(_) | WidgetError::Timeout => (Key::ErrorNetwork, true),
        WidgetError::Api {
            code: Some(ErrorCode::GrantExpired),
            ..
        } => (Key::ErrorGrantExpired, false),
        WidgetError::Api {
            code: Some(ErrorCode::InvalidGrant | ErrorCode::Forbidden),
            ..
        } => (Key::ErrorGrantInvalid, false),
        WidgetError::Api {
            code: Some(ErrorCode::AlreadyPaid),
            ..
        } => (Key::ErrorAlreadyPaid, false),
        WidgetError::Api { status: 429, .. } => (Key::ErrorRateLimited, true),
        WidgetError::InvalidOptions { .. } => (Key::ErrorMisconfigured, false),
        other => (
            Key::ErrorGeneric,
            other.is_transient() || matches!(other, WidgetError::BadResponse(_)),
        ),
    }
}

/// One transition.
pub fn step(state: State, event: Event) -> (State, Vec<Command>) {
    match (state, event) {
        (State::Loading, Event::SummaryLoaded(summary)) => (
            State::Ready {
                summary: Box::new(summary),
            },
            vec![],
        ),
        (State::Loading, Event::SummaryFailed(error)) => {
            let (message, retryable) = describe(&error);
            (State::LoadFailed { message, retryable }, vec![])
        }
        (
            State::LoadFailed {
                retryable: true, ..
            },
            Event::RetryPressed,
        ) => start(),
        // Anything else is stale (e.g. a late answer after a retry) and changes nothing.
        (state, _) => (state, vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dollr_api::{Decimal, SourceStatus, SourceType};

    fn summary() -> CheckoutSummary {
        CheckoutSummary {
            source_type: SourceType::Invoice,
            source_id: 1,
            source_number: "INV-000001".into(),
            status: SourceStatus::Active,
            currency: "USD".into(),
            total: Decimal::from_int(25),
            items: vec![],
            methods: vec![],
            stripe: None,
            sandbox: true,
        }
    }

    fn api(status: u16, code: Option<ErrorCode>) -> WidgetError {
        WidgetError::Api {
            status,
            code,
            message: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn transitions() {
        let ready = State::Ready {
            summary: Box::new(summary()),
        };
        let failed = |message, retryable| State::LoadFailed { message, retryable };
        let cases: Vec<(State, Event, State, Vec<Command>)> = vec![
            (
                State::Loading,
                Event::SummaryLoaded(summary()),
                ready.clone(),
                vec![],
            ),
            (
                State::Loading,
                Event::SummaryFailed(WidgetError::Timeout),
                failed(Key::ErrorNetwork, true),
                vec![],
            ),
            (
                State::Loading,
                Event::SummaryFailed(api(401, Some(ErrorCode::GrantExpired))),
                failed(Key::ErrorGrantExpired, false),
                vec![],
            ),
            (
                State::Loading,
                Event::SummaryFailed(api(403, Some(ErrorCode::Forbidden))),
                failed(Key::ErrorGrantInvalid, false),
                vec![],
            ),
            (
                State::Loading,
                Event::SummaryFailed(WidgetError::BadResponse("garbage".into())),
                failed(Key::ErrorGeneric, true),
                vec![],
            ),
            (
                State::Loading,
                Event::SummaryFailed(api(429, Some(ErrorCode::RateLimited))),
                failed(Key::ErrorRateLimited, true),
                vec![],
            ),
            (
                failed(Key::ErrorNetwork, true),
                Event::RetryPressed,
                State::Loading,
                vec![Command::FetchSummary],
            ),
            // A refusal that retrying cannot fix ignores the button.
            (
                failed(Key::ErrorGrantExpired, false),
                Event::RetryPressed,
                failed(Key::ErrorGrantExpired, false),
                vec![],
            ),
            // A late answer never overwrites a shown order.
            (
                ready.clone(),
                Event::SummaryFailed(WidgetError::Timeout),
                ready.clone(),
                vec![],
            ),
            (ready.clone(), Event::RetryPressed, ready.clone(), vec![]),
        ];
        for (index, (from, event, to, commands)) in cases.into_iter().enumerate() {
            let (state, out) = step(from, event);
            assert_eq!(state, to, "case {index}");
            assert_eq!(out, commands, "case {index}");
        }
    }

    #[test]
    fn starts_by_fetching_the_summary() {
        assert_eq!(start(), (State::Loading, vec![Command::FetchSummary]));
    }
}
