//! `rts-client-overhead generated|handwritten BASE_URL TOKEN COUNT`: creates a software config,
//! then sends COUNT create-deployment requests one after the other over one keep-alive
//! connection, through the generated client or through a hand-written reqwest call that does the
//! same (same headers, same body, the answer decoded into the same type). Exits non-zero on any
//! answer but 200. scripts/bench-client-overhead runs it under callgrind.

use std::process::ExitCode;

use rts_api::client::{Client, Credential};
use rts_api::operations::{CreateSoftwareDeploymentParams, CreateSoftwareDeploymentResponse};
use rts_api::{
    CreateSoftwareDeploymentRequest, SoftwareDeploymentResponse, SoftwareDeploymentStatus,
};

const PROJECT: &str = "95d02433133a4c0a87ba6967474a2ad3";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, base_url, token, count] = args.as_slice() else {
        eprintln!("usage: rts-client-overhead generated|handwritten BASE_URL TOKEN COUNT");
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("COUNT must be a number");
        return ExitCode::from(2);
    };
    // One thread: callgrind runs threads one at a time anyway, and both modes pay the same.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(mode, base_url, token, count)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rts-client-overhead: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(mode: &str, base_url: &str, token: &str, count: usize) -> Result<(), String> {
    let http = reqwest::Client::new();
    // A configuration to deploy (rts-server deploys only configurations it has).
    let config: serde_json::Value = http
        .post(format!("{base_url}/v1/{PROJECT}/software_configs"))
        .header("X-Auth-Token", token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|err| err.to_string())?
        .json()
        .await
        .map_err(|err| err.to_string())?;
    let body = CreateSoftwareDeploymentRequest {
        action: Some("CREATE".to_owned()),
        config_id: config["software_config"]["id"]
            .as_str()
            .ok_or("no config id")?
            .to_owned(),
        server_id: "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5".to_owned(),
        status: Some(SoftwareDeploymentStatus::InProgress),
        status_reason: Some("Deploy data available".to_owned()),
        input_values: Some(serde_json::Map::from_iter([
            ("cluster".to_owned(), "a".into()),
            ("replicas".to_owned(), 3.into()),
        ])),
        stack_user_project_id: None,
    };
    match mode {
        "generated" => {
            let client = Client::with_http_client(http, base_url)
                .with_credential(Credential::XAuthToken(token.to_owned()));
            let params = CreateSoftwareDeploymentParams {
                project_id: PROJECT.to_owned(),
            };
            for _ in 0..count {
                match client.create_software_deployment(&params, &body).await {
                    Ok(CreateSoftwareDeploymentResponse::Ok(created)) => {
                        std::hint::black_box(created);
                    }
                    other => return Err(format!("{other:?}")),
                }
            }
        }
        "handwritten" => {
            let url = format!("{base_url}/v1/{PROJECT}/software_deployments");
            for _ in 0..count {
                let response = http
                    .post(&url)
                    .header("X-Auth-Token", token)
                    .header("Accept", "application/json")
                    .json(&body)
                    .send()
                    .await
                    .map_err(|err| err.to_string())?;
                if response.status() != reqwest::StatusCode::OK {
                    return Err(format!("answer {}", response.status()));
                }
                let created: SoftwareDeploymentResponse =
                    response.json().await.map_err(|err| err.to_string())?;
                std::hint::black_box(created);
            }
        }
        other => return Err(format!("unknown mode {other:?}")),
    }
    Ok(())
}
