//! The client's runtime: what every generated `client.rs` shares. A generated client holds only
//! what differs between operations (the method, the path's pieces, which parameter goes where,
//! how each status decodes); building the URL, serialising parameters, attaching credentials,
//! sending and decoding live here once.

use std::fmt;

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use reqwest;

mod multipart;
mod styles;
pub use multipart::{FileField, Multipart};
pub use styles::{path_label, path_matrix};

/// What went wrong with a call.
#[derive(Debug)]
pub enum Error {
    /// The request could not be built: a parameter or credential cannot be written as text, a
    /// body cannot be serialised, or the URL is not valid.
    Request(String),
    /// Sending the request or reading the answer failed (connection, TLS, timeout, ...).
    Transport(reqwest::Error),
    /// The server answered with a status the operation does not document.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The answer's headers.
        headers: HeaderMap,
        /// The answer's body, as received.
        body: Vec<u8>,
    },
    /// The answer has a documented status but its body or a header does not match the spec.
    Decode {
        /// The status.
        status: StatusCode,
        /// Where in the body it failed, as a JSON path (`.software_config.inputs[0].name`);
        /// for a header, its name.
        path: String,
        /// What did not match.
        message: String,
        /// The answer's body, as received.
        body: Vec<u8>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request(message) => write!(f, "cannot build the request: {message}"),
            Error::Transport(err) => write!(f, "the request failed: {err}"),
            Error::UnexpectedStatus { status, .. } => {
                write!(
                    f,
                    "the server answered with an undocumented status {status}"
                )
            }
            Error::Decode {
                status,
                path,
                message,
                ..
            } => write!(
                f,
                "the {status} answer does not match the spec at `{path}`: {message}"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(err) => Some(err),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Transport(err)
    }
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In the named header.
    Header(&'static str),
    /// In the named query parameter.
    Query(&'static str),
    /// In the named cookie.
    Cookie(&'static str),
    /// `Authorization: <scheme> <credential>`.
    Authorization(&'static str),
}

/// A credential for one security scheme: its key in the spec, where it goes, and its value.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's key in `components.securitySchemes`.
    pub scheme: &'static str,
    /// Where it is sent.
    pub place: Place,
    /// The secret.
    pub value: String,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential({}: <redacted>)", self.scheme)
    }
}

/// The connection a generated client wraps: a `reqwest::Client`, the base URL and the
/// credentials set once.
#[derive(Debug, Clone)]
pub struct Connection {
    http: reqwest::Client,
    base: String,
    credentials: Vec<Credential>,
}

/// What a path is made of: text from the template, and parameter values, which are
/// percent-encoded as one segment each.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// Text of the path template, sent as written.
    Literal(&'a str),
    /// A path parameter's value.
    Value(&'a str),
    /// A path parameter's value inside a segment with literal text (`{name}.{ext}`): the
    /// ASCII characters of `separators` (the first character of each literal after a capture
    /// in the segment) are percent-encoded too, so that the server, which ends a capture where
    /// the literal after it first occurs, reads the value back whole.
    Within(&'a str, &'a str),
    /// A path parameter's text already percent-encoded, sent as it is: the `label` and
    /// `matrix` styles ([`path_label`], [`path_matrix`]), whose delimiters must stay plain.
    Encoded(&'a str),
}

/// Characters a path segment cannot carry as they are (RFC 3986 `pchar` complement, plus `%`).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// One request being assembled by a generated method.
#[derive(Debug)]
pub struct Call {
    method: Method,
    url: String,
    /// `application/x-www-form-urlencoded` pairs, without the `?`.
    query: String,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl Connection {
    /// A connection to `base_url` (everything before the spec's paths, e.g.
    /// `https://rts.example.com`; a trailing `/` is dropped) through `http`.
    pub fn new(http: reqwest::Client, base_url: &str) -> Self {
        Connection {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            credentials: Vec::new(),
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The `reqwest::Client` requests go through.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sets the credential of its scheme, replacing one set before.
    pub fn set_credential(&mut self, credential: Credential) {
        self.credentials.retain(|c| c.scheme != credential.scheme);
        self.credentials.push(credential);
    }

    /// Starts a call: `method` on the path made of `pieces`.
    pub fn call(&self, method: Method, pieces: &[Piece<'_>]) -> Call {
        let mut url = self.base.clone();
        for piece in pieces {
            match piece {
                Piece::Literal(text) | Piece::Encoded(text) => url.push_str(text),
                Piece::Value(value) => url.extend(utf8_percent_encode(value, SEGMENT)),
                Piece::Within(value, separators) => {
                    let mut buffer = [0; 4];
                    for c in value.chars() {
                        if c.is_ascii() && separators.contains(c) {
                            url.push_str(&format!("%{:02X}", c as u32));
                        } else {
                            url.extend(utf8_percent_encode(c.encode_utf8(&mut buffer), SEGMENT));
                        }
                    }
                }
            }
        }
        Call {
            method,
            url,
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Attaches the credentials of the first of the operation's security requirements (each
    /// a list of schemes that must all be sent together) whose every scheme has a credential
    /// set; none when no requirement is met, and the server decides.
    pub fn authorize(&self, call: &mut Call, requirements: &[&[&str]]) -> Result<(), Error> {
        let credential = |scheme: &str| self.credentials.iter().find(|c| c.scheme == scheme);
        let Some(requirement) = requirements
            .iter()
            .find(|schemes| !schemes.is_empty() && schemes.iter().all(|s| credential(s).is_some()))
        else {
            return Ok(());
        };
        for credential in requirement.iter().filter_map(|scheme| credential(scheme)) {
            match credential.place {
                Place::Header(name) => call.header_text(name, &credential.value, true)?,
                Place::Query(name) => call.query_text(name, &credential.value),
                Place::Cookie(name) => {
                    // Two cookie schemes of one requirement, and cookie parameters, share the
                    // header.
                    let pair = format!("{name}={}", credential.value);
                    let cookie = match call.headers.get(http::header::COOKIE) {
                        Some(before) => format!("{}; {pair}", before.to_str().unwrap_or_default()),
                        None => pair,
                    };
                    call.header_text("cookie", &cookie, true)?;
                }
                Place::Authorization(scheme) => call.header_text(
                    "authorization",
                    &format!("{scheme} {}", credential.value),
                    true,
                )?,
            }
        }
        Ok(())
    }

    /// Sends the call and reads the whole answer.
    pub async fn send(&self, call: Call) -> Result<Answer, Error> {
        let mut url = call.url;
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&call.query);
        }
        let mut request = self.http.request(call.method, url).headers(call.headers);
        if let Some(body) = call.body {
            request = request.body(body);
        }
        let mut response = request.send().await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

impl Call {
    /// Adds a query parameter; a list repeats the name (`form` style, exploded), `None` adds
    /// nothing.
    /// An object sends each property as its own key (`form` style, exploded), a list property
    /// repeated.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        match to_value(name, value)? {
            serde_json::Value::Object(properties) => {
                for (key, property) in properties {
                    for text in texts(&key, &property)? {
                        self.query_text(&key, &text);
                    }
                }
            }
            value => {
                for text in texts(name, &value)? {
                    self.query_text(name, &text);
                }
            }
        }
        Ok(())
    }

    /// Adds a query parameter in `deepObject` style: `name[key]=value`, nested objects as
    /// `name[key][inner]=value`, list properties repeated; what is no object is sent as by
    /// [`Call::query`].
    pub fn query_deep<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        match to_value(name, value)? {
            serde_json::Value::Object(properties) => self.query_deep_object(name, properties),
            other => self.query(name, &other),
        }
    }

    fn query_deep_object(
        &mut self,
        prefix: &str,
        properties: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Error> {
        for (key, property) in properties {
            let key = format!("{prefix}[{key}]");
            match property {
                serde_json::Value::Object(inner) => self.query_deep_object(&key, inner)?,
                other => {
                    for text in texts(&key, &other)? {
                        self.query_text(&key, &text);
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a query parameter described by `content` JSON: its JSON text; `None` adds
    /// nothing.
    pub fn query_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        if let Some(text) = json_text(name, value)? {
            self.query_text(name, &text);
        }
        Ok(())
    }

    /// Adds a query parameter whose list is sent as one value, its items joined by `delimiter`
    /// (`form` style unexploded, `spaceDelimited`, `pipeDelimited`); `None` or an empty list adds
    /// nothing.
    pub fn query_joined<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        delimiter: &str,
        value: &T,
    ) -> Result<(), Error> {
        let texts = param_texts(name, value, false)?;
        if !texts.is_empty() {
            self.query_text(name, &texts.join(delimiter));
        }
        Ok(())
    }

    fn query_text(&mut self, name: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query
            .extend(form_urlencoded::byte_serialize(name.as_bytes()));
        self.query.push('=');
        self.query
            .extend(form_urlencoded::byte_serialize(value.as_bytes()));
    }

    /// Adds a header parameter; a list is sent comma-separated (`simple` style), `None` adds
    /// nothing.
    /// An object is sent `k1,v1,k2,v2`.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let texts = param_texts(name, value, false)?;
        if texts.is_empty() {
            return Ok(());
        }
        self.header_text(name, &texts.join(","), false)
    }

    /// Adds a header parameter in `simple` style, exploded: an object is sent `k1=v1,k2=v2`,
    /// anything else as by [`Call::header`].
    pub fn header_exploded<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let texts = param_texts(name, value, true)?;
        if texts.is_empty() {
            return Ok(());
        }
        self.header_text(name, &texts.join(","), false)
    }

    /// Adds a header parameter described by `content` JSON: its JSON text; `None` adds
    /// nothing.
    pub fn header_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        match json_text(name, value)? {
            Some(text) => self.header_text(name, &text, false),
            None => Ok(()),
        }
    }

    /// Adds a cookie parameter to the `Cookie` header: a list comma-separated, an object
    /// `k1,v1,k2,v2`, each item percent-encoded where a cookie cannot carry it; `None` adds
    /// nothing.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let texts = param_texts(name, value, false)?;
        if texts.is_empty() {
            return Ok(());
        }
        let encoded: Vec<String> = texts
            .iter()
            .map(|text| utf8_percent_encode(text, COOKIE).to_string())
            .collect();
        self.cookie_text(name, &encoded.join(","))
    }

    /// Adds a cookie parameter described by `content` JSON: its JSON text, percent-encoded
    /// where a cookie cannot carry it.
    pub fn cookie_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        match json_text(name, value)? {
            Some(text) => self.cookie_text(name, &utf8_percent_encode(&text, COOKIE).to_string()),
            None => Ok(()),
        }
    }

    /// Adds `name=value` to the `Cookie` header, after the pairs already there.
    fn cookie_text(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let pair = format!("{name}={value}");
        let cookie = match self.headers.get(http::header::COOKIE) {
            Some(before) => format!("{}; {pair}", before.to_str().unwrap_or_default()),
            None => pair,
        };
        let sensitive = self
            .headers
            .get(http::header::COOKIE)
            .is_some_and(HeaderValue::is_sensitive);
        self.header_text("cookie", &cookie, sensitive)
    }

    fn header_text(&mut self, name: &str, value: &str, sensitive: bool) -> Result<(), Error> {
        let name = http::HeaderName::try_from(name)
            .map_err(|_| Error::Request(format!("{name:?} is not a header name")))?;
        let mut value = HeaderValue::try_from(value).map_err(|_| {
            Error::Request(format!(
                "the value of header `{name}` is not valid in a header"
            ))
        })?;
        // Credentials stay out of `Debug` output and HTTP/2 header compression.
        value.set_sensitive(sensitive);
        self.headers.insert(name, value);
        Ok(())
    }

    /// Sets a constant header such as `Accept`.
    pub fn fixed_header(&mut self, name: http::HeaderName, value: &'static str) {
        self.headers.insert(name, HeaderValue::from_static(value));
    }

    /// Sets a JSON body with `content_type`.
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|err| Error::Request(format!("the body cannot be serialised: {err}")))?;
        self.fixed_header(http::header::CONTENT_TYPE, content_type);
        self.body = Some(bytes);
        Ok(())
    }

    /// Sets a text body with `content_type`.
    pub fn text(&mut self, content_type: &'static str, body: &str) {
        self.fixed_header(http::header::CONTENT_TYPE, content_type);
        self.body = Some(body.as_bytes().to_vec());
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, body: Multipart) {
        let (content_type, bytes) = body.finish();
        self.dynamic_content_type(&content_type);
        self.body = Some(bytes);
    }

    /// Sets a body of any media type: its bytes, with its media type as `Content-Type`.
    pub fn media(&mut self, body: &crate::Media) -> Result<(), Error> {
        if HeaderValue::from_str(&body.media_type).is_err() {
            return Err(Error::Request(format!(
                "the media type {:?} is not a header value",
                body.media_type
            )));
        }
        self.dynamic_content_type(&body.media_type);
        self.body = Some(body.bytes.clone());
        Ok(())
    }

    fn dynamic_content_type(&mut self, value: &str) {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(http::header::CONTENT_TYPE, value);
        }
    }

    /// Sets a body of bytes with `content_type`, as they are.
    pub fn bytes(&mut self, content_type: &'static str, body: &[u8]) {
        self.fixed_header(http::header::CONTENT_TYPE, content_type);
        self.body = Some(body.to_vec());
    }

    /// Sets an `application/x-www-form-urlencoded` body: each property of `body` (an object) a
    /// field, a list as repeated fields, `None` left out; as the server reads forms.
    pub fn form<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let serde_json::Value::Object(fields) = serde_json::to_value(body)
            .map_err(|err| Error::Request(format!("the body cannot be serialised: {err}")))?
        else {
            return Err(Error::Request("a form body must be an object".to_owned()));
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            for text in texts(&name, &value)? {
                form.append_pair(&name, &text);
            }
        }
        self.fixed_header(http::header::CONTENT_TYPE, content_type);
        self.body = Some(form.finish().into_bytes());
        Ok(())
    }
}

/// The text a path parameter is sent as: strings as they are, numbers and booleans as JSON
/// writes them, enums as their wire value; a list is comma-separated, an object
/// `k1,v1,k2,v2`.
pub fn path_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    Ok(param_texts(name, value, false)?.join(","))
}

/// The text of a path parameter in `simple` style, exploded: an object `k1=v1,k2=v2`,
/// anything else as by [`path_text`].
pub fn path_text_exploded<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    Ok(param_texts(name, value, true)?.join(","))
}

/// The text of a path parameter described by `content` JSON: its JSON text.
pub fn path_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    Ok(json_text(name, value)?.unwrap_or_default())
}

/// Characters a cookie value cannot carry as they are (RFC 6265 `cookie-octet` complement,
/// plus `%`).
const COOKIE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b',')
    .add(b';')
    .add(b'\\');

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|err| Error::Request(format!("parameter `{name}`: {err}")))
}

/// A value's JSON text; `None` for `None`.
fn json_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, Error> {
    match to_value(name, value)? {
        serde_json::Value::Null => Ok(None),
        value => Ok(Some(value.to_string())),
    }
}

/// The texts of a parameter as [`texts`] makes them, with an object's properties as
/// `key, value` pairs, or `key=value` items when `exploded`.
fn param_texts<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    exploded: bool,
) -> Result<Vec<String>, Error> {
    match to_value(name, value)? {
        serde_json::Value::Object(properties) => {
            let mut out = Vec::new();
            for (key, property) in properties {
                let Some(text) = texts(&key, &property)?.into_iter().next() else {
                    continue;
                };
                if exploded {
                    out.push(format!("{key}={text}"));
                } else {
                    out.push(key);
                    out.push(text);
                }
            }
            Ok(out)
        }
        other => texts(name, &other),
    }
}

/// The texts of a parameter value: none for `None`, one per item for a list.
fn texts<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, Error> {
    let value = serde_json::to_value(value)
        .map_err(|err| Error::Request(format!("parameter `{name}`: {err}")))?;
    let scalar = |value: serde_json::Value| match value {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        serde_json::Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(Error::Request(format!(
            "parameter `{name}`: only strings, numbers, booleans and lists of them can be sent"
        ))),
    };
    match value {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => items.into_iter().map(scalar).collect(),
        other => Ok(vec![scalar(other)?]),
    }
}

/// A whole answer: status, headers and body.
#[derive(Debug)]
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Answer {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body decoded from JSON as `T`; on a mismatch, where it failed.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        // The path is tracked only on the second try: a matching body pays plain serde_json.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value: T = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|err| self.mismatch(err.path().to_string(), err.into_inner().to_string()))?;
        deserializer
            .end()
            .map_err(|err| self.mismatch(".".to_owned(), err.to_string()))?;
        Ok(value)
    }

    /// The body as text.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec())
            .map_err(|err| self.mismatch(".".to_owned(), format!("the body is not UTF-8: {err}")))
    }

    /// The body as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    fn mismatch(&self, path: String, message: String) -> Error {
        Error::Decode {
            status: self.status,
            path,
            message,
            body: self.body.to_vec(),
        }
    }

    /// A documented header's value; `None` when absent.
    pub fn header(&self, name: &str) -> Result<Option<String>, Error> {
        match self.headers.get(name) {
            None => Ok(None),
            Some(value) => value.to_str().map(|v| Some(v.to_owned())).map_err(|_| {
                self.mismatch(
                    name.to_owned(),
                    "the header value is not visible ASCII".to_owned(),
                )
            }),
        }
    }

    /// A documented header the spec says is always sent.
    pub fn required_header(&self, name: &str) -> Result<String, Error> {
        self.header(name)?.ok_or_else(|| {
            self.mismatch(
                name.to_owned(),
                "the documented header is missing".to_owned(),
            )
        })
    }

    /// A documented header as `T`, written as a `simple` parameter (see [`Answer::header`]):
    /// its text as a string, else as JSON (numbers, booleans), else as a comma-separated list;
    /// `None` when absent.
    pub fn typed_header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        let Some(text) = self.header(name)? else {
            return Ok(None);
        };
        let string = serde_json::Value::String(text.clone());
        if let Ok(value) = T::deserialize(string) {
            return Ok(Some(value));
        }
        if let Ok(value) = serde_json::from_str::<T>(&text) {
            return Ok(Some(value));
        }
        let items: Vec<serde_json::Value> = text
            .split(',')
            .map(|item| {
                serde_json::from_str(item.trim())
                    .unwrap_or_else(|_| serde_json::Value::String(item.trim().to_owned()))
            })
            .collect();
        let list = T::deserialize(serde_json::Value::Array(items.clone()));
        if list.is_ok() || !items.len().is_multiple_of(2) {
            return list
                .map(Some)
                .map_err(|err| self.mismatch(name.to_owned(), err.to_string()));
        }
        // An object, as the server writes one: `k1,v1,k2,v2`.
        let object: serde_json::Map<String, serde_json::Value> = items
            .chunks(2)
            .map(|pair| match &pair[0] {
                serde_json::Value::String(key) => (key.clone(), pair[1].clone()),
                other => (other.to_string(), pair[1].clone()),
            })
            .collect();
        T::deserialize(serde_json::Value::Object(object))
            .map(Some)
            .map_err(|err| self.mismatch(name.to_owned(), err.to_string()))
    }

    /// A documented typed header the spec says is always sent.
    pub fn required_typed_header<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        self.typed_header(name)?.ok_or_else(|| {
            self.mismatch(
                name.to_owned(),
                "the documented header is missing".to_owned(),
            )
        })
    }

    /// The error for a status the operation does not document.
    pub fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests;
