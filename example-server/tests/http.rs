//! The example server over a real socket: rts-server's app on an ephemeral loopback port, driven
//! by an HTTP client (reqwest) and, where a client would not misbehave enough, a raw TCP stream.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::request::Parts;
use reqwest::StatusCode;
use rts_api::CreateSoftwareDeploymentRequest;
use rts_api::server::{
    self, Api, BadRequest, CreateSoftwareDeploymentParams, CreateSoftwareDeploymentResponse,
    Credential, InternalServerError, Rejection, Unauthorized,
};
use rts_example_server::{Config, Rts};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "s3cret";
const PROJECT: &str = "95d02433133a4c0a87ba6967474a2ad3";

fn config() -> Config {
    Config {
        tokens: [TOKEN.to_owned(), "other".to_owned()].into(),
        ..Config::default()
    }
}

async fn start(config: Config) -> SocketAddr {
    rts_example_server::spawn("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("binds an ephemeral port")
}

fn url(addr: SocketAddr) -> String {
    format!("http://{addr}/v1/{PROJECT}/software_deployments")
}

/// A software configuration on the server, to deploy: its id.
async fn create_config(addr: SocketAddr) -> String {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/{PROJECT}/software_configs"))
        .header("X-Auth-Token", TOKEN)
        .json(&json!({"name": "a-config", "group": "script", "config": "#!/bin/sh"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    answer["software_config"]["id"].as_str().unwrap().to_owned()
}

/// A valid deployment body, of a configuration just created.
async fn valid_body(addr: SocketAddr) -> Value {
    json!({
        "config_id": create_config(addr).await,
        "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
    })
}

async fn post_json(addr: SocketAddr, token: Option<&str>, body: String) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url(addr))
        .header("Content-Type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.header("X-Auth-Token", token);
    }
    request.send().await.expect("the server answers")
}

/// Asserts a Heat error body with `status` and returns its `error.message`.
async fn heat_error(response: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["code"], status.as_u16());
    assert_eq!(body["title"], status.canonical_reason().unwrap());
    assert!(body["explanation"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(body["error"]["traceback"], Value::Null);
    assert!(body["error"]["type"].as_str().unwrap().starts_with("HTTP"));
    body["error"]["message"].as_str().unwrap().to_owned()
}

async fn bad_request(addr: SocketAddr, body: Value) -> String {
    let response = post_json(addr, Some(TOKEN), body.to_string()).await;
    heat_error(response, StatusCode::BAD_REQUEST).await
}

#[tokio::test]
async fn creates_a_deployment_with_heats_defaults() {
    let addr = start(config()).await;
    let mut body = valid_body(addr).await;
    // An unknown key (heatclient sends one) is ignored; stack_user_project_id is never echoed.
    body["tenant_id"] = json!("asdf");
    body["stack_user_project_id"] = json!("c024bfada67845ddb17d2b0c0be8cd79");
    let response = post_json(addr, Some(TOKEN), body.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let answer: Value = response.json().await.unwrap();
    let deployment = answer["software_deployment"].as_object().unwrap();
    let mut keys: Vec<&str> = deployment.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "config_id",
            "creation_time",
            "id",
            "input_values",
            "output_values",
            "server_id",
            "status",
            "status_reason"
        ]
    );
    assert_eq!(deployment["config_id"], body["config_id"]);
    assert_eq!(deployment["server_id"], body["server_id"]);
    assert_eq!(deployment["input_values"], json!({}));
    for null in ["action", "status", "status_reason", "output_values"] {
        assert_eq!(deployment[null], Value::Null, "{null}");
    }
    let id = uuid::Uuid::parse_str(deployment["id"].as_str().unwrap()).unwrap();
    assert_eq!(id.get_version_num(), 4);
    let time = deployment["creation_time"].as_str().unwrap();
    assert_eq!(time.len(), "2015-01-31T15:12:36Z".len(), "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");

    // Another token of --token works too, and each deployment gets its own id.
    let second = post_json(addr, Some("other"), valid_body(addr).await.to_string()).await;
    let second: Value = second.json().await.unwrap();
    assert_ne!(second["software_deployment"]["id"], deployment["id"]);
}

#[tokio::test]
async fn keeps_the_given_fields() {
    let addr = start(config()).await;
    let body = json!({
        "config_id": create_config(addr).await, "server_id": "s", "action": "CREATE",
        "status": "IN_PROGRESS",
        "status_reason": "Deploy data available", "input_values": {"a": [1, {"b": null}]},
    });
    let response = post_json(addr, Some(TOKEN), body.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    let deployment = &answer["software_deployment"];
    for key in ["action", "status", "status_reason", "input_values"] {
        assert_eq!(deployment[key], body[key], "{key}");
    }
}

#[tokio::test]
async fn a_missing_empty_or_unknown_token_gets_401_with_www_authenticate() {
    let addr = start(config()).await;
    for token in [None, Some(""), Some("   "), Some("wrong")] {
        let response = post_json(addr, token, valid_body(addr).await.to_string()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(
            response.headers()["www-authenticate"],
            "Keystone uri=\"https://iam.eu-de.otc.t-systems.com/v3\""
        );
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({"error": {"code": 401, "title": "Unauthorized",
                "message": "The request you have made requires authentication."}})
        );
    }
}

#[tokio::test]
async fn the_token_is_checked_before_the_body() {
    let addr = start(config()).await;
    let response = post_json(addr, None, "{not json".to_owned()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_gets_400() {
    let addr = start(config()).await;
    let response = post_json(addr, Some(TOKEN), "{\"config_id\": ".to_owned()).await;
    let message = heat_error(response, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("not valid JSON"), "{message}");
}

#[tokio::test]
async fn a_body_that_is_not_an_object_gets_400() {
    let addr = start(config()).await;
    for body in [json!([1, 2]), json!("text"), json!(5), Value::Null] {
        let message = bad_request(addr, body.clone()).await;
        assert!(
            message.contains("is not of type \"object\""),
            "{body}: {message}"
        );
    }
}

#[tokio::test]
async fn a_non_json_content_type_gets_400() {
    let addr = start(config()).await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response = reqwest::Client::new()
            .post(url(addr))
            .header("X-Auth-Token", TOKEN)
            .header("Content-Type", content_type)
            .body(valid_body(addr).await.to_string())
            .send()
            .await
            .unwrap();
        let message = heat_error(response, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("Content-Type"), "{message}");
        assert!(message.contains(content_type), "{message}");
    }
    // No Content-Type at all, on a body.
    let response = reqwest::Client::new()
        .post(url(addr))
        .header("X-Auth-Token", TOKEN)
        .body(valid_body(addr).await.to_string())
        .send()
        .await
        .unwrap();
    let message = heat_error(response, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("Content-Type"), "{message}");
    // A JSON media type with parameters is JSON.
    let response = reqwest::Client::new()
        .post(url(addr))
        .header("X-Auth-Token", TOKEN)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(valid_body(addr).await.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_empty_body_gets_400() {
    let addr = start(config()).await;
    let response = post_json(addr, Some(TOKEN), String::new()).await;
    let message = heat_error(response, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("missing"), "{message}");
}

#[tokio::test]
async fn schema_violations_get_400_naming_the_field() {
    let addr = start(config()).await;
    let cases = [
        (
            json!({"server_id": "s"}),
            "\"config_id\" is a required property",
        ),
        (
            json!({"config_id": "c"}),
            "\"server_id\" is a required property",
        ),
        (
            json!({"config_id": 5, "server_id": "s"}),
            "'config_id' in the request body: 5 is not of type \"string\"",
        ),
        (
            json!({"config_id": "c", "server_id": "s", "status": "DONE"}),
            "'status' in the request body: \"DONE\" is not one of",
        ),
        (
            json!({"config_id": "c", "server_id": "s", "action": null}),
            "'action' in the request body: null is not of type \"string\"",
        ),
        (
            json!({"config_id": "c", "server_id": "s", "input_values": [1]}),
            "'input_values' in the request body",
        ),
        (
            json!({"config_id": "c", "server_id": "s", "stack_user_project_id": "x".repeat(65)}),
            "'stack_user_project_id' in the request body",
        ),
    ];
    for (body, expected) in cases {
        let message = bad_request(addr, body.clone()).await;
        assert!(message.contains(expected), "{body}: {message}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_400_without_being_read() {
    let addr = start(Config {
        body_limit: 1024,
        ..config()
    })
    .await;
    // Announced too long: the answer comes although the body is never sent.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/{PROJECT}/software_deployments HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{{\"config_id\": "
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_head(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");

    // Chunked, with no length: refused once the limit is passed.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/{PROJECT}/software_deployments HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("400\r\n{}\r\n", " ".repeat(0x400));
    for _ in 0..2 {
        stream.write_all(chunk.as_bytes()).await.unwrap();
    }
    let answer = read_head(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(answer.contains("Request limit exceeded"), "{answer}");

    // Through a client: the Heat body says what happened.
    let big = json!({"config_id": "c", "server_id": "s", "status_reason": "x".repeat(2000)});
    let message = bad_request(addr, big).await;
    assert!(message.contains("longer than 1024 bytes"), "{message}");
}

/// Reads until the answer's head and some body are in, or the server closes.
async fn read_head(stream: &mut tokio::net::TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.unwrap_or(0);
            buffer.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buffer);
            if n == 0 || text.contains("\r\n\r\n{") && text.ends_with('}') {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("the server answers without the whole body");
    String::from_utf8_lossy(&buffer).into_owned()
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let addr = start(config()).await;
    let client = reqwest::Client::new();
    for method in ["PUT", "DELETE", "PATCH"] {
        let response = client
            .request(method.parse().unwrap(), url(addr))
            .header("X-Auth-Token", TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], "GET,HEAD,POST", "{method}");
        let message = heat_error(response, StatusCode::METHOD_NOT_ALLOWED).await;
        assert!(message.contains(method), "{message}");
    }
}

#[tokio::test]
async fn an_unknown_path_gets_404() {
    let addr = start(config()).await;
    let response = reqwest::get(format!("http://{addr}/v1/{PROJECT}/nothing"))
        .await
        .unwrap();
    heat_error(response, StatusCode::NOT_FOUND).await;
}

/// Methods of [`Api`] that only pass the call on to `self.0`.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),* $(,)?) -> $answer:ty;)*) => {
        $(
            async fn $name(&self, request: &Parts, $($arg: $ty),*) -> $answer {
                self.0.$name(request, $($arg),*).await
            }
        )*
    };
}

/// An implementation that panics in an operation, to see the router survive it.
struct Panicking(Rts);

impl Api for Panicking {
    async fn create_software_deployment(
        &self,
        request: &Parts,
        credential: Credential,
        params: CreateSoftwareDeploymentParams,
        body: CreateSoftwareDeploymentRequest,
    ) -> CreateSoftwareDeploymentResponse {
        if body.server_id == "boom" {
            panic!("internal detail: database password is hunter2");
        }
        self.0
            .create_software_deployment(request, credential, params, body)
            .await
    }

    delegate! {
        list_versions() -> server::ListVersionsResponse;
        show_version() -> server::ShowVersionResponse;
        list_software_configs(c: Credential, p: server::ListSoftwareConfigsParams)
            -> server::ListSoftwareConfigsResponse;
        create_software_config(
            c: Credential,
            p: server::CreateSoftwareConfigParams,
            b: rts_api::CreateSoftwareConfigRequest,
        ) -> server::CreateSoftwareConfigResponse;
        show_software_config(c: Credential, p: server::ShowSoftwareConfigParams)
            -> server::ShowSoftwareConfigResponse;
        delete_software_config(c: Credential, p: server::DeleteSoftwareConfigParams)
            -> server::DeleteSoftwareConfigResponse;
        list_software_deployments(c: Credential, p: server::ListSoftwareDeploymentsParams)
            -> server::ListSoftwareDeploymentsResponse;
        show_software_deployment(c: Credential, p: server::ShowSoftwareDeploymentParams)
            -> server::ShowSoftwareDeploymentResponse;
        update_software_deployment(
            c: Credential,
            p: server::UpdateSoftwareDeploymentParams,
            b: rts_api::UpdateSoftwareDeploymentRequest,
        ) -> server::UpdateSoftwareDeploymentResponse;
        delete_software_deployment(c: Credential, p: server::DeleteSoftwareDeploymentParams)
            -> server::DeleteSoftwareDeploymentResponse;
        show_server_metadata(c: Credential, p: server::ShowServerMetadataParams)
            -> server::ShowServerMetadataResponse;
    }

    async fn authenticate(&self, credential: &Credential) -> bool {
        self.0.authenticate(credential).await
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        self.0.bad_request(rejection)
    }

    fn unauthorized(&self, rejection: &Rejection) -> Unauthorized {
        self.0.unauthorized(rejection)
    }

    fn internal_server_error(&self, rejection: &Rejection) -> InternalServerError {
        self.0.internal_server_error(rejection)
    }
}

#[tokio::test]
async fn a_panic_gets_500_leaks_nothing_and_the_server_keeps_serving() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = rts_api::server::router(Panicking(Rts::new(config())));
    tokio::spawn(async move { axum::serve(listener, app).await });

    for _ in 0..3 {
        let body = json!({"config_id": "c", "server_id": "boom"});
        let response = post_json(addr, Some(TOKEN), body.to_string()).await;
        let text_status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(text_status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.to_string().contains("hunter2"), "{body}");
        assert!(!body.to_string().contains("panic"), "{body}");
        assert_eq!(body["code"], 500);
        assert_eq!(body["title"], "Internal Server Error");
        assert_eq!(body["error"]["type"], "HTTPInternalServerError");
    }
    let response = post_json(addr, Some(TOKEN), valid_body(addr).await.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn still_answers_after_a_burst_of_bad_requests() {
    let addr = start(config()).await;
    let client = reqwest::Client::new();
    let bad: [(&str, Option<&str>, &str); 5] = [
        ("POST", Some(TOKEN), "{"),
        ("POST", None, "{}"),
        ("POST", Some(TOKEN), "[]"),
        ("DELETE", Some(TOKEN), ""),
        ("POST", Some(TOKEN), "{\"config_id\": 1}"),
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..400 {
        let (method, token, body) = bad[round % bad.len()];
        let mut request = client
            .request(method.parse().unwrap(), url(addr))
            .header("Content-Type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.header("X-Auth-Token", token);
        }
        tasks.spawn(async move { request.send().await.map(|r| r.status()) });
        if tasks.len() >= 32 {
            let status = tasks.join_next().await.unwrap().unwrap().unwrap();
            assert!(status.is_client_error(), "{status}");
        }
    }
    while let Some(status) = tasks.join_next().await {
        assert!(status.unwrap().unwrap().is_client_error());
    }
    let response = post_json(addr, Some(TOKEN), valid_body(addr).await.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
}
