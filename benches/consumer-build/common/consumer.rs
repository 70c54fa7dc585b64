// What both consumer crates do with the RTS types (included by each `src/main.rs`, where `api`
// names the types): build a create request, read the answers the service gives, print them.
// scripts/bench-consumer-build checks that both print the same.

use api::{
    CreateSoftwareDeploymentRequest, HeatErrorResponse, SoftwareDeployment,
    SoftwareDeploymentResponse, SoftwareDeploymentStatus, UnauthorizedResponse,
};

/// The body of a create request that starts running `config_id` on `server_id`.
fn create_request(config_id: &str, server_id: &str) -> String {
    let mut inputs = serde_json::Map::new();
    inputs.insert("deploy_server_id".to_owned(), server_id.into());
    let request = CreateSoftwareDeploymentRequest {
        action: Some("CREATE".to_owned()),
        config_id: config_id.to_owned(),
        input_values: Some(inputs),
        server_id: server_id.to_owned(),
        stack_user_project_id: None,
        status: Some(SoftwareDeploymentStatus::InProgress),
        status_reason: Some("Deploy data available".to_owned()),
    };
    serde_json::to_string(&request).expect("a request serializes")
}

/// The deployment in a 200 answer, or the message of an error answer.
fn read_answer(status: u16, body: &str) -> Result<SoftwareDeployment, String> {
    match status {
        200 => serde_json::from_str::<SoftwareDeploymentResponse>(body)
            .map(|answer| answer.software_deployment)
            .map_err(|e| format!("unreadable answer: {e}")),
        401 => match serde_json::from_str::<UnauthorizedResponse>(body) {
            Ok(answer) => Err(format!("401 {}", answer.error.message)),
            Err(e) => Err(format!("unreadable 401: {e}")),
        },
        _ => match serde_json::from_str::<HeatErrorResponse>(body) {
            Ok(answer) => Err(format!(
                "{} {} ({}): {}",
                answer.code, answer.title, answer.error.r#type, answer.error.message
            )),
            Err(e) => Err(format!("unreadable {status}: {e}")),
        },
    }
}

fn main() {
    println!("{}", create_request("8da95794", "ec14c864"));
    let answers = [
        (
            200,
            r#"{"software_deployment": {"id": "ef422fa5", "config_id": "8da95794", "server_id": "ec14c864", "action": "CREATE", "status": "COMPLETE", "status_reason": null, "input_values": {}, "output_values": null, "creation_time": "2015-01-31T15:12:36Z"}}"#,
        ),
        (
            400,
            r#"{"code": 400, "title": "Bad Request", "explanation": "...", "error": {"type": "HTTPBadRequest", "message": "Invalid request body", "traceback": null}}"#,
        ),
        (
            401,
            r#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#,
        ),
    ];
    for (status, body) in answers {
        match read_answer(status, body) {
            Ok(deployment) => {
                let state = deployment.status.map_or("-".to_owned(), |s| s.to_string());
                println!("{} {state} {}", deployment.id, deployment.creation_time);
                println!(
                    "{}",
                    serde_json::to_string(&deployment).expect("serializes")
                );
            }
            Err(message) => println!("{message}"),
        }
    }
}
