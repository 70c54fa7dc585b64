use std::sync::Arc;
use ::axum::extract::{Request, State};
use ::axum::response::{IntoResponse, Response};

/// Why the router answered a request itself, without calling the implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// The request carries no credential, or an empty one (401).
    MissingCredential,
    /// `Api::authenticate` refused the credential (401).
    InvalidCredential,
    /// A path, query or header parameter is missing or does not match its schema (400).
    InvalidParameter,
    /// The body's `Content-Type` is not JSON, or is missing on a body (400).
    UnsupportedMediaType,
    /// The body is longer than `ServerConfig::body_limit` (400); it is not read past the limit.
    BodyTooLarge,
    /// The body is missing or is not JSON (400).
    MalformedBody,
    /// The body is JSON but does not match the schema: a missing field, a wrong type, a value
    /// outside the enum, ... (400).
    InvalidBody,
    /// No path of the spec matches (404).
    NotFound,
    /// The path exists, but not with this method (405, with `Allow`).
    MethodNotAllowed,
    /// The implementation panicked (500); the panic message is not sent.
    Panic,
}

impl RejectionKind {
    /// The status the router answers with.
    pub fn status(self) -> ::axum::http::StatusCode {
        use ::axum::http::StatusCode;
        match self {
            Self::MissingCredential | Self::InvalidCredential => StatusCode::UNAUTHORIZED,
            Self::InvalidParameter
            | Self::UnsupportedMediaType
            | Self::BodyTooLarge
            | Self::MalformedBody
            | Self::InvalidBody => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Panic => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A request the router refused, with a message for the client that names what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    kind: RejectionKind,
    message: String,
}

impl Rejection {
    /// Longest message kept, in bytes; a message quotes client input, which can be long.
    pub const MAX_MESSAGE: usize = 512;
    /// A rejection of `kind`; `message` is cut to [`Self::MAX_MESSAGE`].
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.len() > Self::MAX_MESSAGE {
            let mut end = Self::MAX_MESSAGE;
            while !message.is_char_boundary(end) {
                end -= 1;
            }
            message.truncate(end);
            message.push_str("...");
        }
        Rejection { kind, message }
    }
    /// Why the request was refused.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }
    /// The status the router answers with.
    pub fn status(&self) -> ::axum::http::StatusCode {
        self.kind.status()
    }
    /// What was wrong, for the client.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl ::std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{} {}", self.status().as_u16(), self.message)
    }
}

/// How the router treats requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Longest request body accepted, in bytes (default 1 MiB). A longer body is refused with
    /// 400 as soon as `Content-Length` announces it or the limit is reached while reading.
    pub body_limit: usize,
    /// Whether a body may be parsed straight into its type (default on). The generator allows
    /// that only for bodies where it answers as the JSON Schema validator would, and only for
    /// texts without `null`; off, every body is parsed into a JSON value and validated first.
    pub typed_bodies: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
            typed_bodies: true,
        }
    }
}

impl ServerConfig {
    /// Sets [`Self::body_limit`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
    /// Sets [`Self::typed_bodies`].
    pub fn typed_bodies(mut self, on: bool) -> Self {
        self.typed_bodies = on;
        self
    }
}

/// What the generated handlers share; the same for every API, so an API may leave some unused.
#[allow(dead_code)]
mod runtime {
    use super::{Rejection, RejectionKind, ServerConfig};
    use ::axum::body::Body;
    use ::axum::extract::{FromRequestParts, RawPathParams};
    use ::axum::http::request::Parts;
    use ::axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
    use ::axum::response::{IntoResponse, Response};
    use ::http_body_util::BodyExt;
    use ::serde_json::{Map, Value};
    pub(super) fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
    pub(super) fn json<B: ::serde::Serialize>(
        status: StatusCode,
        content_type: &'static str,
        body: &B,
    ) -> Response {
        match ::serde_json::to_vec(body) {
            Ok(bytes) => {
                (
                    status,
                    [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
                    bytes,
                )
                    .into_response()
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
    pub(super) fn text(
        status: StatusCode,
        content_type: &'static str,
        body: &str,
    ) -> Response {
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body.to_owned(),
        )
            .into_response()
    }
    /// Sets a header; a value that is not a valid header value is left out.
    pub(super) fn set_header(
        response: &mut Response,
        name: &'static str,
        value: Option<String>,
    ) {
        if let Some(value) = value.and_then(|v| HeaderValue::try_from(v).ok()) {
            response.headers_mut().insert(HeaderName::from_static(name), value);
        }
    }
    fn non_empty(value: &str) -> Option<String> {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }
    pub(super) fn header_credential(headers: &HeaderMap, name: &str) -> Option<String> {
        headers.get(name)?.to_str().ok().and_then(non_empty)
    }
    pub(super) fn query_credential(query: Option<&str>, name: &str) -> Option<String> {
        ::form_urlencoded::parse(query?.as_bytes())
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| non_empty(&value))
    }
    pub(super) fn cookie_credential(headers: &HeaderMap, name: &str) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| key.trim() == name)
            .and_then(|(_, value)| non_empty(value))
    }
    pub(super) fn authorization_credential(
        headers: &HeaderMap,
        scheme: &str,
    ) -> Option<String> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
        let (given, secret) = value.split_once(' ')?;
        given.eq_ignore_ascii_case(scheme).then(|| non_empty(secret)).flatten()
    }
    #[derive(Clone, Copy)]
    pub(super) enum Coerce {
        String,
        Integer,
        Number,
        Boolean,
        Json,
    }
    #[derive(Clone, Copy)]
    pub(super) enum Location {
        Path(usize),
        Query,
        Header,
    }
    pub(super) struct ParamSpec {
        pub(super) wire: &'static str,
        pub(super) key: &'static str,
        pub(super) location: Location,
        pub(super) required: bool,
        pub(super) coerce: Coerce,
        pub(super) array: bool,
        pub(super) schema: &'static str,
    }
    pub(super) struct BodySpec {
        pub(super) schema: &'static str,
    }
    pub(super) struct OperationSpec {
        pub(super) params: &'static [ParamSpec],
        pub(super) body: Option<BodySpec>,
    }
    /// How a body may be parsed straight into its type `B`, skipping the JSON value and the
    /// schema validator; the generator emits it only where that answers the same.
    pub(super) struct Typed<B> {
        /// What the schema asks beyond what serde checks: lengths, bounds, ...
        pub(super) check: fn(&B) -> bool,
        /// Whether a `[` may appear: `B` has lists, and no object below the top.
        pub(super) arrays: bool,
    }
    impl<B> Typed<B> {
        /// Whether serde's reading of `text` is as strict as the schema: serde reads `null` as
        /// `None` (the schema may forbid null) and a struct from an array.
        fn admits(&self, text: &[u8]) -> bool {
            if text.windows(4).any(|window| window == b"null") {
                return false;
            }
            if self.arrays {
                text.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
            } else {
                !text.contains(&b'[')
            }
        }
    }
    /// Whether `text` has at least `n` characters (code points, as JSON Schema counts).
    pub(super) fn chars_at_least(text: &str, n: usize) -> bool {
        // A character takes one to four bytes.
        text.len() >= n && (text.len() / 4 >= n || text.chars().count() >= n)
    }
    /// Whether `text` has at most `n` characters.
    pub(super) fn chars_at_most(text: &str, n: usize) -> bool {
        text.len() <= n || text.chars().count() <= n
    }
    /// An operation's checks, with its schemas compiled.
    pub(super) struct Operation {
        params: Vec<(&'static ParamSpec, ::jsonschema::Validator)>,
        body: Option<::jsonschema::Validator>,
    }
    fn validator(schema: &str, components: &Value) -> ::jsonschema::Validator {
        let mut schema: Value = ::serde_json::from_str(schema)
            .expect("the generated schemas are JSON");
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
            Location::Path(_) => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
    fn coerce(raw: &str, how: Coerce) -> Value {
        let text = || Value::String(raw.to_owned());
        match how {
            Coerce::String => text(),
            Coerce::Integer => {
                raw.parse::<i64>()
                    .map(Value::from)
                    .or_else(|_| raw.parse::<u64>().map(Value::from))
                    .unwrap_or_else(|_| text())
            }
            Coerce::Number => {
                raw.parse::<f64>()
                    .ok()
                    .and_then(::serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or_else(text)
            }
            Coerce::Boolean => {
                match raw {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => text(),
                }
            }
            Coerce::Json => ::serde_json::from_str(raw).unwrap_or_else(|_| text()),
        }
    }
    /// `instance path: message`, naming the field when there is one.
    fn schema_error(what: &str, error: &::jsonschema::ValidationError<'_>) -> String {
        let path = error.instance_path().to_string();
        if path.is_empty() {
            format!("Invalid {what}: {error}")
        } else {
            let field = path.trim_start_matches('/').replace('/', ".");
            format!("Invalid field '{field}' in the {what}: {error}")
        }
    }
    /// `future`'s output, or `None` if it panicked.
    pub(super) async fn catch_unwind<F: ::std::future::Future>(
        future: F,
    ) -> Option<F::Output> {
        let mut future = ::std::pin::pin!(future);
        ::std::future::poll_fn(move |cx| {
                let poll = ::std::panic::AssertUnwindSafe(|| ::std::future::Future::poll(
                    future.as_mut(),
                    cx,
                ));
                match ::std::panic::catch_unwind(poll) {
                    Ok(poll) => poll.map(Some),
                    Err(_) => ::std::task::Poll::Ready(None),
                }
            })
            .await
    }
    /// `value` as `T`. Plain serde first: path tracking allocates for every key, so it only
    /// reruns a failure (rare once the schema passed) to name the field.
    fn deserialize<T: ::serde::de::DeserializeOwned>(
        value: &Value,
        kind: RejectionKind,
        what: &str,
    ) -> Result<T, Rejection> {
        if let Ok(typed) = T::deserialize(value) {
            return Ok(typed);
        }
        ::serde_path_to_error::deserialize(value)
            .map_err(|error| {
                let path = error.path().to_string();
                let message = if path == "." {
                    format!("Invalid {what}: {}", error.inner())
                } else {
                    format!("Invalid field '{path}' in the {what}: {}", error.inner())
                };
                Rejection::new(kind, message)
            })
    }
    fn is_json(content_type: &str) -> bool {
        // Compared without allocating: this runs on every request with a body.
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .as_bytes();
        essence.eq_ignore_ascii_case(b"application/json")
            || (essence.len() >= "application/+json".len()
                && essence[..12].eq_ignore_ascii_case(b"application/")
                && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json"))
    }
    impl Operation {
        pub(super) fn compile(spec: &'static OperationSpec, components: &Value) -> Self {
            Operation {
                params: spec
                    .params
                    .iter()
                    .map(|param| (param, validator(param.schema, components)))
                    .collect(),
                body: spec.body.as_ref().map(|body| validator(body.schema, components)),
            }
        }
        /// The parameters as the typed struct `P`.
        pub(super) async fn params<P: ::serde::de::DeserializeOwned>(
            &self,
            parts: &mut Parts,
            has_path: bool,
        ) -> Result<P, Rejection> {
            let path: Vec<String> = if has_path {
                RawPathParams::from_request_parts(parts, &())
                    .await
                    .map_err(|_| {
                        Rejection::new(
                            RejectionKind::InvalidParameter,
                            "A path parameter is not valid UTF-8 once percent-decoded.",
                        )
                    })?
                    .iter()
                    .map(|(_, value)| value.to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            let query: Vec<(String, String)> = ::form_urlencoded::parse(
                    parts.uri.query().unwrap_or_default().as_bytes(),
                )
                .into_owned()
                .collect();
            let mut object = Map::new();
            for (spec, validator) in &self.params {
                let place = location_word(spec.location);
                let raw: Vec<String> = match spec.location {
                    Location::Path(index) => {
                        path.get(index).cloned().into_iter().collect()
                    }
                    Location::Query => {
                        query
                            .iter()
                            .filter(|(key, _)| key == spec.wire)
                            .map(|(_, value)| value.clone())
                            .collect()
                    }
                    Location::Header => {
                        let mut values = Vec::new();
                        for value in parts.headers.get_all(spec.wire) {
                            let value = value
                                .to_str()
                                .map_err(|_| {
                                    Rejection::new(
                                        RejectionKind::InvalidParameter,
                                        format!(
                                            "Invalid {place} parameter '{}': not visible ASCII", spec
                                            .wire
                                        ),
                                    )
                                })?;
                            values.push(value.to_owned());
                        }
                        values
                    }
                };
                if raw.is_empty() {
                    if spec.required {
                        return Err(
                            Rejection::new(
                                RejectionKind::InvalidParameter,
                                format!(
                                    "Missing required {place} parameter '{}'", spec.wire
                                ),
                            ),
                        );
                    }
                    continue;
                }
                let value = if spec.array {
                    let items: Vec<&str> = match spec.location {
                        Location::Query => raw.iter().map(String::as_str).collect(),
                        _ => raw.iter().flat_map(|value| value.split(',')).collect(),
                    };
                    Value::Array(
                        items.into_iter().map(|item| coerce(item, spec.coerce)).collect(),
                    )
                } else {
                    coerce(&raw[0], spec.coerce)
                };
                if let Err(error) = validator.validate(&value) {
                    return Err(
                        Rejection::new(
                            RejectionKind::InvalidParameter,
                            format!("Invalid {place} parameter '{}': {error}", spec.wire),
                        ),
                    );
                }
                object.insert(spec.key.to_owned(), value);
            }
            deserialize(
                &Value::Object(object),
                RejectionKind::InvalidParameter,
                "parameters",
            )
        }
        /// The body as the typed `B`; `None` for an empty body. With `typed`, a body that
        /// passes it skips the JSON value; any other takes the validator's path.
        pub(super) async fn body<B: ::serde::de::DeserializeOwned>(
            &self,
            headers: &HeaderMap,
            body: Body,
            config: &ServerConfig,
            typed: Option<Typed<B>>,
        ) -> Result<Option<B>, Rejection> {
            let limit = config.body_limit;
            let too_large = || {
                Rejection::new(
                    RejectionKind::BodyTooLarge,
                    format!(
                        "Request limit exceeded: the body is longer than {limit} bytes."
                    ),
                )
            };
            let announced = headers
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if announced.is_some_and(|length| length > limit as u64) {
                return Err(too_large());
            }
            let bytes = match ::http_body_util::Limited::new(body, limit).collect().await
            {
                Ok(collected) => collected.to_bytes(),
                Err(error) => {
                    if error.is::<::http_body_util::LengthLimitError>() {
                        return Err(too_large());
                    }
                    return Err(
                        Rejection::new(
                            RejectionKind::MalformedBody,
                            "The request body could not be read.",
                        ),
                    );
                }
            };
            // An empty body is no body, whatever its Content-Type (clients label even those).
            if bytes.is_empty() {
                return Ok(None);
            }
            match headers.get(header::CONTENT_TYPE) {
                None => {
                    return Err(
                        Rejection::new(
                            RejectionKind::UnsupportedMediaType,
                            "The request has a body but no Content-Type; send application/json.",
                        ),
                    );
                }
                Some(value) => {
                    match value.to_str() {
                        Ok(value) if is_json(value) => {}
                        other => {
                            let found = other.unwrap_or("(not text)");
                            return Err(
                                Rejection::new(
                                    RejectionKind::UnsupportedMediaType,
                                    format!(
                                        "The Content-Type must be application/json, found '{found}'."
                                    ),
                                ),
                            );
                        }
                    }
                }
            }
            let fast = typed
                .filter(|typed| config.typed_bodies && typed.admits(&bytes))
                .and_then(|typed| {
                    ::serde_json::from_slice::<B>(&bytes)
                        .ok()
                        .filter(|value| (typed.check)(value))
                });
            if fast.is_some() {
                return Ok(fast);
            }
            let value: Value = ::serde_json::from_slice(&bytes)
                .map_err(|error| {
                    Rejection::new(
                        RejectionKind::MalformedBody,
                        format!("The request body is not valid JSON: {error}"),
                    )
                })?;
            if let Some(Err(error)) = self.body.as_ref().map(|v| v.validate(&value)) {
                return Err(
                    Rejection::new(
                        RejectionKind::InvalidBody,
                        schema_error("request body", &error),
                    ),
                );
            }
            // Owned, so the strings move rather than being copied; a failure is rerun on a fresh
            // parse of the same bytes, to name the field.
            if let Ok(typed) = B::deserialize(value) {
                return Ok(Some(typed));
            }
            let value: Value = ::serde_json::from_slice(&bytes).unwrap_or_default();
            deserialize(&value, RejectionKind::InvalidBody, "request body").map(Some)
        }
    }
}
