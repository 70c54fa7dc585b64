//! The server and client of `tests/fixtures/server/params.yaml`, over a socket: parameters in
//! every style (query arrays and objects in `form`, `spaceDelimited`, `pipeDelimited` and
//! `deepObject`; path and header objects in `simple`; cookies; `content` JSON), as raw HTTP
//! and as a round trip through the generated client (what it encodes, the server decodes to the
//! same value); typed response headers; a path item that is a `$ref`.

mod common;

use std::net::SocketAddr;

use axum::http::request::Parts;
use fixture_types::servers::params::client::Client;
use fixture_types::servers::params::server::{
    self, AgainResponse, Api, BadRequest, GetAlsoAgainResponse, LabelExplodedParams,
    LabelExplodedResponse, LabelStylesParams, LabelStylesResponse, MatrixExplodedParams,
    MatrixExplodedResponse, MatrixStylesParams, MatrixStylesResponse, PlaceStylesParams,
    PlaceStylesResponse, PlainErrorsParams, PlainErrorsResponse, QueryStylesParams,
    QueryStylesResponse, Rejection, TypedHeadersParams, TypedHeadersResponse,
};
use fixture_types::servers::params::types::{Filter, Person, Point, Problem, Range, Where};
use serde_json::{Value, json};

use common::json_of;

struct Params;

fn echo_query(params: &QueryStylesParams) -> Value {
    json!({
        "ids": params.ids, "tags": params.tags, "words": params.words, "flags": params.flags,
        "person": params.person, "point": params.point, "pair": params.pair,
        "filter": params.filter, "where": params.r#where,
    })
}

fn echo_place(params: &PlaceStylesParams) -> Value {
    json!({
        "point": params.point, "where": params.r#where, "x_ids": params.x_ids,
        "x_point": params.x_point, "x_range": params.x_range, "x_where": params.x_where,
        "session": params.session, "ids": params.ids, "state": params.state,
    })
}

/// The path parameters of the `label` and `matrix` operations, which all have the same.
fn echo_styled(name: &str, tags: &[String], r#where: &Where) -> Value {
    json!({"name": name, "tags": tags, "where": r#where})
}

impl Api for Params {
    async fn label_styles(&self, _: &Parts, params: LabelStylesParams) -> LabelStylesResponse {
        LabelStylesResponse::Ok {
            body: echo_styled(&params.name, &params.tags, &params.r#where),
            x_count: 3,
            x_tags: None,
            x_ratio: None,
            x_trace: None,
        }
    }

    async fn label_exploded(
        &self,
        _: &Parts,
        params: LabelExplodedParams,
    ) -> LabelExplodedResponse {
        LabelExplodedResponse::Ok {
            body: echo_styled(&params.name, &params.tags, &params.r#where),
            x_count: 3,
            x_tags: None,
            x_ratio: None,
            x_trace: None,
        }
    }

    async fn matrix_styles(&self, _: &Parts, params: MatrixStylesParams) -> MatrixStylesResponse {
        MatrixStylesResponse::Ok {
            body: echo_styled(&params.name, &params.tags, &params.r#where),
            x_count: 3,
            x_tags: None,
            x_ratio: None,
            x_trace: None,
        }
    }

    async fn matrix_exploded(
        &self,
        _: &Parts,
        params: MatrixExplodedParams,
    ) -> MatrixExplodedResponse {
        MatrixExplodedResponse::Ok {
            body: echo_styled(&params.name, &params.tags, &params.r#where),
            x_count: 3,
            x_tags: None,
            x_ratio: None,
            x_trace: None,
        }
    }

    async fn again(&self, _: &Parts) -> AgainResponse {
        AgainResponse::NoContent
    }

    async fn get_also_again(&self, _: &Parts) -> GetAlsoAgainResponse {
        GetAlsoAgainResponse::NoContent
    }

    async fn typed_headers(&self, _: &Parts, params: TypedHeadersParams) -> TypedHeadersResponse {
        TypedHeadersResponse::Ok {
            body: json!({}),
            x_count: params.count,
            x_tags: (params.count > 0).then(|| vec!["a".to_owned(), "b c".to_owned()]),
            x_ratio: Some(params.count as f64 / 4.0),
            x_trace: None,
        }
    }

    async fn query_styles(&self, _: &Parts, params: QueryStylesParams) -> QueryStylesResponse {
        let body = echo_query(&params);
        QueryStylesResponse::Ok {
            x_count: body
                .as_object()
                .map_or(0, |o| o.values().filter(|v| !v.is_null()).count())
                as i64,
            body,
            x_tags: None,
            x_ratio: None,
            x_trace: None,
        }
    }

    async fn place_styles(&self, _: &Parts, params: PlaceStylesParams) -> PlaceStylesResponse {
        PlaceStylesResponse::Ok {
            body: echo_place(&params),
            x_count: 0,
            x_tags: None,
            x_ratio: None,
            x_trace: Some("placed".to_owned()),
        }
    }

    async fn plain_errors(&self, _: &Parts, _: PlainErrorsParams) -> PlainErrorsResponse {
        PlainErrorsResponse::NoContent
    }

    fn bad_request(&self, rejection: &Rejection) -> BadRequest {
        BadRequest {
            body: Problem {
                message: rejection.message().to_owned(),
            },
        }
    }
}

async fn start() -> SocketAddr {
    common::serve(server::router(Params)).await
}

/// Sends `GET target` with `headers` (each ending in `\r\n`); the status, head (in lower case)
/// and body.
async fn get(addr: SocketAddr, target: &str, headers: &str) -> (u16, String, String) {
    let answer = common::request(addr, "GET", target, headers, b"").await;
    (answer.status, answer.head.to_ascii_lowercase(), answer.body)
}

fn problem(body: &str) -> String {
    common::decode::<Problem>(body).message
}

#[tokio::test]
async fn query_arrays_and_objects_in_every_style() {
    let addr = start().await;
    let target = "/query?ids=1&ids=2&tags=a,b&words=x%20y&flags=true|false\
                  &role=admin&age=30&point=x,1,y,2&pair=x|3|y|4\
                  &filter[name]=n&filter[age]=5&filter[range][min]=1&filter[range][max]=9\
                  &filter[tags]=p&filter[tags]=q\
                  &where=%7B%22field%22%3A%22f%22%2C%22value%22%3A7%7D";
    let (status, head, body) = get(addr, target, "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json_of(&body),
        json!({
            "ids": [1, 2], "tags": ["a", "b"], "words": ["x", "y"], "flags": [true, false],
            "person": {"role": "admin", "age": 30}, "point": {"x": 1, "y": 2},
            "pair": {"x": 3, "y": 4},
            "filter": {"name": "n", "age": 5, "range": {"min": 1, "max": 9}, "tags": ["p", "q"]},
            "where": {"field": "f", "value": 7},
        })
    );
    assert!(head.contains("\r\nx-count: 9"), "{head}");

    // Nothing given: every parameter is optional.
    let (status, _, body) = get(addr, "/query", "").await;
    assert_eq!(
        (status, json_of(&body)["filter"].clone()),
        (200, Value::Null)
    );

    // An empty delimited value is an empty list, not one empty item (which `flags`, a list of
    // booleans, would refuse): what Schemathesis sends for `[]`.
    let (status, _, body) = get(addr, "/query?tags=&words=&flags=", "").await;
    assert_eq!(status, 200, "{body}");
    let echoed = json_of(&body);
    assert_eq!(
        (&echoed["tags"], &echoed["words"], &echoed["flags"]),
        (&json!([]), &json!([]), &json!([]))
    );

    // Each style's value is checked against its schema, answered in the spec's error format.
    for (target, named) in [
        ("/query?filter[age]=-1", "filter"),
        ("/query?filter[age]=old", "filter"),
        ("/query?filter[name][x]=1&filter[name]=2", "filter"),
        ("/query?age=-3", "person"),
        ("/query?point=x,1,y", "point"),
        ("/query?point=x,1", "point"),
        ("/query?pair=x|a|y|2", "pair"),
        ("/query?where=%7B%7D", "where"),
        ("/query?where=nojson", "where"),
        ("/query?flags=true|maybe", "flags"),
    ] {
        let (status, _, body) = get(addr, target, "").await;
        assert_eq!(status, 400, "{target}: {body}");
        let message = problem(&body);
        assert!(
            message.contains(&format!("'{named}'")),
            "{target}: {message}"
        );
    }
}

#[tokio::test]
async fn path_header_and_cookie_parameters() {
    let addr = start().await;
    let headers = "X-Ids: 4,5\r\nX-Point: x,1,y,-2\r\nX-Range: min=0,max=3\r\n\
                   X-Where: {\"field\":\"h\"}\r\n\
                   Cookie: session=s%3B1; ids=7,8; state=%7B%22field%22%3A%22c%22%7D\r\n";
    let target = "/things/x=5,y=6/%7B%22field%22%3A%22p%22%2C%22value%22%3A2%7D";
    let (status, head, body) = get(addr, target, headers).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json_of(&body),
        json!({
            "point": {"x": 5, "y": 6}, "where": {"field": "p", "value": 2}, "x_ids": [4, 5],
            "x_point": {"x": 1, "y": -2}, "x_range": {"min": 0, "max": 3},
            "x_where": {"field": "h"}, "session": "s;1", "ids": [7, 8],
            "state": {"field": "c"},
        })
    );
    assert!(head.contains("\r\nx-trace: placed"), "{head}");

    // An empty header is an empty list, as an empty query value is (what Schemathesis sends for
    // `[]`); an empty item among others is not an integer.
    let (status, _, body) = get(addr, target, "X-Ids: \r\nCookie: session=s\r\n").await;
    assert_eq!(
        (status, &json_of(&body)["x_ids"]),
        (200, &json!([])),
        "{body}"
    );
    let (status, _, body) = get(addr, target, "X-Ids: 4,\r\nCookie: session=s\r\n").await;
    assert_eq!(status, 400, "{body}");
    assert!(problem(&body).contains("'x-ids'"), "{body}");

    // A required cookie, and malformed objects.
    let (status, _, body) = get(addr, target, "").await;
    assert_eq!(status, 400);
    assert!(problem(&body).contains("'session'"), "{body}");
    for (target, headers, named) in [
        ("/things/x=5/%7B%22field%22%3A%22p%22%7D", "", "point"),
        ("/things/x=5,y=a/%7B%22field%22%3A%22p%22%7D", "", "point"),
        ("/things/x=5,y=6/%7B%7D", "", "where"),
        (
            "/things/x=5,y=6/%7B%22field%22%3A%22p%22%7D",
            "X-Range: min=x\r\n",
            "X-Range",
        ),
        (
            "/things/x=5,y=6/%7B%22field%22%3A%22p%22%7D",
            "X-Point: x,1,y\r\n",
            "X-Point",
        ),
    ] {
        let headers = format!("{headers}Cookie: session=s\r\n");
        let (status, _, body) = get(addr, target, &headers).await;
        assert_eq!(status, 400, "{target} {headers}: {body}");
        let message = problem(&body);
        assert!(
            message
                .to_ascii_lowercase()
                .contains(&format!("'{}'", named.to_ascii_lowercase())),
            "{target}: {message}"
        );
    }
}

#[tokio::test]
async fn the_client_sends_what_the_server_reads() {
    let addr = start().await;
    let client = Client::new(&format!("http://{addr}"));
    let params = QueryStylesParams {
        ids: Some(vec![3, 1]),
        tags: Some(vec!["a b".to_owned(), "c&d".to_owned()]),
        words: Some(vec!["x".to_owned(), "y|z".to_owned()]),
        flags: Some(vec![false, true]),
        person: Some(Person {
            role: Some("r=1".to_owned()),
            age: Some(2),
        }),
        point: Some(Point { x: -1, y: 2 }),
        pair: Some(Point { x: 3, y: 4 }),
        filter: Some(Filter {
            name: Some("n[1]".to_owned()),
            age: Some(7),
            range: Some(Range {
                min: Some(1),
                max: None,
            }),
            tags: Some(vec!["p".to_owned(), "q".to_owned()]),
        }),
        r#where: Some(Where {
            field: "f&=".to_owned(),
            value: Some(9),
        }),
    };
    match client.query_styles(&params).await.expect("an answer") {
        QueryStylesResponse::Ok { body, x_count, .. } => {
            assert_eq!(body, echo_query(&params));
            assert_eq!(x_count, 9);
        }
        other => panic!("{other:?}"),
    }

    let params = PlaceStylesParams {
        point: Point { x: 5, y: -6 },
        r#where: Where {
            field: "a/b c".to_owned(),
            value: None,
        },
        x_ids: Some(vec![1, 2]),
        x_point: Some(Point { x: 0, y: 1 }),
        x_range: Some(Range {
            min: Some(2),
            max: Some(3),
        }),
        x_where: Some(Where {
            field: "h".to_owned(),
            value: Some(1),
        }),
        session: "s; x=1,2 \"%".to_owned(),
        ids: Some(vec![7]),
        state: Some(Where {
            field: "c; d".to_owned(),
            value: None,
        }),
    };
    match client.place_styles(&params).await.expect("an answer") {
        PlaceStylesResponse::Ok { body, x_trace, .. } => {
            assert_eq!(body, echo_place(&params));
            assert_eq!(x_trace.as_deref(), Some("placed"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn path_parameters_in_label_and_matrix_style() {
    let addr = start().await;
    let expected = json!({"name": "blue", "tags": ["blue", "black", "brown"],
        "where": {"field": "f", "value": 2}});
    // The forms of OpenAPI 3.1 §4.8.12.4, each style exploded and not.
    for target in [
        "/label/.blue/.blue,black,brown/.field,f,value,2",
        "/label-exploded/.blue/.blue.black.brown/.field=f.value=2.json",
        "/matrix/;name=blue/;tags=blue,black,brown/;where=field,f,value,2",
        "/matrix-exploded/item;name=blue/;tags=blue;tags=black;tags=brown/;field=f;value=2",
    ] {
        let (status, _, body) = get(addr, target, "").await;
        assert_eq!(status, 200, "{target}: {body}");
        assert_eq!(json_of(&body), expected, "{target}");
    }
    // An encoded delimiter is data; empty values; an empty list.
    for (target, expected) in [
        (
            "/label-exploded/.a.b/.x%2Ey.z/.field=a%3Db%2Ec.json",
            json!({"name": "a.b", "tags": ["x.y", "z"], "where": {"field": "a=b.c"}}),
        ),
        (
            "/matrix/;name/;tags/;where=field,%2C,value,-1",
            json!({"name": "", "tags": [], "where": {"field": ",", "value": -1}}),
        ),
        (
            "/matrix-exploded/item;name=a%3Bb/;tags=;tags=x%3Dy/;field=;value=0",
            json!({"name": "a;b", "tags": ["", "x=y"], "where": {"field": "", "value": 0}}),
        ),
        (
            "/label/././.field,x",
            json!({"name": "", "tags": [], "where": {"field": "x"}}),
        ),
    ] {
        let (status, _, body) = get(addr, target, "").await;
        assert_eq!(status, 200, "{target}: {body}");
        assert_eq!(json_of(&body), expected, "{target}");
    }
    // Without the style's prefix, another name, keys and values that do not pair up, a value
    // its schema refuses: each a 400 in the spec's error format, naming the parameter.
    for (target, named) in [
        ("/label/blue/.a/.field,f", "name"),
        ("/label/.blue/a,b/.field,f", "tags"),
        ("/label/.blue/.a/field,f", "where"),
        ("/label/.blue/.a/.field,f,value", "where"),
        ("/label/.blue/.a/.field,f,value,x", "where"),
        ("/label/.blue/.a/.value,1", "where"),
        ("/label-exploded/.b/.a/.field=f.value=x.json", "where"),
        ("/matrix/name=blue/;tags=a/;where=field,f", "name"),
        ("/matrix/;nom=blue/;tags=a/;where=field,f", "name"),
        ("/matrix/;name=a;name=b/;tags=a/;where=field,f", "name"),
        ("/matrix/;name=a/;tags=a;tags=b/;where=field,f", "tags"),
        ("/matrix/;name=a/;tags=a/;field,f", "where"),
        (
            "/matrix-exploded/item;name=a/;tags=a;tag=b/;field=f",
            "tags",
        ),
        ("/matrix-exploded/item;name=a/;tags=a/field=f", "where"),
        ("/matrix-exploded/item;name=%FF/;tags=a/;field=f", "name"),
    ] {
        let (status, _, body) = get(addr, target, "").await;
        assert_eq!(status, 400, "{target}: {body}");
        let message = problem(&body);
        assert!(
            message.contains(&format!("path parameter '{named}'")),
            "{target}: {message}"
        );
    }
    // A template's literal must still be there.
    let (status, _, _) = get(addr, "/matrix-exploded/;name=a/;tags=a/;field=f", "").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_client_sends_label_and_matrix_values_the_server_reads_back() {
    let addr = start().await;
    let client = Client::new(&format!("http://{addr}"));
    let name = "a.b;c=d,e f/g%h?".to_owned();
    let tags = vec!["x,y".to_owned(), "p.q;r=s".to_owned(), String::new()];
    let r#where = Where {
        field: ".=,;/ ".to_owned(),
        value: Some(-4),
    };
    let expected = echo_styled(&name, &tags, &r#where);
    let bodies = [
        match client
            .label_styles(&LabelStylesParams {
                name: name.clone(),
                tags: tags.clone(),
                r#where: r#where.clone(),
            })
            .await
            .expect("labelStyles answers")
        {
            LabelStylesResponse::Ok { body, .. } => body,
            other => panic!("{other:?}"),
        },
        match client
            .label_exploded(&LabelExplodedParams {
                name: name.clone(),
                tags: tags.clone(),
                r#where: r#where.clone(),
            })
            .await
            .expect("labelExploded answers")
        {
            LabelExplodedResponse::Ok { body, .. } => body,
            other => panic!("{other:?}"),
        },
        match client
            .matrix_styles(&MatrixStylesParams {
                name: name.clone(),
                tags: tags.clone(),
                r#where: r#where.clone(),
            })
            .await
            .expect("matrixStyles answers")
        {
            MatrixStylesResponse::Ok { body, .. } => body,
            other => panic!("{other:?}"),
        },
        match client
            .matrix_exploded(&MatrixExplodedParams {
                name: name.clone(),
                tags: tags.clone(),
                r#where: r#where.clone(),
            })
            .await
            .expect("matrixExploded answers")
        {
            MatrixExplodedResponse::Ok { body, .. } => body,
            other => panic!("{other:?}"),
        },
    ];
    for (index, body) in bodies.into_iter().enumerate() {
        assert_eq!(body, expected, "operation {index}");
    }
    // Empty values and lists, and a field left out.
    let empty = MatrixExplodedParams {
        name: String::new(),
        tags: Vec::new(),
        r#where: Where {
            field: String::new(),
            value: None,
        },
    };
    match client.matrix_exploded(&empty).await.expect("an answer") {
        MatrixExplodedResponse::Ok { body, .. } => {
            assert_eq!(body, echo_styled("", &[], &empty.r#where));
        }
        other => panic!("{other:?}"),
    }
    // In `label` style an empty value is the segment `.`, which URLs drop: refused, not sent
    // to another path.
    let error = client
        .label_styles(&LabelStylesParams {
            name: String::new(),
            tags: tags.clone(),
            r#where: r#where.clone(),
        })
        .await
        .expect_err("an empty label value is refused");
    assert!(error.to_string().contains("`name`"), "{error}");
}

#[tokio::test]
async fn response_headers_are_typed_both_ways() {
    let addr = start().await;
    let (status, head, _) = get(addr, "/headers?count=6", "").await;
    assert_eq!(status, 200);
    assert!(head.contains("\r\nx-count: 6\r\n"), "{head}");
    assert!(head.contains("\r\nx-tags: a,b c\r\n"), "{head}");
    assert!(head.contains("\r\nx-ratio: 1.5\r\n"), "{head}");
    assert!(!head.contains("x-trace"), "None is left out: {head}");

    let client = Client::new(&format!("http://{addr}"));
    let answer = client
        .typed_headers(&TypedHeadersParams { count: 2 })
        .await
        .expect("an answer");
    assert_eq!(
        answer,
        TypedHeadersResponse::Ok {
            body: json!({}),
            x_count: 2,
            x_tags: Some(vec!["a".to_owned(), "b c".to_owned()]),
            x_ratio: Some(0.5),
            x_trace: None,
        }
    );
    let answer = client
        .typed_headers(&TypedHeadersParams { count: 0 })
        .await
        .expect("an answer");
    assert!(
        matches!(
            answer,
            TypedHeadersResponse::Ok {
                x_count: 0,
                x_tags: None,
                ..
            }
        ),
        "{answer:?}"
    );
}

#[tokio::test]
async fn path_items_that_are_refs_are_followed() {
    let addr = start().await;
    assert_eq!(get(addr, "/again", "").await.0, 204);
    assert_eq!(get(addr, "/also-again", "").await.0, 204);
    let client = Client::new(&format!("http://{addr}"));
    assert_eq!(
        client.again().await.expect("an answer"),
        AgainResponse::NoContent
    );
    assert_eq!(
        client.get_also_again().await.expect("an answer"),
        GetAlsoAgainResponse::NoContent
    );
}

#[tokio::test]
async fn a_router_status_documented_with_another_body_is_the_status_alone() {
    let addr = start().await;
    let (status, head, body) = get(addr, "/plain-errors?n=x", "").await;
    assert_eq!((status, body.as_str()), (400, ""), "{head}");
    assert!(!head.contains("application/json"), "{head}");
    assert_eq!(get(addr, "/plain-errors?n=1", "").await.0, 204);
    // The operations documenting the common body still get it.
    let (status, _, body) = get(addr, "/headers?count=x", "").await;
    assert_eq!(status, 400);
    assert!(problem(&body).contains("'count'"), "{body}");
}
