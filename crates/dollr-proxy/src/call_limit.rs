//! How often one checkout (the order or invoice of a grant) may call the proxy. Every call the
//! proxy forwards is made with the merchant's Dollr credentials, and Dollr's rate limit is the
//! merchant's, shared by every payer: without a limit of its own, a page left looping, a host
//! page's script mounting the checkout again and again, or someone holding a grant could spend
//! it, and every other payer would be told the service is busy.
//!
//! Each checkout has a bucket of `per_minute` calls, refilled at `per_minute` a minute. A payer
//! never meets it (loading, finding the network, three quotes, paying and the receipt take 8
//! calls, and the waiting screen asks every 2 s); a checkout that goes on calling faster than
//! the refill is answered 429 with `Retry-After`, without Dollr being called.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Checkouts whose buckets are kept before the full ones are let go. A full bucket is the same as
/// none, so letting it go changes nothing; this only bounds how often the map is swept.
const SWEEP_ABOVE: usize = 4096;

/// A call refused for its checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// Whole seconds until the checkout may call again.
    pub retry_after: u64,
    /// Whether this is the checkout's first refusal since its bucket was last full: the one
    /// worth a line in the log. A checkout calling in a loop is refused again each time a call
    /// comes back to it, but said once, until it has been quiet long enough to have every call
    /// back.
    pub first: bool,
}

/// The calls left to each checkout. Shared by every request of a proxy.
#[derive(Debug)]
pub struct CallLimit {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    calls: f64,
    at: Instant,
    refused: bool,
}

impl CallLimit {
    /// At most `per_minute` calls a minute for each checkout, in bursts of as many; 0 is no limit.
    pub fn new(per_minute: u32) -> CallLimit {
        CallLimit {
            per_minute,
            buckets: Mutex::default(),
        }
    }

    /// The limit a minute, 0 for none.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Counts a call of the checkout `key` made at `now`, or refuses it.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Refused> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= SWEEP_ABOVE && !buckets.contains_key(key) {
            buckets.retain(|_, bucket| bucket.refilled(now, per_second) < capacity);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            calls: capacity,
            at: now,
            refused: false,
        });
        bucket.calls = bucket.refilled(now, per_second).min(capacity);
        bucket.at = now;
        if bucket.calls >= capacity {
            bucket.refused = false;
        }
        if bucket.calls >= 1.0 {
            bucket.calls -= 1.0;
            return Ok(());
        }
        let first = !bucket.refused;
        bucket.refused = true;
        // At least 1: a `Retry-After` of 0 would invite the call again at once.
        let wait = ((1.0 - bucket.calls) / per_second).ceil().max(1.0);
        Err(Refused {
            retry_after: wait as u64,
            first,
        })
    }
}

impl Bucket {
    /// The calls this bucket would hold at `now`, not capped.
    fn refilled(&self, now: Instant, per_second: f64) -> f64 {
        self.calls + now.saturating_duration_since(self.at).as_secs_f64() * per_second
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_checkout_gets_its_burst_then_the_refill_and_others_are_untouched() {
        let limit = CallLimit::new(60);
        let start = Instant::now();
        for _ in 0..60 {
            assert_eq!(limit.take("orders:1", start), Ok(()));
        }
        let refused = limit.take("orders:1", start).unwrap_err();
        assert_eq!(
            refused,
            Refused {
                retry_after: 1,
                first: true
            }
        );
        assert!(
            !limit.take("orders:1", start).unwrap_err().first,
            "said once"
        );
        assert_eq!(limit.take("orders:2", start), Ok(()), "another checkout");
        // One a second comes back.
        let later = start + Duration::from_millis(1000);
        assert_eq!(limit.take("orders:1", later), Ok(()));
        assert!(limit.take("orders:1", later).is_err());
        // Still calling as fast as calls come back: refused again, but not said again.
        let much_later = later + Duration::from_secs(2);
        assert_eq!(limit.take("orders:1", much_later), Ok(()));
        assert_eq!(limit.take("orders:1", much_later), Ok(()));
        assert!(!limit.take("orders:1", much_later).unwrap_err().first);
        // Quiet for a minute, the whole burst is back, and a refusal after it is said.
        let next_minute = much_later + Duration::from_secs(60);
        assert!((0..60).all(|_| limit.take("orders:1", next_minute).is_ok()));
        assert!(limit.take("orders:1", next_minute).unwrap_err().first);
    }

    #[test]
    fn the_wait_said_is_the_time_until_the_next_call_is_allowed() {
        let limit = CallLimit::new(6);
        let start = Instant::now();
        for _ in 0..6 {
            limit.take("invoices:9", start).unwrap();
        }
        assert_eq!(limit.take("invoices:9", start).unwrap_err().retry_after, 10);
        let nearly = start + Duration::from_secs(7);
        assert_eq!(limit.take("invoices:9", nearly).unwrap_err().retry_after, 3);
        assert_eq!(
            limit.take("invoices:9", start + Duration::from_secs(10)),
            Ok(())
        );
    }

    #[test]
    fn no_limit_at_zero() {
        let limit = CallLimit::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limit.take("orders:1", now).is_ok()));
    }

    #[test]
    fn full_buckets_are_let_go_and_those_in_use_kept() {
        let limit = CallLimit::new(120);
        let start = Instant::now();
        for id in 0..SWEEP_ABOVE {
            limit.take(&format!("orders:{id}"), start).unwrap();
        }
        // A minute on, every bucket but the busy one has filled up again.
        let later = start + Duration::from_secs(60);
        for _ in 0..120 {
            limit.take("orders:0", later).unwrap();
        }
        limit.take("orders:new", later).unwrap();
        let buckets = limit.buckets.lock().unwrap();
        let mut kept: Vec<&String> = buckets.keys().collect();
        kept.sort();
        assert_eq!(kept, ["orders:0", "orders:new"]);
    }
}
