//! Stage 3, server side: render an axum 0.8 server for the API (`server.rs`).
//!
//! The output holds a trait with one async method per operation, a response enum per operation
//! (one variant per documented status), and a router that checks credentials, parameters and
//! bodies against the spec before the implementation runs. Validation uses the spec's own JSON
//! schemas at run time (the `jsonschema` crate), so the router rejects exactly what the spec
//! forbids; the typed values handed to the implementation are then deserialized from the
//! validated JSON.
//!
//! Error bodies are not invented here: for each status the router answers itself (400, 401, 413,
//! 415, 500) the body type and headers come from the response the spec documents for that
//! status, and the implementer fills them in through a trait method (a "hook"). A status the spec does not
//! document is answered with an empty body. Where operations document different bodies for one
//! status, the hook has the one most of them document; the others answer with the status alone
//! (the rejection names its operation), as they do when the server cannot write that body.
//!
//! Like [`crate::render`], this module decides every name and type (through [`crate::naming`])
//! and hands the templates a finished model.

pub(crate) mod bodies;
mod params;
mod paths;

use askama::Template;
use paths::Routing;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::format::Chunk;
use crate::ir::{
    Api, Docs, MediaContent, MediaKind, Operation, ParameterLocation, Response, RustType,
    SecurityKind, SegmentPart, StatusKey, TypeKind,
};
use crate::load::{Document, OpenApiVersion};
use crate::naming::{self, Scope};
use crate::resolve::child;
use crate::text;
use crate::typed_body::{PlannedBody, Planner, TypedBody};

mod laid;
mod table;

/// Where generated server code finds the generated types: a sibling module `types`.
const TYPES_PATH: &str = "super::types::";

/// Names every generated server module defines itself; operation-derived names avoid them (the
/// client claims the same names, so it must see the same list).
pub(crate) const FIXED_TYPE_NAMES: &[&str] = &[
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

#[derive(Template)]
#[template(path = "server.rs.askama", escape = "none")]
struct ServerTemplate<'a> {
    m: &'a ServerModel,
}

#[derive(Template)]
#[template(path = "operations.rs.askama", escape = "none")]
struct OperationsTemplate<'a> {
    m: &'a ServerModel,
}

/// Everything the server template places.
struct ServerModel {
    /// The arguments of `require_version`: this generator's `major, minor, patch`.
    version: String,
    /// The `Credential` type's name, or the runtime's empty one.
    credential_type: &'static str,
    api_docs: String,
    operations: Vec<OperationModel>,
    routing: Routing,
    credentials: Vec<CredentialVariant>,
    /// Some requirement lists scopes: `authenticate` gets them.
    scoped: bool,
    hooks: Vec<Hook>,
    components_literal: String,
    checks: Vec<CheckFnModel>,
    table: table::Table,
}

/// A function that checks what serde cannot on a typed body (see [`crate::typed_body`]).
struct CheckFnModel {
    name: String,
    ty: String,
    /// The function body: a `bool` expression over `value`.
    condition: String,
}

struct OperationModel {
    index: usize,
    /// `` `GET /path` ``, for docs.
    route: String,
    method_name: String,
    handler: String,
    docs: String,
    params_struct: Option<String>,
    params: Vec<ParamModel>,
    body: Option<BodyModel>,
    /// The body's types, for `operations.rs`.
    body_plan: Option<bodies::BodyPlan>,
    security: Option<SecurityModel>,
    /// The operation's row of `OPERATIONS`, naming constants of [`table::Table`].
    table_row: String,
    response_enum: String,
    response_docs: String,
    variants: Vec<VariantModel>,
}

struct ParamModel {
    field: String,
    /// As the spec names it, for docs.
    wire_name: String,
    /// `path`, `query` or `header`.
    place: &'static str,
    key_literal: String,
    wire_literal: String,
    location: String,
    required: bool,
    ty: String,
    coerce: String,
    array: bool,
    schema_literal: String,
    docs: String,
}

struct BodyModel {
    ty: String,
    required: bool,
    schema_literal: String,
    /// The `rt::BodyMedia` variant: `Json`, `Form`, `Multipart`, `Text`, `Bytes` or `Media`.
    media: &'static str,
    /// For text, bytes and forms, the accepted media types as a `&[&str]` literal.
    accept: String,
    /// For forms, the `&[rt::FormField]` literal.
    form: String,
    /// Planned while the operations are built; rendered once the check functions are named.
    planned: Option<PlannedBody>,
    typed: Option<TypedBody>,
    /// A body of several media types: one spec each, in order (the fields above are unused).
    alternatives: Vec<BodyModel>,
}

struct CredentialVariant {
    name: String,
    docs: String,
    debug_literal: String,
}

/// What an operation asks: alternatives, each needing all its credentials.
struct SecurityModel {
    requirements: Vec<Vec<CredentialSource>>,
    /// A request with no credential at all is served too (`{}`).
    optional: bool,
    /// Every alternative is one scheme and one is needed: the method gets `credential`;
    /// otherwise `credentials`, the ones that matched.
    single: bool,
}

/// How one operation looks for one credential: an `rt::CredentialSource` expression, with the
/// scopes the requirement asks as a `&[&str]` literal.
struct CredentialSource {
    source: String,
    scopes: String,
}

impl OperationModel {
    /// The handler's `let typed = …;`, laid out.
    fn typed_line(&self) -> String {
        let typed = self.body.as_ref().and_then(|body| body.typed.as_ref());
        laid::nested(laid::typed(typed.map(|t| (t.check.as_str(), t.arrays))))
    }

    /// The end of the trait method's signature, laid out.
    fn future_tail(&self) -> String {
        laid::nested(laid::future_tail(&self.response_enum))
    }

    /// The closure the handler passes to `rt::serve`, laid out.
    fn closure(&self) -> String {
        let pattern = format!(
            "parts, {}, {}, {}",
            self.credential_pattern(),
            self.params_pattern(),
            self.body_pattern()
        );
        let call = format!("api.{}(&parts{}).await", self.method_name, self.arguments());
        laid::nested(laid::closure(&pattern, &call))
    }

    /// The closure pattern for the credentials `rt::serve` hands over.
    fn credential_pattern(&self) -> &'static str {
        match &self.security {
            None => "()",
            Some(security) if security.single => "rt::Authenticated(credential)",
            Some(_) => "credentials: Vec<_>",
        }
    }
    /// The closure pattern for the parameters.
    fn params_pattern(&self) -> &'static str {
        if self.params_struct.is_some() {
            "params"
        } else {
            "()"
        }
    }

    /// The closure pattern for the body, which also says `rt::serve` whether it is required.
    fn body_pattern(&self) -> &'static str {
        match &self.body {
            None => "()",
            Some(body) if body.required => "rt::Required(body)",
            Some(_) => "body: Option<_>",
        }
    }

    /// The arguments after `&parts` of the call to the implementation.
    fn arguments(&self) -> String {
        let mut arguments = String::new();
        match &self.security {
            None => {}
            Some(security) if security.single => arguments.push_str(", credential"),
            Some(_) => arguments.push_str(", credentials"),
        }
        if self.params_struct.is_some() {
            arguments.push_str(", params");
        }
        if self.body.is_some() {
            arguments.push_str(", body");
        }
        arguments
    }
}

struct VariantModel {
    name: String,
    docs: String,
    /// `Some(code)` for an exact status; `None` for `4XX`/`default`, which carry a `status` field.
    code: Option<u16>,
    body: Option<BodyOut>,
    headers: Vec<HeaderModel>,
    /// The arm's `Response` expression over the pattern's bindings.
    answer: laid::Expr,
}

impl VariantModel {
    fn is_unit(&self) -> bool {
        self.code.is_some() && self.body.is_none() && self.headers.is_empty()
    }

    fn is_tuple(&self) -> bool {
        self.code.is_some() && self.body.is_some() && self.headers.is_empty()
    }

    /// The variant's arm in `into_response`, laid out.
    fn arm(&self) -> String {
        let pattern = format!("Self::{}{}", self.name, self.pattern());
        laid::nested(laid::arm(3, &pattern, &self.answer))
    }

    /// The pattern after the variant's name in a match arm.
    fn pattern(&self) -> String {
        if self.is_unit() {
            String::new()
        } else if self.is_tuple() {
            "(body)".to_owned()
        } else {
            format!(" {{ {} }}", self.bindings())
        }
    }

    /// The bindings of a struct-variant pattern.
    fn bindings(&self) -> String {
        let mut names = Vec::new();
        if self.code.is_none() {
            names.push("status".to_owned());
        }
        if self.body.is_some() {
            names.push("body".to_owned());
        }
        names.extend(self.headers.iter().map(|h| h.field.clone()));
        names.join(", ")
    }
}

struct BodyOut {
    ty: String,
    content_type_literal: String,
    /// The runtime function that writes it: `json`, `text` or `bytes`.
    writer: &'static str,
}

struct HeaderModel {
    field: String,
    lower_literal: String,
    required: bool,
    docs: String,
    /// The header's type as source (without `Option`); `None` for a string.
    typed: Option<String>,
}

impl HeaderModel {
    fn ty(&self) -> String {
        let inner = self.typed.as_deref().unwrap_or("String");
        if self.required {
            inner.to_owned()
        } else {
            format!("Option<{inner}>")
        }
    }
}

/// A router-produced status with a documented body: a struct and a trait method that fills it.
struct Hook {
    /// The operations (as `OPERATIONS` indices, `1 | 4`) that document another body for the
    /// status: they answer it with the status alone.
    others: String,
    code: u16,
    method_name: String,
    struct_name: String,
    docs: String,
    body: Option<BodyOut>,
    headers: Vec<HeaderModel>,
    /// The `into_response` body, over `self`.
    answer: laid::Expr,
}

impl Hook {
    /// The `into_response` body, laid out.
    fn body_source(&self) -> String {
        laid::nested(laid::tail(2, &self.answer))
    }
}

/// What every generated server starts with: its `use` lines. It does not depend on the spec,
/// so it is kept already laid out as the formatter prints it (a test checks that).
const SERVER_PRELUDE: &str = include_str!("../templates/server_prelude.rs");

/// The two files of the server part, as unformatted Rust, one chunk per item.
pub struct ServerFiles {
    /// `operations.rs`: per operation, the parameter struct and the response enum; shared by
    /// the server and the client (it needs only serde and the runtime's `http`).
    pub operations: Vec<Chunk>,
    /// `server.rs`: the `Api` trait, the router and everything else that needs axum.
    pub server: Vec<Chunk>,
}

/// Renders `operations.rs` and `server.rs` for `api`, whose document is `document`.
pub fn render_server(api: &Api, document: &Document) -> Result<ServerFiles> {
    prepare_server(api, document)?.render()
}

/// The server, planned from the document and ready to render without it.
pub struct PreparedServer(ServerModel);

/// Plans the server for `api`, whose document is `document`: everything [`render_server`]
/// reads from the document, so that the document can be dropped before rendering.
pub fn prepare_server(api: &Api, document: &Document) -> Result<PreparedServer> {
    // Every operation problem at once, like the resolver's errors.
    if let Some(problems) = Error::all(api.operation_problems.clone()) {
        return Err(problems);
    }
    Ok(PreparedServer(build(api, document)?))
}

impl PreparedServer {
    /// Renders `operations.rs` and `server.rs`.
    pub fn render(self) -> Result<ServerFiles> {
        let model = self.0;
        let failed = |err: askama::Error| {
            Error::new(
                ErrorKind::Internal,
                crate::error::Location::Document,
                format!("rendering the server failed: {err}"),
            )
        };
        // One rendered file at a time: each is dropped once cut into items.
        let operations = crate::format::split_laid_items(
            &OperationsTemplate { m: &model }.render().map_err(failed)?,
        );
        let mut server = vec![Chunk::Formatted(SERVER_PRELUDE)];
        server.extend(crate::format::split_laid_items(
            &ServerTemplate { m: &model }.render().map_err(failed)?,
        ));
        Ok(ServerFiles { operations, server })
    }
}

/// This generator's version as `major, minor, patch`: the runtime version generated code needs.
fn version_arguments() -> String {
    format!(
        "{}, {}, {}",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH")
    )
}

fn build(api: &Api, document: &Document) -> Result<ServerModel> {
    let root = &document.root;
    let v30 = document.version == OpenApiVersion::V3_0;
    let mut type_names = Scope::default();
    for name in FIXED_TYPE_NAMES {
        type_names.reserve(name);
    }
    let mut method_names = Scope::default();
    let mut function_names = Scope::default();

    // Credentials: one variant per security scheme some operation uses.
    let used: Vec<&str> = api
        .security_schemes
        .iter()
        .filter(|s| {
            api.operations
                .iter()
                .any(|op| op.security.scheme_keys().contains(&s.key.as_str()))
        })
        .map(|s| s.key.as_str())
        .collect();
    let mut credentials = Vec::new();
    for scheme in api
        .security_schemes
        .iter()
        .filter(|s| used.contains(&s.key.as_str()))
    {
        if let SecurityKind::Other { scheme_type } = &scheme.kind {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &child("/components/securitySchemes", &scheme.key),
                format!(
                    "the server generator cannot check security schemes of type {scheme_type:?}; only apiKey, http, oauth2 and openIdConnect"
                ),
            ));
        }
        let how = match &scheme.kind {
            SecurityKind::ApiKey {
                location,
                parameter_name,
            } => format!("`{parameter_name}` ({})", location_word(*location)),
            SecurityKind::Http { scheme } => format!("`Authorization: {scheme} ...`"),
            SecurityKind::OAuth2 { scheme_type } => {
                format!("a bearer token (`Authorization: Bearer ...`, {scheme_type})")
            }
            SecurityKind::Other { .. } => String::new(),
        };
        let mut docs = scheme.docs.0.clone().unwrap_or_default();
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&format!("Security scheme `{}`, sent as {how}.", scheme.key));
        credentials.push(CredentialVariant {
            debug_literal: text::string_literal(&format!("{}(<redacted>)", scheme.name)),
            name: scheme.name.clone(),
            docs: Docs(Some(docs)).attributes(),
        });
    }

    let mut planner = Planner::new(api, root, v30, TYPES_PATH);
    let mut operations = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        method_names.reserve(&op.name);
        operations.push(operation(
            api,
            document,
            index,
            op,
            &mut type_names,
            &mut function_names,
            &mut planner,
        )?);
    }
    let finished = planner.finish(&mut function_names);
    for body in operations.iter_mut().filter_map(|op| op.body.as_mut()) {
        body.typed = body
            .planned
            .take()
            .map(|planned| finished.typed_body(&planned, &body.ty));
    }
    let checks = finished
        .functions
        .into_iter()
        .map(|f| CheckFnModel {
            name: f.name,
            ty: f.ty,
            condition: if f.conditions.is_empty() {
                "true".to_owned()
            } else {
                f.conditions.join(" && ")
            },
        })
        .collect();

    let hooks = hooks(api, &mut type_names, &mut method_names)?;
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
    let routing = paths::routing(api, &handlers, &mut function_names)?;
    let mut constants = Scope::default();
    for name in ["COMPONENTS", "OPERATIONS"] {
        constants.reserve(name);
    }
    for index in 0..routing.routes.len() {
        constants.reserve(&naming::route_templates(index));
    }
    let table = table::build(&mut operations, &mut constants);
    let components = match crate::resolve::lookup(root, "/components/schemas") {
        Some(Value::Object(schemas)) => Value::Object(
            schemas
                .iter()
                .map(|(k, v)| (k.clone(), json_schema(v, v30)))
                .collect(),
        ),
        _ => Value::Object(Map::new()),
    };

    Ok(ServerModel {
        version: version_arguments(),
        credential_type: if credentials.is_empty() {
            "rt::NoCredential"
        } else {
            "Credential"
        },
        api_docs: Docs(Some(format!(
            "The business logic of {}: one method per operation, plus the credential check and \
             the error bodies the router needs.\n\n\
             Serve it with [`router`]. The router answers every request the spec forbids before an \
             operation's method runs: a missing or refused credential, a parameter or body that \
             does not match its schema, a body that is not JSON or is over \
             [`ServerConfig::body_limit`], an unknown path or method, and a panic in the \
             implementation. Unknown body fields are ignored unless the schema forbids them. \
             [`RejectionKind`] lists what it answers and with which status.\n\n\
             Each operation's method gets the request's head (`request`: method, URI, headers \
             such as `Host`, and the extensions a middleware may have set), then the \
             credential, the typed parameters and the typed body, as the operation has them.",
            if api.title.is_empty() {
                "the API"
            } else {
                api.title.as_str()
            }
        )))
        .attributes(),
        operations,
        routing,
        credentials,
        scoped: api
            .operations
            .iter()
            .flat_map(|op| &op.security.0)
            .flat_map(|r| &r.schemes)
            .any(|s| !s.scopes.is_empty()),
        hooks,
        components_literal: text::string_literal(&components.to_string()),
        checks,
        table,
    })
}

fn operation(
    api: &Api,
    document: &Document,
    index: usize,
    op: &Operation,
    type_names: &mut Scope,
    function_names: &mut Scope,
    planner: &mut Planner<'_>,
) -> Result<OperationModel> {
    let root = &document.root;
    let v30 = document.version == OpenApiVersion::V3_0;
    let raw = crate::resolve::lookup(root, &op.origin).and_then(Value::as_object);
    let path_item = crate::resolve::lookup(root, &parent(&op.origin)).and_then(Value::as_object);

    // Path parameters are read by their position among the template's captures.
    let positions: Vec<&str> = op
        .segments
        .iter()
        .flat_map(|segment| &segment.0)
        .filter_map(|part| match part {
            SegmentPart::Capture(name) => Some(name.as_str()),
            SegmentPart::Literal(_) => None,
        })
        .collect();
    let mut params = Vec::new();
    for param in &op.parameters {
        let position = positions
            .iter()
            .position(|name| *name == param.wire_name)
            .unwrap_or_default();
        let params::Reading {
            location,
            coerce,
            array,
        } = params::reading(api, param, position, &op.origin)?;
        let schema = raw_parameter_schema(root, raw, path_item, &param.wire_name, param.location)
            .map(|s| json_schema(&s, v30))
            .unwrap_or(Value::Bool(true));
        let inner = qualified(&param.ty);
        let lower_wire = if param.location == ParameterLocation::Header {
            param.wire_name.to_ascii_lowercase()
        } else {
            param.wire_name.clone()
        };
        params.push(ParamModel {
            field: param.name.clone(),
            wire_name: param.wire_name.clone(),
            place: location_word(param.location),
            key_literal: text::string_literal(param.name.trim_start_matches("r#")),
            wire_literal: text::string_literal(&lower_wire),
            location,
            required: param.required,
            ty: if param.required {
                inner
            } else {
                format!("Option<{inner}>")
            },
            coerce,
            array,
            schema_literal: text::string_literal(&schema.to_string()),
            docs: param_docs(&param.docs, &param.wire_name, param.location),
        });
    }

    let mut requirements = Vec::new();
    for requirement in op.security.0.iter().filter(|r| !r.schemes.is_empty()) {
        let mut credentials = Vec::new();
        for used in &requirement.schemes {
            credentials.push(credential_source(api, &used.key, &used.scopes, &op.origin)?);
        }
        requirements.push(credentials);
    }
    let security = (!requirements.is_empty()).then(|| SecurityModel {
        single: !op.security.is_optional() && requirements.iter().all(|r| r.len() == 1),
        optional: op.security.is_optional(),
        requirements,
    });

    let params_struct = if params.is_empty() {
        None
    } else {
        Some(type_names.claim(&naming::nested_type_name(&op.type_prefix, "params")))
    };
    let response_enum = type_names.claim(&naming::nested_type_name(&op.type_prefix, "response"));
    let body_plan = bodies::plan(api, op, type_names);
    let body = body_plan.as_ref().map(|plan| {
        let raw_schema = |media_type: &str| {
            raw.and_then(|op| op.get("requestBody"))
                .and_then(|b| deref(root, b))
                .and_then(|b| b.get("content"))
                .and_then(|c| c.get(media_type))
                .and_then(|m| m.get("schema"))
        };
        let mut spec = |media: &bodies::MediaPlan, content: &MediaContent, single: bool| {
            let schema = if media.schema_checked() {
                raw_schema(&content.media_type).map_or(Value::Bool(true), |s| json_schema(s, v30))
            } else {
                Value::Bool(true)
            };
            let accept = if single && media.runtime == "Json" {
                "&[]".to_owned()
            } else {
                format!("&[{}]", text::string_literal(&media.media_type))
            };
            BodyModel {
                ty: media.ty(""),
                required: plan.required,
                schema_literal: text::string_literal(&schema.to_string()),
                planned: if single && media.runtime == "Json" {
                    planner.body(
                        raw_schema(&content.media_type).unwrap_or(&Value::Bool(true)),
                        &content.ty,
                    )
                } else {
                    None
                },
                typed: None,
                media: media.runtime,
                accept,
                form: match media.runtime {
                    "Form" => form_fields(api, &content.ty),
                    "Multipart" => bodies::multipart_fields(api, content),
                    _ => "&[]".to_owned(),
                },
                alternatives: Vec::new(),
            }
        };
        let contents = &op.request_body.as_ref().expect("a planned body").content;
        match (plan.media.as_slice(), contents.as_slice()) {
            ([media], [content]) => spec(media, content, true),
            _ => BodyModel {
                ty: plan.ty(""),
                required: plan.required,
                schema_literal: text::string_literal("true"),
                planned: None,
                typed: None,
                media: "Json",
                accept: "&[]".to_owned(),
                form: "&[]".to_owned(),
                alternatives: plan
                    .media
                    .iter()
                    .zip(contents)
                    .map(|(media, content)| spec(media, content, false))
                    .collect(),
            },
        }
    });
    let mut variants = Vec::new();
    for response in &op.responses {
        let code = match response.key {
            StatusKey::Code(code) => Some(code),
            StatusKey::Range(_) | StatusKey::Default => None,
        };
        let body = body_out(response, &op.origin)?;
        let headers = headers(response, &op.origin)?;
        let status = code.map_or("status".to_owned(), |code| code.to_string());
        let answer = answer(&status, body.as_ref(), "body", &headers, "");
        variants.push(VariantModel {
            name: response.name.clone(),
            docs: Docs(Some(response_docs(response))).attributes(),
            code,
            body,
            headers,
            answer,
        });
    }

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
    Ok(OperationModel {
        index,
        route: route.clone(),
        method_name: op.name.clone(),
        handler: function_names.claim(&naming::function_name(&format!("handle {}", op.name))),
        docs: Docs(Some(docs)).attributes(),
        params_struct,
        params,
        body,
        body_plan,
        security,
        table_row: String::new(),
        response_docs: Docs(Some(format!(
            "The answers of {route}: one variant per documented status."
        )))
        .attributes(),
        response_enum,
        variants,
    })
}

/// The fields of a form body's struct: how each value's text becomes JSON.
fn form_fields(api: &Api, ty: &RustType) -> String {
    let fields = match ty.innermost() {
        RustType::Named(name) => {
            match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => fields.fields.as_slice(),
                _ => &[],
            }
        }
        _ => &[],
    };
    let entries: Vec<String> = fields
        .iter()
        .filter(|field| !field.flatten)
        .map(|field| {
            let (coerce, array) = coercion(api, field.ty.innermost());
            format!(
                "rt::FormField {{ name: {}, coerce: {coerce}, array: {array} }}",
                text::string_literal(&field.wire_name)
            )
        })
        .collect();
    format!("&[{}]", entries.join(", "))
}

/// How an operation finds the credential of the scheme `key`.
fn credential_source(
    api: &Api,
    key: &str,
    scopes: &[String],
    origin: &str,
) -> Result<CredentialSource> {
    let Some(scheme) = api.security_schemes.iter().find(|s| s.key == key) else {
        return Err(Error::at(
            ErrorKind::Invalid,
            &child(origin, "security"),
            format!("the security scheme {key:?} is not defined"),
        ));
    };
    let unsupported = || {
        Err(Error::at(
            ErrorKind::Unsupported,
            &child("/components/securitySchemes", key),
            "the server renderer cannot check this security scheme",
        ))
    };
    let (place, name) = match &scheme.kind {
        SecurityKind::ApiKey {
            location,
            parameter_name,
        } => {
            let place = match location {
                ParameterLocation::Header => "Header",
                ParameterLocation::Query => "Query",
                ParameterLocation::Cookie => "Cookie",
                ParameterLocation::Path => return unsupported(),
            };
            (place, parameter_name.as_str())
        }
        SecurityKind::Http { scheme } => ("Authorization", scheme.as_str()),
        SecurityKind::OAuth2 { .. } => ("Authorization", "bearer"),
        SecurityKind::Other { .. } => return unsupported(),
    };
    Ok(CredentialSource {
        source: format!(
            "rt::CredentialSource::{place}({}, Credential::{})",
            text::string_literal(name),
            scheme.name
        ),
        scopes: format!(
            "&[{}]",
            scopes
                .iter()
                .map(|scope| text::string_literal(scope))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// One hook per router-produced status that the operations document with one shape.
fn hooks(api: &Api, type_names: &mut Scope, method_names: &mut Scope) -> Result<Vec<Hook>> {
    let mut hooks = Vec::new();
    for (code, why) in ROUTER_STATUSES {
        let produces = |op: &Operation| match code {
            400 => !op.parameters.is_empty() || op.request_body.is_some(),
            413 | 415 => op.request_body.is_some(),
            401 => !op.security.is_none(),
            _ => true,
        };
        // The body most operations document for it (the first of equals); the operations
        // that document another get the status alone.
        let documenting: Vec<(usize, &Operation, &Response)> = api
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| produces(op))
            .filter_map(|(index, op)| Some((index, op, documented(op, *code)?)))
            .collect();
        let mut shapes: Vec<(ResponseShape, usize, &Operation, &Response)> = Vec::new();
        for (_, op, response) in &documenting {
            let this = shape(response);
            match shapes.iter_mut().find(|(seen, ..)| *seen == this) {
                Some((_, count, ..)) => *count += 1,
                None => shapes.push((this, 1, op, response)),
            }
        }
        let Some((chosen, _, op, response)) =
            shapes.into_iter().rev().max_by_key(|(_, count, ..)| *count)
        else {
            continue;
        };
        let others: Vec<String> = documenting
            .iter()
            .filter(|(_, _, response)| shape(response) != chosen)
            .map(|(index, ..)| index.to_string())
            .collect();
        let variant = naming::status_variant_name(&code.to_string());
        let struct_name = type_names.claim(&variant);
        let method_name = method_names.claim(&naming::function_name(&variant));
        // A body or header the server cannot write: the router's own answer (never an error).
        let (Ok(body), Ok(headers)) = (
            body_out(response, &op.origin),
            headers(response, &op.origin),
        ) else {
            continue;
        };
        hooks.push(Hook {
            others: others.join(" | "),
            code: *code,
            method_name,
            struct_name,
            docs: Docs(Some(match &response.docs.0 {
                Some(described) => format!(
                    "The {code} answer the router gives itself when {why}.\n\nThe spec: {described}"
                ),
                None => format!("The {code} answer the router gives itself when {why}."),
            } + if others.is_empty() {
                ""
            } else {
                "\n\nThe operations that document another body for it answer with the status alone."
            }))
            .attributes(),
            answer: answer(
                &code.to_string(),
                body.as_ref(),
                "self.body",
                &headers,
                "self.",
            ),
            body,
            headers,
        });
    }
    Ok(hooks)
}

/// The response an operation documents for `code`: exact, then its range, then `default`.
/// A `Response` expression: `status` with the body bound as `body` (if any) and each header
/// field as `{fields}{field}`.
fn answer(
    status: &str,
    body: Option<&BodyOut>,
    body_binding: &str,
    headers: &[HeaderModel],
    fields: &str,
) -> laid::Expr {
    use laid::Expr;
    let mut answer = match body {
        Some(out) => Expr::call(
            &format!("rt::{}", out.writer),
            vec![
                Expr::atom(status),
                Expr::atom(&out.content_type_literal),
                Expr::atom(format!("&{body_binding}")),
            ],
        ),
        None => Expr::atom(format!("rt::empty({status})")),
    };
    for header in headers {
        let (function, value) = match header.typed {
            None => ("rt::header", format!("{fields}{}", header.field)),
            Some(_) => ("rt::typed_header", format!("&{fields}{}", header.field)),
        };
        answer = Expr::call(
            function,
            vec![answer, Expr::atom(&header.lower_literal), Expr::atom(value)],
        );
    }
    answer
}

fn documented(op: &Operation, code: u16) -> Option<&Response> {
    let exact = code.to_string();
    let range = format!("{}XX", code / 100);
    [exact.as_str(), range.as_str(), "default"]
        .iter()
        .find_map(|status| op.responses.iter().find(|r| r.status == *status))
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

/// The body a response variant carries: its JSON media type if it has one, else its text one
/// (the other media types of the response are not served yet).
fn body_out(response: &Response, origin: &str) -> Result<Option<BodyOut>> {
    if response.content.is_empty() {
        return Ok(None);
    }
    let bytes = RustType::Vec(Box::new(RustType::U8));
    let chosen = response
        .content
        .iter()
        .find(|c| c.kind == MediaKind::Json || (c.kind == MediaKind::Wildcard && c.ty != bytes))
        .or_else(|| response.content.iter().find(|c| c.kind == MediaKind::Text))
        .or_else(|| {
            response.content.iter().find(|c| {
                matches!(c.kind, MediaKind::Binary | MediaKind::Wildcard) && c.ty == bytes
            })
        });
    let Some(body) = chosen else {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &child(
                &child(&child(origin, "responses"), &response.status),
                "content",
            ),
            format!(
                "the server renderer does not support response bodies of type {} yet; only JSON, text and bytes",
                media_list(&response.content)
            ),
        ));
    };
    let (writer, ty) = match body.kind {
        MediaKind::Text => ("text", RustType::String),
        _ if body.ty == bytes => ("bytes", bytes.clone()),
        _ => ("json", body.ty.clone()),
    };
    // A wildcard names no type to label the body with.
    let content_type = if body.media_type.contains('*') {
        "application/octet-stream"
    } else {
        body.media_type.as_str()
    };
    Ok(Some(BodyOut {
        ty: qualified(&ty),
        content_type_literal: text::string_literal(content_type),
        writer,
    }))
}

fn media_list(content: &[MediaContent]) -> String {
    content
        .iter()
        .map(|c| format!("{:?}", c.media_type))
        .collect::<Vec<_>>()
        .join(", ")
}

fn headers(response: &Response, origin: &str) -> Result<Vec<HeaderModel>> {
    let mut scope = Scope::default();
    scope.reserve("status");
    scope.reserve("body");
    let mut out = Vec::new();
    for header in &response.headers {
        let lower = header.wire_name.to_ascii_lowercase();
        if lower.is_empty()
            || !lower
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(Error::at(
                ErrorKind::Invalid,
                &child(
                    &child(&child(origin, "responses"), &response.status),
                    "headers",
                ),
                format!("{:?} is not a valid HTTP header name", header.wire_name),
            ));
        }
        out.push(HeaderModel {
            field: scope.claim(&header.name),
            lower_literal: text::string_literal(&lower),
            required: header.required,
            typed: (header.ty != RustType::String).then(|| qualified(&header.ty)),
            docs: Docs(Some(
                header
                    .docs
                    .0
                    .clone()
                    .map(|d| format!("`{}`: {d}", header.wire_name))
                    .unwrap_or_else(|| format!("The `{}` header.", header.wire_name)),
            ))
            .attributes(),
        });
    }
    Ok(out)
}

fn response_docs(response: &Response) -> String {
    let status = match response.status.as_str() {
        "default" => "Any other status".to_owned(),
        other => format!("`{other}`"),
    };
    match &response.docs.0 {
        Some(docs) => format!("{status}: {docs}"),
        None => status,
    }
}

fn param_docs(docs: &Docs, wire: &str, location: ParameterLocation) -> String {
    let place = format!("The {} parameter `{wire}`.", location_word(location));
    Docs(Some(match &docs.0 {
        Some(text) => format!("{text}\n\n{place}"),
        None => place,
    }))
    .attributes()
}

fn location_word(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// How the router turns a parameter's text into JSON before validating it.
fn coercion(api: &Api, ty: &RustType) -> (&'static str, bool) {
    match ty {
        RustType::Vec(item) => (coercion(api, item).0, true),
        other => (scalar(api, other, 0), false),
    }
}

fn scalar(api: &Api, ty: &RustType, depth: usize) -> &'static str {
    match ty {
        RustType::String => "rt::Coerce::String",
        RustType::Bool => "rt::Coerce::Boolean",
        integer if integer.is_integer() => "rt::Coerce::Integer",
        RustType::F32 | RustType::F64 => "rt::Coerce::Number",
        RustType::Option(inner) | RustType::Boxed(inner) => scalar(api, inner, depth),
        RustType::Named(name) if depth < 16 => {
            match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) => "rt::Coerce::String",
                Some(TypeKind::Alias { target }) => scalar(api, target, depth + 1),
                _ => "rt::Coerce::Json",
            }
        }
        _ => "rt::Coerce::Json",
    }
}

/// A Rust type as source, with the API's named types reached through the `types` module.
fn qualified(ty: &RustType) -> String {
    match ty {
        RustType::Named(name) => format!("{TYPES_PATH}{name}"),
        RustType::Vec(item) => format!("Vec<{}>", qualified(item)),
        RustType::Map(value) => {
            format!("::std::collections::BTreeMap<String, {}>", qualified(value))
        }
        RustType::Option(inner) => format!("Option<{}>", qualified(inner)),
        RustType::Boxed(inner) => format!("Box<{}>", qualified(inner)),
        other => other.to_string(),
    }
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
    let location = location_word(location);
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
    use super::*;
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

    #[test]
    fn the_prelude_is_laid_out_as_the_formatter_prints_it() {
        // Full-line `//` comments are kept in the output; the printer drops them.
        let without_comments: String = SERVER_PRELUDE
            .lines()
            .filter(|line| !line.trim_start().starts_with("// "))
            .map(|line| format!("{line}\n"))
            .collect();
        let formatted =
            crate::format::format(&[Chunk::Source(SERVER_PRELUDE.to_owned())], "").unwrap();
        assert!(
            formatted == without_comments,
            "generator/templates/server_prelude.rs is not laid out as prettyplease prints it; \
             replace it with this (and put its `//` comments back):\n{formatted}"
        );
    }
}
