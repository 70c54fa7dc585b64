//! The software configuration resource (RTS pages rts_03_0051 to rts_03_0054).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::params::{ListSoftwareConfigsQuery, ProjectPath, SoftwareConfigPath};
use crate::responses::{BadRequest, InternalServerError, NotFound, Unauthorized};

/// An input of a software configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfigInput {
    /// Name of the input.
    pub name: String,
    /// Type of the input (Heat uses `String`, `Number`, `CommaDelimitedList`, `Json`, `Boolean`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub r#type: Option<String>,
    /// Value used when a deployment gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Description of the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A value stored with the input: only configurations that Heat derives for its own
    /// deployments carry one. The server metadata shows configurations as stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// An output of a software configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfigOutput {
    /// Name of the output.
    pub name: String,
    /// Type of the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub r#type: Option<String>,
    /// Whether a value in this output marks the deployment as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_output: Option<bool>,
    /// Description of the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of a request that creates a software configuration. Every field is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreateSoftwareConfigRequest {
    /// Name of the configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    /// The configuration script or data that the server's agent runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub config: Option<String>,
    /// Tool that runs the configuration on the server, e.g. `script`, `puppet`, `Heat::Ungrouped`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub group: Option<String>,
    /// Inputs the configuration reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub inputs: Option<Vec<SoftwareConfigInput>>,
    /// Outputs the configuration writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub outputs: Option<Vec<SoftwareConfigOutput>>,
    /// Options for the tool named by `group`, as key/value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
}

/// A software configuration: what to run on a server, and its inputs and outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfig {
    /// Software configuration UUID.
    pub id: String,
    /// Name of the configuration; null when none was given.
    #[schema(required = true)]
    pub name: Option<String>,
    /// Tool that runs the configuration on the server.
    pub group: String,
    /// The configuration script or data; null when none was given.
    #[schema(required = true)]
    pub config: Option<String>,
    /// Inputs the configuration reads.
    pub inputs: Vec<SoftwareConfigInput>,
    /// Outputs the configuration writes.
    pub outputs: Vec<SoftwareConfigOutput>,
    /// Options for the tool, as key/value pairs; null when none were given.
    #[schema(required = true)]
    pub options: Option<Map<String, Value>>,
    /// Creation time in ISO 8601 format.
    #[schema(format = DateTime)]
    pub creation_time: String,
}

/// A software configuration as listed: without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfigSummary {
    /// Software configuration UUID.
    pub id: String,
    /// Name of the configuration; null when none was given.
    #[schema(required = true)]
    pub name: Option<String>,
    /// Tool that runs the configuration on the server.
    pub group: String,
    /// Creation time in ISO 8601 format.
    #[schema(format = DateTime)]
    pub creation_time: String,
}

/// One software configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfigResponse {
    /// The software configuration.
    pub software_config: SoftwareConfig,
}

/// A page of software configurations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoftwareConfigList {
    /// The configurations, newest first.
    pub software_configs: Vec<SoftwareConfigSummary>,
}

/// Create a software configuration
///
/// Creates a software configuration. The body is a flat JSON object; every field is optional.
/// Heat stores `Heat::Ungrouped` for an omitted `group`, and `String` for the `type` of an input
/// or output declared without one.
/// When the service has reached a limit on what it stores, the create is refused with 400 and
/// Heat's error body, `error.type` `RequestLimitExceeded` and a message that starts with
/// `Request limit exceeded: `; nothing is stored or dropped.
#[utoipa::path(
    post,
    path = "/v1/{project_id}/software_configs",
    operation_id = "createSoftwareConfig",
    tag = "Software Configurations",
    params(ProjectPath),
    request_body(
        content = CreateSoftwareConfigRequest,
        content_type = "application/json",
        description = "The software configuration to create.",
        example = json!({
            "name": "a-config-we5zpvyu7b5o",
            "group": "script",
            "config": "#!/bin/sh -x\necho $foo > /tmp/$bar\necho -n \"The file /tmp/$bar contains `cat /tmp/$bar`\" > $heat_outputs_path.result",
            "inputs": [{"name": "foo", "type": "String"}, {"name": "bar", "type": "String"}],
            "outputs": [{"name": "result", "type": "String", "error_output": false}]
        }),
    ),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareConfigResponse, content_type = "application/json",
            links(
                ("ShowSoftwareConfig" = (
                    operation_id = "showSoftwareConfig",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("config_id" = "$response.body#/software_config/id"),
                    ),
                    description = "The software configuration just created.",
                )),
                ("DeleteSoftwareConfig" = (
                    operation_id = "deleteSoftwareConfig",
                    parameters(
                        ("project_id" = "$request.path.project_id"),
                        ("config_id" = "$response.body#/software_config/id"),
                    ),
                    description = "Deletes the software configuration just created.",
                )),
                ("CreateSoftwareDeployment" = (
                    operation_id = "createSoftwareDeployment",
                    parameters(("project_id" = "$request.path.project_id")),
                    request_body = json!({"config_id": "$response.body#/software_config/id"}),
                    description = "Deploys the software configuration just created.",
                )),
            ),
            example = json!({
                "software_config": {
                    "id": "ddee7aca-aa32-4335-8265-d436b20db4f1",
                    "name": "a-config-we5zpvyu7b5o",
                    "group": "script",
                    "config": "#!/bin/sh -x\necho $foo > /tmp/$bar\necho -n \"The file /tmp/$bar contains `cat /tmp/$bar`\" > $heat_outputs_path.result",
                    "inputs": [
                        {"name": "foo", "type": "String"},
                        {"name": "bar", "type": "String"}
                    ],
                    "outputs": [{"name": "result", "type": "String", "error_output": false}],
                    "options": null,
                    "creation_time": "2015-01-31T15:12:36Z"
                }
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
fn create_software_config() {}

/// List software configurations
///
/// Lists the project's software configurations, newest first as Heat lists them, a page at a
/// time: `limit` bounds the page, `marker` continues after the configuration of that ID. An
/// unknown `marker` is ignored, as in Heat: the page starts with the newest configuration.
#[utoipa::path(
    get,
    path = "/v1/{project_id}/software_configs",
    operation_id = "listSoftwareConfigs",
    tag = "Software Configurations",
    params(ProjectPath, ListSoftwareConfigsQuery),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareConfigList, content_type = "application/json",
            example = json!({
                "software_configs": [{
                    "id": "ddee7aca-aa32-4335-8265-d436b20db4f1",
                    "name": "a-config-we5zpvyu7b5o",
                    "group": "script",
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
fn list_software_configs() {}

/// Show a software configuration
///
/// Returns one software configuration with its content, inputs and outputs.
#[utoipa::path(
    get,
    path = "/v1/{project_id}/software_configs/{config_id}",
    operation_id = "showSoftwareConfig",
    tag = "Software Configurations",
    params(SoftwareConfigPath),
    responses(
        (status = 200, description = "Request was successful.",
            body = SoftwareConfigResponse, content_type = "application/json"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn show_software_config() {}

/// Delete a software configuration
///
/// Deletes a software configuration; the answer has no body. A configuration that a software
/// deployment still uses cannot be deleted (400).
#[utoipa::path(
    delete,
    path = "/v1/{project_id}/software_configs/{config_id}",
    operation_id = "deleteSoftwareConfig",
    tag = "Software Configurations",
    params(SoftwareConfigPath),
    responses(
        (status = 204, description = "The software configuration was deleted."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 500, response = InternalServerError),
    ),
    security(("X-Auth-Token" = [])),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn delete_software_config() {}
