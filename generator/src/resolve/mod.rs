//! Stage 2: resolve a loaded document into the intermediate model ([`crate::ir`]).
//!
//! Every schema reached from `components.schemas` or an operation gets a Rust type; objects and
//! enums become named types (inline ones named from their context), everything else a
//! [`RustType`]. Anything without a faithful Rust translation is an error naming the construct
//! and its JSON pointer.

pub(crate) mod bodies;
mod composition;
mod examples;
mod media;
mod operations;
mod recursion;
mod references;
pub(crate) mod routes;
mod schemas;
mod security;
mod server;
mod unions;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::bundle::Files;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, Docs, RustType, TypeDef};
use crate::load::{Document, kind_of};
use crate::naming::{self, Scope};
pub use examples::{Example, examples};
pub(crate) use operations::method_rank;
pub(crate) use references::{child, lookup, percent_decode};
pub(crate) use server::qualified;
pub use server::{HookPlan, OperationPlan, ServerPlan, plan_server};

/// Resolves a loaded document into the intermediate model. Every error found is reported (see
/// [`Error::errors`]): a schema that fails becomes `serde_json::Value` so that resolution goes
/// on, and the run fails at the end.
pub fn resolve(document: &Document) -> Result<Api> {
    let mut api = Resolver::new(document)
        .run()
        .map_err(|err| document.locate(err))?;
    for problem in &mut api.operation_problems {
        *problem = document.locate(problem.clone());
    }
    Ok(api)
}

/// How the type for a schema is to be named, if it needs a name.
#[derive(Clone)]
enum NameHint<'a> {
    /// The component's own name, already reserved.
    Exact(String),
    /// A name made from the context; made unique on use.
    Inline(String),
    /// The name of a type inside `parent` in the role `role`; made unique on use. Made only
    /// when asked for: most properties are scalars or references and never need it.
    Nested { parent: &'a str, role: &'a str },
}

impl<'a> NameHint<'a> {
    fn nested_in(parent: &'a str, role: &'a str) -> Self {
        NameHint::Nested { parent, role }
    }

    fn base(&self) -> Cow<'_, str> {
        match self {
            NameHint::Exact(name) | NameHint::Inline(name) => Cow::Borrowed(name),
            NameHint::Nested { parent, role } => Cow::Owned(naming::nested_type_name(parent, role)),
        }
    }

    fn nested(&self, role: &str) -> NameHint<'static> {
        NameHint::Inline(naming::nested_type_name(&self.base(), role))
    }
}

/// A schema's type at its use site.
/// A member of a tagged union whose struct carries the tag property.
struct TagField {
    union: String,
    member: String,
    tag: String,
}

struct Resolved {
    ty: RustType,
    nullable: bool,
}

struct Resolver<'a> {
    root: &'a Value,
    /// The files the document refers to, placed in `root` (see [`crate::bundle`]).
    files: &'a Files,
    /// `$ref` targets other than `#/components/schemas/<key>` → their type's name and whether
    /// they admit null; each target is one named type, however often it is referred to.
    ref_targets: BTreeMap<String, (String, bool)>,
    /// Component schema key → Rust name.
    components: BTreeMap<String, String>,
    /// Component schema keys whose schema itself admits null.
    nullable_components: BTreeSet<String>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Each tagged union member: its tag field leaves the member's struct once every type is
    /// defined.
    tag_fields: Vec<TagField>,
    /// Errors found so far; resolution goes on past each, and fails at the end.
    errors: Vec<Error>,
    /// Problems of operations and security schemes (see [`Api::operation_problems`]).
    problems: Vec<Error>,
    /// A schema error met while resolving an operation: it stops the types too.
    fatal: Option<Error>,
}

impl<'a> Resolver<'a> {
    fn new(document: &'a Document) -> Self {
        Resolver {
            root: &document.root,
            files: &document.files,
            ref_targets: BTreeMap::new(),
            components: BTreeMap::new(),
            nullable_components: BTreeSet::new(),
            types: BTreeMap::new(),
            type_names: Scope::default(),
            tag_fields: Vec::new(),
            errors: Vec::new(),
            problems: Vec::new(),
            fatal: None,
        }
    }

    /// The type of `schema` at `pointer`. A schema that cannot be translated is recorded as an
    /// error and stands in as `serde_json::Value`, so that the rest of the document is still
    /// checked; this never returns `Err`.
    fn type_of(&mut self, schema: &Value, pointer: &str, hint: NameHint<'_>) -> Result<Resolved> {
        Ok(self
            .schema_type(schema, pointer, hint)
            .unwrap_or_else(|err| {
                self.errors.push(err);
                Resolved {
                    ty: RustType::Any,
                    nullable: false,
                }
            }))
    }

    /// The value of `result`, or, recording its error, `fallback`.
    fn recover<T>(&mut self, result: Result<T>, fallback: T) -> T {
        result.unwrap_or_else(|err| {
            self.errors.push(err);
            fallback
        })
    }

    fn run(mut self) -> Result<Api> {
        let info = object_at(self.root, "/info", "info")?;
        let title = string_field(info, "title", "/info")?.unwrap_or_default();
        let version = string_field(info, "version", "/info")?.unwrap_or_default();
        let docs = docs_of(info);

        // Borrowed from the document (not from `self`), so no part of it is copied.
        let root = self.root;
        let no_schemas = Map::new();
        let schemas = match crate::resolve::lookup(root, "/components/schemas") {
            Some(value) => expect_object(value, "/components/schemas")?,
            None => &no_schemas,
        };
        self.name_components(schemas)?;
        for (key, schema) in schemas {
            let defined = self.define_component(key, schema);
            self.recover(defined, ());
        }

        let security_schemes = self.security_schemes();
        let operations = self.operations(&security_schemes);
        let operations = self.recover(operations, Vec::new());
        let unions = self.finish_unions();
        self.recover(unions, ());
        self.box_recursive_fields();
        let acyclic = self.check_alias_cycles();
        self.recover(acyclic, ());
        if let Some(errors) = Error::all(std::mem::take(&mut self.errors)) {
            return Err(errors);
        }
        let mut operation_problems = std::mem::take(&mut self.problems);
        operation_problems.sort_by_cached_key(|err| err.location().to_string());

        Ok(Api {
            title,
            version,
            docs,
            types: self.types.into_values().collect(),
            operations,
            security_schemes,
            operation_problems,
        })
    }

    fn claim(&mut self, hint: NameHint<'_>) -> String {
        match hint {
            NameHint::Exact(name) if !self.types.contains_key(&name) => name,
            other => self.type_names.claim(&other.base()),
        }
    }
}

pub(super) fn object_at<'v>(
    root: &'v Value,
    pointer: &str,
    what: &str,
) -> Result<&'v Map<String, Value>> {
    match crate::resolve::lookup(root, pointer) {
        Some(value) => expect_object(value, pointer),
        None => Err(Error::at(
            ErrorKind::Invalid,
            "",
            format!("the document has no `{what}` object"),
        )),
    }
}

pub(super) fn expect_object<'v>(value: &'v Value, pointer: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Error::at(
            ErrorKind::Invalid,
            pointer,
            format!("expected an object, found {}", kind_of(value)),
        )
    })
}

pub(super) fn string_field(
    map: &Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<String>> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::at(
            ErrorKind::Invalid,
            &child(pointer, key),
            format!("`{key}` must be a string, found {}", kind_of(other)),
        )),
    }
}

/// A schema's documentation: `description`, or else `title`.
pub(super) fn docs_of(map: &Map<String, Value>) -> Docs {
    let text = |key: &str| {
        map.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    Docs(
        text("description")
            .or_else(|| text("title"))
            .map(str::to_owned),
    )
}

pub(super) fn docs_of_value(value: &Value) -> Docs {
    value.as_object().map(docs_of).unwrap_or_default()
}
