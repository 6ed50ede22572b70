//! The Real-Time Logs: one delivery per push and target, its state as SAP names it, and the
//! capped log of a tenant's deliveries.

use std::collections::VecDeque;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::change::Operation;

/// What the Real-Time Logs call a delivery that reached its target ([DOC] §4).
pub const FINISHED_SUCCESSFULLY: &str = "Finished Successfully";

/// What the Real-Time Logs call a delivery that did not ([DOC] §4).
pub const FINISHED_WITH_ERROR: &str = "Finished with Error";

/// How many deliveries a tenant's log keeps; older ones are dropped (**proposed**).
pub const DELIVERY_LOG_CAPACITY: usize = 10_000;

/// One push to one target, as the delivery log shows it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its number in the tenant's log, from 1.
    pub seq: u64,
    /// The target's id.
    pub target: String,
    /// The target's display name.
    pub target_name: String,
    /// What happened to the user.
    pub operation: Operation,
    /// The user's v2 id.
    pub user_id: String,
    /// The id the push named the user by (the v2 id, or the `P` user id for version 1).
    pub entity_id: Option<String>,
    /// The user's userName.
    pub user_name: Option<String>,
    /// Who made the change.
    pub origin: &'static str,
    /// The HTTP method of the push.
    pub method: &'static str,
    /// The URL pushed to.
    pub url: String,
    /// The target's HTTP status, when it answered.
    pub http_status: Option<u16>,
    /// When the push started, on the landscape clock.
    pub time: Timestamp,
    /// What went wrong, when something did (never a secret).
    pub error: Option<String>,
}

impl Delivery {
    /// `Finished Successfully` or `Finished with Error`.
    pub fn state(&self) -> &'static str {
        if self.error.is_none() {
            FINISHED_SUCCESSFULLY
        } else {
            FINISHED_WITH_ERROR
        }
    }

    /// The delivery as the admin surface shows it.
    pub fn view(&self) -> Value {
        json!({
            "seq": self.seq,
            "target": self.target,
            "targetName": self.target_name,
            "operation": self.operation.label(),
            "userId": self.user_id,
            "entityId": self.entity_id,
            "userName": self.user_name,
            "origin": self.origin,
            "method": self.method,
            "url": self.url,
            "httpStatus": self.http_status,
            "state": self.state(),
            "entityState": if self.error.is_none() { self.operation.entity_state() } else { "Entity Failed" },
            "time": self.time.to_string(),
            "error": self.error,
        })
    }
}

/// A tenant's deliveries, numbered from 1, at most [`DELIVERY_LOG_CAPACITY`] of them.
#[derive(Debug, Default)]
pub(super) struct DeliveryLog {
    next_seq: u64,
    entries: VecDeque<Delivery>,
}

impl DeliveryLog {
    /// Appends a delivery with the next number, dropping the oldest when the log is full.
    pub(super) fn append(&mut self, mut delivery: Delivery) {
        self.next_seq += 1;
        delivery.seq = self.next_seq;
        if self.entries.len() == DELIVERY_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(delivery);
    }

    /// The deliveries, oldest first.
    pub(super) fn entries(&self) -> impl Iterator<Item = &Delivery> {
        self.entries.iter()
    }
}
