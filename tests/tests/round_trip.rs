//! The seed's examples, and the real service's answers, through the generated types.

use rts_api::{
    CreateSoftwareDeploymentRequest, HeatErrorResponse, SoftwareDeployment,
    SoftwareDeploymentResponse, SoftwareDeploymentStatus, UnauthorizedResponse,
};
use rts_tests::{CREATE_REQUEST_EXAMPLE, CREATE_RESPONSE_EXAMPLE, example_at, published_spec};
use serde_json::{Value, json};

/// Deserializes `json` into `T` and serializes it back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &Value) -> (T, Value) {
    let typed: T =
        serde_json::from_value(json.clone()).expect("the example fits the generated type");
    let back = serde_json::to_value(&typed).expect("serializes");
    (typed, back)
}

#[test]
fn the_seed_request_example_round_trips_unchanged() {
    let example = example_at(&published_spec(), CREATE_REQUEST_EXAMPLE);
    let (request, back) = round_trip::<CreateSoftwareDeploymentRequest>(&example);
    assert_eq!(back, example, "absent keys stay absent");
    assert_eq!(request.status, Some(SoftwareDeploymentStatus::InProgress));
    assert_eq!(request.config_id, "8da95794-2ad9-4979-8ae5-739ce314c5cd");
    assert_eq!(request.input_values, None);
}

#[test]
fn the_seed_response_example_round_trips_unchanged() {
    let example = example_at(&published_spec(), CREATE_RESPONSE_EXAMPLE);
    let (response, back) = round_trip::<SoftwareDeploymentResponse>(&example);
    assert_eq!(back, example, "nulls stay null");
    let deployment = &response.software_deployment;
    assert_eq!(deployment.input_values, None);
    assert_eq!(deployment.output_values, None);
    assert_eq!(deployment.creation_time, "2015-01-31T15:12:36Z");
    assert!(back["software_deployment"]["output_values"].is_null());
}

#[test]
fn the_real_service_form_of_a_deployment_deserializes() {
    let real = json!({
        "software_deployment": {
            "status": "COMPLETE",
            "server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5",
            "config_id": "8da95794-2ad9-4979-8ae5-739ce314c5cd",
            "output_values": {"deploy_stdout": "ok", "deploy_status_code": 0},
            "input_values": {},
            "action": null,
            "status_reason": null,
            "id": "ef422fa5-719a-419e-a10c-72e3a367b0b8",
            "creation_time": "2018-05-15T08:48:23.500895",
            "updated_time": "2018-05-15T08:49:01.123456"
        }
    });
    let (response, back) = round_trip::<SoftwareDeploymentResponse>(&real);
    let deployment = &response.software_deployment;
    assert_eq!(deployment.creation_time, "2018-05-15T08:48:23.500895");
    assert_eq!(deployment.input_values, Some(serde_json::Map::new()));
    assert_eq!(deployment.status, Some(SoftwareDeploymentStatus::Complete));
    assert_eq!(
        deployment.updated_time.clone().flatten().as_deref(),
        Some("2018-05-15T08:49:01.123456")
    );
    assert_eq!(back, real, "the real form survives a round trip");
}

#[test]
fn unknown_request_fields_are_accepted_as_heat_accepts_them() {
    // `heat deployment-create` sends an extra `tenant_id`.
    let body = json!({"config_id": "c", "server_id": "s", "tenant_id": "asdf"});
    let request: CreateSoftwareDeploymentRequest = serde_json::from_value(body).expect("accepted");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"config_id": "c", "server_id": "s"})
    );
}

#[test]
fn required_fields_and_enum_values_are_enforced() {
    let missing =
        serde_json::from_value::<CreateSoftwareDeploymentRequest>(json!({"server_id": "s"}));
    assert!(missing.unwrap_err().to_string().contains("config_id"));
    let bad_status = serde_json::from_value::<CreateSoftwareDeploymentRequest>(
        json!({"config_id": "c", "server_id": "s", "status": "DONE"}),
    );
    assert!(bad_status.unwrap_err().to_string().contains("DONE"));
}

#[test]
fn a_deployment_writes_every_key_even_when_empty() {
    let deployment = SoftwareDeployment {
        action: None,
        config_id: "c".into(),
        creation_time: "2015-01-31T15:12:36Z".into(),
        id: "i".into(),
        input_values: None,
        output_values: None,
        server_id: "s".into(),
        status: None,
        status_reason: None,
        updated_time: None,
    };
    let json = serde_json::to_value(&deployment).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // Nine keys: `updated_time` is left out until the deployment is updated.
    assert_eq!(keys.len(), 9, "{keys:?}");
    for key in [
        "action",
        "input_values",
        "output_values",
        "status",
        "status_reason",
    ] {
        assert!(json[key].is_null(), "{key} is written as null");
    }
}

#[test]
fn error_examples_fit_the_error_types() {
    let spec = published_spec();
    let example = |name: &str| {
        example_at(
            &spec,
            &format!("/components/responses/{name}/content/application~1json/example"),
        )
    };
    for (name, status) in [
        ("BadRequest", 400),
        ("NotFound", 404),
        ("InternalServerError", 500),
    ] {
        let example = example(name);
        let (error, back) = round_trip::<HeatErrorResponse>(&example);
        assert_eq!(back, example);
        assert_eq!(error.code, status);
    }
    let example = example("Unauthorized");
    let (error, back) = round_trip::<UnauthorizedResponse>(&example);
    assert_eq!(back, example);
    assert_eq!(error.error.code, 401);
}

/// Round-trips `example` through the generated type of the schema `name`.
fn round_trip_as(name: &str, example: &Value) -> Value {
    use rts_api::*;
    fn through<T: serde::de::DeserializeOwned + serde::Serialize>(example: &Value) -> Value {
        round_trip::<T>(example).1
    }
    match name {
        "CreateSoftwareConfigRequest" => through::<CreateSoftwareConfigRequest>(example),
        "CreateSoftwareDeploymentRequest" => through::<CreateSoftwareDeploymentRequest>(example),
        "HeatErrorResponse" => through::<HeatErrorResponse>(example),
        "ServerMetadataResponse" => through::<ServerMetadataResponse>(example),
        "SoftwareConfigList" => through::<SoftwareConfigList>(example),
        "SoftwareConfigResponse" => through::<SoftwareConfigResponse>(example),
        "SoftwareDeploymentList" => through::<SoftwareDeploymentList>(example),
        "SoftwareDeploymentResponse" => through::<SoftwareDeploymentResponse>(example),
        "UnauthorizedResponse" => through::<UnauthorizedResponse>(example),
        "UpdateSoftwareDeploymentRequest" => through::<UpdateSoftwareDeploymentRequest>(example),
        "VersionList" => through::<VersionList>(example),
        "VersionResponse" => through::<VersionResponse>(example),
        other => panic!("no generated type mapped for schema {other}; add it to this table"),
    }
}

/// Every `example` of a JSON media type in the published spec, with its schema's name.
fn media_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let mut visit = |at: String, media: &Value| {
        if let (Some(example), Some(reference)) =
            (media.get("example"), media["schema"]["$ref"].as_str())
        {
            let name = reference
                .trim_start_matches("#/components/schemas/")
                .to_owned();
            found.push((at, name, example.clone()));
        }
    };
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(media) = op.pointer("/requestBody/content/application~1json") {
                visit(format!("{method} {path} request"), media);
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if let Some(media) = response.pointer("/content/application~1json") {
                    visit(format!("{method} {path} {status}"), media);
                }
            }
        }
    }
    for (name, response) in spec["components"]["responses"].as_object().unwrap() {
        if let Some(media) = response.pointer("/content/application~1json") {
            visit(format!("response {name}"), media);
        }
    }
    found
}

#[test]
fn every_example_of_the_spec_round_trips_through_its_generated_type() {
    let spec = published_spec();
    let examples = media_examples(&spec);
    assert!(
        examples.len() >= 15,
        "found only {} examples",
        examples.len()
    );
    for (at, name, example) in examples {
        // Optional nullable fields are three-state: an explicit null (as clients send
        // `"action": null` on update) is written back as null, not dropped.
        assert_eq!(round_trip_as(&name, &example), example, "{at} ({name})");
    }
}
