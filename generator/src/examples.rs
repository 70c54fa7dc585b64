//! Optional part of stage 3: the spec's examples as tests (`example_tests.rs`).
//!
//! Every `example` and `examples` value on a schema that became a generated type, and on a
//! parameter, header or media type whose schema is one, becomes a `#[test]` that reads the value
//! into its type, writes it back and compares the JSON. Two differences are not failures,
//! because the type cannot keep them apart (see [`COMPARISON_DOCS`]): a member that is `null` on
//! one side and absent on the other, and numbers that are equal but written differently (`1`
//! and `1.0`). Anything else that changes, such as a property the type does not declare, fails.

use std::collections::BTreeMap;

use askama::Template;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::format::Chunk;
use crate::ir::Api;
use crate::load::Document;
use crate::naming::{self, Scope};
use crate::resolve::{child, percent_decode};
use crate::text;

/// What the generated comparison forgives, for the file's documentation.
pub const COMPARISON_DOCS: &str = "Reads `example` as `T`, writes it back and compares the JSON. Each test reads an example of the spec into its generated type, writes it back and \
compares the JSON. A member that is `null` on one side and absent on the other counts as equal \
(an optional field reads both as `None`), and so do numbers of equal value (`1` and `1.0`); \
any other difference fails.";

/// One example and the type it must round-trip through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Where the example is (a JSON pointer), for the test's documentation.
    pub pointer: String,
    /// The generated type's name; `Vec<Name>` for an array of it.
    pub type_name: String,
    /// The example value, as compact JSON.
    pub json: String,
}

#[derive(Template)]
#[template(path = "example_tests.rs.askama", escape = "none")]
struct ExampleTestsTemplate<'a> {
    docs: String,
    tests: &'a [ExampleTest],
}

struct ExampleTest {
    name: String,
    docs: String,
    /// The type, as a path from the test module.
    type_path: String,
    json_literal: String,
}

/// Renders `example_tests.rs`: one test per example. The types are referred to as
/// `super::types::Name`, like the server does.
pub fn render_example_tests(api: &Api, document: &Document) -> Result<Vec<Chunk>> {
    let mut names = Scope::default();
    // The file's own helpers.
    names.reserve("round_trips");
    names.reserve("same_json");
    let tests: Vec<ExampleTest> = examples(api, document)
        .into_iter()
        .map(|example| ExampleTest {
            name: names.claim(&naming::function_name(&format!(
                "{} example",
                example.type_name.replace("Vec<", "list ")
            ))),
            docs: text::doc_attributes(Some(&format!("The example at `#{}`.", example.pointer))),
            type_path: type_path(&example.type_name),
            json_literal: text::string_literal(&example.json),
        })
        .collect();
    let source = ExampleTestsTemplate {
        docs: text::doc_attributes(Some(COMPARISON_DOCS)),
        tests: &tests,
    }
    .render()
    .map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            Location::Document,
            format!("rendering the example tests failed: {err}"),
        )
    })?;
    Ok(vec![Chunk::Source(source)])
}

/// Every example in the document whose value has a generated type, in pointer order.
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

/// `Name` or `Vec<Name>` as a path from the test module, a sibling of `types`.
fn type_path(type_name: &str) -> String {
    match type_name
        .strip_prefix("Vec<")
        .and_then(|inner| inner.strip_suffix('>'))
    {
        Some(inner) => format!("Vec<{}>", type_path(inner)),
        None => format!("super::types::{type_name}"),
    }
}
