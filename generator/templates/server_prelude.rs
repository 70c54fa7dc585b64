use ::openapi_rustgen_runtime::server as rt;
use ::std::sync::Arc;
use rt::axum;
use rt::axum::extract::{Request, State};
use rt::axum::response::{IntoResponse, Response};

pub use super::operations::*;

pub use rt::{BodyRefusals, Rejection, RejectionKind, ServerConfig};
