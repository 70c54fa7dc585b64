//! The handler skeleton every generated operation runs: credential, parameters, body, the
//! implementation's method, its answer; a panic anywhere in it answers 500.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::request::{Operation, OperationSpec, Security, Typed, catch_unwind};
use super::{Rejection, RejectionKind, ServerConfig};

/// What the generated server adds to an implementation of its `Api` trait: the answers to
/// rejected requests and the credential check. Generated code implements it on a wrapper of the
/// implementation.
pub trait Service: Send + Sync + 'static {
    /// The generated credential type; [`NoCredential`] when the spec has no security scheme.
    type Credential: Send + 'static;
    /// The answer to a request the router refused itself.
    fn reject(&self, rejection: Rejection) -> Response;
    /// Whether a credential is valid and grants `scopes` (the scopes or roles the operation's
    /// requirement lists for its scheme; often none).
    fn authenticate(
        &self,
        credential: &Self::Credential,
        scopes: &[&str],
    ) -> impl Future<Output = bool> + Send;
}

/// The credential type of a spec without security schemes: there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCredential {}

/// What every handler shares: the implementation, the configuration, the compiled schemas.
pub struct Shared<S: Service> {
    service: S,
    config: ServerConfig,
    operations: Vec<Operation<S::Credential>>,
}

impl<S: Service> Shared<S> {
    /// Compiles the schemas of `operations`; `components` is the JSON text of the spec's
    /// `components.schemas`, which the operations' schemas refer to.
    ///
    /// # Panics
    ///
    /// If a schema does not compile, which the generator's tests rule out.
    pub fn new(
        service: S,
        config: ServerConfig,
        components: &str,
        operations: &'static [OperationSpec<S::Credential>],
    ) -> Arc<Self> {
        let components: Value =
            serde_json::from_str(components).expect("the generated components are JSON");
        let operations = operations
            .iter()
            .map(|spec| Operation::compile(spec, &components))
            .collect();
        Arc::new(Shared {
            service,
            config,
            operations,
        })
    }
}

/// The implementation, as axum's `State` derefs to its state: the handlers' closures call
/// the operations on it.
impl<S: Service> std::ops::Deref for Shared<S> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.service
    }
}

/// A credential an operation requires, which `authenticate` accepted.
#[derive(Debug)]
pub struct Authenticated<C>(pub C);

/// A request body the operation requires: a request without one is refused with 400.
#[derive(Debug)]
pub struct Required<B>(pub B);

/// What an operation takes as its body: `()` (none, the body is not read), `Option<B>` or
/// [`Required<B>`].
pub trait ReadBody: Sized + Send {
    /// The type the body is read as.
    type Item: DeserializeOwned;
    /// Whether the operation has a body.
    const READ: bool;
    /// Whether the operation requires its body: then an empty body of a media type whose
    /// value may be empty (text, bytes) is that empty value, not a missing body.
    const REQUIRED: bool = false;
    /// The argument from what was read (`None` for an empty body).
    fn from_body(item: Option<Self::Item>) -> Result<Self, Rejection>;
}

impl ReadBody for () {
    type Item = serde::de::IgnoredAny;
    const READ: bool = false;
    fn from_body(_: Option<Self::Item>) -> Result<Self, Rejection> {
        Ok(())
    }
}

impl<B: DeserializeOwned + Send> ReadBody for Option<B> {
    type Item = B;
    const READ: bool = true;
    fn from_body(item: Option<B>) -> Result<Self, Rejection> {
        Ok(item)
    }
}

impl<B: DeserializeOwned + Send> ReadBody for Required<B> {
    type Item = B;
    const READ: bool = true;
    const REQUIRED: bool = true;
    fn from_body(item: Option<B>) -> Result<Self, Rejection> {
        item.map(Required).ok_or_else(|| {
            Rejection::new(RejectionKind::MalformedBody, "The request body is missing.")
        })
    }
}

/// The credentials a request was let in with. Nearly every operation takes none or one, so
/// those are not put in a `Vec`.
#[derive(Debug)]
pub enum Credentials<C> {
    /// None: the operation needs none, or lets in a request without any.
    None,
    /// The one credential of the alternative that matched.
    One(C),
    /// The credentials of an alternative that needs several.
    Many(Vec<C>),
}

impl<C> Credentials<C> {
    /// All of them, in the order the alternative lists them.
    pub fn into_vec(self) -> Vec<C> {
        match self {
            Credentials::None => Vec::new(),
            Credentials::One(credential) => vec![credential],
            Credentials::Many(credentials) => credentials,
        }
    }
}

/// What an operation takes as its credentials: `()` (none), [`Authenticated<C>`] (exactly one)
/// or `Vec<C>` (the credentials of the alternative that matched; empty for an anonymous
/// request to an operation whose security is optional).
pub trait ReadCredential<C>: Sized + Send {
    /// The argument from the credentials accepted (`None` if they do not fit).
    fn from_credentials(credentials: Credentials<C>) -> Option<Self>;
}

impl<C> ReadCredential<C> for () {
    fn from_credentials(_: Credentials<C>) -> Option<Self> {
        Some(())
    }
}

impl<C: Send> ReadCredential<C> for Authenticated<C> {
    fn from_credentials(credentials: Credentials<C>) -> Option<Self> {
        match credentials {
            Credentials::One(credential) => Some(Authenticated(credential)),
            Credentials::Many(credentials) => {
                let mut credentials = credentials.into_iter();
                match (credentials.next(), credentials.next()) {
                    (Some(credential), None) => Some(Authenticated(credential)),
                    _ => None,
                }
            }
            Credentials::None => None,
        }
    }
}

impl<C: Send> ReadCredential<C> for Vec<C> {
    fn from_credentials(credentials: Credentials<C>) -> Option<Self> {
        Some(credentials.into_vec())
    }
}

/// The credentials of the first alternative of `security` whose every credential is sent and
/// accepted; none for a request without credentials when the security is optional.
async fn authorize<S: Service>(
    service: &S,
    security: &Security<S::Credential>,
    parts: &Parts,
) -> Result<Credentials<S::Credential>, Rejection> {
    if security.alternatives.is_empty() {
        return Ok(Credentials::None);
    }
    // One credential in one place, as most specs ask: the same answers without the lists.
    if let [alternative] = security.alternatives
        && let [(source, scopes)] = alternative
    {
        return match source.take(parts) {
            Some(credential) if service.authenticate(&credential, scopes).await => {
                Ok(Credentials::One(credential))
            }
            Some(_) => Err(not_accepted()),
            None if security.anonymous => Ok(Credentials::None),
            None => Err(no_credential()),
        };
    }
    let mut sent = false;
    for alternative in security.alternatives {
        let found: Vec<_> = alternative
            .iter()
            .filter_map(|(source, scopes)| source.take(parts).map(|c| (c, *scopes)))
            .collect();
        sent |= !found.is_empty();
        if found.len() < alternative.len() {
            continue;
        }
        let mut accepted = true;
        for (credential, scopes) in &found {
            accepted = accepted && service.authenticate(credential, scopes).await;
        }
        if accepted {
            return Ok(Credentials::Many(
                found
                    .into_iter()
                    .map(|(credential, _)| credential)
                    .collect(),
            ));
        }
    }
    if sent {
        Err(not_accepted())
    } else if security.anonymous {
        Ok(Credentials::None)
    } else {
        Err(no_credential())
    }
}

/// The rejection of a request whose credential was sent but not accepted.
fn not_accepted() -> Rejection {
    Rejection::new(
        RejectionKind::InvalidCredential,
        "The credential was not accepted.",
    )
}

/// The rejection of a request without the credential its operation needs.
fn no_credential() -> Rejection {
    Rejection::new(
        RejectionKind::MissingCredential,
        "The request carries no credential.",
    )
}

/// Runs operation `index` of `shared` for `request`: takes the credential and checks it, reads
/// and checks the parameters and the body, then hands them to `call` (which calls the
/// implementation) and answers with its result. Any failure answers through
/// [`Service::reject`], a panic with [`RejectionKind::Panic`].
///
/// `K`, `P` and `B` say what the operation takes: `()` or [`Authenticated`], `()` or the
/// parameter struct, `()`, `Option` or [`Required`] of the body type. `typed` is the body's fast
/// path, if the generator allowed one.
///
/// Not an `async fn`: the future it returns is the one future of the request, holding the
/// request once. Each layer of `async fn` keeps its own copy of its arguments, and every move
/// of a future copies all of it. For the create request of `rts-server`, the future axum boxes
/// went from 3,232 bytes (plus a boxed 2,336) to 1,632 (`-Zprint-type-sizes`), and callgrind
/// counts 60 to 90 fewer L1 write misses per request (BENCHMARKS.md). `call` gets the parts
/// boxed, so that they are not stored twice: with that, and `rts-server` changing its store
/// in place, it is 960 bytes, which glibc's allocator serves from its per-thread cache.
pub fn serve<S, K, P, B, F, Fut>(
    shared: Arc<Shared<S>>,
    index: usize,
    request: Request,
    typed: Option<Typed<B::Item>>,
    call: F,
) -> impl Future<Output = Response>
where
    S: Service,
    K: ReadCredential<S::Credential>,
    P: DeserializeOwned,
    B: ReadBody,
    F: FnOnce(Arc<Shared<S>>, Box<Parts>, K, P, B) -> Fut,
    Fut: Future<Output: IntoResponse>,
{
    let guard = Arc::clone(&shared);
    let (parts, body) = request.into_parts();
    // Boxed: both this future and `call`'s keep their own copy of what they are given, so the
    // 224 bytes of parts would be stored twice in the future axum boxes per request.
    let mut parts = Box::new(parts);
    // A block, not an `async fn`, whose arguments would each be stored twice; the result of
    // `read` is taken apart before `call` is awaited, so the future does not hold it beside
    // `call`'s.
    let run = async move {
        let (credential, params, body) = match read(&shared, index, &mut parts, body, typed).await {
            Ok(read) => read,
            Err(rejection) => {
                return shared
                    .service
                    .reject(rejection.for_operation(index).configured(&shared.config));
            }
        };
        call(shared, parts, credential, params, body)
            .await
            .into_response()
    };
    Guarded {
        work: run,
        shared: guard,
        index,
    }
}

pin_project_lite::pin_project! {
    /// A request's work, answering a panic in it with 500. One future where
    /// `catch_unwind(work).map(..)` nests three, each with its own state and poll.
    struct Guarded<S: Service, F> {
        #[pin]
        work: F,
        shared: Arc<Shared<S>>,
        index: usize,
    }
}

impl<S: Service, F: Future<Output = Response>> Future for Guarded<S, F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Response> {
        let this = self.project();
        let work = this.work;
        // Polled no more once it panicked: the answer is ready.
        match std::panic::catch_unwind(AssertUnwindSafe(|| work.poll(context))) {
            Ok(poll) => poll,
            Err(_) => Poll::Ready(this.shared.service.reject(panicked(Some(*this.index)))),
        }
    }
}

/// The credential, parameters and body of `parts` and `body` as operation `index` takes them.
/// The parts are borrowed, not moved: a future holding them would copy them once more.
async fn read<S, K, P, B>(
    shared: &Shared<S>,
    index: usize,
    parts: &mut Parts,
    body: Body,
    typed: Option<Typed<B::Item>>,
) -> Result<(K, P, B), Rejection>
where
    S: Service,
    K: ReadCredential<S::Credential>,
    P: DeserializeOwned,
    B: ReadBody,
{
    let operation = &shared.operations[index];
    let credentials = authorize(&shared.service, &operation.spec.security, parts).await?;
    // The generated code pairs the table and the argument types, so a mismatch is a bug there.
    let credential = K::from_credentials(credentials).ok_or_else(no_credential)?;
    let params = if operation.spec.params.is_empty() {
        P::deserialize(serde::de::value::UnitDeserializer::<serde::de::value::Error>::new())
            .map_err(|error| Rejection::new(RejectionKind::InvalidParameter, error.to_string()))?
    } else {
        operation.params(parts).await?
    };
    let body = if B::READ {
        B::from_body(
            operation
                .body(&parts.headers, body, &shared.config, typed, B::REQUIRED)
                .await?,
        )?
    } else {
        drop(body);
        B::from_body(None)?
    };
    Ok((credential, params, body))
}

/// The rejection of a request whose handling panicked, naming operation `index` if known.
fn panicked(operation: Option<usize>) -> Rejection {
    let rejection = Rejection::new(
        RejectionKind::Panic,
        "The server failed to complete the request.",
    );
    match operation {
        Some(index) => rejection.for_operation(index),
        None => rejection,
    }
}

/// The service's answer to `rejection`; a panic in it is answered with 500.
pub(crate) async fn reject<S: Service>(shared: &Shared<S>, rejection: Rejection) -> Response {
    guard(shared, async move { shared.service.reject(rejection) }).await
}

/// Runs the router's own answers, answering a panic in them with 500.
/// In the handler rather than as a tower layer, which would box every response body.
async fn guard<S: Service>(shared: &Shared<S>, work: impl Future<Output = Response>) -> Response {
    match catch_unwind(work).await {
        Some(response) => response,
        None => shared.service.reject(panicked(None)),
    }
}

/// The router's answer for a path the spec does not have (404).
pub async fn not_found<S: Service>(
    State(shared): State<Arc<Shared<S>>>,
    request: Request,
) -> Response {
    // Moved into the guarded work, the request need not be Sync; `shared` is borrowed.
    let shared: &Shared<S> = &shared;
    guard(shared, async move {
        let message = format!("No resource at {}.", request.uri().path());
        shared
            .service
            .reject(Rejection::new(RejectionKind::NotFound, message))
    })
    .await
}

/// The router's answer for a method the path does not have (405; axum adds `Allow`).
pub async fn method_not_allowed<S: Service>(
    State(shared): State<Arc<Shared<S>>>,
    request: Request,
) -> Response {
    let shared: &Shared<S> = &shared;
    guard(shared, async move {
        let message = format!(
            "The method {} is not allowed for {}.",
            request.method(),
            request.uri().path()
        );
        shared
            .service
            .reject(Rejection::new(RejectionKind::MethodNotAllowed, message))
    })
    .await
}

/// A path's method router, answering its other methods with [`method_not_allowed`].
pub fn methods<S: Service>() -> MethodRouter<Arc<Shared<S>>> {
    MethodRouter::new().fallback(method_not_allowed::<S>)
}
