//! API version discovery, as Heat serves it at `/`, and at `/v1` for OpenStack SDKs that look
//! there first.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::responses::InternalServerError;

/// Maturity of an API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VersionStatus {
    /// The newest version.
    Current,
    /// An older version that still works.
    Supported,
    /// A version that will go away.
    Deprecated,
}

/// A link to a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Link {
    /// Relation of the link; `self` is the version's root URL.
    pub rel: String,
    /// The URL. For `self` it ends with `/v1/`: clients append the project ID to it.
    pub href: String,
}

/// An API version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Version {
    /// Version ID, e.g. `v1.0`.
    pub id: String,
    /// Maturity of the version.
    pub status: VersionStatus,
    /// Links; the one with `rel` `self` is the version's root URL.
    pub links: Vec<Link>,
}

/// The versions this service offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VersionList {
    /// The versions.
    pub versions: Vec<Version>,
}

/// One API version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VersionResponse {
    /// The version.
    pub version: Version,
}

/// List API versions
///
/// Lists the API versions, as Heat does at its root: status 300 (Multiple Choices), no token
/// needed.
#[utoipa::path(
    get,
    path = "/",
    operation_id = "listVersions",
    tag = "Versions",
    responses(
        (status = 300, description = "The API versions.",
            body = VersionList, content_type = "application/json",
            example = json!({"versions": [{
                "id": "v1.0",
                "status": "CURRENT",
                "links": [{"rel": "self", "href": "https://rts.eu-de.otc.t-systems.com/v1/"}]
            }]}),
        ),
        (status = 500, response = InternalServerError),
    ),
    security(()),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn list_versions() {}

/// Show the v1 API version
///
/// Describes version 1 of the API, no token needed. OpenStack SDKs ask here first when they
/// discover the endpoint `…/v1/{project_id}`.
#[utoipa::path(
    get,
    path = "/v1",
    operation_id = "showVersion",
    tag = "Versions",
    responses(
        (status = 200, description = "The API version.",
            body = VersionResponse, content_type = "application/json",
            example = json!({"version": {
                "id": "v1.0",
                "status": "CURRENT",
                "links": [{"rel": "self", "href": "https://rts.eu-de.otc.t-systems.com/v1/"}]
            }}),
        ),
        (status = 500, response = InternalServerError),
    ),
    security(()),
)]
#[expect(dead_code, reason = "only the generated OpenAPI path item is used")]
fn show_version() {}
