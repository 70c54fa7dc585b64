//! The spec's examples that the opt-in `example_tests.rs` reads into their generated types:
//! every `example` and `examples` value on a schema that became a generated type, and on a
//! parameter, header or media type whose schema is one.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{child, percent_decode};
use crate::ir::Api;
use crate::load::Document;
use crate::naming::{self, Scope};

/// One example and the type it must round-trip through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Where the example is (a JSON pointer), for the test's documentation.
    pub pointer: String,
    /// The generated type's name; `Vec<Name>` for an array of it.
    pub type_name: String,
    /// The example value, as compact JSON.
    pub json: String,
    /// The name of its test function.
    pub test_name: String,
}

/// Every example in the document whose value has a generated type, in pointer order, each with
/// the name of its test.
pub fn examples(api: &Api, document: &Document) -> Vec<Example> {
    let root = &document.root;
    let type_at: BTreeMap<&str, &str> = api
        .types
        .iter()
        .map(|def| (def.origin.as_str(), def.name.as_str()))
        .collect();
    let mut found = Vec::new();
    let mut push = |pointer: String, type_name: &str, value: &Value| {
        found.push(Example {
            pointer,
            type_name: type_name.to_owned(),
            json: value.to_string(),
            test_name: String::new(),
        });
    };
    // Schemas that became types.
    for def in &api.types {
        if let Some(schema) = crate::resolve::lookup(root, &def.origin) {
            for (pointer, value) in values_of(root, schema, &def.origin, true) {
                push(pointer, &def.name, value);
            }
        }
    }
    // Parameters, headers and media types: objects with a `schema` and examples.
    let mut stack: Vec<(&Value, String)> = vec![(root, String::new())];
    while let Some((value, pointer)) = stack.pop() {
        let Value::Object(map) = value else {
            if let Value::Array(items) = value {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, child(&pointer, &index.to_string())));
                }
            }
            continue;
        };
        // Not a map of property names that happen to include `schema` and `example`.
        let holds_examples = (map.contains_key("example") || map.contains_key("examples"))
            && !pointer.ends_with("/properties");
        if holds_examples
            && map.get("schema").is_some_and(Value::is_object)
            && let Some(type_name) = type_of_schema(root, &type_at, &child(&pointer, "schema"))
        {
            for (at, example) in values_of(root, value, &pointer, false) {
                push(at, &type_name, example);
            }
        }
        for (key, value) in map {
            if !matches!(
                key.as_str(),
                "example" | "examples" | "default" | "enum" | "const"
            ) {
                stack.push((value, child(&pointer, key)));
            }
        }
    }
    found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    found.dedup();
    let mut names = Scope::default();
    // The test file's own helpers.
    names.reserve("round_trips");
    names.reserve("same_json");
    for example in &mut found {
        example.test_name = names.claim(&naming::function_name(&format!(
            "{} example",
            example.type_name.replace("Vec<", "list ")
        )));
    }
    found
}

/// The example values of `holder` at `pointer`: `example`, and `examples`, which is an array
/// of values on a 3.1 schema and a map of Example Objects (`value`, or a local `$ref` to one)
/// elsewhere.
fn values_of<'v>(
    root: &'v Value,
    holder: &'v Value,
    pointer: &str,
    schema: bool,
) -> Vec<(String, &'v Value)> {
    let mut out = Vec::new();
    if let Some(example) = holder.get("example") {
        out.push((child(pointer, "example"), example));
    }
    match holder.get("examples") {
        Some(Value::Array(values)) if schema => {
            for (index, value) in values.iter().enumerate() {
                out.push((
                    child(&child(pointer, "examples"), &index.to_string()),
                    value,
                ));
            }
        }
        Some(Value::Object(named)) if !schema => {
            for (name, example) in named {
                let at = child(&child(pointer, "examples"), name);
                let example = match example.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference
                        .strip_prefix('#')
                        .and_then(|local| crate::resolve::lookup(root, &percent_decode(local))),
                    None => Some(example),
                };
                if let Some(value) = example.and_then(|example| example.get("value")) {
                    out.push((child(&at, "value"), value));
                }
            }
        }
        _ => {}
    }
    out
}

/// The generated type of the schema at `pointer` (following local `$ref`s), or `Vec<Name>` for
/// an array of one.
fn type_of_schema(root: &Value, type_at: &BTreeMap<&str, &str>, pointer: &str) -> Option<String> {
    let mut pointer = pointer.to_owned();
    // A chain of references is at most as long as the document has schemas; this bounds a
    // cycle.
    for _ in 0..=type_at.len() {
        if let Some(name) = type_at.get(pointer.as_str()) {
            return Some((*name).to_owned());
        }
        let schema = crate::resolve::lookup(root, &pointer)?;
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => pointer = percent_decode(reference.strip_prefix('#')?),
            None if schema.get("type").and_then(Value::as_str) == Some("array") => {
                let item = type_of_schema(root, type_at, &child(&pointer, "items"))?;
                return Some(format!("Vec<{item}>"));
            }
            None => return None,
        }
    }
    None
}
