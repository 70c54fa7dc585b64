//! Generates `$OUT_DIR/types.rs` from the Petstore example, the way the generator's docs tell
//! a user to.

fn main() {
    if let Err(err) = openapi_rustgen::Generator::new()
        .spec_path("petstore.yaml")
        .generate()
    {
        panic!("{err}");
    }
}
