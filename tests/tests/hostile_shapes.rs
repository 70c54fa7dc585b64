//! Inputs shaped to be slow: long `$ref` alias chains and documents nested very deep. Each must
//! be answered: generated, or rejected with a located error. How fast is measured in
//! BENCHMARKS.md, not asserted here.

use openapi_rustgen::{ErrorKind, Generator, Location};
use serde_json::{Map, Value, json};

/// `A0 → A1 → … → A{len}`, the last an object: every alias must become a type alias.
fn alias_chain(len: usize) -> String {
    let mut schemas = Map::new();
    for i in 0..len {
        schemas.insert(
            format!("A{i}"),
            json!({ "$ref": format!("#/components/schemas/A{}", i + 1) }),
        );
    }
    schemas.insert(
        format!("A{len}"),
        json!({ "type": "object", "properties": { "x": { "type": "string" } } }),
    );
    json!({
        "openapi": "3.0.3",
        "info": { "title": "chain", "version": "1" },
        "paths": {},
        "components": { "schemas": Value::Object(schemas) },
    })
    .to_string()
}

fn assert_chain_generates(len: usize) {
    let files = Generator::new()
        .spec_text("chain.json", alias_chain(len))
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    let types = &files[0].contents;
    assert!(types.contains("pub type A0 = A1;"), "the first alias");
    assert!(
        types.contains(&format!("pub type A{} = A{len};", len - 1)),
        "the last alias"
    );
    assert!(types.contains(&format!("pub struct A{len} ")), "the object");
}

#[test]
fn a_chain_of_10_000_aliases_generates() {
    assert_chain_generates(10_000);
}

#[test]
fn a_chain_of_20_000_aliases_generates() {
    assert_chain_generates(20_000);
}

const HEADER_JSON: &str =
    r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-deep":"#;
const HEADER_YAML: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: ";

fn assert_rejected_with_position(name: &str, text: String, line: usize) {
    let err = Generator::new()
        .spec_text(name, text)
        .render()
        .expect_err("100,000 levels are rejected");
    assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
    assert!(
        matches!(err.location(), Location::Text { line: l, .. } if *l == line),
        "located at line {line}: {err}"
    );
    assert!(err.to_string().starts_with(name), "{err}");
}

#[test]
fn json_nested_100_000_levels_is_rejected_with_a_position() {
    let depth = 100_000;
    let text = format!("{HEADER_JSON}{}{}}}", "[".repeat(depth), "]".repeat(depth));
    assert_rejected_with_position("deep.json", text, 1);
}

#[test]
fn yaml_flow_nested_100_000_levels_is_rejected_with_a_position() {
    let depth = 100_000;
    let sequences = format!("{HEADER_YAML}{}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_rejected_with_position("deep.yaml", sequences, 4);
    let mappings = format!(
        "{HEADER_YAML}{}{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    assert_rejected_with_position("deep.yaml", mappings, 4);
}

#[test]
fn yaml_block_nested_deeply_is_rejected_with_a_position() {
    // Block nesting costs a column a level, so depth here is bounded by the line length.
    let mut text = String::from(HEADER_YAML);
    text.push('\n');
    for level in 1..2_000 {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    let err = Generator::new()
        .spec_text("deep.yaml", text)
        .render()
        .expect_err("2,000 levels are rejected");
    assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
    assert!(matches!(err.location(), Location::Text { .. }), "{err}");
}

#[test]
fn yaml_nested_just_below_the_limit_still_loads() {
    let depth = 100;
    let text = format!("{HEADER_YAML}{}{}\n", "[".repeat(depth), "]".repeat(depth));
    Generator::new()
        .spec_text("ok.yaml", text)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
}
