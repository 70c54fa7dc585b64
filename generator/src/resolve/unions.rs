//! `oneOf`/`anyOf` (tagged and untagged enums) and `type` lists (untagged enums of
//! primitives); after every type is defined, the unions' final shapes.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Docs, Presence, RustType, TypeDef, TypeKind, Union, UnionVariant};
use crate::naming::{self, Scope};

use super::composition::{annotation_only, is_null_schema};
use super::references::{child, escape};
use super::schemas::all_optional;
use super::{NameHint, Resolved, Resolver, TagField, docs_of, docs_of_value, expect_object};

impl Resolver<'_> {
    /// `oneOf`/`anyOf`: `None` when the members only constrain (e.g. each lists `required`),
    /// so the schema's other keywords give the type.
    pub(super) fn union(
        &mut self,
        schema: &Map<String, Value>,
        combinator: &str,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<Option<Resolved>> {
        let at = child(pointer, combinator);
        let Some(branches) = schema.get(combinator).and_then(Value::as_array) else {
            return Err(Error::at(
                ErrorKind::Invalid,
                &at,
                format!("`{combinator}` must be an array of schemas"),
            ));
        };
        let members: Vec<(usize, &Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null_schema(b))
            .collect();
        let has_null = members.len() < branches.len();
        if members.iter().all(|(_, b)| annotation_only(b)) {
            if members.is_empty() && has_null {
                return Ok(Some(Resolved {
                    ty: RustType::Any,
                    nullable: true,
                }));
            }
            return Ok(None);
        }
        if let [(index, only)] = members.as_slice() {
            let mut resolved = self.type_of(only, &child(&at, &index.to_string()), hint)?;
            resolved.nullable |= has_null;
            return Ok(Some(resolved));
        }
        let mut resolved = match schema.get("discriminator") {
            // The discriminator is a hint: a member it cannot tag is still told apart by its
            // shape (and usually by its own tag property), as an untagged member.
            Some(discriminator)
                if discriminator
                    .get("propertyName")
                    .is_some_and(Value::is_string)
                    && !members
                        .iter()
                        .all(|(_, member)| tag_is_known(member, schema)) =>
            {
                self.untagged_union(schema, &members, &at, pointer, hint)?
            }
            Some(discriminator) => self.tagged_union(
                schema,
                discriminator,
                &members,
                &at,
                &child(pointer, "discriminator"),
                hint,
            )?,
            None => self.untagged_union(schema, &members, &at, pointer, hint)?,
        };
        resolved.nullable |= has_null;
        Ok(Some(resolved))
    }

    fn tagged_union(
        &mut self,
        schema: &Map<String, Value>,
        discriminator: &Value,
        members: &[(usize, &Value)],
        at: &str,
        discriminator_at: &str,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        let discriminator = expect_object(discriminator, discriminator_at)?;
        let Some(tag) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return Err(Error::at(
                ErrorKind::Invalid,
                discriminator_at,
                "a discriminator needs a `propertyName` string",
            ));
        };
        let no_mapping = Map::new();
        let mapping = match discriminator.get("mapping") {
            Some(mapping) => expect_object(mapping, &child(discriminator_at, "mapping"))?,
            None => &no_mapping,
        };
        let name = self.claim(hint);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut seen_tags = BTreeSet::new();
        for (index, member) in members {
            let member_at = child(at, &index.to_string());
            let reference = member.get("$ref").and_then(Value::as_str);
            let (tags, variant_hint) = match reference {
                Some(reference) => {
                    let target =
                        self.local_target(&Value::from(reference), &child(&member_at, "$ref"))?;
                    // A component's key; a target elsewhere is named by its last token.
                    let key = super::references::unescape(target.rsplit('/').next().unwrap_or(""));
                    // Mapping values are `$ref`s or bare schema names.
                    let mut tags: Vec<String> = mapping
                        .iter()
                        .filter(|(_, target)| {
                            target.as_str().is_some_and(|t| t == reference || t == key)
                        })
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        tags.push(key.clone());
                    }
                    (
                        tags,
                        NameHint::Inline(self.components.get(&key).cloned().unwrap_or(key)),
                    )
                }
                None => {
                    let Some(tag_value) = inline_tag_value(member, schema) else {
                        return Err(Error::at(
                            ErrorKind::Unsupported,
                            &member_at,
                            format!(
                                "an inline member of a union with a discriminator needs a single-value `enum` or `const` for {tag:?}, or a `$ref` to a named schema"
                            ),
                        ));
                    };
                    (
                        vec![tag_value.to_owned()],
                        NameHint::nested_in(&name, tag_value),
                    )
                }
            };
            let ty = self.type_of(member, &member_at, variant_hint.clone())?.ty;
            if let RustType::Named(member_name) = &ty {
                self.tag_fields.push(TagField {
                    union: name.clone(),
                    member: member_name.clone(),
                    tag: tag.to_owned(),
                });
            }
            for tag_value in tags {
                if !seen_tags.insert(tag_value.clone()) {
                    continue;
                }
                let variant = match reference {
                    Some(_) => variant_hint.base().into_owned(),
                    None => naming::variant_name(&tag_value),
                };
                variants.push(UnionVariant {
                    name: scope.claim(&variant),
                    tag_value: Some(tag_value),
                    ty: ty.clone(),
                    docs: docs_of_value(member),
                });
            }
        }
        self.define_union(&name, at, schema, Some(tag.to_owned()), variants);
        Ok(Resolved {
            ty: RustType::Named(name),
            nullable: false,
        })
    }

    fn untagged_union(
        &mut self,
        schema: &Map<String, Value>,
        members: &[(usize, &Value)],
        at: &str,
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<Resolved> {
        let name = self.claim(hint);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut nullable = false;
        for (index, member) in members {
            let member_at = child(at, &index.to_string());
            let role = member
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("variant {}", index + 1));
            let resolved = self.type_of(member, &member_at, NameHint::nested_in(&name, &role))?;
            nullable |= resolved.nullable;
            let variant = match (member.get("$ref"), &resolved.ty) {
                (None, RustType::Named(inline)) => match inline.strip_prefix(name.as_str()) {
                    Some(rest) if !rest.is_empty() => rest.to_owned(),
                    _ => inline.clone(),
                },
                (_, ty) => variant_name_of(ty),
            };
            variants.push(UnionVariant {
                name: scope.claim(&variant),
                tag_value: None,
                ty: resolved.ty,
                docs: docs_of_value(member),
            });
        }
        self.define_union(&name, pointer, schema, None, variants);
        Ok(Resolved {
            ty: RustType::Named(name),
            nullable,
        })
    }

    /// A `type` list of several types (3.1): an untagged enum with a variant per type, each
    /// typed by the schema's keywords for that type.
    pub(super) fn type_list_union(
        &mut self,
        schema: &Map<String, Value>,
        types: &[&str],
        pointer: &str,
        hint: NameHint<'_>,
    ) -> Result<RustType> {
        let name = self.claim(hint);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for single in types {
            let mut narrowed = schema.clone();
            narrowed.insert("type".to_owned(), Value::String((*single).to_owned()));
            narrowed.remove("nullable");
            let member_hint = NameHint::nested_in(&name, single);
            let resolved = self.type_of(&Value::Object(narrowed), pointer, member_hint)?;
            variants.push(UnionVariant {
                name: scope.claim(&variant_name_of(&resolved.ty)),
                tag_value: None,
                ty: resolved.ty,
                docs: Docs::default(),
            });
        }
        self.define_union(&name, pointer, schema, None, variants);
        Ok(RustType::Named(name))
    }

    fn define_union(
        &mut self,
        name: &str,
        pointer: &str,
        schema: &Map<String, Value>,
        tag: Option<String>,
        variants: Vec<UnionVariant>,
    ) {
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                origin: pointer.to_owned(),
                docs: docs_of(schema),
                kind: TypeKind::Union(Union { tag, variants }),
            },
        );
    }

    /// After every type is defined: a tagged union with a member that is not an object (an
    /// array, say) becomes untagged, since serde's internal tag needs an object to sit in; a
    /// tagged union's members lose their tag field (serde's `tag` reads and writes it); and an
    /// untagged union's variants are ordered so that serde, which takes the first variant that
    /// reads a value, tries the strictest first.
    pub(super) fn finish_unions(&mut self) -> Result<()> {
        let tagged: Vec<String> = self
            .types
            .iter()
            .filter(|(_, def)| matches!(&def.kind, TypeKind::Union(u) if u.tag.is_some()))
            .map(|(name, _)| name.clone())
            .collect();
        let mut untagged_now = BTreeSet::new();
        for name in tagged {
            let Some(TypeKind::Union(union)) = self.types.get(&name).map(|d| &d.kind) else {
                continue;
            };
            if union.variants.iter().all(|v| self.is_object(&v.ty)) {
                continue;
            }
            let mut variants: Vec<UnionVariant> = Vec::new();
            for variant in &union.variants {
                // Several tags of one member were several variants; untagged, one is enough.
                if variants.iter().all(|kept| kept.ty != variant.ty) {
                    variants.push(UnionVariant {
                        tag_value: None,
                        ..variant.clone()
                    });
                }
            }
            if let Some(TypeKind::Union(union)) = self.types.get_mut(&name).map(|d| &mut d.kind) {
                union.tag = None;
                union.variants = variants;
            }
            untagged_now.insert(name);
        }
        for field in std::mem::take(&mut self.tag_fields) {
            if untagged_now.contains(&field.union) {
                continue;
            }
            let target = self.through_aliases(&field.member);
            if let Some(TypeKind::Struct(s)) = self.types.get_mut(&target).map(|def| &mut def.kind)
            {
                s.fields.retain(|f| f.flatten || f.wire_name != field.tag);
                s.all_optional = all_optional(&s.fields);
            }
        }
        let untagged: Vec<String> = self
            .types
            .iter()
            .filter(|(_, def)| matches!(&def.kind, TypeKind::Union(u) if u.tag.is_none()))
            .map(|(name, _)| name.clone())
            .collect();
        for name in untagged {
            let Some(TypeKind::Union(union)) = self.types.get(&name).map(|d| &d.kind) else {
                continue;
            };
            let mut variants = union.variants.clone();
            variants.sort_by_cached_key(|variant| self.strictness(&variant.ty));
            if let Some(TypeKind::Union(union)) = self.types.get_mut(&name).map(|d| &mut d.kind) {
                union.variants = variants;
            }
        }
        Ok(())
    }

    /// Whether values of `ty` are JSON objects, which an internal tag can sit in.
    fn is_object(&self, ty: &RustType) -> bool {
        let RustType::Named(name) = ty else {
            return false;
        };
        let target = self.through_aliases(name);
        match self.types.get(&target).map(|def| &def.kind) {
            Some(TypeKind::Struct(_)) | None => true,
            Some(TypeKind::Union(union)) => union.variants.iter().all(|v| self.is_object(&v.ty)),
            Some(_) => false,
        }
    }
    /// The named type `name` stands for, through aliases of named types.
    fn through_aliases(&self, name: &str) -> String {
        let mut current = name.to_owned();
        for _ in 0..64 {
            match self.types.get(&current).map(|def| &def.kind) {
                Some(TypeKind::Alias { target }) => match target.innermost() {
                    RustType::Named(next) => current = next.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        current
    }

    /// A sort key: lower is tried first. Objects with more required fields come before
    /// objects with fewer, enums before strings, integers before numbers, and a catch-all
    /// (`serde_json::Value`) last.
    fn strictness(&self, ty: &RustType) -> (u8, Reverse<usize>) {
        match ty.innermost() {
            RustType::Named(name) => {
                let target = self.through_aliases(name);
                match self.types.get(&target).map(|def| &def.kind) {
                    Some(TypeKind::Struct(s)) => (
                        1,
                        Reverse(
                            s.fields
                                .iter()
                                .filter(|f| {
                                    matches!(
                                        f.presence,
                                        Presence::Required | Presence::RequiredNullable
                                    )
                                })
                                .count(),
                        ),
                    ),
                    Some(TypeKind::Enum(_) | TypeKind::ValueEnum(_)) => (2, Reverse(0)),
                    Some(TypeKind::Union(_)) => (3, Reverse(0)),
                    Some(TypeKind::Alias { target }) => self.strictness(target),
                    None => (3, Reverse(0)),
                }
            }
            RustType::Tuple(_) => (2, Reverse(0)),
            RustType::Bool => (4, Reverse(0)),
            ty if ty.is_integer() => (4, Reverse(0)),
            RustType::F32 | RustType::F64 => (5, Reverse(0)),
            RustType::Vec(_) => (5, Reverse(0)),
            RustType::Map(_) | RustType::Object => (6, Reverse(0)),
            RustType::String => (7, Reverse(0)),
            _ => (8, Reverse(0)),
        }
    }
}

/// Whether the discriminator of `union` says which tag selects `member`: a `mapping` entry,
/// a component's name, or an inline member's single tag value.
fn tag_is_known(member: &Value, union: &Map<String, Value>) -> bool {
    let Some(reference) = member.get("$ref").and_then(Value::as_str) else {
        return inline_tag_value(member, union).is_some();
    };
    let bare = reference.rsplit('/').next().unwrap_or(reference);
    let mapped = union
        .get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
        .is_some_and(|mapping| {
            mapping
                .values()
                .any(|target| target.as_str().is_some_and(|t| t == reference || t == bare))
        });
    // Without a mapping entry, a component's name is its tag (in this file or a bundled one).
    let mut tokens = reference.rsplit('/').skip(1);
    let component = tokens.next() == Some("schemas") && tokens.next() == Some("components");
    mapped || component
}

/// The value an inline member of a discriminated union gives its tag property: a single-value
/// `enum` or a `const`.
fn inline_tag_value<'v>(member: &'v Value, union: &Map<String, Value>) -> Option<&'v str> {
    let tag = union.get("discriminator")?.get("propertyName")?.as_str()?;
    let property = crate::resolve::lookup(member, &format!("/properties/{}", escape(tag)))?;
    property
        .get("const")
        .or_else(|| {
            property
                .get("enum")
                .and_then(Value::as_array)
                .filter(|values| values.len() == 1)
                .and_then(|values| values.first())
        })?
        .as_str()
}

/// The variant name for a member of the type `ty`.
fn variant_name_of(ty: &RustType) -> String {
    match ty {
        RustType::Named(name) => name.clone(),
        RustType::String => "String".to_owned(),
        RustType::Bool => "Boolean".to_owned(),
        RustType::F32 | RustType::F64 => "Number".to_owned(),
        RustType::Vec(_) => "Array".to_owned(),
        RustType::Tuple(_) => "Tuple".to_owned(),
        RustType::Map(_) | RustType::Object => "Object".to_owned(),
        RustType::Option(inner) | RustType::Boxed(inner) => variant_name_of(inner),
        RustType::Any => "Value".to_owned(),
        _ => "Integer".to_owned(),
    }
}
