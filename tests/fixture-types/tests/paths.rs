//! The server of `tests/fixtures/server/paths.yaml`, over a socket: which operation answers a
//! path, and with which parameter values (captures inside a segment, `{name}:verb` beside
//! `{name}`, literals beside captures, parameter names that differ, trailing slashes, literals a
//! URL must encode), plus the generated client reaching the Google-style operation.

mod common;

use std::net::SocketAddr;

use axum::http::request::Parts;
use fixture_types::servers::paths::client::Client;
use fixture_types::servers::paths::server::{
    self, Api, BatchResponse, CancelThingParams, CancelThingResponse, DeletePetParams,
    DeletePetResponse, GetAIdParams, GetAIdResponse, GetAResponse, GetASlashResponse, GetAbParams,
    GetAbResponse, GetFileByIdParams, GetFileByIdResponse, GetFileParams, GetFileResponse,
    GetLatestFileResponse, GetMyToysParams, GetMyToysResponse, GetPetParams, GetPetResponse,
    GetReportParams, GetReportResponse, GetThingParams, GetThingResponse, GetThingVerbParams,
    GetThingVerbResponse, GetToyParams, GetToyResponse, SpacedResponse,
};
use fixture_types::servers::paths::types::{Called, GetFileExt};

struct Paths;

fn called(operation: &str, values: &[&dyn ToString]) -> Called {
    Called {
        operation: operation.to_owned(),
        values: values.iter().map(|value| value.to_string()).collect(),
    }
}

impl Api for Paths {
    async fn get_a(&self, _: &Parts) -> GetAResponse {
        GetAResponse::Ok(called("getA", &[]))
    }

    async fn get_a_slash(&self, _: &Parts) -> GetASlashResponse {
        GetASlashResponse::Ok(called("getASlash", &[]))
    }

    async fn get_a_id(&self, _: &Parts, params: GetAIdParams) -> GetAIdResponse {
        GetAIdResponse::Ok(called("getAId", &[&params.id]))
    }

    async fn get_ab(&self, _: &Parts, params: GetAbParams) -> GetAbResponse {
        GetAbResponse::Ok(called("getAB", &[&params.name]))
    }

    async fn get_latest_file(&self, _: &Parts) -> GetLatestFileResponse {
        GetLatestFileResponse::Ok(called("getLatestFile", &[]))
    }

    async fn get_file_by_id(&self, _: &Parts, params: GetFileByIdParams) -> GetFileByIdResponse {
        GetFileByIdResponse::Ok(called("getFileById", &[&params.id]))
    }

    async fn get_file(&self, _: &Parts, params: GetFileParams) -> GetFileResponse {
        let ext = serde_json::to_value(params.ext).expect("an enum serializes");
        let ext = ext.as_str().expect("a string enum").to_owned();
        GetFileResponse::Ok(called("getFile", &[&params.name, &ext]))
    }

    async fn batch(&self, _: &Parts) -> BatchResponse {
        BatchResponse::Ok(called("batch", &[]))
    }

    async fn spaced(&self, _: &Parts) -> SpacedResponse {
        SpacedResponse::Ok(called("spaced", &[]))
    }

    async fn delete_pet(&self, _: &Parts, params: DeletePetParams) -> DeletePetResponse {
        DeletePetResponse::Ok(called("deletePet", &[&params.id]))
    }

    async fn get_toy(&self, _: &Parts, params: GetToyParams) -> GetToyResponse {
        GetToyResponse::Ok(called("getToy", &[&params.id, &params.toy, &params.format]))
    }

    async fn get_my_toys(&self, _: &Parts, params: GetMyToysParams) -> GetMyToysResponse {
        GetMyToysResponse::Ok(called("getMyToys", &[&params.name]))
    }

    async fn get_pet(&self, _: &Parts, params: GetPetParams) -> GetPetResponse {
        GetPetResponse::Ok(called("getPet", &[&params.pet_id]))
    }

    async fn get_report(&self, _: &Parts, params: GetReportParams) -> GetReportResponse {
        GetReportResponse::Ok(called(
            "getReport",
            &[&params.major, &params.minor, &params.kind],
        ))
    }

    async fn get_thing(&self, _: &Parts, params: GetThingParams) -> GetThingResponse {
        GetThingResponse::Ok(called("getThing", &[&params.name]))
    }

    async fn cancel_thing(&self, _: &Parts, params: CancelThingParams) -> CancelThingResponse {
        CancelThingResponse::Ok(called("cancelThing", &[&params.name]))
    }

    async fn get_thing_verb(&self, _: &Parts, params: GetThingVerbParams) -> GetThingVerbResponse {
        GetThingVerbResponse::Ok(called("getThingVerb", &[&params.name]))
    }
}

async fn start() -> SocketAddr {
    common::serve(server::router(Paths)).await
}

/// Sends `method` on `path` exactly as written; the status, the `Allow` header and the body.
async fn send(addr: SocketAddr, method: &str, path: &str) -> (u16, Option<String>, String) {
    let answer = common::request(addr, method, path, "", b"").await;
    let allow = answer.header("allow").map(str::to_owned);
    (answer.status, allow, answer.body)
}

/// The operation that answered `method path`, and the values it got.
async fn answered(addr: SocketAddr, method: &str, path: &str) -> (String, Vec<String>) {
    let (status, _, body) = send(addr, method, path).await;
    assert_eq!(status, 200, "{method} {path}: {body}");
    let called: Called =
        serde_json::from_str(&body).unwrap_or_else(|err| panic!("{method} {path}: {err}: {body}"));
    (called.operation, called.values)
}

fn expect(operation: &str, values: &[&str]) -> (String, Vec<String>) {
    (
        operation.to_owned(),
        values.iter().map(|value| (*value).to_owned()).collect(),
    )
}

#[tokio::test]
async fn captures_inside_a_segment_and_several_per_segment() {
    let addr = start().await;
    let get = |path: &'static str| answered(addr, "GET", path);
    assert_eq!(
        get("/files/report.json").await,
        expect("getFile", &["report", "json"])
    );
    // The first capture is the shortest text; the last takes the rest.
    assert_eq!(
        get("/files/a.tar.gz").await,
        expect("getFile", &["a", "tar.gz"])
    );
    // An encoded separator is part of the value; captures are percent-decoded.
    assert_eq!(
        get("/files/a%2Eb%20c.txt").await,
        expect("getFile", &["a.b c", "txt"])
    );
    // Beside it at the same depth: a whole capture and a literal.
    assert_eq!(get("/files/12").await, expect("getFileById", &["12"]));
    assert_eq!(get("/files/latest").await, expect("getLatestFile", &[]));
    assert_eq!(
        get("/files/latest.json").await,
        expect("getFile", &["latest", "json"])
    );
    assert_eq!(
        get("/reports/v2.10-daily%2Fsummary.csv").await,
        expect("getReport", &["2", "10", "daily/summary"])
    );
    // Captures are typed after decoding: an integer capture that is not one is a 400.
    let (status, _, _) = send(addr, "GET", "/reports/vx.1-daily.csv").await;
    assert_eq!(status, 400);
    let (status, _, _) = send(addr, "GET", "/files/a.exe").await;
    assert_eq!(status, 400, "ext is an enum");
    let (status, _, _) = send(addr, "GET", "/files/%FF.json").await;
    assert_eq!(status, 400, "not UTF-8 once decoded");
}

#[tokio::test]
async fn google_style_verbs_beside_the_resource() {
    let addr = start().await;
    assert_eq!(
        answered(addr, "GET", "/v1/op1").await,
        expect("getThing", &["op1"])
    );
    assert_eq!(
        answered(addr, "GET", "/v1/op1:get").await,
        expect("getThingVerb", &["op1"])
    );
    assert_eq!(
        answered(addr, "POST", "/v1/op1:cancel").await,
        expect("cancelThing", &["op1"])
    );
    // The longest match wins only where it matches: an encoded `:` is data.
    assert_eq!(
        answered(addr, "GET", "/v1/a%3Aget").await,
        expect("getThing", &["a:get"])
    );
    assert_eq!(
        answered(addr, "POST", "/v1/a:get:cancel").await,
        expect("cancelThing", &["a:get"])
    );
    // A near miss: no POST template matches, but the GET one does (which serves HEAD too).
    let (status, allow, _) = send(addr, "POST", "/v1/op1:stop").await;
    assert_eq!((status, allow.as_deref()), (405, Some("GET,HEAD")));
    // A method no template of the route has: `Allow` names the methods of the most specific
    // template that matches the path, not every method of the route (POST is only
    // `{name}:cancel`'s).
    let (status, allow, _) = send(addr, "DELETE", "/v1/op1").await;
    assert_eq!((status, allow.as_deref()), (405, Some("GET,HEAD")));
    let (status, allow, _) = send(addr, "DELETE", "/v1/op1:cancel").await;
    assert_eq!((status, allow.as_deref()), (405, Some("POST")));
    // The path decides first, then the method: `op1:cancel` would fit `{name}`, but
    // `{name}:cancel` is the path, and it has no GET (nor HEAD).
    for method in ["GET", "HEAD"] {
        let (status, allow, _) = send(addr, method, "/v1/op1:cancel").await;
        assert_eq!((status, allow.as_deref()), (405, Some("POST")), "{method}");
    }
    let (status, allow, _) = send(addr, "PUT", "/v1/op1:get").await;
    assert_eq!((status, allow.as_deref()), (405, Some("GET,HEAD")));
    // An encoded `:` is data, so only `{name}` matches.
    assert_eq!(
        answered(addr, "GET", "/v1/op1%3Acancel").await,
        expect("getThing", &["op1:cancel"])
    );
    let (status, _, _) = send(addr, "POST", "/v1/:cancel").await;
    assert_eq!(
        status, 405,
        "an empty capture is no capture; GET /v1/{{name}} matches"
    );
}

#[tokio::test]
async fn literals_beside_captures_at_any_depth() {
    let addr = start().await;
    assert_eq!(
        answered(addr, "GET", "/pets/7/toys/ball.json").await,
        expect("getToy", &["7", "ball", "json"])
    );
    assert_eq!(
        answered(addr, "GET", "/pets/rex/toys/mine").await,
        expect("getMyToys", &["rex"])
    );
    assert_eq!(
        answered(addr, "GET", "/pets/7/toys/mine.json").await,
        expect("getToy", &["7", "mine", "json"])
    );
    // Near misses are 404, from the router and from the template match.
    for path in [
        "/pets/7/toys/ball",
        "/pets/7/toys",
        "/reports/v1.2.csv",
        "/files/a/b",
    ] {
        let (status, _, body) = send(addr, "GET", path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
}

#[tokio::test]
async fn parameter_names_trailing_slashes_and_encoded_literals() {
    let addr = start().await;
    assert_eq!(
        answered(addr, "GET", "/pets/3").await,
        expect("getPet", &["3"])
    );
    assert_eq!(
        answered(addr, "DELETE", "/pets/3").await,
        expect("deletePet", &["3"])
    );
    assert_eq!(answered(addr, "GET", "/a").await, expect("getA", &[]));
    assert_eq!(answered(addr, "GET", "/a/").await, expect("getASlash", &[]));
    assert_eq!(
        answered(addr, "GET", "/a/x").await,
        expect("getAId", &["x"])
    );
    assert_eq!(
        answered(addr, "GET", "/a/x/b").await,
        expect("getAB", &["x"])
    );
    // A literal starting with `:` (which axum's own syntax refuses) and one a URL must encode.
    assert_eq!(
        answered(addr, "POST", "/odd/:batch").await,
        expect("batch", &[])
    );
    assert_eq!(
        answered(addr, "GET", "/odd/a%20b").await,
        expect("spaced", &[])
    );
    let (status, allow, _) = send(addr, "GET", "/odd/:batch").await;
    assert_eq!((status, allow.as_deref()), (405, Some("POST")));
    let (status, _, _) = send(addr, "POST", "/odd/%3Abatch").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_client_reaches_the_google_style_operation() {
    let addr = start().await;
    let client = Client::new(&format!("http://{addr}/"));
    for name in ["op1", "a:cancel", "projects/p/operations/o 1", "x.y%z"] {
        let answer = client
            .cancel_thing(&CancelThingParams {
                name: name.to_owned(),
            })
            .await
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let CancelThingResponse::Ok(called) = answer;
        assert_eq!(called, self::called("cancelThing", &[&name]), "{name}");
    }
    // Several captures in a segment: a separator inside a value is sent encoded.
    let answer = client
        .get_file(&GetFileParams {
            name: "a.b".to_owned(),
            ext: GetFileExt::TarGz,
        })
        .await
        .expect("getFile answers");
    let GetFileResponse::Ok(called) = answer;
    assert_eq!(called, self::called("getFile", &[&"a.b", &"tar.gz"]));
}
