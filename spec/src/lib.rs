//! OpenAPI description of Open Telekom Cloud's Resource Template Service (RTS) endpoint
//! `POST /v1/{project_id}/software_deployments`.
//!
//! RTS is OpenStack Heat's orchestration API behind Open Telekom Cloud's IAM. The Rust types in
//! [`deployments`] and [`errors`] are the single source of truth: utoipa derives the OpenAPI 3.1
//! document from them, and the published `spec/openapi.json` and `spec/openapi.yaml` are
//! [`to_json`] and [`to_yaml`] written to disk.

pub mod configs;
pub mod deployments;
pub mod errors;
pub mod params;
pub mod responses;
pub mod versions;

use utoipa::Modify;
use utoipa::OpenApi as _;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

/// Name of the security scheme in `components.securitySchemes`.
pub const AUTH_TOKEN_SCHEME: &str = "X-Auth-Token";

/// The OpenAPI document of the RTS software deployment API.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Open Telekom Cloud Resource Template Service (RTS) API",
        version = "1.0.0",
        description = "Resource Template Service (RTS) is OpenStack Heat's orchestration API \
            behind Open Telekom Cloud's Identity and Access Management (IAM). This document \
            describes its software configuration and deployment API, and version discovery. \
            Every request but version discovery carries an IAM token in the `X-Auth-Token` header.",
        contact(name = "Open Telekom Cloud", url = "https://www.open-telekom-cloud.com"),
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers(
        (url = "https://rts.eu-de.otc.t-systems.com",
            description = "Open Telekom Cloud RTS endpoint in region eu-de."),
    ),
    paths(
        versions::list_versions,
        versions::show_version,
        configs::create_software_config,
        configs::list_software_configs,
        configs::show_software_config,
        configs::delete_software_config,
        deployments::create_software_deployment,
        deployments::list_software_deployments,
        deployments::show_software_deployment,
        deployments::update_software_deployment,
        deployments::delete_software_deployment,
        deployments::show_server_metadata,
    ),
    components(
        schemas(
            deployments::SoftwareDeploymentStatus,
            errors::HeatErrorResponse,
            errors::UnauthorizedResponse,
        ),
        responses(
            responses::BadRequest,
            responses::Unauthorized,
            responses::NotFound,
            responses::InternalServerError,
        ),
    ),
    tags(
        (name = "Software Configurations",
            description = "Software configurations: what to run on a server, with inputs and outputs."),
        (name = "Software Deployments",
            description = "Software deployments run a software configuration on a server."),
        (name = "Versions", description = "API version discovery."),
    ),
    modifiers(&AuthToken),
)]
pub struct ApiDoc;

/// Adds the `X-Auth-Token` security scheme, which the derive has no syntax for.
struct AuthToken;

impl Modify for AuthToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            AUTH_TOKEN_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Auth-Token",
                "Project-scoped IAM token (Keystone v3 style), sent in the `X-Auth-Token` header.",
            ))),
        );
    }
}

/// The OpenAPI document as an in-memory model.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document as pretty-printed JSON, ending with a newline.
pub fn to_json() -> String {
    let mut json = openapi()
        .to_pretty_json()
        .expect("the in-memory OpenAPI model serializes to JSON");
    json.push('\n');
    json
}

/// The OpenAPI document as YAML, ending with a newline.
pub fn to_yaml() -> String {
    let mut yaml = openapi()
        .to_yaml()
        .expect("the in-memory OpenAPI model serializes to YAML");
    if !yaml.ends_with('\n') {
        yaml.push('\n');
    }
    yaml
}

#[cfg(test)]
mod tests;
