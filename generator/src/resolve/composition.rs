//! `allOf` (members merged into one struct) and what merging needs: whether two declarations of
//! a property agree, and which one refines the other. Unions are in `unions.rs`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{RustType, TypeKind};

use super::references::{child, escape, percent_decode};
use super::schemas::{Flattened, PropertyDecl, STRUCTURAL_KEYWORDS, is_nullable_schema};
use super::{NameHint, Resolved, Resolver, docs_of, expect_object};

/// What the members of an `allOf` add up to.
#[derive(Default)]
struct Merged<'v> {
    properties: Vec<PropertyDecl<'v>>,
    required: BTreeSet<String>,
    /// The first `additionalProperties` schema, with its pointer.
    extra: Option<(&'v Map<String, Value>, String)>,
    /// Members that are not objects (copied, without `allOf`), with their pointers.
    others: Vec<(Value, String)>,
}

impl<'v> Merged<'v> {
    fn declare(&mut self, wire_name: &str, schema: &'v Value, pointer: String) {
        match self
            .properties
            .iter_mut()
            .find(|p| p.wire_name == wire_name)
        {
            Some(property) => property.schemas.push((schema, pointer)),
            None => self.properties.push(PropertyDecl {
                wire_name: wire_name.to_owned(),
                schemas: vec![(schema, pointer)],
            }),
        }
    }
}

/// Whether `schema` holds only annotations (description, examples, ...): it accepts any value.
pub(super) fn annotation_only(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => !map
            .keys()
            .any(|key| STRUCTURAL_KEYWORDS.contains(&key.as_str())),
        _ => true,
    }
}

/// A schema that only constrains an object's properties (`required`, annotations): as a
/// union member it adds no shape.
fn constrains_only(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => !map
            .keys()
            .any(|key| key != "required" && STRUCTURAL_KEYWORDS.contains(&key.as_str())),
        _ => true,
    }
}

/// A `oneOf`/`anyOf` whose members are objects (or references), and that is nothing else.
fn is_object_union(schema: &Value) -> bool {
    let object_type = match schema.get("type") {
        None => true,
        Some(Value::String(t)) => t == "object",
        Some(_) => false,
    };
    let members = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .collect::<Vec<_>>();
    object_type
        && members.len() == 1
        && !["items", "prefixItems", "enum", "const"]
            .iter()
            .any(|key| schema.get(*key).is_some())
        && members[0].iter().all(|member| {
            member.get("$ref").is_some()
                || member.get("properties").is_some()
                || member.get("type").and_then(Value::as_str) == Some("object")
        })
}

/// Whether two schemas are the same but for their top-level annotations (the same keywords
/// with equal values otherwise): they accept the same. Compared in place, without copies.
fn same_shape(a: &Value, b: &Value) -> bool {
    const ANNOTATIONS: &[&str] = &[
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    ];
    let shaping = |key: &str| !ANNOTATIONS.contains(&key) && !key.starts_with("x-");
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let count = |map: &Map<String, Value>| map.keys().filter(|key| shaping(key)).count();
            count(a) == count(b)
                && a.iter()
                    .filter(|(key, _)| shaping(key))
                    .all(|(key, value)| b.get(key) == Some(value))
        }
        (a, b) => a == b,
    }
}

/// Whether `schema` accepts only `null`.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    schema.get("type") == Some(&Value::String("null".into()))
        || schema.get("enum") == Some(&Value::Array(vec![Value::Null]))
        || schema.get("const") == Some(&Value::Null)
}

impl<'a> Resolver<'a> {
    /// `allOf` (and a 3.1 `$ref` with sibling keywords): one member that shapes the value is
    /// that member's type; object members merge into one struct.
    pub(super) fn all_of(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        let branches: &[Value] = match schema.get("allOf") {
            None => &[],
            Some(Value::Array(branches)) => branches,
            Some(_) => {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(pointer, "allOf"),
                    "`allOf` must be an array of schemas",
                ));
            }
        };
        let own_shape = schema
            .keys()
            .any(|key| key != "allOf" && STRUCTURAL_KEYWORDS.contains(&key.as_str()));
        let shaping: Vec<(usize, &Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, branch)| !annotation_only(branch))
            .collect();
        if !own_shape {
            match shaping.as_slice() {
                [] => {
                    return Ok(Resolved {
                        ty: RustType::Any,
                        nullable: false,
                    });
                }
                [(index, only)] => {
                    let at = child(&child(pointer, "allOf"), &index.to_string());
                    return self.type_of(only, &at, hint);
                }
                _ => {}
            }
        }

        let mut merged = Merged::default();
        let mut seen = BTreeSet::new();
        self.merge_member(schema, pointer.to_owned(), &mut merged, &mut seen, 0)?;
        if !merged.others.is_empty() && merged.properties.is_empty() {
            // Members of one kind, e.g. a string and a string enum: the narrowest.
            let members = PropertyDecl {
                wire_name: String::new(),
                schemas: merged.others.iter().map(|(v, p)| (v, p.clone())).collect(),
            };
            return self.property_type(&members, hint);
        }
        // A union of objects next to properties: the struct holds it flattened, so the
        // properties and the chosen member's share one JSON object.
        let (unions, others): (Vec<_>, Vec<_>) = std::mem::take(&mut merged.others)
            .into_iter()
            .partition(|(other, _)| merged.extra.is_none() && is_object_union(other));
        if let Some((other, at)) = others.first() {
            return Err(Error::at(
                ErrorKind::Unsupported,
                at,
                format!(
                    "this `allOf` member is not an object ({}), so it cannot be merged with the other members into one struct",
                    describe(other)
                ),
            ));
        }
        let extra = match merged.extra {
            Some((map, at)) => {
                let mut holder = Map::new();
                if let Some(value) = map.get("additionalProperties") {
                    holder.insert("additionalProperties".to_owned(), value.clone());
                }
                self.extra_properties(&holder, &at, &hint)?
            }
            None => None,
        };
        if merged.properties.is_empty() {
            return Ok(Resolved {
                ty: match extra {
                    Some(value) => RustType::Map(Box::new(value)),
                    None => RustType::Object,
                },
                nullable: false,
            });
        }
        let ty = self.build_struct(
            hint,
            docs_of(schema),
            pointer,
            merged.properties,
            &merged.required,
            Flattened {
                extra,
                unions: &unions,
            },
        )?;
        Ok(Resolved {
            ty,
            nullable: false,
        })
    }

    /// Adds what `schema` contributes to `merged`: its `$ref` target, its `allOf` members, its
    /// properties and `required`.
    fn merge_member<'v>(
        &self,
        schema: &'v Map<String, Value>,
        pointer: String,
        merged: &mut Merged<'v>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<()>
    where
        'a: 'v,
    {
        if depth > 64 {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &pointer,
                "`allOf` nested more than 64 levels deep",
            ));
        }
        if let Some(reference) = schema.get("$ref") {
            let at = child(&pointer, "$ref");
            let target = self.local_target(reference, &at)?;
            if !seen.insert(target.clone()) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &at,
                    "this `allOf` contains itself through `$ref`",
                ));
            }
            let root: &'a Value = self.root;
            let value = super::references::lookup(root, &target)
                .ok_or_else(|| super::references::dangling(reference, &at))?;
            match value {
                Value::Object(map) => {
                    self.merge_member(map, target.clone(), merged, seen, depth + 1)?
                }
                other => merged.others.push((other.clone(), target.clone())),
            }
            seen.remove(&target);
        }
        if let Some(branches) = schema.get("allOf") {
            let at = child(&pointer, "allOf");
            let Some(branches) = branches.as_array() else {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &at,
                    "`allOf` must be an array of schemas",
                ));
            };
            for (index, branch) in branches.iter().enumerate() {
                let branch_at = child(&at, &index.to_string());
                match branch {
                    Value::Object(map) => {
                        self.merge_member(map, branch_at, merged, seen, depth + 1)?
                    }
                    Value::Bool(true) => {}
                    other => merged.others.push((other.clone(), branch_at)),
                }
            }
        }
        if let Some(properties) = schema.get("properties") {
            let at = child(&pointer, "properties");
            for (wire_name, property) in expect_object(properties, &at)? {
                merged.declare(wire_name, property, child(&at, wire_name));
            }
        }
        merged.required.extend(
            self.required_of(schema, &pointer)?
                .into_iter()
                .map(str::to_owned),
        );
        if merged.extra.is_none()
            && matches!(schema.get("additionalProperties"), Some(Value::Object(map)) if !map.is_empty())
        {
            merged.extra = Some((schema, pointer.clone()));
        }
        // A member that is not an object: a primitive, array or enum, or a union without
        // properties of its own (a union next to properties only constrains them).
        let object_like = schema.contains_key("properties")
            || schema.contains_key("additionalProperties")
            || schema.get("type") == Some(&Value::String("object".into()));
        let shapes_otherwise = ["items", "prefixItems", "enum", "const"]
            .iter()
            .any(|key| schema.contains_key(*key))
            || ["oneOf", "anyOf"].iter().any(|key| {
                schema
                    .get(*key)
                    .and_then(Value::as_array)
                    .is_some_and(|members| !members.iter().all(constrains_only))
            })
            || matches!(schema.get("type"), Some(Value::String(t)) if t != "object")
            || matches!(schema.get("type"), Some(Value::Array(_)));
        if shapes_otherwise && !object_like {
            let mut own = schema.clone();
            own.remove("allOf");
            own.remove("$ref");
            merged.others.push((Value::Object(own), pointer));
        }
        Ok(())
    }

    /// The type of a property declared once or, by several `allOf` members, more than once.
    /// Several object declarations merge like an `allOf` of them. Otherwise the declarations
    /// must agree: one type, or one that refines the others (an enum refines its primitive or
    /// a wider enum, a struct a free-form object, anything `serde_json::Value`); the rest is an
    /// error.
    pub(super) fn property_type(
        &mut self,
        property: &PropertyDecl<'_>,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        // Declarations that differ only in annotations (description, examples, ...) agree.
        let mut distinct: Vec<&(&Value, String)> = Vec::new();
        for declaration in &property.schemas {
            if !distinct
                .iter()
                .any(|seen| same_shape(seen.0, declaration.0))
            {
                distinct.push(declaration);
            }
        }
        if distinct.len() > 1 {
            distinct.retain(|(schema, _)| !annotation_only(schema));
        }
        match distinct.as_slice() {
            [] => {
                let (schema, at) = &property.schemas[0];
                return self.type_of(schema, at, hint);
            }
            [(schema, at)] => return self.type_of(schema, at, hint),
            _ => {}
        }
        // Arrays of objects: one array of the merged items.
        let items: Option<Vec<Value>> = distinct
            .iter()
            .map(|(schema, _)| {
                schema
                    .get("items")
                    .filter(|items| self.is_object_schema(items, 0))
                    .cloned()
            })
            .collect();
        if let Some(items) = items {
            let mut merged_items = Map::new();
            merged_items.insert("allOf".to_owned(), Value::Array(items));
            let mut array = Map::new();
            array.insert("type".to_owned(), Value::String("array".to_owned()));
            array.insert("items".to_owned(), Value::Object(merged_items));
            return self.type_of(&Value::Object(array), &distinct[0].1, hint);
        }
        if distinct
            .iter()
            .all(|(schema, _)| self.is_object_schema(schema, 0))
        {
            let mut merged = Map::new();
            let members = distinct.iter().map(|(schema, _)| (*schema).clone());
            merged.insert("allOf".to_owned(), Value::Array(members.collect()));
            let nullable = distinct
                .iter()
                .all(|(schema, _)| is_nullable_schema(schema));
            let mut resolved = self.all_of(&merged, &distinct[0].1, hint)?;
            resolved.nullable |= nullable;
            return Ok(resolved);
        }
        let mut chosen: Option<(Resolved, &str)> = None;
        for (schema, at) in distinct {
            let resolved = self.type_of(schema, at, hint.clone())?;
            chosen = match chosen {
                None => Some((resolved, at)),
                Some((current, current_at)) => {
                    if self.refines(&current.ty, &resolved.ty, 0) {
                        Some((current, current_at))
                    } else if self.refines(&resolved.ty, &current.ty, 0) {
                        Some((resolved, at))
                    } else {
                        let what = if property.wire_name.is_empty() {
                            "are of incompatible types".to_owned()
                        } else {
                            format!(
                                "declare the property {:?} with incompatible types",
                                property.wire_name
                            )
                        };
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            at,
                            format!(
                                "the `allOf` members {what}: `{}` here and `{}` at {current_at}",
                                resolved.ty, current.ty
                            ),
                        ));
                    }
                }
            };
        }
        Ok(chosen.map(|(resolved, _)| resolved).unwrap_or(Resolved {
            ty: RustType::Any,
            nullable: false,
        }))
    }

    /// Whether `schema` is an object with properties, directly, through `$ref` or `allOf`.
    fn is_object_schema(&self, schema: &Value, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        if schema.get("properties").is_some() {
            return true;
        }
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|local| crate::resolve::lookup(self.root, &percent_decode(local)));
        if let Some(target) = target {
            return self.is_object_schema(target, depth + 1);
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(|m| self.is_object_schema(m, depth + 1)))
    }

    /// Whether every value of `narrow` is a value of `wide`, as far as the types tell.
    fn refines(&self, narrow: &RustType, wide: &RustType, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let (narrow, wide) = (&self.unaliased(narrow), &self.unaliased(wide));
        if narrow == wide || *wide == RustType::Any {
            return true;
        }
        if let (Some(narrow_values), Some(wide_values)) =
            (self.enum_values(narrow), self.enum_values(wide))
        {
            return narrow_values.iter().all(|v| wide_values.contains(v));
        }
        // A member of a union refines it.
        if let RustType::Named(union) = wide
            && let Some(TypeKind::Union(u)) = self.types.get(union).map(|def| &def.kind)
        {
            return u
                .variants
                .iter()
                .any(|variant| self.refines(narrow, &variant.ty, depth + 1));
        }
        match (narrow, wide) {
            (RustType::Vec(a), RustType::Vec(b))
            | (RustType::Option(a), RustType::Option(b))
            | (RustType::Map(a), RustType::Map(b)) => self.refines(a, b, depth + 1),
            (RustType::Map(_), RustType::Object) => true,
            (narrow, RustType::F32 | RustType::F64) if narrow.is_integer() => true,
            (_, RustType::Option(b)) => self.refines(narrow, b, depth + 1),
            (RustType::Named(name), _) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(_)) => *wide == RustType::Object,
                Some(TypeKind::Union(u)) => u
                    .variants
                    .iter()
                    .all(|variant| self.refines(&variant.ty, wide, depth + 1)),
                Some(TypeKind::Enum(_) | TypeKind::ValueEnum(_)) => {
                    self.enum_values(narrow).is_some_and(|values| {
                        values.iter().all(|value| match value {
                            Value::String(_) => *wide == RustType::String,
                            Value::Bool(_) => *wide == RustType::Bool,
                            Value::Number(n) if n.is_i64() || n.is_u64() => {
                                wide.is_integer() || matches!(wide, RustType::F32 | RustType::F64)
                            }
                            Value::Number(_) => matches!(wide, RustType::F32 | RustType::F64),
                            _ => false,
                        })
                    })
                }
                // A component not defined yet: its schema tells whether it is an object.
                None => {
                    *wide == RustType::Object
                        && self
                            .component_schema(name)
                            .is_some_and(|schema| self.is_object_schema(schema, 0))
                }
                Some(TypeKind::Alias { .. }) => false,
            },
            _ => false,
        }
    }

    /// The values of an enum type (defined, or a component not defined yet).
    fn enum_values(&self, ty: &RustType) -> Option<Vec<Value>> {
        let RustType::Named(name) = ty else {
            return None;
        };
        match self.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(e)) => Some(
                e.variants
                    .iter()
                    .map(|v| Value::String(v.wire_value.clone()))
                    .collect(),
            ),
            Some(TypeKind::ValueEnum(e)) => {
                Some(e.variants.iter().map(|v| v.value.clone()).collect())
            }
            Some(_) => None,
            None => self
                .component_schema(name)?
                .get("enum")?
                .as_array()
                .map(|values| values.iter().filter(|v| !v.is_null()).cloned().collect()),
        }
    }

    /// The schema of the component whose Rust name is `name`.
    fn component_schema(&self, name: &str) -> Option<&'a Value> {
        let (key, _) = self.components.iter().find(|(_, rust)| *rust == name)?;
        let root: &'a Value = self.root;
        crate::resolve::lookup(root, &format!("/components/schemas/{}", escape(key)))
    }

    /// `ty` with aliases replaced by what they name; a component not defined yet that is a
    /// plain primitive schema is that primitive.
    fn unaliased(&self, ty: &RustType) -> RustType {
        let mut current = ty.clone();
        for _ in 0..64 {
            let RustType::Named(name) = &current else {
                break;
            };
            match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { target }) => current = target.clone(),
                Some(_) => break,
                None => {
                    let primitive = self.component_schema(name).and_then(|schema| {
                        let shaped = schema.as_object()?.keys().any(|key| {
                            key != "type" && STRUCTURAL_KEYWORDS.contains(&key.as_str())
                        });
                        match schema.get("type")?.as_str()? {
                            _ if shaped => None,
                            "string" => Some(RustType::String),
                            "boolean" => Some(RustType::Bool),
                            "number" => Some(RustType::F64),
                            "integer" => Some(RustType::I64),
                            _ => None,
                        }
                    });
                    match primitive {
                        Some(primitive) => current = primitive,
                        None => break,
                    }
                }
            }
        }
        current
    }
}

/// A few words on what a non-object schema is, for an error message.
fn describe(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => format!("`type: {t}`"),
        _ => ["oneOf", "anyOf", "enum", "const", "items"]
            .iter()
            .find(|key| schema.get(**key).is_some())
            .map(|key| format!("`{key}`"))
            .unwrap_or_else(|| "not an object schema".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::same_shape;
    use serde_json::json;

    #[test]
    fn schemas_that_differ_only_in_annotations_have_the_same_shape() {
        let plain = json!({"type": "string", "maxLength": 3});
        let annotated = json!({"maxLength": 3, "type": "string", "description": "a", "x-go": 1,
            "example": "abc", "readOnly": true});
        assert!(same_shape(&plain, &annotated));
        assert!(same_shape(&annotated, &plain));
        assert!(!same_shape(
            &plain,
            &json!({"type": "string", "maxLength": 4})
        ));
        assert!(!same_shape(&plain, &json!({"type": "string"})));
        assert!(!same_shape(&json!({"type": "string"}), &plain));
        assert!(same_shape(&json!(true), &json!(true)));
        assert!(!same_shape(&json!(true), &json!({})));
    }
}
