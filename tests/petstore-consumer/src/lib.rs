//! Uses types generated at build time from the OpenAPI Petstore example (`petstore.yaml`,
//! see `NOTICE.md`), a spec this project did not write.

/// The Petstore's schemas: `Pet`, `Pets` and `Error`.
pub mod api {
    include!(concat!(env!("OUT_DIR"), "/types.rs"));
}
