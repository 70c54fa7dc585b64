//! `multipart/form-data` bodies (RFC 7578), read as they arrive ([`Parts`]): the body limit
//! counted as bytes come, text parts collected and checked as JSON against the schema, file
//! parts spooled (in memory up to `ServerConfig::file_memory_limit`, the rest in an anonymous
//! temporary file) and handed over as [`File`]s.

use std::collections::HashMap;
use std::io::Write;

use ::axum::body::Body;
use ::bytes::{Bytes, BytesMut};
use ::serde_json::{Map, Value};

use super::parts::{self, Parts};
use super::piece::Piece;
use super::{check, insert};
use crate::File;
use crate::server::request::{BodySpec, Coerce, FormField, coerce};
use crate::server::{Rejection, RejectionKind, ServerConfig};

/// The most bytes a spooled file keeps in memory before writing them out.
const WRITE_BUFFER: usize = 64 * 1024;

fn malformed() -> Rejection {
    Rejection::new(
        RejectionKind::MalformedBody,
        "The multipart body is malformed.",
    )
}

/// The body's piece (a map of its parts, the text parts checked against the schema's
/// `validator`), or `None` for an empty body. Reading stops at the first error, and once the
/// body is longer than the limit.
pub(super) async fn read(
    body: Body,
    content_type: &str,
    spec: &BodySpec,
    validator: Option<&::jsonschema::Validator>,
    config: &ServerConfig,
) -> Result<Option<Piece>, Rejection> {
    let limit = config.body_limit;
    let refusal = |error| refusal(error, limit);
    let boundary = boundary(content_type);
    let mut parts = Parts::new(body.into_data_stream(), boundary.unwrap_or_default(), limit);
    // An empty body is no body, as for any media type.
    if parts.is_empty().await.map_err(refusal)? {
        return Ok(None);
    }
    if boundary.is_none() {
        return Err(Rejection::new(
            RejectionKind::MalformedBody,
            "The multipart Content-Type has no boundary.",
        ));
    }
    let mut object = Map::new();
    let mut files: HashMap<String, Piece> = HashMap::new();
    while let Some(head) = parts.next_part().await.map_err(refusal)? {
        let head = Head::of(&head)?;
        // Parts without a name are left out.
        let Some(name) = head.name else {
            continue;
        };
        let known = spec.form.iter().find(|known| known.name == name);
        let array = known.is_some_and(|known| known.array);
        if let Some(FormField {
            coerce: Coerce::File,
            ..
        }) = known
        {
            let mut file = spool(&mut parts, config.file_memory_limit, limit).await?;
            file.file_name = head.file_name;
            file.content_type = head.content_type;
            // The schema sees that the part came.
            insert(
                &mut object,
                name.clone(),
                Value::String(String::new()),
                array,
            );
            let file = Piece::File(file);
            if array {
                match files.entry(name).or_insert_with(|| Piece::Seq(Vec::new())) {
                    Piece::Seq(items) => items.push(file),
                    _ => unreachable!("an array field's files are a sequence"),
                }
            } else {
                files.entry(name).or_insert(file);
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = parts.chunk().await.map_err(refusal)? {
            bytes.extend_from_slice(&chunk);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let how = known.map_or(Coerce::String, |known| known.coerce);
                insert(&mut object, name, coerce(text, how), array);
            }
            // A part the schema does not list, which is not text: the schema sees it came.
            Err(_) if known.is_none() => {
                insert(&mut object, name, Value::String(String::new()), false);
            }
            Err(_) => {
                return Err(Rejection::new(
                    RejectionKind::MalformedBody,
                    format!("The part '{name}' of the request body is not UTF-8 text."),
                ));
            }
        }
    }
    let value = Value::Object(object);
    check(validator, &value)?;
    let Value::Object(object) = value else {
        unreachable!("a multipart value is an object")
    };
    let fields = object
        .into_iter()
        .map(|(key, value)| match files.remove(&key) {
            Some(file) => (key, file),
            None => (key, Piece::Json(value)),
        })
        .collect();
    Ok(Some(Piece::Map(fields)))
}

fn unreadable() -> Rejection {
    Rejection::new(
        RejectionKind::MalformedBody,
        "The request body could not be read.",
    )
}

/// The rejection for what the parser found wrong.
fn refusal(error: parts::Error, limit: usize) -> Rejection {
    match error {
        parts::Error::TooLarge => too_large(limit),
        parts::Error::Unreadable => unreadable(),
        parts::Error::Malformed => malformed(),
    }
}

fn too_large(limit: usize) -> Rejection {
    Rejection::new(
        RejectionKind::BodyTooLarge,
        format!("Request limit exceeded: the body is longer than {limit} bytes."),
    )
}

/// A file part's content: in memory up to `memory_limit` bytes, past it in an anonymous
/// temporary file, written on tokio's blocking threads.
async fn spool<S, E>(
    parts: &mut Parts<S>,
    memory_limit: usize,
    body_limit: usize,
) -> Result<File, Rejection>
where
    S: ::futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut memory = BytesMut::new();
    let mut disk: Option<std::fs::File> = None;
    let mut len = 0u64;
    while let Some(chunk) = parts.chunk().await.map_err(|e| refusal(e, body_limit))? {
        len += chunk.len() as u64;
        memory.extend_from_slice(&chunk);
        let limit = if disk.is_some() {
            WRITE_BUFFER
        } else {
            memory_limit
        };
        if memory.len() > limit {
            disk = Some(write(disk, memory.split().freeze()).await?);
        }
    }
    match disk {
        None => Ok(File::new(memory.freeze())),
        Some(disk) => {
            let disk = write(Some(disk), memory.freeze()).await?;
            Ok(File::spooled(disk, len))
        }
    }
}

/// `file` (a new temporary file if `None`) with `bytes` appended.
async fn write(file: Option<std::fs::File>, bytes: Bytes) -> Result<std::fs::File, Rejection> {
    let written = ::tokio::task::spawn_blocking(move || {
        let mut file = match file {
            Some(file) => file,
            None => ::tempfile::tempfile()?,
        };
        file.write_all(&bytes)?;
        Ok::<_, std::io::Error>(file)
    })
    .await;
    match written {
        Ok(Ok(file)) => Ok(file),
        _ => Err(Rejection::new(
            RejectionKind::Storage,
            "The server could not store an uploaded file.",
        )),
    }
}

/// What a part's headers say: its name, file name and media type.
#[derive(Debug, Default, PartialEq)]
struct Head {
    name: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Head {
    /// What the header lines `head` say; lines that are not `key: value` are skipped.
    fn of(head: &[u8]) -> Result<Head, Rejection> {
        let head = std::str::from_utf8(head).map_err(|_| malformed())?;
        let mut read = Head::default();
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim();
            if key.eq_ignore_ascii_case("content-disposition") {
                for (key, value) in disposition_params(value) {
                    if key.eq_ignore_ascii_case("name") {
                        read.name = Some(value);
                    } else if key.eq_ignore_ascii_case("filename") {
                        read.file_name = Some(value);
                    }
                }
            } else if key.eq_ignore_ascii_case("content-type") {
                read.content_type = Some(value.trim().to_owned());
            }
        }
        Ok(read)
    }
}

/// The `boundary` parameter of a `multipart/...` content type.
fn boundary(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|value| !value.is_empty())
    })
}

/// The `key=value` parameters of a `Content-Disposition` value, quoted values unquoted.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = value;
    // The disposition type comes first.
    match rest.find(';') {
        Some(at) => rest = &rest[at + 1..],
        None => return params,
    }
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some(eq) = rest.find('=') else {
            return params;
        };
        let key = rest[..eq].trim().to_owned();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((index, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            text.push(escaped);
                        }
                    }
                    '"' => {
                        end = index + 1;
                        break;
                    }
                    c => text.push(c),
                }
            }
            value = text;
            rest = &quoted[end.min(quoted.len())..];
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        params.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::request::BodyMedia;
    use ::futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const TYPE: &str = "multipart/form-data; boundary=\"XyZ\"";

    static SPEC: BodySpec = BodySpec {
        schema: "true",
        media: BodyMedia::Multipart,
        accept: &["multipart/form-data"],
        form: &[
            FormField {
                name: "file",
                coerce: Coerce::File,
                array: false,
            },
            FormField {
                name: "count",
                coerce: Coerce::Integer,
                array: false,
            },
        ],
    };

    /// `body` sent `size` bytes at a time.
    fn chunked(body: Vec<u8>, size: usize) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> = body
            .chunks(size)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        Body::from_stream(::futures_util::stream::iter(chunks))
    }

    async fn parts(body: Body, config: &ServerConfig) -> Result<Vec<(String, Piece)>, Rejection> {
        match read(body, TYPE, &SPEC, None, config).await? {
            Some(Piece::Map(fields)) => Ok(fields),
            other => panic!("a map of parts, not {other:?}"),
        }
    }

    /// The part named `name`.
    fn part<'a>(fields: &'a [(String, Piece)], name: &str) -> &'a Piece {
        let found = fields.iter().find(|(key, _)| key == name);
        &found.unwrap_or_else(|| panic!("a part {name}")).1
    }

    fn file(piece: &Piece) -> &File {
        match piece {
            Piece::File(file) => file,
            other => panic!("a file, not {other:?}"),
        }
    }

    #[tokio::test]
    async fn parts_are_read_with_names_files_and_types_as_they_arrive() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\xff\r\n\
--XyZ\r\ncontent-disposition: form-data; name=count\r\n\r\n3\r\n\
--XyZ\r\ncontent-disposition: form-data; name=tag\r\n\r\n\r\n--XyZ--\r\n";
        for size in [1, 3, body.len()] {
            let fields = parts(chunked(body.to_vec(), size), &ServerConfig::default())
                .await
                .expect("a valid body");
            assert_eq!(fields.len(), 4);
            let title = part(&fields, "title");
            assert!(matches!(title, Piece::Json(Value::String(s)) if s == "Hello"));
            let file = file(part(&fields, "file"));
            assert_eq!(file.file_name.as_deref(), Some("a \"b\".bin"));
            assert_eq!(
                file.content_type.as_deref(),
                Some("application/octet-stream")
            );
            assert_eq!(file.bytes().await.expect("read"), &b"\x00\x01\r\n\xff"[..]);
            assert!(!file.is_spooled());
            let count = part(&fields, "count");
            assert!(matches!(count, Piece::Json(Value::Number(n)) if n.as_i64() == Some(3)));
            let tag = part(&fields, "tag");
            assert!(matches!(tag, Piece::Json(Value::String(s)) if s.is_empty()));
        }
    }

    #[tokio::test]
    async fn a_head_is_any_utf8_text() {
        // As Schemathesis sends the names of properties the schema leaves open.
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"a;\u{1b}\u{e9}\"\r\nX\r\n\r\n1\r\n--XyZ--";
        let fields = parts(Body::from(body), &ServerConfig::default())
            .await
            .expect("read");
        let named = part(&fields, "a;\u{1b}\u{e9}");
        assert!(matches!(named, Piece::Json(Value::String(s)) if s == "1"));
        let not_utf8 =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n1\r\n--XyZ--";
        let refused = parts(Body::from(&not_utf8[..]), &ServerConfig::default())
            .await
            .expect_err("not UTF-8");
        assert_eq!(refused.message(), "The multipart body is malformed.");
    }

    #[tokio::test]
    async fn broken_bodies_are_refused_and_an_empty_one_is_none() {
        let config = ServerConfig::default();
        for body in [
            &b"no delimiter"[..],
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
            b"--XyZ garbage",
        ] {
            let refused = parts(Body::from(body), &config).await.expect_err("broken");
            assert_eq!(refused.message(), "The multipart body is malformed.");
        }
        let no_boundary = read(
            Body::from("--a--"),
            "multipart/form-data",
            &SPEC,
            None,
            &config,
        )
        .await
        .expect_err("no boundary");
        assert_eq!(
            no_boundary.message(),
            "The multipart Content-Type has no boundary."
        );
        assert!(
            read(Body::empty(), TYPE, &SPEC, None, &config)
                .await
                .expect("no body")
                .is_none()
        );
    }

    fn upload(content: &[u8]) -> Vec<u8> {
        [
            &b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n"[..],
            content,
            b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n7\r\n--XyZ--\r\n",
        ]
        .concat()
    }

    #[tokio::test]
    async fn a_file_past_the_memory_limit_is_spooled_whole() {
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
        let config = ServerConfig::default().file_memory_limit(1000);
        let fields = parts(chunked(upload(&content), 7_000), &config)
            .await
            .expect("read");
        let spooled = file(part(&fields, "file"));
        assert!(spooled.is_spooled());
        assert_eq!(spooled.len(), content.len() as u64);
        let mut streamed = Vec::new();
        let mut chunks = std::pin::pin!(spooled.stream());
        while let Some(chunk) = chunks.next().await {
            streamed.extend_from_slice(&chunk.expect("read"));
        }
        assert_eq!(streamed, content);
        // At the limit, a file stays in memory.
        let config = ServerConfig::default().file_memory_limit(content.len());
        let fields = parts(chunked(upload(&content), 7_000), &config)
            .await
            .expect("read");
        assert!(!file(part(&fields, "file")).is_spooled());
    }

    #[tokio::test]
    async fn reading_stops_where_a_file_crosses_the_body_limit() {
        // A file part that never ends, counted as it is pulled.
        let pulled = Arc::new(AtomicUsize::new(0));
        let head = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n",
        );
        let counter = Arc::clone(&pulled);
        let endless = ::futures_util::stream::iter(
            std::iter::once(head).chain(std::iter::repeat(Bytes::from_static(&[b'x'; 100]))),
        )
        .inspect(move |chunk| {
            counter.fetch_add(chunk.len(), Ordering::Relaxed);
        })
        .map(Ok::<_, std::io::Error>);
        let config = ServerConfig::default()
            .body_limit(10_000)
            .file_memory_limit(1_000);
        let refused = parts(Body::from_stream(endless), &config)
            .await
            .expect_err("too large");
        assert_eq!(refused.kind(), RejectionKind::BodyTooLarge);
        let pulled = pulled.load(Ordering::Relaxed);
        assert!((10_000..=10_100).contains(&pulled), "{pulled} bytes read");
    }
}
