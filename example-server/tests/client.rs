//! The generated client (`rts_api::client`) against rts-server over a socket, through a deployment
//! lifecycle, with every request recorded on the way in: the client must send what openstacksdk
//! sends (flat bodies; `X-Auth-Token`, `Content-Type: application/json`, `Accept:
//! application/json`), and read every answer into the operation's response enum.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use rts_api::client::{Client, Credential, Error};
use rts_api::operations::*;
use rts_api::{
    CreateSoftwareConfigRequest, CreateSoftwareDeploymentRequest, SoftwareConfigInput,
    SoftwareDeploymentStatus, UpdateSoftwareDeploymentRequest,
};
use rts_example_server::Config;
use serde_json::{Value, json};

const TOKEN: &str = "s3cret";
const PROJECT: &str = "95d02433133a4c0a87ba6967474a2ad3";
const SERVER: &str = "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5";

/// A request as it reached the server.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// Path and query.
    uri: String,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

type Log = Arc<Mutex<Vec<Recorded>>>;

/// rts-server behind a layer that records each request, on an ephemeral loopback port.
async fn start() -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let config = Config {
        tokens: [TOKEN.to_owned()].into(),
        ..Config::default()
    };
    let recorder = log.clone();
    let app = rts_example_server::app(rts_example_server::Rts::new(config)).layer(
        middleware::from_fn(move |request: Request, next: Next| {
            let log = recorder.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                log.lock().unwrap().push(Recorded {
                    method: parts.method.to_string(),
                    uri: parts.uri.to_string(),
                    headers: parts.headers.clone(),
                    body: body.to_vec(),
                });
                let response: Response =
                    next.run(Request::from_parts(parts, Body::from(body))).await;
                response
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, log)
}

fn client(addr: SocketAddr) -> Client {
    Client::new(&format!("http://{addr}/")).with_credential(Credential::XAuthToken(TOKEN.into()))
}

async fn create_config(client: &Client, name: &str) -> String {
    let body = CreateSoftwareConfigRequest {
        name: Some(name.to_owned()),
        group: Some("script".to_owned()),
        config: Some("#!/bin/sh\necho hi".to_owned()),
        inputs: Some(vec![SoftwareConfigInput {
            name: "foo".to_owned(),
            r#type: Some("String".to_owned()),
            default: None,
            description: None,
            value: None,
        }]),
        options: None,
        outputs: None,
    };
    let params = CreateSoftwareConfigParams {
        project_id: PROJECT.to_owned(),
    };
    match client.create_software_config(&params, &body).await.unwrap() {
        CreateSoftwareConfigResponse::Ok(created) => created.software_config.id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_deployment_lifecycle_through_the_generated_client() {
    let (addr, log) = start().await;
    let client = client(addr);

    let config_id = create_config(&client, "a-config").await;
    // What `openstack software deployment create` sends.
    let create = CreateSoftwareDeploymentRequest {
        config_id: config_id.clone(),
        server_id: SERVER.to_owned(),
        action: Some("CREATE".to_owned()),
        status: Some(SoftwareDeploymentStatus::InProgress),
        input_values: None,
        stack_user_project_id: None,
        status_reason: None,
    };
    let project = || PROJECT.to_owned();
    let created = match client
        .create_software_deployment(
            &CreateSoftwareDeploymentParams {
                project_id: project(),
            },
            &create,
        )
        .await
        .unwrap()
    {
        CreateSoftwareDeploymentResponse::Ok(created) => created.software_deployment,
        other => panic!("{other:?}"),
    };
    assert_eq!(created.config_id, config_id);
    assert_eq!(created.status, Some(SoftwareDeploymentStatus::InProgress));

    let listed = client
        .list_software_deployments(&ListSoftwareDeploymentsParams {
            project_id: project(),
            server_id: Some(SERVER.to_owned()),
        })
        .await
        .unwrap();
    let ListSoftwareDeploymentsResponse::Ok(listed) = listed else {
        panic!("{listed:?}")
    };
    let ids: Vec<&str> = listed
        .software_deployments
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, [created.id.as_str()]);

    let deployment = || ShowSoftwareDeploymentParams {
        project_id: project(),
        deployment_id: created.id.clone(),
    };
    match client
        .show_software_deployment(&deployment())
        .await
        .unwrap()
    {
        ShowSoftwareDeploymentResponse::Ok(shown) => {
            assert_eq!(shown.software_deployment.id, created.id);
            assert_eq!(shown.software_deployment.server_id, SERVER);
        }
        other => panic!("{other:?}"),
    }

    // As openstacksdk and heatclient do: `"action": null` beside the change, which Heat ignores.
    let update = UpdateSoftwareDeploymentRequest {
        action: Some(None),
        status: Some(Some(SoftwareDeploymentStatus::Complete)),
        output_values: Some(Some(
            json!({"deploy_status_code": 0, "deploy_stdout": "hi"})
                .as_object()
                .unwrap()
                .clone(),
        )),
        ..UpdateSoftwareDeploymentRequest::default()
    };
    let updated = client
        .update_software_deployment(
            &UpdateSoftwareDeploymentParams {
                project_id: project(),
                deployment_id: created.id.clone(),
            },
            &update,
        )
        .await
        .unwrap();
    let UpdateSoftwareDeploymentResponse::Ok(updated) = updated else {
        panic!("{updated:?}")
    };
    assert_eq!(
        updated.software_deployment.status,
        Some(SoftwareDeploymentStatus::Complete)
    );
    assert_eq!(
        updated.software_deployment.action.as_deref(),
        Some("CREATE")
    );

    let metadata = client
        .show_server_metadata(&ShowServerMetadataParams {
            project_id: project(),
            server_id: SERVER.to_owned(),
        })
        .await
        .unwrap();
    let ShowServerMetadataResponse::Ok(metadata) = metadata else {
        panic!("{metadata:?}")
    };
    let configs: Vec<&str> = metadata.metadata.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(configs, [config_id.as_str()]);

    let delete = DeleteSoftwareDeploymentParams {
        project_id: project(),
        deployment_id: created.id.clone(),
    };
    assert_eq!(
        client.delete_software_deployment(&delete).await.unwrap(),
        DeleteSoftwareDeploymentResponse::NoContent
    );
    match client
        .show_software_deployment(&deployment())
        .await
        .unwrap()
    {
        ShowSoftwareDeploymentResponse::NotFound(error) => {
            assert_eq!(error.code, 404);
            assert_eq!(error.error.r#type, "NotFound");
        }
        other => panic!("{other:?}"),
    }

    // Paging: `limit` and `marker` (the list continues after the marker).
    create_config(&client, "b-config").await;
    create_config(&client, "c-config").await;
    let list = |limit: Option<i32>, marker: Option<String>| {
        let client = client.clone();
        async move {
            let params = ListSoftwareConfigsParams {
                project_id: PROJECT.to_owned(),
                limit,
                marker,
            };
            match client.list_software_configs(&params).await.unwrap() {
                ListSoftwareConfigsResponse::Ok(list) => list
                    .software_configs
                    .into_iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>(),
                other => panic!("{other:?}"),
            }
        }
    };
    let all = list(None, None).await;
    assert_eq!(all.len(), 3);
    assert_eq!(list(Some(1), None).await, all[..1]);
    assert_eq!(list(Some(1), Some(all[0].clone())).await, all[1..2]);
    assert_eq!(list(Some(5), Some(all[1].clone())).await, all[2..]);

    // What reached the server is what openstacksdk sends.
    let log = log.lock().unwrap().clone();
    for request in &log {
        assert_eq!(request.header("x-auth-token"), Some(TOKEN), "{request:?}");
        assert_eq!(
            request.header("accept"),
            Some("application/json"),
            "{request:?}"
        );
        if request.body.is_empty() {
            assert_eq!(request.header("content-type"), None, "{request:?}");
        } else {
            assert_eq!(
                request.header("content-type"),
                Some("application/json"),
                "{request:?}"
            );
        }
    }
    let find = |method: &str, path: &str| -> Vec<&Recorded> {
        log.iter()
            .filter(|r| r.method == method && r.uri.starts_with(path))
            .collect()
    };
    let deployments = format!("/v1/{PROJECT}/software_deployments");
    let posted = find("POST", &deployments);
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].json(),
        json!({"config_id": config_id, "server_id": SERVER, "action": "CREATE", "status": "IN_PROGRESS"}),
        "flat, and only the fields that were set"
    );
    assert_eq!(
        find("GET", &format!("{deployments}?"))[0].uri,
        format!("{deployments}?server_id={SERVER}")
    );
    let put = find("PUT", &deployments);
    let put = put[0].json();
    assert_eq!(put["status"], "COMPLETE", "flat: {put}");
    assert_eq!(put["output_values"]["deploy_stdout"], "hi", "flat: {put}");
    assert_eq!(put.get("software_deployment"), None, "flat: {put}");
    // `action` is three-state, so the explicit null goes out as written, as openstacksdk sends it.
    assert_eq!(update.action, Some(None));
    assert_eq!(
        put.get("action"),
        Some(&Value::Null),
        "explicit null: {put}"
    );
    assert_eq!(put, serde_json::to_value(&update).unwrap());
    for posted in find("POST", &format!("/v1/{PROJECT}/software_configs")) {
        let body = posted.json();
        assert!(body.get("software_config").is_none(), "flat: {body}");
        assert_eq!(body["group"], "script");
    }
    let configs = format!("/v1/{PROJECT}/software_configs");
    let paged: Vec<&str> = find("GET", &format!("{configs}?"))
        .iter()
        .map(|r| r.uri.as_str())
        .collect();
    assert_eq!(
        paged,
        [
            format!("{configs}?limit=1"),
            format!("{configs}?limit=1&marker={}", all[0]),
            format!("{configs}?limit=5&marker={}", all[1]),
        ]
    );
}

#[tokio::test]
async fn errors_say_what_went_wrong() {
    let (addr, _log) = start().await;
    let params = ShowSoftwareDeploymentParams {
        project_id: PROJECT.to_owned(),
        // Percent-encoded into one segment: it does not reach another route.
        deployment_id: "../metadata/x y".to_owned(),
    };

    // A per-call credential overrides the one set once.
    let refused = client(addr)
        .with_credential(Credential::XAuthToken("wrong".into()))
        .show_software_deployment(&params)
        .await
        .unwrap();
    assert!(
        matches!(refused, ShowSoftwareDeploymentResponse::Unauthorized { .. }),
        "{refused:?}"
    );
    match client(addr)
        .show_software_deployment(&params)
        .await
        .unwrap()
    {
        ShowSoftwareDeploymentResponse::NotFound(_) => {}
        other => panic!("{other:?}"),
    }

    // Nothing listens on the discard port: a transport error.
    let nowhere = Client::new("http://127.0.0.1:9")
        .show_software_deployment(&params)
        .await;
    assert!(matches!(nowhere, Err(Error::Transport(_))), "{nowhere:?}");

    // A server that answers an undocumented status, and one whose body does not match the spec.
    let odd = axum::Router::new()
        .route(
            "/v1/{project}/software_deployments/{id}",
            axum::routing::get(|axum::extract::Path((_, id)): axum::extract::Path<(String, String)>| async move {
                if id == "teapot" {
                    (axum::http::StatusCode::IM_A_TEAPOT, "short and stout")
                } else {
                    (
                        axum::http::StatusCode::OK,
                        r#"{"software_deployment": {"id": "d", "config_id": "c", "server_id": "s", "creation_time": 5}}"#,
                    )
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let odd_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, odd).await.unwrap() });
    let odd_client = Client::new(&format!("http://{odd_addr}"));
    let show = |id: &str| ShowSoftwareDeploymentParams {
        project_id: PROJECT.to_owned(),
        deployment_id: id.to_owned(),
    };
    match odd_client.show_software_deployment(&show("teapot")).await {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(body, b"short and stout");
        }
        other => panic!("{other:?}"),
    }
    match odd_client.show_software_deployment(&show("bad")).await {
        Err(Error::Decode { status, path, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(path, "software_deployment.creation_time");
        }
        other => panic!("{other:?}"),
    }
}
