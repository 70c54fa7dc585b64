//! What a consumer of `rts-api` compiles: the types alone pull in neither a server (axum) nor a
//! client (reqwest, rustls), and each feature brings only its own half.

use std::process::Command;

/// The packages `cargo tree` lists for `rts-api` with `features` (normal dependencies only).
fn dependencies(features: &str) -> String {
    let mut command = Command::new(env!("CARGO"));
    command.args([
        "tree",
        "--offline",
        "--locked",
        "-p",
        "rts-api",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]);
    if !features.is_empty() {
        command.args(["--features", features]);
    }
    let output = command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("running cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("cargo tree prints UTF-8")
}

fn has(tree: &str, package: &str) -> bool {
    tree.lines()
        .any(|line| line.split_whitespace().next() == Some(package))
}

#[test]
fn the_types_alone_compile_neither_server_nor_client() {
    let tree = dependencies("");
    assert!(has(&tree, "serde"), "{tree}");
    for package in [
        "axum",
        "reqwest",
        "rustls",
        "hyper",
        "tokio",
        "openapi-rustgen-runtime",
    ] {
        assert!(!has(&tree, package), "{package} in\n{tree}");
    }
}

#[test]
fn the_client_brings_reqwest_with_rustls_and_no_axum() {
    let tree = dependencies("client");
    for package in ["reqwest", "rustls", "openapi-rustgen-runtime"] {
        assert!(has(&tree, package), "{package} missing from\n{tree}");
    }
    assert!(!has(&tree, "axum"), "{tree}");
}

#[test]
fn the_server_brings_axum_and_no_reqwest() {
    let tree = dependencies("server");
    assert!(has(&tree, "axum"), "{tree}");
    assert!(!has(&tree, "reqwest"), "{tree}");
}
