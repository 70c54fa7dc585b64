//! Schemas to types: components, `type`, objects, arrays, primitives and enums.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Docs, Enum, Field, Presence, RustType, Struct, TypeDef, TypeKind, Variant};
use crate::load::kind_of;
use crate::naming::{self, Scope};

use super::references::{child, referenced_component};
use super::{NameHint, Resolved, Resolver, docs_of, docs_of_value, expect_object};

/// Schema keywords that change what data is valid in ways a Rust type cannot follow.
pub(super) const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "not",
    "patternProperties",
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "const",
    "$dynamicRef",
    "$recursiveRef",
    "discriminator",
];

impl<'a> Resolver<'a> {
    pub(super) fn name_components(&mut self, schemas: &Map<String, Value>) -> Result<()> {
        let mut owner_of: BTreeMap<String, &str> = BTreeMap::new();
        for (key, schema) in schemas {
            let name = naming::type_name(key);
            if let Some(first) = owner_of.get(&name) {
                return Err(Error::at(
                    ErrorKind::NameCollision,
                    &child("/components/schemas", key),
                    format!(
                        "schemas {first:?} and {key:?} would both be the Rust type `{name}`; rename one of them"
                    ),
                ));
            }
            self.type_names.reserve(&name);
            owner_of.insert(name.clone(), key);
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
        hint: NameHint,
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
            return self.schema_ref(reference, &child(pointer, "$ref"));
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
        let explicitly_nullable = schema.get("nullable") == Some(&Value::Bool(true));
        for combinator in ["oneOf", "anyOf", "allOf"] {
            if let Some(branches) = schema.get(combinator) {
                let mut resolved =
                    self.combinator(combinator, branches, &child(pointer, combinator), hint)?;
                resolved.nullable |= explicitly_nullable || type_admits_null(schema);
                return Ok(resolved);
            }
        }

        let (types, null_in_type) = self.types_of(schema, pointer)?;
        let nullable = explicitly_nullable || null_in_type;
        if let Some(values) = schema.get("enum") {
            let (ty, null_in_enum) = self.define_enum(schema, values, pointer, hint)?;
            return Ok(Resolved {
                ty,
                nullable: nullable || null_in_enum,
            });
        }
        let ty = match types.as_slice() {
            [] if schema.contains_key("properties") => self.object(schema, pointer, hint)?,
            [] if schema.contains_key("items") => self.array(schema, pointer, hint)?,
            [] if schema.contains_key("additionalProperties") => {
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
            ["null"] => {
                return Ok(Resolved {
                    ty: RustType::Any,
                    nullable: true,
                });
            }
            [_, ..] => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &child(pointer, "type"),
                    format!(
                        "a schema with several types ({}) is not supported; only one type, optionally with \"null\"",
                        types.join(", ")
                    ),
                ));
            }
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

    pub(super) fn define_enum(
        &mut self,
        schema: &Map<String, Value>,
        values: &Value,
        pointer: &str,
        hint: NameHint,
    ) -> Result<(RustType, bool)> {
        let at = child(pointer, "enum");
        let Some(values) = values.as_array() else {
            return Err(Error::at(
                ErrorKind::Invalid,
                &at,
                "`enum` must be an array",
            ));
        };
        let mut variants = Vec::new();
        let mut scope = Scope::default();
        let mut seen = BTreeSet::new();
        let mut nullable = false;
        for (index, value) in values.iter().enumerate() {
            let wire_value = match value {
                Value::String(s) => s.clone(),
                Value::Null => {
                    nullable = true;
                    continue;
                }
                other => {
                    return Err(Error::at(
                        ErrorKind::Unsupported,
                        &child(&at, &index.to_string()),
                        format!("only string enums are supported, found {}", kind_of(other)),
                    ));
                }
            };
            if !seen.insert(wire_value.clone()) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, &index.to_string()),
                    format!("the enum value {wire_value:?} is listed twice"),
                ));
            }
            variants.push(Variant {
                name: scope.claim(&naming::variant_name(&wire_value)),
                wire_value,
            });
        }
        if variants.is_empty() {
            return Err(Error::at(
                ErrorKind::Invalid,
                &at,
                "`enum` lists no string value",
            ));
        }
        let name = self.claim(hint);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                origin: pointer.to_owned(),
                docs: docs_of(schema),
                kind: TypeKind::Enum(Enum { variants }),
            },
        );
        Ok((RustType::Named(name), nullable))
    }

    pub(super) fn array(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: NameHint,
    ) -> Result<RustType> {
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

    pub(super) fn object(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: NameHint,
    ) -> Result<RustType> {
        let extra = match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => None,
            Some(Value::Object(map)) if map.is_empty() => None,
            Some(value) => {
                let resolved = self.type_of(
                    value,
                    &child(pointer, "additionalProperties"),
                    hint.nested("value"),
                )?;
                Some(optional(resolved))
            }
        };
        let properties = match schema.get("properties") {
            None => None,
            Some(value) => Some(expect_object(value, &child(pointer, "properties"))?),
        };
        match (properties, extra) {
            (Some(properties), extra) if !properties.is_empty() => {
                self.define_struct(schema, properties, extra, pointer, hint)
            }
            (_, Some(value)) => Ok(RustType::Map(Box::new(value))),
            (_, None) => Ok(RustType::Object),
        }
    }

    pub(super) fn define_struct(
        &mut self,
        schema: &Map<String, Value>,
        properties: &Map<String, Value>,
        extra: Option<RustType>,
        pointer: &str,
        hint: NameHint,
    ) -> Result<RustType> {
        let name = self.claim(hint);
        let required = self.required_of(schema, pointer)?;
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire_name, property) in properties {
            let at = child(&child(pointer, "properties"), wire_name);
            let field_hint = NameHint::Inline(naming::nested_type_name(&name, wire_name));
            let resolved = self.type_of(property, &at, field_hint)?;
            let presence = match (required.contains(wire_name.as_str()), resolved.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, _) => Presence::Optional,
            };
            let ty = match presence {
                Presence::Required => resolved.ty,
                _ => RustType::Option(Box::new(resolved.ty)),
            };
            fields.push(Field {
                name: scope.claim(&naming::field_name(wire_name)),
                wire_name: wire_name.clone(),
                docs: docs_of_value(property),
                ty,
                presence,
                flatten: false,
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
        let all_optional = fields
            .iter()
            .all(|field| field.flatten || field.presence == Presence::Optional);
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                origin: pointer.to_owned(),
                docs: docs_of(schema),
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
