//! The software deployment resource and its create operation.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, OneOfBuilder, Ref, Schema, Type};

use crate::errors::{HeatErrorResponse, UnauthorizedResponse};

/// Status of a software deployment.
///
/// The RTS documentation lists these three values; the wire form is upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SoftwareDeploymentStatus {
    /// The deployment finished successfully.
    Complete,
    /// The deployment is running.
    InProgress,
    /// The deployment failed.
    Failed,
}

/// Body of a request that creates a software deployment.
///
/// The object is sent flat (not wrapped in `software_deployment`). Unknown keys are ignored by
/// the service, so the schema allows additional properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreateSoftwareDeploymentRequest {
    /// Stack action that triggers this software deployment (Heat uses `CREATE`, `UPDATE`,
    /// `DELETE`, `SUSPEND`, `RESUME` and `INIT`).
    // Optional fields are omitted, never sent as null: the documentation gives no null form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub action: Option<String>,
    /// ID of the software configuration to run on the server.
    pub config_id: String,
    /// Input data, stored as key/value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub input_values: Option<Map<String, Value>>,
    /// ID of the server the software configuration is deployed to.
    pub server_id: String,
    /// ID of the authenticated tenant (project) that can operate on the deployment resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 64)]
    pub stack_user_project_id: Option<String>,
    /// Status of the software deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status: Option<SoftwareDeploymentStatus>,
    /// Reason for the software deployment status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status_reason: Option<String>,
}

/// A software deployment: a software configuration applied to a server.
///
/// Every key is always present; keys without a value are written as `null`, not dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareDeployment {
    /// Software deployment UUID.
    pub id: String,
    /// ID of the software configuration running on the server.
    pub config_id: String,
    /// ID of the server.
    pub server_id: String,
    /// Stack action that triggered this software deployment; null when none was given.
    #[schema(required = true)]
    pub action: Option<String>,
    /// Status of the software deployment; null when none was given.
    #[schema(required = true, schema_with = nullable_status)]
    pub status: Option<SoftwareDeploymentStatus>,
    /// Reason for the software deployment status; null when none was given.
    #[schema(required = true)]
    pub status_reason: Option<String>,
    /// Input data, stored as key/value pairs.
    #[schema(required = true)]
    pub input_values: Option<Map<String, Value>>,
    /// Output data, stored as key/value pairs; null until the server reports outputs.
    #[schema(required = true)]
    pub output_values: Option<Map<String, Value>>,
    /// Creation time in ISO 8601 format (`CCYY-MM-DDThh:mm:ss±hh:mm`, or `Z` for UTC).
    #[schema(format = DateTime)]
    pub creation_time: String,
}

/// Schema of [`SoftwareDeployment::status`]: the status or null, described on the property.
///
/// The derive alone puts the field's description inside the `$ref` branch of the `oneOf`,
/// where tools do not show it; `schema_with` ignores the doc comment, hence the repeated text.
fn nullable_status() -> Schema {
    OneOfBuilder::new()
        .item(Ref::from_schema_name(SoftwareDeploymentStatus::name()))
        .item(Object::with_type(Type::Null))
        .description(Some(
            "Status of the software deployment; null when none was given.",
        ))
        .build()
        .into()
}

/// Response to a software deployment creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareDeploymentResponse {
    /// The software deployment that was created.
    pub software_deployment: SoftwareDeployment,
}

/// Create a software deployment
///
/// Creates a software deployment, which runs a software configuration (`config_id`) on a server
/// (`server_id`). The RTS documentation titles this API "Creating One or More Software
/// Deployments"; each request creates one deployment. The body is a flat JSON object, not
/// wrapped in `software_deployment`; unknown keys are ignored. The answer wraps the new
/// deployment in `software_deployment`.
#[utoipa::path(
    post,
    path = "/v1/{project_id}/software_deployments",
    operation_id = "createSoftwareDeployment",
    tag = "Software Deployments",
    params(
        ("project_id" = String, Path,
            description = "ID of the project (Keystone project ID, 32 hexadecimal characters).",
            example = "95d02433133a4c0a87ba6967474a2ad3"),
    ),
    request_body(
        content = CreateSoftwareDeploymentRequest,
        content_type = "application/json",
        description = "The software deployment to create.",
        example = json!({
            "status": "IN_PROGRESS",
            "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
            "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
            "stack_user_project_id": "c024bfada67845ddb17d2b0c0be8cd79",
            "action": "CREATE",
            "status_reason": "Deploy data available"
        }),
    ),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareDeploymentResponse, content_type = "application/json",
            example = json!({
                "software_deployment": {
                    "status": "IN_PROGRESS",
                    "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
                    "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
                    "output_values": null,
                    "input_values": null,
                    "action": "CREATE",
                    "status_reason": "Deploy data available",
                    "id": "ef422fa5-719a-419e-a10c-72e3a367b0b8",
                    "creation_time": "2015-01-31T15:12:36Z"
                }
            }),
        ),
        (status = 400, description = "The server failed to process the request.",
            body = HeatErrorResponse, content_type = "application/json",
            example = json!({
                "code": 400,
                "title": "Bad Request",
                "explanation": "The server could not comply with the request since it is either malformed or otherwise incorrect.",
                "error": {
                    "type": "HTTPBadRequest",
                    "message": "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
                    "traceback": null
                }
            }),
        ),
        (status = 401, description = "Authorization failed.",
            body = UnauthorizedResponse, content_type = "application/json",
            headers(
                ("WWW-Authenticate" = String,
                    description = "Where to get a token: `Keystone uri=\"<identity endpoint>\"`."),
            ),
            example = json!({
                "error": {
                    "code": 401,
                    "title": "Unauthorized",
                    "message": "The request you have made requires authentication."
                }
            }),
        ),
        (status = 500, description = "Failed to complete the request because of an internal service error.",
            body = HeatErrorResponse, content_type = "application/json",
            example = json!({
                "code": 500,
                "title": "Internal Server Error",
                "explanation": "The server has either erred or is incapable of performing the requested operation.",
                "error": {
                    "type": "DBError",
                    "message": "(pymysql.err.IntegrityError) (1048, \"Column 'server_id' cannot be null\")",
                    "traceback": null
                }
            }),
        ),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn create_software_deployment() {}
