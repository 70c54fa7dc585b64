//! Operations: parameters, request and response bodies, headers and security.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{
    Docs, Header, Operation, Parameter, ParameterLocation, RequestBody, Response, ResponseBody,
    RustType, SecurityKind, SecurityScheme,
};
use crate::load::kind_of;
use crate::naming::{self, Scope};

use super::references::child;
use super::schemas::optional;
use super::{NameHint, Resolved, Resolver, docs_of, expect_object, string_field};

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Resolver<'a> {
    pub(super) fn security_schemes(&self) -> Result<Vec<SecurityScheme>> {
        let Some(schemes) = self.root.pointer("/components/securitySchemes") else {
            return Ok(Vec::new());
        };
        let schemes = expect_object(schemes, "/components/securitySchemes")?;
        let mut out = Vec::new();
        let mut scope = Scope::default();
        for (key, scheme) in schemes {
            let pointer = child("/components/securitySchemes", key);
            let (scheme, pointer) = self.deref(scheme, &pointer, "/components/securitySchemes/")?;
            let scheme = expect_object(scheme, &pointer)?;
            let scheme_type = string_field(scheme, "type", &pointer)?.unwrap_or_default();
            let kind = match scheme_type.as_str() {
                "apiKey" => {
                    let location = match string_field(scheme, "in", &pointer)?.as_deref() {
                        Some("header") => ParameterLocation::Header,
                        Some("query") => ParameterLocation::Query,
                        Some("cookie") => ParameterLocation::Cookie,
                        other => {
                            return Err(Error::at(
                                ErrorKind::Invalid,
                                &child(&pointer, "in"),
                                format!(
                                    "an apiKey scheme must be `in` header, query or cookie, found {other:?}"
                                ),
                            ));
                        }
                    };
                    let parameter_name =
                        string_field(scheme, "name", &pointer)?.ok_or_else(|| {
                            Error::at(
                                ErrorKind::Invalid,
                                &pointer,
                                "an apiKey scheme needs a `name`",
                            )
                        })?;
                    SecurityKind::ApiKey {
                        location,
                        parameter_name,
                    }
                }
                "http" => SecurityKind::Http {
                    scheme: string_field(scheme, "scheme", &pointer)?.unwrap_or_default(),
                },
                _ => SecurityKind::Other { scheme_type },
            };
            out.push(SecurityScheme {
                key: key.clone(),
                name: scope.claim(&naming::type_name(key)),
                kind,
                docs: docs_of(scheme),
            });
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    pub(super) fn operations(&mut self, schemes: &[SecurityScheme]) -> Result<Vec<Operation>> {
        let root = self.root;
        let Some(paths) = root.get("paths") else {
            return Ok(Vec::new());
        };
        let paths = expect_object(paths, "/paths")?;
        let global_security = root.get("security");
        let mut operations: Vec<Operation> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        let mut function_names: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let item_pointer = child("/paths", path);
            let item = expect_object(item, &item_pointer)?;
            if item.contains_key("$ref") {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &child(&item_pointer, "$ref"),
                    "path items that are `$ref`s are not supported",
                ));
            }
            let shared_parameters = item.get("parameters").unwrap_or(&Value::Null);
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let pointer = child(&item_pointer, method);
                let operation = expect_object(operation, &pointer)?;
                let id = match operation.get("operationId") {
                    None => naming::operation_name_from_route(method, path),
                    Some(Value::String(id)) => id.clone(),
                    Some(other) => {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            &child(&pointer, "operationId"),
                            format!("`operationId` must be a string, found {}", kind_of(other)),
                        ));
                    }
                };
                if let Some(first) = ids.insert(id.clone(), pointer.clone()) {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &child(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}: also used by #{first}"),
                    ));
                }
                let name = naming::function_name(&id);
                if let Some(first) = function_names.insert(name.clone(), id.clone()) {
                    return Err(Error::at(
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
                        security_requirements(requirements, &at, schemes)?
                    }
                    None => Vec::new(),
                };
                let parameters = self.parameters(
                    shared_parameters,
                    &item_pointer,
                    operation,
                    &pointer,
                    &type_prefix,
                )?;
                check_path_parameters(path, &parameters, &pointer)?;
                let request_body = match operation.get("requestBody") {
                    Some(body) => Some(self.request_body(
                        body,
                        &child(&pointer, "requestBody"),
                        &type_prefix,
                    )?),
                    None => None,
                };
                let responses = self.responses(operation, &pointer, &type_prefix)?;
                operations.push(Operation {
                    id,
                    name,
                    type_prefix,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    origin: pointer,
                    summary: string_field(operation, "summary", "")?.filter(|s| !s.is_empty()),
                    docs: Docs(
                        string_field(operation, "description", "")?.filter(|s| !s.is_empty()),
                    ),
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
        Ok(operations)
    }

    pub(super) fn parameters(
        &mut self,
        shared: &Value,
        shared_pointer: &str,
        operation: &Map<String, Value>,
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
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &list_pointer,
                        format!("`parameters` must be an array, found {}", kind_of(other)),
                    ));
                }
            };
            for (index, parameter) in items.iter().enumerate() {
                let at = child(&list_pointer, &index.to_string());
                let (parameter, at) = self.deref(parameter, &at, "/components/parameters/")?;
                let parameter = expect_object(parameter, &at)?;
                let wire_name = string_field(parameter, "name", &at)?.ok_or_else(|| {
                    Error::at(ErrorKind::Invalid, &at, "a parameter needs a `name`")
                })?;
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
                if parameter.contains_key("content") {
                    return Err(Error::at(
                        ErrorKind::Unsupported,
                        &child(&at, "content"),
                        "parameters described by `content` are not supported; use `schema`",
                    ));
                }
                let resolved = match parameter.get("schema") {
                    Some(schema) => self.type_of(
                        schema,
                        &child(&at, "schema"),
                        NameHint::Inline(naming::nested_type_name(type_prefix, &wire_name)),
                    )?,
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
                let key = (wire_name.to_ascii_lowercase(), location);
                let entry = Parameter {
                    name: String::new(),
                    wire_name,
                    location,
                    required,
                    ty: resolved.ty,
                    docs: docs_of(parameter),
                };
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

    pub(super) fn request_body(
        &mut self,
        body: &Value,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<RequestBody> {
        let (body, pointer) = self.deref(body, pointer, "/components/requestBodies/")?;
        let body = expect_object(body, &pointer)?;
        let content = body.get("content").ok_or_else(|| {
            Error::at(
                ErrorKind::Invalid,
                &pointer,
                "a request body needs `content`",
            )
        })?;
        let content_pointer = child(&pointer, "content");
        let content = expect_object(content, &content_pointer)?;
        let Some((content_type, media)) =
            content.iter().find(|(media_type, _)| is_json(media_type))
        else {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &content_pointer,
                format!(
                    "request bodies of type {} are not supported; only JSON",
                    content
                        .keys()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let media_pointer = child(&content_pointer, content_type);
        let ty = match media.get("schema") {
            Some(schema) => optional(self.type_of(
                schema,
                &child(&media_pointer, "schema"),
                NameHint::Inline(naming::nested_type_name(type_prefix, "request")),
            )?),
            None => RustType::Any,
        };
        Ok(RequestBody {
            content_type: content_type.clone(),
            ty,
            required: body.get("required") == Some(&Value::Bool(true)),
            docs: docs_of(body),
        })
    }

    pub(super) fn responses(
        &mut self,
        operation: &Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Response>> {
        let at = child(pointer, "responses");
        let Some(responses) = operation.get("responses") else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                "an operation needs `responses`",
            ));
        };
        let responses = expect_object(responses, &at)?;
        let mut out = Vec::new();
        for (status, response) in responses {
            let status_pointer = child(&at, status);
            if !is_status_key(status) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &status_pointer,
                    format!(
                        "{status:?} is not a response status; expected a code such as 200, a range such as 4XX, or `default`"
                    ),
                ));
            }
            let (response, response_pointer) =
                self.deref(response, &status_pointer, "/components/responses/")?;
            let response = expect_object(response, &response_pointer)?;
            let name = naming::status_variant_name(status);
            let body = match response.get("content") {
                None => None,
                Some(content) => {
                    let content_pointer = child(&response_pointer, "content");
                    let content = expect_object(content, &content_pointer)?;
                    self.response_body(content, &content_pointer, type_prefix, status, &name)?
                }
            };
            let headers = self.headers(response, &response_pointer)?;
            out.push(Response {
                status: status.clone(),
                name,
                docs: docs_of(response),
                body,
                headers,
            });
        }
        out.sort_by_key(|response| status_rank(&response.status));
        Ok(out)
    }

    pub(super) fn response_body(
        &mut self,
        content: &Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
        status: &str,
        variant: &str,
    ) -> Result<Option<ResponseBody>> {
        if content.is_empty() {
            return Ok(None);
        }
        let role = if status.starts_with('2') {
            "response".to_owned()
        } else {
            format!("{variant} response")
        };
        if let Some((content_type, media)) =
            content.iter().find(|(media_type, _)| is_json(media_type))
        {
            let media_pointer = child(pointer, content_type);
            let ty = match media.get("schema") {
                Some(schema) => optional(self.type_of(
                    schema,
                    &child(&media_pointer, "schema"),
                    NameHint::Inline(naming::nested_type_name(type_prefix, &role)),
                )?),
                None => RustType::Any,
            };
            return Ok(Some(ResponseBody {
                content_type: content_type.clone(),
                ty,
            }));
        }
        if let Some(content_type) = content
            .keys()
            .find(|media_type| media_type.starts_with("text/"))
        {
            return Ok(Some(ResponseBody {
                content_type: content_type.clone(),
                ty: RustType::String,
            }));
        }
        Err(Error::at(
            ErrorKind::Unsupported,
            pointer,
            format!(
                "response bodies of type {} are not supported; only JSON and text",
                content
                    .keys()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    pub(super) fn headers(
        &self,
        response: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Vec<Header>> {
        let Some(headers) = response.get("headers") else {
            return Ok(Vec::new());
        };
        let at = child(pointer, "headers");
        let headers = expect_object(headers, &at)?;
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (wire_name, header) in headers {
            // OpenAPI: a described `Content-Type` header is ignored.
            if wire_name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let (header, header_pointer) =
                self.deref(header, &child(&at, wire_name), "/components/headers/")?;
            let header = expect_object(header, &header_pointer)?;
            out.push(Header {
                name: scope.claim(&naming::field_name(wire_name)),
                wire_name: wire_name.clone(),
                required: header.get("required") == Some(&Value::Bool(true)),
                docs: docs_of(header),
            });
        }
        Ok(out)
    }
}

pub(super) fn security_requirements(
    requirements: &Value,
    pointer: &str,
    schemes: &[SecurityScheme],
) -> Result<Vec<String>> {
    let Some(requirements) = requirements.as_array() else {
        return Err(Error::at(
            ErrorKind::Invalid,
            pointer,
            "`security` must be an array",
        ));
    };
    let mut out = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let at = child(pointer, &index.to_string());
        let requirement = expect_object(requirement, &at)?;
        if requirement.len() > 1 {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &at,
                "a security requirement that combines several schemes is not supported",
            ));
        }
        for key in requirement.keys() {
            if !schemes.iter().any(|scheme| &scheme.key == key) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, key),
                    format!(
                        "the security scheme {key:?} is not defined in components.securitySchemes"
                    ),
                ));
            }
            if !out.contains(key) {
                out.push(key.clone());
            }
        }
    }
    Ok(out)
}

pub(super) fn check_path_parameters(
    path: &str,
    parameters: &[Parameter],
    pointer: &str,
) -> Result<()> {
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!("unclosed `{{` in path {path:?}"),
            ));
        };
        let name = &rest[start + 1..start + len];
        if !parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path && p.wire_name == name)
        {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!(
                    "the path {path:?} uses {{{name}}}, but the operation defines no path parameter {name:?}"
                ),
            ));
        }
        rest = &rest[start + len + 1..];
    }
    Ok(())
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub(super) fn is_status_key(status: &str) -> bool {
    let bytes = status.as_bytes();
    status == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) || &status[1..] == "XX"))
}

pub(super) fn status_rank(status: &str) -> (u8, String) {
    if status == "default" {
        (1, String::new())
    } else {
        (0, status.to_owned())
    }
}

pub(super) fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(method))
        .unwrap_or(METHODS.len())
}
