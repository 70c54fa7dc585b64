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
//! Every name and schema comes planned ([`crate::resolve::ServerPlan`]): this module reads the
//! IR and the plan, never the document, and hands the templates a finished model.

mod params;

use askama::Template;

use crate::error::{Error, ErrorKind, Result};
use crate::format::Chunk;
use crate::ir::{
    Api, Docs, MediaContent, Operation, ParameterLocation, RustType, SecurityKind, SegmentPart,
    TypeKind,
};
use crate::naming::{self, Scope};
use crate::resolve::bodies::MediaPlan;
use crate::resolve::routes::{RouteModel, Routing};
use crate::resolve::{OperationPlan, ServerPlan, child, qualified};
use crate::text;
use crate::typed_body::{Finished, TypedBody};

mod laid;
mod responses;
mod table;

use responses::{Hook, VariantModel};

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
    /// Some hook lists its other operations as one run (`1 | 2 | 3`): `reject` allows that.
    hook_runs: bool,
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
    body_plan: Option<crate::resolve::bodies::BodyPlan>,
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
            "api, parts, {}, {}, {}",
            self.credential_pattern(),
            self.params_pattern(),
            self.body_pattern()
        );
        let call = format!(
            "api.0.{}(&parts{}).await",
            self.method_name,
            self.arguments()
        );
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

impl RouteModel {
    /// The route's call in the router's chain, laid out.
    pub(crate) fn source(&self) -> String {
        laid::nested(laid::route(
            &self.path_literal,
            &self.method_router,
            &self.methods,
        ))
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

/// Renders `operations.rs` and `server.rs` for `api`, planned as `plan`.
pub fn render_server(api: &Api, plan: &ServerPlan) -> Result<ServerFiles> {
    prepare_server(api, plan)?.render()
}

/// The server's model, built and ready to render.
pub struct PreparedServer(ServerModel);

/// Builds the server's model for `api`, planned as `plan`. Its errors are the server's own
/// (what it cannot serve); call it while the document is at hand to locate them.
pub fn prepare_server(api: &Api, plan: &ServerPlan) -> Result<PreparedServer> {
    Ok(PreparedServer(build(api, plan)?))
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

fn build(api: &Api, plan: &ServerPlan) -> Result<ServerModel> {
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

    let mut operations = Vec::with_capacity(api.operations.len());
    for (index, (op, planned)) in api.operations.iter().zip(&plan.operations).enumerate() {
        operations.push(operation(api, index, op, planned, &plan.checks)?);
    }
    let checks = plan
        .checks
        .functions()
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
    let hooks = responses::hooks(api, &plan.hooks);
    let mut constants = Scope::default();
    for name in ["COMPONENTS", "OPERATIONS"] {
        constants.reserve(name);
    }
    for index in 0..plan.routing.routes.len() {
        constants.reserve(&naming::route_templates(index));
    }
    let table = table::build(&mut operations, &mut constants);

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
        routing: plan.routing.clone(),
        credentials,
        scoped: api
            .operations
            .iter()
            .flat_map(|op| &op.security.0)
            .flat_map(|r| &r.schemes)
            .any(|s| !s.scopes.is_empty()),
        hook_runs: hooks.iter().any(|hook| hook.run),
        hooks,
        components_literal: text::string_literal(&plan.components),
        checks,
        table,
    })
}

fn operation(
    api: &Api,
    index: usize,
    op: &Operation,
    plan: &OperationPlan,
    checks: &Finished,
) -> Result<OperationModel> {
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
    for (param, schema) in op.parameters.iter().zip(&plan.param_schemas) {
        let position = positions
            .iter()
            .position(|name| *name == param.wire_name)
            .unwrap_or_default();
        let params::Reading {
            location,
            coerce,
            array,
        } = params::reading(api, param, position, &op.origin)?;
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
            schema_literal: text::string_literal(schema),
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

    let body = plan.body.as_ref().map(|body_plan| {
        let spec = |media: &MediaPlan, content: &MediaContent, schema: &str, single: bool| {
            let ty = media.ty("");
            BodyModel {
                typed: plan
                    .typed
                    .as_ref()
                    .filter(|_| single)
                    .map(|planned| checks.typed_body(planned, &ty)),
                ty,
                required: body_plan.required,
                schema_literal: text::string_literal(schema),
                media: media.runtime,
                accept: if single && media.runtime == "Json" {
                    "&[]".to_owned()
                } else {
                    format!("&[{}]", text::string_literal(&media.media_type))
                },
                form: match media.runtime {
                    "Form" => form_fields(api, &content.ty),
                    "Multipart" => multipart_fields(api, content),
                    _ => "&[]".to_owned(),
                },
                alternatives: Vec::new(),
            }
        };
        let contents = &op.request_body.as_ref().expect("a planned body").content;
        match (body_plan.media.as_slice(), contents.as_slice()) {
            ([media], [content]) => spec(media, content, &plan.body_schemas[0], true),
            _ => BodyModel {
                ty: body_plan.ty(""),
                required: body_plan.required,
                schema_literal: text::string_literal("true"),
                typed: None,
                media: "Json",
                accept: "&[]".to_owned(),
                form: "&[]".to_owned(),
                alternatives: body_plan
                    .media
                    .iter()
                    .zip(contents)
                    .zip(&plan.body_schemas)
                    .map(|((media, content), schema)| spec(media, content, schema, false))
                    .collect(),
            },
        }
    });
    let variants = responses::variants(op)?;

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
        handler: plan.handler.clone(),
        docs: Docs(Some(docs)).attributes(),
        params_struct: plan.params_struct.clone(),
        params,
        body,
        body_plan: plan.body.clone(),
        security,
        table_row: String::new(),
        response_docs: Docs(Some(format!(
            "The answers of {route}: one variant per documented status."
        )))
        .attributes(),
        response_enum: plan.response_enum.clone(),
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

/// The `&[rt::FormField]` literal of a multipart body: how each text part becomes JSON, and
/// which parts are files.
pub(crate) fn multipart_fields(api: &Api, content: &MediaContent) -> String {
    let Some(fields) = crate::resolve::bodies::struct_fields(api, &content.ty) else {
        return "&[]".to_owned();
    };
    let entries: Vec<String> = fields
        .iter()
        .map(|field| {
            let (coerce, array) = coercion(api, field.ty.innermost());
            let coerce = if content.file_parts.contains(&field.wire_name) {
                "rt::Coerce::File"
            } else {
                coerce
            };
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

#[cfg(test)]
mod tests {
    use super::*;

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
