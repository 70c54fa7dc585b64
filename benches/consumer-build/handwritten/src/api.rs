//! The RTS software deployment types, written by hand as a team would without the generator
//! (the same types as `rts-api`'s generated `types.rs`, idiomatic serde).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Body of a request that creates a software deployment (sent flat; unknown keys are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateSoftwareDeploymentRequest {
    /// Stack action that triggers the deployment (`CREATE`, `UPDATE`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// ID of the software configuration to run.
    pub config_id: String,
    /// Input data, as key/value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_values: Option<Map<String, Value>>,
    /// ID of the server.
    pub server_id: String,
    /// ID of the project that can operate on the deployment resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_user_project_id: Option<String>,
    /// Status of the deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SoftwareDeploymentStatus>,
    /// Reason for the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

/// Details of a Heat error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatErrorDetail {
    /// Error message.
    pub message: String,
    /// Server-side traceback, null unless the service runs in debug mode.
    pub traceback: Option<String>,
    /// Exception class, e.g. `HTTPBadRequest`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// Error body of Heat (4xx, 5xx).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatErrorResponse {
    /// HTTP status code.
    pub code: i32,
    /// What went wrong.
    pub error: HeatErrorDetail,
    /// Generic explanation of the status.
    pub explanation: String,
    /// HTTP reason phrase.
    pub title: String,
}

/// A software deployment. Every key is always present; missing values are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareDeployment {
    pub action: Option<String>,
    pub config_id: String,
    pub creation_time: String,
    pub id: String,
    pub input_values: Option<Map<String, Value>>,
    pub output_values: Option<Map<String, Value>>,
    pub server_id: String,
    pub status: Option<SoftwareDeploymentStatus>,
    pub status_reason: Option<String>,
}

/// Answer to a create request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareDeploymentResponse {
    pub software_deployment: SoftwareDeployment,
}

/// Status of a software deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SoftwareDeploymentStatus {
    Complete,
    InProgress,
    Failed,
}

impl SoftwareDeploymentStatus {
    /// The wire form.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Complete => "COMPLETE",
            Self::InProgress => "IN_PROGRESS",
            Self::Failed => "FAILED",
        }
    }
}

impl fmt::Display for SoftwareDeploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Details of an authentication error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnauthorizedError {
    pub code: i32,
    pub message: String,
    pub title: String,
}

/// Error body of the token check in front of the service (401).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnauthorizedResponse {
    pub error: UnauthorizedError,
}
