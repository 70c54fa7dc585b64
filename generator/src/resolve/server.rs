//! The plan of the server and the client: every name they declare beside the types, and what
//! they need from the document that the rest of the IR does not carry (the schemas the router
//! validates against, the typed-body fast paths). Renderers read this and the IR, never the
//! document, and claim no names.
//!
//! Names are claimed in one order, which decides the numeric suffixes of colliding names: per
//! operation its parameter struct, response enum and body types, then the hooks' structs; the
//! operations' methods, then the hooks'; per operation its handler, then the check functions,
//! then the routes' dispatchers.

use serde_json::{Map, Value};

use super::bodies::{self, BodyPlan};
use super::routes::{self, Routing};
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, Operation, ParameterLocation, Response, RustType};
use crate::load::{Document, OpenApiVersion};
use crate::naming::{self, Scope};
use crate::typed_body::{Finished, PlannedBody, Planner};

/// Where generated server code finds the generated types: a sibling module `types`.
const TYPES_PATH: &str = "super::types::";

/// A Rust type as source in the server's and the client's modules, with the API's named types
/// reached through `types`.
pub(crate) fn qualified(ty: &RustType) -> String {
    ty.in_module(TYPES_PATH)
}

/// Names every generated server module defines itself; operation-derived names avoid them.
const FIXED_TYPE_NAMES: &[&str] = &[
    "Api",
    "Credential",
    "Rejection",
    "RejectionKind",
    "ServerConfig",
    "Shared",
    "Served",
    "Arc",
    "Response",
    "Request",
    "State",
    "Router",
    "StatusCode",
];

/// Trait methods every generated `Api` may have besides the operations.
const FIXED_METHOD_NAMES: &[&str] = &["authenticate", "unmatched"];

/// Methods of the generated `Client` besides the operations.
const CLIENT_METHOD_NAMES: &[&str] = &[
    "new",
    "with_http_client",
    "with_credential",
    "set_credential",
    "base_url",
    "http_client",
];

/// Statuses the router produces itself, and why.
const ROUTER_STATUSES: &[(u16, &str)] = &[
    (
        400,
        "a parameter or the body does not match the spec, or the body is not JSON (with `BodyRefusals::BadRequest`, also when it is over the size limit or of a media type the operation does not take)",
    ),
    (
        401,
        "the credential is missing or `authenticate` refused it",
    ),
    (
        413,
        "the body is over `ServerConfig::body_limit` (400 with `BodyRefusals::BadRequest`)",
    ),
    (
        415,
        "the body's `Content-Type` is not one the operation takes (400 with `BodyRefusals::BadRequest`)",
    ),
    (500, "the implementation panicked"),
];

/// The server and the client, planned.
pub struct ServerPlan {
    /// One per operation, in the IR's order.
    pub(crate) operations: Vec<OperationPlan>,
    pub(crate) hooks: Vec<HookPlan>,
    /// The check functions of the typed bodies.
    pub(crate) checks: Finished,
    pub(crate) routing: Routing,
    /// `components.schemas` as JSON Schema 2020-12, as JSON text.
    pub(crate) components: String,
}

/// One operation's names and schemas.
pub struct OperationPlan {
    /// The struct of its parameters, if it has any.
    pub(crate) params_struct: Option<String>,
    pub(crate) response_enum: String,
    /// The server's function that reads a request and calls the implementation.
    pub(crate) handler: String,
    /// The client's method.
    pub(crate) client_method: String,
    pub(crate) body: Option<BodyPlan>,
    /// Per parameter, in the IR's order: its schema as JSON Schema 2020-12, as JSON text.
    pub(crate) param_schemas: Vec<String>,
    /// Per media type of the body: the schema its value is checked against (`true` where the
    /// runtime checks none), as JSON text.
    pub(crate) body_schemas: Vec<String>,
    /// A body of one JSON media type that may skip the validator (see [`crate::typed_body`]).
    pub(crate) typed: Option<PlannedBody>,
}

/// A status the router answers itself, with the body most operations document for it: a struct
/// and a trait method that fills it.
pub struct HookPlan {
    pub(crate) code: u16,
    /// When the router answers it.
    pub(crate) why: &'static str,
    pub(crate) struct_name: String,
    pub(crate) method_name: String,
    /// The operation and the index of its response whose body the hook has.
    pub(crate) operation: usize,
    pub(crate) response: usize,
    /// The operations (indices) that document another body for the status.
    pub(crate) others: Vec<usize>,
}

/// Plans the server and the client of `api`, whose document is `document`.
pub fn plan_server(api: &Api, document: &Document) -> Result<ServerPlan> {
    // Every operation problem at once, like the resolver's errors.
    if let Some(problems) = Error::all(api.operation_problems.clone()) {
        return Err(problems);
    }
    let root = &document.root;
    let v30 = document.version == OpenApiVersion::V3_0;
    let mut type_names = Scope::default();
    for name in FIXED_TYPE_NAMES {
        type_names.reserve(name);
    }
    let mut method_names = Scope::default();
    let mut function_names = Scope::default();
    let mut planner = Planner::new(api, root, v30, TYPES_PATH);

    let mut operations = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        method_names.reserve(&op.name);
        let params_struct = (!op.parameters.is_empty())
            .then(|| type_names.claim(&naming::nested_type_name(&op.type_prefix, "params")));
        let response_enum =
            type_names.claim(&naming::nested_type_name(&op.type_prefix, "response"));
        let body = bodies::plan(api, op, &mut type_names);
        let raw = crate::resolve::lookup(root, &op.origin).and_then(Value::as_object);
        let path_item =
            crate::resolve::lookup(root, &parent(&op.origin)).and_then(Value::as_object);
        let param_schemas = op
            .parameters
            .iter()
            .map(|param| {
                raw_parameter_schema(root, raw, path_item, &param.wire_name, param.location)
                    .map_or(Value::Bool(true), |s| json_schema(&s, v30))
                    .to_string()
            })
            .collect();
        let raw_body_schema = |media_type: &str| {
            raw.and_then(|op| op.get("requestBody"))
                .and_then(|b| deref(root, b))
                .and_then(|b| b.get("content"))
                .and_then(|c| c.get(media_type))
                .and_then(|m| m.get("schema"))
        };
        let mut body_schemas = Vec::new();
        let mut typed = None;
        if let (Some(plan), Some(request)) = (&body, &op.request_body) {
            for (media, content) in plan.media.iter().zip(&request.content) {
                let schema = if media.schema_checked() {
                    raw_body_schema(&content.media_type)
                        .map_or(Value::Bool(true), |s| json_schema(s, v30))
                } else {
                    Value::Bool(true)
                };
                body_schemas.push(schema.to_string());
            }
            if let ([media], [content]) = (plan.media.as_slice(), request.content.as_slice())
                && media.runtime == "Json"
            {
                typed = planner.body(
                    raw_body_schema(&content.media_type).unwrap_or(&Value::Bool(true)),
                    &content.ty,
                );
            }
        }
        operations.push(OperationPlan {
            params_struct,
            response_enum,
            handler: function_names.claim(&naming::function_name(&format!("handle {}", op.name))),
            client_method: op.name.clone(),
            body,
            param_schemas,
            body_schemas,
            typed,
        });
    }
    let checks = planner.finish(&mut function_names);
    let hooks = hooks(api, &mut type_names, &mut method_names);
    for name in FIXED_METHOD_NAMES {
        if !method_names.reserve(name) {
            return Err(Error::at(
                ErrorKind::NameCollision,
                "/paths",
                format!(
                    "an operation is named `{name}`, which the generated server trait uses itself; rename its operationId"
                ),
            ));
        }
    }
    let handlers: Vec<String> = operations.iter().map(|op| op.handler.clone()).collect();
    let routing = routes::routing(api, &handlers, &mut function_names)?;
    client_methods(api, &mut operations);

    let components = match crate::resolve::lookup(root, "/components/schemas") {
        Some(Value::Object(schemas)) => Value::Object(
            schemas
                .iter()
                .map(|(k, v)| (k.clone(), json_schema(v, v30)))
                .collect(),
        ),
        _ => Value::Object(Map::new()),
    };
    Ok(ServerPlan {
        operations,
        hooks,
        checks,
        routing,
        components: components.to_string(),
    })
}

/// The client's methods keep the server trait's names (unique, as resolve made them). One named
/// like a method of the client itself (an operationId `new`) gets a numeric suffix, claimed after
/// every other operation has its name.
fn client_methods(api: &Api, operations: &mut [OperationPlan]) {
    let mut method_names = Scope::default();
    for name in CLIENT_METHOD_NAMES {
        method_names.reserve(name);
    }
    let collides = |op: &Operation| CLIENT_METHOD_NAMES.contains(&op.name.as_str());
    for op in api.operations.iter().filter(|op| !collides(op)) {
        method_names.reserve(&op.name);
    }
    for (op, plan) in api.operations.iter().zip(operations) {
        if collides(op) {
            plan.client_method = method_names.claim(&op.name);
        }
    }
}

/// One hook per router-produced status that the operations document: the body most of them
/// document (the first of equals); the operations that document another get the status alone.
fn hooks(api: &Api, type_names: &mut Scope, method_names: &mut Scope) -> Vec<HookPlan> {
    let mut hooks = Vec::new();
    for (code, why) in ROUTER_STATUSES {
        let produces = |op: &Operation| match code {
            400 => !op.parameters.is_empty() || op.request_body.is_some(),
            413 | 415 => op.request_body.is_some(),
            401 => !op.security.is_none(),
            _ => true,
        };
        let documenting: Vec<(usize, &Operation, usize)> = api
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| produces(op))
            .filter_map(|(index, op)| Some((index, op, documented(op, *code)?)))
            .collect();
        let mut shapes: Vec<(ResponseShape, usize, usize, usize)> = Vec::new();
        for (index, op, response) in &documenting {
            let this = shape(&op.responses[*response]);
            match shapes.iter_mut().find(|(seen, ..)| *seen == this) {
                Some((_, count, ..)) => *count += 1,
                None => shapes.push((this, 1, *index, *response)),
            }
        }
        let Some((chosen, _, operation, response)) =
            shapes.into_iter().rev().max_by_key(|(_, count, ..)| *count)
        else {
            continue;
        };
        let others = documenting
            .iter()
            .filter(|(_, op, response)| shape(&op.responses[*response]) != chosen)
            .map(|(index, ..)| *index)
            .collect();
        let variant = naming::status_variant_name(&code.to_string());
        hooks.push(HookPlan {
            code: *code,
            why,
            struct_name: type_names.claim(&variant),
            method_name: method_names.claim(&naming::function_name(&variant)),
            operation,
            response,
            others,
        });
    }
    hooks
}

/// The index of the response an operation documents for `code`: exact, then its range, then
/// `default`.
fn documented(op: &Operation, code: u16) -> Option<usize> {
    let exact = code.to_string();
    let range = format!("{}XX", code / 100);
    [exact.as_str(), range.as_str(), "default"]
        .iter()
        .find_map(|status| op.responses.iter().position(|r| r.status == *status))
}

/// What a hook's body and headers are made of: media types with their types, header names.
type ResponseShape = (Vec<(String, String)>, Vec<String>);

fn shape(response: &Response) -> ResponseShape {
    (
        response
            .content
            .iter()
            .map(|c| (c.media_type.clone(), c.ty.to_string()))
            .collect(),
        response
            .headers
            .iter()
            .map(|h| h.wire_name.to_ascii_lowercase())
            .collect(),
    )
}

/// The schema of the parameter `name` in `location`: the operation's list wins over the path
/// item's, as in the resolver.
fn raw_parameter_schema(
    root: &Value,
    operation: Option<&Map<String, Value>>,
    path_item: Option<&Map<String, Value>>,
    name: &str,
    location: ParameterLocation,
) -> Option<Value> {
    let location = match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    let find = |list: Option<&Value>| -> Option<Value> {
        list?.as_array()?.iter().find_map(|p| {
            let p = deref(root, p)?;
            let matches = p.get("in").and_then(Value::as_str) == Some(location)
                && p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name));
            // A parameter described by `content` has its one media type's schema.
            let schema = p.get("schema").or_else(|| {
                p.get("content")?
                    .as_object()?
                    .values()
                    .next()?
                    .get("schema")
            });
            matches.then(|| schema.cloned().unwrap_or(Value::Bool(true)))
        })
    };
    find(operation.and_then(|op| op.get("parameters")))
        .or_else(|| find(path_item.and_then(|item| item.get("parameters"))))
}

/// Follows `$ref`s to components (parameters, request bodies); the resolver has checked them.
fn deref<'v>(root: &'v Value, mut value: &'v Value) -> Option<&'v Value> {
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#')?;
                value = crate::resolve::lookup(root, pointer)?;
            }
            None => return Some(value),
        }
    }
    None
}

fn parent(pointer: &str) -> String {
    pointer
        .rsplit_once('/')
        .map(|(head, _)| head.to_owned())
        .unwrap_or_default()
}

/// A schema as JSON Schema 2020-12, which the run-time validator speaks: OpenAPI 3.1 schemas
/// already are; 3.0 ones get `nullable` and boolean `exclusiveMinimum`/`exclusiveMaximum`
/// rewritten. Annotations that only describe (`example`, `xml`, ...) are dropped.
fn json_schema(schema: &Value, v30: bool) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "example" | "examples" | "xml" | "externalDocs" | "description" | "title"
                    | "discriminator" => {}
                    "properties" | "patternProperties" | "$defs" | "definitions" => {
                        let converted = value
                            .as_object()
                            .map(|props| {
                                props
                                    .iter()
                                    .map(|(k, v)| (k.clone(), json_schema(v, v30)))
                                    .collect()
                            })
                            .map(Value::Object)
                            .unwrap_or_else(|| value.clone());
                        out.insert(key.clone(), converted);
                    }
                    "enum" | "const" | "default" | "required" | "type" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        let converted = match value {
                            Value::Array(items) => {
                                Value::Array(items.iter().map(|v| json_schema(v, v30)).collect())
                            }
                            Value::Object(_) => json_schema(value, v30),
                            other => other.clone(),
                        };
                        out.insert(key.clone(), converted);
                    }
                }
            }
            if v30 {
                convert_30(&mut out);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn convert_30(map: &mut Map<String, Value>) {
    if map.remove("nullable") == Some(Value::Bool(true)) {
        if let Some(Value::String(single)) = map.get("type").cloned() {
            map.insert(
                "type".to_owned(),
                Value::Array(vec![
                    Value::String(single),
                    Value::String("null".to_owned()),
                ]),
            );
        }
        if let Some(Value::Array(values)) = map.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        if map.contains_key("$ref") || map.contains_key("allOf") {
            let inner = Value::Object(std::mem::take(map));
            map.insert(
                "anyOf".to_owned(),
                Value::Array(vec![inner, serde_json::json!({"type": "null"})]),
            );
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = map.remove(bound) {
                    map.insert(flag.to_owned(), limit);
                } else {
                    map.remove(flag);
                }
            }
            Some(Value::Bool(false)) => {
                map.remove(flag);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_schema;
    use serde_json::json;

    #[test]
    fn openapi_30_nullable_becomes_a_type_list() {
        let schema = json!({"type": "string", "nullable": true, "maxLength": 3, "example": "x"});
        assert_eq!(
            json_schema(&schema, true),
            json!({"type": ["string", "null"], "maxLength": 3})
        );
        let reference = json!({"$ref": "#/components/schemas/A", "nullable": true});
        assert_eq!(
            json_schema(&reference, true),
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})
        );
    }

    #[test]
    fn openapi_30_boolean_exclusive_bounds_become_numbers() {
        let schema = json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true,
            "maximum": 9, "exclusiveMaximum": false});
        assert_eq!(
            json_schema(&schema, true),
            json!({"type": "integer", "exclusiveMinimum": 1, "maximum": 9})
        );
    }

    #[test]
    fn openapi_31_schemas_keep_their_constraints() {
        let schema = json!({"type": "object", "properties": {"a": {"type": ["string", "null"],
            "description": "d"}}, "required": ["a"]});
        assert_eq!(
            json_schema(&schema, false),
            json!({"type": "object", "properties": {"a": {"type": ["string", "null"]}},
                "required": ["a"]})
        );
    }
}
