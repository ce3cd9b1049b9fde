//! Serde models of the Dollr API and of the widget-facing proxy API, plus the validation rules
//! both sides share (phone numbers, currencies, reference ids). No I/O: builds for wasm32 and
//! native alike.

pub mod decimal;
pub mod dollr;
pub mod enums;
pub mod validate;
pub mod widget;

pub use decimal::Decimal;
pub use enums::{
    ExecutionStatus, FeeBearer, OperationType, PaymentMethod, Provider, SourceStatus, SourceType,
};
