//! Generates `$OUT_DIR/types.rs`, `operations.rs` and `server.rs` from the Petstore example,
//! the way the generator's docs tell a user to.

fn main() {
    if let Err(err) = openapi_rustgen::Generator::new()
        .spec_path("petstore.yaml")
        .server(true)
        .generate()
    {
        panic!("{err}");
    }
}
