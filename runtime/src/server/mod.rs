//! The server's runtime (feature `server`): what every generated axum server shares.
//!
//! Generated code reaches it as `rt` (`use ::openapi_rustgen_runtime::server as rt;`) and uses
//! [`axum`] through the re-export here, so a generated crate depends on axum only through this
//! crate. The items are public for generated code; an implementation of a generated `Api` needs
//! only [`Rejection`], [`RejectionKind`], [`ServerConfig`] and [`BodyRefusals`], which the
//! generated module re-exports.

mod body;
mod handler;
mod paths;
mod request;
mod response;
mod styles;

pub use axum;

pub use handler::{
    Authenticated, Credentials, NoCredential, ReadBody, ReadCredential, Required, Service, Shared,
    method_not_allowed, methods, not_found, serve,
};
pub use paths::{Part, Template, captures, route, routed_methods};
pub use request::{
    BodyMedia, BodySpec, Coerce, CredentialSource, FormField, Location, OperationSpec, ParamSpec,
    Security, Typed, chars_at_least, chars_at_most,
};
pub use response::{IntoStatus, bytes, empty, header, json, text, typed_header};

use axum::http::StatusCode;

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
    /// The body's `Content-Type` is not one the operation takes, or is missing on a body (415;
    /// 400 with [`BodyRefusals::BadRequest`]).
    UnsupportedMediaType,
    /// The body is longer than `ServerConfig::body_limit` (413; 400 with
    /// [`BodyRefusals::BadRequest`]); it is not read past the limit.
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
    /// A file part could not be written to its temporary file (500).
    Storage,
}

impl RejectionKind {
    /// The status the router answers with by default ([`ServerConfig::body_refusals`] may
    /// turn 413 and 415 into 400).
    pub fn status(self) -> StatusCode {
        match self {
            Self::MissingCredential | Self::InvalidCredential => StatusCode::UNAUTHORIZED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InvalidParameter | Self::MalformedBody | Self::InvalidBody => {
                StatusCode::BAD_REQUEST
            }
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Panic | Self::Storage => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A request the router refused, with a message for the client that names what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    kind: RejectionKind,
    /// The kind's status, or 400 where the configuration says so.
    status: StatusCode,
    message: String,
    /// The operation's index in the generated table, once a request reached one.
    operation: Option<usize>,
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
        Rejection {
            kind,
            status: kind.status(),
            message,
            operation: None,
        }
    }
    /// The same rejection, for the operation at `index` of the generated table.
    pub fn for_operation(mut self, index: usize) -> Self {
        self.operation = Some(index);
        self
    }
    /// The index in the generated table of the operation the request reached, if any (none
    /// for 404 and 405): the generated code answers with the body that operation documents.
    pub fn operation(&self) -> Option<usize> {
        self.operation
    }
    /// Why the request was refused.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }
    /// The status the router answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The same rejection, answered with the status `config` gives its kind.
    pub(crate) fn configured(mut self, config: &ServerConfig) -> Self {
        if config.body_refusals == BodyRefusals::BadRequest
            && matches!(
                self.kind,
                RejectionKind::UnsupportedMediaType | RejectionKind::BodyTooLarge
            )
        {
            self.status = StatusCode::BAD_REQUEST;
        }
        self
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

/// How the router answers a body over the limit ([`RejectionKind::BodyTooLarge`]) and a
/// `Content-Type` the operation does not take ([`RejectionKind::UnsupportedMediaType`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRefusals {
    /// 413 Content Too Large and 415 Unsupported Media Type, as HTTP defines them.
    Standard,
    /// 400 Bad Request for both, as OpenStack Heat answers them (and clients written against
    /// it expect).
    BadRequest,
}

/// How the router treats requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Longest request body accepted, in bytes (default 1 MiB). A longer body is refused (413)
    /// as soon as `Content-Length` announces it or the limit is reached while reading.
    pub body_limit: usize,
    /// The statuses of a body over the limit and of a `Content-Type` the operation does not
    /// take (default [`BodyRefusals::Standard`]: 413 and 415).
    pub body_refusals: BodyRefusals,
    /// How much of each file part of a `multipart/form-data` body is kept in memory, in bytes
    /// (default 1 MiB); the rest goes to an anonymous temporary file, which the system deletes
    /// once the last clone of its [`File`](crate::File) is dropped. The body limit still
    /// applies: the whole body is counted as it arrives.
    pub file_memory_limit: usize,
    /// Whether a body may be parsed straight into its type (default on). The generator allows
    /// that only for bodies where it answers as the JSON Schema validator would, and only for
    /// texts without `null`; off, every body is parsed into a JSON value and validated first.
    pub typed_bodies: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
            file_memory_limit: 1024 * 1024,
            typed_bodies: true,
            body_refusals: BodyRefusals::Standard,
        }
    }
}

impl ServerConfig {
    /// Sets [`Self::body_limit`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
    /// Sets [`Self::file_memory_limit`].
    pub fn file_memory_limit(mut self, bytes: usize) -> Self {
        self.file_memory_limit = bytes;
        self
    }
    /// Sets [`Self::body_refusals`].
    pub fn body_refusals(mut self, refusals: BodyRefusals) -> Self {
        self.body_refusals = refusals;
        self
    }
    /// Sets [`Self::typed_bodies`].
    pub fn typed_bodies(mut self, on: bool) -> Self {
        self.typed_bodies = on;
        self
    }
}
