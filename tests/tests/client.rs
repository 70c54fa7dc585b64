//! The generated reqwest client (`client.rs`), snapshotted for the seed spec and for the server
//! fixtures (query, header and path parameters, bearer auth, 204 responses, response headers,
//! status ranges, no security at all, the security schemes and delimited query arrays of real
//! APIs, operations named like the client's own methods). Review changes with
//! `cargo insta review`.

use openapi_rustgen::Generator;

/// `client.rs` for the spec at `path`, checking that the client brings `operations.rs` along.
fn client(path: &str) -> String {
    let files = Generator::new()
        .spec_path(path)
        .types(false)
        .client(true)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, ["operations.rs", "client.rs"]);
    files[1].contents.clone()
}

#[test]
fn seed_spec_client() {
    let code = client("../spec/openapi.json");
    insta::assert_snapshot!("seed", code);
    // The committed file is the same code (its header names the spec as the workspace sees it).
    let body = |text: &str| text.split_once("\n\n").map(|(_, rest)| rest.to_owned());
    assert_eq!(
        body(&code),
        body(include_str!("../../generated/src/client.rs"))
    );
}

#[test]
fn fixture_clients() {
    for (name, path) in [
        ("pets", "fixtures/server/pets.yaml"),
        ("resources", "fixtures/server/resources.yaml"),
        ("checks", "fixtures/server/checks.yaml"),
        ("paths", "fixtures/server/paths.yaml"),
        ("params", "fixtures/server/params.yaml"),
        ("reach", "fixtures/server/reach.yaml"),
        ("bodies", "fixtures/server/bodies.yaml"),
        ("operations", "fixtures/valid/operations.yaml"),
        ("client_reach", "fixtures/server/client_reach.yaml"),
    ] {
        let code = client(path);
        assert_eq!(client(path), code, "{name}: a second run gave other bytes");
        insta::assert_snapshot!(name, code);
    }
}

#[test]
fn the_client_and_the_server_share_one_operations_file() {
    let render = |server: bool, client: bool| {
        Generator::new()
            .spec_path("../spec/openapi.json")
            .types(false)
            .server(server)
            .client(client)
            .render()
            .unwrap_or_else(|err| panic!("{err}"))
    };
    let both = render(true, true);
    let names: Vec<&str> = both.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, ["operations.rs", "server.rs", "client.rs"]);
    assert_eq!(both[0], render(true, false)[0]);
    assert_eq!(both[0], render(false, true)[0]);
}

#[test]
fn an_operation_named_new_leaves_the_constructor_alone() {
    // As gambitcomm.local/mimic.json has it, beside an operation named like the first suffix.
    let responses = serde_json::json!({ "204": { "description": "Done." } });
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": { "title": "Agents", "version": "1" },
        "paths": {
            "/agents": { "post": { "operationId": "new", "responses": responses } },
            "/again": { "post": { "operationId": "new_2", "responses": responses } },
        },
    });
    let files = Generator::new()
        .spec_value("agents.json", spec)
        .types(false)
        .client(true)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    let code = &files[1].contents;
    assert!(
        code.contains("pub fn new(base_url: &str) -> Self"),
        "{code}"
    );
    for (method, route) in [("new_3", "POST /agents"), ("new_2", "POST /again")] {
        let at = code
            .find(&format!("pub async fn {method}("))
            .unwrap_or_else(|| panic!("no method {method}: {code}"));
        // The doc comment right before the method names its route.
        let docs = &code[code[..at].rfind("}\n").unwrap_or(0)..at];
        assert!(docs.contains(&format!("`{route}`")), "{method}: {docs}");
    }
}
