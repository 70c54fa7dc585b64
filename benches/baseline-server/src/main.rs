//! `rts-baseline-server`: the create endpoint written by hand in axum, the way a team would
//! without the generated router. It does the business work `rts-server` does with the same
//! code: it checks the token, parses the body into the same request type with axum's `Json`,
//! and calls `rts-server`'s own store (which checks that the configuration exists and stores
//! the deployment with a fresh UUID and `creation_time`), answers 200 with the same JSON and
//! logs one line. So `scripts/bench-stub-overhead` measures what the generated router adds.
//!
//! Usage: `rts-baseline-server --listen 127.0.0.1:0 --token T` (both required, in this order
//! or any other); prints `listening on http://ADDR` on stderr.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rts_api::{
    CreateSoftwareConfigRequest, CreateSoftwareDeploymentRequest, SoftwareConfigResponse,
    SoftwareDeploymentResponse, UnauthorizedError, UnauthorizedResponse,
};
use rts_example_server::{Limits, Store, heat_error, utc_now};

/// The tokens, and the store `rts-server` uses (the same code, with limits no run reaches),
/// so that both servers do the same business work.
struct App {
    tokens: BTreeSet<String>,
    limits: Limits,
    store: Mutex<Store>,
}

impl App {
    fn authorized(&self, headers: &HeaderMap) -> bool {
        let token = headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default();
        !token.is_empty() && self.tokens.contains(token)
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn create(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<CreateSoftwareDeploymentRequest>,
) -> Response {
    if !app.authorized(&headers) {
        return unauthorized();
    }
    let created = app
        .store()
        .create_deployment(app.limits, &project_id, body, utc_now());
    match created {
        Ok(deployment) => Json(SoftwareDeploymentResponse {
            software_deployment: deployment,
        })
        .into_response(),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(heat_error(StatusCode::BAD_REQUEST, &error.to_string())),
        )
            .into_response(),
    }
}

/// Creates a configuration so that deployments can name it.
async fn create_config(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<CreateSoftwareConfigRequest>,
) -> Response {
    if !app.authorized(&headers) {
        return unauthorized();
    }
    let created = app
        .store()
        .create_config(app.limits, &project_id, body, utc_now());
    match created {
        Ok(config) => Json(SoftwareConfigResponse {
            software_config: config,
        })
        .into_response(),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(heat_error(StatusCode::BAD_REQUEST, &error.to_string())),
        )
            .into_response(),
    }
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
    // One write a line, as rts-server logs.
    let line = format!(
        "{method} {path} {} {:.1}ms\n",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    response
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
    // No limits: rts-server runs the benchmark with limits no run reaches, too.
    let app = Arc::new(App {
        tokens,
        limits: Limits {
            max_objects: usize::MAX,
            max_bytes: usize::MAX,
        },
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
