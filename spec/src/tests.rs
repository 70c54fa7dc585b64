//! Facts of the published document, checked on the JSON that `to_json` writes.

use serde_json::{Value, json};

use crate::deployments::{
    CreateSoftwareDeploymentRequest, SoftwareDeploymentResponse, SoftwareDeploymentStatus,
};
use crate::errors::{HeatErrorResponse, UnauthorizedResponse};

/// The request example of the RTS page, copied verbatim.
const SEED_REQUEST: &str = r#"{
    "status": "IN_PROGRESS",
    "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
    "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
    "stack_user_project_id": "c024bfada67845ddb17d2b0c0be8cd79",
    "action": "CREATE",
    "status_reason": "Deploy data available"
}"#;

/// The response example of the RTS page, copied verbatim.
const SEED_RESPONSE: &str = r#"{
    "software_deployment": {
        "status": "IN_PROGRESS",
        "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
        "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
        "output_values": null,
        "input_values": null,
        "action": "CREATE",
        "status_reason": "Deploy data available",
        "id": "ef422fa5-719a-419e-a10c-72e3a367b0b8",
        "creation_time": "2015-01-31T15:12:36Z"
    }
}"#;

fn doc() -> Value {
    serde_json::from_str(&crate::to_json()).expect("to_json writes valid JSON")
}

fn operation(doc: &Value) -> &Value {
    &doc["paths"]["/v1/{project_id}/software_deployments"]["post"]
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "schema {name} is missing");
    schema
}

/// A response of the create operation, following a `$ref` to a shared response.
fn response<'a>(doc: &'a Value, status: &str) -> &'a Value {
    let response = &operation(doc)["responses"][status];
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/responses/")
                .expect("responses refer to components");
            &doc["components"]["responses"][name]
        }
        None => response,
    }
}

fn media<'a>(doc: &'a Value, status: &str) -> &'a Value {
    &response(doc, status)["content"]["application/json"]
}

fn required(schema: &Value) -> Vec<&str> {
    schema["required"]
        .as_array()
        .map(|names| names.iter().map(|n| n.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn property_names(schema: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

/// Equal as JSON text, so key order and `null`s count too.
fn assert_same_json(actual: &Value, expected: &str) {
    let expected: Value = serde_json::from_str(expected).unwrap();
    assert_eq!(
        serde_json::to_string(actual).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}

#[test]
fn document_is_openapi_3_1_with_info_and_server() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], "1.0.0");
    assert!(doc["info"]["title"].as_str().unwrap().contains("(RTS)"));
    assert!(!doc["info"]["description"].as_str().unwrap().is_empty());
    assert_eq!(doc["info"]["license"]["identifier"], "Apache-2.0");
    assert!(doc["info"]["contact"].get("email").is_none());
    assert_eq!(
        doc["servers"],
        json!([{
            "url": "https://rts.eu-de.otc.t-systems.com",
            "description": "Open Telekom Cloud RTS endpoint in region eu-de."
        }])
    );
}

#[test]
fn operation_is_described_and_tagged() {
    let doc = doc();
    let op = operation(&doc);
    assert_eq!(op["operationId"], "createSoftwareDeployment");
    assert_eq!(op["tags"], json!(["Software Deployments"]));
    assert_eq!(op["summary"], "Create a software deployment");
    assert!(op["description"].as_str().unwrap().contains("flat"));
    let tags = doc["tags"].as_array().unwrap();
    let tag = tags
        .iter()
        .find(|tag| tag["name"] == "Software Deployments")
        .expect("the operation's tag is declared");
    assert!(!tag["description"].as_str().unwrap().is_empty());
}

#[test]
fn project_id_is_a_required_path_string() {
    let doc = doc();
    let params = operation(&doc)["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 1);
    let project_id = &params[0];
    assert_eq!(project_id["name"], "project_id");
    assert_eq!(project_id["in"], "path");
    assert_eq!(project_id["required"], true);
    // Not empty: an empty path segment names no resource, and cannot be routed.
    assert_eq!(
        project_id["schema"],
        json!({"type": "string", "minLength": 1})
    );
    assert!(
        project_id["description"]
            .as_str()
            .unwrap()
            .contains("Keystone")
    );
}

#[test]
fn request_body_is_flat_with_two_required_fields() {
    let doc = doc();
    let body = &operation(&doc)["requestBody"];
    assert_eq!(body["required"], true);
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CreateSoftwareDeploymentRequest"
    );
    let request = schema(&doc, "CreateSoftwareDeploymentRequest");
    assert_eq!(required(request), ["config_id", "server_id"]);
    assert_eq!(
        property_names(request),
        [
            "action",
            "config_id",
            "input_values",
            "server_id",
            "stack_user_project_id",
            "status",
            "status_reason"
        ]
    );
    // Flat: no `software_deployment` wrapper; unknown keys stay allowed.
    assert!(request.get("additionalProperties").is_none());
}

#[test]
fn request_optional_fields_are_not_nullable() {
    let doc = doc();
    let props = &schema(&doc, "CreateSoftwareDeploymentRequest")["properties"];
    for name in ["action", "stack_user_project_id", "status_reason"] {
        assert_eq!(props[name]["type"], "string", "{name}");
    }
    assert_eq!(props["input_values"]["type"], "object");
    assert_eq!(props["input_values"]["additionalProperties"], json!({}));
    assert_eq!(props["stack_user_project_id"]["maxLength"], 64);
    assert_eq!(
        props["status"]["$ref"],
        "#/components/schemas/SoftwareDeploymentStatus"
    );
    assert!(props["status"].get("oneOf").is_none());
}

#[test]
fn status_is_a_named_enum_of_the_documented_values() {
    let doc = doc();
    let status = schema(&doc, "SoftwareDeploymentStatus");
    assert_eq!(status["type"], "string");
    assert_eq!(status["enum"], json!(["COMPLETE", "IN_PROGRESS", "FAILED"]));
    // The Rust enum speaks the same wire values.
    assert_eq!(
        serde_json::to_value(SoftwareDeploymentStatus::InProgress).unwrap(),
        "IN_PROGRESS"
    );
}

#[test]
fn deployment_has_every_documented_field_all_required() {
    let doc = doc();
    let deployment = schema(&doc, "SoftwareDeployment");
    let fields = [
        "id",
        "config_id",
        "server_id",
        "action",
        "status",
        "status_reason",
        "input_values",
        "output_values",
        "creation_time",
    ];
    assert_eq!(required(deployment), fields);
    // Besides these only `updated_time`, which is absent until an update;
    // `stack_user_project_id` is never echoed.
    let mut expected = fields.to_vec();
    expected.push("updated_time");
    expected.sort_unstable();
    assert_eq!(property_names(deployment), expected);
}

#[test]
fn deployment_nullable_fields() {
    let doc = doc();
    let props = &schema(&doc, "SoftwareDeployment")["properties"];
    for name in ["id", "config_id", "server_id"] {
        assert_eq!(props[name]["type"], "string", "{name}");
    }
    for name in ["action", "status_reason"] {
        assert_eq!(props[name]["type"], json!(["string", "null"]), "{name}");
    }
    for name in ["input_values", "output_values"] {
        assert_eq!(props[name]["type"], json!(["object", "null"]), "{name}");
        assert_eq!(props[name]["additionalProperties"], json!({}), "{name}");
    }
    assert_eq!(
        props["status"]["oneOf"],
        json!([
            {"$ref": "#/components/schemas/SoftwareDeploymentStatus"},
            {"type": "null"}
        ])
    );
    assert_eq!(props["creation_time"]["type"], "string");
    assert_eq!(props["creation_time"]["format"], "date-time");
    assert!(
        props["creation_time"]["description"]
            .as_str()
            .unwrap()
            .contains("±hh:mm")
    );
}

#[test]
fn success_response_wraps_the_deployment() {
    let doc = doc();
    assert_eq!(
        operation(&doc)["responses"]["200"]["description"],
        "Request was successful."
    );
    assert_eq!(
        media(&doc, "200")["schema"]["$ref"],
        "#/components/schemas/SoftwareDeploymentResponse"
    );
    let response = schema(&doc, "SoftwareDeploymentResponse");
    assert_eq!(required(response), ["software_deployment"]);
    assert_eq!(
        response["properties"]["software_deployment"]["$ref"],
        "#/components/schemas/SoftwareDeployment"
    );
}

#[test]
fn examples_are_the_seeds_unchanged() {
    let doc = doc();
    let request = &operation(&doc)["requestBody"]["content"]["application/json"]["example"];
    assert_same_json(request, SEED_REQUEST);
    assert_same_json(&media(&doc, "200")["example"], SEED_RESPONSE);
}

#[test]
fn seed_examples_round_trip_through_the_model() {
    let request: Value = serde_json::from_str(SEED_REQUEST).unwrap();
    let parsed: CreateSoftwareDeploymentRequest = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), request);

    let response: Value = serde_json::from_str(SEED_RESPONSE).unwrap();
    let parsed: SoftwareDeploymentResponse = serde_json::from_value(response.clone()).unwrap();
    assert_eq!(parsed.software_deployment.input_values, None);
    // The nulls are written back, not dropped.
    assert_eq!(serde_json::to_value(&parsed).unwrap(), response);
}

#[test]
fn request_accepts_unknown_keys_and_omits_absent_fields() {
    let parsed: CreateSoftwareDeploymentRequest = serde_json::from_value(json!({
        "config_id": "c", "server_id": "s", "tenant_id": "asdf"
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        json!({"config_id": "c", "server_id": "s"})
    );
}

#[test]
fn heat_errors_for_400_and_500() {
    let doc = doc();
    let error = schema(&doc, "HeatErrorResponse");
    assert_eq!(required(error), ["code", "title", "explanation", "error"]);
    assert_eq!(error["properties"]["code"]["type"], "integer");
    let detail = schema(&doc, "HeatErrorDetail");
    assert_eq!(required(detail), ["type", "message", "traceback"]);
    assert_eq!(
        detail["properties"]["traceback"]["type"],
        json!(["string", "null"])
    );
    for (status, title) in [(400, "Bad Request"), (500, "Internal Server Error")] {
        let media = media(&doc, &status.to_string());
        assert_eq!(
            media["schema"]["$ref"],
            "#/components/schemas/HeatErrorResponse"
        );
        let example: HeatErrorResponse = serde_json::from_value(media["example"].clone()).unwrap();
        assert_eq!(example.code, status);
        assert_eq!(example.title, title);
        assert_eq!(example.error.traceback, None);
    }
}

#[test]
fn unauthorized_has_its_own_body_and_www_authenticate() {
    let doc = doc();
    let response = response(&doc, "401");
    let header = &response["headers"]["WWW-Authenticate"];
    assert_eq!(header["schema"]["type"], "string");
    assert!(
        header["description"]
            .as_str()
            .unwrap()
            .contains("Keystone uri=")
    );
    let media = media(&doc, "401");
    assert_eq!(
        media["schema"]["$ref"],
        "#/components/schemas/UnauthorizedResponse"
    );
    let example: UnauthorizedResponse = serde_json::from_value(media["example"].clone()).unwrap();
    assert_eq!(example.error.code, 401);
    assert_eq!(
        required(schema(&doc, "UnauthorizedError")),
        ["code", "title", "message"]
    );
    assert_eq!(required(schema(&doc, "UnauthorizedResponse")), ["error"]);
}

#[test]
fn only_documented_status_codes() {
    let doc = doc();
    let responses = operation(&doc)["responses"].as_object().unwrap();
    let codes: Vec<&str> = responses.keys().map(String::as_str).collect();
    assert_eq!(codes, ["200", "400", "401", "500"]);
}

#[test]
fn operation_requires_the_auth_token() {
    let doc = doc();
    let scheme = &doc["components"]["securitySchemes"][crate::AUTH_TOKEN_SCHEME];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "header");
    assert_eq!(scheme["name"], "X-Auth-Token");
    assert!(!scheme["description"].as_str().unwrap().is_empty());
    assert_eq!(
        operation(&doc)["security"],
        json!([{ crate::AUTH_TOKEN_SCHEME: [] }])
    );
}

#[test]
fn every_schema_and_property_is_described() {
    let doc = doc();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        assert!(schema["description"].is_string(), "schema {name}");
        for (property, value) in schema["properties"].as_object().into_iter().flatten() {
            let text = value["description"].as_str().unwrap_or_default();
            assert!(!text.is_empty(), "{name}.{property}");
            assert!(!text.contains('Â'), "{name}.{property}: encoding error");
        }
    }
}

#[test]
fn serializations_end_with_one_newline() {
    let json = crate::to_json();
    assert!(json.ends_with("}\n"));
    let yaml = crate::to_yaml();
    assert!(yaml.starts_with("openapi: 3.1.0\n"));
    assert!(yaml.ends_with('\n') && !yaml.ends_with("\n\n"));
    assert!(yaml.contains("operationId: createSoftwareDeployment\n"));
}

/// Every operation of the family: (method, path, operationId, documented statuses).
const FAMILY: &[(&str, &str, &str, &[&str])] = &[
    ("get", "/", "listVersions", &["300"]),
    ("get", "/v1", "showVersion", &["200"]),
    (
        "post",
        "/v1/{project_id}/software_configs",
        "createSoftwareConfig",
        &["200", "400", "401", "404"],
    ),
    (
        "get",
        "/v1/{project_id}/software_configs",
        "listSoftwareConfigs",
        &["200", "400", "401", "404", "500"],
    ),
    (
        "get",
        "/v1/{project_id}/software_configs/{config_id}",
        "showSoftwareConfig",
        &["200", "400", "401", "404"],
    ),
    (
        "delete",
        "/v1/{project_id}/software_configs/{config_id}",
        "deleteSoftwareConfig",
        &["204", "400", "401", "404"],
    ),
    (
        "post",
        "/v1/{project_id}/software_deployments",
        "createSoftwareDeployment",
        &["200", "400", "401", "500"],
    ),
    (
        "get",
        "/v1/{project_id}/software_deployments",
        "listSoftwareDeployments",
        &["200", "400", "401", "404", "500"],
    ),
    (
        "get",
        "/v1/{project_id}/software_deployments/{deployment_id}",
        "showSoftwareDeployment",
        &["200", "400", "401", "404", "500"],
    ),
    (
        "put",
        "/v1/{project_id}/software_deployments/{deployment_id}",
        "updateSoftwareDeployment",
        &["200", "400", "401", "404", "500"],
    ),
    (
        "delete",
        "/v1/{project_id}/software_deployments/{deployment_id}",
        "deleteSoftwareDeployment",
        &["204", "400", "401", "404", "500"],
    ),
    (
        "get",
        "/v1/{project_id}/software_deployments/metadata/{server_id}",
        "showServerMetadata",
        &["200", "400", "401", "404", "500"],
    ),
];

#[test]
fn the_family_has_every_operation_with_its_documented_statuses() {
    let doc = doc();
    let mut count = 0;
    for (method, path, id, statuses) in FAMILY {
        let op = &doc["paths"][path][method];
        assert_eq!(op["operationId"], *id, "{method} {path}");
        let documented: Vec<&str> = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for status in *statuses {
            assert!(documented.contains(status), "{id} documents {status}");
        }
        let secured = op["security"] == json!([{ crate::AUTH_TOKEN_SCHEME: [] }]);
        assert_eq!(
            secured,
            path.starts_with("/v1/{project_id}"),
            "{id}: token needed exactly on project paths"
        );
        count += 1;
    }
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, count, "no operation beyond the family");
}

#[test]
fn shared_shapes_are_one_schema_referenced_everywhere() {
    let doc = doc();
    let text = crate::to_json();
    // The deployment object is defined once and referenced by the envelopes and the list.
    assert!(
        text.matches("\"#/components/schemas/SoftwareDeployment\"")
            .count()
            >= 2
    );
    assert!(
        text.matches("\"#/components/schemas/SoftwareConfig\"")
            .count()
            >= 2
    );
    for (method, path, id, _) in FAMILY
        .iter()
        .filter(|(_, path, ..)| path.starts_with("/v1/"))
    {
        for status in ["400", "401"] {
            let response = &doc["paths"][path][method]["responses"][status];
            assert!(
                response["$ref"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("#/components/responses/")),
                "{id} {status}"
            );
        }
    }
    let updated = &schema(&doc, "SoftwareDeployment")["properties"]["updated_time"];
    assert_eq!(updated["format"], "date-time");
    assert!(!required(schema(&doc, "SoftwareDeployment")).contains(&"updated_time"));
}

#[test]
fn list_parameters_are_typed_queries() {
    let doc = doc();
    let params = |path: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone()
    };
    let configs = params("/v1/{project_id}/software_configs");
    let limit = configs.iter().find(|p| p["name"] == "limit").unwrap();
    assert_eq!(
        (limit["in"].as_str(), limit["schema"]["type"].as_str()),
        (Some("query"), Some("integer"))
    );
    assert!(
        configs
            .iter()
            .any(|p| p["name"] == "marker" && p["in"] == "query")
    );
    let deployments = params("/v1/{project_id}/software_deployments");
    assert!(
        deployments
            .iter()
            .any(|p| p["name"] == "server_id" && p["in"] == "query" && p["required"] == false)
    );
}

#[test]
fn update_fields_are_all_optional_and_accept_null() {
    let doc = doc();
    let update = schema(&doc, "UpdateSoftwareDeploymentRequest");
    assert!(required(update).is_empty());
    for name in property_names(update) {
        let property = &update["properties"][name];
        let nullable = property["type"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("null")))
            || property["oneOf"]
                .as_array()
                .is_some_and(|b| b.contains(&json!({"type": "null"})));
        assert!(
            nullable,
            "{name} accepts null (clients send \"action\": null)"
        );
    }
}

#[test]
fn links_chain_created_objects_to_the_operations_that_use_them() {
    let doc = doc();
    let operations: Vec<&Value> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .collect();
    let mut links = 0;
    for op in &operations {
        for (status, response) in op["responses"].as_object().unwrap() {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                let target = operations
                    .iter()
                    .find(|o| o["operationId"] == link["operationId"])
                    .unwrap_or_else(|| panic!("link {name}: no operation {}", link["operationId"]));
                for (param, expression) in link["parameters"].as_object().into_iter().flatten() {
                    let declared = target["parameters"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["name"] == param.as_str());
                    assert!(
                        declared,
                        "link {name}: {param} is no parameter of the target"
                    );
                    let expression = expression.as_str().unwrap();
                    assert!(
                        expression.starts_with("$request.path.")
                            || expression.starts_with("$response.body#/"),
                        "link {name}: {expression}"
                    );
                }
                assert!(status.starts_with('2'), "link {name} on {status}");
                links += 1;
            }
        }
    }
    let created = |id: &str| {
        let op = operations.iter().find(|o| o["operationId"] == id).unwrap();
        op["responses"]["200"]["links"]
            .as_object()
            .unwrap()
            .values()
            .map(|l| l["operationId"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    for target in [
        "showSoftwareConfig",
        "deleteSoftwareConfig",
        "createSoftwareDeployment",
    ] {
        assert!(created("createSoftwareConfig").contains(&target.to_owned()));
    }
    for target in [
        "showSoftwareDeployment",
        "updateSoftwareDeployment",
        "deleteSoftwareDeployment",
        "showServerMetadata",
    ] {
        assert!(created("createSoftwareDeployment").contains(&target.to_owned()));
    }
    assert!(links >= 10, "{links}");
    // The new configuration's id goes into the deployment's body.
    let deploy = &operations
        .iter()
        .find(|o| o["operationId"] == "createSoftwareConfig")
        .unwrap()["responses"]["200"]["links"]["CreateSoftwareDeployment"];
    assert_eq!(
        deploy["requestBody"],
        json!({"config_id": "$response.body#/software_config/id"})
    );
}
