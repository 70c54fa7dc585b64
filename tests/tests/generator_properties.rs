//! Property tests: random valid documents (objects, enums, arrays, maps, refs including cycles,
//! nullable schemas, odd names) never make the generator panic or emit code that does not
//! parse, and a second run gives the same bytes.
//!
//! 64 cases by default, to keep the test command fast. A longer run, e.g. nightly in CI:
//! `PROPTEST_CASES=5000 cargo test -p rts-tests --test generator_properties --release`.

use openapi_rustgen::{ErrorKind, Generator};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Names that are keywords, collide once cased, are not identifiers, or are not ASCII.
const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "gen",
    "async",
    "fooBar",
    "foo_bar",
    "FooBar",
    "1st",
    "x-y",
    "ünïcode",
    "",
    "$",
    "_",
    "a b",
    "String",
    "Option",
    "Box",
    "JsonValue",
    "BTreeMap",
    "*/",
    "\"#",
    "\n#[cfg(any())]",
    "} fn evil() {}",
    "日本語",
    "\u{202e}rtl",
    "additional_properties",
    "r#type",
    "Default",
];

fn odd_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(ODD_NAMES).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
        1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,10}",
    ]
}

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        "\\PC{0,30}",
        Just("```rust\nfn main() {}\n```\n    indented();".to_owned()),
        Just("*/ \"### \n#[cfg(any())]\n} fn evil() {}".to_owned()),
    ])
}

/// A schema; `Value::Number(n)` stands for a `$ref` to component `n`, resolved later.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({ "type": "string" })),
        Just(json!({ "type": "string", "format": "date-time" })),
        Just(json!({ "type": "integer", "format": "int32" })),
        Just(json!({ "type": "integer", "format": "uint64" })),
        Just(json!({ "type": "number" })),
        Just(json!({ "type": "boolean" })),
        Just(json!({})),
        Just(json!({ "type": "object" })),
        proptest::collection::btree_set("\\PC{0,6}", 1..5).prop_map(|values| {
            json!({ "type": "string", "enum": values.into_iter().collect::<Vec<_>>() })
        }),
        (0usize..6).prop_map(|index| json!(index)),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            (
                proptest::collection::vec((odd_name(), inner.clone(), any::<bool>(), text()), 1..5),
                proptest::option::of(inner.clone()),
            )
                .prop_map(|(properties, extra)| {
                    let mut props = Map::new();
                    let mut required = Vec::new();
                    for (name, mut schema, is_required, description) in properties {
                        if let (Some(d), Some(map)) = (description, schema.as_object_mut()) {
                            map.insert("description".into(), d.into());
                        }
                        if is_required && !props.contains_key(&name) {
                            required.push(Value::String(name.clone()));
                        }
                        props.insert(name, schema);
                    }
                    let mut object = json!({ "type": "object", "properties": props });
                    if !required.is_empty() {
                        object["required"] = Value::Array(required);
                    }
                    if let Some(extra) = extra {
                        object["additionalProperties"] = extra;
                    }
                    object
                }),
            inner
                .clone()
                .prop_map(|items| json!({ "type": "array", "items": items })),
            inner
                .clone()
                .prop_map(|value| json!({ "type": "object", "additionalProperties": value })),
            inner
                .clone()
                .prop_map(|s| json!({ "oneOf": [s, { "type": "null" }] })),
            inner
                .clone()
                .prop_map(|s| json!({ "anyOf": [{ "type": "null" }, s] })),
            inner.prop_map(|mut s| {
                // 3.0 style: `nullable: true` next to the schema.
                if let Some(map) = s.as_object_mut() {
                    map.insert("nullable".into(), true.into());
                }
                s
            }),
        ]
    })
}

/// Replaces the `$ref` placeholders with references to the named components.
fn resolve_refs(schema: &mut Value, names: &[String]) {
    match schema {
        Value::Number(n) => {
            let index = n.as_u64().unwrap_or(0) as usize % names.len();
            let pointer = format!(
                "#/components/schemas/{}",
                names[index].replace('~', "~0").replace('/', "~1")
            );
            *schema = json!({ "$ref": pointer });
        }
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if matches!(key.as_str(), "properties") {
                    if let Value::Object(props) = value {
                        props.values_mut().for_each(|s| resolve_refs(s, names));
                    }
                } else if matches!(
                    key.as_str(),
                    "items" | "additionalProperties" | "oneOf" | "anyOf"
                ) {
                    resolve_refs(value, names);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|s| resolve_refs(s, names)),
        _ => {}
    }
}

fn document() -> impl Strategy<Value = (Value, bool)> {
    (
        proptest::collection::vec((odd_name(), schema(), text()), 1..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(components, openapi_31, as_yaml)| {
            // A numeric suffix keeps component names distinct once cased.
            let names: Vec<String> = components
                .iter()
                .enumerate()
                .map(|(i, (name, _, _))| format!("{name} c{i}"))
                .collect();
            let mut schemas = Map::new();
            for (name, (_, mut schema, description)) in names.iter().zip(components) {
                resolve_refs(&mut schema, &names);
                if let (Some(d), Some(map)) = (description, schema.as_object_mut()) {
                    map.insert("title".into(), d.into());
                }
                schemas.insert(name.clone(), schema);
            }
            let doc = json!({
                "openapi": if openapi_31 { "3.1.0" } else { "3.0.3" },
                "info": { "title": "random", "version": "1" },
                "paths": {},
                "components": { "schemas": schemas },
            });
            (doc, as_yaml)
        })
}

fn render(doc: &Value, as_yaml: bool) -> Result<String, openapi_rustgen::Error> {
    let (name, text) = if as_yaml {
        ("random.yaml", yaml_serde::to_string(doc).expect("YAML"))
    } else {
        (
            "random.json",
            serde_json::to_string_pretty(doc).expect("JSON"),
        )
    };
    Generator::new()
        .spec_text(name, text)
        .render()
        .map(|files| files.into_iter().map(|f| f.contents).collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES overrides this.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_documents_give_parsable_deterministic_rust((doc, as_yaml) in document()) {
        match render(&doc, as_yaml) {
            Ok(code) => {
                prop_assert!(syn::parse_file(&code).is_ok(), "output does not parse:\n{code}");
                prop_assert_eq!(render(&doc, as_yaml).expect("the second run succeeds"), code);
            }
            // Some random documents are legitimately refused (a type that contains itself
            // without an object in between); a refusal must be located and never internal.
            Err(err) => {
                prop_assert!(
                    err.kind() != ErrorKind::Internal,
                    "internal error: {err}\n{}",
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                );
                // One line per error found (at most 50 listed, then one line counting the rest).
                let listed = err.count().min(openapi_rustgen::error::MAX_LISTED_ERRORS);
                let expected_lines = listed + usize::from(err.count() > listed);
                prop_assert_eq!(err.to_string().lines().count(), expected_lines, "{}", err);
            }
        }
    }
}
