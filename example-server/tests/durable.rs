//! `rts-server` as a process: the limits' answers (both stores), `--data` across restarts, and
//! every data file it must refuse, over a real socket.

mod common;

use common::{Scratch, Start, TOKEN, serve, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(url: String, method: Method, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("X-Auth-Token", TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Asserts Heat's RequestLimitExceeded answer.
fn assert_limit_exceeded(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], 400);
    assert_eq!(body["title"], "Bad Request");
    assert_eq!(body["error"]["type"], "RequestLimitExceeded");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("Request limit exceeded: "), "{message}");
}

#[tokio::test]
async fn max_objects_refuses_creates_and_deleting_frees_room() {
    for durable in [false, true] {
        let scratch = Scratch::new("max-objects");
        let data = scratch.path("rts.db");
        let mut args = vec!["--max-objects", "3"];
        if durable {
            args.extend(["--data", data.to_str().unwrap()]);
        }
        let server = serve(&scratch.path("log"), &args);
        let config = |name: &str| Some(json!({"name": name}));
        let (status, first) =
            call(server.url("/software_configs"), Method::POST, config("a")).await;
        assert_eq!(status, StatusCode::OK);
        let first_id = first["software_config"]["id"].as_str().unwrap().to_owned();
        let (status, _) = call(server.url("/software_configs"), Method::POST, config("b")).await;
        assert_eq!(status, StatusCode::OK);
        let deployment = Some(json!({"config_id": first_id, "server_id": "s"}));
        let (status, created) = call(
            server.url("/software_deployments"),
            Method::POST,
            deployment.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        // Full: both creates are refused, and nothing was dropped.
        let (status, body) = call(server.url("/software_configs"), Method::POST, config("c")).await;
        assert_limit_exceeded(status, &body);
        assert!(body["error"]["message"].as_str().unwrap().contains(", 3."));
        let (status, body) = call(
            server.url("/software_deployments"),
            Method::POST,
            deployment.clone(),
        )
        .await;
        assert_limit_exceeded(status, &body);
        let (_, list) = call(server.url("/software_configs"), Method::GET, None).await;
        let names: Vec<&str> = list["software_configs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["b", "a"], "durable: {durable}");
        let (_, list) = call(server.url("/software_deployments"), Method::GET, None).await;
        assert_eq!(list["software_deployments"].as_array().unwrap().len(), 1);

        // Deleting frees room.
        let id = created["software_deployment"]["id"].as_str().unwrap();
        let (status, _) = call(
            server.url(&format!("/software_deployments/{id}")),
            Method::DELETE,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(server.url("/software_configs"), Method::POST, config("c")).await;
        assert_eq!(status, StatusCode::OK, "durable: {durable}");
    }
}

#[tokio::test]
async fn max_bytes_refuses_creates_and_updates_that_grow() {
    for durable in [false, true] {
        let scratch = Scratch::new("max-bytes");
        let data = scratch.path("rts.db");
        let mut args = vec!["--max-bytes", "2000"];
        if durable {
            args.extend(["--data", data.to_str().unwrap()]);
        }
        let server = serve(&scratch.path("log"), &args);
        let (status, config) = call(
            server.url("/software_configs"),
            Method::POST,
            Some(json!({"name": "small"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let config_id = config["software_config"]["id"].as_str().unwrap();
        let (status, created) = call(
            server.url("/software_deployments"),
            Method::POST,
            Some(json!({"config_id": config_id, "server_id": "s"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let path = format!(
            "/software_deployments/{}",
            created["software_deployment"]["id"].as_str().unwrap()
        );

        let big = "x".repeat(2000);
        let (status, body) = call(
            server.url("/software_configs"),
            Method::POST,
            Some(json!({"name": "big", "config": big})),
        )
        .await;
        assert_limit_exceeded(status, &body);
        assert!(body["error"]["message"].as_str().unwrap().contains("2000"));
        let (status, body) = call(
            server.url(&path),
            Method::PUT,
            Some(json!({"output_values": {"deploy_stdout": big}})),
        )
        .await;
        assert_limit_exceeded(status, &body);
        // The refused update changed nothing; a small one still fits.
        let (_, shown) = call(server.url(&path), Method::GET, None).await;
        assert_eq!(shown, created);
        let (status, _) = call(
            server.url(&path),
            Method::PUT,
            Some(json!({"status": "COMPLETE"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "durable: {durable}");
    }
}

/// Everything the project holds, as its lists and shows answer.
async fn snapshot(server: &common::Server) -> Value {
    let (_, configs) = call(server.url("/software_configs"), Method::GET, None).await;
    let mut shown = Vec::new();
    for config in configs["software_configs"].as_array().unwrap() {
        let id = config["id"].as_str().unwrap();
        let (_, config) = call(
            server.url(&format!("/software_configs/{id}")),
            Method::GET,
            None,
        )
        .await;
        shown.push(config);
    }
    let (_, deployments) = call(server.url("/software_deployments"), Method::GET, None).await;
    let (_, metadata) = call(
        server.url("/software_deployments/metadata/s1"),
        Method::GET,
        None,
    )
    .await;
    json!({"configs": configs, "shown": shown, "deployments": deployments, "metadata": metadata})
}

#[tokio::test]
async fn a_restart_keeps_everything() {
    let scratch = Scratch::new("restart");
    let data = scratch.path("rts.db");
    let args = ["--data", data.to_str().unwrap()];
    let mut server = serve(&scratch.path("log"), &args);
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        let body = json!({"name": name, "group": "script", "config": "#!/bin/sh",
            "inputs": [{"name": "foo", "default": 1}], "options": {"k": "v"}});
        let (_, config) = call(server.url("/software_configs"), Method::POST, Some(body)).await;
        ids.push(config["software_config"]["id"].as_str().unwrap().to_owned());
    }
    let mut deployments = Vec::new();
    for (config_id, server_id) in [(&ids[0], "s1"), (&ids[1], "s1"), (&ids[0], "s2")] {
        let body = json!({"config_id": config_id, "server_id": server_id,
            "input_values": {"foo": 2}, "stack_user_project_id": "u"});
        let (status, created) = call(
            server.url("/software_deployments"),
            Method::POST,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        deployments.push(
            created["software_deployment"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let update = json!({"status": "COMPLETE", "config_id": ids[2], "output_values": {"r": [1]}});
    let path = format!("/software_deployments/{}", deployments[1]);
    assert_eq!(
        call(server.url(&path), Method::PUT, Some(update)).await.0,
        StatusCode::OK
    );
    let path = format!("/software_deployments/{}", deployments[2]);
    assert_eq!(
        call(server.url(&path), Method::DELETE, None).await.0,
        StatusCode::NO_CONTENT
    );
    let path = format!("/software_configs/{}", ids[1]);
    assert_eq!(
        call(server.url(&path), Method::DELETE, None).await.0,
        StatusCode::NO_CONTENT
    );
    let before = snapshot(&server).await;
    assert_eq!(
        before["configs"]["software_configs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(before["metadata"]["metadata"].as_array().unwrap().len(), 2);

    // A clean stop and a crash both keep everything, in the same order.
    server.interrupt();
    let mut server = serve(&scratch.path("log"), &args);
    assert_eq!(snapshot(&server).await, before);
    server.kill();
    let server = serve(&scratch.path("log"), &args);
    assert_eq!(snapshot(&server).await, before);
    // New objects come after the old ones.
    let (_, config) = call(
        server.url("/software_configs"),
        Method::POST,
        Some(json!({"name": "d"})),
    )
    .await;
    let (_, list) = call(server.url("/software_configs?limit=1"), Method::GET, None).await;
    assert_eq!(
        list["software_configs"][0]["id"],
        config["software_config"]["id"]
    );
}

/// Starts a server on `data`, which must refuse it: exit 1, a message naming the file and
/// `why`, and the file unchanged.
fn assert_refused(scratch: &Scratch, data: &std::path::Path, why: &str) {
    let before = std::fs::read(data).unwrap();
    match start(
        &scratch.path("refused.log"),
        &["--data", data.to_str().unwrap()],
    ) {
        Start::Listening(server) => panic!("rts-server started on {}", server.addr),
        Start::Exited(code, stderr) => {
            assert_eq!(code, Some(1), "{stderr}");
            assert!(stderr.contains(data.to_str().unwrap()), "{stderr}");
            assert!(stderr.contains(why), "{stderr}");
        }
    }
    assert!(
        std::fs::read(data).unwrap() == before,
        "{} was changed",
        data.display()
    );
}

/// A database the server wrote, with one configuration, after a clean stop.
fn written_database(scratch: &Scratch, name: &str) -> std::path::PathBuf {
    let data = scratch.path(name);
    let mut server = serve(&scratch.path("log"), &["--data", data.to_str().unwrap()]);
    let url = server.url("/software_configs");
    let status = std::thread::spawn(move || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            call(url, Method::POST, Some(json!({"name": "kept"})))
                .await
                .0
        })
    })
    .join()
    .unwrap();
    assert_eq!(status, StatusCode::OK);
    server.interrupt();
    data
}

#[test]
fn a_newer_or_foreign_or_corrupt_file_is_refused_and_left_untouched() {
    let scratch = Scratch::new("bad-files");

    let newer = written_database(&scratch, "newer.db");
    let connection = rusqlite::Connection::open(&newer).unwrap();
    connection.pragma_update(None, "user_version", 2).unwrap();
    drop(connection);
    assert_refused(&scratch, &newer, "schema version 2, newer than");

    let text = scratch.path("notes.txt");
    std::fs::write(&text, "not a database\n").unwrap();
    assert_refused(
        &scratch,
        &text,
        "not an rts-server database (not an SQLite database)",
    );

    let other = scratch.path("other.db");
    let connection = rusqlite::Connection::open(&other).unwrap();
    connection
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(connection);
    assert_refused(
        &scratch,
        &other,
        "an SQLite database of another application",
    );

    // Page 2 (the first table's root) overwritten.
    let corrupt = written_database(&scratch, "corrupt.db");
    let mut bytes = std::fs::read(&corrupt).unwrap();
    bytes[4096..8192].fill(0x55);
    std::fs::write(&corrupt, &bytes).unwrap();
    assert_refused(&scratch, &corrupt, "is corrupt");
}

#[tokio::test]
async fn a_second_server_on_the_same_file_refuses_to_start() {
    let scratch = Scratch::new("second");
    let data = scratch.path("rts.db");
    let first = serve(
        &scratch.path("first.log"),
        &["--data", data.to_str().unwrap()],
    );
    match start(
        &scratch.path("second.log"),
        &["--data", data.to_str().unwrap()],
    ) {
        Start::Listening(server) => panic!("a second server started on {}", server.addr),
        Start::Exited(code, stderr) => {
            assert_eq!(code, Some(1));
            assert!(
                stderr.contains(&format!("{} is in use by another process", data.display())),
                "{stderr}"
            );
        }
    }
    // The first one still serves, and writes.
    let (status, _) = call(
        first.url("/software_configs"),
        Method::POST,
        Some(json!({"name": "still here"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.log().contains("POST /v1/"), "{}", first.log());
}
