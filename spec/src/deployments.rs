//! The software deployment resource and its create operation.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, OneOfBuilder, Ref, Schema, Type};

use crate::configs::SoftwareConfig;
use crate::params::{
    ListSoftwareDeploymentsQuery, ProjectPath, ServerPath, SoftwareDeploymentPath,
};
use crate::responses::{BadRequest, InternalServerError, NotFound, Unauthorized};

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
    #[schema(min_length = 1)]
    pub config_id: String,
    /// Input data, stored as key/value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub input_values: Option<Map<String, Value>>,
    /// ID of the server the software configuration is deployed to.
    #[schema(min_length = 1)]
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
    /// Time of the last update in ISO 8601 format; absent until the deployment is updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub updated_time: Option<String>,
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

/// One software deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareDeploymentResponse {
    /// The software deployment.
    pub software_deployment: SoftwareDeployment,
}

/// Body of a request that updates a software deployment.
///
/// Every field is optional; only keys whose value is not null are applied, so clients may send
/// `"action": null` to leave the action as it is. The server and the tenant cannot change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UpdateSoftwareDeploymentRequest {
    /// Stack action that triggers this update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// ID of the software configuration to run instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_id: Option<String>,
    /// Input data, stored as key/value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_values: Option<Map<String, Value>>,
    /// Output data reported by the server, as key/value pairs (`deploy_stdout`,
    /// `deploy_stderr`, `deploy_status_code`, and the configuration's outputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_values: Option<Map<String, Value>>,
    /// New status of the software deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = optional_status)]
    pub status: Option<SoftwareDeploymentStatus>,
    /// Reason for the new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

/// Schema of [`UpdateSoftwareDeploymentRequest::status`]: the status or null, described on the
/// property (see [`nullable_status`]).
fn optional_status() -> Schema {
    OneOfBuilder::new()
        .item(Ref::from_schema_name(SoftwareDeploymentStatus::name()))
        .item(Object::with_type(Type::Null))
        .description(Some("New status of the software deployment."))
        .build()
        .into()
}

/// The software deployments of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareDeploymentList {
    /// The deployments.
    pub software_deployments: Vec<SoftwareDeployment>,
}

/// What a server's agent reads to configure the server: the configurations deployed to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServerMetadataResponse {
    /// The software configuration of each of the server's deployments, as showing it answers,
    /// sorted by name.
    pub metadata: Vec<SoftwareConfig>,
}

/// Create a software deployment
///
/// Creates a software deployment, which runs a software configuration (`config_id`) on a server
/// (`server_id`). The RTS documentation titles this API "Creating One or More Software
/// Deployments"; each request creates one deployment. The body is a flat JSON object, not
/// wrapped in `software_deployment`; unknown keys are ignored. `config_id` must name a software
/// configuration of the project, else the answer is 400 ("Data supplied was not valid: Config
/// with id … not found"). The answer wraps the new deployment in `software_deployment`.
/// When the service has reached a limit on what it stores, the create is refused with 400 and
/// Heat's error body, `error.type` `RequestLimitExceeded` and a message that starts with
/// `Request limit exceeded: `; nothing is stored or dropped.
#[utoipa::path(
    post,
    path = "/v1/{project_id}/software_deployments",
    operation_id = "createSoftwareDeployment",
    tag = "Software Deployments",
    params(ProjectPath),
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
            links(
                ("ShowSoftwareDeployment" = (
                    operation_id = "showSoftwareDeployment",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("deployment_id" = "$response.body#/software_deployment/id"),
                    ),
                    description = "The software deployment just created.",
                )),
                ("UpdateSoftwareDeployment" = (
                    operation_id = "updateSoftwareDeployment",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("deployment_id" = "$response.body#/software_deployment/id"),
                    ),
                    description = "Updates the software deployment just created.",
                )),
                ("DeleteSoftwareDeployment" = (
                    operation_id = "deleteSoftwareDeployment",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("deployment_id" = "$response.body#/software_deployment/id"),
                    ),
                    description = "Deletes the software deployment just created.",
                )),
                ("ListServerSoftwareDeployments" = (
                    operation_id = "listSoftwareDeployments",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("server_id" = "$response.body#/software_deployment/server_id"),
                    ),
                    description = "The software deployments of the server deployed to.",
                )),
                ("ShowServerMetadata" = (
                    operation_id = "showServerMetadata",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("server_id" = "$response.body#/software_deployment/server_id"),
                    ),
                    description = "The metadata of the server deployed to.",
                )),
            ),
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
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn create_software_deployment() {}

/// An example deployment as the list, show and update operations return it.
macro_rules! deployment_example {
    () => {
        serde_json::json!({
            "id": "ef422fa5-719a-419e-a10c-72e3a367b0b8",
            "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
            "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
            "action": "CREATE",
            "status": "COMPLETE",
            "status_reason": "Outputs received",
            "input_values": {},
            "output_values": {
                "deploy_stdout": "Writing to /tmp/baaaaa\nWritten to /tmp/baaaaa\n",
                "deploy_stderr": "+ echo Writing to /tmp/baaaaa\n",
                "deploy_status_code": 0,
                "result": "The file /tmp/baaaaa contains fooooo"
            },
            "creation_time": "2015-01-31T15:12:36Z",
            "updated_time": "2015-01-31T15:12:39Z"
        })
    };
}

/// List software deployments
///
/// Lists the project's software deployments; `server_id` keeps only those of one server.
#[utoipa::path(
    get,
    path = "/v1/{project_id}/software_deployments",
    operation_id = "listSoftwareDeployments",
    tag = "Software Deployments",
    params(ProjectPath, ListSoftwareDeploymentsQuery),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareDeploymentList, content_type = "application/json",
            example = json!({"software_deployments": [deployment_example!()]}),
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn list_software_deployments() {}

/// Show a software deployment
///
/// Returns one software deployment.
#[utoipa::path(
    get,
    path = "/v1/{project_id}/software_deployments/{deployment_id}",
    operation_id = "showSoftwareDeployment",
    tag = "Software Deployments",
    params(SoftwareDeploymentPath),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareDeploymentResponse, content_type = "application/json",
            example = json!({"software_deployment": deployment_example!()}),
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn show_software_deployment() {}

/// Update a software deployment
///
/// Updates a software deployment, typically with the outputs and status the server reports.
/// Only keys whose value is not null are applied; `updated_time` is set. A new `config_id` must
/// name a software configuration of the project, else the answer is 400. An update that
/// would make the service pass its limit on stored bytes is refused the same way as a create
/// at a limit: 400, `error.type` `RequestLimitExceeded`, and the deployment is unchanged.
#[utoipa::path(
    put,
    path = "/v1/{project_id}/software_deployments/{deployment_id}",
    operation_id = "updateSoftwareDeployment",
    tag = "Software Deployments",
    params(SoftwareDeploymentPath),
    request_body(
        content = UpdateSoftwareDeploymentRequest,
        content_type = "application/json",
        description = "The changes; keys that are absent or null are left as they are.",
        example = json!({
            "action": null,
            "status": "COMPLETE",
            "status_reason": "Outputs received",
            "output_values": {
                "deploy_stdout": "Writing to /tmp/baaaaa\nWritten to /tmp/baaaaa\n",
                "deploy_stderr": "+ echo Writing to /tmp/baaaaa\n",
                "deploy_status_code": 0,
                "result": "The file /tmp/baaaaa contains fooooo"
            }
        }),
    ),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareDeploymentResponse, content_type = "application/json",
            links(
                ("ShowSoftwareDeployment" = (
                    operation_id = "showSoftwareDeployment",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("deployment_id" = "$request.path.deployment_id"),
                    ),
                    description = "The software deployment just updated.",
                )),
                ("DeleteSoftwareDeployment" = (
                    operation_id = "deleteSoftwareDeployment",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("deployment_id" = "$request.path.deployment_id"),
                    ),
                    description = "Deletes the software deployment just updated.",
                )),
            ),
            example = json!({"software_deployment": deployment_example!()}),
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn update_software_deployment() {}

/// Delete a software deployment
///
/// Deletes a software deployment; the answer has no body.
#[utoipa::path(
    delete,
    path = "/v1/{project_id}/software_deployments/{deployment_id}",
    operation_id = "deleteSoftwareDeployment",
    tag = "Software Deployments",
    params(SoftwareDeploymentPath),
    responses(
        (status = 204, description = "The software deployment was deleted."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn delete_software_deployment() {}

/// Show the metadata of a server
///
/// Returns the software configuration of each of the server's deployments, sorted by
/// configuration name, each exactly as `GET /v1/{project_id}/software_configs/{config_id}`
/// shows it, as Heat answers. The deployments' `input_values` are not merged into the
/// configurations' `inputs` (read them from the deployments).
#[utoipa::path(
    get,
    path = "/v1/{project_id}/software_deployments/metadata/{server_id}",
    operation_id = "showServerMetadata",
    tag = "Software Deployments",
    params(ServerPath),
    responses(
        (status = 200, description = "Request was successful.",
            body = ServerMetadataResponse, content_type = "application/json",
            example = json!({
                "metadata": [{
                    "id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
                    "name": "a-config-we5zpvyu7b5o",
                    "group": "script",
                    "config": "#!/bin/sh -x\necho $foo > /tmp/$bar",
                    "inputs": [
                        {"name": "foo", "type": "String"},
                        {"name": "bar", "type": "String"}
                    ],
                    "outputs": [{"name": "result", "type": "String", "error_output": false}],
                    "options": null,
                    "creation_time": "2015-01-31T15:12:36Z"
                }]
            }),
        ),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn show_server_metadata() {}
