//! The whole software configuration and deployment family over a real socket: every operation
//! with its error cases, version discovery, and a deployment's lifecycle, against rts-server's
//! app on an ephemeral loopback port, with the in-memory store.

const DURABLE: bool = false;

include!("family/cases.rs");
