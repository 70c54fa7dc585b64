//! Plumbing shared by the test files of `fixture-types`: generated servers on a free port, raw
//! HTTP/1.1 exchanges over a socket, reading their JSON, and JSON round trips through the
//! generated types.
//!
//! Each test file that needs it says `mod common;`.

// Every test file is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A listener on a free local port, so that tests running at once never collide.
pub async fn local_listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("a bound address");
    (listener, addr)
}

/// Serves `router` (a generated server) in the background on a free port; its address.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let (listener, addr) = local_listener().await;
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the server runs");
    });
    addr
}

/// A connection to the server at `addr`, for tests that write a request their own way.
pub async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.expect("the server listens")
}

/// Sends `method target` with `headers` (lines as written, each ending in `\r\n`) and `body`, so
/// that a test controls every byte a client library would normalize.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &str,
    body: &[u8],
) -> Answer {
    send(
        addr,
        &format!("{method} {target} HTTP/1.1\r\n{headers}"),
        body,
    )
    .await
}

/// Sends `head` (the request line and header lines, each ending in `\r\n`) and `body`, adding
/// `Host`, `Connection: close` and `Content-Length`; for tests that write the request line too.
pub async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Answer {
    let mut stream = connect(addr).await;
    let head = format!(
        "{head}Host: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the request head is sent");
    // The server may answer (and close) before it has read a body it refuses: the answer says
    // what happened, so a failed write matters only when there is none.
    let sent = stream.write_all(body).await;
    let answer = Answer::read(&mut stream).await;
    if let (Err(err), None) = (sent, &answer) {
        panic!("the body was not sent ({err}) and nothing was answered");
    }
    answer.expect("an answer")
}

/// An HTTP/1.1 answer read to its end: what the socket tests assert on.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The status line and the header lines, as sent.
    pub head: String,
    pub body: String,
}

impl Answer {
    /// Reads an answer until the server closes the connection (each request asks it to);
    /// `None` if it closed without a byte.
    pub async fn read(reader: &mut (impl AsyncRead + Unpin)) -> Option<Answer> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .await
            .expect("the answer reads");
        (!bytes.is_empty()).then(|| Answer::parse(bytes))
    }

    /// Splits an answer's bytes into status, head and body; every answer here is text.
    pub fn parse(bytes: Vec<u8>) -> Answer {
        let text = String::from_utf8(bytes).unwrap_or_else(|err| {
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            panic!("the answer is not UTF-8: {lossy}")
        });
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP/1.1 answer: {text}"));
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("an answer without the end of its head: {text}"));
        Answer {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    /// The value of the header `name` (in any case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The body as JSON; a failure names the body.
    pub fn json(&self) -> Value {
        json_of(&self.body)
    }
}

/// `body` as JSON, failing with the text that is not.
pub fn json_of(body: &str) -> Value {
    decode(body)
}

/// `body` read as `T` (a generated type), failing with the error and the text.
pub fn decode<T: DeserializeOwned>(body: &str) -> T {
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {body}"))
}

/// Reads `input` as `T`, writes it back, and returns the value read: what a generated type
/// reads, it must write the same.
pub fn round_trip<T: DeserializeOwned + Serialize>(input: Value) -> T {
    let value: T = serde_json::from_value(input.clone()).expect("the JSON deserializes");
    assert_eq!(serde_json::to_value(&value).expect("it serializes"), input);
    value
}
