//! An implementation of the RTS software configuration and deployment API on the generated
//! server ([`rts_api::server`]): the router checks every request against the spec, this crate
//! stores configurations and deployments as Heat does (in memory, or durably in SQLite with
//! [`Config::data`]) and fills in Heat's error bodies.
//!
//! Run it with `cargo run --bin rts-server -- --listen 127.0.0.1:8004 --token s3cret`.

mod store;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rts_api::server::{
    self, Api, BadRequest, BodyRefusals, Credential, InternalServerError, Rejection, ServerConfig,
    Unauthorized,
};
use rts_api::{
    CreateSoftwareConfigRequest, CreateSoftwareDeploymentRequest, HeatErrorDetail,
    HeatErrorResponse, Link, ServerMetadataResponse, SoftwareConfigList, SoftwareConfigResponse,
    SoftwareDeploymentList, SoftwareDeploymentResponse, UnauthorizedError, UnauthorizedResponse,
    UpdateSoftwareDeploymentRequest, Version, VersionList, VersionResponse, VersionStatus,
};

pub use store::{DEFAULT_GROUP, DeploymentChanges, Limits, OpenError, Store, StoreError};

/// How the server behaves; [`Default`] is what the command line starts with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Tokens accepted in `X-Auth-Token`; any other gets 401.
    pub tokens: BTreeSet<String>,
    /// Where clients get a token, sent in `WWW-Authenticate` with a 401.
    pub identity_uri: String,
    /// Most configurations and deployments kept, together; a create past it is refused (400).
    pub max_objects: usize,
    /// Most bytes of configurations and deployments kept (as JSON); a create or update past it
    /// is refused (400).
    pub max_bytes: usize,
    /// Longest request body, in bytes.
    pub body_limit: usize,
    /// The SQLite file that keeps the state across restarts; `None` keeps it in memory.
    pub data: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tokens: BTreeSet::new(),
            identity_uri: "https://iam.eu-de.otc.t-systems.com/v3".to_owned(),
            max_objects: 10_000,
            max_bytes: 64 * 1024 * 1024,
            body_limit: ServerConfig::default().body_limit,
            data: None,
        }
    }
}

/// The RTS service: accepted tokens and the store.
pub struct Rts {
    config: Config,
    store: Arc<Mutex<Store>>,
    /// Whether changes wait for the database, and so run off the async workers.
    durable: bool,
}

impl Rts {
    /// A service with `config` and an empty in-memory store, whatever [`Config::data`] says
    /// ([`Rts::open`] honours it).
    pub fn new(config: Config) -> Self {
        Self::with_store(config, Store::default())
    }

    /// A service with `config`, its store in the file [`Config::data`] (with everything kept
    /// there) or, without one, in memory.
    pub fn open(config: Config) -> Result<Self, OpenError> {
        let store = match &config.data {
            Some(path) => Store::open(path)?,
            None => Store::default(),
        };
        Ok(Self::with_store(config, store))
    }

    /// A service with `config` over `store`.
    pub fn with_store(config: Config, store: Store) -> Self {
        Rts {
            config,
            durable: store.is_durable(),
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// How many configurations and deployments are stored.
    pub fn len(&self) -> usize {
        self.store().len()
    }

    /// Bytes stored, as counted against [`Config::max_bytes`].
    pub fn bytes(&self) -> usize {
        self.store().bytes()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.store().is_empty()
    }

    fn limits(&self) -> Limits {
        Limits {
            max_objects: self.config.max_objects,
            max_bytes: self.config.max_bytes,
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Runs `change` on a blocking thread and waits for it there: a durable store's change
    /// waits for its commit, and the async workers keep serving meanwhile. A method calls it
    /// only for a durable store and otherwise runs the change in place: a future that held
    /// `change` would hold the request's body a second time in every request.
    fn commit<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> impl Future<Output = T> + Send {
        let store = Arc::clone(&self.store);
        let task = tokio::task::spawn_blocking(move || change(&mut lock(&store)));
        async move {
            match task.await {
                Ok(value) => value,
                // A panic stays a panic, which the router answers with 500.
                Err(error) => match error.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(error) => panic!("the store's task did not finish: {error}"),
                },
            }
        }
    }

    /// The version this service offers, its self link on the host the client called.
    fn version(request: &Parts) -> Version {
        let host = request
            .headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .or_else(|| request.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Version {
            id: "v1.0".to_owned(),
            status: VersionStatus::Current,
            links: vec![Link {
                rel: "self".to_owned(),
                href: format!("http://{host}/v1/"),
            }],
        }
    }
}

impl Api for Rts {
    async fn list_versions(&self, request: &Parts) -> server::ListVersionsResponse {
        server::ListVersionsResponse::MultipleChoices(VersionList {
            versions: vec![Self::version(request)],
        })
    }

    async fn show_version(&self, request: &Parts) -> server::ShowVersionResponse {
        server::ShowVersionResponse::Ok(VersionResponse {
            version: Self::version(request),
        })
    }

    async fn create_software_config(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::CreateSoftwareConfigParams,
        body: CreateSoftwareConfigRequest,
    ) -> server::CreateSoftwareConfigResponse {
        use server::CreateSoftwareConfigResponse as R;
        let limits = self.limits();
        let change = move |store: &mut Store| {
            store.create_config(limits, &params.project_id, body, utc_now())
        };
        let created = if self.durable {
            self.commit(change).await
        } else {
            change(&mut self.store())
        };
        match created {
            Ok(config) => R::Ok(SoftwareConfigResponse {
                software_config: config,
            }),
            Err(error) if error.is_server_failure() => R::InternalServerError(store_error(&error)),
            Err(error) => R::BadRequest(store_error(&error)),
        }
    }

    async fn list_software_configs(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::ListSoftwareConfigsParams,
    ) -> server::ListSoftwareConfigsResponse {
        let limit = params.limit.map(|l| usize::try_from(l).unwrap_or(0));
        let configs =
            self.store()
                .list_configs(&params.project_id, limit, params.marker.as_deref());
        server::ListSoftwareConfigsResponse::Ok(SoftwareConfigList {
            software_configs: configs,
        })
    }

    async fn show_software_config(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::ShowSoftwareConfigParams,
    ) -> server::ShowSoftwareConfigResponse {
        use server::ShowSoftwareConfigResponse as R;
        match self
            .store()
            .show_config(&params.project_id, &params.config_id)
        {
            Ok(config) => R::Ok(SoftwareConfigResponse {
                software_config: config,
            }),
            Err(error) => R::NotFound(store_error(&error)),
        }
    }

    async fn delete_software_config(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::DeleteSoftwareConfigParams,
    ) -> server::DeleteSoftwareConfigResponse {
        use server::DeleteSoftwareConfigResponse as R;
        let change =
            move |store: &mut Store| store.delete_config(&params.project_id, &params.config_id);
        let deleted = if self.durable {
            self.commit(change).await
        } else {
            change(&mut self.store())
        };
        match deleted {
            Ok(()) => R::NoContent,
            Err(error) if error.is_not_found() => R::NotFound(store_error(&error)),
            Err(error) if error.is_server_failure() => R::InternalServerError(store_error(&error)),
            Err(error) => R::BadRequest(store_error(&error)),
        }
    }

    async fn create_software_deployment(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::CreateSoftwareDeploymentParams,
        body: CreateSoftwareDeploymentRequest,
    ) -> server::CreateSoftwareDeploymentResponse {
        use server::CreateSoftwareDeploymentResponse as R;
        let limits = self.limits();
        let change = move |store: &mut Store| {
            store.create_deployment(limits, &params.project_id, body, utc_now())
        };
        let created = if self.durable {
            self.commit(change).await
        } else {
            change(&mut self.store())
        };
        match created {
            Ok(deployment) => R::Ok(SoftwareDeploymentResponse {
                software_deployment: deployment,
            }),
            Err(error) if error.is_server_failure() => R::InternalServerError(store_error(&error)),
            Err(error) => R::BadRequest(store_error(&error)),
        }
    }

    async fn list_software_deployments(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::ListSoftwareDeploymentsParams,
    ) -> server::ListSoftwareDeploymentsResponse {
        let deployments = self
            .store()
            .list_deployments(&params.project_id, params.server_id.as_deref());
        server::ListSoftwareDeploymentsResponse::Ok(SoftwareDeploymentList {
            software_deployments: deployments,
        })
    }

    async fn show_software_deployment(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::ShowSoftwareDeploymentParams,
    ) -> server::ShowSoftwareDeploymentResponse {
        use server::ShowSoftwareDeploymentResponse as R;
        match self
            .store()
            .show_deployment(&params.project_id, &params.deployment_id)
        {
            Ok(deployment) => R::Ok(SoftwareDeploymentResponse {
                software_deployment: deployment,
            }),
            Err(error) => R::NotFound(store_error(&error)),
        }
    }

    async fn update_software_deployment(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::UpdateSoftwareDeploymentParams,
        body: UpdateSoftwareDeploymentRequest,
    ) -> server::UpdateSoftwareDeploymentResponse {
        use server::UpdateSoftwareDeploymentResponse as R;
        let limits = self.limits();
        let changes = deployment_changes(body);
        let change = move |store: &mut Store| {
            store.update_deployment(
                limits,
                &params.project_id,
                &params.deployment_id,
                changes,
                utc_now(),
            )
        };
        let updated = if self.durable {
            self.commit(change).await
        } else {
            change(&mut self.store())
        };
        match updated {
            Ok(deployment) => R::Ok(SoftwareDeploymentResponse {
                software_deployment: deployment,
            }),
            Err(error) if error.is_not_found() => R::NotFound(store_error(&error)),
            Err(error) if error.is_server_failure() => R::InternalServerError(store_error(&error)),
            Err(error) => R::BadRequest(store_error(&error)),
        }
    }

    async fn delete_software_deployment(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::DeleteSoftwareDeploymentParams,
    ) -> server::DeleteSoftwareDeploymentResponse {
        use server::DeleteSoftwareDeploymentResponse as R;
        let change = move |store: &mut Store| {
            store.delete_deployment(&params.project_id, &params.deployment_id)
        };
        let deleted = if self.durable {
            self.commit(change).await
        } else {
            change(&mut self.store())
        };
        match deleted {
            Ok(()) => R::NoContent,
            Err(error) if error.is_not_found() => R::NotFound(store_error(&error)),
            Err(error) if error.is_server_failure() => R::InternalServerError(store_error(&error)),
            Err(error) => R::BadRequest(store_error(&error)),
        }
    }

    async fn show_server_metadata(
        &self,
        _request: &Parts,
        _credential: Credential,
        params: server::ShowServerMetadataParams,
    ) -> server::ShowServerMetadataResponse {
        let metadata = self
            .store()
            .server_metadata(&params.project_id, &params.server_id);
        server::ShowServerMetadataResponse::Ok(ServerMetadataResponse { metadata })
    }

    async fn authenticate(&self, credential: &Credential) -> bool {
        self.config.tokens.contains(credential.secret())
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: heat_error(StatusCode::BAD_REQUEST, rejection.message()),
        }
    }

    fn unauthorized(&self, _rejection: &Rejection) -> Unauthorized {
        Unauthorized {
            body: UnauthorizedResponse {
                error: UnauthorizedError {
                    code: 401,
                    title: "Unauthorized".to_owned(),
                    message: "The request you have made requires authentication.".to_owned(),
                },
            },
            www_authenticate: Some(format!("Keystone uri=\"{}\"", self.config.identity_uri)),
        }
    }

    fn internal_server_error(&self, rejection: &Rejection) -> InternalServerError {
        InternalServerError {
            body: heat_error(StatusCode::INTERNAL_SERVER_ERROR, rejection.message()),
        }
    }

    fn unmatched(&self, rejection: &Rejection) -> Response {
        let body = heat_error(rejection.status(), rejection.message());
        (rejection.status(), axum::Json(body)).into_response()
    }
}

/// What an update body asks to change: the keys that are not null (Heat ignores null on
/// update, so an absent key and an explicit `null` both leave a field as it is).
fn deployment_changes(body: UpdateSoftwareDeploymentRequest) -> DeploymentChanges {
    DeploymentChanges {
        config_id: body.config_id.flatten(),
        input_values: body.input_values.flatten(),
        output_values: body.output_values.flatten(),
        action: body.action.flatten(),
        status: body.status.flatten(),
        status_reason: body.status_reason.flatten(),
    }
}

/// Heat's body for an error of the store: 404, 500 or 400, with Heat's exception name as the
/// type.
fn store_error(error: &StoreError) -> HeatErrorResponse {
    let status = if error.is_not_found() {
        StatusCode::NOT_FOUND
    } else if error.is_server_failure() {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut body = heat_error(status, &error.to_string());
    body.error.r#type = error.heat_type().to_owned();
    body
}

/// Heat's error body for `status`: the title and explanation its web framework uses.
pub fn heat_error(status: StatusCode, message: &str) -> HeatErrorResponse {
    let (title, explanation, error_type) = match status.as_u16() {
        400 => (
            "Bad Request",
            "The server could not comply with the request since it is either malformed or otherwise incorrect.",
            "HTTPBadRequest",
        ),
        404 => (
            "Not Found",
            "The resource could not be found.",
            "HTTPNotFound",
        ),
        405 => (
            "Method Not Allowed",
            "The method is not allowed for the requested URL.",
            "HTTPMethodNotAllowed",
        ),
        _ => (
            "Internal Server Error",
            "The server has either erred or is incapable of performing the requested operation.",
            "HTTPInternalServerError",
        ),
    };
    HeatErrorResponse {
        code: i32::from(status.as_u16()),
        title: title.to_owned(),
        explanation: explanation.to_owned(),
        error: HeatErrorDetail {
            r#type: error_type.to_owned(),
            message: message.to_owned(),
            traceback: None,
        },
    }
}

/// The whole application: the generated router over `rts`, with one log line per request.
pub fn app(rts: Rts) -> axum::Router {
    // Heat answers a body over the limit and one of another media type with 400, and clients
    // written against it expect that.
    let server_config = ServerConfig::default()
        .body_limit(rts.config.body_limit)
        .body_refusals(BodyRefusals::BadRequest);
    rts_api::server::router_with_config(rts, server_config).layer(middleware::from_fn(log_request))
}

/// Logs `METHOD path status duration` on stderr once the answer is ready, in one write:
/// stderr is unbuffered, and `eprintln!` writes each formatted piece with a system call of its
/// own (nine a line). A log that cannot be written does not stop the server.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let line = format!(
        "{method} {path} {} {:.1}ms\n",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    response
}

/// Serves [`app`] on `listener` until `shutdown` completes; in-flight requests are finished.
pub async fn serve(
    listener: tokio::net::TcpListener,
    rts: Rts,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(rts))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `addr` and serves [`app`] in the background; returns the bound address (use port 0 for
/// an ephemeral one). For tests.
pub async fn spawn(addr: SocketAddr, config: Config) -> std::io::Result<SocketAddr> {
    let rts = Rts::open(config).map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(serve(listener, rts, std::future::pending()));
    Ok(local)
}

/// The store behind `mutex`. It is only changed by code that does not panic, so a poisoned lock
/// (a panic elsewhere while it was held) still guards a consistent store.
fn lock(mutex: &Mutex<Store>) -> MutexGuard<'_, Store> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Now in UTC as Heat writes it: `2015-01-31T15:12:36Z`, whole seconds.
pub fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format_utc(seconds)
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ`.
pub fn format_utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_like_heat() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_422_717_156), "2015-01-31T15:12:36Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(4_107_542_399), "2100-02-28T23:59:59Z");
    }
}
