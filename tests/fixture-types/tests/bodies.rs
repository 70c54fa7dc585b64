//! Request bodies of every media kind (`tests/fixtures/server/bodies.yaml`) over a real socket:
//! raw HTTP requests, and the generated client, against an implementation that answers what it
//! was given; and the router's refusals (a missing part, a body over the limit, a media type
//! the operation does not take).

mod common;

use std::net::SocketAddr;

use axum::http::request::Parts;
use fixture_types::servers::bodies::client::Client;
use fixture_types::servers::bodies::operations::{
    AddNoteBody, AddNoteResponse, AttachBody, AttachResponse, MaybeNoteResponse,
    PostAnythingResponse, PutBlobResponse, PutImageBody, PutImageResponse, UploadMultipart,
    UploadResponse,
};
use fixture_types::servers::bodies::server::{
    self, Api, BadRequest, BodyRefusals, PayloadTooLarge, Rejection, ServerConfig,
    UnsupportedMediaType,
};
use fixture_types::servers::bodies::types::{Note, Problem, Seen, UploadRequestMeta};
use futures_util::StreamExt;
use openapi_rustgen_runtime::{File, Media};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

struct Echo;

fn seen(kind: &str) -> Seen {
    Seen {
        kind: kind.to_owned(),
        media_type: None,
        title: None,
        count: None,
        ratio: None,
        urgent: None,
        tags: None,
        meta: None,
        files: None,
        length: None,
        text: None,
    }
}

/// `name:type:length`, and `:spooled` for a file the server kept in a temporary file.
fn described(file: &File) -> String {
    format!(
        "{}:{}:{}{}",
        file.file_name.as_deref().unwrap_or("-"),
        file.content_type.as_deref().unwrap_or("-"),
        file.len(),
        if file.is_spooled() { ":spooled" } else { "" }
    )
}

/// A file's content, read as a stream as an implementation would.
async fn streamed(file: &File) -> Vec<u8> {
    let mut content = Vec::new();
    let mut chunks = std::pin::pin!(file.stream());
    while let Some(chunk) = chunks.next().await {
        content.extend_from_slice(&chunk.expect("the file reads"));
    }
    content
}

fn note(kind: &str, note: Note) -> Seen {
    Seen {
        title: Some(note.title),
        count: note.stars,
        ..seen(kind)
    }
}

fn media(kind: &str, media: Media) -> Seen {
    Seen {
        media_type: Some(media.media_type),
        length: Some(media.bytes.len() as i64),
        text: String::from_utf8(media.bytes).ok(),
        ..seen(kind)
    }
}

fn bytes(kind: &str, bytes: Vec<u8>) -> Seen {
    Seen {
        length: Some(bytes.len() as i64),
        text: String::from_utf8(bytes).ok(),
        ..seen(kind)
    }
}

impl Api for Echo {
    async fn post_anything(&self, _: &Parts, body: Media) -> PostAnythingResponse {
        PostAnythingResponse::Ok(media("any", body))
    }

    async fn put_blob(&self, _: &Parts, body: Media) -> PutBlobResponse {
        PutBlobResponse::Ok(media("blob", body))
    }

    async fn put_image(&self, _: &Parts, body: Option<PutImageBody>) -> PutImageResponse {
        PutImageResponse::Ok(match body {
            None => seen("none"),
            Some(PutImageBody::Any(body)) => media("image", body),
            Some(PutImageBody::ApplicationOctetStream(body)) => bytes("octet-stream", body),
            Some(PutImageBody::ApplicationXYaml(body)) => bytes("yaml", body),
        })
    }

    async fn add_note(&self, _: &Parts, body: AddNoteBody) -> AddNoteResponse {
        AddNoteResponse::Ok(match body {
            AddNoteBody::Json(body) => note("json", body),
            AddNoteBody::Form(body) => note("form", body),
            AddNoteBody::Multipart(body) => note("multipart", body),
            AddNoteBody::Text(text) => Seen {
                text: Some(text),
                ..seen("text")
            },
        })
    }

    async fn maybe_note(&self, _: &Parts, body: Option<Note>) -> MaybeNoteResponse {
        MaybeNoteResponse::Ok(match body {
            None => seen("none"),
            Some(body) => note("json", body),
        })
    }

    async fn upload(&self, _: &Parts, body: UploadMultipart) -> UploadResponse {
        let mut files = vec![described(&body.document)];
        files.extend(body.attachments.iter().flatten().map(described));
        files.extend(body.picture.iter().map(described));
        UploadResponse::Ok(Seen {
            title: Some(body.title),
            count: body.count,
            ratio: body.ratio,
            urgent: body.urgent,
            tags: body.tags,
            meta: body.meta.map(|meta| {
                [("owner".to_owned(), Value::from(meta.owner))]
                    .into_iter()
                    .collect()
            }),
            files: Some(files),
            text: String::from_utf8(streamed(&body.document).await).ok(),
            ..seen("upload")
        })
    }

    async fn attach(&self, _: &Parts, body: Option<AttachBody>) -> AttachResponse {
        AttachResponse::Ok(match body {
            None => seen("none"),
            Some(AttachBody::Json(body)) => note("json", body),
            Some(AttachBody::Multipart(body)) => Seen {
                title: body.caption,
                files: Some(vec![described(&body.file)]),
                text: String::from_utf8(streamed(&body.file).await).ok(),
                ..seen("attachment")
            },
        })
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
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
}

fn problem(rejection: &Rejection) -> Problem {
    Problem {
        message: rejection.message().to_owned(),
    }
}

/// A server of [`Echo`] on a free port, with a body limit of 4 KiB.
async fn serve() -> SocketAddr {
    serve_with(ServerConfig::default().body_limit(4096)).await
}

async fn serve_with(config: ServerConfig) -> SocketAddr {
    common::serve(server::router_with_config(Echo, config)).await
}

/// The status and JSON body of a raw HTTP/1.1 request.
async fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> (u16, Value) {
    let headers = content_type.map_or_else(String::new, |ty| format!("Content-Type: {ty}\r\n"));
    let answer = common::request(addr, method, path, &headers, body).await;
    (answer.status, answer.json())
}

const BOUNDARY: &str = "b0undary";

/// A part of a multipart body: name, file name, content type, content.
type RawPart<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

/// A multipart body of `parts`.
fn multipart(parts: &[RawPart<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, content_type, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
        if let Some(file_name) = file_name {
            disposition.push_str(&format!("; filename=\"{file_name}\""));
        }
        body.extend_from_slice(format!("{disposition}\r\n").as_bytes());
        if let Some(content_type) = content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

#[tokio::test]
async fn a_multipart_body_reaches_the_handler_typed_with_its_files() {
    let addr = serve().await;
    let body = multipart(&[
        ("title", None, None, b"Report"),
        ("count", None, None, b"3"),
        ("ratio", None, None, b"0.5"),
        ("urgent", None, None, b"true"),
        ("tags", None, None, b"a"),
        ("tags", None, None, b"b"),
        (
            "meta",
            None,
            Some("application/json"),
            br#"{"owner":"ann"}"#,
        ),
        ("document", Some("r.txt"), Some("text/plain"), b"the text"),
        ("attachments", Some("x.bin"), None, b"\x00\xff\r\n--b0und"),
        ("attachments", Some("y.bin"), None, b""),
        ("picture", Some("p.png"), Some("image/png"), b"\x89PNG"),
    ]);
    let (status, seen) = raw(addr, "POST", "/upload", Some(&multipart_type()), &body).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        seen,
        json!({
            "kind": "upload", "title": "Report", "count": 3, "ratio": 0.5, "urgent": true,
            "tags": ["a", "b"], "meta": {"owner": "ann"}, "text": "the text",
            "files": ["r.txt:text/plain:8", "x.bin:-:11", "y.bin:-:0", "p.png:image/png:4"]
        })
    );
}

#[tokio::test]
async fn multipart_bodies_are_refused_as_the_schema_says() {
    let addr = serve().await;
    let ty = multipart_type();
    let document = ("document", Some("d"), None, &b"d"[..]);
    for (parts, why) in [
        (vec![("title", None, None, &b"t"[..])], "document"),
        (vec![document], "title"),
        (
            vec![
                ("title", None, None, &b"t"[..]),
                ("count", None, None, b"0"),
                document,
            ],
            "count",
        ),
        (
            vec![
                ("title", None, None, &b"t"[..]),
                ("count", None, None, b"x"),
                document,
            ],
            "count",
        ),
        (
            vec![
                ("title", None, None, &b"t"[..]),
                ("meta", None, None, b"{}"),
                document,
            ],
            "owner",
        ),
        (vec![("title", None, None, &b"\xff"[..]), document], "title"),
    ] {
        let (status, problem) = raw(addr, "POST", "/upload", Some(&ty), &multipart(&parts)).await;
        assert_eq!(status, 400, "{why}: {problem}");
        let message = problem["message"].as_str().expect("a problem");
        assert!(message.contains(why), "{why}: {message}");
    }
    // Not multipart at all, or cut off.
    let (status, problem) = raw(addr, "POST", "/upload", Some(&ty), b"--b0undary\r\nbroken").await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("malformed")
    );
}

#[tokio::test]
async fn a_file_part_over_the_body_limit_is_refused() {
    let addr = serve().await;
    let big = vec![b'x'; 5000];
    let body = multipart(&[
        ("title", None, None, b"t"),
        ("document", Some("big"), None, &big),
    ]);
    let (status, problem) = raw(addr, "POST", "/upload", Some(&multipart_type()), &body).await;
    // 413 in the spec's error format.
    assert_eq!(status, 413, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("longer than 4096 bytes"),
        "{problem}"
    );
    // Just under the limit passes.
    let fits = vec![b'x'; 3500];
    let body = multipart(&[
        ("title", None, None, b"t"),
        ("document", Some("fits"), None, &fits),
    ]);
    let (status, seen) = raw(addr, "POST", "/upload", Some(&multipart_type()), &body).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["files"], json!(["fits:-:3500"]));
}

#[tokio::test]
async fn a_file_past_the_memory_limit_is_spooled_and_streamed_whole() {
    let addr = serve_with(
        ServerConfig::default()
            .body_limit(1 << 20)
            .file_memory_limit(1024),
    )
    .await;
    let document: String = (0..30_000).map(|i| format!("{i:09}\n")).collect();
    // Text parts before and after the file parts.
    let body = multipart(&[
        ("title", None, None, b"Big"),
        (
            "document",
            Some("big.txt"),
            Some("text/plain"),
            document.as_bytes(),
        ),
        ("attachments", Some("x.bin"), None, b"\x00\x01\x02"),
        ("count", None, None, b"2"),
        ("tags", None, None, b"a"),
    ]);
    let (status, seen) = raw(addr, "POST", "/upload", Some(&multipart_type()), &body).await;
    assert_eq!(status, 200, "{}", seen["message"]);
    assert_eq!(seen["title"], "Big");
    assert_eq!(seen["count"], 2);
    assert_eq!(seen["tags"], json!(["a"]));
    assert_eq!(
        seen["files"],
        json!(["big.txt:text/plain:300000:spooled", "x.bin:-:3"])
    );
    // Read back through the file's stream, byte for byte.
    assert!(seen["text"].as_str() == Some(document.as_str()));
}

#[tokio::test]
async fn a_body_of_several_media_types_takes_a_spooled_file_too() {
    let addr = serve_with(
        ServerConfig::default()
            .body_limit(1 << 20)
            .file_memory_limit(100),
    )
    .await;
    let content = "0123456789".repeat(1000);
    // The file before the text part.
    let body = multipart(&[
        ("file", Some("f.txt"), None, content.as_bytes()),
        ("caption", None, None, b"ten thousand"),
    ]);
    let (status, seen) = raw(addr, "POST", "/attachments", Some(&multipart_type()), &body).await;
    assert_eq!(status, 200, "{}", seen["message"]);
    assert_eq!(seen["kind"], "attachment");
    assert_eq!(seen["title"], "ten thousand");
    assert_eq!(seen["files"], json!(["f.txt:-:10000:spooled"]));
    assert!(seen["text"].as_str() == Some(content.as_str()));
    // The other media type, and no body.
    let note = br#"{"title": "n"}"#;
    let (status, seen) = raw(addr, "POST", "/attachments", Some("application/json"), note).await;
    assert_eq!((status, seen), (200, json!({"kind": "json", "title": "n"})));
    let (status, seen) = raw(addr, "POST", "/attachments", Some(&multipart_type()), b"").await;
    assert_eq!((status, seen), (200, json!({"kind": "none"})));
    // A multipart body without its file.
    let body = multipart(&[("caption", None, None, b"c")]);
    let (status, problem) = raw(addr, "POST", "/attachments", Some(&multipart_type()), &body).await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("file")
    );
}

/// The status and JSON body of a request whose body is sent chunked (no `Content-Length`, so
/// the server learns its length only as it reads), sent while the answer is read.
async fn raw_chunked(
    addr: SocketAddr,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let (mut reader, mut writer) = common::connect(addr).await.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Transfer-Encoding: chunked\r\nContent-Type: {content_type}\r\n\r\n"
    );
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        for chunk in body.chunks(8192) {
            writer
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            writer.write_all(chunk).await?;
            writer.write_all(b"\r\n").await?;
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let answer = common::Answer::read(&mut reader).await;
    // The server may answer (and close) before it has read a body it refuses.
    let sent = sender.await.expect("the sender runs");
    let answer = answer.unwrap_or_else(|| panic!("nothing was answered; sending: {sent:?}"));
    (answer.status, answer.json())
}

#[tokio::test]
async fn a_file_crossing_the_limit_as_it_arrives_is_refused_as_configured() {
    let big = vec![b'x'; 1 << 20];
    let body = multipart(&[
        ("title", None, None, b"t"),
        ("document", Some("big"), None, &big),
        ("count", None, None, b"1"),
    ]);
    for (refusals, expected) in [
        (BodyRefusals::Standard, 413),
        (BodyRefusals::BadRequest, 400),
    ] {
        let addr = serve_with(
            ServerConfig::default()
                .body_limit(64 * 1024)
                .file_memory_limit(1024)
                .body_refusals(refusals),
        )
        .await;
        let (status, problem) = raw_chunked(addr, "/upload", &multipart_type(), body.clone()).await;
        assert_eq!(status, expected, "{problem}");
        let message = problem["message"].as_str().expect("a message");
        assert!(message.contains("longer than 65536 bytes"), "{message}");
    }
}

#[tokio::test]
async fn the_content_type_selects_the_media_type_of_a_body() {
    let addr = serve().await;
    for (content_type, body, kind) in [
        (
            "application/json",
            &br#"{"title":"n","stars":2}"#[..],
            "json",
        ),
        (
            "application/json; charset=utf-8",
            br#"{"title":"n","stars":2}"#,
            "json",
        ),
        (
            "application/x-www-form-urlencoded",
            b"title=n&stars=2",
            "form",
        ),
    ] {
        let (status, seen) = raw(addr, "POST", "/notes", Some(content_type), body).await;
        assert_eq!(status, 200, "{content_type}: {seen}");
        assert_eq!(seen, json!({"kind": kind, "title": "n", "count": 2}));
    }
    let parts = multipart(&[("title", None, None, b"n"), ("stars", None, None, b"2")]);
    let (status, seen) = raw(addr, "POST", "/notes", Some(&multipart_type()), &parts).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen, json!({"kind": "multipart", "title": "n", "count": 2}));
    let (status, seen) = raw(addr, "POST", "/notes", Some("text/plain"), b"just text").await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen, json!({"kind": "text", "text": "just text"}));
    // Each media type is checked against its own schema.
    for (content_type, body) in [
        (
            "application/json",
            &br#"{"title":"this title is much too long"}"#[..],
        ),
        ("application/x-www-form-urlencoded", b"title=n&stars=-1"),
    ] {
        let (status, problem) = raw(addr, "POST", "/notes", Some(content_type), body).await;
        assert_eq!(status, 400, "{content_type}: {problem}");
    }
    // A media type the operation does not take, or none.
    for content_type in [Some("application/xml"), None] {
        let (status, problem) = raw(addr, "POST", "/notes", content_type, b"<note/>").await;
        // 415 in the spec's error format.
        assert_eq!(status, 415, "{problem}");
        let message = problem["message"].as_str().expect("a message");
        assert!(
            message.contains("application/json or application/x-www-form-urlencoded"),
            "{message}"
        );
    }
    let (status, problem) = raw(addr, "POST", "/upload", Some("application/json"), b"{}").await;
    assert_eq!(status, 415, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("multipart/form-data")
    );
}

#[tokio::test]
async fn body_refusals_may_be_answered_with_400_as_heat_does() {
    let addr = serve_with(
        ServerConfig::default()
            .body_limit(16)
            .body_refusals(BodyRefusals::BadRequest),
    )
    .await;
    let (status, problem) = raw(addr, "POST", "/notes", Some("text/plain"), &[b'x'; 17]).await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("longer than 16 bytes"),
        "{problem}"
    );
    let (status, problem) = raw(addr, "POST", "/notes", Some("application/xml"), b"<a/>").await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .expect("a message")
            .contains("found 'application/xml'"),
        "{problem}"
    );
}

#[tokio::test]
async fn wildcards_binary_and_optional_bodies() {
    let addr = serve().await;
    let (status, seen) = raw(addr, "PUT", "/blobs", Some("image/png"), b"\x89PNG").await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        seen,
        json!({"kind": "blob", "media_type": "image/png", "length": 4})
    );
    let (status, seen) = raw(addr, "PUT", "/blobs", None, b"raw").await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["media_type"], "application/octet-stream");
    let (status, seen) = raw(addr, "POST", "/anything", Some("x/y"), b"hi").await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        seen,
        json!({"kind": "any", "media_type": "x/y", "length": 2, "text": "hi"})
    );

    for (content_type, kind) in [
        ("image/jpeg", "image"),
        ("application/octet-stream", "octet-stream"),
        ("application/x-yaml", "yaml"),
    ] {
        let (status, seen) = raw(addr, "PUT", "/images", Some(content_type), b"a: 1").await;
        assert_eq!(status, 200, "{content_type}: {seen}");
        assert_eq!(seen["kind"], kind, "{content_type}");
        assert_eq!(seen["length"], 4);
    }
    let (status, seen) = raw(addr, "PUT", "/images", Some("image/gif"), b"GIF").await;
    assert_eq!((status, &seen["media_type"]), (200, &json!("image/gif")));
    let (status, _) = raw(addr, "PUT", "/images", Some("text/plain"), b"no").await;
    assert_eq!(status, 415);
    // Optional bodies: none is `None`.
    let (status, seen) = raw(addr, "PUT", "/images", None, b"").await;
    assert_eq!((status, seen), (200, json!({"kind": "none"})));
    let (status, seen) = raw(addr, "POST", "/optional", None, b"").await;
    assert_eq!((status, seen), (200, json!({"kind": "none"})));
    let (status, seen) = raw(
        addr,
        "POST",
        "/optional",
        Some("application/json"),
        br#"{"title":"t"}"#,
    )
    .await;
    assert_eq!((status, seen), (200, json!({"kind": "json", "title": "t"})));
    // A required body that is missing.
    let (status, problem) = raw(addr, "POST", "/notes", None, b"").await;
    assert_eq!(status, 400, "{problem}");
    // A required body of text or bytes that is empty, labelled so, is the empty value; an
    // empty JSON body is still missing, and an optional body stays `None`.
    let (status, seen) = raw(addr, "POST", "/notes", Some("text/plain"), b"").await;
    assert_eq!((status, seen), (200, json!({"kind": "text", "text": ""})));
    let (status, seen) = raw(addr, "PUT", "/blobs", Some("image/png"), b"").await;
    assert_eq!(
        (status, seen),
        (
            200,
            json!({"kind": "blob", "media_type": "image/png", "length": 0, "text": ""})
        )
    );
    let (status, problem) = raw(addr, "POST", "/notes", Some("application/json"), b"").await;
    assert_eq!(status, 400, "{problem}");
    let (status, seen) = raw(addr, "PUT", "/images", Some("image/png"), b"").await;
    assert_eq!((status, seen), (200, json!({"kind": "none"})));
}

#[tokio::test]
async fn the_generated_client_sends_every_media_kind() {
    let addr = serve().await;
    let client = Client::new(&format!("http://{addr}"));
    let file = |name: &str, ty: Option<&str>, bytes: &[u8]| {
        let file = File::new(bytes.to_vec()).with_file_name(name);
        match ty {
            Some(ty) => file.with_content_type(ty),
            None => file,
        }
    };
    let upload = UploadMultipart {
        title: "Report \"2\"".to_owned(),
        count: Some(3),
        ratio: Some(1.5),
        urgent: Some(false),
        tags: Some(vec!["a".to_owned(), "b c".to_owned()]),
        meta: Some(UploadRequestMeta {
            owner: "ann".to_owned(),
        }),
        document: file("doc.txt", Some("text/plain"), b"the text"),
        attachments: Some(vec![
            file("x.bin", None, b"\x00\xff--openapi-rustgen-0"),
            File::new(b"\x01".to_vec()),
        ]),
        picture: None,
    };
    let UploadResponse::Ok(seen) = client.upload(&upload).await.expect("an answer") else {
        panic!("not 200")
    };
    assert_eq!(
        serde_json::to_value(&seen).expect("JSON"),
        json!({
            "kind": "upload", "title": "Report \"2\"", "count": 3, "ratio": 1.5, "urgent": false,
            "tags": ["a", "b c"], "meta": {"owner": "ann"}, "text": "the text",
            "files": [
                "doc.txt:text/plain:8",
                "x.bin:application/octet-stream:21",
                "attachments:application/octet-stream:1"
            ]
        })
    );

    let note = Note {
        title: "n".to_owned(),
        stars: Some(4),
    };
    for (body, kind) in [
        (AddNoteBody::Json(note.clone()), "json"),
        (AddNoteBody::Form(note.clone()), "form"),
        (AddNoteBody::Multipart(note.clone()), "multipart"),
    ] {
        let AddNoteResponse::Ok(seen) = client.add_note(&body).await.expect("an answer") else {
            panic!("not 200")
        };
        assert_eq!(
            (seen.kind.as_str(), seen.title.as_deref()),
            (kind, Some("n"))
        );
        assert_eq!(seen.count, Some(4));
    }
    let AddNoteResponse::Ok(seen) = client
        .add_note(&AddNoteBody::Text("plain".to_owned()))
        .await
        .expect("an answer")
    else {
        panic!("not 200")
    };
    assert_eq!(seen.text.as_deref(), Some("plain"));
    // The schema still holds for what the client sends.
    let long = AddNoteBody::Multipart(Note {
        title: "x".repeat(30),
        stars: None,
    });
    assert!(matches!(
        client.add_note(&long).await.expect("an answer"),
        AddNoteResponse::BadRequest(_)
    ));

    let PutBlobResponse::Ok(seen) = client
        .put_blob(&Media::new("image/png", b"\x89PNG".to_vec()))
        .await
        .expect("an answer")
    else {
        panic!("not 200")
    };
    assert_eq!(seen.media_type.as_deref(), Some("image/png"));
    let PostAnythingResponse::Ok(seen) = client
        .post_anything(&Media::new("application/vnd.x", b"x".to_vec()))
        .await
        .expect("an answer")
    else {
        panic!("not 200")
    };
    assert_eq!(seen.media_type.as_deref(), Some("application/vnd.x"));
    for (body, kind) in [
        (
            Some(PutImageBody::Any(Media::new("image/webp", b"w".to_vec()))),
            "image",
        ),
        (
            Some(PutImageBody::ApplicationOctetStream(vec![0, 1])),
            "octet-stream",
        ),
        (
            Some(PutImageBody::ApplicationXYaml(b"a: 1".to_vec())),
            "yaml",
        ),
        (None, "none"),
    ] {
        let PutImageResponse::Ok(seen) = client.put_image(body.as_ref()).await.expect("an answer")
        else {
            panic!("not 200")
        };
        assert_eq!(seen.kind, kind);
    }
    for (body, kind) in [(None, "none"), (Some(&note), "json")] {
        let MaybeNoteResponse::Ok(seen) = client.maybe_note(body).await.expect("an answer") else {
            panic!("not 200")
        };
        assert_eq!(seen.kind, kind);
    }
}
