//! Error bodies: Heat's own, and the token check's in front of Heat.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Error body that Heat answers with (4xx and 5xx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HeatErrorResponse {
    /// HTTP status code, repeated from the status line.
    pub code: u16,
    /// HTTP reason phrase, e.g. `Bad Request`.
    pub title: String,
    /// Generic explanation of the status code.
    pub explanation: String,
    /// What went wrong in this request.
    pub error: HeatErrorDetail,
}

/// Details of a Heat error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HeatErrorDetail {
    /// Name of the exception class that caused the error, e.g. `HTTPBadRequest`.
    #[serde(rename = "type")]
    pub error_type: String,
    /// Human-readable error message.
    pub message: String,
    /// Server-side traceback; null unless the service runs in debug mode.
    #[schema(required = true)]
    pub traceback: Option<String>,
}

/// Error body of the token check in front of the service (401).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnauthorizedResponse {
    /// The authentication error.
    pub error: UnauthorizedError,
}

/// Details of an authentication error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnauthorizedError {
    /// HTTP status code (401).
    pub code: u16,
    /// HTTP reason phrase (`Unauthorized`).
    pub title: String,
    /// Human-readable error message.
    pub message: String,
}
