//! The Rust generated from every spec in `tests/fixtures/valid/`, one module per fixture
//! (named after its file), compiled as a user's crate would compile it: through a build script
//! and `include!`. The tests in `tests/` send JSON through these types.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// The types, axum servers and reqwest clients generated from every spec in
/// `tests/fixtures/server/`.
pub mod servers {
    include!(concat!(env!("OUT_DIR"), "/servers.rs"));
}
