//! Reading a request: what the generated table says of each operation, credentials and
//! parameters, checked against the spec (the body is read in `body`).

use super::paths::{Captures, decode};
use super::styles;
use super::{Rejection, RejectionKind};
use ::axum::extract::{FromRequestParts, RawPathParams};
use ::axum::http::header;
use ::axum::http::request::Parts;
use ::serde_json::{Map, Value};

pub use super::body::Typed;

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Where an operation looks for one credential, and the credential variant it makes of it.
pub enum CredentialSource<C: 'static> {
    /// An API key in the named header.
    Header(&'static str, fn(String) -> C),
    /// An API key in the named query parameter.
    Query(&'static str, fn(String) -> C),
    /// An API key in the named cookie.
    Cookie(&'static str, fn(String) -> C),
    /// `Authorization: <scheme> <secret>`, the scheme compared without case.
    Authorization(&'static str, fn(String) -> C),
}

impl<C> CredentialSource<C> {
    /// The credential, if the request carries a non-empty one here.
    pub fn take(&self, parts: &Parts) -> Option<C> {
        let headers = &parts.headers;
        match *self {
            Self::Header(name, make) => headers
                .get(name)?
                .to_str()
                .ok()
                .and_then(non_empty)
                .map(make),
            Self::Query(name, make) => ::form_urlencoded::parse(parts.uri.query()?.as_bytes())
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| non_empty(&value))
                .map(make),
            Self::Cookie(name, make) => headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.trim() == name)
                .and_then(|(_, value)| non_empty(value))
                .map(make),
            Self::Authorization(scheme, make) => {
                let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
                let (given, secret) = value.split_once(' ')?;
                given
                    .eq_ignore_ascii_case(scheme)
                    .then(|| non_empty(secret))
                    .flatten()
                    .map(make)
            }
        }
    }
}

/// How a parameter's text becomes the JSON value its schema checks.
#[derive(Clone, Copy, Debug)]
pub enum Coerce {
    /// As a string.
    String,
    /// As an integer, if it is one.
    Integer,
    /// As a number, if it is one.
    Number,
    /// As `true` or `false`, if it is one.
    Boolean,
    /// As JSON, if it parses.
    Json,
    /// A file part of a multipart body: its bytes, as a `File`, never text.
    File,
    /// An object written in the parameter's style (`k1,v1,k2,v2`, `k1=v1,k2=v2`, its
    /// properties as query keys, `name[k1]=v1`), each known property as its field says.
    Object(&'static [FormField]),
}
/// Where a parameter is sent.
#[derive(Clone, Copy, Debug)]
pub enum Location {
    /// The path capture at this position.
    Path(usize),
    /// The query string; an array is the key repeated (`form`, exploded).
    Query,
    /// The query string; an array is one value with its items joined by this character
    /// (`form` unexploded `,`, `spaceDelimited` ` `, `pipeDelimited` `|`).
    QueryDelimited(char),
    /// A header.
    Header,
    /// The path capture at this position, an object written `k1=v1,k2=v2` (`simple`,
    /// exploded); any other value as in [`Location::Path`].
    PathExploded(usize),
    /// A header, an object written `k1=v1,k2=v2` (`simple`, exploded).
    HeaderExploded,
    /// A cookie of the `Cookie` header; a list comma-separated.
    Cookie,
    /// The query string in `deepObject` style: `name[key]=value`, nested as deep as the
    /// object's fields.
    DeepObject,
    /// The path capture at this position in `label` style: `.v`, `.a,b`, `.k1,v1,k2,v2`.
    PathLabel(usize),
    /// The path capture at this position in `label` style, exploded: `.v`, `.a.b`,
    /// `.k1=v1.k2=v2`.
    PathLabelExploded(usize),
    /// The path capture at this position in `matrix` style: `;name=v`, `;name=a,b`,
    /// `;name=k1,v1,k2,v2`.
    PathMatrix(usize),
    /// The path capture at this position in `matrix` style, exploded: `;name=v`,
    /// `;name=a;name=b`, `;k1=v1;k2=v2`.
    PathMatrixExploded(usize),
}

impl Location {
    /// The position of the path capture, for a path parameter.
    fn capture(self) -> Option<usize> {
        match self {
            Location::Path(index)
            | Location::PathExploded(index)
            | Location::PathLabel(index)
            | Location::PathLabelExploded(index)
            | Location::PathMatrix(index)
            | Location::PathMatrixExploded(index) => Some(index),
            _ => None,
        }
    }
}
/// One parameter of an operation.
#[derive(Debug)]
pub struct ParamSpec {
    /// Its name on the wire (lower case for a header).
    pub wire: &'static str,
    /// Its key in the parameter struct's serde form.
    pub key: &'static str,
    /// Where it is sent.
    pub location: Location,
    /// Whether a request must carry it.
    pub required: bool,
    /// How its text becomes JSON.
    pub coerce: Coerce,
    /// Whether it is a list (repeated in the query, comma-separated elsewhere).
    pub array: bool,
    /// Its JSON schema, as JSON text.
    pub schema: &'static str,
}

/// An operation's request body.
#[derive(Debug)]
pub struct BodySpec {
    /// Its JSON schema, as JSON text (`true` for text and bytes).
    pub schema: &'static str,
    /// How it is read.
    pub media: BodyMedia,
    /// For text, bytes and forms, the media types accepted (`*` wildcards allowed, e.g.
    /// `image/*`).
    pub accept: &'static [&'static str],
    /// For forms, how each field's text becomes JSON; other fields stay strings.
    pub form: &'static [FormField],
}

/// A field of a form body (`application/x-www-form-urlencoded`).
#[derive(Debug)]
pub struct FormField {
    /// The field name.
    pub name: &'static str,
    /// How its text becomes JSON.
    pub coerce: Coerce,
    /// Whether it is an array, sent as the key repeated.
    pub array: bool,
}

/// How a request body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMedia {
    /// JSON (any `application/json` or `application/*+json`), checked against the schema.
    Json,
    /// UTF-8 text, as a `String`.
    Text,
    /// Bytes as sent, as a `Vec<u8>`.
    Bytes,
    /// `application/x-www-form-urlencoded`: read into a JSON object, then checked as JSON.
    Form,
    /// `multipart/form-data`, read as it arrives: the text parts read into a JSON object and
    /// checked as JSON (the `form` fields say how), the file parts ([`Coerce::File`]) spooled
    /// (see [`ServerConfig::file_memory_limit`](super::ServerConfig::file_memory_limit)) and
    /// handed over as [`File`](crate::File)s.
    Multipart,
    /// Any media type the `accept` patterns allow, as a `Media`: the bytes and the
    /// `Content-Type` they came with.
    Media,
}

/// An operation's security: alternatives (OR), each needing every credential it lists (AND),
/// each credential with the scopes (OAuth2, OpenID Connect) or roles the requirement asks.
pub struct Security<C: 'static> {
    /// The alternatives in the spec's order; empty when the operation needs no credential.
    pub alternatives: &'static [&'static [(CredentialSource<C>, &'static [&'static str])]],
    /// A request without any credential is served too (an empty requirement `{}`).
    pub anonymous: bool,
}

impl<C> Security<C> {
    /// No credential needed.
    pub const NONE: Security<C> = Security {
        alternatives: &[],
        anonymous: true,
    };
}

/// What the router checks for one operation; `C` is the generated credential type.
pub struct OperationSpec<C: 'static> {
    /// What credentials the operation needs.
    pub security: Security<C>,
    /// The parameters.
    pub params: &'static [ParamSpec],
    /// The body, if the operation has one.
    pub body: Option<BodySpec>,
    /// The bodies of an operation that takes several media types (then `body` is `None`): the
    /// request's `Content-Type` selects one, and the body type is an enum of them, in order.
    pub bodies: &'static [BodySpec],
}

impl<C> OperationSpec<C> {
    /// An operation's entry: one short line per operation in a generated table.
    pub const fn new(
        security: Security<C>,
        params: &'static [ParamSpec],
        body: Option<BodySpec>,
    ) -> Self {
        OperationSpec {
            security,
            params,
            body,
            bodies: &[],
        }
    }

    /// The operation takes one of `bodies`, by media type.
    pub const fn several(mut self, bodies: &'static [BodySpec]) -> Self {
        self.bodies = bodies;
        self
    }
}
/// Whether `text` has at least `n` characters (code points, as JSON Schema counts).
pub fn chars_at_least(text: &str, n: usize) -> bool {
    // A character takes one to four bytes.
    text.len() >= n && (text.len() / 4 >= n || text.chars().count() >= n)
}
/// Whether `text` has at most `n` characters.
pub fn chars_at_most(text: &str, n: usize) -> bool {
    text.len() <= n || text.chars().count() <= n
}
/// A parameter's schema that asks only for a string of some length: checked without the
/// validator, which every request would otherwise run for each such parameter (path ids are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StringLengths {
    min: usize,
    max: Option<usize>,
}

impl StringLengths {
    /// The lengths `schema` asks for, if it asks for nothing but a string and annotations.
    fn of(schema: &Value) -> Option<Self> {
        let schema = schema.as_object()?;
        if schema.get("type")? != "string" {
            return None;
        }
        let mut lengths = StringLengths { min: 0, max: None };
        for (keyword, value) in schema {
            match keyword.as_str() {
                "type" | "title" | "description" | "example" | "examples" | "default"
                | "deprecated" => {}
                "minLength" => lengths.min = usize::try_from(value.as_u64()?).ok()?,
                "maxLength" => lengths.max = Some(usize::try_from(value.as_u64()?).ok()?),
                _ => return None,
            }
        }
        Some(lengths)
    }

    /// Whether `value` meets them; if not, the validator names what it misses.
    fn admit(self, value: &Value) -> bool {
        matches!(value, Value::String(text)
            if chars_at_least(text, self.min) && self.max.is_none_or(|max| chars_at_most(text, max)))
    }
}

/// A parameter's compiled schema, and the lengths that say it is met without running it.
struct ParamCheck {
    validator: ::jsonschema::Validator,
    lengths: Option<StringLengths>,
}

impl ParamCheck {
    fn compile(schema: &str, components: &Value) -> Self {
        let schema: Value = ::serde_json::from_str(schema).expect("the generated schemas are JSON");
        ParamCheck {
            lengths: StringLengths::of(&schema),
            validator: validator_of(schema, components),
        }
    }

    fn validate<'v>(&self, value: &'v Value) -> Result<(), ::jsonschema::ValidationError<'v>> {
        match self.lengths {
            Some(lengths) if lengths.admit(value) => Ok(()),
            _ => self.validator.validate(value),
        }
    }

    /// `value` of parameter `spec`, sent in `place`, checked; the rejection names what it misses.
    fn admit(&self, spec: &ParamSpec, place: &str, value: &Value) -> Result<(), Rejection> {
        self.validate(value).map_err(|error| {
            Rejection::new(
                RejectionKind::InvalidParameter,
                format!("Invalid {place} parameter '{}': {error}", spec.wire),
            )
        })
    }
}

/// The parameter struct from its checked values. Straight from the pairs: no map to build, no
/// key to copy, no string to clone. Once the schemas passed, a failure here is rare; its
/// message does not name the field.
fn typed_params<P: ::serde::de::DeserializeOwned>(
    fields: Vec<(&'static str, Value)>,
) -> Result<P, Rejection> {
    let fields =
        ::serde::de::value::MapDeserializer::<_, ::serde_json::Error>::new(fields.into_iter());
    P::deserialize(fields).map_err(|error| {
        Rejection::new(
            RejectionKind::InvalidParameter,
            format!("Invalid parameters: {error}"),
        )
    })
}

/// The path's captures in order: those `paths::route` left (still percent-encoded), else axum's
/// (decoded).
async fn path_captures(
    parts: &mut Parts,
    captured: Option<Captures>,
) -> Result<Vec<String>, Rejection> {
    match captured {
        Some(Captures(captures)) => Ok(captures),
        None => Ok(RawPathParams::from_request_parts(parts, &())
            .await
            .map_err(|_| not_utf8())?
            .iter()
            .map(|(_, value)| value.to_owned())
            .collect()),
    }
}

/// The rejection of a path capture that percent-decodes to something other than UTF-8.
fn not_utf8() -> Rejection {
    Rejection::new(
        RejectionKind::InvalidParameter,
        "A path parameter is not valid UTF-8 once percent-decoded.",
    )
}

/// An operation's checks, with its schemas compiled.
pub(crate) struct Operation<C: 'static> {
    pub(crate) spec: &'static OperationSpec<C>,
    params: Vec<(&'static ParamSpec, ParamCheck)>,
    pub(crate) body: Option<::jsonschema::Validator>,
    /// The validators of `spec.bodies`, in order.
    pub(crate) bodies: Vec<::jsonschema::Validator>,
    /// Whether every parameter is a plain string in the path (ids, as most operations take).
    path_strings: bool,
}
fn validator(schema: &str, components: &Value) -> ::jsonschema::Validator {
    let schema: Value = ::serde_json::from_str(schema).expect("the generated schemas are JSON");
    validator_of(schema, components)
}
fn validator_of(mut schema: Value, components: &Value) -> ::jsonschema::Validator {
    // `$ref`s point to `#/components/schemas/...`: give each schema the components.
    if let Value::Object(map) = &mut schema {
        let mut wrapper = Map::new();
        wrapper.insert("schemas".to_owned(), components.clone());
        map.insert("components".to_owned(), Value::Object(wrapper));
    }
    ::jsonschema::options()
        .with_draft(::jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the spec's schemas compile")
}
fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path(_)
        | Location::PathExploded(_)
        | Location::PathLabel(_)
        | Location::PathLabelExploded(_)
        | Location::PathMatrix(_)
        | Location::PathMatrixExploded(_) => "path",
        Location::Query | Location::QueryDelimited(_) | Location::DeepObject => "query",
        Location::Header | Location::HeaderExploded => "header",
        Location::Cookie => "cookie",
    }
}
pub(crate) fn coerce(raw: String, how: Coerce) -> Value {
    match how {
        Coerce::String => Value::String(raw),
        Coerce::Integer => raw
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| raw.parse::<u64>().map(Value::from))
            .unwrap_or(Value::String(raw)),
        Coerce::Number => match raw
            .parse::<f64>()
            .ok()
            .and_then(::serde_json::Number::from_f64)
        {
            Some(number) => Value::Number(number),
            None => Value::String(raw),
        },
        Coerce::Boolean => match raw.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw),
        },
        Coerce::Json | Coerce::Object(_) => {
            ::serde_json::from_str(&raw).unwrap_or(Value::String(raw))
        }
        Coerce::File => Value::String(raw),
    }
}
/// `instance path: message`, naming the field when there is one.
pub(crate) fn schema_error(what: &str, error: &::jsonschema::ValidationError<'_>) -> String {
    let path = error.instance_path().to_string();
    if path.is_empty() {
        format!("Invalid {what}: {error}")
    } else {
        let field = path.trim_start_matches('/').replace('/', ".");
        format!("Invalid field '{field}' in the {what}: {error}")
    }
}
/// `future`'s output, or `None` if it panicked. Not an `async fn`, which would copy `future`
/// into a future of its own and then pin it in another place.
pub(crate) fn catch_unwind<F: ::std::future::Future>(
    future: F,
) -> impl ::std::future::Future<Output = Option<F::Output>> {
    use ::futures_util::FutureExt;
    ::std::panic::AssertUnwindSafe(future)
        .catch_unwind()
        .map(Result::ok)
}
/// `value` as `T`. Plain serde first: path tracking allocates for every key, so it only
/// reruns a failure (rare once the schema passed) to name the field.
pub(crate) fn deserialize<T: ::serde::de::DeserializeOwned>(
    value: &Value,
    kind: RejectionKind,
    what: &str,
) -> Result<T, Rejection> {
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    ::serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = if path == "." {
            format!("Invalid {what}: {}", error.inner())
        } else {
            format!("Invalid field '{path}' in the {what}: {}", error.inner())
        };
        Rejection::new(kind, message)
    })
}
impl<C> Operation<C> {
    /// Compiles the operation's schemas; `components` are the spec's `components.schemas`.
    pub(crate) fn compile(spec: &'static OperationSpec<C>, components: &Value) -> Self {
        Operation {
            spec,
            params: spec
                .params
                .iter()
                .map(|param| (param, ParamCheck::compile(param.schema, components)))
                .collect(),
            body: spec
                .body
                .as_ref()
                .map(|body| validator(body.schema, components)),
            bodies: spec
                .bodies
                .iter()
                .map(|body| validator(body.schema, components))
                .collect(),
            path_strings: !spec.params.is_empty()
                && spec.params.iter().all(|param| {
                    param.required
                        && matches!(
                            (param.location, param.coerce, param.array),
                            (Location::Path(_), Coerce::String, false)
                        )
                }),
        }
    }
    /// The parameters as the typed struct `P`, when each is a plain string in the path: what
    /// the general reading below does for them, without the lists it keeps for other kinds.
    async fn path_string_params<P: ::serde::de::DeserializeOwned>(
        &self,
        parts: &mut Parts,
        captured: Option<Captures>,
    ) -> Result<P, Rejection> {
        let encoded = captured.is_some();
        let mut captures = path_captures(parts, captured).await?;
        let mut fields: Vec<(&'static str, Value)> = Vec::with_capacity(self.params.len());
        for (spec, check) in &self.params {
            let Location::Path(index) = spec.location else {
                unreachable!("`path_strings` holds only path parameters")
            };
            let Some(raw) = captures.get_mut(index).map(std::mem::take) else {
                return Err(Rejection::new(
                    RejectionKind::InvalidParameter,
                    format!("Missing required path parameter '{}'", spec.wire),
                ));
            };
            let text = if encoded {
                decode(&raw).ok_or_else(not_utf8)?
            } else {
                raw
            };
            let value = Value::String(text);
            check.admit(spec, "path", &value)?;
            fields.push((spec.key, value));
        }
        typed_params(fields)
    }

    /// The parameters as the typed struct `P`.
    pub(crate) async fn params<P: ::serde::de::DeserializeOwned>(
        &self,
        parts: &mut Parts,
    ) -> Result<P, Rejection> {
        let params = &self.spec.params;
        let in_path = params
            .iter()
            .any(|param| param.location.capture().is_some());
        let in_query = params.iter().any(|param| {
            matches!(
                param.location,
                Location::Query | Location::QueryDelimited(_) | Location::DeepObject
            )
        });
        let mut cookies = if params
            .iter()
            .any(|param| matches!(param.location, Location::Cookie))
        {
            styles::cookies(&parts.headers)
        } else {
            Vec::new()
        };
        // Each value is moved, not copied, from here into the struct: this runs on every request.
        // Captures of a template that `paths::route` matched stay percent-encoded until read,
        // so that the `label` and `matrix` styles split them at their plain delimiters only.
        let captured = parts.extensions.remove::<Captures>().filter(|_| in_path);
        let encoded = captured.is_some();
        if self.path_strings {
            return self.path_string_params(parts, captured).await;
        }
        let mut path: Vec<Option<String>> = if in_path {
            path_captures(parts, captured)
                .await?
                .into_iter()
                .map(Some)
                .collect()
        } else {
            Vec::new()
        };
        let mut query: Vec<(String, String)> = if in_query {
            ::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect()
        } else {
            Vec::new()
        };
        let mut fields: Vec<(&'static str, Value)> = Vec::with_capacity(params.len());
        for (spec, validator) in &self.params {
            let place = location_word(spec.location);
            let invalid = |what: &str| {
                Rejection::new(
                    RejectionKind::InvalidParameter,
                    format!("Invalid {place} parameter '{}': {what}", spec.wire),
                )
            };
            // An object spread over several query keys: `name[key]=value`, or its properties.
            let gathered = match (spec.location, spec.coerce) {
                (Location::DeepObject, how) => {
                    let fields = match how {
                        Coerce::Object(fields) => fields,
                        _ => &[],
                    };
                    let mut object = Map::new();
                    let mut found = false;
                    for (key, value) in query.iter_mut() {
                        let Some(keys) = styles::deep_keys(spec.wire, key) else {
                            continue;
                        };
                        found = true;
                        if !styles::insert_deep(&mut object, fields, &keys, std::mem::take(value)) {
                            return Err(invalid("its keys contradict each other"));
                        }
                    }
                    Some(found.then_some(Value::Object(object)))
                }
                (Location::Query, Coerce::Object(fields)) => {
                    // The properties are query keys; without declared ones, every key that no
                    // other parameter takes.
                    let mine = |key: &str| {
                        if fields.is_empty() {
                            !params.iter().any(|other| {
                                other.wire == key || styles::deep_keys(other.wire, key).is_some()
                            })
                        } else {
                            fields.iter().any(|field| field.name == key)
                        }
                    };
                    let pairs: Vec<(String, String)> = query
                        .iter_mut()
                        .filter(|(key, _)| mine(key))
                        .map(|(key, value)| (key.clone(), std::mem::take(value)))
                        .collect();
                    Some((!pairs.is_empty()).then(|| styles::from_pairs(pairs, fields)))
                }
                _ => None,
            };
            let raw: Vec<String> = match spec.location {
                _ if gathered.is_some() => Vec::new(),
                Location::DeepObject => Vec::new(),
                Location::Cookie => cookies
                    .iter_mut()
                    .filter(|(key, _)| key == spec.wire)
                    .map(|(_, value)| std::mem::take(value))
                    .collect(),
                Location::Path(index) | Location::PathExploded(index) => {
                    match path.get_mut(index).and_then(Option::take) {
                        Some(raw) if encoded => vec![decode(&raw).ok_or_else(not_utf8)?],
                        other => other.into_iter().collect(),
                    }
                }
                Location::PathLabel(index)
                | Location::PathLabelExploded(index)
                | Location::PathMatrix(index)
                | Location::PathMatrixExploded(index) => path
                    .get_mut(index)
                    .and_then(Option::take)
                    .into_iter()
                    .collect(),
                Location::Query | Location::QueryDelimited(_) => query
                    .iter_mut()
                    .filter(|(key, _)| key == spec.wire)
                    .map(|(_, value)| std::mem::take(value))
                    .collect(),
                Location::Header | Location::HeaderExploded => {
                    let mut values = Vec::new();
                    for value in parts.headers.get_all(spec.wire) {
                        let value = value.to_str().map_err(|_| {
                            Rejection::new(
                                RejectionKind::InvalidParameter,
                                format!(
                                    "Invalid {place} parameter '{}': not visible ASCII",
                                    spec.wire
                                ),
                            )
                        })?;
                        values.push(value.to_owned());
                    }
                    values
                }
            };
            let styled = raw.first().and_then(|text| {
                styles::path_styled(
                    text,
                    spec.location,
                    spec.wire,
                    spec.coerce,
                    spec.array,
                    encoded,
                )
            });
            let value = if let Some(value) = gathered {
                value
            } else if let Some(styled) = styled {
                Some(styled.map_err(|what| invalid(&what))?)
            } else if let Coerce::Object(fields) = spec.coerce {
                let (delimiter, exploded) = match spec.location {
                    Location::QueryDelimited(delimiter) => (delimiter, false),
                    Location::PathExploded(_) | Location::HeaderExploded => (',', true),
                    _ => (',', false),
                };
                match raw.first() {
                    None => None,
                    Some(text) => Some(
                        styles::from_text(text, delimiter, exploded, fields)
                            .ok_or_else(|| invalid("not a list of keys and values"))?,
                    ),
                }
            } else if spec.array {
                if raw.is_empty() {
                    None
                } else {
                    let items: Vec<Value> = match spec.location {
                        Location::Query => raw
                            .into_iter()
                            .map(|item| coerce(item, spec.coerce))
                            .collect(),
                        // An empty text is an empty list (`tags=`), not one empty item.
                        Location::QueryDelimited(delimiter) => raw
                            .iter()
                            .filter(|value| !value.is_empty())
                            .flat_map(|value| value.split(delimiter))
                            .map(|item| coerce(item.to_owned(), spec.coerce))
                            .collect(),
                        _ => raw
                            .iter()
                            .filter(|value| !value.is_empty())
                            .flat_map(|value| value.split(','))
                            .map(|item| coerce(item.to_owned(), spec.coerce))
                            .collect(),
                    };
                    Some(Value::Array(items))
                }
            } else {
                raw.into_iter().next().map(|item| coerce(item, spec.coerce))
            };
            let Some(value) = value else {
                if spec.required {
                    return Err(Rejection::new(
                        RejectionKind::InvalidParameter,
                        format!("Missing required {place} parameter '{}'", spec.wire),
                    ));
                }
                continue;
            };
            validator.admit(spec, place, &value)?;
            fields.push((spec.key, value));
        }
        typed_params(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lengths shortcut answers as the validator does wherever it answers at all, and
    /// takes only schemas that ask for nothing beyond a string's length.
    #[test]
    fn string_lengths_agree_with_the_validator() {
        let components = Value::Object(Map::new());
        let schemas = [
            r#"{"type":"string"}"#,
            r#"{"type":"string","minLength":1}"#,
            r#"{"type":"string","minLength":2,"maxLength":3,"description":"an id"}"#,
            r#"{"type":"string","maxLength":0}"#,
        ];
        let values = [
            Value::String(String::new()),
            Value::String("a".to_owned()),
            Value::String("ab".to_owned()),
            Value::String("abc".to_owned()),
            Value::String("äöü".to_owned()),
            Value::String("äöüß".to_owned()),
            Value::String("😀".to_owned()),
            Value::from(12),
            Value::Null,
        ];
        for schema in schemas {
            let check = ParamCheck::compile(schema, &components);
            assert!(check.lengths.is_some(), "{schema} takes the shortcut");
            for value in &values {
                assert_eq!(
                    check.validate(value).is_ok(),
                    check.validator.validate(value).is_ok(),
                    "{schema} on {value}"
                );
            }
        }
        for schema in [
            r#"{"type":"string","pattern":"^a"}"#,
            r#"{"type":"string","format":"uuid"}"#,
            r#"{"type":"string","enum":["a"]}"#,
            r#"{"type":"integer"}"#,
            r#"{"type":["string","null"]}"#,
            r##"{"$ref":"#/components/schemas/Id"}"##,
            r#"{"type":"string","minLength":-1}"#,
        ] {
            let parsed: Value = ::serde_json::from_str(schema).unwrap();
            assert_eq!(StringLengths::of(&parsed), None, "{schema}");
        }
    }
}
