//! The server generated from the Petstore at build time serves requests through the runtime
//! crate, the build script's one extra dependency.

use openapi_rustgen_runtime::server::axum::body::Body;
use openapi_rustgen_runtime::server::axum::http::request::Parts;
use openapi_rustgen_runtime::server::axum::http::{Request, StatusCode};
use petstore_consumer::api::operations::{
    CreatePetsResponse, ListPetsParams, ListPetsResponse, ShowPetByIdParams, ShowPetByIdResponse,
};
use petstore_consumer::api::server::{
    self, BadRequest, InternalServerError, PayloadTooLarge, Rejection, UnsupportedMediaType,
};
use petstore_consumer::api::{Error, Pet};
use tower::ServiceExt;

struct Store;

impl server::Api for Store {
    async fn list_pets(&self, _: &Parts, params: ListPetsParams) -> ListPetsResponse {
        let pet = Pet {
            id: i64::from(params.limit.unwrap_or(1)),
            name: "Rex".to_owned(),
            tag: None,
        };
        ListPetsResponse::Ok {
            body: vec![pet],
            x_next: Some("/pets?page=2".to_owned()),
        }
    }

    async fn create_pets(&self, _: &Parts, _: Pet) -> CreatePetsResponse {
        CreatePetsResponse::Created
    }

    async fn show_pet_by_id(&self, _: &Parts, params: ShowPetByIdParams) -> ShowPetByIdResponse {
        ShowPetByIdResponse::Default {
            status: StatusCode::NOT_FOUND,
            body: Error {
                code: 404,
                message: format!("no pet {}", params.pet_id),
            },
        }
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: Error {
                code: 400,
                message: rejection.message().to_owned(),
            },
        }
    }

    fn payload_too_large(&self, rejection: &Rejection) -> PayloadTooLarge {
        PayloadTooLarge {
            body: Error {
                code: 413,
                message: rejection.message().to_owned(),
            },
        }
    }

    fn unsupported_media_type(&self, rejection: &Rejection) -> UnsupportedMediaType {
        UnsupportedMediaType {
            body: Error {
                code: 415,
                message: rejection.message().to_owned(),
            },
        }
    }

    fn internal_server_error(&self, _: &Rejection) -> InternalServerError {
        InternalServerError {
            body: Error {
                code: 500,
                message: "oops".to_owned(),
            },
        }
    }
}

async fn send(request: Request<Body>) -> (StatusCode, Option<String>, String) {
    let response = server::router(Store).oneshot(request).await.unwrap();
    let status = response.status();
    let next = response
        .headers()
        .get("x-next")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum_body_bytes(response.into_body()).await;
    (status, next, String::from_utf8(bytes).unwrap())
}

async fn axum_body_bytes(body: Body) -> Vec<u8> {
    openapi_rustgen_runtime::server::axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn an_operation_answers_with_its_body_and_headers() {
    let (status, next, body) = send(get("/pets?limit=7")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(next.as_deref(), Some("/pets?page=2"));
    assert_eq!(body, r#"[{"id":7,"name":"Rex"}]"#);
}

#[tokio::test]
async fn a_default_answer_carries_its_status() {
    let (status, _, body) = send(get("/pets/42")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, r#"{"code":404,"message":"no pet 42"}"#);
}

#[tokio::test]
async fn the_router_refuses_what_the_spec_forbids_with_the_documented_body() {
    let (status, _, body) = send(get("/pets?limit=many")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Invalid query parameter 'limit'"), "{body}");

    let missing = Request::post("/pets").body(Body::empty()).unwrap();
    let (status, _, body) = send(missing).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("The request body is missing."), "{body}");

    let created = Request::post("/pets")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"id": 1, "name": "Tom"}"#))
        .unwrap();
    assert_eq!(send(created).await.0, StatusCode::CREATED);
}
