//! Types reached through `$ref`s into other files and into any part of the document read and
//! write the JSON their schemas describe.

mod common;

use fixture_types::{external_refs, refs_anywhere};
use serde_json::json;

use common::round_trip;

#[test]
fn types_from_other_files_round_trip_and_keep_their_rules() {
    let order: external_refs::Order = round_trip(json!({
        "thing": { "id": "t1", "price": { "amount": "9.50", "currency": "EUR" }, "status": "done" },
        "error": { "code": 7 }
    }));
    assert_eq!(order.thing.status, Some(external_refs::Status::Done));
    // `Thing.id` is required in common.yaml; `Status` is an enum there.
    assert!(serde_json::from_value::<external_refs::Thing>(json!({})).is_err());
    assert!(
        serde_json::from_value::<external_refs::Thing>(json!({"id": "t", "status": "lost"}))
            .is_err()
    );
    // The spec's own `Error` and the other file's are different types.
    let _: external_refs::Error = round_trip(json!({ "reason": "r" }));
    let _: external_refs::Error2 = round_trip(json!({ "code": 1 }));
}

#[test]
fn types_reached_through_refs_anywhere_round_trip() {
    let page: refs_anywhere::Page = round_trip(json!({
        "limit": 5,
        "first_owner": { "email": "a@b.c" },
        "listing": { "items": [{ "name": "Rex" }], "next": "n" },
        "error": { "message": "gone" }
    }));
    assert_eq!(page.limit, Some(5));
    assert!(
        serde_json::from_value::<refs_anywhere::NotFound>(json!({})).is_err(),
        "`message` is required in the response's schema"
    );
}
