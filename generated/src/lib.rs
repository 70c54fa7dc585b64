//! Rust types for Open Telekom Cloud's Resource Template Service (RTS) software deployment API,
//! generated from its OpenAPI document (`spec/openapi.json`) by `openapi-rustgen`.
//!
//! Every type is in [`types`] and re-exported here. Request types leave out optional fields
//! that are `None`; response types write nullable fields as `null`; unknown fields in input are
//! ignored, as the service ignores them.
//!
//! ```
//! use rts_api::{CreateSoftwareDeploymentRequest, SoftwareDeploymentStatus};
//!
//! let request = CreateSoftwareDeploymentRequest {
//!     config_id: "8da95794-2ad9-4979-8ae5-739ce314c5cd".into(),
//!     server_id: "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5".into(),
//!     status: Some(SoftwareDeploymentStatus::InProgress),
//!     action: Some("CREATE".into()),
//!     input_values: None,
//!     stack_user_project_id: None,
//!     status_reason: None,
//! };
//! let json = serde_json::to_value(&request).unwrap();
//! assert_eq!(json["status"], "IN_PROGRESS");
//! assert!(json.get("input_values").is_none(), "None is left out of requests");
//! ```
//!
//! Do not edit `src/types.rs`: change the model in `spec/` and run `cargo codegen`.

pub mod types;

/// Per operation, its parameter struct and its response enum (one variant per documented
/// status); shared by the server and the client, and re-exported by the server module.
// prettyplease, not rustfmt, lays out generated code.
#[cfg(any(feature = "server", feature = "client"))]
#[rustfmt::skip]
pub mod operations;

/// An axum server for the API: implement [`server::Api`] and serve [`server::router`].
///
/// Behind the cargo feature `server`, so that a consumer of the types alone compiles neither
/// axum nor tokio. Generated into `src/server.rs` like the types.
// prettyplease, not rustfmt, lays out generated code; the types happen to agree, the server not.
#[cfg(feature = "server")]
#[rustfmt::skip]
pub mod server;

/// A reqwest client for the API: one async method per operation, returning the operation's
/// response enum from [`operations`] (the one the server answers with).
///
/// Behind the cargo feature `client` (reqwest with rustls). Generated into `src/client.rs`.
// prettyplease, not rustfmt, lays out generated code.
#[cfg(feature = "client")]
#[rustfmt::skip]
pub mod client;

pub use types::*;

/// Every example in the spec, read into its type and written back (`cargo test -p rts-api`).
/// Generated into `src/example_tests.rs` like the types.
#[cfg(test)]
#[rustfmt::skip]
mod example_tests;
