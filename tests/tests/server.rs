//! The generated axum server (`operations.rs` and `server.rs`), snapshotted for the seed spec
//! and for fixtures with query, header and path parameters, bearer auth, 204 responses, response
//! headers and status ranges, and for a resource family (300, list envelopes, all-optional PUT,
//! literal segments beside captures). Review changes with `cargo insta review`.

use openapi_rustgen::Generator;

/// `operations.rs`, then `server.rs`, each after a line naming it.
fn server(path: &str) -> String {
    let files = Generator::new()
        .spec_path(path)
        .types(false)
        .server(true)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, ["operations.rs", "server.rs"]);
    files
        .iter()
        .map(|file| format!("=== {} ===\n{}", file.name, file.contents))
        .collect()
}

#[test]
fn seed_spec_server() {
    let code = server("../spec/openapi.json");
    insta::assert_snapshot!("seed", code);
    // The committed files are the same code (their headers name the spec as the workspace sees
    // it).
    let body = |text: &str| text.split_once("\n\n").map(|(_, rest)| rest.to_owned());
    let (operations, server) = code.split_once("=== server.rs ===\n").unwrap();
    let operations = operations.trim_start_matches("=== operations.rs ===\n");
    assert_eq!(
        body(operations),
        body(include_str!("../../generated/src/operations.rs"))
    );
    assert_eq!(
        body(server),
        body(include_str!("../../generated/src/server.rs"))
    );
}

#[test]
fn fixture_servers() {
    for (name, path) in [
        ("pets", "fixtures/server/pets.yaml"),
        ("resources", "fixtures/server/resources.yaml"),
        ("checks", "fixtures/server/checks.yaml"),
        ("reach", "fixtures/server/reach.yaml"),
        ("paths", "fixtures/server/paths.yaml"),
        ("bodies", "fixtures/server/bodies.yaml"),
        ("params", "fixtures/server/params.yaml"),
        ("operations", "fixtures/valid/operations.yaml"),
    ] {
        let code = server(path);
        assert_eq!(server(path), code, "{name}: a second run gave other bytes");
        insta::assert_snapshot!(name, code);
    }
}
