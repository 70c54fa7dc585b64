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
                f.write_str("(")?;
                for item in items {
                    write!(f, "{item}, ")?;
                }
                f.write_str(")")
            }
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
    /// The JSON request body.
    pub request_body: Option<RequestBody>,
    /// Responses, sorted by status.
    pub responses: Vec<Response>,
    /// Keys of the security schemes of which one must be satisfied; empty means none needed.
    pub security: Vec<String>,
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
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// The media type, e.g. `application/json`.
    pub content_type: String,
    /// The body type.
    pub ty: RustType,
    /// Whether the body must be sent.
    pub required: bool,
    /// Its description.
    pub docs: Docs,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// The status as written in the spec: `200`, `4XX` or `default`.
    pub status: String,
    /// The Rust variant name, e.g. `Ok`, `NotFound`.
    pub name: String,
    /// The response description.
    pub docs: Docs,
    /// The JSON body, if it has one.
    pub body: Option<ResponseBody>,
    /// Documented response headers, in document order.
    pub headers: Vec<Header>,
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseBody {
    /// The media type.
    pub content_type: String,
    /// The body type.
    pub ty: RustType,
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
    /// OAuth2, OpenID Connect or mutual TLS: recorded, not enforced by generated code.
    Other {
        /// The `type` field.
        scheme_type: String,
    },
}
