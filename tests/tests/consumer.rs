//! Uses the generated crate the way a client of the API would: build a request, send it as
//! JSON, read the answer and the error bodies.

use rts_api::{
    CreateSoftwareDeploymentRequest, HeatErrorResponse, SoftwareDeploymentResponse,
    SoftwareDeploymentStatus,
};

fn request_for(server_id: &str) -> CreateSoftwareDeploymentRequest {
    CreateSoftwareDeploymentRequest {
        action: Some("CREATE".to_owned()),
        config_id: "8da95794-2ad9-4979-8ae5-739ce314c5cd".to_owned(),
        input_values: Some(serde_json::Map::from_iter([(
            "foo".to_owned(),
            "bar".into(),
        )])),
        server_id: server_id.to_owned(),
        stack_user_project_id: None,
        status: Some(SoftwareDeploymentStatus::InProgress),
        status_reason: None,
    }
}

#[test]
fn a_client_sends_only_what_it_set() {
    let body = serde_json::to_string(&request_for("ec14c864")).unwrap();
    assert_eq!(
        body,
        r#"{"action":"CREATE","config_id":"8da95794-2ad9-4979-8ae5-739ce314c5cd","input_values":{"foo":"bar"},"server_id":"ec14c864","status":"IN_PROGRESS"}"#
    );
}

#[test]
fn a_client_reads_the_answer_and_reacts_to_the_status() {
    let answer = r#"{"software_deployment": {"id": "d1", "config_id": "c", "server_id": "s",
        "action": "CREATE", "status": "FAILED", "status_reason": "boom", "input_values": {},
        "output_values": {"deploy_status_code": 1}, "creation_time": "2015-01-31T15:12:36Z"}}"#;
    let SoftwareDeploymentResponse {
        software_deployment,
    } = serde_json::from_str(answer).unwrap();
    let verdict = match software_deployment.status {
        Some(SoftwareDeploymentStatus::Failed) => format!(
            "failed: {}",
            software_deployment.status_reason.unwrap_or_default()
        ),
        Some(other) => format!("state {other}"),
        None => "no status".to_owned(),
    };
    assert_eq!(verdict, "failed: boom");
    assert_eq!(
        SoftwareDeploymentStatus::InProgress.to_string(),
        "IN_PROGRESS"
    );
    assert_eq!(SoftwareDeploymentStatus::ALL.len(), 3);
}

#[test]
fn a_client_reports_heat_errors_by_their_message() {
    let answer = r#"{"code": 400, "title": "Bad Request", "explanation": "The server could not comply with the request since it is either malformed or otherwise incorrect.",
        "error": {"type": "HTTPBadRequest", "message": "Data supplied was not valid: Config with id x not found", "traceback": null}}"#;
    let error: HeatErrorResponse = serde_json::from_str(answer).unwrap();
    assert_eq!(error.error.r#type, "HTTPBadRequest");
    assert!(
        error
            .error
            .message
            .starts_with("Data supplied was not valid")
    );
}
