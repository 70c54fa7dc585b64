//! An in-memory implementation of the RTS software deployment API on the generated server
//! ([`rts_api::server`]): the router checks every request against the spec, this crate stores
//! deployments and fills in Heat's error bodies.
//!
//! Run it with `cargo run --bin rts-server -- --listen 127.0.0.1:8004 --token s3cret`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rts_api::server::{
    Api, BadRequest, CreateSoftwareDeploymentParams, CreateSoftwareDeploymentResponse, Credential,
    InternalServerError, Rejection, ServerConfig, Unauthorized,
};
use rts_api::{
    CreateSoftwareDeploymentRequest, HeatErrorDetail, HeatErrorResponse, SoftwareDeployment,
    SoftwareDeploymentResponse, UnauthorizedError, UnauthorizedResponse,
};

/// How the server behaves; [`Default`] is what the command line starts with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Tokens accepted in `X-Auth-Token`; any other gets 401.
    pub tokens: BTreeSet<String>,
    /// Where clients get a token, sent in `WWW-Authenticate` with a 401.
    pub identity_uri: String,
    /// Most deployments kept; the oldest are dropped to make room.
    pub max_deployments: usize,
    /// Most bytes of deployments kept (as JSON); the oldest are dropped to make room.
    pub max_bytes: usize,
    /// Longest request body, in bytes.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tokens: BTreeSet::new(),
            identity_uri: "https://iam.eu-de.otc.t-systems.com/v3".to_owned(),
            max_deployments: 10_000,
            max_bytes: 64 * 1024 * 1024,
            body_limit: ServerConfig::default().body_limit,
        }
    }
}

/// The RTS service: accepted tokens and an in-memory store.
pub struct Rts {
    config: Config,
    store: Mutex<Store>,
}

/// Deployments by id, with their creation order for eviction.
#[derive(Default)]
struct Store {
    deployments: HashMap<String, Stored>,
    order: VecDeque<String>,
    bytes: usize,
}

/// A deployment as stored: with its project, which is never echoed back, like
/// `stack_user_project_id`.
#[allow(
    dead_code,
    reason = "kept as Heat keeps them; no operation reads them back yet"
)]
struct Stored {
    project_id: String,
    stack_user_project_id: Option<String>,
    deployment: SoftwareDeployment,
    bytes: usize,
}

impl Rts {
    /// A service with `config` and nothing stored.
    pub fn new(config: Config) -> Self {
        Rts {
            config,
            store: Mutex::new(Store::default()),
        }
    }

    /// How many deployments are stored.
    pub fn len(&self) -> usize {
        self.store().deployments.len()
    }

    /// Bytes stored, as counted against [`Config::max_bytes`].
    pub fn bytes(&self) -> usize {
        self.store().bytes
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic while the lock is held leaves the store consistent: each change is one insert.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Api for Rts {
    async fn create_software_deployment(
        &self,
        _credential: Credential,
        params: CreateSoftwareDeploymentParams,
        body: CreateSoftwareDeploymentRequest,
    ) -> CreateSoftwareDeploymentResponse {
        // What Heat stores for omitted fields: input_values {}, the rest null.
        let deployment = SoftwareDeployment {
            id: uuid::Uuid::new_v4().to_string(),
            config_id: body.config_id,
            server_id: body.server_id,
            action: body.action,
            status: body.status,
            status_reason: body.status_reason,
            input_values: Some(body.input_values.unwrap_or_default()),
            output_values: None,
            creation_time: utc_now(),
            updated_time: None,
        };
        let bytes = serde_json::to_vec(&deployment).map_or(0, |json| json.len())
            + params.project_id.len()
            + body.stack_user_project_id.as_ref().map_or(0, String::len);
        let mut store = self.store();
        while !store.order.is_empty()
            && (store.order.len() >= self.config.max_deployments.max(1)
                || store.bytes + bytes > self.config.max_bytes)
        {
            if let Some(oldest) = store.order.pop_front()
                && let Some(evicted) = store.deployments.remove(&oldest)
            {
                store.bytes -= evicted.bytes;
            }
        }
        store.bytes += bytes;
        store.order.push_back(deployment.id.clone());
        store.deployments.insert(
            deployment.id.clone(),
            Stored {
                project_id: params.project_id,
                stack_user_project_id: body.stack_user_project_id,
                deployment: deployment.clone(),
                bytes,
            },
        );
        CreateSoftwareDeploymentResponse::Ok(SoftwareDeploymentResponse {
            software_deployment: deployment,
        })
    }

    // Not served yet: the rest of the family is implemented in the next commits.
    async fn list_versions(&self) -> rts_api::server::ListVersionsResponse {
        rts_api::server::ListVersionsResponse::MultipleChoices(rts_api::VersionList {
            versions: Vec::new(),
        })
    }

    async fn show_version(&self) -> rts_api::server::ShowVersionResponse {
        rts_api::server::ShowVersionResponse::Ok(rts_api::VersionResponse {
            version: rts_api::Version {
                id: "v1.0".to_owned(),
                status: rts_api::VersionStatus::Current,
                links: Vec::new(),
            },
        })
    }

    async fn list_software_configs(
        &self,
        _: Credential,
        _: rts_api::server::ListSoftwareConfigsParams,
    ) -> rts_api::server::ListSoftwareConfigsResponse {
        rts_api::server::ListSoftwareConfigsResponse::InternalServerError(not_yet())
    }

    async fn create_software_config(
        &self,
        _: Credential,
        _: rts_api::server::CreateSoftwareConfigParams,
        _: rts_api::CreateSoftwareConfigRequest,
    ) -> rts_api::server::CreateSoftwareConfigResponse {
        rts_api::server::CreateSoftwareConfigResponse::NotFound(not_yet())
    }

    async fn show_software_config(
        &self,
        _: Credential,
        _: rts_api::server::ShowSoftwareConfigParams,
    ) -> rts_api::server::ShowSoftwareConfigResponse {
        rts_api::server::ShowSoftwareConfigResponse::NotFound(not_yet())
    }

    async fn delete_software_config(
        &self,
        _: Credential,
        _: rts_api::server::DeleteSoftwareConfigParams,
    ) -> rts_api::server::DeleteSoftwareConfigResponse {
        rts_api::server::DeleteSoftwareConfigResponse::NotFound(not_yet())
    }

    async fn list_software_deployments(
        &self,
        _: Credential,
        _: rts_api::server::ListSoftwareDeploymentsParams,
    ) -> rts_api::server::ListSoftwareDeploymentsResponse {
        rts_api::server::ListSoftwareDeploymentsResponse::InternalServerError(not_yet())
    }

    async fn show_server_metadata(
        &self,
        _: Credential,
        _: rts_api::server::ShowServerMetadataParams,
    ) -> rts_api::server::ShowServerMetadataResponse {
        rts_api::server::ShowServerMetadataResponse::InternalServerError(not_yet())
    }

    async fn show_software_deployment(
        &self,
        _: Credential,
        _: rts_api::server::ShowSoftwareDeploymentParams,
    ) -> rts_api::server::ShowSoftwareDeploymentResponse {
        rts_api::server::ShowSoftwareDeploymentResponse::InternalServerError(not_yet())
    }

    async fn update_software_deployment(
        &self,
        _: Credential,
        _: rts_api::server::UpdateSoftwareDeploymentParams,
        _: rts_api::UpdateSoftwareDeploymentRequest,
    ) -> rts_api::server::UpdateSoftwareDeploymentResponse {
        rts_api::server::UpdateSoftwareDeploymentResponse::InternalServerError(not_yet())
    }

    async fn delete_software_deployment(
        &self,
        _: Credential,
        _: rts_api::server::DeleteSoftwareDeploymentParams,
    ) -> rts_api::server::DeleteSoftwareDeploymentResponse {
        rts_api::server::DeleteSoftwareDeploymentResponse::InternalServerError(not_yet())
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

fn not_yet() -> HeatErrorResponse {
    heat_error(StatusCode::INTERNAL_SERVER_ERROR, "Not implemented yet.")
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

/// The whole application: the generated router over [`Rts`], with one log line per request.
pub fn app(config: Config) -> axum::Router {
    let server_config = ServerConfig::default().body_limit(config.body_limit);
    rts_api::server::router_with_config(Rts::new(config), server_config)
        .layer(middleware::from_fn(log_request))
}

/// Logs `METHOD path status duration` on stderr once the answer is ready.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Serves [`app`] on `listener` until `shutdown` completes; in-flight requests are finished.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `addr` and serves [`app`] in the background; returns the bound address (use port 0 for
/// an ephemeral one). For tests.
pub async fn spawn(addr: SocketAddr, config: Config) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(serve(listener, config, std::future::pending()));
    Ok(local)
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

    fn request(reason: &str) -> CreateSoftwareDeploymentRequest {
        CreateSoftwareDeploymentRequest {
            action: None,
            config_id: "c".to_owned(),
            input_values: None,
            server_id: "s".to_owned(),
            stack_user_project_id: None,
            status: None,
            status_reason: Some(reason.to_owned()),
        }
    }

    async fn create(rts: &Rts, reason: &str) {
        let params = CreateSoftwareDeploymentParams {
            project_id: "p".to_owned(),
        };
        let credential = Credential::XAuthToken("t".to_owned());
        let answer = rts
            .create_software_deployment(credential, params, request(reason))
            .await;
        assert!(matches!(answer, CreateSoftwareDeploymentResponse::Ok(_)));
    }

    #[tokio::test]
    async fn the_store_keeps_at_most_max_deployments() {
        let rts = Rts::new(Config {
            max_deployments: 5,
            ..Config::default()
        });
        for _ in 0..8 {
            create(&rts, "r").await;
        }
        assert_eq!(rts.len(), 5);
    }

    #[tokio::test]
    async fn the_store_keeps_at_most_max_bytes() {
        let rts = Rts::new(Config {
            max_bytes: 10_000,
            ..Config::default()
        });
        for _ in 0..40 {
            create(&rts, &"x".repeat(1000)).await;
        }
        assert!(rts.bytes() <= 10_000, "{}", rts.bytes());
        assert!(rts.len() >= 5, "{}", rts.len());
        // One deployment larger than the whole budget is still kept, alone.
        create(&rts, &"x".repeat(20_000)).await;
        assert_eq!(rts.len(), 1);
    }

    #[test]
    fn formats_utc_like_heat() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_422_717_156), "2015-01-31T15:12:36Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(4_107_542_399), "2100-02-28T23:59:59Z");
    }
}
