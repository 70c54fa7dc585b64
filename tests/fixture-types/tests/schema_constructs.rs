//! JSON through the types of composition, unions, non-string enums, three-state fields, open
//! enums and 3.1 keywords: what is read is what is written, and what the schema rejects, the
//! types reject.

mod common;

use fixture_types::{
    all_of, colliding_names, discriminator, open_enums, openapi31_keywords, three_state,
    untagged_unions, value_enums,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use common::round_trip;

fn rejects<T: DeserializeOwned + std::fmt::Debug>(input: Value) {
    let result = serde_json::from_value::<T>(input.clone());
    assert!(result.is_err(), "{input} was accepted as {result:?}");
}

#[test]
fn all_of_members_merge_into_one_struct() {
    let server: all_of::Server = round_trip(json!({
        "id": "s1", "created_at": "2024-01-01", "name": "web",
        "status": "active", "metadata": { "k": "v" }
    }));
    assert_eq!(server.status, Some(all_of::ServerStatus::Active));
    // `created_at` is optional in the base and required by a member that only adds `required`.
    assert_eq!(server.created_at, "2024-01-01");
    // A required field of a $ref'd base, and of a base two levels down.
    rejects::<all_of::Server>(json!({ "created_at": "t", "name": "web" }));
    rejects::<all_of::Named>(json!({ "id": "n1" }));

    let narrowed: all_of::Narrowed = round_trip(json!({ "id": "a" }));
    assert_eq!(narrowed.id, all_of::NarrowedId::A);
    rejects::<all_of::Narrowed>(json!({ "id": "c" }));

    let renamed: all_of::Renamed = round_trip(json!({ "id": "r" }));
    assert_eq!(renamed.id, "r");
}

#[test]
fn a_single_member_all_of_with_siblings_is_the_member_type() {
    let holder: all_of::Holder = round_trip(json!({ "server": null }));
    assert_eq!(holder.server, Some(None));
    let holder: all_of::Holder = round_trip(json!({}));
    assert_eq!(holder.server, None);
}

#[test]
fn a_discriminator_selects_the_variant_and_is_written_back() {
    let pet: discriminator::Pet =
        round_trip(json!({ "pet_type": "dog", "name": "Rex", "barks": true }));
    assert!(matches!(&pet, discriminator::Pet::Dog(dog) if dog.barks && dog.name == "Rex"));
    let pet: discriminator::Pet = round_trip(json!({ "pet_type": "cat", "name": "Tom" }));
    assert!(matches!(pet, discriminator::Pet::Cat(_)));
    // The tag is written first, by serde, exactly once.
    let written = serde_json::to_string(&discriminator::Pet::Cat(discriminator::Cat {
        name: "Tom".to_owned(),
        lives: Some(9),
    }))
    .unwrap();
    assert_eq!(written, r#"{"pet_type":"cat","name":"Tom","lives":9}"#);

    rejects::<discriminator::Pet>(json!({ "pet_type": "bird", "name": "Tweety" }));
    rejects::<discriminator::Pet>(json!({ "name": "no tag" }));
    // A required field of the allOf base under the variant.
    rejects::<discriminator::Pet>(json!({ "pet_type": "dog", "barks": true }));
}

#[test]
fn discriminator_mappings_to_bare_names_and_no_mapping() {
    let shape: discriminator::Shape = round_trip(json!({ "kind": "square", "side": 2.0 }));
    assert!(matches!(shape, discriminator::Shape::Square(_)));
    rejects::<discriminator::Shape>(json!({ "kind": "Square", "side": 2.0 }));

    let event: discriminator::Event = round_trip(json!({ "type": "Created", "id": "e1" }));
    assert!(matches!(event, discriminator::Event::Created(_)));
    let event: discriminator::Event = round_trip(json!({ "type": "failed", "reason": "r" }));
    assert!(matches!(event, discriminator::Event::Failed(_)));
}

#[test]
fn a_union_beside_all_of_properties_is_flattened() {
    use all_of::{Delay, DelayOneOf};
    let delay: Delay =
        round_trip(json!({ "type": "uniform", "lower": 1, "upper": 5, "fixed": 2.5 }));
    assert!(matches!(delay.one_of, DelayOneOf::Uniform(ref u) if u.lower == 1 && u.upper == 5));
    assert_eq!(delay.fixed, 2.5);
    let delay: Delay = round_trip(json!({ "type": "lognormal", "median": 3, "fixed": 0.0 }));
    assert!(matches!(delay.one_of, DelayOneOf::LogNormal(_)));
    // The member's required fields, and the struct's own.
    rejects::<Delay>(json!({ "type": "uniform", "lower": 1, "fixed": 2.5 }));
    rejects::<Delay>(json!({ "type": "lognormal", "median": 3 }));

    // Members that only list `required` add no field.
    let firewall: all_of::Firewall = round_trip(json!({ "id": "f", "inbound": "22" }));
    assert_eq!(firewall.inbound.as_deref(), Some("22"));
}

#[test]
fn a_discriminator_that_cannot_tag_every_member_is_a_hint() {
    use discriminator::{Content, File, Outline};
    // An array member: the union is untagged, and each object keeps its own `type`.
    let listing = json!([{ "type": "file", "path": "a", "size": 1 }]);
    assert!(
        matches!(round_trip::<Content>(listing), Content::Directory(files) if files.len() == 1)
    );
    let file = round_trip::<Content>(json!({ "type": "file", "path": "a", "size": 1 }));
    assert!(matches!(&file, Content::File(File { size: 1, .. })));
    let link = json!({ "type": "symlink", "path": "a", "target": "b" });
    assert!(matches!(round_trip::<Content>(link), Content::Symlink(_)));
    rejects::<Content>(json!({ "type": "socket", "path": "a", "target": "b" }));
    rejects::<Content>(json!({ "type": "file", "path": "a" }));

    // Inline members with no tag value are told apart by their required properties.
    assert!(matches!(
        round_trip::<Outline>(json!({ "side": 2.0 })),
        Outline::Variant2(_)
    ));
    rejects::<Outline>(json!({ "kind": "circle" }));

    // Members the mapping does not name: told apart by their own tag enums.
    use discriminator::Action;
    let snapshot = json!({ "type": "snapshot", "name": "nightly" });
    assert!(matches!(
        round_trip::<Action>(snapshot),
        Action::Snapshot(_)
    ));
    assert!(matches!(
        round_trip::<Action>(json!({ "type": "power_on" })),
        Action::Power(_)
    ));
    rejects::<Action>(json!({ "type": "reboot" }));
}

#[test]
fn untagged_unions_pick_the_right_member() {
    use untagged_unions::{Amount, Contact, Template};
    assert!(matches!(
        round_trip::<Template>(json!("heat_template_version: 2018-08-31")),
        Template::String(_)
    ));
    assert!(matches!(
        round_trip::<Template>(json!({ "resources": {} })),
        Template::Object(_)
    ));

    // Integer before number: 3 stays 3, not 3.0.
    assert!(matches!(round_trip::<Amount>(json!(3)), Amount::Integer(3)));
    assert!(matches!(
        round_trip::<Amount>(json!(2.5)),
        Amount::Number(_)
    ));
    assert_eq!(round_trip::<Option<Amount>>(json!(null)), None);

    // Stricter objects first: a phone also has what an email needs? No, but a postal address
    // is tried before both, and each needs its required fields.
    assert!(matches!(
        round_trip::<Contact>(json!({ "number": "1", "country_code": 44 })),
        Contact::Phone(_)
    ));
    assert!(matches!(
        round_trip::<Contact>(json!({ "address": "a@b.c" })),
        Contact::Email(_)
    ));
    assert!(matches!(
        round_trip::<Contact>(json!({ "street": "s", "city": "c", "country": "x" })),
        Contact::Postal(_)
    ));
    rejects::<Contact>(json!({ "city": "c" }));
    rejects::<Contact>(json!(7));
}

#[test]
fn recursive_and_nullable_unions() {
    use untagged_unions::Expression;
    let tree: Expression = round_trip(json!({
        "op": "add", "left": 1, "right": { "op": "mul", "left": [2, 3], "right": 4 }
    }));
    assert!(matches!(tree, Expression::Variant2(_)));

    let setting: untagged_unions::Setting = round_trip(json!({ "value": null }));
    assert_eq!(setting.value, None);
    let setting: untagged_unions::Setting = round_trip(json!({ "value": "auto" }));
    assert!(setting.value.is_some());
    round_trip::<untagged_unions::Setting>(json!({ "value": false }));
    rejects::<untagged_unions::Setting>(json!({ "value": "manual" }));
}

#[test]
fn enums_of_every_json_type_are_written_as_their_values() {
    use value_enums::{Answer, Flag, MaybeLevel, Mixed, Priority, Ratio, Version};
    assert_eq!(round_trip::<Priority>(json!(2)), Priority::V2);
    assert_eq!(round_trip::<Priority>(json!(-1)), Priority::Minus1);
    assert_eq!(serde_json::to_string(&Priority::V3).unwrap(), "3");
    rejects::<Priority>(json!(4));
    rejects::<Priority>(json!("2"));

    assert_eq!(round_trip::<Ratio>(json!(1.5)), Ratio::V1_5);
    rejects::<Ratio>(json!(1.0));
    assert_eq!(round_trip::<Flag>(json!(true)), Flag::True);
    rejects::<Flag>(json!(false));
    assert_eq!(round_trip::<Mixed>(json!("auto")), Mixed::Auto);
    assert_eq!(round_trip::<Mixed>(json!(0)), Mixed::V0);
    assert_eq!(round_trip::<Mixed>(json!(false)), Mixed::False);
    assert_eq!(round_trip::<Option<MaybeLevel>>(json!(null)), None);
    assert_eq!(round_trip::<Answer>(json!(42)), Answer::V42);
    assert_eq!(round_trip::<Version>(json!("v2")), Version::V2);
    rejects::<Version>(json!("v1"));

    let job: value_enums::Job =
        round_trip(json!({ "priority": 1, "version": "v2", "level": null, "kind": "job" }));
    assert_eq!(job.level, Some(None));
    rejects::<value_enums::Job>(json!({ "priority": 9, "version": "v2" }));
}

#[test]
fn optional_nullable_fields_keep_absent_null_and_a_value_apart() {
    use three_state::DeploymentUpdate;
    let absent: DeploymentUpdate = round_trip(json!({ "config_id": null }));
    assert_eq!(absent.action, None);
    let null: DeploymentUpdate = round_trip(json!({ "config_id": null, "action": null }));
    assert_eq!(null.action, Some(None));
    let value: DeploymentUpdate = round_trip(json!({ "config_id": "c", "action": "UPDATE" }));
    assert_eq!(value.action, Some(Some("UPDATE".to_owned())));
    round_trip::<DeploymentUpdate>(json!({ "config_id": "c", "input_values": null }));
    // Optional, not nullable: null is not a value.
    rejects::<DeploymentUpdate>(json!({ "config_id": "c", "status": 1 }));
}

#[test]
fn open_enums_keep_unknown_values() {
    use open_enums::{Server, Status};
    let known: Server = round_trip(json!({ "status": "active" }));
    assert_eq!(known.status, Status::Active);
    // A listed value called "other" does not take the catch-all's name.
    assert_eq!(round_trip::<Status>(json!("other")), Status::Other);
    let unknown: Server = round_trip(json!({ "status": "migrating" }));
    assert_eq!(unknown.status, Status::Other2("migrating".to_owned()));
    assert_eq!(unknown.status.as_str(), "migrating");
}

#[test]
fn openapi_31_keywords() {
    use openapi31_keywords::{
        Extra, Headers, Labelled, MaybeStringOrNumber, Point, StringOrInteger,
    };
    assert!(matches!(
        round_trip::<StringOrInteger>(json!(7)),
        StringOrInteger::Integer(7)
    ));
    assert!(matches!(
        round_trip::<StringOrInteger>(json!("7")),
        StringOrInteger::String(_)
    ));
    rejects::<StringOrInteger>(json!(true));
    assert_eq!(round_trip::<Option<MaybeStringOrNumber>>(json!(null)), None);

    let point: Point = round_trip(json!([1.0, 2.5, "label"]));
    assert_eq!(point.2, "label");
    rejects::<Point>(json!([1.0, 2.5]));
    rejects::<Point>(json!([1.0, 2.5, "label", 4]));

    let labelled: Labelled = round_trip(json!({ "id": 1, "label": "l" }));
    assert_eq!(labelled.id, 1);
    rejects::<Labelled>(json!({ "label": "l" }));

    let headers: Headers = round_trip(json!({ "x-a": "1" }));
    assert_eq!(headers["x-a"], "1");
    let extra: Extra = round_trip(json!({ "name": "n", "count": 2 }));
    assert_eq!(extra.additional_properties["count"], 2);

    let conditional: openapi31_keywords::Conditional = round_trip(json!({ "country": "US" }));
    assert_eq!(conditional.country.as_deref(), Some("US"));
    round_trip::<openapi31_keywords::NotAString>(json!(5));

    // `legacy: false` leaves no field; `anything: true` holds any value.
    let sealed: openapi31_keywords::Sealed = round_trip(json!({ "name": "n", "anything": [1] }));
    assert_eq!(sealed.anything, Some(json!([1])));
    let sealed: openapi31_keywords::Sealed =
        serde_json::from_value(json!({ "name": "n", "legacy": 1 })).unwrap();
    assert_eq!(
        serde_json::to_value(sealed).unwrap(),
        json!({ "name": "n" })
    );
}

#[test]
fn schemas_named_like_std_types_do_not_shadow_them() {
    let value: colliding_names::Self_ = round_trip(json!({
        "self": { "result": "ok", "value": 3 }, "result": "err"
    }));
    assert_eq!(value.result, Some(colliding_names::Result_::Err));
    let boxed: colliding_names::Box_ = round_trip(json!({ "contents": [{ "value": "v" }] }));
    assert_eq!(boxed.contents.map(|c| c.len()), Some(1));
    // Keys that case to the same name: the first in the document keeps it.
    let owners: (
        colliding_names::PetOwner,
        colliding_names::PetOwner2,
        colliding_names::PetOwner3,
    ) = ("a".to_owned(), 1, true);
    assert_eq!(owners.1, 1);
}
