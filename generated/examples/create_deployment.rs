//! Creates a software deployment on a real RTS endpoint and shows it, configured the way
//! `openstack` CLI users are:
//!
//! ```text
//! export OS_AUTH_TOKEN=$(openstack token issue -f value -c id)
//! export RTS_ENDPOINT=https://rts.eu-de.otc.t-systems.com/v1/<project_id>
//! export RTS_CONFIG_ID=<software config id>   RTS_SERVER_ID=<server id>
//! cargo run -p rts-api --features client --example create_deployment
//! ```
//!
//! `RTS_ENDPOINT` is the endpoint the service catalogue lists for `orchestration` (as
//! `openstack catalog show orchestration` prints it): the base URL, then `/v1/<project_id>`.

use std::env;
use std::process::ExitCode;

use rts_api::client::{Client, Credential};
use rts_api::operations::{
    CreateSoftwareDeploymentParams, CreateSoftwareDeploymentResponse, ShowSoftwareDeploymentParams,
    ShowSoftwareDeploymentResponse,
};
use rts_api::{CreateSoftwareDeploymentRequest, SoftwareDeploymentStatus};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("set {name} (see the example's docs)"))
}

async fn run() -> Result<(), String> {
    let token = var("OS_AUTH_TOKEN")?;
    let endpoint = var("RTS_ENDPOINT")?;
    // The spec's paths start with `/v1/{project_id}`: split the endpoint there.
    let (base_url, project_id) = endpoint
        .trim_end_matches('/')
        .rsplit_once("/v1/")
        .ok_or("RTS_ENDPOINT must end in /v1/<project_id>")?;
    let client = Client::new(base_url).with_credential(Credential::XAuthToken(token));

    let request = CreateSoftwareDeploymentRequest {
        config_id: var("RTS_CONFIG_ID")?,
        server_id: var("RTS_SERVER_ID")?,
        action: Some("CREATE".to_owned()),
        status: Some(SoftwareDeploymentStatus::InProgress),
        status_reason: Some("created by the rts-api example".to_owned()),
        input_values: None,
        stack_user_project_id: None,
    };
    let params = CreateSoftwareDeploymentParams {
        project_id: project_id.to_owned(),
    };
    let created = match client
        .create_software_deployment(&params, &request)
        .await
        .map_err(|err| err.to_string())?
    {
        CreateSoftwareDeploymentResponse::Ok(created) => created.software_deployment,
        other => return Err(format!("create failed: {other:?}")),
    };
    println!("created deployment {}", created.id);

    let params = ShowSoftwareDeploymentParams {
        project_id: project_id.to_owned(),
        deployment_id: created.id.clone(),
    };
    match client
        .show_software_deployment(&params)
        .await
        .map_err(|err| err.to_string())?
    {
        ShowSoftwareDeploymentResponse::Ok(shown) => {
            let deployment = shown.software_deployment;
            println!(
                "deployment {}: status {:?}, config {}, server {}",
                deployment.id, deployment.status, deployment.config_id, deployment.server_id
            );
            Ok(())
        }
        other => Err(format!("show failed: {other:?}")),
    }
}
