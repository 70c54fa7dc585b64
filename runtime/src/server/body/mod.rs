//! Reading a request body: choosing its media type, its limit, and what each media type
//! becomes (JSON checked against the schema or parsed straight into its type, forms, text,
//! bytes, multipart bodies read as they arrive).

mod multipart;
mod parts;
mod piece;

use ::axum::body::Body;
use ::axum::http::{HeaderMap, header};
use ::http_body_util::BodyExt;
use ::serde_json::{Map, Value};

use super::request::{
    BodyMedia, BodySpec, Coerce, FormField, Operation, coerce, deserialize, schema_error,
};
use super::{Rejection, RejectionKind, ServerConfig};
use piece::Piece;

/// The JSON object a form body describes: repeated keys of an array field make its items.
fn form_value(bytes: &[u8], fields: &[FormField]) -> Value {
    let mut object = Map::new();
    for (key, value) in ::form_urlencoded::parse(bytes) {
        let field = fields.iter().find(|field| field.name == key);
        let item = coerce(
            value.into_owned(),
            field.map_or(Coerce::String, |field| field.coerce),
        );
        insert(
            &mut object,
            key.into_owned(),
            item,
            field.is_some_and(|f| f.array),
        );
    }
    Value::Object(object)
}

/// Adds a form field or part: an array field's items collect, another field keeps its first.
pub(crate) fn insert(object: &mut Map<String, Value>, key: String, item: Value, array: bool) {
    if array {
        match object
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => items.push(item),
            other => *other = Value::Array(vec![item]),
        }
    } else {
        object.entry(key).or_insert(item);
    }
}

/// The `Content-Type` of a request, `""` when there is none.
fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("(not text)"))
        .unwrap_or_default()
}

/// Which of several bodies a request with `given` as its `Content-Type` sends: a listed media
/// type first, then any JSON type for a JSON body, then a wildcard.
fn choose(bodies: &[BodySpec], given: &str) -> Option<usize> {
    let wild = |spec: &BodySpec| spec.accept.iter().any(|a| a.contains('*'));
    bodies
        .iter()
        .position(|spec| !wild(spec) && accepts(spec.accept, given))
        .or_else(|| {
            bodies
                .iter()
                .position(|spec| spec.media == BodyMedia::Json && is_json(given))
        })
        .or_else(|| {
            bodies
                .iter()
                .position(|spec| wild(spec) && accepts(spec.accept, given))
        })
}

/// Whether the media type `given` (a `Content-Type` value) is one of `accept`.
fn accepts(accept: &[&str], given: &str) -> bool {
    let essence = |text: &str| {
        text.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let given = essence(given);
    let (top, sub) = given.split_once('/').unwrap_or((&given, ""));
    accept.iter().any(|pattern| {
        let pattern = essence(pattern);
        let (p_top, p_sub) = pattern.split_once('/').unwrap_or((&pattern, ""));
        (p_top == "*" || p_top == top) && (p_sub == "*" || p_sub.is_empty() || p_sub == sub)
    })
}

/// How a body may be parsed straight into its type `B`, skipping the JSON value and the
/// schema validator; the generator emits it only where that answers the same.
pub struct Typed<B> {
    /// What the schema asks beyond what serde checks: lengths, bounds, ...
    pub check: fn(&B) -> bool,
    /// Whether a `[` may appear: `B` has lists, and no object below the top.
    pub arrays: bool,
}
impl<B> Typed<B> {
    /// Whether serde's reading of `text` is as strict as the schema: serde reads `null` as
    /// `None` (the schema may forbid null) and a struct from an array.
    /// Both scans run on every such body, so they are memchr's (a byte-window loop took
    /// 1,900 instructions for a 250-byte body).
    fn admits(&self, text: &[u8]) -> bool {
        // Built once: building a finder costs more than a search of a small body.
        static NULL: ::std::sync::LazyLock<::memchr::memmem::Finder<'static>> =
            ::std::sync::LazyLock::new(|| ::memchr::memmem::Finder::new(b"null"));
        if NULL.find(text).is_some() {
            return false;
        }
        if self.arrays {
            text.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
        } else {
            ::memchr::memchr(b'[', text).is_none()
        }
    }
}

/// Whether `content_type` is JSON: `application/json` or `application/*+json`.
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

impl<C> Operation<C> {
    /// The multipart body the request's `Content-Type` names, if it names one, and its
    /// position among several bodies.
    fn multipart_spec(&self, headers: &HeaderMap) -> Option<(Option<usize>, &BodySpec)> {
        // The `Content-Type` only where a multipart body is possible: this runs on every body.
        match self.spec.bodies {
            [] => self
                .spec
                .body
                .as_ref()
                .filter(|spec| {
                    spec.media == BodyMedia::Multipart
                        && accepts(spec.accept, content_type(headers))
                })
                .map(|spec| (None, spec)),
            bodies => choose(bodies, content_type(headers))
                .filter(|index| bodies[*index].media == BodyMedia::Multipart)
                .map(|index| (Some(index), &bodies[index])),
        }
    }

    /// Whether the body the request's `Content-Type` names is text or bytes, whose value may be
    /// empty (JSON, forms and multipart bodies may not).
    fn may_be_empty(&self, headers: &HeaderMap) -> bool {
        if headers.get(header::CONTENT_TYPE).is_none() {
            return false;
        }
        let given = content_type(headers);
        let spec = match self.spec.bodies {
            [] => self.spec.body.as_ref(),
            bodies => choose(bodies, given).map(|index| &bodies[index]),
        };
        spec.is_some_and(|spec| {
            matches!(
                spec.media,
                BodyMedia::Text | BodyMedia::Bytes | BodyMedia::Media
            ) && accepts(spec.accept, given)
        })
    }
    /// The body as the typed `B`; `None` for an empty body, unless `required` and its
    /// `Content-Type` names text or bytes, which may be empty. With `typed`, a body that
    /// passes it skips the JSON value; any other takes the validator's path.
    pub(crate) async fn body<B: ::serde::de::DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: Body,
        config: &ServerConfig,
        typed: Option<Typed<B>>,
        required: bool,
    ) -> Result<Option<B>, Rejection> {
        let limit = config.body_limit;
        let too_large = || {
            Rejection::new(
                RejectionKind::BodyTooLarge,
                format!("Request limit exceeded: the body is longer than {limit} bytes."),
            )
        };
        let announced = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        // A multipart body is read as it arrives: its files may be longer than memory should hold.
        if let Some((index, spec)) = self.multipart_spec(headers) {
            let validator = match index {
                Some(index) => self.bodies.get(index),
                None => self.body.as_ref(),
            };
            // Boxed: its future is three times the size of the rest of this one, which every
            // request would otherwise carry (and copy) whatever its media type.
            let read = Box::pin(multipart::read(
                body,
                content_type(headers),
                spec,
                validator,
                config,
            ))
            .await?;
            return match (read, index) {
                (None, _) => Ok(None),
                (Some(piece), None) => read_piece(piece).map(Some),
                (Some(piece), Some(index)) => {
                    read_piece(Piece::Variant(index as u32, Box::new(piece))).map(Some)
                }
            };
        }
        let bytes = match ::http_body_util::Limited::new(body, limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(error) => {
                if error.is::<::http_body_util::LengthLimitError>() {
                    return Err(too_large());
                }
                return Err(Rejection::new(
                    RejectionKind::MalformedBody,
                    "The request body could not be read.",
                ));
            }
        };
        // An empty body is no body, whatever its Content-Type (clients label even those); but
        // where a body is required, an empty text or byte string is a value like any other.
        if bytes.is_empty() && !(required && self.may_be_empty(headers)) {
            return Ok(None);
        }
        if !self.spec.bodies.is_empty() {
            let given = content_type(headers);
            let Some(index) = choose(self.spec.bodies, given) else {
                let accepted: Vec<&str> = self
                    .spec
                    .bodies
                    .iter()
                    .flat_map(|spec| spec.accept.iter().copied())
                    .collect();
                return Err(Rejection::new(
                    RejectionKind::UnsupportedMediaType,
                    format!(
                        "The Content-Type must be {}, found '{given}'.",
                        accepted.join(" or ")
                    ),
                ));
            };
            let piece = self.piece(
                &self.spec.bodies[index],
                self.bodies.get(index),
                given,
                bytes.to_vec(),
            )?;
            return read_piece(Piece::Variant(index as u32, Box::new(piece))).map(Some);
        }
        if let Some(spec) = self
            .spec
            .body
            .as_ref()
            .filter(|spec| spec.media != BodyMedia::Json)
        {
            let given = content_type(headers);
            if !accepts(spec.accept, given) {
                return Err(Rejection::new(
                    RejectionKind::UnsupportedMediaType,
                    format!(
                        "The Content-Type must be {}, found '{given}'.",
                        spec.accept.join(" or ")
                    ),
                ));
            }
            let read = match spec.media {
                BodyMedia::Media => {
                    let piece = self.piece(spec, self.body.as_ref(), given, bytes.to_vec())?;
                    return read_piece(piece).map(Some);
                }
                BodyMedia::Form => {
                    let value = form_value(&bytes, spec.form);
                    return self.checked(value).map(Some);
                }
                BodyMedia::Text => {
                    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                        Rejection::new(
                            RejectionKind::MalformedBody,
                            "The request body is not UTF-8 text.",
                        )
                    })?;
                    B::deserialize(::serde::de::value::StringDeserializer::<
                        ::serde::de::value::Error,
                    >::new(text))
                }
                _ => B::deserialize(::serde::de::value::SeqDeserializer::<
                    _,
                    ::serde::de::value::Error,
                >::new(bytes.iter().copied())),
            };
            // The generated code pairs the media and the body type, so a failure is a bug there.
            return read.map(Some).map_err(|error| {
                Rejection::new(
                    RejectionKind::MalformedBody,
                    format!("The request body could not be read: {error}"),
                )
            });
        }
        match headers.get(header::CONTENT_TYPE) {
            None => {
                return Err(Rejection::new(
                    RejectionKind::UnsupportedMediaType,
                    "The request has a body but no Content-Type; send application/json.",
                ));
            }
            Some(value) => match value.to_str() {
                Ok(value) if is_json(value) => {}
                other => {
                    let found = other.unwrap_or("(not text)");
                    return Err(Rejection::new(
                        RejectionKind::UnsupportedMediaType,
                        format!("The Content-Type must be application/json, found '{found}'."),
                    ));
                }
            },
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
        let value: Value = ::serde_json::from_slice(&bytes).map_err(|error| {
            Rejection::new(
                RejectionKind::MalformedBody,
                format!("The request body is not valid JSON: {error}"),
            )
        })?;
        if let Some(Err(error)) = self.body.as_ref().map(|v| v.validate(&value)) {
            return Err(Rejection::new(
                RejectionKind::InvalidBody,
                schema_error("request body", &error),
            ));
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

/// Whether `value` passes the body schema's `validator`.
fn check(validator: Option<&::jsonschema::Validator>, value: &Value) -> Result<(), Rejection> {
    match validator.map(|v| v.validate(value)) {
        Some(Err(error)) => Err(Rejection::new(
            RejectionKind::InvalidBody,
            schema_error("request body", &error),
        )),
        _ => Ok(()),
    }
}

/// A body type read from what the runtime made of the body.
fn read_piece<B: ::serde::de::DeserializeOwned>(piece: Piece) -> Result<B, Rejection> {
    // The generated code pairs the media and the body type, and the schema passed, so a
    // failure is rare (a value serde reads more strictly than the schema).
    B::deserialize(piece).map_err(|error| {
        Rejection::new(
            RejectionKind::InvalidBody,
            format!("Invalid request body: {error}"),
        )
    })
}

impl<C> Operation<C> {
    /// What the body `bytes`, sent as `given`, is for `spec` (whose schema `validator` has
    /// compiled): checked against the schema where it is JSON, a form or multipart.
    fn piece(
        &self,
        spec: &BodySpec,
        validator: Option<&::jsonschema::Validator>,
        given: &str,
        bytes: Vec<u8>,
    ) -> Result<Piece, Rejection> {
        let check = |value: &Value| check(validator, value);
        match spec.media {
            BodyMedia::Json => {
                let value: Value = ::serde_json::from_slice(&bytes).map_err(|error| {
                    Rejection::new(
                        RejectionKind::MalformedBody,
                        format!("The request body is not valid JSON: {error}"),
                    )
                })?;
                check(&value)?;
                Ok(Piece::Json(value))
            }
            BodyMedia::Form => {
                let value = form_value(&bytes, spec.form);
                check(&value)?;
                Ok(Piece::Json(value))
            }
            BodyMedia::Text => String::from_utf8(bytes).map(Piece::Text).map_err(|_| {
                Rejection::new(
                    RejectionKind::MalformedBody,
                    "The request body is not UTF-8 text.",
                )
            }),
            BodyMedia::Bytes => Ok(Piece::Bytes(bytes)),
            BodyMedia::Media => {
                let media_type = if given.is_empty() {
                    "application/octet-stream"
                } else {
                    given
                };
                Ok(Piece::media(media_type.to_owned(), bytes))
            }
            BodyMedia::Multipart => unreachable!("a multipart body is read as it arrives"),
        }
    }

    /// `value` checked against the body schema, as `B`.
    fn checked<B: ::serde::de::DeserializeOwned>(&self, value: Value) -> Result<B, Rejection> {
        if let Some(Err(error)) = self.body.as_ref().map(|v| v.validate(&value)) {
            return Err(Rejection::new(
                RejectionKind::InvalidBody,
                schema_error("request body", &error),
            ));
        }
        deserialize(&value, RejectionKind::InvalidBody, "request body")
    }
}
