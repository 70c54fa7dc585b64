// Included by tests/family.rs (in-memory store) and tests/family_data.rs (`--data` store),
// which define `DURABLE`.

use std::net::SocketAddr;

use reqwest::{Method, StatusCode};
use rts_example_server::Config;
use serde_json::{Value, json};

const TOKEN: &str = "s3cret";
const PROJECT: &str = "95d02433133a4c0a87ba6967474a2ad3";
const SERVER: &str = "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5";

/// A fresh SQLite file for one server of this test process.
fn data_file() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = root.join(format!("family-data-{}", std::process::id()));
    if n == 0 {
        // The servers of earlier runs are gone; so may be their files.
        for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("family-data-") && entry.path() != dir {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    std::fs::create_dir_all(&dir).expect("creates the data directory");
    let path = dir.join(format!("rts-{n}.db"));
    let _ = std::fs::remove_file(&path);
    path
}

/// A client of one server, speaking for one project.
struct Rts {
    addr: SocketAddr,
    project: &'static str,
    http: reqwest::Client,
}

impl Rts {
    async fn start() -> Rts {
        let config = Config {
            tokens: [TOKEN.to_owned()].into(),
            data: DURABLE.then(data_file),
            ..Config::default()
        };
        let addr = rts_example_server::spawn("127.0.0.1:0".parse().unwrap(), config)
            .await
            .expect("binds an ephemeral port");
        Rts {
            addr,
            project: PROJECT,
            http: reqwest::Client::new(),
        }
    }

    /// The same server, another project.
    fn project(&self, project: &'static str) -> Rts {
        Rts {
            addr: self.addr,
            project,
            http: self.http.clone(),
        }
    }

    /// Sends `method` to `/v1/{project}{path}` with the token and, if given, a JSON body.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let url = format!("http://{}/v1/{}{path}", self.addr, self.project);
        let mut request = self.http.request(method, url).header("X-Auth-Token", TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the server answers")
    }

    /// Sends a request that must succeed with `status` and JSON; returns the body.
    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let response = self.call(method.clone(), path, body).await;
        assert_eq!(response.status(), StatusCode::OK, "{method} {path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        response.json().await.unwrap()
    }

    async fn create_config(&self, body: Value) -> Value {
        let answer = self.ok(Method::POST, "/software_configs", Some(body)).await;
        answer["software_config"].clone()
    }

    async fn create_deployment(&self, body: Value) -> Value {
        let answer = self
            .ok(Method::POST, "/software_deployments", Some(body))
            .await;
        answer["software_deployment"].clone()
    }

    /// Sends a request that must fail with `status` and Heat's body of `error_type`; returns
    /// `error.message`.
    async fn error(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
        error_type: &str,
    ) -> String {
        let response = self.call(method.clone(), path, body).await;
        heat_error(response, status, error_type).await
    }

    /// Sends a DELETE that must answer 204 without a body.
    async fn delete(&self, path: &str) {
        let response = self.call(Method::DELETE, path, None).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "DELETE {path}");
        assert!(response.headers().get("content-type").is_none());
        assert!(response.bytes().await.unwrap().is_empty());
    }
}

/// Asserts Heat's error body with `status` and `error_type`; returns `error.message`.
async fn heat_error(response: reqwest::Response, status: StatusCode, error_type: &str) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["code"], status.as_u16());
    assert_eq!(body["title"], status.canonical_reason().unwrap());
    assert!(body["explanation"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(body["error"]["type"], error_type, "{body}");
    assert_eq!(body["error"]["traceback"], Value::Null);
    body["error"]["message"].as_str().unwrap().to_owned()
}

fn keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn script_config() -> Value {
    json!({
        "name": "a-config",
        "group": "script",
        "config": "#!/bin/sh -x\necho $foo > /tmp/$bar",
        "inputs": [{"name": "foo"}, {"name": "bar", "type": "String", "default": "baaaaa"}],
        "outputs": [{"name": "result", "error_output": false}],
        "options": {"debug": true},
    })
}

#[tokio::test]
async fn version_discovery_needs_no_token_and_links_the_called_host() {
    let rts = Rts::start().await;
    let addr = rts.addr;
    let response = reqwest::get(format!("http://{addr}/")).await.unwrap();
    assert_eq!(response.status(), StatusCode::MULTIPLE_CHOICES);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"versions": [{"id": "v1.0", "status": "CURRENT",
            "links": [{"rel": "self", "href": format!("http://{addr}/v1/")}]}]})
    );

    let response = reqwest::get(format!("http://{addr}/v1")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"version": {"id": "v1.0", "status": "CURRENT",
            "links": [{"rel": "self", "href": format!("http://{addr}/v1/")}]}})
    );

    // The self link follows the Host the client called, as behind a proxy.
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/v1"))
        .header("Host", "rts.example.com:8004")
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["version"]["links"][0]["href"],
        "http://rts.example.com:8004/v1/"
    );
}

#[tokio::test]
async fn creates_shows_and_deletes_a_config() {
    let rts = Rts::start().await;
    let config = rts.create_config(script_config()).await;
    assert_eq!(
        keys(&config),
        [
            "config",
            "creation_time",
            "group",
            "id",
            "inputs",
            "name",
            "options",
            "outputs"
        ]
    );
    let id = config["id"].as_str().unwrap().to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    assert_eq!(config["group"], "script");
    assert_eq!(config["options"], json!({"debug": true}));
    // Heat's defaults for a declared input or output: type String, error_output false.
    assert_eq!(
        config["inputs"],
        json!([{"name": "foo", "type": "String"},
            {"name": "bar", "type": "String", "default": "baaaaa"}])
    );
    assert_eq!(
        config["outputs"],
        json!([{"name": "result", "type": "String", "error_output": false}])
    );

    let shown = rts
        .ok(Method::GET, &format!("/software_configs/{id}"), None)
        .await;
    assert_eq!(shown, json!({"software_config": config}));

    rts.delete(&format!("/software_configs/{id}")).await;
    let message = rts
        .error(
            Method::GET,
            &format!("/software_configs/{id}"),
            None,
            StatusCode::NOT_FOUND,
            "NotFound",
        )
        .await;
    assert_eq!(message, format!("Software config with id {id} not found"));
    let message = rts
        .error(
            Method::DELETE,
            &format!("/software_configs/{id}"),
            None,
            StatusCode::NOT_FOUND,
            "NotFound",
        )
        .await;
    assert_eq!(message, format!("Software config with id {id} not found"));
}

#[tokio::test]
async fn an_empty_config_gets_heats_defaults() {
    let rts = Rts::start().await;
    let config = rts.create_config(json!({})).await;
    assert_eq!(config["group"], "Heat::Ungrouped");
    for null in ["name", "config", "options"] {
        assert_eq!(config[null], Value::Null, "{null}");
    }
    assert_eq!(config["inputs"], json!([]));
    assert_eq!(config["outputs"], json!([]));
}

#[tokio::test]
async fn config_bodies_are_checked_against_the_schema() {
    let rts = Rts::start().await;
    for (body, field) in [
        (json!({"inputs": [{"type": "String"}]}), "inputs.0"),
        (json!({"inputs": {"name": "foo"}}), "inputs"),
        (
            json!({"outputs": [{"name": "r", "error_output": "no"}]}),
            "outputs.0.error_output",
        ),
        (json!({"name": 5}), "name"),
        (json!({"options": "debug"}), "options"),
    ] {
        let message = rts
            .error(
                Method::POST,
                "/software_configs",
                Some(body.clone()),
                StatusCode::BAD_REQUEST,
                "HTTPBadRequest",
            )
            .await;
        assert!(message.contains(&format!("'{field}'")), "{body}: {message}");
    }
}

#[tokio::test]
async fn lists_configs_newest_first_a_page_at_a_time() {
    let rts = Rts::start().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let config = rts.create_config(json!({"name": format!("c{i}")})).await;
        ids.push(config["id"].as_str().unwrap().to_owned());
    }
    let page = |query: String| {
        let rts = &rts;
        async move {
            let answer = rts
                .ok(Method::GET, &format!("/software_configs{query}"), None)
                .await;
            answer["software_configs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    assert_eq!(keys(c), ["creation_time", "group", "id", "name"]);
                    c["name"].as_str().unwrap().to_owned()
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(page(String::new()).await, ["c4", "c3", "c2", "c1", "c0"]);
    assert_eq!(page("?limit=2".to_owned()).await, ["c4", "c3"]);
    assert_eq!(
        page(format!("?limit=2&marker={}", ids[3])).await,
        ["c2", "c1"]
    );
    assert_eq!(
        page(format!("?marker={}", ids[0])).await,
        Vec::<String>::new()
    );
    // Paging as a client does, until an empty page: every config once.
    let mut seen = Vec::new();
    let mut marker = String::new();
    loop {
        let query = if marker.is_empty() {
            "?limit=2".to_owned()
        } else {
            format!("?limit=2&marker={marker}")
        };
        let answer = rts
            .ok(Method::GET, &format!("/software_configs{query}"), None)
            .await;
        let configs = answer["software_configs"].as_array().unwrap();
        let Some(last) = configs.last() else { break };
        marker = last["id"].as_str().unwrap().to_owned();
        seen.extend(configs.iter().map(|c| c["name"].clone()));
        assert!(seen.len() <= 5, "paging does not end");
    }
    assert_eq!(seen, ["c4", "c3", "c2", "c1", "c0"]);
    // An unknown marker starts from the newest, as in Heat.
    assert_eq!(page("?limit=1&marker=nope".to_owned()).await, ["c4"]);
    // Another project sees none of them.
    let other = rts.project("0123456789abcdef0123456789abcdef");
    let answer = other.ok(Method::GET, "/software_configs", None).await;
    assert_eq!(answer, json!({"software_configs": []}));
}

#[tokio::test]
async fn a_bad_limit_gets_400() {
    let rts = Rts::start().await;
    for limit in ["0", "-1", "two", "1.5"] {
        let message = rts
            .error(
                Method::GET,
                &format!("/software_configs?limit={limit}"),
                None,
                StatusCode::BAD_REQUEST,
                "HTTPBadRequest",
            )
            .await;
        assert!(message.contains("'limit'"), "{limit}: {message}");
    }
}

#[tokio::test]
async fn a_deployment_needs_an_existing_config_of_the_project() {
    let rts = Rts::start().await;
    let missing = "8da95794-2ad9-4979-8ae5-739ce314c5cd";
    let message = rts
        .error(
            Method::POST,
            "/software_deployments",
            Some(json!({"config_id": missing, "server_id": SERVER})),
            StatusCode::BAD_REQUEST,
            "Invalid",
        )
        .await;
    assert_eq!(
        message,
        format!("Data supplied was not valid: Config with id {missing} not found")
    );
    let config = rts
        .project("0123456789abcdef0123456789abcdef")
        .create_config(json!({}))
        .await;
    let foreign = config["id"].as_str().unwrap();
    let message = rts
        .error(
            Method::POST,
            "/software_deployments",
            Some(json!({"config_id": foreign, "server_id": SERVER})),
            StatusCode::BAD_REQUEST,
            "Invalid",
        )
        .await;
    assert!(message.contains(foreign), "{message}");
    let answer = rts.ok(Method::GET, "/software_deployments", None).await;
    assert_eq!(answer, json!({"software_deployments": []}));
}

#[tokio::test]
async fn lists_deployments_by_server() {
    let rts = Rts::start().await;
    let config = rts.create_config(json!({})).await;
    let mut ids = Vec::new();
    for server in ["s1", "s2", "s1"] {
        let deployment = rts
            .create_deployment(json!({"config_id": config["id"], "server_id": server}))
            .await;
        ids.push(deployment["id"].clone());
    }
    let listed = |query: &'static str| {
        let rts = &rts;
        async move {
            let answer = rts
                .ok(Method::GET, &format!("/software_deployments{query}"), None)
                .await;
            answer["software_deployments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].clone())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed("").await, ids);
    assert_eq!(
        listed("?server_id=s1").await,
        [ids[0].clone(), ids[2].clone()]
    );
    assert_eq!(listed("?server_id=s2").await, [ids[1].clone()]);
    assert!(listed("?server_id=s3").await.is_empty());
}

#[tokio::test]
async fn unknown_deployments_get_404_with_heats_body() {
    let rts = Rts::start().await;
    let id = "ef422fa5-719a-419e-a10c-72e3a367b0b8";
    let path = format!("/software_deployments/{id}");
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"status": "COMPLETE"}))),
        (Method::DELETE, None),
    ] {
        let message = rts
            .error(
                method.clone(),
                &path,
                body,
                StatusCode::NOT_FOUND,
                "NotFound",
            )
            .await;
        assert_eq!(
            message,
            format!("Deployment with id {id} not found"),
            "{method}"
        );
    }
}

#[tokio::test]
async fn update_applies_only_the_keys_that_are_not_null() {
    let rts = Rts::start().await;
    let first = rts.create_config(json!({"name": "first"})).await;
    let second = rts.create_config(json!({"name": "second"})).await;
    let created = rts
        .create_deployment(json!({
            "config_id": first["id"], "server_id": SERVER, "action": "CREATE",
            "status": "IN_PROGRESS", "input_values": {"foo": "fooooo"},
        }))
        .await;
    assert!(created.get("updated_time").is_none());
    let path = format!("/software_deployments/{}", created["id"].as_str().unwrap());

    // What both clients send: "action": null, which leaves the action as it is.
    let outputs = json!({"deploy_stdout": "done", "deploy_status_code": 0});
    let answer = rts
        .ok(
            Method::PUT,
            &path,
            Some(json!({"action": null, "status": "COMPLETE",
                "status_reason": "Outputs received", "output_values": outputs})),
        )
        .await;
    let updated = &answer["software_deployment"];
    assert_eq!(updated["action"], "CREATE");
    assert_eq!(updated["status"], "COMPLETE");
    assert_eq!(updated["status_reason"], "Outputs received");
    assert_eq!(updated["output_values"], outputs);
    assert_eq!(updated["input_values"], json!({"foo": "fooooo"}));
    for key in ["id", "config_id", "server_id", "creation_time"] {
        assert_eq!(updated[key], created[key], "{key}");
    }
    let time = updated["updated_time"].as_str().unwrap();
    assert!(time.ends_with('Z') && time >= created["creation_time"].as_str().unwrap());
    let shown = rts.ok(Method::GET, &path, None).await;
    assert_eq!(shown, answer);

    // An empty update changes nothing but the time.
    let answer = rts.ok(Method::PUT, &path, Some(json!({}))).await;
    assert_eq!(answer["software_deployment"]["status"], "COMPLETE");

    // Another config: it must exist.
    let message = rts
        .error(
            Method::PUT,
            &path,
            Some(json!({"config_id": "nope"})),
            StatusCode::BAD_REQUEST,
            "Invalid",
        )
        .await;
    assert_eq!(
        message,
        "Data supplied was not valid: Config with id nope not found"
    );
    let answer = rts
        .ok(Method::PUT, &path, Some(json!({"config_id": second["id"]})))
        .await;
    assert_eq!(answer["software_deployment"]["config_id"], second["id"]);

    // The server cannot change; a wrong type is refused by the schema.
    let answer = rts
        .ok(Method::PUT, &path, Some(json!({"server_id": "elsewhere"})))
        .await;
    assert_eq!(answer["software_deployment"]["server_id"], SERVER);
    let message = rts
        .error(
            Method::PUT,
            &path,
            Some(json!({"status": "DONE"})),
            StatusCode::BAD_REQUEST,
            "HTTPBadRequest",
        )
        .await;
    assert!(message.contains("'status'"), "{message}");
}

#[tokio::test]
async fn a_config_in_use_cannot_be_deleted() {
    let rts = Rts::start().await;
    let config = rts.create_config(json!({})).await;
    let id = config["id"].as_str().unwrap();
    let deployment = rts
        .create_deployment(json!({"config_id": id, "server_id": SERVER}))
        .await;
    let message = rts
        .error(
            Method::DELETE,
            &format!("/software_configs/{id}"),
            None,
            StatusCode::BAD_REQUEST,
            "InvalidRestrictedAction",
        )
        .await;
    assert_eq!(
        message,
        format!("Software config with id {id} can not be deleted as it is referenced.")
    );
    rts.delete(&format!(
        "/software_deployments/{}",
        deployment["id"].as_str().unwrap()
    ))
    .await;
    rts.delete(&format!("/software_configs/{id}")).await;
}

#[tokio::test]
async fn metadata_lists_the_configs_deployed_to_a_server() {
    let rts = Rts::start().await;
    let config = rts.create_config(script_config()).await;
    let other = rts.create_config(json!({"name": "0-first-by-name"})).await;
    rts.create_deployment(json!({"config_id": config["id"], "server_id": SERVER,
        "input_values": {"foo": "fooooo"}}))
        .await;
    rts.create_deployment(json!({"config_id": other["id"], "server_id": SERVER}))
        .await;
    rts.create_deployment(json!({"config_id": config["id"], "server_id": "another"}))
        .await;

    // `metadata` is not taken for a deployment id.
    let answer = rts
        .ok(
            Method::GET,
            &format!("/software_deployments/metadata/{SERVER}"),
            None,
        )
        .await;
    let metadata = answer["metadata"].as_array().unwrap();
    assert_eq!(metadata.len(), 2);
    // Sorted by name, as Heat sorts them.
    assert_eq!(metadata[0]["id"], other["id"]);
    // Each exactly as showing the configuration answers, as Heat answers: the deployment's
    // input values are not merged into the inputs.
    for (shown, created) in metadata.iter().zip([&other, &config]) {
        let path = format!("/software_configs/{}", created["id"].as_str().unwrap());
        let show = rts.ok(Method::GET, &path, None).await;
        assert_eq!(*shown, show["software_config"]);
        assert_eq!(shown, created);
    }
    assert_eq!(
        metadata[1]["inputs"],
        json!([
            {"name": "foo", "type": "String"},
            {"name": "bar", "type": "String", "default": "baaaaa"},
        ])
    );
    let answer = rts
        .ok(Method::GET, "/software_deployments/metadata/nobody", None)
        .await;
    assert_eq!(answer, json!({"metadata": []}));
}

#[tokio::test]
async fn every_operation_needs_the_token() {
    let rts = Rts::start().await;
    let id = "ef422fa5-719a-419e-a10c-72e3a367b0b8";
    for (method, path) in [
        (Method::GET, "/software_configs".to_owned()),
        (Method::POST, "/software_configs".to_owned()),
        (Method::GET, format!("/software_configs/{id}")),
        (Method::DELETE, format!("/software_configs/{id}")),
        (Method::GET, "/software_deployments".to_owned()),
        (Method::POST, "/software_deployments".to_owned()),
        (Method::GET, format!("/software_deployments/{id}")),
        (Method::PUT, format!("/software_deployments/{id}")),
        (Method::DELETE, format!("/software_deployments/{id}")),
        (Method::GET, format!("/software_deployments/metadata/{id}")),
    ] {
        let url = format!("http://{}/v1/{PROJECT}{path}", rts.addr);
        for token in [None, Some("wrong")] {
            let mut request = rts
                .http
                .request(method.clone(), &url)
                .header("Content-Type", "application/json")
                .body("{}");
            if let Some(token) = token {
                request = request.header("X-Auth-Token", token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} {token:?}"
            );
            assert!(response.headers().contains_key("www-authenticate"));
        }
    }
}

#[tokio::test]
async fn a_deployments_lifecycle() {
    let rts = Rts::start().await;
    let config = rts.create_config(script_config()).await;
    let config_id = config["id"].as_str().unwrap();

    let created = rts
        .create_deployment(json!({
            "config_id": config_id, "server_id": SERVER, "action": "CREATE",
            "status": "IN_PROGRESS", "input_values": {"foo": "fooooo", "bar": "baaaaa"},
        }))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/software_deployments/{id}");

    let listed = rts
        .ok(
            Method::GET,
            &format!("/software_deployments?server_id={SERVER}"),
            None,
        )
        .await;
    assert_eq!(listed, json!({"software_deployments": [created]}));

    let shown = rts.ok(Method::GET, &path, None).await;
    assert_eq!(shown, json!({"software_deployment": created}));

    let updated = rts
        .ok(
            Method::PUT,
            &path,
            Some(json!({"status": "COMPLETE", "output_values": {"result": "ok"}})),
        )
        .await;
    assert_eq!(updated["software_deployment"]["status"], "COMPLETE");
    assert!(updated["software_deployment"]["updated_time"].is_string());

    let metadata = rts
        .ok(
            Method::GET,
            &format!("/software_deployments/metadata/{SERVER}"),
            None,
        )
        .await;
    assert_eq!(metadata["metadata"][0]["id"], config_id);
    assert_eq!(metadata["metadata"][0]["inputs"][1].get("value"), None);

    rts.delete(&path).await;
    let message = rts
        .error(Method::GET, &path, None, StatusCode::NOT_FOUND, "NotFound")
        .await;
    assert_eq!(message, format!("Deployment with id {id} not found"));
    let listed = rts.ok(Method::GET, "/software_deployments", None).await;
    assert_eq!(listed, json!({"software_deployments": []}));
    let metadata = rts
        .ok(
            Method::GET,
            &format!("/software_deployments/metadata/{SERVER}"),
            None,
        )
        .await;
    assert_eq!(metadata, json!({"metadata": []}));
    rts.delete(&format!("/software_configs/{config_id}")).await;
}

#[tokio::test]
async fn concurrent_requests_see_one_consistent_store() {
    let rts = Rts::start().await;
    let config = rts.create_config(json!({})).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..64 {
        let http = rts.http.clone();
        let url = format!("http://{}/v1/{PROJECT}/software_deployments", rts.addr);
        let body = json!({"config_id": config["id"], "server_id": format!("s{}", i % 4)});
        tasks.spawn(async move {
            let response = http
                .post(url)
                .header("X-Auth-Token", TOKEN)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let answer: Value = response.json().await.unwrap();
            answer["software_deployment"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        });
    }
    let mut ids = Vec::new();
    while let Some(id) = tasks.join_next().await {
        ids.push(id.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 64);
    let listed = rts.ok(Method::GET, "/software_deployments", None).await;
    assert_eq!(listed["software_deployments"].as_array().unwrap().len(), 64);
    let one_server = rts
        .ok(Method::GET, "/software_deployments?server_id=s1", None)
        .await;
    assert_eq!(
        one_server["software_deployments"].as_array().unwrap().len(),
        16
    );
}
