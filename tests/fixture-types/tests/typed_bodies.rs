//! The typed body path answers exactly as the JSON Schema path does.
//!
//! The generated router may parse a body straight into its type and then run generated checks
//! (`ServerConfig::typed_bodies`, on by default), instead of parsing it into a JSON value and
//! validating that against the schema. This sends generated bodies, valid ones and ones that
//! break each rule of `tests/fixtures/server/checks.yaml` near its edges, to two routers of the
//! same server, one with typed bodies and one without, and requires the same status and the
//! same body from both. The implementation echoes the body it was given, so a difference in
//! what either path accepts or reads shows.

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use fixture_types::servers::checks::server::{
    self, Api, BadRequest, PostFlatResponse, PostListedResponse, PostNestedResponse,
    PostPatternedResponse, Rejection, ServerConfig,
};
use fixture_types::servers::checks::types::{Flat, Listed, Nested, Patterned, Problem};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use tower::ServiceExt;

struct Echo;

impl Api for Echo {
    async fn post_flat(&self, _: &Parts, body: Flat) -> PostFlatResponse {
        PostFlatResponse::Ok(body)
    }

    async fn post_listed(&self, _: &Parts, body: Listed) -> PostListedResponse {
        PostListedResponse::Ok(body)
    }

    async fn post_nested(&self, _: &Parts, body: Nested) -> PostNestedResponse {
        PostNestedResponse::Ok(body)
    }

    async fn post_patterned(&self, _: &Parts, body: Patterned) -> PostPatternedResponse {
        PostPatternedResponse::Ok(body)
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: Problem {
                message: rejection.message().to_owned(),
            },
        }
    }
}

/// The status and body `router` answers `text` posted to `path` with.
async fn answer(router: &axum::Router, path: &str, text: &str) -> (StatusCode, String) {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(text.to_owned()))
        .expect("a valid request");
    send(router, request).await
}

/// The status and body `router` answers `request` with, in memory: both paths are compared
/// without a socket.
async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("the body is in memory")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

struct Routers {
    typed: axum::Router,
    untyped: axum::Router,
    runtime: tokio::runtime::Runtime,
}

impl Routers {
    fn new() -> Self {
        Routers {
            typed: server::router_with_config(Echo, ServerConfig::default()),
            untyped: server::router_with_config(Echo, ServerConfig::default().typed_bodies(false)),
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime"),
        }
    }

    /// Both routers' answers to `text` at `path`.
    fn both(&self, path: &str, text: &str) -> ((StatusCode, String), (StatusCode, String)) {
        self.runtime.block_on(async {
            (
                answer(&self.typed, path, text).await,
                answer(&self.untyped, path, text).await,
            )
        })
    }
}

/// A body valid for each operation, which the mutations start from.
fn base(path: &str) -> Value {
    match path {
        "/flat" => json!({"name": "abc", "count": 3}),
        "/nested" => json!({"inner": {"id": 1}}),
        "/listed" => json!({"items": ["a"]}),
        _ => json!({"id": "ab"}),
    }
}

/// The property names of each operation's body (nested ones included), and one no schema has.
fn keys(path: &str) -> Vec<&'static str> {
    let own: &[&str] = match path {
        "/flat" => &[
            "name", "count", "ratio", "kind", "code", "note", "extra", "free", "any", "flag",
            "small",
        ],
        "/nested" => &["inner", "maybe", "label", "id", "tag"],
        "/listed" => &["items", "scores"],
        _ => &["id"],
    };
    let mut keys = own.to_vec();
    keys.push("unknown");
    keys
}

/// JSON values near the fixture's edges: strings of every length around the limits (in one-
/// and two-byte characters), numbers at and one past the bounds, `null`, and texts holding
/// `null` and `[`.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        3 => (-2i64..12).prop_map(Value::from),
        1 => prop::sample::select(vec![254i64, 255, 256, 1 << 31, -(1 << 40)]).prop_map(Value::from),
        2 => prop::sample::select(vec![-1.6, -1.5, 0.0, 0.5, 1.0, 2.5, 2.6, 1e300])
            .prop_map(Value::from),
        4 => (prop::sample::select(vec!["a", "é", "[", "null"]), 0usize..7)
            .prop_map(|(unit, n)| Value::from(unit.repeat(n))),
        2 => prop::sample::select(vec!["a", "b", "c", "ab", "A"]).prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            1 => prop::collection::vec(
                (prop::sample::select(vec!["id", "tag", "a", "b", "c"]), inner),
                0..4,
            )
            .prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// One change to a body: set or remove a key at the top or inside the object at `within`.
#[derive(Debug, Clone)]
struct Mutation {
    within: Option<&'static str>,
    key: &'static str,
    value: Option<Value>,
}

/// A string of `0..=max` copies of a one-byte, a two-byte, or another character.
fn short_text(max: usize) -> impl Strategy<Value = Value> {
    (prop::sample::select(vec!["a", "é", "A", "["]), 0..=max)
        .prop_map(|(unit, n)| Value::from(unit.repeat(n)))
}

/// A value of the kind the fixture's schema gives `key`, at or just past its limits.
fn edge(key: &'static str) -> BoxedStrategy<Value> {
    let integers = || prop_oneof![(-1i64..12), (253i64..258)].prop_map(Value::from);
    let inner = || {
        (integers(), prop::option::of(short_text(3))).prop_map(|(id, tag)| {
            let mut object = json!({"id": id});
            if let Some(tag) = tag {
                object["tag"] = tag;
            }
            object
        })
    };
    match key {
        "count" | "small" | "id" => integers().boxed(),
        "ratio" => prop::sample::select(vec![-1.6, -1.5, -1.0, 0.0, 2.5, 2.6, 3.0])
            .prop_map(Value::from)
            .boxed(),
        "scores" => prop::collection::vec(
            prop::sample::select(vec![-1.0, 0.0, 0.5, 2.0]).prop_map(Value::from),
            0..3,
        )
        .prop_map(Value::Array)
        .boxed(),
        "items" => prop::collection::vec(short_text(3), 0..5)
            .prop_map(Value::Array)
            .boxed(),
        "extra" => prop::collection::btree_map(
            prop::sample::select(vec!["a", "b", "c"]),
            (3i64..7).prop_map(Value::from),
            0..4,
        )
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        .boxed(),
        "inner" | "maybe" => inner().boxed(),
        "kind" => prop::sample::select(vec!["a", "b", "c"])
            .prop_map(Value::from)
            .boxed(),
        _ => short_text(6).boxed(),
    }
}

fn mutation(path: &str) -> impl Strategy<Value = Mutation> {
    (
        prop::option::weighted(0.3, prop::sample::select(vec!["inner", "maybe", "extra"])),
        prop::sample::select(keys(path)),
        0..10u8,
    )
        .prop_flat_map(|(within, key, choice)| {
            // Mostly a value of the key's own kind near its limits; sometimes anything, or
            // the key removed.
            let value = match choice {
                0 => Just(None).boxed(),
                1..=3 => value().prop_map(Some).boxed(),
                _ => edge(key).prop_map(Some).boxed(),
            };
            value.prop_map(move |value| Mutation { within, key, value })
        })
}

/// An operation and a body for it: its valid body changed by up to four mutations.
fn case() -> impl Strategy<Value = (&'static str, Vec<Mutation>)> {
    prop::sample::select(vec!["/flat", "/nested", "/listed", "/patterned"])
        .prop_flat_map(|path| (Just(path), prop::collection::vec(mutation(path), 0..4)))
}

fn apply(body: &mut Value, mutation: &Mutation) {
    let Value::Object(top) = body else { return };
    let target: &mut Map<String, Value> = match mutation.within {
        None => top,
        Some(outer) => match top.entry(outer).or_insert_with(|| json!({"id": 2})) {
            Value::Object(inner) => inner,
            _ => return,
        },
    };
    match &mutation.value {
        Some(value) => {
            target.insert(mutation.key.to_owned(), value.clone());
        }
        None => {
            target.remove(mutation.key);
        }
    }
}

/// How the text of a body is written.
#[derive(Debug, Clone, Copy)]
enum Layout {
    Compact,
    Pretty,
    /// Inside a JSON array, which serde would read as a struct's fields in order.
    InArray,
    /// The values of the object as an array.
    AsArray,
}

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        6 => Just(Layout::Compact),
        2 => Just(Layout::Pretty),
        1 => Just(Layout::InArray),
        1 => Just(Layout::AsArray),
    ]
}

fn text(body: &Value, layout: Layout) -> String {
    match layout {
        Layout::Compact => body.to_string(),
        Layout::Pretty => serde_json::to_string_pretty(body).expect("JSON"),
        Layout::InArray => Value::Array(vec![body.clone()]).to_string(),
        Layout::AsArray => match body {
            Value::Object(map) => Value::Array(map.values().cloned().collect()).to_string(),
            other => other.to_string(),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn typed_and_schema_paths_answer_the_same(
        (path, mutations) in case(),
        layout in layout(),
    ) {
        let routers = ROUTERS.with(|r| r.clone());
        let mut body = base(path);
        for m in &mutations {
            apply(&mut body, m);
        }
        let text = text(&body, layout);
        let (typed, untyped) = routers.both(path, &text);
        prop_assert_eq!(&typed, &untyped, "{} {}", path, text);
    }
}

thread_local! {
    static ROUTERS: std::rc::Rc<Routers> = std::rc::Rc::new(Routers::new());
}

/// The generated bodies reach both answers: some are accepted and some refused on each
/// operation with a fast path, so the comparison above is not vacuous.
#[test]
fn valid_and_invalid_bodies_are_told_apart() {
    let routers = Routers::new();
    let cases = [
        ("/flat", r#"{"name": "abc", "count": 3}"#, StatusCode::OK),
        (
            "/flat",
            r#"{"name": "abcdef", "count": 3}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/flat",
            r#"{"name": "ab", "count": 10}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/flat",
            r#"{"name": "ab", "count": 1, "ratio": 2.6}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/flat",
            r#"{"name": "ab", "count": 1, "note": null}"#,
            StatusCode::OK,
        ),
        (
            "/flat",
            r#"{"name": "ab", "count": 1, "code": null}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("/flat", r#"["ab", 1]"#, StatusCode::BAD_REQUEST),
        (
            "/flat",
            r#"{"name": "ab", "count": 1, "extra": {"a": 1, "b": 2, "c": 3}}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/nested",
            r#"{"inner": {"id": 1, "tag": "abc"}}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("/nested", r#"{"inner": [1]}"#, StatusCode::BAD_REQUEST),
        (
            "/nested",
            r#"{"inner": {"id": 1}, "maybe": {"id": 0}}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("/listed", r#"{"items": []}"#, StatusCode::BAD_REQUEST),
        (
            "/listed",
            r#"{"items": ["a", "bb"], "scores": [0.5]}"#,
            StatusCode::OK,
        ),
        (
            "/listed",
            r#"{"items": ["a"], "scores": [0]}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("/patterned", r#"{"id": "A"}"#, StatusCode::BAD_REQUEST),
    ];
    for (path, text, expected) in cases {
        let (typed, untyped) = routers.both(path, text);
        assert_eq!(typed.0, expected, "{path} {text}: {}", typed.1);
        assert_eq!(typed, untyped, "{path} {text}");
    }
}

/// The other media kinds (issue 11, point 7): the same note sent as JSON to an operation with a
/// fast path (`/optional`) and as JSON, a form, multipart text parts and plain text to one
/// taking all four (`/notes`, `tests/fixtures/server/bodies.yaml`), and multipart bodies with
/// file parts, some spooled (`/upload`, and `/attachments`, which takes JSON too): both routers
/// answer alike.
mod media_kinds {
    use super::*;
    use axum::http::Request;
    use fixture_types::servers::bodies::operations::{
        AddNoteBody, AddNoteResponse, AttachBody, AttachResponse, MaybeNoteResponse,
        PostAnythingResponse, PutBlobResponse, PutImageBody, PutImageResponse, UploadMultipart,
        UploadResponse,
    };
    use fixture_types::servers::bodies::server::{self as bodies, Api as BodiesApi};
    use fixture_types::servers::bodies::types::{Note, Problem as BodiesProblem, Seen};
    use openapi_rustgen_runtime::Media;

    struct Echo;

    fn seen(kind: &str, text: String) -> Seen {
        Seen {
            kind: kind.to_owned(),
            text: Some(text),
            media_type: None,
            title: None,
            count: None,
            ratio: None,
            urgent: None,
            tags: None,
            meta: None,
            files: None,
            length: None,
        }
    }

    fn debug(value: &impl std::fmt::Debug) -> String {
        format!("{value:?}")
    }

    impl BodiesApi for Echo {
        async fn post_anything(&self, _: &Parts, body: Media) -> PostAnythingResponse {
            PostAnythingResponse::Ok(seen("any", debug(&body)))
        }
        async fn put_blob(&self, _: &Parts, body: Media) -> PutBlobResponse {
            PutBlobResponse::Ok(seen("blob", debug(&body)))
        }
        async fn put_image(&self, _: &Parts, body: Option<PutImageBody>) -> PutImageResponse {
            PutImageResponse::Ok(seen("image", debug(&body)))
        }
        async fn add_note(&self, _: &Parts, body: AddNoteBody) -> AddNoteResponse {
            AddNoteResponse::Ok(seen("note", debug(&body)))
        }
        async fn maybe_note(&self, _: &Parts, body: Option<Note>) -> MaybeNoteResponse {
            MaybeNoteResponse::Ok(seen("maybe", debug(&body)))
        }
        async fn upload(&self, _: &Parts, body: UploadMultipart) -> UploadResponse {
            UploadResponse::Ok(seen("upload", debug(&body)))
        }
        async fn attach(&self, _: &Parts, body: Option<AttachBody>) -> AttachResponse {
            AttachResponse::Ok(seen("attach", debug(&body)))
        }
        fn bad_request(&self, rejection: &Rejection) -> bodies::BadRequest {
            bodies::BadRequest {
                body: problem(rejection),
            }
        }
        fn payload_too_large(&self, rejection: &Rejection) -> bodies::PayloadTooLarge {
            bodies::PayloadTooLarge {
                body: problem(rejection),
            }
        }
        fn unsupported_media_type(&self, rejection: &Rejection) -> bodies::UnsupportedMediaType {
            bodies::UnsupportedMediaType {
                body: problem(rejection),
            }
        }
    }

    fn problem(rejection: &Rejection) -> BodiesProblem {
        BodiesProblem {
            message: rejection.message().to_owned(),
        }
    }

    /// How a note is sent.
    #[derive(Debug, Clone, Copy)]
    enum Encoding {
        Json,
        Form,
        Multipart,
        Text,
    }

    /// The request for `note` (an object) sent as `encoding` to `path`.
    fn request(path: &str, note: &Map<String, Value>, encoding: Encoding) -> Request<Body> {
        let text = |value: &Value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let (content_type, body) = match encoding {
            Encoding::Json => (
                "application/json".to_owned(),
                Value::Object(note.clone()).to_string(),
            ),
            Encoding::Text => (
                "text/plain".to_owned(),
                Value::Object(note.clone()).to_string(),
            ),
            Encoding::Form => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (key, value) in note {
                    form.append_pair(key, &text(value));
                }
                (
                    "application/x-www-form-urlencoded".to_owned(),
                    form.finish(),
                )
            }
            Encoding::Multipart => {
                let mut body = String::new();
                for (key, value) in note {
                    let file = if key == "document" || key == "file" {
                        "; filename=\"d\""
                    } else {
                        ""
                    };
                    body.push_str(&format!(
                        "--XX\r\nContent-Disposition: form-data; name=\"{key}\"{file}\r\n\r\n{}\r\n",
                        text(value)
                    ));
                }
                body.push_str("--XX--\r\n");
                ("multipart/form-data; boundary=XX".to_owned(), body)
            }
        };
        Request::post(path)
            .header("content-type", content_type)
            .body(Body::from(body))
            .expect("a valid request")
    }

    /// A note's members near the schema's edges (`title` at most 20 characters, `stars` at
    /// least 0) and of wrong types; `/upload`'s parts too.
    fn note() -> impl Strategy<Value = Map<String, Value>> {
        let member = prop_oneof![
            Just(("title", Value::from("t"))),
            Just(("title", Value::from("x".repeat(20)))),
            Just(("title", Value::from("é".repeat(21)))),
            Just(("title", Value::from(""))),
            Just(("stars", Value::from(0))),
            Just(("stars", Value::from(-1))),
            Just(("stars", Value::from("two"))),
            Just(("stars", Value::from(1.5))),
            Just(("stars", Value::Null)),
            Just(("count", Value::from(1))),
            Just(("count", Value::from(0))),
            Just(("tags", Value::from("a"))),
            Just(("meta", json!({"owner": "o"}))),
            Just(("meta", json!({"other": 1}))),
            Just(("document", Value::from("file"))),
            Just(("document", Value::from("a file past the memory limit"))),
            Just(("file", Value::from("file"))),
            Just(("file", Value::from("a spooled file"))),
            Just(("caption", Value::from("c"))),
            Just(("unknown", Value::from("[null]"))),
        ];
        proptest::collection::vec(member, 0..6).prop_map(|members| {
            members
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect()
        })
    }

    fn encoding() -> impl Strategy<Value = Encoding> {
        prop_oneof![
            Just(Encoding::Json),
            Just(Encoding::Form),
            Just(Encoding::Multipart),
            Just(Encoding::Text),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
        ))]

        #[test]
        fn every_media_kind_answers_the_same_on_both_paths(
            note in note(),
            encoding in encoding(),
            path in prop_oneof![
                Just("/optional"), Just("/notes"), Just("/upload"), Just("/attachments")
            ],
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime");
            // Files longer than four bytes are spooled, on both paths.
            let config = ServerConfig::default().file_memory_limit(4);
            let typed = bodies::router_with_config(Echo, config.clone());
            let untyped = bodies::router_with_config(Echo, config.typed_bodies(false));
            let (a, b) = runtime.block_on(async {
                (
                    send(&typed, request(path, &note, encoding)).await,
                    send(&untyped, request(path, &note, encoding)).await,
                )
            });
            prop_assert_eq!(&a, &b, "{} {:?} {:?}", path, encoding, note);
        }
    }

    /// Each encoding reaches an accepted and a refused answer, so the comparison above is not
    /// vacuous.
    #[test]
    fn each_media_kind_is_accepted_and_refused() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let router = bodies::router_with_config(Echo, ServerConfig::default());
        let good: Map<String, Value> = [("title".to_owned(), Value::from("t"))]
            .into_iter()
            .collect();
        let bad: Map<String, Value> = [("title".to_owned(), Value::from("x".repeat(21)))]
            .into_iter()
            .collect();
        for encoding in [Encoding::Json, Encoding::Form, Encoding::Multipart] {
            let (ok, _) = runtime.block_on(send(&router, request("/notes", &good, encoding)));
            let (refused, _) = runtime.block_on(send(&router, request("/notes", &bad, encoding)));
            assert_eq!(
                (ok, refused),
                (StatusCode::OK, StatusCode::BAD_REQUEST),
                "{encoding:?}"
            );
        }
        let (ok, _) = runtime.block_on(send(&router, request("/optional", &good, Encoding::Json)));
        assert_eq!(ok, StatusCode::OK);
        let (refused, _) =
            runtime.block_on(send(&router, request("/optional", &bad, Encoding::Json)));
        assert_eq!(refused, StatusCode::BAD_REQUEST);
    }
}
