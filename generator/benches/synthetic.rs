//! Synthetic OpenAPI 3.0 documents of a chosen size, for the benchmarks and the peak-memory
//! probe: `n` component schemas and `n` operations, shaped like real APIs.
//!
//! Every fifth schema is a string enum; the others are objects with required and optional
//! fields, a nullable field, a nested inline object, an array of strings, a map, an array of
//! references and references to other schemas, some of which close cycles (which the generator
//! breaks with `Box`). Operations alternate between a `get` with path and query parameters and a
//! `post` with a request body; both answer with a schema by reference.

use serde_json::{Map, Value, json};

/// The name of schema `i`.
fn schema_name(i: usize) -> String {
    format!("Resource{i}")
}

fn reference(i: usize) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", schema_name(i)) })
}

fn is_enum(i: usize) -> bool {
    i % 5 == 4
}

/// The nearest schema at or after `i` (cyclically) that is an object, so references that
/// should point at objects do.
fn object_at(i: usize, n: usize) -> usize {
    (i..i + 5)
        .map(|j| j % n)
        .find(|&j| !is_enum(j))
        .unwrap_or(0)
}

fn enum_schema(i: usize) -> Value {
    json!({
        "type": "string",
        "description": format!("The state of a resource, kind {i}."),
        "enum": ["pending", "active", "suspended", "deleted", format!("custom-{i}")],
    })
}

fn object_schema(i: usize, n: usize) -> Value {
    // An enum earlier in the document (or the first one), an object further on, and one
    // further back, which closes cycles through optional fields.
    let status = (0..=i).rev().find(|&j| is_enum(j)).unwrap_or(4 % n.max(1));
    let next = object_at((i + 1) % n, n);
    let back = object_at((i * 7 + 3) % n, n);
    let mut properties = Map::new();
    properties.insert(
        "id".into(),
        json!({"type": "string", "format": "uuid", "description": "Unique id."}),
    );
    properties.insert("name".into(), json!({"type": "string", "maxLength": 255}));
    properties.insert(
        "description".into(),
        json!({"type": "string", "nullable": true, "description": "Free text, may be null."}),
    );
    properties.insert(
        "count".into(),
        json!({"type": "integer", "format": "int32"}),
    );
    properties.insert(
        "ratio".into(),
        json!({"type": "number", "format": "double"}),
    );
    properties.insert(
        "enabled".into(),
        json!({"type": "boolean", "default": true}),
    );
    properties.insert(
        "created_at".into(),
        json!({"type": "string", "format": "date-time"}),
    );
    if n > 4 {
        properties.insert("status".into(), reference(status));
    }
    properties.insert(
        "tags".into(),
        json!({"type": "array", "items": {"type": "string"}}),
    );
    properties.insert(
        "labels".into(),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
    );
    properties.insert(
        "location".into(),
        json!({
            "type": "object",
            "description": "Where it runs.",
            "required": ["region"],
            "properties": {
                "region": {"type": "string"},
                "zone": {"type": "string", "nullable": true},
                "coordinates": {
                    "type": "object",
                    "properties": {
                        "lat": {"type": "number"},
                        "lon": {"type": "number"},
                    },
                },
            },
        }),
    );
    properties.insert("next".into(), reference(next));
    properties.insert(
        "related".into(),
        json!({"type": "array", "items": reference(back)}),
    );
    json!({
        "type": "object",
        "description": format!("Resource number {i}, with the fields most APIs have."),
        "required": ["id", "name", "count"],
        "properties": properties,
    })
}

fn operation(i: usize, n: usize) -> (String, &'static str, Value) {
    let body = reference(object_at(i, n));
    let error = json!({"description": "Not found"});
    if i.is_multiple_of(2) {
        (
            format!("/v1/resources{i}/{{resource_id}}"),
            "get",
            json!({
                "operationId": format!("getResource{i}"),
                "summary": format!("Shows resource {i}."),
                "parameters": [
                    {"name": "resource_id", "in": "path", "required": true,
                     "schema": {"type": "string"}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "The resource",
                            "content": {"application/json": {"schema": body}}},
                    "404": error,
                },
            }),
        )
    } else {
        (
            format!("/v1/resources{i}"),
            "post",
            json!({
                "operationId": format!("createResource{i}"),
                "summary": format!("Creates resource {i}."),
                "requestBody": {"required": true,
                                "content": {"application/json": {"schema": body.clone()}}},
                "responses": {
                    "201": {"description": "Created",
                            "content": {"application/json": {"schema": body}}},
                    "400": error,
                },
            }),
        )
    }
}

/// A document with `n` schemas and `n` operations, as JSON text.
pub fn spec(n: usize) -> String {
    let mut schemas = Map::new();
    for i in 0..n {
        let schema = if is_enum(i) {
            enum_schema(i)
        } else {
            object_schema(i, n)
        };
        schemas.insert(schema_name(i), schema);
    }
    let mut paths = Map::new();
    for i in 0..n {
        let (path, method, op) = operation(i, n);
        paths.insert(path, json!({ method: op }));
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Synthetic API with {n} schemas"), "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_json::to_string_pretty(&document).expect("a JSON value serializes")
}
