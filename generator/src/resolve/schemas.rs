//! Schemas to types: components, `type`, objects, arrays, primitives and enums.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{
    Docs, Enum, Field, Presence, RustType, Struct, TypeDef, TypeKind, ValueEnum, ValueVariant,
    Variant,
};
use crate::load::kind_of;
use crate::naming::{self, Scope};

use super::references::{child, referenced_component};
use super::{NameHint, Resolved, Resolver, docs_of, docs_of_value, expect_object};

/// Schema keywords whose meaning a Rust type cannot follow. Keywords that only constrain
/// (`not`, `if`/`then`/`else`, `dependentSchemas`, `contains`) are not here: the type follows
/// the other keywords, and is looser than the schema.
pub(super) const UNSUPPORTED_KEYWORDS: &[&str] = &["$dynamicRef", "$recursiveRef"];

/// Keywords that make a schema more than annotations: with none of them, a schema accepts any
/// value.
/// What a struct holds beside its properties, as `#[serde(flatten)]` fields.
pub(super) struct Flattened<'u> {
    /// The value type of `additionalProperties`.
    pub(super) extra: Option<RustType>,
    /// `oneOf`/`anyOf` of objects (from `allOf` members), with their pointers.
    pub(super) unions: &'u [(Value, String)],
}

pub(super) const STRUCTURAL_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
];

/// A property as one or more schemas declare it (several members of an `allOf` may).
pub(super) struct PropertyDecl<'v> {
    pub(super) wire_name: String,
    /// Each declaration, with its pointer.
    pub(super) schemas: Vec<(&'v Value, String)>,
}

impl<'a> Resolver<'a> {
    pub(super) fn name_components(&mut self, schemas: &Map<String, Value>) -> Result<()> {
        // Names are claimed in key order: of keys that case to the same name, the first keeps
        // it and the others get the suffixes 2, 3, ... Every exact name is reserved first, so a
        // suffixed name never takes the name of another component.
        let exact: Vec<String> = schemas.keys().map(|key| naming::type_name(key)).collect();
        let mut first_owner = BTreeSet::new();
        let mut first_keys = BTreeSet::new();
        for (key, name) in schemas.keys().zip(&exact) {
            if first_owner.insert(name.clone()) {
                self.type_names.reserve(name);
                first_keys.insert(key.clone());
            }
        }
        for ((key, schema), name) in schemas.iter().zip(exact) {
            let name = if first_keys.contains(key) {
                name
            } else {
                self.type_names.claim(&name)
            };
            if is_nullable_schema(schema) {
                self.nullable_components.insert(key.clone());
            }
            self.components.insert(key.clone(), name);
        }
        // A component that only refers to a nullable one admits null as well.
        loop {
            let newly: Vec<String> = schemas
                .iter()
                .filter(|(key, _)| !self.nullable_components.contains(*key))
                .filter(|(_, schema)| {
                    referenced_component(schema)
                        .is_some_and(|target| self.nullable_components.contains(&target))
                })
                .map(|(key, _)| key.clone())
                .collect();
            if newly.is_empty() {
                break;
            }
            self.nullable_components.extend(newly);
        }
        Ok(())
    }

    pub(super) fn define_component(&mut self, key: &str, schema: &Value) -> Result<()> {
        let name = self.components[key].clone();
        let pointer = child("/components/schemas", key);
        let resolved = self.type_of(schema, &pointer, NameHint::Exact(name.clone()))?;
        if !self.types.contains_key(&name) {
            // Not an object or enum: the component is another name for its type.
            let target = resolved.ty;
            self.types.insert(
                name.clone(),
                TypeDef {
                    name,
                    origin: pointer,
                    docs: docs_of_value(schema),
                    kind: TypeKind::Alias { target },
                },
            );
        }
        Ok(())
    }

    /// The type of `schema` at `pointer`; objects and enums are defined as named types. Called
    /// through [`Resolver::type_of`], which records an error and goes on.
    pub(super) fn schema_type(
        &mut self,
        schema: &Value,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        let schema = match schema {
            Value::Object(map) => map,
            Value::Bool(true) => {
                return Ok(Resolved {
                    ty: RustType::Any,
                    nullable: false,
                });
            }
            other => {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    pointer,
                    format!("a schema must be an object, found {}", kind_of(other)),
                ));
            }
        };
        if let Some(reference) = schema.get("$ref") {
            // 3.1: `$ref` next to keywords that shape the value is an `allOf` of both; next to
            // annotations (`description`, ...) it is the referenced type.
            if !schema.keys().any(|key| {
                key != "$ref" && key != "allOf" && STRUCTURAL_KEYWORDS.contains(&key.as_str())
            }) && !schema.contains_key("allOf")
            {
                return self.schema_ref(reference, &child(pointer, "$ref"));
            }
            return self.all_of(schema, pointer, hint);
        }
        // The schema's few keys against the list: a lookup per listed keyword would hash each.
        if let Some(keyword) = UNSUPPORTED_KEYWORDS
            .iter()
            .find(|keyword| schema.keys().any(|key| key == *keyword))
        {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &child(pointer, keyword),
                format!("the schema keyword `{keyword}` is not supported"),
            ));
        }
        let explicitly_nullable =
            schema.get("nullable") == Some(&Value::Bool(true)) || type_admits_null(schema);
        for combinator in ["oneOf", "anyOf"] {
            if schema.contains_key(combinator)
                && let Some(mut resolved) = self.union(schema, combinator, pointer, hint.clone())?
            {
                resolved.nullable |= explicitly_nullable;
                return Ok(resolved);
            }
        }
        if schema.contains_key("allOf") {
            let mut resolved = self.all_of(schema, pointer, hint)?;
            resolved.nullable |= explicitly_nullable;
            return Ok(resolved);
        }

        let (types, null_in_type) = self.types_of(schema, pointer)?;
        let nullable = explicitly_nullable || null_in_type;
        let single_value;
        let values = match (schema.get("enum"), schema.get("const")) {
            (Some(values), _) => Some((values, child(pointer, "enum"))),
            (None, Some(value)) => {
                single_value = Value::Array(vec![value.clone()]);
                Some((&single_value, child(pointer, "const")))
            }
            (None, None) => None,
        };
        if let Some((values, at)) = values {
            let (ty, null_in_enum) = self.define_enum(schema, values, &at, pointer, hint)?;
            return Ok(Resolved {
                ty,
                nullable: nullable || null_in_enum,
            });
        }
        let ty = match types.as_slice() {
            [] if schema.contains_key("prefixItems") || schema.contains_key("items") => {
                self.array(schema, pointer, hint)?
            }
            [] if [
                "properties",
                "additionalProperties",
                "patternProperties",
                "unevaluatedProperties",
            ]
            .iter()
            .any(|key| schema.contains_key(*key)) =>
            {
                self.object(schema, pointer, hint)?
            }
            [] => RustType::Any,
            ["string"] => RustType::String,
            ["boolean"] => RustType::Bool,
            ["integer"] => integer_type(schema),
            ["number"] => match schema.get("format").and_then(Value::as_str) {
                Some("float") => RustType::F32,
                _ => RustType::F64,
            },
            ["array"] => self.array(schema, pointer, hint)?,
            ["object"] => self.object(schema, pointer, hint)?,
            _ => self.type_list_union(schema, &types, pointer, hint)?,
        };
        Ok(Resolved { ty, nullable })
    }

    /// `type` as a list of the non-null types it names, and whether it names `"null"`.
    pub(super) fn types_of<'v>(
        &self,
        schema: &'v Map<String, Value>,
        pointer: &str,
    ) -> Result<(Vec<&'v str>, bool)> {
        const KNOWN: &[&str] = &[
            "string", "integer", "number", "boolean", "array", "object", "null",
        ];
        let names: Vec<(usize, &Value)> = match schema.get("type") {
            None => return Ok((Vec::new(), false)),
            Some(Value::Array(items)) => items.iter().enumerate().collect(),
            Some(single) => vec![(usize::MAX, single)],
        };
        let mut types = Vec::new();
        let mut null = false;
        for (index, name) in names {
            let at = if index == usize::MAX {
                child(pointer, "type")
            } else {
                child(&child(pointer, "type"), &index.to_string())
            };
            match name.as_str() {
                Some("null") => null = true,
                Some(known) if KNOWN.contains(&known) => {
                    if !types.contains(&known) {
                        types.push(known);
                    }
                }
                Some(unknown) => {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &at,
                        format!(
                            "unknown type {unknown:?}; expected one of {}",
                            KNOWN.join(", ")
                        ),
                    ));
                }
                None => {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &at,
                        format!("`type` must be a string, found {}", kind_of(name)),
                    ));
                }
            }
        }
        Ok((types, null))
    }

    /// An `enum` (or a `const`, as an enum of one value): a string enum when every value is
    /// a string, else an enum of JSON values; with an object or array among the values, any
    /// JSON value (the Rust type is looser than the schema).
    pub(super) fn define_enum(
        &mut self,
        schema: &Map<String, Value>,
        values: &Value,
        at: &str,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<(RustType, bool)> {
        let Some(values) = values.as_array() else {
            return Err(Error::at(ErrorKind::Invalid, at, "`enum` must be an array"));
        };
        let nullable = values.contains(&Value::Null);
        let mut listed: Vec<&Value> = Vec::new();
        for value in values {
            if value.is_null() {
                continue;
            }
            // A value listed twice means what listing it once does.
            if !listed.contains(&value) {
                listed.push(value);
            }
        }
        if listed.is_empty() {
            // Only `null`: nothing but null is valid.
            return Ok((RustType::Any, true));
        }
        if listed.iter().any(|v| v.is_object() || v.is_array()) {
            return Ok((RustType::Any, nullable));
        }
        let mut scope = Scope::default();
        let kind = if listed.iter().all(|v| v.is_string()) {
            let variants = listed
                .iter()
                .filter_map(|v| v.as_str())
                .map(|wire_value| Variant {
                    name: scope.claim(&naming::variant_name(wire_value)),
                    wire_value: wire_value.to_owned(),
                })
                .collect();
            TypeKind::Enum(Enum {
                variants,
                open: None,
            })
        } else {
            let variants = listed
                .iter()
                .map(|value| ValueVariant {
                    name: scope.claim(&naming::value_variant_name(value)),
                    value: (*value).clone(),
                })
                .collect();
            TypeKind::ValueEnum(ValueEnum { variants })
        };
        let name = self.claim(hint);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                origin: pointer.to_owned(),
                docs: docs_of(schema),
                kind,
            },
        );
        Ok((RustType::Named(name), nullable))
    }

    /// `items` as `Vec`; `prefixItems` (3.1) as a tuple, a fixed-length JSON array.
    pub(super) fn array(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<RustType> {
        if let Some(prefix) = schema.get("prefixItems") {
            let at = child(pointer, "prefixItems");
            let Some(prefix) = prefix.as_array() else {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &at,
                    "`prefixItems` must be an array of schemas",
                ));
            };
            let mut items = Vec::with_capacity(prefix.len());
            for (index, item) in prefix.iter().enumerate() {
                let role = format!("item {}", index + 1);
                let resolved =
                    self.type_of(item, &child(&at, &index.to_string()), hint.nested(&role))?;
                items.push(optional(resolved));
            }
            return Ok(RustType::Tuple(items));
        }
        let item = match schema.get("items") {
            None => RustType::Any,
            Some(items) => {
                let resolved =
                    self.type_of(items, &child(pointer, "items"), hint.nested("item"))?;
                optional(resolved)
            }
        };
        Ok(RustType::Vec(Box::new(item)))
    }

    /// An object: a struct when it lists properties, else a map (`additionalProperties`,
    /// `unevaluatedProperties`, or `patternProperties` with one pattern) or a free-form object.
    pub(super) fn object(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<RustType> {
        let extra = self.extra_properties(schema, pointer, &hint)?;
        let properties = match schema.get("properties") {
            None => None,
            Some(value) => Some(expect_object(value, &child(pointer, "properties"))?),
        };
        match (properties, extra) {
            (Some(properties), extra) if !properties.is_empty() => {
                let at = child(pointer, "properties");
                let declared = properties
                    .iter()
                    .map(|(wire_name, schema)| PropertyDecl {
                        wire_name: wire_name.clone(),
                        schemas: vec![(schema, child(&at, wire_name))],
                    })
                    .collect();
                let required = self
                    .required_of(schema, pointer)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                self.build_struct(
                    hint,
                    docs_of(schema),
                    pointer,
                    declared,
                    &required,
                    Flattened { extra, unions: &[] },
                )
            }
            (_, Some(value)) => Ok(RustType::Map(Box::new(value))),
            (_, None) => Ok(RustType::Object),
        }
    }

    /// The type of the properties an object does not list, if they are typed.
    pub(super) fn extra_properties(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: &NameHint<'_>,
    ) -> Result<Option<RustType>> {
        let (value, at) = match (
            schema.get("additionalProperties"),
            schema.get("unevaluatedProperties"),
            schema.get("patternProperties").and_then(Value::as_object),
        ) {
            (Some(value), _, _) => (value, child(pointer, "additionalProperties")),
            (None, Some(value), _) => (value, child(pointer, "unevaluatedProperties")),
            // One pattern: its schema types the values. Several: any value.
            (None, None, Some(patterns)) if patterns.len() == 1 => {
                let (pattern, value) = patterns.iter().next().expect("one pattern");
                (value, child(&child(pointer, "patternProperties"), pattern))
            }
            (None, None, Some(patterns)) if !patterns.is_empty() => {
                return Ok(Some(RustType::Any));
            }
            _ => return Ok(None),
        };
        match value {
            Value::Bool(_) => Ok(None),
            Value::Object(map) if map.is_empty() => Ok(None),
            value => {
                let resolved = self.type_of(value, &at, hint.nested("value"))?;
                Ok(Some(optional(resolved)))
            }
        }
    }

    /// Defines a struct of `properties`, named from `hint`.
    pub(super) fn build_struct(
        &mut self,
        hint: NameHint<'_>,
        docs: Docs,
        pointer: &str,
        properties: Vec<PropertyDecl<'_>>,
        required: &BTreeSet<String>,
        flattened: Flattened<'_>,
    ) -> Result<RustType> {
        let Flattened { extra, unions } = flattened;
        let name = self.claim(hint);
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for property in properties {
            // `false` (JSON Schema): the property is never there, so the struct has no field.
            if property
                .schemas
                .iter()
                .any(|(schema, _)| **schema == Value::Bool(false))
            {
                continue;
            }
            let wire_name = property.wire_name.as_str();
            let field_hint = NameHint::nested_in(&name, wire_name);
            let resolved = self.property_type(&property, field_hint)?;
            let presence = match (required.contains(wire_name), resolved.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let ty = match presence {
                Presence::Required => resolved.ty,
                Presence::RequiredNullable | Presence::Optional => {
                    RustType::Option(Box::new(resolved.ty))
                }
                Presence::OptionalNullable => {
                    RustType::Option(Box::new(RustType::Option(Box::new(resolved.ty))))
                }
            };
            let docs = property
                .schemas
                .iter()
                .map(|(schema, _)| docs_of_value(schema))
                .find(|docs| docs.0.is_some())
                .unwrap_or_default();
            fields.push(Field {
                name: scope.claim(&naming::field_name(wire_name)),
                wire_name: property.wire_name,
                docs,
                ty,
                presence,
                flatten: false,
            });
        }
        for (union, at) in unions {
            let role = match union.get("oneOf") {
                Some(_) => "one of",
                None => "any of",
            };
            let member_hint = NameHint::nested_in(&name, role);
            let resolved = self.type_of(union, at, member_hint)?;
            fields.push(Field {
                name: scope.claim(&naming::field_name(role)),
                wire_name: String::new(),
                docs: Docs(Some(
                    "The properties of one of the union's members.".to_owned(),
                )),
                ty: resolved.ty,
                presence: Presence::Required,
                flatten: true,
            });
        }
        if let Some(value) = extra {
            fields.push(Field {
                name: scope.claim("additional_properties"),
                wire_name: String::new(),
                docs: Docs(Some("Properties not listed above.".to_owned())),
                ty: RustType::Map(Box::new(value)),
                presence: Presence::Required,
                flatten: true,
            });
        }
        let all_optional = all_optional(&fields);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                origin: pointer.to_owned(),
                docs,
                kind: TypeKind::Struct(Struct {
                    fields,
                    all_optional,
                }),
            },
        );
        Ok(RustType::Named(name))
    }

    pub(super) fn required_of<'v>(
        &self,
        schema: &'v Map<String, Value>,
        pointer: &str,
    ) -> Result<BTreeSet<&'v str>> {
        let Some(required) = schema.get("required") else {
            return Ok(BTreeSet::new());
        };
        let at = child(pointer, "required");
        let Some(items) = required.as_array() else {
            return Err(Error::at(
                ErrorKind::Invalid,
                &at,
                "`required` must be an array of property names",
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                item.as_str().ok_or_else(|| {
                    Error::at(
                        ErrorKind::Invalid,
                        &child(&at, &index.to_string()),
                        format!(
                            "a required property name must be a string, found {}",
                            kind_of(item)
                        ),
                    )
                })
            })
            .collect()
    }
}

/// Whether every field may be left out, so the struct can derive `Default`. Of the flattened
/// fields, the additional properties (a map) may be; the members of a union beside the
/// properties may not, as the union has no default.
pub(super) fn all_optional(fields: &[Field]) -> bool {
    fields.iter().all(|field| {
        (field.flatten && matches!(field.ty, RustType::Map(_)))
            || matches!(
                field.presence,
                Presence::Optional | Presence::OptionalNullable
            )
    })
}

/// A use-site type: `Option<T>` when the schema admits null.
pub(super) fn optional(resolved: Resolved) -> RustType {
    if resolved.nullable {
        RustType::Option(Box::new(resolved.ty))
    } else {
        resolved.ty
    }
}

pub(super) fn integer_type(schema: &Map<String, Value>) -> RustType {
    match schema.get("format").and_then(Value::as_str) {
        Some("int8") => RustType::I8,
        Some("int16") => RustType::I16,
        Some("int32") => RustType::I32,
        Some("uint8") => RustType::U8,
        Some("uint16") => RustType::U16,
        Some("uint32") => RustType::U32,
        Some("uint64") => RustType::U64,
        _ => RustType::I64,
    }
}

pub(super) fn is_nullable_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let null_branch = |key: &str| {
        map.get(key)
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                branches
                    .iter()
                    .any(|b| b.get("type") == Some(&Value::String("null".into())))
            })
    };
    map.get("nullable") == Some(&Value::Bool(true))
        || type_admits_null(map)
        || null_branch("oneOf")
        || null_branch("anyOf")
        || map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null))
}

pub(super) fn type_admits_null(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::Array(types)) => types.contains(&Value::String("null".into())),
        Some(Value::String(single)) => single == "null",
        _ => false,
    }
}
