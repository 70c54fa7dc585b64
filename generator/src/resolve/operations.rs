//! Operations: methods on path templates, with their parameters, bodies, responses and
//! security (bodies and responses in [`super::media`], security in [`super::security`]).
//!
//! Only a server or client needs an operation, so a broken one is recorded as an operation
//! problem ([`Resolver::problem`]) and the types are still generated. A schema an operation
//! uses is resolved as any other: its errors stop the types as well.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{
    Docs, Operation, Parameter, ParameterLocation, ParameterStyle, PathSegment, RustType,
    SecurityScheme, SegmentPart,
};
use crate::load::kind_of;
use crate::naming::{self, Scope};

use super::references::child;
use super::security::security_requirements;
use super::{NameHint, Resolved, Resolver, docs_of, expect_object, string_field};

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Resolver<'a> {
    /// Records a problem only a server or client meets; the types go on.
    pub(super) fn problem(&mut self, err: Error) {
        self.problems.push(err);
    }

    /// A part of an operation: its value, or its default after recording the problem. A
    /// schema error is returned instead, since it stops the types.
    fn soft<T: Default>(&mut self, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => Ok(value),
            Err(err) => match self.fatal.take() {
                Some(fatal) => Err(fatal),
                None => {
                    self.problem(err);
                    Ok(T::default())
                }
            },
        }
    }

    pub(super) fn operations(&mut self, schemes: &[SecurityScheme]) -> Result<Vec<Operation>> {
        let root = self.root;
        let Some(paths) = root.get("paths") else {
            return Ok(Vec::new());
        };
        let Some(paths) = paths.as_object() else {
            self.problem(Error::at(
                ErrorKind::Invalid,
                "/paths",
                format!("`paths` must be an object, found {}", kind_of(paths)),
            ));
            return Ok(Vec::new());
        };
        let global_security = root.get("security");
        let mut operations: Vec<Operation> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        let mut function_names: BTreeMap<String, String> = BTreeMap::new();
        // A name made from method and path gives way to the spec's operationIds, and to the
        // names made before it (`/a` and `/a/` make the same one).
        let explicit: BTreeSet<String> = paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| {
                METHODS.iter().filter_map(|method| {
                    let id = item.get(*method)?.get("operationId")?.as_str()?;
                    Some(naming::function_name(id))
                })
            })
            .collect();
        let derived_id = |method: &str, path: &str, taken: &BTreeMap<String, String>| {
            let base = naming::operation_name_from_route(method, path);
            let free = |id: &str| {
                let name = naming::function_name(id);
                !explicit.contains(&name) && !taken.contains_key(&name)
            };
            let mut id = base.clone();
            let mut n = 1;
            while !free(&id) {
                n += 1;
                id = format!("{base}_{n}");
            }
            id
        };
        // A path item may be a `$ref` to another (`#/paths/...`, or `#/components/pathItems/...`
        // in 3.1): it is followed. Where several paths reach one item, the `operationId`s stay
        // with the path that holds it (or, for a component, the first to use it); the others
        // get names made from method and path.
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let pointer = child("/paths", path);
            let target = match item.get("$ref") {
                Some(_) => match self.deref(item, &pointer, "/components/pathItems/") {
                    Ok((_, target)) => target,
                    Err(_) => continue,
                },
                None => pointer.clone(),
            };
            if target == pointer {
                owners.insert(target, path.clone());
            } else {
                owners.entry(target).or_insert_with(|| path.clone());
            }
        }
        for (path, item) in paths {
            let mut item_pointer = child("/paths", path);
            let mut item = item;
            if item.get("$ref").is_some() {
                match self.deref(item, &item_pointer, "/components/pathItems/") {
                    Ok((target, target_pointer)) => {
                        item = target;
                        item_pointer = target_pointer;
                    }
                    Err(err) => {
                        self.problem(err);
                        continue;
                    }
                }
            }
            let owns_ids = owners.get(&item_pointer) == Some(path);
            let Some(item) = item.as_object() else {
                self.problem(Error::at(
                    ErrorKind::Invalid,
                    &item_pointer,
                    format!("a path item must be an object, found {}", kind_of(item)),
                ));
                continue;
            };
            let segments = self.soft(path_segments(path, &item_pointer))?;
            let shared_parameters = item.get("parameters").unwrap_or(&Value::Null);
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let pointer = child(&item_pointer, method);
                let Some(operation) = operation.as_object() else {
                    self.problem(Error::at(
                        ErrorKind::Invalid,
                        &pointer,
                        format!(
                            "an operation must be an object, found {}",
                            kind_of(operation)
                        ),
                    ));
                    continue;
                };
                let id = match operation.get("operationId").filter(|_| owns_ids) {
                    Some(Value::String(id)) => id.clone(),
                    None => derived_id(method, path, &function_names),
                    Some(other) => {
                        self.problem(Error::at(
                            ErrorKind::Invalid,
                            &child(&pointer, "operationId"),
                            format!("`operationId` must be a string, found {}", kind_of(other)),
                        ));
                        derived_id(method, path, &function_names)
                    }
                };
                if let Some(first) = ids.insert(id.clone(), pointer.clone()) {
                    self.problem(Error::at(
                        ErrorKind::Invalid,
                        &child(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}: also used by #{first}"),
                    ));
                }
                let name = naming::function_name(&id);
                if let Some(first) = function_names.insert(name.clone(), id.clone()) {
                    self.problem(Error::at(
                        ErrorKind::NameCollision,
                        &child(&pointer, "operationId"),
                        format!(
                            "operationIds {first:?} and {id:?} would both be the Rust function `{name}`; rename one of them"
                        ),
                    ));
                }
                let type_prefix = naming::type_name(&id);
                let security = match operation.get("security").or(global_security) {
                    Some(requirements) => {
                        let at = if operation.contains_key("security") {
                            child(&pointer, "security")
                        } else {
                            "/security".to_owned()
                        };
                        let security = security_requirements(requirements, &at, schemes);
                        self.soft(security)?
                    }
                    None => Default::default(),
                };
                let parameters = self.parameters(
                    shared_parameters,
                    &item_pointer,
                    operation,
                    &pointer,
                    &type_prefix,
                )?;
                let checked = check_path_parameters(path, &segments, &parameters, &pointer);
                self.soft(checked)?;
                let request_body = match operation.get("requestBody") {
                    Some(body) => {
                        let body =
                            self.request_body(body, &child(&pointer, "requestBody"), &type_prefix);
                        self.soft(body.map(Some))?
                    }
                    None => None,
                };
                let responses = self.responses(operation, &pointer, &type_prefix);
                let responses = self.soft(responses)?;
                operations.push(Operation {
                    id,
                    name,
                    type_prefix,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    segments: segments.clone(),
                    origin: pointer,
                    summary: text(operation, "summary"),
                    docs: Docs(text(operation, "description")),
                    tags: operation
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|tags| {
                            tags.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    parameters,
                    request_body,
                    responses,
                    security,
                });
            }
        }
        operations.sort_by(|a, b| {
            (a.path.as_str(), method_rank(&a.method))
                .cmp(&(b.path.as_str(), method_rank(&b.method)))
        });
        for err in route_conflicts(&operations) {
            self.problem(err);
        }
        Ok(operations)
    }

    /// The parameters of the path item and the operation; a broken one is a problem and left
    /// out.
    pub(super) fn parameters(
        &mut self,
        shared: &'a Value,
        shared_pointer: &str,
        operation: &'a Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>> {
        let mut by_key: Vec<((String, ParameterLocation), Parameter)> = Vec::new();
        let lists = [
            (shared, child(shared_pointer, "parameters")),
            (
                operation.get("parameters").unwrap_or(&Value::Null),
                child(pointer, "parameters"),
            ),
        ];
        let mut scope = Scope::default();
        for (list, list_pointer) in lists {
            let items = match list {
                Value::Null => continue,
                Value::Array(items) => items,
                other => {
                    self.problem(Error::at(
                        ErrorKind::Invalid,
                        &list_pointer,
                        format!("`parameters` must be an array, found {}", kind_of(other)),
                    ));
                    continue;
                }
            };
            for (index, parameter) in items.iter().enumerate() {
                let at = child(&list_pointer, &index.to_string());
                let entry = self.parameter(parameter, &at, type_prefix);
                let Some(entry) = self.soft(entry.map(Some))? else {
                    continue;
                };
                let key = (entry.wire_name.to_ascii_lowercase(), entry.location);
                // An operation's parameter overrides the path item's of the same name and place.
                match by_key.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, existing)) => *existing = entry,
                    None => by_key.push((key, entry)),
                }
            }
        }
        Ok(by_key
            .into_iter()
            .map(|(_, mut parameter)| {
                parameter.name = scope.claim(&naming::field_name(&parameter.wire_name));
                parameter
            })
            .collect())
    }

    fn parameter(
        &mut self,
        parameter: &'a Value,
        at: &str,
        type_prefix: &str,
    ) -> Result<Parameter> {
        let (parameter, at) = self.deref(parameter, at, "/components/parameters/")?;
        let parameter = expect_object(parameter, &at)?;
        let wire_name = string_field(parameter, "name", &at)?
            .ok_or_else(|| Error::at(ErrorKind::Invalid, &at, "a parameter needs a `name`"))?;
        let location = match string_field(parameter, "in", &at)?.as_deref() {
            Some("path") => ParameterLocation::Path,
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            other => {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, "in"),
                    format!(
                        "a parameter must be `in` path, query, header or cookie, found {other:?}"
                    ),
                ));
            }
        };
        let hint = NameHint::nested_in(type_prefix, &wire_name);
        // `content` (one media type) instead of `schema`: the text is in that media type.
        let (schema, schema_pointer, media_type) = match parameter.get("content") {
            Some(content) => {
                let content_pointer = child(&at, "content");
                let content = expect_object(content, &content_pointer)?;
                let mut entries = content.iter();
                let (Some((media_type, media)), None) = (entries.next(), entries.next()) else {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &content_pointer,
                        "a parameter's `content` must have exactly one media type",
                    ));
                };
                let media_pointer = child(&content_pointer, media_type);
                (
                    media.get("schema"),
                    child(&media_pointer, "schema"),
                    Some(media_type.clone()),
                )
            }
            None => (parameter.get("schema"), child(&at, "schema"), None),
        };
        let resolved = match schema {
            Some(schema) => self.schema(schema, &schema_pointer, hint)?,
            None => Resolved {
                ty: RustType::String,
                nullable: false,
            },
        };
        let required = parameter.get("required") == Some(&Value::Bool(true));
        if location == ParameterLocation::Path && !required {
            return Err(Error::at(
                ErrorKind::Invalid,
                &child(&at, "required"),
                format!("path parameter {wire_name:?} must be `required: true`"),
            ));
        }
        let style = match string_field(parameter, "style", &at)?.as_deref() {
            None => match location {
                ParameterLocation::Query | ParameterLocation::Cookie => ParameterStyle::Form,
                ParameterLocation::Path | ParameterLocation::Header => ParameterStyle::Simple,
            },
            Some("form") => ParameterStyle::Form,
            Some("simple") => ParameterStyle::Simple,
            Some("label") => ParameterStyle::Label,
            Some("matrix") => ParameterStyle::Matrix,
            Some("spaceDelimited") => ParameterStyle::SpaceDelimited,
            Some("pipeDelimited") => ParameterStyle::PipeDelimited,
            Some("deepObject") => ParameterStyle::DeepObject,
            Some(other) => {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, "style"),
                    format!("{other:?} is not a parameter style"),
                ));
            }
        };
        let explode = match parameter.get("explode") {
            Some(Value::Bool(explode)) => *explode,
            _ => style == ParameterStyle::Form,
        };
        Ok(Parameter {
            name: String::new(),
            wire_name,
            location,
            required,
            ty: resolved.ty,
            docs: docs_of(parameter),
            style,
            explode,
            media_type,
        })
    }
}

fn text(operation: &Map<String, Value>, key: &str) -> Option<String> {
    operation
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A path template split into segments of literals and captures.
pub(super) fn path_segments(path: &str, pointer: &str) -> Result<Vec<PathSegment>> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Error::at(
            ErrorKind::Invalid,
            pointer,
            format!("the path {path:?} does not start with `/`"),
        ));
    };
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        let mut parts = Vec::new();
        let mut rest = segment;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(0) if rest.starts_with('{') => {
                    let Some(end) = rest.find('}') else {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            pointer,
                            format!("unclosed `{{` in path {path:?}"),
                        ));
                    };
                    let name = &rest[1..end];
                    if name.is_empty() || name.contains('{') {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            pointer,
                            format!("the path {path:?} has a capture without a name"),
                        ));
                    }
                    if matches!(parts.last(), Some(SegmentPart::Capture(_))) {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            pointer,
                            format!(
                                "the path {path:?} has two captures with nothing between them, which cannot be told apart"
                            ),
                        ));
                    }
                    parts.push(SegmentPart::Capture(name.to_owned()));
                    rest = &rest[end + 1..];
                }
                // A `}` that opens nothing is text, like any other character of a literal.
                found => {
                    let end = match found {
                        Some(0) => 1,
                        Some(end) => end,
                        None => rest.len(),
                    };
                    match parts.last_mut() {
                        Some(SegmentPart::Literal(text)) => text.push_str(&rest[..end]),
                        _ => parts.push(SegmentPart::Literal(rest[..end].to_owned())),
                    }
                    rest = &rest[end..];
                }
            }
        }
        segments.push(PathSegment(parts));
    }
    Ok(segments)
}

/// Every capture of the template has a path parameter.
pub(super) fn check_path_parameters(
    path: &str,
    segments: &[PathSegment],
    parameters: &[Parameter],
    pointer: &str,
) -> Result<()> {
    for part in segments.iter().flat_map(|s| &s.0) {
        let SegmentPart::Capture(name) = part else {
            continue;
        };
        if !parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path && &p.wire_name == name)
        {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!(
                    "the path {path:?} uses {{{name}}}, but the operation defines no path parameter {name:?}"
                ),
            ));
        }
    }
    Ok(())
}

/// Per segment, its literals and (as `None`) its captures.
pub(super) type RouteShape<'s> = Vec<Vec<Option<&'s str>>>;

/// What a template matches, with capture names left out: two operations with the same shape
/// and method are the same route, which a router cannot serve twice (axum panics at start-up).
pub(super) fn route_shape(segments: &[PathSegment]) -> RouteShape<'_> {
    segments
        .iter()
        .map(|segment| {
            segment
                .0
                .iter()
                .map(|part| match part {
                    SegmentPart::Literal(text) => Some(text.as_str()),
                    SegmentPart::Capture(_) => None,
                })
                .collect()
        })
        .collect()
}

/// Operations that would be the same route: located at the later one.
fn route_conflicts(operations: &[Operation]) -> Vec<Error> {
    let mut seen: BTreeMap<(RouteShape<'_>, &str), &Operation> = BTreeMap::new();
    let mut out = Vec::new();
    for op in operations {
        if let Some(first) = seen.insert((route_shape(&op.segments), &op.method), op) {
            out.push(Error::at(
                ErrorKind::Invalid,
                &op.origin,
                format!(
                    "{} {} is the same route as {} {} (only parameter names differ); a router cannot tell them apart",
                    op.method, op.path, first.method, first.path
                ),
            ));
        }
    }
    out
}

pub(crate) fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(method))
        .unwrap_or(METHODS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> Vec<Vec<String>> {
        path_segments(path, "")
            .unwrap()
            .into_iter()
            .map(|segment| {
                segment
                    .0
                    .into_iter()
                    .map(|part| match part {
                        SegmentPart::Literal(text) => text,
                        SegmentPart::Capture(name) => format!("<{name}>"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn segments_of_templates() {
        assert_eq!(parts("/"), [Vec::<String>::new()]);
        assert_eq!(parts("/a/{id}/"), [vec!["a"], vec!["<id>"], vec![]]);
        assert_eq!(
            parts("/files/{name}.{ext}"),
            [vec!["files"], vec!["<name>", ".", "<ext>"]]
        );
        assert_eq!(
            parts("/v1/{name}:cancel"),
            [vec!["v1"], vec!["<name>", ":cancel"]]
        );
    }

    #[test]
    fn broken_templates_are_errors() {
        for path in ["a/b", "/a/{b", "/a/{}", "/a/{x}{y}"] {
            assert!(path_segments(path, "/paths/x").is_err(), "{path}");
        }
    }

    #[test]
    fn a_lone_closing_brace_is_literal_text() {
        assert_eq!(parts("/a/b}c"), [vec!["a"], vec!["b}c"]]);
        assert_eq!(parts("/a/}{id}"), [vec!["a"], vec!["}", "<id>"]]);
    }
}
