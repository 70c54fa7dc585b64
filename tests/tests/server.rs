//! The generated axum server (`server.rs`), snapshotted for the seed spec and for fixtures with
//! query, header and path parameters, bearer auth, 204 responses, response headers and status
//! ranges, and for a resource family (300, list envelopes, all-optional PUT, literal segments
//! beside captures). Review changes with `cargo insta review`.

use openapi_rustgen::Generator;

fn server(path: &str) -> String {
    let files = Generator::new()
        .spec_path(path)
        .types(false)
        .server(true)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(files.len(), 1, "only server.rs");
    assert_eq!(files[0].name, "server.rs");
    files[0].contents.clone()
}

#[test]
fn seed_spec_server() {
    let code = server("../spec/openapi.json");
    insta::assert_snapshot!("seed", code);
    // The committed file is the same code (its header names the spec as the workspace sees it).
    let committed = include_str!("../../generated/src/server.rs");
    let body = |text: &str| text.split_once("\n\n").map(|(_, rest)| rest.to_owned());
    assert_eq!(body(&code), body(committed));
}

#[test]
fn fixture_servers() {
    for (name, path) in [
        ("pets", "fixtures/server/pets.yaml"),
        ("resources", "fixtures/server/resources.yaml"),
        ("checks", "fixtures/server/checks.yaml"),
        ("reach", "fixtures/server/reach.yaml"),
        ("operations", "fixtures/valid/operations.yaml"),
    ] {
        let code = server(path);
        assert_eq!(server(path), code, "{name}: a second run gave other bytes");
        insta::assert_snapshot!(name, code);
    }
}
