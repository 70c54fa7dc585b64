//! Path and query parameters, each described once and used by every operation that has it.
//!
//! Path parameters are at least one character long: an empty segment names no resource.

use serde::Deserialize;
use utoipa::IntoParams;

/// The project of every API path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProjectPath {
    /// ID of the project (Keystone project ID, 32 hexadecimal characters).
    #[param(min_length = 1, example = "95d02433133a4c0a87ba6967474a2ad3")]
    pub project_id: String,
}

/// A software configuration of a project.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SoftwareConfigPath {
    /// ID of the project (Keystone project ID, 32 hexadecimal characters).
    #[param(min_length = 1, example = "95d02433133a4c0a87ba6967474a2ad3")]
    pub project_id: String,
    /// ID of the software configuration.
    #[param(min_length = 1, example = "8da95794-2ad9-4979-8ae5-739ce314c5cd")]
    pub config_id: String,
}

/// A software deployment of a project.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SoftwareDeploymentPath {
    /// ID of the project (Keystone project ID, 32 hexadecimal characters).
    #[param(min_length = 1, example = "95d02433133a4c0a87ba6967474a2ad3")]
    pub project_id: String,
    /// ID of the software deployment.
    #[param(min_length = 1, example = "ef422fa5-719a-419e-a10c-72e3a367b0b8")]
    pub deployment_id: String,
}

/// A server of a project.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ServerPath {
    /// ID of the project (Keystone project ID, 32 hexadecimal characters).
    #[param(min_length = 1, example = "95d02433133a4c0a87ba6967474a2ad3")]
    pub project_id: String,
    /// ID of the server.
    #[param(min_length = 1, example = "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5")]
    pub server_id: String,
}

/// Paging of the software configuration list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListSoftwareConfigsQuery {
    /// Maximum number of configurations to return.
    #[param(minimum = 1, example = 20)]
    pub limit: Option<u32>,
    /// ID of the last configuration of the previous page; the list continues after it. An
    /// unknown ID is ignored: the list starts from the newest configuration.
    #[param(example = "8da95794-2ad9-4979-8ae5-739ce314c5cd")]
    pub marker: Option<String>,
}

/// Filter of the software deployment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListSoftwareDeploymentsQuery {
    /// Only deployments to this server.
    #[param(example = "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5")]
    pub server_id: Option<String>,
}
