//! The consumer, on the hand-written types.

mod api;

include!("../../common/consumer.rs");
