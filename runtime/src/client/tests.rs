use super::*;

fn connection() -> Connection {
    Connection::new(reqwest::Client::new(), "https://rts.example.com/")
}

#[test]
fn path_values_are_one_percent_encoded_segment() {
    let call = connection().call(
        Method::GET,
        &[
            Piece::Literal("/v1/"),
            Piece::Value("a b/c?d%"),
            Piece::Literal("/configs"),
        ],
    );
    assert_eq!(
        call.url,
        "https://rts.example.com/v1/a%20b%2Fc%3Fd%25/configs"
    );
}

#[test]
fn values_inside_a_segment_encode_its_separators() {
    let call = connection().call(
        Method::POST,
        &[
            Piece::Literal("/v1/"),
            Piece::Within("a:b.c/d", ":"),
            Piece::Literal(":cancel/"),
            Piece::Within("x.y-é", "."),
            Piece::Literal("."),
            Piece::Within("json", "."),
        ],
    );
    assert_eq!(
        call.url,
        "https://rts.example.com/v1/a%3Ab.c%2Fd:cancel/x%2Ey-%C3%A9.json"
    );
}

#[test]
fn query_lists_repeat_the_name_and_none_is_left_out() {
    let mut call = connection().call(Method::GET, &[Piece::Literal("/x")]);
    call.query("limit", &Some(2)).unwrap();
    call.query("marker", &None::<String>).unwrap();
    call.query("tag", &["a&b", "c"]).unwrap();
    assert_eq!(call.query, "limit=2&tag=a%26b&tag=c");
}

#[test]
fn unexploded_query_lists_are_one_delimited_value() {
    let mut call = connection().call(Method::GET, &[Piece::Literal("/x")]);
    call.query_joined("ids", ",", &[1, 2]).unwrap();
    call.query_joined("tags", " ", &["a b", "c"]).unwrap();
    call.query_joined("ways", "|", &["x"]).unwrap();
    call.query_joined("none", ",", &None::<Vec<i32>>).unwrap();
    call.query_joined("empty", "|", &Vec::<i32>::new()).unwrap();
    assert_eq!(call.query, "ids=1%2C2&tags=a+b+c&ways=x");
}

#[test]
fn objects_are_written_in_their_style() {
    let mut call = connection().call(Method::GET, &[Piece::Literal("/x")]);
    let object = serde_json::json!({"a": 1, "b": ["x", "y"], "c": null});
    call.query("q", &object).unwrap();
    call.query_joined("j", ",", &serde_json::json!({"a": 1, "b": "z"}))
        .unwrap();
    call.query_deep("d", &serde_json::json!({"a": {"b": 2}, "t": ["u", "v"]}))
        .unwrap();
    call.query_json("w", &serde_json::json!({"a": "b c"}))
        .unwrap();
    call.query_json("none", &None::<i32>).unwrap();
    assert_eq!(
        call.query,
        "a=1&b=x&b=y&j=a%2C1%2Cb%2Cz&d%5Ba%5D%5Bb%5D=2&d%5Bt%5D=u&d%5Bt%5D=v&w=%7B%22a%22%3A%22b+c%22%7D"
    );
    call.header("x-o", &serde_json::json!({"a": 1, "b": 2}))
        .unwrap();
    call.header_exploded("x-e", &serde_json::json!({"a": 1, "b": 2}))
        .unwrap();
    call.cookie("s", "a; b,c").unwrap();
    call.cookie("ids", &[1, 2]).unwrap();
    assert_eq!(call.headers["x-o"], "a,1,b,2");
    assert_eq!(call.headers["x-e"], "a=1,b=2");
    assert_eq!(call.headers["cookie"], "s=a%3B%20b%2Cc; ids=1,2");
    assert_eq!(
        path_text_exploded("p", &serde_json::json!({"a": 1})).unwrap(),
        "a=1"
    );
    assert_eq!(
        path_json("p", &serde_json::json!({"a": 1})).unwrap(),
        "{\"a\":1}"
    );
    let nested = call.query("n", &serde_json::json!({"a": {"b": 1}}));
    assert!(nested.unwrap_err().to_string().contains("parameter `a`"));
}

#[test]
fn the_first_credential_of_the_operations_schemes_is_sent_and_redacted() {
    let mut connection = connection();
    connection.set_credential(Credential {
        scheme: "bearer",
        place: Place::Authorization("Bearer"),
        value: "b".into(),
    });
    connection.set_credential(Credential {
        scheme: "key",
        place: Place::Header("X-Auth-Token"),
        value: "old".into(),
    });
    connection.set_credential(Credential {
        scheme: "key",
        place: Place::Header("X-Auth-Token"),
        value: "secret".into(),
    });
    let mut call = connection.call(Method::GET, &[Piece::Literal("/x")]);
    connection
        .authorize(&mut call, &[&["key"], &["bearer"]])
        .unwrap();
    assert_eq!(call.headers["x-auth-token"], "secret");
    assert!(call.headers.get("authorization").is_none());
    assert!(!format!("{call:?}").contains("secret"));
    assert!(!format!("{connection:?}").contains("secret"));
}

#[test]
fn a_requirement_is_sent_whole_or_not_at_all() {
    let mut connection = connection();
    for (scheme, place) in [
        ("key", Place::Query("api_key")),
        ("session", Place::Cookie("session")),
        ("theme", Place::Cookie("theme")),
        ("bearer", Place::Authorization("Bearer")),
    ] {
        connection.set_credential(Credential {
            scheme,
            place,
            value: format!("{scheme}-value"),
        });
    }
    // `key` with `tenant` is not met (no tenant credential): the next requirement is sent whole.
    let mut call = connection.call(Method::GET, &[Piece::Literal("/x")]);
    connection
        .authorize(
            &mut call,
            &[
                &["key", "tenant"],
                &["key", "session", "theme"],
                &["bearer"],
            ],
        )
        .unwrap();
    assert_eq!(call.query, "api_key=key-value");
    assert_eq!(
        call.headers["cookie"],
        "session=session-value; theme=theme-value"
    );
    assert!(call.headers.get("authorization").is_none());
    // None met: nothing is sent.
    let mut call = connection.call(Method::GET, &[Piece::Literal("/x")]);
    connection
        .authorize(&mut call, &[&["tenant"], &["tenant", "bearer"]])
        .unwrap();
    assert!(call.query.is_empty() && call.headers.is_empty());
}

fn answer(status: u16, body: &str) -> Answer {
    Answer {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: bytes::Bytes::copy_from_slice(body.as_bytes()),
    }
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Item {
    id: String,
    count: u32,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Items {
    items: Vec<Item>,
}

#[test]
fn a_body_that_does_not_match_says_where() {
    let err = answer(
        200,
        r#"{"items": [{"id": "a", "count": 1}, {"id": "b", "count": -1}]}"#,
    )
    .json::<Items>()
    .unwrap_err();
    match &err {
        Error::Decode { status, path, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(path, "items[1].count");
        }
        other => panic!("{other:?}"),
    }
    let trailing = answer(200, r#"{"items": []} x"#)
        .json::<Items>()
        .unwrap_err();
    assert!(matches!(trailing, Error::Decode { .. }), "{trailing:?}");
}

#[test]
fn an_unexpected_status_keeps_the_answer() {
    let mut answer = answer(418, "teapot");
    answer
        .headers
        .insert("x-why", HeaderValue::from_static("short and stout"));
    match answer.unexpected() {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
        } => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(headers["x-why"], "short and stout");
            assert_eq!(body, b"teapot");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_required_header_is_a_decode_error() {
    let err = answer(201, "").required_header("location").unwrap_err();
    assert!(err.to_string().contains("`location`"), "{err}");
}

#[test]
fn typed_headers_read_back_what_the_server_writes() {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-n", "7"),
        ("x-s", "007"),
        ("x-list", "1,2"),
        ("x-object", "a,1,b,x"),
        ("x-bad", "a,b,c"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let answer = Answer {
        status: StatusCode::OK,
        headers,
        body: bytes::Bytes::new(),
    };
    assert_eq!(answer.typed_header::<i64>("x-n").unwrap(), Some(7));
    assert_eq!(
        answer.typed_header::<String>("x-s").unwrap().as_deref(),
        Some("007")
    );
    assert_eq!(
        answer.typed_header::<Vec<i64>>("x-list").unwrap(),
        Some(vec![1, 2])
    );
    assert_eq!(
        answer
            .typed_header::<serde_json::Value>("x-object")
            .unwrap(),
        Some(serde_json::json!("a,1,b,x")),
        "a string-like type keeps the text"
    );
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Pair {
        a: i64,
        b: String,
    }
    assert_eq!(
        answer.typed_header::<Pair>("x-object").unwrap(),
        Some(Pair {
            a: 1,
            b: "x".to_owned()
        })
    );
    assert!(answer.typed_header::<Pair>("x-bad").is_err());
    assert!(answer.required_typed_header::<i64>("x-missing").is_err());
    assert_eq!(answer.typed_header::<i64>("x-missing").unwrap(), None);
}
