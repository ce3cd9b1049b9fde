//! One payment at a time per source. Creating a payment asks Dollr whether the source already
//! has one in flight and then executes; two requests doing that at the same moment (two tabs,
//! two devices) would both see "nothing in flight" and both execute. [`SourceLocks`] makes the
//! check and the execution one step per source within this process.
//!
//! Entries exist only while someone holds or waits for them, so the map stays as small as the
//! number of payments being created at that moment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

type Entry = Arc<AsyncMutex<()>>;

/// Per-source async locks. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct SourceLocks {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
}

/// Held while a payment for one source is being created; dropping it lets the next one in.
pub struct SourceGuard {
    key: String,
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    entry: Entry,
    guard: Option<OwnedMutexGuard<()>>,
}

impl SourceLocks {
    /// Waits until no other request holds `key`, then holds it.
    pub async fn hold(&self, key: String) -> SourceGuard {
        let entry = {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.entry(key.clone()).or_default().clone()
        };
        let guard = entry.clone().lock_owned().await;
        SourceGuard {
            key,
            entries: self.entries.clone(),
            entry,
            guard: Some(guard),
        }
    }

    /// How many sources have a holder or a waiter.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when no source is held.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for SourceGuard {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // The map's reference and ours: nobody else waits, so the entry can go. A waiter that
        // cloned the entry keeps the count above two and removes it when it is done.
        if Arc::strong_count(&self.entry) <= 2 {
            entries.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::SourceLocks;

    #[tokio::test]
    async fn one_holder_per_source_and_nothing_left_behind() {
        let locks = SourceLocks::default();
        let first = locks.hold("INVOICE:1".into()).await;
        // Another source is not held up.
        let other = locks.hold("INVOICE:2".into()).await;
        assert_eq!(locks.len(), 2);
        drop(other);
        assert_eq!(locks.len(), 1);

        // The same source waits until the first lets go.
        let waiter = tokio::spawn({
            let locks = locks.clone();
            async move {
                let _second = locks.hold("INVOICE:1".into()).await;
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "the second holder got in early");
        drop(first);
        tokio::time::timeout(Duration::from_secs(2), waiter)
            .await
            .expect("the second holder never got in")
            .expect("the waiter panicked");
        assert!(locks.is_empty());
    }
}
