//! Whether a request body may be parsed straight into its Rust type instead of through a
//! `serde_json::Value` and the JSON Schema validator, and what to check after that parse.
//!
//! The generated router's reference path parses the body into a `Value`, validates it against
//! the operation's schema and then deserializes the type from it. Building the `Value` costs
//! about as much as the rest of a request, so for a body whose schema is simple enough the
//! generator also emits a faster path, taken only when it is certain to answer the same:
//!
//! - serde already enforces what the types encode: JSON types, required fields, enum values.
//! - What serde cannot see (string lengths, numeric bounds, item and property counts, string
//!   enums typed as `String`) becomes generated Rust checks, one function per named type.
//! - serde is more lenient than the schema in two ways, both excluded by a scan of the text at
//!   run time: it reads `null` as `None` for every `Option` (the schema may forbid null), and
//!   it builds a struct from a JSON array (the schema wants an object).
//! - Any schema keyword this module does not know to be covered (`pattern`, a validated
//!   `format`, `oneOf`, `additionalProperties: false`, a required nullable field, ...) gives
//!   the body no fast path: it keeps the reference path only.
//!
//! Whenever the fast path does not accept a body (the text scan, serde or a check says no),
//! the reference path runs on the same bytes, so every rejection and its message are the
//! reference path's. A property test in `tests/` compares both paths on generated bodies.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::ir::{Api, Presence, RustType, TypeDef, TypeKind};
use crate::naming::{self, Scope};
use crate::resolve::percent_decode;
mod render;

pub use render::Finished;

/// Formats the run-time validator checks (jsonschema's built-in ones); others are annotations.
const VALIDATED_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "duration",
    "email",
    "hostname",
    "idn-email",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "iri",
    "iri-reference",
    "json-pointer",
    "regex",
    "relative-json-pointer",
    "time",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
];

/// Keywords that only describe; the validator ignores them. `nullable` (OpenAPI 3.0) is among
/// them here because the fast path never sees a `null`.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "xml",
    "externalDocs",
    "discriminator",
    "nullable",
];

/// A check on a value, in terms of its Rust type.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    /// At least this many characters (code points, as JSON Schema counts).
    MinChars(u64),
    /// At most this many characters.
    MaxChars(u64),
    /// One of these strings.
    OneOf(Vec<String>),
    /// An integer at least this.
    IntAtLeast(i128),
    /// An integer at most this.
    IntAtMost(i128),
    /// A float above (or, if exclusive, strictly above) this.
    FloatAbove { bound: f64, exclusive: bool },
    /// A float below (or, if exclusive, strictly below) this.
    FloatBelow { bound: f64, exclusive: bool },
    /// At least this many items or entries.
    MinLen(u64),
    /// At most this many items or entries.
    MaxLen(u64),
    /// The checks of a named type.
    Named(String),
    /// If the `Option` holds a value, these checks on it.
    IfSome(Vec<Check>),
    /// These checks on every item of a `Vec`.
    EachItem(Vec<Check>),
    /// These checks on every value of a map.
    EachValue(Vec<Check>),
    /// These checks on the value inside a `Box`.
    Unboxed(Vec<Check>),
    /// These checks on one field of a struct.
    Field(String, Vec<Check>),
}

/// The fast path of one body.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedBody {
    /// A Rust expression of type `fn(&Body) -> bool`.
    pub check: String,
    /// Whether the text may hold `[`: the type has lists and no object below the top.
    pub arrays: bool,
}

/// A generated check function for one named type.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckFn {
    /// The function's name.
    pub name: String,
    /// The checked type, as a path from the server module.
    pub ty: String,
    /// The conditions, each a Rust `bool` expression over `value`; all must hold.
    pub conditions: Vec<String>,
}

/// Plans the fast paths of a whole API's bodies and the check functions they share.
pub struct Planner<'a> {
    root: &'a Value,
    v30: bool,
    types: BTreeMap<&'a str, &'a TypeDef>,
    types_path: &'a str,
    /// Each named type's own checks; `None` where the type has no fast path.
    local: BTreeMap<String, Option<Vec<Check>>>,
    /// Named types some fast path uses, with their function names once claimed.
    used: BTreeSet<String>,
}

impl<'a> Planner<'a> {
    /// A planner for `api`, whose document is `root`; types are named `{types_path}Name`.
    pub fn new(api: &'a Api, root: &'a Value, v30: bool, types_path: &'a str) -> Self {
        Planner {
            root,
            v30,
            types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            types_path,
            local: BTreeMap::new(),
            used: BTreeSet::new(),
        }
    }

    /// The fast path for a body of type `ty` with the schema `schema`, or `None` if the body
    /// must take the reference path.
    pub fn body(&mut self, schema: &Value, ty: &RustType) -> Option<PlannedBody> {
        let checks = self.plan(schema, ty, 0)?;
        // Every named type the body reaches must have a fast path too.
        let mut reached = BTreeSet::new();
        let mut pending: Vec<Check> = checks.clone();
        while let Some(check) = pending.pop() {
            match check {
                Check::Named(name) if reached.insert(name.clone()) => {
                    pending.extend(self.local_checks(&name)?);
                }
                Check::IfSome(inner)
                | Check::EachItem(inner)
                | Check::EachValue(inner)
                | Check::Unboxed(inner)
                | Check::Field(_, inner) => pending.extend(inner),
                _ => {}
            }
        }
        // serde builds a struct from a JSON array; the text scan can exclude that only if no
        // `[` belongs in the body, or if the only struct is the top one (then the text must
        // start with `{`).
        let arrays = self.has_list(ty, &mut BTreeSet::new());
        let top = match ty {
            RustType::Named(name) => Some(name.as_str()),
            _ => None,
        };
        if arrays
            && (reached
                .iter()
                .any(|name| Some(name.as_str()) != top && self.is_struct(name))
                || top.is_none())
        {
            return None;
        }
        self.used.extend(reached);
        Some(PlannedBody { checks, arrays })
    }

    /// Names the check functions the planned bodies need, in `function_names`.
    pub fn finish(self, function_names: &mut Scope) -> Finished {
        let needs = self.needs_checks();
        let mut names = BTreeMap::new();
        let mut checks = BTreeMap::new();
        for name in self.used.iter().filter(|n| needs.contains(*n)) {
            let function = function_names.claim(&naming::function_name(&format!("check {name}")));
            names.insert(name.clone(), function);
            let local = self.local.get(name).cloned().flatten().unwrap_or_default();
            checks.insert(name.clone(), local);
        }
        Finished {
            names,
            checks,
            types_path: self.types_path.to_owned(),
        }
    }

    fn is_struct(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| matches!(t.kind, TypeKind::Struct(_)))
    }

    /// Whether values of `ty` can hold a `Vec`.
    fn has_list(&self, ty: &RustType, seen: &mut BTreeSet<String>) -> bool {
        match ty {
            RustType::Vec(_) => true,
            RustType::Option(inner) | RustType::Boxed(inner) | RustType::Map(inner) => {
                self.has_list(inner, seen)
            }
            RustType::Named(name) => {
                if !seen.insert(name.clone()) {
                    return false;
                }
                match self.types.get(name.as_str()).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) => {
                        s.fields.iter().any(|f| self.has_list(&f.ty, seen))
                    }
                    Some(TypeKind::Alias { target }) => self.has_list(target, seen),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The named types whose functions check something, directly or through other types.
    fn needs_checks(&self) -> BTreeSet<String> {
        let mut needs = BTreeSet::new();
        loop {
            let before = needs.len();
            for name in &self.used {
                let checks = self.local.get(name).cloned().flatten().unwrap_or_default();
                if !needs.contains(name) && checks_something(&checks, &needs) {
                    needs.insert(name.clone());
                }
            }
            if needs.len() == before {
                return needs;
            }
        }
    }

    /// The checks of the named type `name`, planned once.
    fn local_checks(&mut self, name: &str) -> Option<Vec<Check>> {
        if let Some(known) = self.local.get(name) {
            return known.clone();
        }
        let planned = self.plan_named(name);
        self.local.insert(name.to_owned(), planned.clone());
        planned
    }

    fn plan_named(&self, name: &str) -> Option<Vec<Check>> {
        let def = *self.types.get(name)?;
        let schema = crate::resolve::lookup(self.root, &def.origin)?;
        match &def.kind {
            TypeKind::Alias { target } => self.plan(schema, target, 0),
            // Unions and non-string enums go through the schema validator.
            TypeKind::ValueEnum(_) | TypeKind::Union(_) => None,
            TypeKind::Enum(_) => {
                let map = schema.as_object()?;
                only_keywords(map, &["type", "enum"]).then(Vec::new)
            }
            TypeKind::Struct(s) => {
                let map = schema.as_object()?;
                if !only_keywords(
                    map,
                    &[
                        "type",
                        "properties",
                        "required",
                        "additionalProperties",
                        "propertyNames",
                    ],
                ) || !type_admits(map, &["object"])
                    || !trivial_property_names(map)
                {
                    return None;
                }
                let properties = match map.get("properties") {
                    Some(Value::Object(properties)) => properties,
                    _ => return None,
                };
                // serde requires a field exactly when its type has no `Option`.
                for required in map
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let field = s
                        .fields
                        .iter()
                        .find(|f| !f.flatten && Some(f.wire_name.as_str()) == required.as_str())?;
                    if field.presence != Presence::Required {
                        return None;
                    }
                }
                let mut checks = Vec::new();
                for (wire, property) in properties {
                    let field = s
                        .fields
                        .iter()
                        .find(|f| !f.flatten && &f.wire_name == wire)?;
                    if field.presence == Presence::RequiredNullable {
                        return None;
                    }
                    let inner = self.plan(property, &field.ty, 0)?;
                    if !inner.is_empty() {
                        checks.push(Check::Field(field.name.clone(), inner));
                    }
                }
                let flattened = s.fields.iter().find(|f| f.flatten);
                match (map.get("additionalProperties"), flattened) {
                    (None | Some(Value::Bool(true)), None) => {}
                    (Some(Value::Object(extra)), None) if extra.is_empty() => {}
                    (Some(extra @ Value::Object(_)), Some(field)) => {
                        let RustType::Map(value) = &field.ty else {
                            return None;
                        };
                        let inner = wrap(Check::EachValue, self.plan(extra, value, 0)?);
                        checks.extend(wrap(|c| Check::Field(field.name.clone(), c), inner));
                    }
                    _ => return None,
                }
                Some(checks)
            }
        }
    }

    /// The checks that make a value of `ty` as strict as `schema`, or `None` if it cannot be.
    fn plan(&self, schema: &Value, ty: &RustType, depth: usize) -> Option<Vec<Check>> {
        if depth > 32 {
            return None;
        }
        let map = match schema {
            Value::Bool(true) => return Some(Vec::new()),
            Value::Object(map) => map,
            _ => return None,
        };
        match ty {
            RustType::Option(inner) => {
                let checks = self.plan(schema, inner, depth + 1)?;
                return Some(wrap(Check::IfSome, checks));
            }
            RustType::Boxed(inner) => {
                let checks = self.plan(schema, inner, depth + 1)?;
                return Some(wrap(Check::Unboxed, checks));
            }
            _ => {}
        }
        // `oneOf`/`anyOf` of a schema and `null`: the fast path never sees a null, so the
        // value must match the other branch. `allOf` of one schema is that schema.
        for combinator in ["oneOf", "anyOf", "allOf"] {
            let Some(branches) = map.get(combinator) else {
                continue;
            };
            if !only_keywords(map, &[combinator]) {
                return None;
            }
            let branches = branches.as_array()?;
            let others: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
            let shape_ok = match combinator {
                "allOf" => branches.len() == 1,
                _ => branches.len() == 2,
            };
            return match others.as_slice() {
                [other] if shape_ok => self.plan(other, ty, depth + 1),
                _ => None,
            };
        }
        if let Some(reference) = map.get("$ref") {
            if !only_keywords(map, &["$ref"]) {
                return None;
            }
            let target = reference.as_str()?.strip_prefix('#')?;
            let target_pointer = percent_decode(target);
            if let RustType::Named(name) = ty
                && self.types.get(name.as_str())?.origin == target_pointer
            {
                return Some(vec![Check::Named(name.clone())]);
            }
            let target_schema = crate::resolve::lookup(self.root, &target_pointer)?;
            return self.plan(target_schema, ty, depth + 1);
        }
        if let RustType::Named(name) = ty {
            let origin = crate::resolve::lookup(self.root, &self.types.get(name.as_str())?.origin)?;
            return std::ptr::eq(origin, schema).then(|| vec![Check::Named(name.clone())]);
        }

        let mut checks = Vec::new();
        match ty {
            RustType::String => {
                if !only_keywords(map, &["type", "minLength", "maxLength", "enum", "format"])
                    || !type_admits(map, &["string"])
                {
                    return None;
                }
                if let Some(format) = map.get("format")
                    && VALIDATED_FORMATS.contains(&format.as_str()?)
                {
                    return None;
                }
                if let Some(min) = map.get("minLength") {
                    checks.push(Check::MinChars(min.as_u64()?));
                }
                if let Some(max) = map.get("maxLength") {
                    checks.push(Check::MaxChars(max.as_u64()?));
                }
                if let Some(values) = map.get("enum") {
                    let values = values
                        .as_array()?
                        .iter()
                        .filter(|v| !v.is_null())
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()?;
                    checks.push(Check::OneOf(values));
                }
            }
            integer if integer.is_integer() => {
                if !only_keywords(map, &bound_keywords())
                    || !type_admits(map, &["integer", "number"])
                {
                    return None;
                }
                let (lower, upper) = self.bounds(map)?;
                if let Some((bound, exclusive)) = lower {
                    let floor = bound.floor();
                    let least = if exclusive { floor + 1.0 } else { bound.ceil() };
                    checks.push(Check::IntAtLeast(exact_integer(least)?));
                }
                if let Some((bound, exclusive)) = upper {
                    let most = if exclusive {
                        bound.ceil() - 1.0
                    } else {
                        bound.floor()
                    };
                    checks.push(Check::IntAtMost(exact_integer(most)?));
                }
            }
            RustType::F64 | RustType::F32 => {
                // Every JSON number is a `number`; an `integer`-only schema would need a check.
                if !only_keywords(map, &bound_keywords()) || !type_admits(map, &["number"]) {
                    return None;
                }
                let (lower, upper) = self.bounds(map)?;
                // f32 rounds the value before a comparison could see it.
                if *ty == RustType::F32 && (lower.is_some() || upper.is_some()) {
                    return None;
                }
                if let Some((bound, exclusive)) = lower {
                    checks.push(Check::FloatAbove { bound, exclusive });
                }
                if let Some((bound, exclusive)) = upper {
                    checks.push(Check::FloatBelow { bound, exclusive });
                }
            }
            RustType::Bool => {
                if !only_keywords(map, &["type"]) || !type_admits(map, &["boolean"]) {
                    return None;
                }
            }
            RustType::Vec(item) => {
                if !only_keywords(
                    map,
                    &["type", "items", "minItems", "maxItems", "uniqueItems"],
                ) || !type_admits(map, &["array"])
                    || map
                        .get("uniqueItems")
                        .is_some_and(|u| u != &Value::Bool(false))
                {
                    return None;
                }
                if let Some(items) = map.get("items") {
                    checks.extend(wrap(Check::EachItem, self.plan(items, item, depth + 1)?));
                }
                length_checks(map, "minItems", "maxItems", &mut checks)?;
            }
            RustType::Map(value) => {
                if !only_keywords(
                    map,
                    &[
                        "type",
                        "properties",
                        "additionalProperties",
                        "propertyNames",
                        "minProperties",
                        "maxProperties",
                    ],
                ) || !type_admits(map, &["object"])
                    || !trivial_property_names(map)
                    || map
                        .get("properties")
                        .is_some_and(|p| p != &Value::Object(Map::new()))
                {
                    return None;
                }
                if let Some(extra) = map.get("additionalProperties") {
                    checks.extend(wrap(Check::EachValue, self.plan(extra, value, depth + 1)?));
                }
                length_checks(map, "minProperties", "maxProperties", &mut checks)?;
            }
            RustType::Object => {
                if !only_keywords(
                    map,
                    &[
                        "type",
                        "additionalProperties",
                        "propertyNames",
                        "minProperties",
                        "maxProperties",
                    ],
                ) || !type_admits(map, &["object"])
                    || !trivial_property_names(map)
                    || !map.get("additionalProperties").is_none_or(is_trivial)
                {
                    return None;
                }
                length_checks(map, "minProperties", "maxProperties", &mut checks)?;
            }
            RustType::Any => {
                if !only_keywords(map, &[]) {
                    return None;
                }
            }
            // Named, Option and Box are handled above; integers by their guard.
            _ => return None,
        }
        Some(checks)
    }

    /// The lower and upper bounds of a number, each with whether it is exclusive.
    #[allow(clippy::type_complexity)]
    fn bounds(
        &self,
        map: &Map<String, Value>,
    ) -> Option<(Option<(f64, bool)>, Option<(f64, bool)>)> {
        let number = |key: &str| map.get(key).map(|v| v.as_f64().filter(|f| f.is_finite()));
        let mut lower = None;
        let mut upper = None;
        for (key, is_lower, exclusive) in [
            ("minimum", true, false),
            ("maximum", false, false),
            ("exclusiveMinimum", true, true),
            ("exclusiveMaximum", false, true),
        ] {
            let value = match map.get(key) {
                None => continue,
                // OpenAPI 3.0: a boolean that makes `minimum`/`maximum` exclusive.
                Some(Value::Bool(_)) if self.v30 && exclusive => continue,
                Some(_) => number(key)??,
            };
            let exclusive = exclusive
                || (self.v30
                    && map.get(if is_lower {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    }) == Some(&Value::Bool(true)));
            let slot = if is_lower { &mut lower } else { &mut upper };
            if slot.is_some() {
                // Two bounds on one side: rare enough to leave to the validator.
                return None;
            }
            *slot = Some((value, exclusive));
        }
        Some((lower, upper))
    }
}

/// A planned body, before its check functions are named.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedBody {
    checks: Vec<Check>,
    arrays: bool,
}

/// Whether `checks` check anything, given the named types that do.
fn checks_something(checks: &[Check], needs: &BTreeSet<String>) -> bool {
    checks.iter().any(|check| match check {
        Check::Named(name) => needs.contains(name),
        Check::IfSome(inner)
        | Check::EachItem(inner)
        | Check::EachValue(inner)
        | Check::Unboxed(inner)
        | Check::Field(_, inner) => checks_something(inner, needs),
        _ => true,
    })
}

fn wrap(wrapper: impl FnOnce(Vec<Check>) -> Check, checks: Vec<Check>) -> Vec<Check> {
    if checks.is_empty() {
        checks
    } else {
        vec![wrapper(checks)]
    }
}

fn bound_keywords() -> [&'static str; 6] {
    [
        "type",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ]
}

/// Whether `map` uses no keyword but `allowed` and annotations.
fn only_keywords(map: &Map<String, Value>, allowed: &[&str]) -> bool {
    map.keys().all(|key| {
        allowed.contains(&key.as_str())
            || ANNOTATIONS.contains(&key.as_str())
            || key.starts_with("x-")
    })
}

/// Whether `type` is absent or names one of `kinds` (the JSON types the Rust type accepts
/// must all be allowed, so `kinds` lists alternatives that each cover it).
fn type_admits(map: &Map<String, Value>, kinds: &[&str]) -> bool {
    match map.get("type") {
        None => true,
        Some(Value::String(single)) => kinds.contains(&single.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| kinds.contains(&t))),
        Some(_) => false,
    }
}

/// Whether a schema admits `null` and nothing else.
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        only_keywords(map, &["type"]) && map.get("type") == Some(&Value::String("null".into()))
    })
}

/// Whether a schema admits every value.
fn is_trivial(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => only_keywords(map, &[]),
        _ => false,
    }
}

/// Whether `propertyNames` is absent or admits every string (utoipa writes `{"type":
/// "string"}` for maps).
fn trivial_property_names(map: &Map<String, Value>) -> bool {
    match map.get("propertyNames") {
        None => true,
        Some(Value::Object(names)) => {
            only_keywords(names, &["type"]) && type_admits(names, &["string"])
        }
        Some(other) => is_trivial(other),
    }
}

fn length_checks(
    map: &Map<String, Value>,
    min: &str,
    max: &str,
    checks: &mut Vec<Check>,
) -> Option<()> {
    if let Some(n) = map.get(min) {
        checks.push(Check::MinLen(n.as_u64()?));
    }
    if let Some(n) = map.get(max) {
        checks.push(Check::MaxLen(n.as_u64()?));
    }
    Some(())
}

/// `value` as an integer, if it is one that f64 holds exactly.
fn exact_integer(value: f64) -> Option<i128> {
    (value.is_finite() && value.abs() < 9.0e15).then_some(value as i128)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_value;
    use crate::resolve::resolve;
    use serde_json::json;

    /// Whether the body `Body`, with `extra` schemas beside it, gets a fast path.
    fn fast(body: Value, extra: Value) -> bool {
        let mut schemas = extra.as_object().cloned().unwrap_or_default();
        schemas.insert("Body".to_owned(), body);
        let document = from_value(
            "test.json",
            json!({
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": schemas},
            }),
        )
        .expect("a valid document");
        let api = resolve(&document).expect("it resolves");
        let mut planner = Planner::new(&api, &document.root, false, "types::");
        let reference = json!({"$ref": "#/components/schemas/Body"});
        planner
            .body(&reference, &RustType::Named("Body".to_owned()))
            .is_some()
    }

    fn object(properties: Value) -> Value {
        json!({"type": "object", "properties": properties})
    }

    #[test]
    fn bounds_lengths_and_annotations_are_checked_in_rust() {
        assert!(fast(
            object(json!({
                "a": {"type": "string", "minLength": 1, "maxLength": 3, "description": "d"},
                "b": {"type": "integer", "format": "int32", "minimum": 0},
                "c": {"type": "array", "items": {"type": "number", "maximum": 1}},
                "d": {"oneOf": [{"$ref": "#/components/schemas/E"}, {"type": "null"}]},
            })),
            json!({"E": {"type": "string", "enum": ["x", "y"]}}),
        ));
    }

    #[test]
    fn what_rust_checks_cannot_match_keeps_the_validator() {
        for property in [
            json!({"type": "string", "pattern": "^a$"}),
            json!({"type": "string", "format": "uuid"}),
            json!({"type": "integer", "multipleOf": 2}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
            json!({"type": "string", "contentEncoding": "base64"}),
            json!({"type": "object", "minProperties": 1, "properties": {"b": {"type": "string"}}}),
        ] {
            assert!(
                !fast(object(json!({"a": property.clone()})), json!({})),
                "{property}"
            );
        }
        let closed = json!({"type": "object", "properties": {"a": {"type": "string"}},
            "additionalProperties": false});
        assert!(!fast(closed, json!({})));
        let required_nullable = json!({"type": "object", "required": ["a"],
            "properties": {"a": {"type": ["string", "null"]}}});
        assert!(!fast(required_nullable, json!({})));
    }

    #[test]
    fn lists_beside_nested_objects_keep_the_validator() {
        // serde would read the nested object from an array, which a text scan cannot tell
        // from the list.
        let inner = json!({"Inner": object(json!({"x": {"type": "string"}}))});
        let nested = object(json!({"inner": {"$ref": "#/components/schemas/Inner"}}));
        assert!(fast(nested.clone(), inner.clone()));
        let with_list = object(json!({
            "inner": {"$ref": "#/components/schemas/Inner"},
            "tags": {"type": "array", "items": {"type": "string"}},
        }));
        assert!(!fast(with_list, inner));
    }
}
