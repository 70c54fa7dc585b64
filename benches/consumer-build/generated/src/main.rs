//! The consumer, on the generated types.

use rts_api as api;

include!("../../common/consumer.rs");
