//! Generated clients against a socket that records what they send: operations named like the
//! client's own methods (`tests/fixtures/server/client_reach.yaml`) are sent under their suffixed
//! names, and unexploded query arrays (`reach.yaml`) go out as one delimited value each.

mod common;

use fixture_types::servers::client_reach::client::Client;
use fixture_types::servers::client_reach::operations::{
    BaseUrlResponse, GetAgentParams, GetAgentResponse, HttpClient2Response, HttpClientResponse,
};
use fixture_types::servers::client_reach::types::Agent;
use fixture_types::servers::reach::client::Client as ReachClient;
use fixture_types::servers::reach::operations::{SearchParams, SearchResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

/// A listener that answers one request with `answer` (status line, headers and body after
/// them) and yields the request line it read.
async fn answer_once(answer: &'static str) -> (String, JoinHandle<String>) {
    let (listener, addr) = common::local_listener().await;
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        // None of these requests has a body: the head ends the request.
        while !head.ends_with(b"\r\n\r\n") {
            stream
                .read_exact(&mut byte)
                .await
                .expect("the request head");
            head.push(byte[0]);
        }
        stream.write_all(answer.as_bytes()).await.expect("sent");
        let head = String::from_utf8(head).expect("an ASCII head");
        head.lines().next().unwrap_or_default().to_owned()
    });
    (format!("http://{addr}"), task)
}

#[tokio::test]
async fn operations_named_like_client_methods_keep_their_routes() {
    let (base, request) = answer_once(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":7}",
    )
    .await;
    let client = Client::new(&base);
    assert_eq!(
        client.base_url(),
        base,
        "`base_url` is still the client's own"
    );
    let _: &openapi_rustgen_runtime::client::reqwest::Client = client.http_client();
    let created = client.http_client_3().await.expect("a documented answer");
    assert!(matches!(
        created,
        HttpClientResponse::Created(Agent { id: 7 })
    ));
    assert_eq!(request.await.unwrap(), "POST /agents HTTP/1.1");

    let (base, request) = answer_once("HTTP/1.1 204 No Content\r\n\r\n").await;
    let done = Client::new(&base)
        .http_client_2()
        .await
        .expect("a documented answer");
    assert!(matches!(done, HttpClient2Response::NoContent));
    assert_eq!(request.await.unwrap(), "POST /agents/second HTTP/1.1");

    let (base, request) =
        answer_once("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nhere")
            .await;
    let seen = Client::new(&base)
        .base_url_2()
        .await
        .expect("a documented answer");
    assert!(matches!(seen, BaseUrlResponse::Ok(text) if text == "here"));
    assert_eq!(request.await.unwrap(), "GET /base HTTP/1.1");
}

#[tokio::test]
async fn headers_named_status_and_body_get_fields_of_their_own() {
    let (base, request) = answer_once(
        "HTTP/1.1 409 Conflict\r\nStatus: busy\r\nBody: 3\r\nContent-Type: application/json\r\n\
         Content-Length: 8\r\n\r\n{\"id\":7}",
    )
    .await;
    let answer = Client::new(&base)
        .get_agent(&GetAgentParams { id: 7 })
        .await
        .expect("a documented answer");
    let GetAgentResponse::Default {
        status,
        body,
        status_2,
        body_2,
    } = answer;
    assert_eq!(status.as_u16(), 409);
    assert_eq!(body, Agent { id: 7 });
    assert_eq!(status_2, "busy");
    assert_eq!(body_2, Some(3));
    assert_eq!(request.await.unwrap(), "GET /agents/7 HTTP/1.1");
}

#[tokio::test]
async fn unexploded_query_arrays_are_one_delimited_value() {
    let (base, request) = answer_once(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n[33,2,1]",
    )
    .await;
    let params = SearchParams {
        ids: Some(vec![1, 2, 30]),
        words: Some(vec!["a".to_owned(), "b".to_owned()]),
        flags: Some(vec![true, false]),
    };
    let answer = ReachClient::new(&base)
        .search(&params)
        .await
        .expect("a documented answer");
    assert!(matches!(answer, SearchResponse::Ok(counts) if counts == [33, 2, 1]));
    assert_eq!(
        request.await.unwrap(),
        "GET /search?ids=1%2C2%2C30&words=a+b&flags=true%7Cfalse HTTP/1.1"
    );
}
