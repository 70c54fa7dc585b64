//! Stage 3, client side: render a typed reqwest client for the API (`client.rs`).
//!
//! The output holds a `Client` with one async method per operation, named like the server
//! trait's method, taking the operation's parameter struct and body and returning the response
//! enum of `operations.rs`, the file the server uses too; and a `Credential` enum, one variant
//! per security scheme. Everything that does not depend on the spec (URL building, parameter
//! serialisation, sending, decoding, errors) is in `openapi_rustgen_runtime::client`, so each
//! method is a few lines.
//!
//! Like [`crate::render_server`], this module takes every name from the plan
//! ([`crate::resolve::ServerPlan`]), so that they match `operations.rs`, and hands the template
//! a finished model.

use askama::Template;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::format::Chunk;
use crate::ir::{
    Api, Docs, MediaContent, MediaKind, Operation, Parameter, ParameterLocation, ParameterStyle,
    Response, RustType, SecurityKind, SegmentPart,
};
use crate::resolve::bodies::MediaPlan;
use crate::resolve::{OperationPlan, ServerPlan, child};
use crate::text;

/// Where it finds the parameter structs and response enums: a sibling module `operations`.
const OPERATIONS_PATH: &str = "super::operations::";

#[derive(Template)]
#[template(path = "client.rs.askama", escape = "none")]
struct ClientTemplate<'a> {
    m: &'a ClientModel,
}

/// Everything the client template places.
struct ClientModel {
    /// The arguments of `require_version`: this generator's `major, minor, patch`.
    version: String,
    client_docs: String,
    credentials: Vec<CredentialModel>,
    operations: Vec<OperationModel>,
}

struct CredentialModel {
    name: String,
    docs: String,
    /// The `rt::Credential` expression over `value`.
    runtime: String,
    debug_literal: String,
}

struct OperationModel {
    method_name: String,
    docs: String,
    /// The method's arguments after `&self`, each starting with `, `.
    arguments: String,
    response_enum: String,
    /// The `rt::Connection::call` arguments: method and path pieces.
    start: String,
    /// Statements that fill `call`: parameters, credential, `Accept`, body.
    statements: Vec<String>,
    arms: Vec<ArmModel>,
    /// The expression for any other status.
    fallback: String,
    /// Where no status has an arm of its own: the method's whole result, in place of a `match`
    /// whose only arm is `_` (which clippy refuses).
    only: Option<String>,
}

struct ArmModel {
    pattern: String,
    value: String,
}

/// Renders `client.rs` for `api`, one chunk per item.
pub fn render_client(api: &Api, plan: &ServerPlan) -> Result<Vec<Chunk>> {
    let model = build(api, plan)?;
    let source = ClientTemplate { m: &model }.render().map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            Location::Document,
            format!("rendering the client failed: {err}"),
        )
    })?;
    Ok(crate::format::split_items(&source))
}

fn build(api: &Api, plan: &ServerPlan) -> Result<ClientModel> {
    let mut credentials = Vec::new();
    for scheme in api.security_schemes.iter().filter(|s| {
        api.operations
            .iter()
            .any(|op| op.security.scheme_keys().contains(&s.key.as_str()))
    }) {
        let (place, how) = match &scheme.kind {
            SecurityKind::ApiKey {
                location,
                parameter_name,
            } => {
                let literal = text::string_literal(parameter_name);
                match location {
                    ParameterLocation::Header => (
                        format!("rt::Place::Header({literal})"),
                        format!("the `{parameter_name}` header"),
                    ),
                    ParameterLocation::Query => (
                        format!("rt::Place::Query({literal})"),
                        format!("the `{parameter_name}` query parameter"),
                    ),
                    ParameterLocation::Cookie => (
                        format!("rt::Place::Cookie({literal})"),
                        format!("the `{parameter_name}` cookie"),
                    ),
                    ParameterLocation::Path => continue,
                }
            }
            SecurityKind::Http { scheme: http } => {
                // RFC 7235 schemes are case-insensitive; servers commonly expect `Bearer`.
                let mut word = http.clone();
                if let Some(first) = word.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                (
                    format!("rt::Place::Authorization({})", text::string_literal(&word)),
                    format!("`Authorization: {word} <value>`"),
                )
            }
            // An OAuth2 or OpenID Connect access token is a bearer token.
            SecurityKind::OAuth2 { .. } => (
                "rt::Place::Authorization(\"Bearer\")".to_owned(),
                "`Authorization: Bearer <token>`".to_owned(),
            ),
            SecurityKind::Other { scheme_type } => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &child("/components/securitySchemes", &scheme.key),
                    format!(
                        "the client generator cannot send credentials of security schemes of type {scheme_type:?}; only apiKey and http"
                    ),
                ));
            }
        };
        let mut docs = scheme.docs.0.clone().unwrap_or_default();
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&format!("Security scheme `{}`, sent as {how}.", scheme.key));
        credentials.push(CredentialModel {
            runtime: format!(
                "rt::Credential {{ scheme: {}, place: {place}, value }}",
                text::string_literal(&scheme.key)
            ),
            debug_literal: text::string_literal(&format!("{}(<redacted>)", scheme.name)),
            name: scheme.name.clone(),
            docs: Docs(Some(docs)).attributes(),
        });
    }

    let mut operations = Vec::new();
    for (op, planned) in api.operations.iter().zip(&plan.operations) {
        operations.push(operation(op, planned)?);
    }

    let title = if api.title.is_empty() {
        "the API"
    } else {
        api.title.as_str()
    };
    Ok(ClientModel {
        version: format!(
            "{}, {}, {}",
            env!("CARGO_PKG_VERSION_MAJOR"),
            env!("CARGO_PKG_VERSION_MINOR"),
            env!("CARGO_PKG_VERSION_PATCH")
        ),
        client_docs: Docs(Some(format!(
            "A client of {title}: one async method per operation, returning the operation's \
             response enum (the one the server answers with) for every documented status.\n\n\
             Build it from the base URL (everything before the spec's paths) with [`Client::new`], \
             or from your own `reqwest::Client` (timeouts, proxies, TLS) with \
             [`Client::with_http_client`]{}. Cloning is cheap: the connection pool is shared.",
            if credentials.is_empty() {
                ""
            } else {
                "; set credentials once with [`Client::with_credential`], which also overrides \
                 them for one call: `client.with_credential(other).method(..)`"
            }
        )))
        .attributes(),
        credentials,
        operations,
    })
}

fn operation(op: &Operation, plan: &OperationPlan) -> Result<OperationModel> {
    let method_name = plan.client_method.clone();
    let params_struct = &plan.params_struct;
    let response_enum = &plan.response_enum;
    let body_plan = &plan.body;

    let mut arguments = String::new();
    if let Some(params) = &params_struct {
        arguments.push_str(&format!(", params: &{OPERATIONS_PATH}{params}"));
    }

    let start = format!(
        "::openapi_rustgen_runtime::http::Method::{}, &[{}]",
        op.method.to_ascii_uppercase(),
        path_pieces(op)?.join(", ")
    );

    let mut statements = Vec::new();
    for param in &op.parameters {
        let wire = text::string_literal(&param.wire_name);
        let json = param
            .media_type
            .as_deref()
            .is_some_and(|media| MediaKind::of(media) == MediaKind::Json);
        let method = match param.location {
            ParameterLocation::Path => continue,
            ParameterLocation::Query if json => "query_json".to_owned(),
            ParameterLocation::Header if json => "header_json".to_owned(),
            ParameterLocation::Cookie if json => "cookie_json".to_owned(),
            ParameterLocation::Query => match query_delimiter(param) {
                Some(delimiter) => {
                    statements.push(format!(
                        "call.query_joined({wire}, {}, &params.{})?;",
                        text::string_literal(delimiter),
                        param.name
                    ));
                    continue;
                }
                None if param.style == ParameterStyle::DeepObject => "query_deep".to_owned(),
                None => "query".to_owned(),
            },
            ParameterLocation::Header if param.explode => "header_exploded".to_owned(),
            ParameterLocation::Header => "header".to_owned(),
            ParameterLocation::Cookie => "cookie".to_owned(),
        };
        statements.push(format!("call.{method}({wire}, &params.{})?;", param.name));
    }
    if !op.security.is_none() {
        // Each requirement's schemes, sent together; an empty one (optional security) is met
        // by sending nothing, so it is left out.
        let requirements: Vec<String> = op
            .security
            .0
            .iter()
            .filter(|r| !r.schemes.is_empty())
            .map(|r| {
                let schemes: Vec<String> = r
                    .schemes
                    .iter()
                    .map(|s| text::string_literal(&s.key))
                    .collect();
                format!("&[{}]", schemes.join(", "))
            })
            .collect();
        statements.push(format!(
            "self.connection.authorize(&mut call, &[{}])?;",
            requirements.join(", ")
        ));
    }
    let mut accept: Vec<&str> = Vec::new();
    for body in op.responses.iter().flat_map(|r| &r.content) {
        if !accept.contains(&body.media_type.as_str()) {
            accept.push(&body.media_type);
        }
    }
    if !accept.is_empty() {
        statements.push(format!(
            "call.fixed_header(::openapi_rustgen_runtime::http::header::ACCEPT, {});",
            text::string_literal(&accept.join(", "))
        ));
    }
    if let Some(plan) = &body_plan {
        let send = match (&plan.enum_name, plan.media.as_slice()) {
            (None, [media]) => send_media(media),
            _ => {
                let name = plan.enum_name.as_deref().unwrap_or_default();
                let arms: Vec<String> = plan
                    .media
                    .iter()
                    .map(|media| {
                        format!(
                            "{OPERATIONS_PATH}{name}::{}(body) => {{ {} }}",
                            media.variant,
                            send_media(media)
                        )
                    })
                    .collect();
                format!("match body {{ {} }}", arms.join(", "))
            }
        };
        // Borrowed as the slice types, as callers hold them.
        let ty = match plan.ty(OPERATIONS_PATH) {
            ty if ty == "String" => "str".to_owned(),
            ty if ty == "Vec<u8>" => "[u8]".to_owned(),
            ty => ty,
        };
        if plan.required {
            arguments.push_str(&format!(", body: &{ty}"));
            statements.push(send);
        } else {
            arguments.push_str(&format!(", body: Option<&{ty}>"));
            statements.push(format!("if let Some(body) = body {{ {send} }}"));
        }
    }

    let enum_path = format!("{OPERATIONS_PATH}{response_enum}");
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = None;
    for response in &op.responses {
        let value = format!("{enum_path}::{}", variant_value(response, &op.origin)?);
        if let Ok(code) = response.status.parse::<u16>() {
            exact.push(ArmModel {
                pattern: code.to_string(),
                value,
            });
        } else if let Some(class) = response
            .status
            .strip_suffix("XX")
            .and_then(|digit| digit.parse::<u16>().ok())
        {
            ranges.push(ArmModel {
                // A guard, not a range pattern: exact statuses of the class come first.
                pattern: format!(
                    "code if ({}..={}).contains(&code)",
                    class * 100,
                    class * 100 + 99
                ),
                value,
            });
        } else {
            fallback = Some(value);
        }
    }
    exact.extend(ranges);
    // Without a status to tell apart, the answer is `default`'s, or unexpected.
    let only = exact.is_empty().then(|| match &fallback {
        Some(value) => format!("Ok({value})"),
        None => "Err(answer.unexpected())".to_owned(),
    });
    let fallback = fallback.unwrap_or_else(|| "return Err(answer.unexpected())".to_owned());

    let route = format!("`{} {}`", op.method, op.path);
    let mut docs = String::new();
    if let Some(summary) = &op.summary {
        docs.push_str(summary);
        docs.push_str("\n\n");
    }
    if let Some(description) = &op.docs.0 {
        docs.push_str(description);
        docs.push_str("\n\n");
    }
    docs.push_str(&route);
    if method_name != op.name {
        docs.push_str(&format!(
            "\n\nThe server trait's `{}`: `Client::{}` is the client's own.",
            op.name, op.name
        ));
    }
    docs.push_str(
        "\n\nAn undocumented status is [`rt::Error::UnexpectedStatus`]; a body that does not match \
         its documented schema is [`rt::Error::Decode`].",
    );
    Ok(OperationModel {
        method_name,
        docs: Docs(Some(docs)).attributes(),
        arguments,
        response_enum: enum_path,
        start,
        statements,
        arms: exact,
        fallback,
        only,
    })
}

/// The path template as `rt::Piece`s: literal text, and each capture's parameter as text. A
/// capture inside a segment also encodes the characters that end captures there (see
/// `rt::Piece::Within`); a `label` or `matrix` value encodes all but letters, digits and
/// `-_~`, its delimiters aside.
fn path_pieces(op: &Operation) -> Result<Vec<String>> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    for segment in &op.segments {
        literal.push('/');
        let mut separators = String::new();
        let mut after_capture = false;
        for part in &segment.0 {
            match part {
                SegmentPart::Capture(_) => after_capture = true,
                SegmentPart::Literal(text) if after_capture => {
                    separators.extend(text.chars().next().filter(|c| !separators.contains(*c)));
                    after_capture = false;
                }
                SegmentPart::Literal(_) => {}
            }
        }
        for part in &segment.0 {
            let wire = match part {
                SegmentPart::Literal(text) => {
                    literal.push_str(text);
                    continue;
                }
                SegmentPart::Capture(wire) => wire,
            };
            if !literal.is_empty() {
                pieces.push(format!(
                    "rt::Piece::Literal({})",
                    text::string_literal(&std::mem::take(&mut literal))
                ));
            }
            let Some(param) = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::Path && p.wire_name == *wire)
            else {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &op.origin,
                    format!("the path captures {wire:?} but no path parameter has that name"),
                ));
            };
            let styled = match param.style {
                _ if param.media_type.is_some() => None,
                ParameterStyle::Label => Some("path_label"),
                ParameterStyle::Matrix => Some("path_matrix"),
                _ => None,
            };
            // `label` and `matrix` texts come percent-encoded, their delimiters plain.
            if let Some(function) = styled {
                pieces.push(format!(
                    "rt::Piece::Encoded(&rt::{function}({}, &params.{}, {})?)",
                    text::string_literal(wire),
                    param.name,
                    param.explode
                ));
                continue;
            }
            let function = if param
                .media_type
                .as_deref()
                .is_some_and(|media| MediaKind::of(media) == MediaKind::Json)
            {
                "path_json"
            } else if param.explode {
                "path_text_exploded"
            } else {
                "path_text"
            };
            let value = format!(
                "&rt::{function}({}, &params.{})?",
                text::string_literal(wire),
                param.name
            );
            pieces.push(match segment.whole_capture() {
                Some(_) => format!("rt::Piece::Value({value})"),
                None => format!(
                    "rt::Piece::Within({value}, {})",
                    text::string_literal(&separators)
                ),
            });
        }
    }
    if !literal.is_empty() {
        pieces.push(format!(
            "rt::Piece::Literal({})",
            text::string_literal(&literal)
        ));
    }
    Ok(pieces)
}

/// The delimiter of a query parameter whose list is sent as one value (`form` unexploded,
/// `spaceDelimited`, `pipeDelimited`); `None` repeats the name per item.
fn query_delimiter(param: &Parameter) -> Option<&'static str> {
    if param.explode {
        return None;
    }
    match param.style {
        ParameterStyle::Form => Some(","),
        ParameterStyle::SpaceDelimited => Some(" "),
        ParameterStyle::PipeDelimited => Some("|"),
        _ => None,
    }
}

/// The variant, built from `answer`, as the server's enum has it: a unit, a tuple of the body,
/// or fields for the status (ranges, `default`), the body and the documented headers.
fn variant_value(response: &Response, origin: &str) -> Result<String> {
    let decode = served_response(response).map(|body| match body.kind {
        MediaKind::Text => "answer.text()?",
        _ if body.ty == bytes() => "answer.bytes()",
        _ => "answer.json()?",
    });
    let exact = response.status.parse::<u16>().is_ok();
    if exact && response.headers.is_empty() {
        return Ok(match decode {
            None => response.name.clone(),
            Some(decode) => format!("{}({decode})", response.name),
        });
    }
    let mut fields = Vec::new();
    if !exact {
        fields.push("status: answer.status()".to_owned());
    }
    if let Some(decode) = decode {
        fields.push(format!("body: {decode}"));
    }
    for header in &response.headers {
        let lower = header.wire_name.to_ascii_lowercase();
        if lower.is_empty() {
            return Err(Error::at(
                ErrorKind::Invalid,
                &child(&child(origin, "responses"), &response.status),
                "a response header has an empty name",
            ));
        }
        let read = match (header.required, header.ty == RustType::String) {
            (true, true) => "required_header",
            (false, true) => "header",
            (true, false) => "required_typed_header",
            (false, false) => "typed_header",
        };
        fields.push(format!(
            "{}: answer.{read}({})?",
            header.name,
            text::string_literal(&lower)
        ));
    }
    Ok(format!("{} {{ {} }}", response.name, fields.join(", ")))
}

/// The media type of a response the server writes, by the server's rule: JSON (or a typed
/// wildcard), else text, else bytes.
fn served_response(response: &Response) -> Option<&MediaContent> {
    let content = &response.content;
    content
        .iter()
        .find(|c| c.kind == MediaKind::Json || (c.kind == MediaKind::Wildcard && c.ty != bytes()))
        .or_else(|| content.iter().find(|c| c.kind == MediaKind::Text))
        .or_else(|| {
            content.iter().find(|c| {
                matches!(c.kind, MediaKind::Binary | MediaKind::Wildcard) && c.ty == bytes()
            })
        })
}

fn bytes() -> RustType {
    RustType::Vec(Box::new(RustType::U8))
}

/// The statements that send `body`, a value of `media`'s type, as `media`.
fn send_media(media: &MediaPlan) -> String {
    let content_type = text::string_literal(&media.media_type);
    match media.runtime {
        "Json" => format!("call.json({content_type}, body)?;"),
        "Form" => format!("call.form({content_type}, body)?;"),
        "Text" => format!("call.text({content_type}, body);"),
        "Bytes" => format!("call.bytes({content_type}, body);"),
        "Multipart" => {
            let mut out = "let mut parts = rt::Multipart::new();".to_owned();
            for part in &media.parts {
                if part.file {
                    out.push_str(&format!(
                        "parts.file({}, &body.{})?;",
                        part.wire_literal, part.field
                    ));
                } else {
                    out.push_str(&format!(
                        "parts.value({}, &body.{})?;",
                        part.wire_literal, part.field
                    ));
                }
            }
            out.push_str("call.multipart(parts);");
            out
        }
        _ => "call.media(body)?;".to_owned(),
    }
}
