//! `example_tests(true)`: which examples become tests, and the file they become, snapshotted.
//! The tests themselves run in `fixture-types` (every valid fixture) and in `rts-api`.

use std::path::Path;

use openapi_rustgen::{Generator, load, resolve};

const SPEC: &str = "fixtures/valid/examples.yaml";

#[test]
fn every_example_with_a_generated_type_is_found() {
    let document = load::load_file(Path::new(SPEC)).unwrap_or_else(|err| panic!("{err}"));
    let api = resolve::resolve(&document).unwrap_or_else(|err| panic!("{err}"));
    let found: Vec<(String, String)> = resolve::examples(&api, &document)
        .into_iter()
        .map(|example| (example.pointer, example.type_name))
        .collect();
    let media = "/paths/~1pets/get/responses/200/content/application~1json/examples";
    let expected = [
        ("/components/schemas/Kind/example", "Kind"),
        ("/components/schemas/Pet/example", "Pet"),
        ("/components/schemas/Pet/examples/0", "Pet"),
        ("/components/schemas/Pet/examples/1", "Pet"),
        ("/paths/~1pets/get/parameters/0/example", "Kind"),
        (&format!("{media}/shared/value"), "Vec<Pet>"),
        (&format!("{media}/two/value"), "Vec<Pet>"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    // Not `limit` (an integer has no generated type), nor `weight`'s (a number).
    assert_eq!(found, expected);
}

#[test]
fn the_example_tests_file_is_snapshotted() {
    let files = Generator::new()
        .spec_path(SPEC)
        .types(false)
        .example_tests(true)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "example_tests.rs");
    // The example text reaches the code only as an escaped string literal.
    assert!(
        files[0]
            .contents
            .contains(r##""[{\"name\":\"Quote\\\"#, and \\\\ backslash\"}]""##)
    );
    insta::assert_snapshot!(files[0].contents);
}
