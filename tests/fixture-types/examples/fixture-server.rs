//! `fixture-server`: a small implementation of `tests/fixtures/server/contract.yaml` on its
//! generated server, for the contract run (`scripts/contract-test` points Schemathesis at it).
//! Every operation answers a documented response that sums up what it was given, so that
//! Schemathesis' conformance checks see the router and the runtime, not business rules.
//!
//! Usage: `fixture-server [--listen ADDR]` (default `127.0.0.1:0`); the first line on stderr
//! names the address: `fixture-server: listening on http://ADDR`.
//!
//! It accepts only the fixed test credentials below (the contract run passes them).

use std::net::SocketAddr;

use axum::http::request::Parts;
use fixture_types::servers::contract::operations::*;
use fixture_types::servers::contract::server::{
    self, Api, BadRequest, Credential, InternalServerError, PayloadTooLarge, Rejection,
    Unauthorized, UnsupportedMediaType,
};
use fixture_types::servers::contract::types::{Called, Item, Point, Problem, Seen};
use openapi_rustgen_runtime::http::StatusCode;
use openapi_rustgen_runtime::{File, Media};
use serde_json::{Value, json};

/// `Authorization: Bearer` token of the document's `bearer` scheme.
const BEARER: &str = "contract-bearer";
/// `Authorization: Basic` credentials, `tester:secret` in base64.
const BASIC: &str = "dGVzdGVyOnNlY3JldA==";
/// The OAuth2 token; it grants `read` and `write`.
const OAUTH: &str = "contract-oauth";
/// The OpenID Connect token; it grants `write` only.
const OIDC: &str = "contract-oidc";
/// The API key of the `X-Api-Key` header.
const KEY: &str = "contract-key";
/// The API key of the `api_key` query parameter.
const QUERY_KEY: &str = "contract-query-key";
/// The `session` cookie.
const SESSION: &str = "contract-session";

struct Contract;

fn seen(kind: &str) -> Seen {
    Seen {
        kind: kind.to_owned(),
        media_type: None,
        length: None,
        count: None,
        files: None,
    }
}

fn media(kind: &str, media: &Media) -> Seen {
    Seen {
        media_type: Some(media.media_type.clone()),
        length: Some(media.bytes.len() as i64),
        ..seen(kind)
    }
}

fn described(file: &File) -> String {
    format!(
        "{}:{}:{}",
        file.file_name.as_deref().unwrap_or("-"),
        file.content_type.as_deref().unwrap_or("-"),
        file.len()
    )
}

fn called(operation: &str, values: &[&dyn ToString]) -> Called {
    Called {
        operation: operation.to_owned(),
        values: values.iter().map(|value| value.to_string()).collect(),
    }
}

fn problem(rejection: &Rejection) -> Problem {
    Problem {
        message: rejection.message().to_owned(),
    }
}

/// A `label` or `matrix` operation's list and object, as JSON text.
fn styled(colors: &impl serde::Serialize, point: &Point) -> (String, String) {
    let text = |value: Value| value.to_string();
    (
        text(serde_json::to_value(colors).unwrap_or(Value::Null)),
        text(json!({"x": point.x, "y": point.y})),
    )
}

/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

impl Api for Contract {
    async fn create_item(
        &self,
        _: &Parts,
        _: Credential,
        body: CreateItemBody,
    ) -> CreateItemResponse {
        let item = match body {
            CreateItemBody::ApplicationJson(item)
            | CreateItemBody::ApplicationVndContractItemJson(item) => item,
            CreateItemBody::Text(text) => Item {
                name: "text".to_owned(),
                size: Some(text.len() as i64),
                tags: None,
            },
        };
        CreateItemResponse::Created {
            x_tag_count: item.tags.as_ref().map(|tags| tags.len() as i64),
            location: "/items/1".to_owned(),
            body: item,
        }
    }

    async fn post_form(&self, _: &Parts, _: Credential, item: Item) -> PostFormResponse {
        PostFormResponse::Ok(item)
    }

    async fn get_item(
        &self,
        _: &Parts,
        _: Vec<Credential>,
        params: GetItemParams,
    ) -> GetItemResponse {
        GetItemResponse::StatusType2xx {
            status: StatusCode::OK,
            body: Item {
                name: format!("item {}", params.id),
                size: None,
                tags: None,
            },
        }
    }

    async fn patch_item(
        &self,
        _: &Parts,
        _: Credential,
        params: PatchItemParams,
        body: fixture_types::servers::contract::types::ItemPatch,
    ) -> PatchItemResponse {
        PatchItemResponse::Ok(Item {
            name: body.name.unwrap_or_else(|| format!("item {}", params.id)),
            size: body.size,
            tags: None,
        })
    }

    async fn upload(&self, _: &Parts, _: Credential, body: UploadMultipart) -> UploadResponse {
        let mut files = vec![described(&body.document)];
        files.extend(body.attachments.iter().flatten().map(described));
        UploadResponse::Ok(Seen {
            count: body.count,
            files: Some(files),
            length: Some(body.title.len() as i64),
            ..seen("upload")
        })
    }

    async fn put_blob(
        &self,
        _: &Parts,
        _: Credential,
        _: PutBlobParams,
        body: Vec<u8>,
    ) -> PutBlobResponse {
        PutBlobResponse::Ok(body)
    }

    async fn put_media(&self, _: &Parts, _: Credential, body: PutMediaBody) -> PutMediaResponse {
        PutMediaResponse::Ok(match &body {
            PutMediaBody::Image(body) => media("image", body),
            PutMediaBody::Type(body) => media("any", body),
        })
    }

    async fn post_note(
        &self,
        _: &Parts,
        _: Vec<Credential>,
        body: Option<String>,
    ) -> PostNoteResponse {
        PostNoteResponse::Ok(body.unwrap_or_default())
    }

    async fn get_image(&self, _: &Parts, _: GetImageParams) -> GetImageResponse {
        GetImageResponse::Ok(PNG_SIGNATURE.to_vec())
    }

    async fn search(&self, _: &Parts, params: SearchParams) -> SearchResponse {
        let echo = json!({
            "ids": params.ids,
            "tags": params.tags,
            "words": params.words,
            "flags": params.flags,
            "person": params.person,
            "point": params.point,
            "filter": params.filter,
            "where": params.r#where,
            "x_ids": params.x_ids,
            "theme": params.theme,
        });
        let given = echo
            .as_object()
            .map_or(0, |fields| fields.values().filter(|v| !v.is_null()).count());
        SearchResponse::Ok {
            body: echo,
            // The required header counts too.
            x_count: given as i64 + 1,
            x_request_id: params.x_request_id,
        }
    }

    async fn get_file(&self, _: &Parts, params: GetFileParams) -> GetFileResponse {
        let ext = serde_json::to_value(params.ext).unwrap_or(Value::Null);
        GetFileResponse::Ok(called("getFile", &[&params.name, &ext]))
    }

    async fn get_file_by_id(&self, _: &Parts, params: GetFileByIdParams) -> GetFileByIdResponse {
        GetFileByIdResponse::Ok(called("getFileById", &[&params.id]))
    }

    async fn get_latest_file(&self, _: &Parts) -> GetLatestFileResponse {
        GetLatestFileResponse::Ok(called("getLatestFile", &[]))
    }

    async fn get_thing(&self, _: &Parts, params: GetThingParams) -> GetThingResponse {
        GetThingResponse::Ok(called("getThing", &[&params.name]))
    }

    async fn cancel_thing(&self, _: &Parts, params: CancelThingParams) -> CancelThingResponse {
        CancelThingResponse::Ok(called("cancelThing", &[&params.name]))
    }

    async fn label_styles(&self, _: &Parts, params: LabelStylesParams) -> LabelStylesResponse {
        let values = styled(&params.colors, &params.point);
        LabelStylesResponse::Ok(called("labelStyles", &[&params.id, &values.0, &values.1]))
    }

    async fn label_exploded(
        &self,
        _: &Parts,
        params: LabelExplodedParams,
    ) -> LabelExplodedResponse {
        let values = styled(&params.colors, &params.point);
        LabelExplodedResponse::Ok(called("labelExploded", &[&params.id, &values.0, &values.1]))
    }

    async fn matrix_styles(&self, _: &Parts, params: MatrixStylesParams) -> MatrixStylesResponse {
        let values = styled(&params.colors, &params.point);
        MatrixStylesResponse::Ok(called("matrixStyles", &[&params.id, &values.0, &values.1]))
    }

    async fn matrix_exploded(
        &self,
        _: &Parts,
        params: MatrixExplodedParams,
    ) -> MatrixExplodedResponse {
        let values = styled(&params.colors, &params.point);
        MatrixExplodedResponse::Ok(called(
            "matrixExploded",
            &[&params.id, &values.0, &values.1],
        ))
    }

    async fn get_tree(&self, _: &Parts) -> GetTreeResponse {
        GetTreeResponse::Ok(called("getTree", &[]))
    }

    async fn get_tree_slash(&self, _: &Parts) -> GetTreeSlashResponse {
        GetTreeSlashResponse::Ok(called("getTreeSlash", &[]))
    }

    async fn get_leaves(&self, _: &Parts, params: GetLeavesParams) -> GetLeavesResponse {
        GetLeavesResponse::Ok(called("getLeaves", &[&params.id]))
    }

    async fn plain_errors(&self, _: &Parts, _: PlainErrorsParams) -> PlainErrorsResponse {
        PlainErrorsResponse::NoContent
    }

    async fn authenticate(&self, credential: &Credential, scopes: &[&str]) -> bool {
        match credential {
            Credential::Bearer(secret) => secret == BEARER,
            Credential::Basic(secret) => secret == BASIC,
            Credential::Oauth(secret) => {
                secret == OAUTH && scopes.iter().all(|s| ["read", "write"].contains(s))
            }
            Credential::Oidc(secret) => secret == OIDC && scopes.iter().all(|s| *s == "write"),
            Credential::Key(secret) => secret == KEY,
            Credential::QueryKey(secret) => secret == QUERY_KEY,
            Credential::Session(secret) => secret == SESSION,
        }
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: problem(rejection),
        }
    }

    fn unauthorized(&self, rejection: &Rejection) -> Unauthorized {
        Unauthorized {
            body: problem(rejection),
        }
    }

    fn payload_too_large(&self, rejection: &Rejection) -> PayloadTooLarge {
        PayloadTooLarge {
            body: problem(rejection),
        }
    }

    fn unsupported_media_type(&self, rejection: &Rejection) -> UnsupportedMediaType {
        UnsupportedMediaType {
            body: problem(rejection),
        }
    }

    fn internal_server_error(&self, rejection: &Rejection) -> InternalServerError {
        InternalServerError {
            body: problem(rejection),
        }
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen: SocketAddr = ([127, 0, 0, 1], 0).into();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--listen", Some(value)) => match value.parse() {
                Ok(address) => listen = address,
                Err(err) => fail(&format!("--listen {value}: {err}")),
            },
            _ => fail(&format!(
                "unknown argument {arg} (usage: fixture-server [--listen ADDR])"
            )),
        }
    }
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(err) => fail(&format!("cannot listen on {listen}: {err}")),
    };
    let address = listener.local_addr().unwrap_or(listen);
    eprintln!("fixture-server: listening on http://{address}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(err) = axum::serve(listener, server::router(Contract))
        .with_graceful_shutdown(shutdown)
        .await
    {
        fail(&err.to_string());
    }
}

fn fail(message: &str) -> ! {
    eprintln!("fixture-server: {message}");
    std::process::exit(2)
}
