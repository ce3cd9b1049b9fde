//! The sandbox's in-memory books: parties, sources, sessions, payment accounts, executions and
//! tokens, with the rules that move money. Statuses are derived from the time elapsed since an
//! execution began, so every read sees a consistent, deterministic state.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use dollr_api::dollr::ValidationError;
use dollr_api::{
    Decimal, ExecutionStatus, FeeBearer, PaymentMethod, Provider, SourceStatus, SourceType,
};
use serde::Serialize;

use crate::scenarios::{Outcome, Pricing, AUTHENTICATION_FAILED};
use crate::time::rfc3339;

/// A failure the sandbox answers with, as Dollr would.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// 401 with this detail.
    Unauthorized(&'static str),
    /// 404 with this detail.
    NotFound(String),
    /// 409 with this detail.
    Conflict(String),
    /// 422 with every problem found in one request (one, for a rule checked after the
    /// fields: see `Refusal::body`).
    Problems(Vec<ValidationError>),
}

/// A person or business.
#[derive(Clone, Debug, Serialize)]
pub struct Party {
    /// Id.
    pub id: u64,
    /// Name.
    pub fullname: String,
    /// E.164 digits.
    pub phone: String,
    /// Email.
    pub email: Option<String>,
    /// Country.
    pub country_code: Option<String>,
}

/// A party as the merchant's customer.
#[derive(Clone, Debug, Serialize)]
pub struct Counterparty {
    /// Id.
    pub id: u64,
    /// Kind of relationship.
    pub relationship_type: String,
    /// The party.
    pub party_id: Option<u64>,
}

/// One line item.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Quantity.
    pub qty: u32,
    /// Unit price.
    pub amount: Decimal,
    /// Currency.
    pub currency: String,
    /// Created.
    pub created_at: String,
}

/// An invoice or an order.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    /// Id (shared number space for invoices and orders).
    pub id: u64,
    /// Kind.
    pub source_type: SourceType,
    /// `INV-000001` / `ORD-000001`.
    pub number: String,
    /// Who is billed.
    pub counterparty_id: u64,
    /// Currency.
    pub currency: String,
    /// Note.
    pub note: String,
    /// Who pays fees.
    pub fee_bearer: FeeBearer,
    /// Payment link wanted.
    pub as_payment_link: bool,
    /// Merchant's reference.
    pub reference_id: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
    /// Lines.
    pub items: Vec<Item>,
    /// Published (`ACTIVE`) or not (`IDLE`) or withdrawn; `PROCESSING`/`PAID` are derived.
    pub published: bool,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
    /// The execution that paid it.
    pub paid_by: Option<String>,
    /// When paid.
    pub paid_at: Option<String>,
}

impl Source {
    /// Sum of the lines.
    pub fn total(&self) -> Decimal {
        self.items.iter().fold(Decimal::ZERO, |sum, item| {
            item.amount
                .checked_mul(Decimal::from_int(i64::from(item.qty)))
                .and_then(|line| sum.checked_add(line))
                .unwrap_or(sum)
        })
    }
}

/// A checkout session.
#[derive(Clone, Debug)]
pub struct Session {
    /// Id.
    pub id: u64,
    /// Source paid.
    pub source_id: u64,
    /// Its kind.
    pub source_type: SourceType,
    /// When it lapses.
    pub expires: Instant,
    /// Same, as text.
    pub expires_at: String,
    /// Created.
    pub created_at: String,
    /// The execution made on it, if any.
    pub used_by: Option<String>,
    /// Account attached by the execution.
    pub payment_account_id: Option<u64>,
}

/// A registered wallet or card.
#[derive(Clone, Debug, Serialize)]
pub struct PaymentAccount {
    /// Id.
    pub id: u64,
    /// Name.
    pub account_name: String,
    /// Provider.
    pub provider: Provider,
    /// Method.
    pub method: PaymentMethod,
    /// Owner.
    pub party_id: u64,
    /// Country.
    pub country_code: Option<String>,
    /// Phone (mobile money) or Stripe PaymentMethod id (card).
    pub account_number: Option<String>,
    /// Created.
    pub created_at: String,
}

/// Where a card's 3-D Secure challenge stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Challenge {
    /// Not needed.
    None,
    /// Waiting for the payer.
    Waiting,
    /// Payer approved at this moment.
    Approved,
    /// Payer refused.
    Refused,
}

/// One collection execution: a charge attempt.
#[derive(Clone, Debug)]
pub struct Execution {
    /// Idempotency key.
    pub reference_id: String,
    /// Source paid.
    pub source_id: u64,
    /// Session used.
    pub session_id: u64,
    /// Account charged.
    pub payment_account_id: u64,
    /// Method.
    pub method: PaymentMethod,
    /// Amounts.
    pub pricing: Pricing,
    /// How it ends.
    pub outcome: Outcome,
    /// When it began.
    pub started: Instant,
    /// Same, as text.
    pub created_at: String,
    /// 3-D Secure.
    pub challenge: Challenge,
    /// When the challenge was answered.
    pub challenge_answered: Option<Instant>,
    /// Stripe client secret (cards needing 3-D Secure).
    pub client_secret: Option<String>,
    /// Operator's transaction id.
    pub provider_transaction_id: String,
}

/// Timing of statuses.
#[derive(Clone, Copy, Debug)]
pub struct Delays {
    /// `PROCESSING` → final for ordinary outcomes.
    pub short: Duration,
    /// `PROCESSING` → final for the slow scenario.
    pub long: Duration,
}

impl Execution {
    /// Status and gateway message at `now`.
    pub fn status_at(
        &self,
        now: Instant,
        delays: Delays,
    ) -> (ExecutionStatus, Option<&'static str>) {
        let elapsed = now.saturating_duration_since(self.started);
        let pending_for = delays.short / 5;
        let done_after = |d: Duration| elapsed >= d;
        match &self.outcome {
            Outcome::ChallengeThenComplete => match (self.challenge, self.challenge_answered) {
                (Challenge::Approved, Some(at)) => {
                    if now.saturating_duration_since(at) >= delays.short / 3 {
                        (ExecutionStatus::Completed, None)
                    } else {
                        (ExecutionStatus::Processing, None)
                    }
                }
                (Challenge::Refused, _) => (ExecutionStatus::Failed, Some(AUTHENTICATION_FAILED)),
                _ => (ExecutionStatus::Pending, None),
            },
            _ if elapsed < pending_for => (ExecutionStatus::Pending, None),
            Outcome::Complete if done_after(delays.short) => (ExecutionStatus::Completed, None),
            Outcome::CompleteSlowly if done_after(delays.long) => {
                (ExecutionStatus::Completed, None)
            }
            Outcome::Fail(msg) if done_after(delays.short) => (ExecutionStatus::Failed, Some(*msg)),
            _ => (ExecutionStatus::Processing, None),
        }
    }
}

/// Everything the sandbox knows.
#[derive(Default)]
pub struct Store {
    next_id: u64,
    /// Issued tokens and when they lapse.
    pub tokens: HashMap<String, Instant>,
    /// Parties by id.
    pub parties: HashMap<u64, Party>,
    /// Counterparties by id.
    pub counterparties: HashMap<u64, Counterparty>,
    /// Sources by id.
    pub sources: HashMap<u64, Source>,
    /// Sessions by id.
    pub sessions: HashMap<u64, Session>,
    /// Payment accounts by id.
    pub accounts: HashMap<u64, PaymentAccount>,
    /// Executions by reference id.
    pub executions: HashMap<String, Execution>,
    /// Executions in the order they were made.
    pub execution_order: Vec<String>,
    /// Calls to `/v1` received, for tests proving that nothing was forwarded.
    pub api_requests: u64,
    /// Calls to the token endpoint received.
    pub token_requests: u64,
}

/// Now as RFC 3339 text.
pub fn now_text() -> String {
    rfc3339(SystemTime::now())
}

impl Store {
    /// A fresh id; one counter for everything keeps ids unique and readable.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The party behind a source, through its counterparty.
    pub fn party_of_source(&self, source: &Source) -> Option<u64> {
        self.counterparties
            .get(&source.counterparty_id)
            .and_then(|c| c.party_id)
    }

    /// Applies finished executions to their sources (marks them paid). Called before every
    /// read so sources and executions never disagree.
    pub fn settle(&mut self, now: Instant, delays: Delays) {
        let mut paid: Vec<(u64, String)> = Vec::new();
        for reference in &self.execution_order {
            if let Some(execution) = self.executions.get(reference) {
                if execution.status_at(now, delays).0 == ExecutionStatus::Completed {
                    paid.push((execution.source_id, reference.clone()));
                }
            }
        }
        for (source_id, reference) in paid {
            if let Some(source) = self.sources.get_mut(&source_id) {
                if source.paid_by.is_none() {
                    source.paid_by = Some(reference);
                    source.paid_at = Some(now_text());
                }
            }
        }
    }

    /// Lifecycle status of a source at `now` (after [`Store::settle`]).
    pub fn source_status(&self, source: &Source, now: Instant, delays: Delays) -> SourceStatus {
        if source.paid_by.is_some() {
            return SourceStatus::Paid;
        }
        if !source.published {
            return SourceStatus::Idle;
        }
        let in_flight = self.executions.values().any(|e| {
            e.source_id == source.id
                && matches!(
                    e.status_at(now, delays).0,
                    ExecutionStatus::Pending | ExecutionStatus::Processing
                )
        });
        if in_flight {
            SourceStatus::Processing
        } else {
            SourceStatus::Active
        }
    }

    /// Answers a 3-D Secure challenge; false when no challenge waits under that secret.
    pub fn answer_challenge(&mut self, client_secret: &str, approve: bool, now: Instant) -> bool {
        for execution in self.executions.values_mut() {
            if execution.client_secret.as_deref() == Some(client_secret)
                && execution.challenge == Challenge::Waiting
            {
                execution.challenge = if approve {
                    Challenge::Approved
                } else {
                    Challenge::Refused
                };
                execution.challenge_answered = Some(now);
                return true;
            }
        }
        false
    }
}
