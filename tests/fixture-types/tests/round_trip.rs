//! JSON through the types generated from the fixture specs: what is read is what is written.

mod common;

use fixture_types::{
    arrays, cyclic_ref, maps, names, nullable_openapi30, nullable_openapi31, recursive,
    string_enums,
};
use serde_json::{Value, json};

use common::round_trip;

#[test]
fn nullable_fields_are_written_as_null_and_absent_optional_fields_stay_absent() {
    let server: nullable_openapi30::Server = round_trip(json!({
        "id": "s1",
        "name": null,
        "flavor": "small",
        "image": null,
        "tags": null
    }));
    assert_eq!(server.name, None);
    assert_eq!(server.host, None);

    let volume: nullable_openapi31::Volume = round_trip(json!({
        "id": "v1",
        "size": null,
        "attached_to": { "server_id": "s1" },
        "bootable": null,
        "metadata": { "k": "v" },
        "snapshot": null,
        "snapshot_alias": null,
        "labels": ["a", null]
    }));
    assert_eq!(volume.labels, Some(Some(vec![Some("a".to_owned()), None])));
    assert!(volume.snapshot_alias.is_none());
}

#[test]
fn a_required_nullable_field_read_absent_is_written_as_null() {
    // serde reads a missing `Option` as `None`; the writer still always sends the key.
    let server: nullable_openapi30::Server = serde_json::from_value(json!({
        "id": "s1", "flavor": "small", "image": null, "tags": null
    }))
    .expect("a lenient read");
    assert_eq!(serde_json::to_value(&server).unwrap()["name"], Value::Null);
}

#[test]
fn unknown_fields_are_accepted() {
    let server: nullable_openapi30::Server = serde_json::from_value(json!({
        "id": "s1", "name": "n", "flavor": "large", "image": { "id": "i" }, "tags": [],
        "not_in_the_spec": { "nested": true }
    }))
    .expect("unknown fields are ignored");
    assert_eq!(server.flavor, nullable_openapi30::Flavor::Large);
}

#[test]
fn enum_values_that_are_not_identifiers_round_trip() {
    use string_enums::MediaType;
    for (variant, wire) in [
        (MediaType::ApplicationJson, "application/json"),
        (MediaType::TextPlainCharsetUtf8, "text/plain; charset=utf-8"),
        (MediaType::V1, "1"),
        (MediaType::Empty, ""),
        (MediaType::AB, "a-b"),
        (MediaType::AB2, "a_b"),
        (MediaType::Self_, "Self"),
        (MediaType::Type, "type"),
        (MediaType::U00fcNU00efCode, "ünïcode"),
        (
            MediaType::WithQuotesAndBackslash,
            r#"with "quotes" and \ backslash"#,
        ),
    ] {
        assert_eq!(round_trip::<MediaType>(json!(wire)), variant);
        assert_eq!(variant.as_str(), wire);
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(MediaType::ALL.len(), 10);
    assert!(serde_json::from_value::<MediaType>(json!("application/xml")).is_err());

    let task: string_enums::Task = round_trip(json!({ "state": "running", "level": null }));
    assert_eq!(task.state, string_enums::TaskState::Running);
    assert_eq!(task.level, None);
}

#[test]
fn keywords_and_colliding_names_keep_their_wire_names() {
    let input = json!({
        "type": "t", "self": "s", "Self": "S", "fooBar": "1", "foo_bar": "2", "FooBar": "3",
        "1st": "first", "x-y": "xy", "ünïcode": "u", "": "empty", "additional_properties": "a"
    });
    let value: names::Type = round_trip(input);
    assert_eq!(value.r#type.as_deref(), Some("t"));
    assert_eq!(value.self_2.as_deref(), Some("S"));
    assert_eq!(value.foo_bar_3.as_deref(), Some("3"));
    assert_eq!(value.field.as_deref(), Some("empty"));
}

#[test]
fn recursive_types_nest() {
    let tree: recursive::TreeNode = round_trip(json!({
        "name": "root",
        "children": [{ "name": "leaf", "children": [] }],
        "parent": { "name": "up", "children": [] },
        "by_name": { "x": { "name": "x", "children": [] } }
    }));
    assert_eq!(tree.parent.map(|p| p.name).as_deref(), Some("up"));

    let list: cyclic_ref::ListNode = round_trip(json!({
        "value": 1, "next": { "value": 2, "next": null }
    }));
    assert_eq!(list.next.and_then(|n| n.next), None);

    let a: cyclic_ref::A = round_trip(json!({ "b": { "c": { "a": { "b": {} } } } }));
    assert!(a.b.is_some());
}

#[test]
fn maps_and_flattened_extra_properties() {
    let metadata: maps::Metadata = round_trip(json!({ "name": "n", "color": "red", "size": "L" }));
    assert_eq!(metadata.additional_properties.len(), 2);
    assert_eq!(metadata.additional_properties["color"], "red");

    let settings: maps::Settings = round_trip(json!({
        "any_true": { "x": [1, { "y": null }] },
        "counts": { "a": 1, "b": -2 },
        "limits": { "cpu": { "max": 4 } },
        "nullable_values": { "k": null }
    }));
    assert_eq!(settings.limits.map(|l| l["cpu"].max), Some(4));
}

#[test]
fn arrays_of_objects_and_nested_arrays() {
    let inventory: arrays::Inventory = round_trip(json!({
        "names": ["a"],
        "items": [{ "sku": "x", "count": 2 }],
        "grid": [[1.5, 2.0]],
        "groups": [[{ "label": "l" }]],
        "maybe_tags": [null, { "label": "m" }]
    }));
    assert_eq!(inventory.items[0].sku, "x");
}
