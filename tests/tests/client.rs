//! The generated reqwest client (`client.rs`), snapshotted for the seed spec and for the server
//! fixtures (query, header and path parameters, bearer auth, 204 responses, response headers,
//! status ranges, no security at all). Review changes with `cargo insta review`.

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
        ("operations", "fixtures/valid/operations.yaml"),
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
