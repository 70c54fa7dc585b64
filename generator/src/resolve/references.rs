//! `$ref`: component keys, following references, JSON pointers.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::ir::RustType;
use crate::load::kind_of;

use super::{Resolved, Resolver};

impl<'a> Resolver<'a> {
    pub(super) fn schema_ref(&mut self, reference: &Value, pointer: &str) -> Result<Resolved> {
        let key = self.component_key(reference, pointer, "/components/schemas/")?;
        match self.components.get(&key) {
            Some(name) => Ok(Resolved {
                ty: RustType::Named(name.clone()),
                nullable: self.nullable_components.contains(&key),
            }),
            None => Err(dangling(reference, pointer)),
        }
    }

    /// The key that a local `$ref` names under `prefix` (e.g. `/components/schemas/`).
    pub(super) fn component_key(
        &self,
        reference: &Value,
        pointer: &str,
        prefix: &str,
    ) -> Result<String> {
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
                format!(
                    "external $ref {reference:?} is not supported; bundle the document into one file first (e.g. `redocly bundle`)"
                ),
            ));
        };
        let local = percent_decode(local);
        match local.strip_prefix(prefix) {
            Some(key) if !key.contains('/') => Ok(unescape(key)),
            _ if self.root.pointer(&local).is_none() => Err(dangling_str(reference, pointer)),
            _ => Err(Error::at(
                ErrorKind::Unsupported,
                pointer,
                format!(
                    "$ref {reference:?} points inside the document; only references to `#{prefix}<name>` are supported here"
                ),
            )),
        }
    }

    /// Follows a `$ref` to a component of another kind (parameter, response, ...).
    pub(super) fn deref<'v>(
        &self,
        value: &'v Value,
        pointer: &str,
        prefix: &str,
    ) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        let mut value = value;
        let mut pointer = pointer.to_owned();
        let mut seen = BTreeSet::new();
        while let Some(reference) = value.get("$ref") {
            let at = child(&pointer, "$ref");
            let key = self.component_key(reference, &at, prefix)?;
            let target = format!("{prefix}{}", escape(&key));
            if !seen.insert(target.clone()) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &at,
                    "this $ref refers to itself",
                ));
            }
            value = self
                .root
                .pointer(&target)
                .ok_or_else(|| dangling(reference, &at))?;
            pointer = target;
        }
        Ok((value, pointer))
    }
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
    format!("{pointer}/{}", escape(token))
}

pub(super) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
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
