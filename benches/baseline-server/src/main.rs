//! `rts-baseline-server`: the create endpoint written by hand in axum, the way a team would
//! without the generated router. It does the business work `rts-server` does (check the
//! token, parse the body into the same request type, check that the configuration exists in the
//! project, store a deployment with a fresh UUID and `creation_time`, answer 200 with the same
//! JSON, log one line) so that
//! `scripts/bench-stub-overhead` measures what the generated router adds.
//!
//! Usage: `rts-baseline-server --listen 127.0.0.1:0 --token T` (both required, in this order
//! or any other); prints `listening on http://ADDR` on stderr.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rts_api::{
    CreateSoftwareDeploymentRequest, SoftwareDeployment, SoftwareDeploymentResponse,
    UnauthorizedError, UnauthorizedResponse,
};

/// The same bounds as `rts-server`'s defaults.
const MAX_DEPLOYMENTS: usize = 10_000;
const MAX_BYTES: usize = 64 * 1024 * 1024;

struct App {
    tokens: BTreeSet<String>,
    store: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    /// (project, config id) of the configurations, which deployments must name.
    configs: BTreeSet<(String, String)>,
    deployments: HashMap<String, Stored>,
    order: VecDeque<String>,
    bytes: usize,
}

#[allow(
    dead_code,
    reason = "stored as rts-server stores them; never read back"
)]
struct Stored {
    project_id: String,
    stack_user_project_id: Option<String>,
    deployment: SoftwareDeployment,
    bytes: usize,
}

async fn create(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<CreateSoftwareDeploymentRequest>,
) -> Response {
    let token = headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if token.is_empty() || !app.tokens.contains(token) {
        return unauthorized();
    }
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
        + project_id.len()
        + body.stack_user_project_id.as_ref().map_or(0, String::len);
    {
        let mut store = app.store.lock().unwrap_or_else(|p| p.into_inner());
        if !store
            .configs
            .contains(&(project_id.clone(), deployment.config_id.clone()))
        {
            return (
                StatusCode::BAD_REQUEST,
                format!("Config with id {} not found", deployment.config_id),
            )
                .into_response();
        }
        while !store.order.is_empty()
            && (store.order.len() >= MAX_DEPLOYMENTS || store.bytes + bytes > MAX_BYTES)
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
                project_id,
                stack_user_project_id: body.stack_user_project_id,
                deployment: deployment.clone(),
                bytes,
            },
        );
    }
    Json(SoftwareDeploymentResponse {
        software_deployment: deployment,
    })
    .into_response()
}

/// Stores a configuration (only its id matters here) so that deployments can name it.
async fn create_config(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if token.is_empty() || !app.tokens.contains(token) {
        return unauthorized();
    }
    let id = uuid::Uuid::new_v4().to_string();
    let mut store = app.store.lock().unwrap_or_else(|p| p.into_inner());
    store.configs.insert((project_id, id.clone()));
    Json(serde_json::json!({"software_config": {"id": id}})).into_response()
}

fn unauthorized() -> Response {
    let body = UnauthorizedResponse {
        error: UnauthorizedError {
            code: 401,
            title: "Unauthorized".to_owned(),
            message: "The request you have made requires authentication.".to_owned(),
        },
    };
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            "Keystone uri=\"https://iam.eu-de.otc.t-systems.com/v3\"",
        )],
        Json(body),
    )
        .into_response()
}

/// One line per request on stderr, as `rts-server` logs.
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

/// Now in UTC as `YYYY-MM-DDThh:mm:ssZ` (civil date by Howard Hinnant's algorithm).
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
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

fn parse_args() -> Result<(SocketAddr, BTreeSet<String>), String> {
    let mut listen = None;
    let mut tokens = BTreeSet::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--listen" => listen = Some(value.parse().map_err(|e| format!("--listen: {e}"))?),
            "--token" => {
                tokens.insert(value);
            }
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    match listen {
        Some(listen) if !tokens.is_empty() => Ok((listen, tokens)),
        _ => Err("usage: rts-baseline-server --listen ADDR --token T".to_owned()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let (listen, tokens) = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("rts-baseline-server: {message}");
            return ExitCode::FAILURE;
        }
    };
    let app = Arc::new(App {
        tokens,
        store: Mutex::new(Store::default()),
    });
    let router = axum::Router::new()
        .route("/v1/{project_id}/software_deployments", post(create))
        .route("/v1/{project_id}/software_configs", post(create_config))
        .with_state(app)
        .layer(middleware::from_fn(log_request));
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("rts-baseline-server: cannot listen on {listen}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(listen);
    eprintln!("rts-baseline-server: listening on http://{address}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rts-baseline-server: {err}");
            ExitCode::FAILURE
        }
    }
}
