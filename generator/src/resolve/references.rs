//! `$ref`: component keys, following references, JSON pointers.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::bundle::split_files_pointer;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{RustType, TypeDef, TypeKind};
use crate::load::kind_of;
use crate::naming;

use super::schemas::is_nullable_schema;
use super::{NameHint, Resolved, Resolver, docs_of_value};

impl<'a> Resolver<'a> {
    /// The type a schema `$ref` (at `pointer`) names: a component's own type, or, for any other
    /// target in the document (another component section, `paths`, a nested property, a file
    /// the spec refers to), one named type per target.
    pub(super) fn schema_ref(&mut self, reference: &Value, pointer: &str) -> Result<Resolved> {
        let target = self.local_target(reference, pointer)?;
        if let Some(key) = target
            .strip_prefix("/components/schemas/")
            .filter(|key| !key.contains('/'))
            && let Some(name) = self.components.get(&unescape(key))
        {
            return Ok(Resolved {
                ty: RustType::Named(name.clone()),
                nullable: self.nullable_components.contains(&unescape(key)),
            });
        }
        self.ref_target_type(target)
    }

    /// The (decoded) JSON pointer a `$ref` at `pointer` names, which exists in the document.
    /// References to other files were made local on load ([`crate::bundle`]).
    pub(super) fn local_target(&self, reference: &Value, pointer: &str) -> Result<String> {
        let Some(reference) = reference.as_str() else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!("`$ref` must be a string, found {}", kind_of(reference)),
            ));
        };
        let Some(local) = reference.strip_prefix('#') else {
            return Err(Error::at(
                ErrorKind::Unsupported,
                pointer,
                format!("$ref {reference:?} could not be followed"),
            ));
        };
        let local = percent_decode(local);
        if crate::resolve::lookup(self.root, &local).is_none() {
            return Err(dangling_str(&self.shown_ref(reference), pointer));
        }
        Ok(local)
    }

    /// A `$ref` as the user wrote it, as far as messages go: one made local on load names its
    /// file again.
    fn shown_ref(&self, reference: &str) -> String {
        let Some((index, rest)) = reference.strip_prefix('#').and_then(split_files_pointer) else {
            return reference.to_owned();
        };
        match self.files.paths.get(index) {
            Some(path) => format!("{}#{rest}", path.display()),
            None => reference.to_owned(),
        }
    }

    /// The named type for the schema at `target`, defined on first use. The name is reserved
    /// before the schema is resolved, so a schema that refers to itself works as a component.
    fn ref_target_type(&mut self, target: String) -> Result<Resolved> {
        if let Some((name, nullable)) = self.ref_targets.get(&target) {
            return Ok(Resolved {
                ty: RustType::Named(name.clone()),
                nullable: *nullable,
            });
        }
        let root = self.root;
        let Some(schema) = crate::resolve::lookup(root, &target) else {
            return Err(dangling_str(&format!("#{target}"), &target));
        };
        let name = self
            .type_names
            .claim(&naming::type_name(&self.ref_type_name(&target)));
        let admits_null = is_nullable_schema(schema);
        self.ref_targets
            .insert(target.clone(), (name.clone(), admits_null));
        let resolved = self.type_of(schema, &target, NameHint::Exact(name.clone()))?;
        let nullable = admits_null || resolved.nullable;
        self.ref_targets
            .insert(target.clone(), (name.clone(), nullable));
        if !self.types.contains_key(&name) {
            // Not an object or enum: the name is another name for its type.
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    origin: target,
                    docs: docs_of_value(schema),
                    kind: TypeKind::Alias {
                        target: resolved.ty,
                    },
                },
            );
        }
        Ok(Resolved {
            ty: RustType::Named(name),
            nullable,
        })
    }

    /// What to call the type at a `$ref` target, like a component: the last token of its
    /// pointer that is a name (`Limit` for `/components/parameters/Limit/schema`, `/pets` for
    /// `/paths/~1pets/get/responses/200/content/application~1json/schema`), or the file's stem
    /// for a whole other file.
    fn ref_type_name(&self, target: &str) -> String {
        let (within, file) = match split_files_pointer(target) {
            Some((index, rest)) => (rest, self.files.stem(index)),
            None => (target, None),
        };
        within
            .rsplit('/')
            .map(unescape)
            .find(|token| is_name_token(token))
            .or_else(|| file.map(str::to_owned))
            .unwrap_or_else(|| "Schema".to_owned())
    }

    /// Follows `$ref`s from `value` (at `pointer`) to the object they name, anywhere in the
    /// document, e.g. a parameter, response or request body. `_kind` (`/components/parameters/`,
    /// ...) is what callers expect; any local target is followed.
    pub(super) fn deref<'v>(
        &self,
        value: &'v Value,
        pointer: &str,
        _kind: &str,
    ) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        let mut value = value;
        let mut pointer = pointer.to_owned();
        let mut seen = BTreeSet::new();
        while let Some(reference) = value.get("$ref") {
            let at = child(&pointer, "$ref");
            let target = self.local_target(reference, &at)?;
            if !seen.insert(target.clone()) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &at,
                    "this $ref refers to itself",
                ));
            }
            value = lookup(self.root, &target).ok_or_else(|| dangling(reference, &at))?;
            pointer = target;
        }
        Ok((value, pointer))
    }
}

/// Whether a pointer token names something (a component, property or path), rather than
/// being structure (`schema`, `content`, `items`, a status code, a media type, a method).
fn is_name_token(token: &str) -> bool {
    const STRUCTURE: &[&str] = &[
        "schema",
        "schemas",
        "content",
        "items",
        "additionalProperties",
        "properties",
        "patternProperties",
        "prefixItems",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "components",
        "paths",
        "parameters",
        "requestBody",
        "requestBodies",
        "responses",
        "headers",
        "definitions",
        "$defs",
        "get",
        "put",
        "post",
        "delete",
        "options",
        "head",
        "patch",
        "trace",
    ];
    let status_or_index = token.starts_with(|c: char| c.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x');
    // Media types (`application/json`) are structure; paths (`/pets`) are names.
    let media_type = token.contains('/') && !token.starts_with('/');
    let structure = status_or_index || media_type || STRUCTURE.contains(&token);
    !token.is_empty() && !structure
}

/// The component key a schema is nothing but a reference to (`$ref`, or `allOf` of one `$ref`).
pub(super) fn referenced_component(schema: &Value) -> Option<String> {
    let reference = match schema.get("allOf").and_then(Value::as_array) {
        Some(branches) if branches.len() == 1 => branches[0].get("$ref"),
        _ => schema.get("$ref"),
    }?;
    let local = percent_decode(reference.as_str()?.strip_prefix("#/components/schemas/")?);
    (!local.contains('/')).then(|| unescape(&local))
}

pub(super) fn dangling(reference: &Value, pointer: &str) -> Error {
    dangling_str(reference.as_str().unwrap_or_default(), pointer)
}

pub(super) fn dangling_str(reference: &str, pointer: &str) -> Error {
    Error::at(
        ErrorKind::Invalid,
        pointer,
        format!("dangling $ref: {reference:?} points to nothing in this document"),
    )
}

/// `pointer` extended by one token, escaped per RFC 6901.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut child = String::with_capacity(pointer.len() + token.len() + 1);
    child.push_str(pointer);
    child.push('/');
    child.push_str(&escape(token));
    child
}

pub(super) fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// `serde_json::Value::pointer`, without copying the tokens that hold no escape (nearly all):
/// the value `pointer` (RFC 6901) names in `root`.
pub(crate) fn lookup<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |value, token| {
        let token: Cow<str> = if token.contains('~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        match value {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(items) => index(&token).and_then(|i| items.get(i)),
            _ => None,
        }
    })
}

/// An array index as RFC 6901 writes it: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Decodes `%XX` escapes of a URI fragment, leaving anything malformed as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_what_serde_json_finds() {
        let root = serde_json::json!({
            "a/b": {"c~d": [10, {"e": true}]},
            "": {"x": 1},
            "n": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        });
        for pointer in [
            "",
            "/a~1b",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/0",
            "//x",
            "/n/10",
            "/n/01",
            "/n/+1",
            "/n/-1",
            "/n/12",
            "/missing",
            "a~1b",
            "/a~1b/c~0d/1/e/f",
            "/a~01b",
        ] {
            assert_eq!(lookup(&root, pointer), root.pointer(pointer), "{pointer}");
        }
        assert_eq!(child("/p", "a/b~c"), "/p/a~1b~0c");
        assert_eq!(child("/p", "plain"), "/p/plain");
    }
}
