//! Error responses shared by every operation, each one component referenced by status.

use utoipa::ToResponse;

use crate::errors::{HeatErrorResponse, UnauthorizedResponse};

/// The server failed to process the request.
#[derive(ToResponse)]
#[response(
    description = "The server failed to process the request.",
    content_type = "application/json",
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
)]
pub struct BadRequest(pub HeatErrorResponse);

/// Authorization failed: the token is missing or not valid.
#[derive(ToResponse)]
#[response(
    description = "Authorization failed.",
    content_type = "application/json",
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
)]
pub struct Unauthorized(pub UnauthorizedResponse);

/// The requested resource does not exist.
#[derive(ToResponse)]
#[response(
    description = "The requested resource could not be found.",
    content_type = "application/json",
    example = json!({
        "code": 404,
        "title": "Not Found",
        "explanation": "The resource could not be found.",
        "error": {
            "type": "NotFound",
            "message": "Software config with id 8da95794-2ad9-4979-8ae5-739ce314c5cd not found",
            "traceback": null
        }
    }),
)]
pub struct NotFound(pub HeatErrorResponse);

/// The service failed.
#[derive(ToResponse)]
#[response(
    description = "Failed to complete the request because of an internal service error.",
    content_type = "application/json",
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
)]
pub struct InternalServerError(pub HeatErrorResponse);
