//! `$ref`s into other files: each file is read once and listed for `cargo:rerun-if-changed`;
//! errors name the file they are in.

use std::path::Path;

use openapi_rustgen::load;

#[test]
fn each_file_a_spec_refers_to_is_loaded_once_and_listed() {
    let document = load::load_file(Path::new("fixtures/valid/external_refs.yaml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let paths: Vec<String> = document.paths().map(|p| p.display().to_string()).collect();
    // `external/common.yaml` is referred to as `./external/common.yaml` too, and `money.json`
    // from both files: one entry each.
    assert_eq!(
        paths,
        [
            "fixtures/valid/external_refs.yaml",
            "fixtures/valid/external/common.yaml",
            "fixtures/valid/external/shared/money.json",
        ]
    );
}

#[test]
fn a_spec_given_as_text_finds_its_files_next_to_its_name() {
    let text = std::fs::read_to_string("fixtures/valid/external_refs.yaml").expect("the fixture");
    let files = openapi_rustgen::Generator::new()
        .spec_text("fixtures/valid/external_refs.yaml", text)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(files[0].contents.contains("pub struct Money"));
}

#[test]
fn a_url_is_never_fetched() {
    let text = r##"{"openapi": "3.1.0", "info": {"title": "x", "version": "1"},
        "components": {"schemas": {"A": {"$ref": "https://127.0.0.1:9/a.json#/A"}}}}"##;
    let err = openapi_rustgen::Generator::new()
        .spec_text("url.json", text)
        .render()
        .expect_err("a URL is refused");
    assert_eq!(
        err.to_string().lines().next(),
        Some(
            "url.json#/components/schemas/A/$ref: $ref \"https://127.0.0.1:9/a.json#/A\" is a URL; \
             the generator never fetches anything over the network: save the file next to the \
             spec and refer to it by a relative path"
        )
    );
}
