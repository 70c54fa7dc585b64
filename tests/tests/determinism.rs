//! The same spec always gives the same bytes, whichever way it reaches the generator.

use openapi_rustgen::Generator;

fn render(name: &str, text: String) -> Vec<openapi_rustgen::GeneratedFile> {
    Generator::new()
        .spec_text(name, text)
        .render()
        .expect("the spec generates")
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let first = render("spec/openapi.json", rts_spec::to_json());
    let second = render("spec/openapi.json", rts_spec::to_json());
    assert_eq!(first, second);
}

#[test]
fn json_and_yaml_forms_of_the_spec_give_the_same_code() {
    let from_json = render("openapi", rts_spec::to_json());
    let from_yaml = render("openapi", rts_spec::to_yaml());
    assert_eq!(from_json, from_yaml);
}

#[test]
fn the_in_process_model_and_the_published_file_give_the_same_code() {
    let root = rts_tests::workspace_root();
    let from_file = Generator::new()
        .spec_path(root.join("spec/openapi.json"))
        .render()
        .expect("the published spec generates");
    let from_model = render(
        &root.join("spec/openapi.json").to_string_lossy(),
        rts_spec::to_json(),
    );
    assert_eq!(from_file, from_model);
}
