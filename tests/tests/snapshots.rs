//! Snapshots of the published spec and of the intermediate model of the seed endpoint.
//! Review changes with `cargo insta review`.

use openapi_rustgen::{load, resolve};

#[test]
fn published_spec() {
    insta::assert_snapshot!("openapi.json", rts_spec::to_json());
}

#[test]
fn intermediate_model_of_the_seed_endpoint() {
    let document =
        load::load_str("spec/openapi.json", &rts_spec::to_json()).expect("the spec loads");
    let api = resolve::resolve(&document).expect("the spec resolves");
    insta::assert_yaml_snapshot!("ir", api);
}

#[test]
fn generated_types() {
    let root = rts_tests::workspace_root();
    let types = std::fs::read_to_string(root.join("generated/src/types.rs"))
        .expect("generated types exist");
    insta::assert_snapshot!("types.rs", types);
}
