//! The generated Petstore types read and write the JSON the Petstore API exchanges.

use petstore_consumer::api::{Error, Pet, Pets};
use serde_json::json;

#[test]
fn a_pet_list_deserializes_with_and_without_optional_fields() {
    let body = r#"[
        {"id": 1, "name": "Rex", "tag": "dog"},
        {"id": 9007199254740993, "name": "Tom"}
    ]"#;
    let pets: Pets = serde_json::from_str(body).unwrap();
    assert_eq!(
        pets,
        vec![
            Pet {
                id: 1,
                name: "Rex".to_owned(),
                tag: Some("dog".to_owned()),
            },
            Pet {
                id: 9_007_199_254_740_993,
                name: "Tom".to_owned(),
                tag: None,
            },
        ]
    );
}

#[test]
fn a_pet_without_a_tag_serializes_without_the_field() {
    let pet = Pet {
        id: 7,
        name: "Nemo".to_owned(),
        tag: None,
    };
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        json!({"id": 7, "name": "Nemo"})
    );
}

#[test]
fn required_fields_are_required() {
    let missing_name = serde_json::from_value::<Pet>(json!({"id": 1}));
    assert!(
        missing_name
            .unwrap_err()
            .to_string()
            .contains("missing field `name`")
    );
}

#[test]
fn an_error_body_round_trips() {
    let body = json!({"code": 404, "message": "no such pet"});
    let error: Error = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(error.code, 404);
    assert_eq!(error.message, "no such pet");
    assert_eq!(serde_json::to_value(&error).unwrap(), body);
}
