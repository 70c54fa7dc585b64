//! The server of `tests/fixtures/server/reach.yaml`, over a socket: combined, alternative,
//! optional and scoped security, and the media kinds beyond JSON.

mod common;

use std::net::SocketAddr;

use axum::http::request::Parts;
use fixture_types::servers::reach::server::{
    self, Api, BadRequest, CombinedResponse, Credential, GetFileParams, GetFileResponse,
    InternalServerError, OpenResponse, OptionalResponse, PatchThingParams, PatchThingResponse,
    PostFormResponse, PostNoteResponse, PutFileBody, PutFileParams, PutFileResponse, Rejection,
    ScopedResponse, SearchParams, SearchResponse, SessionResponse, Unauthorized,
};
use fixture_types::servers::reach::types::{
    Matched, PatchThingRequest, PatchThingResponse as Patched, PostFormRequest,
    PostFormResponse as FormRead, Problem,
};

struct Reach;

/// `user:pass` in base64, the only basic credential accepted.
const BASIC: &str = "dXNlcjpwYXNz";

fn scheme(credential: &Credential) -> String {
    match credential {
        Credential::Basic(_) => "basic",
        Credential::Key(_) => "key",
        Credential::Oauth(_) => "oauth",
        Credential::Oidc(_) => "oidc",
        Credential::Session(_) => "session",
        Credential::Tenant(_) => "tenant",
    }
    .to_owned()
}

fn matched(credentials: &[Credential]) -> Matched {
    Matched {
        schemes: credentials.iter().map(scheme).collect(),
    }
}

impl Api for Reach {
    async fn combined(&self, _: &Parts, credentials: Vec<Credential>) -> CombinedResponse {
        CombinedResponse::Ok(matched(&credentials))
    }

    async fn open(&self, _: &Parts) -> OpenResponse {
        OpenResponse::NoContent
    }

    async fn optional(&self, _: &Parts, credentials: Vec<Credential>) -> OptionalResponse {
        OptionalResponse::Ok(matched(&credentials))
    }

    async fn scoped(&self, _: &Parts, credential: Credential) -> ScopedResponse {
        ScopedResponse::StatusType2xx {
            status: axum::http::StatusCode::ACCEPTED,
            body: matched(&[credential]),
        }
    }

    async fn session(&self, _: &Parts, credential: Credential) -> SessionResponse {
        SessionResponse::Ok(matched(&[credential]))
    }

    async fn patch_thing(
        &self,
        _: &Parts,
        _: PatchThingParams,
        body: PatchThingRequest,
    ) -> PatchThingResponse {
        PatchThingResponse::Ok(Patched { name: body.name })
    }

    async fn put_file(&self, _: &Parts, _: PutFileParams, body: PutFileBody) -> PutFileResponse {
        PutFileResponse::Ok(match body {
            PutFileBody::Binary(bytes) => bytes.len().to_string(),
            // An image says which type it came as.
            PutFileBody::Any(image) => format!("{} {}", image.bytes.len(), image.media_type),
        })
    }

    async fn get_file(&self, _: &Parts, params: GetFileParams) -> GetFileResponse {
        GetFileResponse::Ok(params.name.into_bytes())
    }

    async fn post_note(&self, _: &Parts, body: Option<String>) -> PostNoteResponse {
        PostNoteResponse::Ok(body.unwrap_or_else(|| "(none)".to_owned()))
    }

    async fn post_form(&self, _: &Parts, body: PostFormRequest) -> PostFormResponse {
        // What was read, in one number: the count, how many tags, whether urgent.
        let tags = body.tags.unwrap_or_default().len() as i64;
        let urgent = i64::from(body.urgent == Some(true));
        PostFormResponse::Ok(FormRead {
            count: Some(body.count * 100 + tags * 10 + urgent),
        })
    }

    async fn search(&self, _: &Parts, params: SearchParams) -> SearchResponse {
        let ids = params.ids.unwrap_or_default();
        let words = params.words.unwrap_or_default();
        let flags = params.flags.unwrap_or_default();
        SearchResponse::Ok(vec![
            ids.iter().sum::<i64>(),
            words.len() as i64,
            flags.iter().filter(|flag| **flag).count() as i64,
        ])
    }

    /// Tokens `read` and `admin` grant those scopes (`admin` both); keys and sessions are
    /// `good`.
    async fn authenticate(&self, credential: &Credential, scopes: &[&str]) -> bool {
        let secret = credential.secret();
        match credential {
            Credential::Oauth(_) | Credential::Oidc(_) => {
                let granted: &[&str] = match secret {
                    "read" => &["read"],
                    "admin" => &["read", "admin"],
                    _ => return false,
                };
                scopes.iter().all(|scope| granted.contains(scope))
            }
            Credential::Basic(_) => secret == BASIC,
            _ => secret == "good",
        }
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: Problem {
                message: rejection.message().to_owned(),
            },
        }
    }

    fn unauthorized(&self, rejection: &Rejection) -> Unauthorized {
        Unauthorized {
            body: Problem {
                message: rejection.message().to_owned(),
            },
        }
    }

    fn internal_server_error(&self, rejection: &Rejection) -> InternalServerError {
        InternalServerError {
            body: Problem {
                message: rejection.message().to_owned(),
            },
        }
    }
}

async fn start() -> SocketAddr {
    common::serve(server::router(Reach)).await
}

/// Sends `head` (request line and headers, without the final blank line) and `body`; the
/// status and body of the answer.
async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let answer = common::send(addr, &format!("{head}\r\n"), body).await;
    (answer.status, answer.body)
}

fn schemes(body: &str) -> Vec<String> {
    common::decode::<Matched>(body).schemes
}

#[tokio::test]
async fn security_alternatives_combinations_scopes_and_optional() {
    let addr = start().await;
    let get = |path: &str, headers: &str| format!("GET {path} HTTP/1.1{headers}");

    // OAuth2 bearer token with the scope the document asks, a range status chosen by the
    // implementation.
    let (status, body) = send(addr, &get("/scoped", "\r\nAuthorization: Bearer read"), b"").await;
    assert_eq!((status, schemes(&body)), (202, vec!["oauth".to_owned()]));
    let (status, _) = send(addr, &get("/scoped", "\r\nAuthorization: Bearer nope"), b"").await;
    assert_eq!(status, 401);
    let (status, _) = send(addr, &get("/scoped", ""), b"").await;
    assert_eq!(status, 401);

    // Both halves of the first alternative, or the second.
    let both = "\r\nX-Tenant: good";
    let (status, body) = send(addr, &get("/combined?api_key=good", both), b"").await;
    assert_eq!(
        (status, schemes(&body)),
        (200, vec!["key".to_owned(), "tenant".to_owned()])
    );
    let (status, _) = send(addr, &get("/combined?api_key=good", ""), b"").await;
    assert_eq!(status, 401, "half of a combined requirement is not enough");
    let (status, _) = send(addr, &get("/combined?api_key=bad", both), b"").await;
    assert_eq!(status, 401);
    let admin = "\r\nAuthorization: Bearer admin";
    let (status, body) = send(addr, &get("/combined", admin), b"").await;
    assert_eq!((status, schemes(&body)), (200, vec!["oidc".to_owned()]));
    let (status, body) = send(
        addr,
        &get("/combined", "\r\nAuthorization: Bearer read"),
        b"",
    )
    .await;
    assert_eq!(status, 401, "the token lacks the scope `admin`: {body}");

    // Optional: anonymous, or basic credentials that must then be right.
    let (status, body) = send(addr, &get("/optional", ""), b"").await;
    assert_eq!((status, schemes(&body)), (200, Vec::<String>::new()));
    let basic = format!("\r\nAuthorization: Basic {BASIC}");
    let (status, body) = send(addr, &get("/optional", &basic), b"").await;
    assert_eq!((status, schemes(&body)), (200, vec!["basic".to_owned()]));
    let (status, _) = send(
        addr,
        &get("/optional", "\r\nAuthorization: Basic eDp5"),
        b"",
    )
    .await;
    assert_eq!(status, 401);

    // A cookie key; `security: []`.
    let (status, body) = send(addr, &get("/session", "\r\nCookie: a=b; session=good"), b"").await;
    assert_eq!((status, schemes(&body)), (200, vec!["session".to_owned()]));
    let (status, _) = send(addr, &get("/open", ""), b"").await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn vendor_json_bodies() {
    let addr = start().await;
    let head = "PATCH /things/1 HTTP/1.1\r\nContent-Type: application/merge-patch+json";
    let (status, body) = send(addr, head, br#"{"name":"a"}"#).await;
    assert_eq!((status, body.as_str()), (200, r#"{"name":"a"}"#));
    let (status, _) = send(addr, head, br#"{"name":1}"#).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn bytes_and_text_bodies() {
    let addr = start().await;
    let bytes: Vec<u8> = (0..=255).collect();
    for (media, answer) in [
        ("application/octet-stream", "256"),
        ("image/jpeg", "256 image/jpeg"),
    ] {
        let head = format!("PUT /files/a HTTP/1.1\r\nContent-Type: {media}");
        let (status, body) = send(addr, &head, &bytes).await;
        assert_eq!((status, body.as_str()), (200, answer), "{media}");
    }
    let head = "PUT /files/a HTTP/1.1\r\nContent-Type: application/json";
    let (status, body) = send(addr, head, b"{}").await;
    // 415, which the spec does not document: the status alone.
    assert_eq!(
        (status, body.as_str()),
        (415, ""),
        "a media type the operation does not take"
    );

    let (status, body) = send(addr, "GET /files/png HTTP/1.1", b"").await;
    assert_eq!((status, body.as_str()), (200, "png"));

    let head = "POST /notes HTTP/1.1\r\nContent-Type: text/plain; charset=utf-8";
    let (status, body) = send(addr, head, "héllo".as_bytes()).await;
    assert_eq!((status, body.as_str()), (200, "héllo"));
    let (status, body) = send(addr, "POST /notes HTTP/1.1", b"").await;
    assert_eq!(
        (status, body.as_str()),
        (200, "(none)"),
        "the body is optional"
    );
    let (status, _) = send(addr, head, &[0xff, 0xfe]).await;
    assert_eq!(status, 400, "not UTF-8");
}

#[tokio::test]
async fn form_bodies() {
    let addr = start().await;
    let head = "POST /forms HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
    let (status, body) = send(addr, head, b"count=3&tags=a&tags=b%20c&urgent=true&note=x").await;
    assert_eq!((status, body.as_str()), (200, r#"{"count":321}"#));
    let (status, body) = send(addr, head, b"count=0").await;
    assert_eq!(status, 400, "below the minimum: {body}");
    let (status, body) = send(addr, head, b"count=two").await;
    assert_eq!(status, 400, "not an integer: {body}");
    let (status, body) = send(addr, head, b"urgent=true").await;
    assert_eq!(status, 400, "a required field is missing: {body}");
    let json = "POST /forms HTTP/1.1\r\nContent-Type: application/json";
    let (status, _) = send(addr, json, br#"{"count":3}"#).await;
    assert_eq!(status, 415, "the operation takes a form only");
}

#[tokio::test]
async fn delimited_query_arrays() {
    let addr = start().await;
    let get = "GET /search?ids=1,2,30&words=a%20b%20c&flags=true|false|true HTTP/1.1";
    let (status, body) = send(addr, get, b"").await;
    assert_eq!((status, body.as_str()), (200, "[33,3,2]"));
    let (status, body) = send(addr, "GET /search?ids=1,x HTTP/1.1", b"").await;
    assert_eq!(status, 400, "not an integer: {body}");
}

#[tokio::test]
async fn the_client_sends_a_combined_requirement_whole() {
    use fixture_types::servers::reach::client::{Client, Credential as Secret};
    use fixture_types::servers::reach::operations::CombinedResponse as Combined;

    let client = Client::new(&format!("http://{}", start().await));
    let seen = |answer| match answer {
        Combined::Ok(matched) => matched.schemes,
        other => panic!("not accepted: {other:?}"),
    };
    // The first requirement (key and tenant) once both are set; until then, the second (oidc).
    let keyed = client.with_credential(Secret::Key("good".to_owned()));
    let oidc = keyed.with_credential(Secret::Oidc("admin".to_owned()));
    assert_eq!(seen(oidc.combined().await.unwrap()), ["oidc"]);
    let both = oidc.with_credential(Secret::Tenant("good".to_owned()));
    assert_eq!(seen(both.combined().await.unwrap()), ["key", "tenant"]);
    // Half of a requirement is not sent: the server asks for credentials.
    assert!(matches!(
        keyed.combined().await.unwrap(),
        Combined::Unauthorized(_)
    ));
}
