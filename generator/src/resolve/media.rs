//! Request bodies, responses and response headers, by media type.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Header, MediaContent, MediaKind, RequestBody, Response, RustType, StatusKey};
use crate::naming::{self, Scope};

use super::references::child;
use super::schemas::optional;
use super::{NameHint, Resolved, Resolver, docs_of, expect_object};

impl<'a> Resolver<'a> {
    pub(super) fn request_body(
        &mut self,
        body: &'a Value,
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
        if content.is_empty() {
            return Err(Error::at(
                ErrorKind::Invalid,
                &content_pointer,
                "a request body needs at least one media type in `content`",
            ));
        }
        let role = naming::nested_type_name(type_prefix, "request");
        Ok(RequestBody {
            content: self.media(content, &content_pointer, &role)?,
            required: body.get("required") == Some(&Value::Bool(true)),
            docs: docs_of(body),
        })
    }

    /// Each media type of a `content` map, in document order.
    pub(super) fn media(
        &mut self,
        content: &'a Map<String, Value>,
        pointer: &str,
        role: &str,
    ) -> Result<Vec<MediaContent>> {
        let kinds: Vec<MediaKind> = content.keys().map(|m| MediaKind::of(m)).collect();
        let mut variants = Scope::default();
        let mut out = Vec::new();
        for ((media_type, media), kind) in content.iter().zip(&kinds) {
            let media_pointer = child(pointer, media_type);
            let media = expect_object(media, &media_pointer)?;
            let schema = media.get("schema");
            let schema_pointer = child(&media_pointer, "schema");
            let typed = |this: &mut Self, schema: Option<&'a Value>| -> Result<RustType> {
                Ok(match schema {
                    Some(schema) => optional(this.schema(
                        schema,
                        &schema_pointer,
                        NameHint::Inline(role.to_owned()),
                    )?),
                    None => RustType::Any,
                })
            };
            let ty = match kind {
                MediaKind::Json | MediaKind::Form | MediaKind::Multipart => typed(self, schema)?,
                MediaKind::Text => RustType::String,
                MediaKind::Binary => bytes(),
                // `*/*` with a schema that is not binary: the typed value, as JSON.
                MediaKind::Wildcard => match schema {
                    Some(schema) if !self.is_binary(schema) => typed(self, Some(schema))?,
                    _ => bytes(),
                },
            };
            let word = if kinds.iter().filter(|k| *k == kind).count() == 1 {
                kind_word(*kind).to_owned()
            } else {
                media_type.clone()
            };
            let file_parts = match (kind, schema) {
                (MediaKind::Multipart, Some(schema)) => self.file_parts(schema, media),
                _ => Vec::new(),
            };
            out.push(MediaContent {
                media_type: media_type.clone(),
                kind: *kind,
                variant: variants.claim(&naming::type_name(&word)),
                ty,
                file_parts,
            });
        }
        Ok(out)
    }

    /// Whether a schema (through one `$ref`) is a binary string.
    fn is_binary(&self, schema: &Value) -> bool {
        let schema = self.follow(schema);
        schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("format").and_then(Value::as_str) == Some("binary")
    }

    /// The properties of a multipart schema that are files: binary strings, strings of a
    /// `contentMediaType` that is not text, properties whose `encoding.contentType` is not
    /// text, or arrays of them.
    fn file_parts(&self, schema: &Value, media: &Map<String, Value>) -> Vec<String> {
        let Some(properties) = self
            .follow(schema)
            .get("properties")
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let encoded = |name: &str| {
            media
                .get("encoding")
                .and_then(|e| e.get(name))
                .and_then(|e| e.get("contentType"))
                .and_then(Value::as_str)
                .is_some_and(|types| types.split(',').all(|t| !is_text(t)))
        };
        let file = |schema: &Value| {
            let schema = self.follow(schema);
            self.is_binary(schema)
                || schema
                    .get("contentMediaType")
                    .and_then(Value::as_str)
                    .is_some_and(|t| !is_text(t))
        };
        properties
            .iter()
            .filter(|(name, property)| {
                let property = self.follow(property);
                let is_string = |s: &Value| {
                    s.get("type").is_none_or(|t| t == "string")
                        && self.follow(s).get("properties").is_none()
                };
                file(property)
                    || property.get("items").is_some_and(&file)
                    || (encoded(name)
                        && (is_string(property) || property.get("items").is_some_and(is_string)))
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// A local `$ref` followed a few times; the schema itself when it is not one.
    fn follow<'v>(&self, mut schema: &'v Value) -> &'v Value
    where
        'a: 'v,
    {
        for _ in 0..8 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| {
                    crate::resolve::lookup(self.root, &super::percent_decode(pointer))
                }) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    pub(super) fn responses(
        &mut self,
        operation: &'a Map<String, Value>,
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
            let Some(key) = status_key(status) else {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &status_pointer,
                    format!(
                        "{status:?} is not a response status; expected a code such as 200, a range such as 4XX, or `default`"
                    ),
                ));
            };
            let (response, response_pointer) =
                self.deref(response, &status_pointer, "/components/responses/")?;
            let response = expect_object(response, &response_pointer)?;
            let name = naming::status_variant_name(status);
            let role = if status.starts_with('2') {
                naming::nested_type_name(type_prefix, "response")
            } else {
                naming::nested_type_name(type_prefix, &format!("{name} response"))
            };
            let content = match response.get("content") {
                None => Vec::new(),
                Some(content) => {
                    let content_pointer = child(&response_pointer, "content");
                    let content = expect_object(content, &content_pointer)?;
                    self.media(content, &content_pointer, &role)?
                }
            };
            let headers = self.headers(response, &response_pointer, &role)?;
            out.push(Response {
                status: status.clone(),
                key,
                name,
                docs: docs_of(response),
                content,
                headers,
            });
        }
        out.sort_by_key(|response| status_order(response.key));
        Ok(out)
    }

    pub(super) fn headers(
        &mut self,
        response: &'a Map<String, Value>,
        pointer: &str,
        role: &str,
    ) -> Result<Vec<Header>> {
        let Some(headers) = response.get("headers") else {
            return Ok(Vec::new());
        };
        let at = child(pointer, "headers");
        let headers = expect_object(headers, &at)?;
        // The fields of a response variant: its headers beside `status` and `body`.
        let mut scope = Scope::default();
        scope.reserve("status");
        scope.reserve("body");
        let mut out = Vec::new();
        for (wire_name, header) in headers {
            // OpenAPI: a described `Content-Type` header is ignored.
            if wire_name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let (header, header_pointer) =
                self.deref(header, &child(&at, wire_name), "/components/headers/")?;
            let header = expect_object(header, &header_pointer)?;
            let ty = match header.get("schema") {
                Some(schema) => {
                    self.schema(
                        schema,
                        &child(&header_pointer, "schema"),
                        NameHint::nested_in(role, wire_name),
                    )?
                    .ty
                }
                None => RustType::String,
            };
            out.push(Header {
                name: scope.claim(&naming::field_name(wire_name)),
                wire_name: wire_name.clone(),
                required: header.get("required") == Some(&Value::Bool(true)),
                ty,
                docs: docs_of(header),
            });
        }
        Ok(out)
    }

    /// A schema's type where an operation uses it. A schema error is not an operation problem:
    /// it stops the types too, so it is kept to be returned whole.
    pub(super) fn schema(
        &mut self,
        schema: &Value,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        self.type_of(schema, pointer, hint).inspect_err(|err| {
            self.fatal.get_or_insert_with(|| err.clone());
        })
    }
}

/// Whether a media type is text (`text/*` or JSON), which a multipart part sends as text.
fn is_text(media_type: &str) -> bool {
    matches!(
        MediaKind::of(media_type.trim()),
        MediaKind::Text | MediaKind::Json
    )
}

fn bytes() -> RustType {
    RustType::Vec(Box::new(RustType::U8))
}

fn kind_word(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Json => "json",
        MediaKind::Form => "form",
        MediaKind::Multipart => "multipart",
        MediaKind::Text => "text",
        MediaKind::Binary => "binary",
        MediaKind::Wildcard => "any",
    }
}

/// Codes by class, each class's range after its codes, `default` last.
fn status_order(key: StatusKey) -> (u16, u16) {
    match key {
        StatusKey::Code(code) => (code / 100, code),
        StatusKey::Range(class) => (u16::from(class), 1000),
        StatusKey::Default => (10, 0),
    }
}

/// `200` → a code, `4XX` → a range, `default`; anything else is not a status key.
pub(super) fn status_key(status: &str) -> Option<StatusKey> {
    let bytes = status.as_bytes();
    if status == "default" {
        return Some(StatusKey::Default);
    }
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return None;
    }
    if bytes[1..].eq_ignore_ascii_case(b"XX") {
        return Some(StatusKey::Range(bytes[0] - b'0'));
    }
    status.parse().ok().map(StatusKey::Code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(status_key("204"), Some(StatusKey::Code(204)));
        assert_eq!(status_key("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(status_key("5xx"), Some(StatusKey::Range(5)));
        assert_eq!(status_key("default"), Some(StatusKey::Default));
        for bad in ["600", "20", "2X0", "ok", "+20"] {
            assert_eq!(status_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn media_kinds() {
        for (media, kind) in [
            ("application/json", MediaKind::Json),
            ("application/json; charset=utf-8", MediaKind::Json),
            ("application/vnd.github+json", MediaKind::Json),
            ("application/merge-patch+json", MediaKind::Json),
            ("application/x-www-form-urlencoded", MediaKind::Form),
            ("multipart/form-data", MediaKind::Multipart),
            ("text/plain", MediaKind::Text),
            ("text/csv; charset=utf-8", MediaKind::Text),
            ("application/octet-stream", MediaKind::Binary),
            ("image/png", MediaKind::Binary),
            ("*/*", MediaKind::Wildcard),
            ("image/*", MediaKind::Wildcard),
        ] {
            assert_eq!(MediaKind::of(media), kind, "{media}");
        }
    }
}
