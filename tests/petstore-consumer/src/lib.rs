//! Uses types and an axum server generated at build time from the OpenAPI Petstore example
//! (`petstore.yaml`, see `NOTICE.md`), a spec this project did not write.

/// The Petstore's schemas (`Pet`, `Pets` and `Error`), and its server.
pub mod api {
    /// The schemas.
    pub mod types {
        include!(concat!(env!("OUT_DIR"), "/types.rs"));
    }
    /// Each operation's parameters and answers.
    pub mod operations {
        include!(concat!(env!("OUT_DIR"), "/operations.rs"));
    }
    /// The server: implement `server::Api`, serve `server::router`.
    pub mod server {
        include!(concat!(env!("OUT_DIR"), "/server.rs"));
    }
    pub use types::*;
}
