//! The intermediate model: what the document means for Rust, with every name decided.
//!
//! The resolver builds it from the document; the templates read only this. It is `Serialize`
//! so tests can snapshot it. Collections are in a fixed order (types by name, operations by
//! path then method, fields and variants in document order), so output is deterministic.

use serde::Serialize;

/// A whole API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub docs: Docs,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by path, then method.
    pub operations: Vec<Operation>,
    /// Security schemes from `components.securitySchemes`, sorted by key.
    pub security_schemes: Vec<SecurityScheme>,
    /// Problems only a server or client meets (a broken operation, an invalid security
    /// scheme), sorted by location: they never stop the types, and stop a server.
    #[serde(skip)]
    pub operation_problems: Vec<crate::error::Error>,
}

impl Api {
    /// Gives every string enum a variant (`Other`, or `Other2`, ... if a listed value took
    /// that name) that keeps a value the spec does not list and writes it back unchanged.
    pub fn open_string_enums(&mut self) {
        for def in &mut self.types {
            if let TypeKind::Enum(e) = &mut def.kind {
                let mut scope = crate::naming::Scope::default();
                for variant in &e.variants {
                    scope.reserve(&variant.name);
                }
                e.open = Some(scope.claim("Other"));
            }
        }
    }
}

/// Documentation text taken from the spec, unescaped; the renderer escapes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Docs(pub Option<String>);

/// One named Rust type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub origin: String,
    /// The schema's description.
    pub docs: Docs,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enumeration.
    Enum(Enum),
    /// An enumeration of integers, numbers, booleans or a mix (strings included), written as
    /// the JSON values themselves.
    ValueEnum(ValueEnum),
    /// A `oneOf`/`anyOf` of several schemas, or a `type` list: a Rust enum with one variant
    /// per member.
    Union(Union),
    /// Another name for a type (a named array, map or primitive schema).
    Alias {
        /// The aliased type.
        target: RustType,
    },
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Whether every field may be left out, so the struct can derive `Default`.
    pub all_optional: bool,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The Rust name (may be a raw identifier such as `r#type`).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The property's description.
    pub docs: Docs,
    /// The complete field type, `Option` and `Box` included.
    pub ty: RustType,
    /// How the field appears on the wire.
    pub presence: Presence,
    /// The field collects the object's other properties (`additionalProperties` next to
    /// `properties`): `#[serde(flatten)]`.
    pub flatten: bool,
}

impl Field {
    /// Whether serde needs `rename`: the Rust name, without `r#`, differs from the wire name.
    pub fn needs_rename(&self) -> bool {
        !self.flatten && self.name.trim_start_matches("r#") != self.wire_name
    }
}

/// How a property appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Always present, never null.
    Required,
    /// Always present, may be null: `Option`, written as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option`, left out when `None`.
    Optional,
    /// May be absent and may be null, three states: `Option<Option<T>>`, `None` left out,
    /// `Some(None)` written as `null`.
    OptionalNullable,
}

/// A string enumeration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    /// Variants in document order.
    pub variants: Vec<Variant>,
    /// The name of an extra variant that keeps values the spec does not list, as a `String`
    /// (`Generator::open_enums`); `None` for a closed enum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
}

/// An enumeration of JSON values that are not all strings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueEnum {
    /// Variants in document order.
    pub variants: Vec<ValueVariant>,
}

/// A variant of a [`ValueEnum`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueVariant {
    /// The Rust name.
    pub name: String,
    /// The value on the wire: a string, number or boolean.
    pub value: serde_json::Value,
}

/// A Rust enum over the members of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Union {
    /// The discriminator's property name: an internally tagged enum (`#[serde(tag)]`). Without
    /// it the enum is untagged, and serde takes the first variant that reads the value.
    pub tag: Option<String>,
    /// Variants: for a tagged union in document order, for an untagged one from the strictest
    /// to the loosest.
    pub variants: Vec<UnionVariant>,
}

/// A variant of a [`Union`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// The Rust name.
    pub name: String,
    /// The discriminator value that selects it (tagged unions only).
    pub tag_value: Option<String>,
    /// The member's type.
    pub ty: RustType,
    /// The member's description.
    pub docs: Docs,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The Rust name.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// A Rust type as used in a field, parameter or body. Serializes as its Rust source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Any JSON value: `serde_json::Value`.
    Any,
    /// A free-form JSON object: `serde_json::Map<String, serde_json::Value>`.
    Object,
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// A map with string keys: `BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// A named type of this API.
    Named(String),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `Box<T>`, to break a cycle of types that contain each other.
    Boxed(Box<RustType>),
    /// A tuple `(A, B, ...)`: a JSON array of fixed length (`prefixItems`).
    Tuple(Vec<RustType>),
}

impl RustType {
    /// Whether it is one of the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::U8
                | RustType::U16
                | RustType::U32
                | RustType::U64
        )
    }

    /// The type inside `Option` and `Box`, if any.
    pub fn innermost(&self) -> &RustType {
        match self {
            RustType::Option(inner) | RustType::Boxed(inner) => inner.innermost(),
            other => other,
        }
    }
}

impl Serialize for RustType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for RustType {
    /// The type as Rust source, with paths that resolve in any crate that depends on
    /// serde_json.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RustType::String => f.write_str("String"),
            RustType::Bool => f.write_str("bool"),
            RustType::I8 => f.write_str("i8"),
            RustType::I16 => f.write_str("i16"),
            RustType::I32 => f.write_str("i32"),
            RustType::I64 => f.write_str("i64"),
            RustType::U8 => f.write_str("u8"),
            RustType::U16 => f.write_str("u16"),
            RustType::U32 => f.write_str("u32"),
            RustType::U64 => f.write_str("u64"),
            RustType::F32 => f.write_str("f32"),
            RustType::F64 => f.write_str("f64"),
            RustType::Any => f.write_str("::serde_json::Value"),
            RustType::Object => f.write_str("::serde_json::Map<String, ::serde_json::Value>"),
            RustType::Vec(item) => write!(f, "Vec<{item}>"),
            RustType::Map(value) => write!(f, "::std::collections::BTreeMap<String, {value}>"),
            RustType::Named(name) => f.write_str(name),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Boxed(inner) => write!(f, "Box<{inner}>"),
            RustType::Tuple(items) => {
                // As the printer writes it: `(A, B)`, and `(A,)` for one.
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", item)?;
                }
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
        }
    }
}

impl RustType {
    /// The type as source in a module that reaches the API's named types through `types_path`
    /// (such as `super::types::`).
    pub fn in_module(&self, types_path: &str) -> String {
        match self {
            RustType::Named(name) => format!("{types_path}{name}"),
            RustType::Vec(item) => format!("Vec<{}>", item.in_module(types_path)),
            RustType::Map(value) => format!(
                "::std::collections::BTreeMap<String, {}>",
                value.in_module(types_path)
            ),
            RustType::Option(inner) => format!("Option<{}>", inner.in_module(types_path)),
            RustType::Boxed(inner) => format!("Box<{}>", inner.in_module(types_path)),
            other => other.to_string(),
        }
    }
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The `operationId`, or one made from method and path.
    pub id: String,
    /// The Rust function name.
    pub name: String,
    /// The prefix of types named after this operation, e.g. `CreateSoftwareDeployment`.
    pub type_prefix: String,
    /// HTTP method, upper case.
    pub method: String,
    /// The path template, e.g. `/v1/{project_id}/software_deployments`.
    pub path: String,
    /// The path template split at `/`: literals and captures.
    pub segments: Vec<PathSegment>,
    /// JSON pointer of the operation.
    pub origin: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub docs: Docs,
    /// `tags`.
    pub tags: Vec<String>,
    /// Parameters, in document order (path-level ones first).
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub request_body: Option<RequestBody>,
    /// Responses, sorted by status.
    pub responses: Vec<Response>,
    /// What credentials the operation needs.
    pub security: Security,
}

/// One `/`-separated segment of a path template: its parts in order. A segment is a whole
/// capture (`{id}`), a literal, or a mix (`{name}.{ext}`, `{name}:cancel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PathSegment(pub Vec<SegmentPart>);

impl PathSegment {
    /// The capture name if the segment is exactly one capture.
    pub fn whole_capture(&self) -> Option<&str> {
        match self.0.as_slice() {
            [SegmentPart::Capture(name)] => Some(name),
            _ => None,
        }
    }
}

/// A piece of a path segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentPart {
    /// Text matched as it is.
    Literal(String),
    /// A path parameter, by its wire name.
    Capture(String),
}

/// An operation's security: alternatives (OR), each needing all its schemes (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Security(pub Vec<SecurityRequirement>);

impl Security {
    /// Whether no credential is ever asked for (no requirement, or `security: []`).
    pub fn is_none(&self) -> bool {
        self.0.iter().all(|r| r.schemes.is_empty())
    }

    /// Whether a request without any credential is allowed (an empty requirement `{}`).
    pub fn is_optional(&self) -> bool {
        self.0.iter().any(|r| r.schemes.is_empty())
    }

    /// Every scheme key used, once each, in order of first use.
    pub fn scheme_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for scheme in self.0.iter().flat_map(|r| &r.schemes) {
            if !keys.contains(&scheme.key.as_str()) {
                keys.push(&scheme.key);
            }
        }
        keys
    }
}

/// One security requirement object: every scheme in it must be satisfied. Empty: nothing
/// is needed (`{}`, optional security).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecurityRequirement {
    /// The schemes, in document order.
    pub schemes: Vec<SchemeUse>,
}

/// A scheme named by a requirement, with the scopes (OAuth2, OpenID Connect) or roles it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeUse {
    /// Its key in `components.securitySchemes`.
    pub key: String,
    /// Required scopes, in document order.
    pub scopes: Vec<String>,
}

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// How an array or object parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ParameterStyle {
    /// `form` (query and cookie default): `a=1&a=2` exploded, `a=1,2` not.
    Form,
    /// `simple` (path and header default): `1,2`.
    Simple,
    /// `label`: `.1.2`.
    Label,
    /// `matrix`: `;a=1;a=2`.
    Matrix,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[key]=value`.
    DeepObject,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    /// The Rust name.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it is.
    pub location: ParameterLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Its type (without `Option`).
    pub ty: RustType,
    /// Its description.
    pub docs: Docs,
    /// How it is written (the location's default when the spec does not say).
    pub style: ParameterStyle,
    /// Whether arrays and objects are exploded (`explode`; true for `form` by default).
    pub explode: bool,
    /// For a parameter described by `content` instead of `schema`: the media type its
    /// text is in (e.g. `application/json`).
    pub media_type: Option<String>,
}

/// What kind of payload a media type carries, which decides how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// `application/json`, `*+json`, vendor JSON: the typed value, as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: the typed value, as form fields.
    Form,
    /// `multipart/form-data`: text parts and file parts.
    Multipart,
    /// `text/*`: a string.
    Text,
    /// Any other concrete type (`application/octet-stream`, `image/png`, ...): bytes.
    Binary,
    /// A wildcard (`*/*`, `image/*`): bytes, with the actual media type beside them.
    Wildcard,
}

impl MediaKind {
    /// The kind of a media type as written in a `content` key (parameters ignored).
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let (top, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        if sub == "json" || sub.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" || essence == "multipart/mixed" {
            MediaKind::Multipart
        } else if top == "*" || sub == "*" || sub.is_empty() {
            MediaKind::Wildcard
        } else if top == "text" {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// One media type of a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaContent {
    /// The media type as written, e.g. `application/merge-patch+json`.
    pub media_type: String,
    /// How it is read and written.
    pub kind: MediaKind,
    /// The Rust variant name when a body has several media types, e.g. `Json`, `Form`.
    pub variant: String,
    /// The value's type: the schema's for JSON, form and multipart; `String` for text;
    /// `Vec<u8>` for binary and wildcards.
    pub ty: RustType,
    /// For multipart bodies: the parts that are files (binary), by property wire name.
    pub file_parts: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// Its media types in document order; several give the handler an enum of them.
    pub content: Vec<MediaContent>,
    /// Whether the body must be sent; an optional one is an `Option`.
    pub required: bool,
    /// Its description.
    pub docs: Docs,
}

/// A response status key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum StatusKey {
    /// An exact code, e.g. 200.
    Code(u16),
    /// A range such as `4XX`: the hundreds digit.
    Range(u8),
    /// `default`: any status not documented otherwise.
    Default,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// The status as written in the spec: `200`, `4XX` or `default`.
    pub status: String,
    /// The status key; ranges and `default` become variants that carry their status.
    pub key: StatusKey,
    /// The Rust variant name, e.g. `Ok`, `NotFound`.
    pub name: String,
    /// The response description.
    pub docs: Docs,
    /// The body's media types in document order; empty for no body.
    pub content: Vec<MediaContent>,
    /// Documented response headers, in document order.
    pub headers: Vec<Header>,
}

impl Response {
    /// The body when it has exactly one media type.
    pub fn single_body(&self) -> Option<&MediaContent> {
        match self.content.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// The Rust name.
    pub name: String,
    /// The header name on the wire.
    pub wire_name: String,
    /// Whether it is always sent.
    pub required: bool,
    /// Its type (without `Option`); `String` when the spec gives no schema.
    pub ty: RustType,
    /// Its description.
    pub docs: Docs,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub key: String,
    /// The Rust name.
    pub name: String,
    /// How the credential is sent.
    pub kind: SecurityKind,
    /// Its description.
    pub docs: Docs,
}

/// How a credential is sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SecurityKind {
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where it is.
        location: ParameterLocation,
        /// The header, parameter or cookie name.
        parameter_name: String,
    },
    /// `Authorization: <scheme> <credentials>`.
    Http {
        /// The scheme, e.g. `bearer`.
        scheme: String,
    },
    /// OAuth2 or OpenID Connect: a bearer token in `Authorization`, checked against the
    /// operation's required scopes by the implementation.
    OAuth2 {
        /// The `type` field: `oauth2` or `openIdConnect`.
        scheme_type: String,
    },
    /// Mutual TLS or an unknown type: recorded; the generated server cannot check it.
    Other {
        /// The `type` field.
        scheme_type: String,
    },
}
