//! Stage 2: resolve a loaded document into the intermediate model ([`crate::ir`]).
//!
//! Every schema reached from `components.schemas` or an operation gets a Rust type; objects and
//! enums become named types (inline ones named from their context), everything else a
//! [`RustType`]. Anything without a faithful Rust translation is an error naming the construct
//! and its JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{
    Api, Docs, Enum, Field, Header, Operation, Parameter, ParameterLocation, Presence, RequestBody,
    Response, ResponseBody, RustType, SecurityKind, SecurityScheme, Struct, TypeDef, TypeKind,
    Variant,
};
use crate::load::{Document, kind_of};
use crate::naming::{self, Scope};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that change what data is valid in ways a Rust type cannot follow.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
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

/// Resolves a loaded document into the intermediate model.
pub fn resolve(document: &Document) -> Result<Api> {
    Resolver::new(&document.root)
        .run()
        .map_err(|err| err.in_file(&document.source))
}

/// How the type for a schema is to be named, if it needs a name.
#[derive(Clone)]
enum NameHint {
    /// The component's own name, already reserved.
    Exact(String),
    /// A name made from the context; made unique on use.
    Inline(String),
}

impl NameHint {
    fn base(&self) -> &str {
        match self {
            NameHint::Exact(name) | NameHint::Inline(name) => name,
        }
    }

    fn nested(&self, role: &str) -> NameHint {
        NameHint::Inline(naming::nested_type_name(self.base(), role))
    }
}

/// A schema's type at its use site.
struct Resolved {
    ty: RustType,
    nullable: bool,
}

struct Resolver<'a> {
    root: &'a Value,
    /// Component schema key → Rust name.
    components: BTreeMap<String, String>,
    /// Component schema keys whose schema itself admits null.
    nullable_components: BTreeSet<String>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
}

impl<'a> Resolver<'a> {
    fn new(root: &'a Value) -> Self {
        Resolver {
            root,
            components: BTreeMap::new(),
            nullable_components: BTreeSet::new(),
            types: BTreeMap::new(),
            type_names: Scope::default(),
        }
    }

    fn run(mut self) -> Result<Api> {
        let info = object_at(self.root, "/info", "info")?;
        let title = string_field(info, "title", "/info")?.unwrap_or_default();
        let version = string_field(info, "version", "/info")?.unwrap_or_default();
        let docs = docs_of(info);

        // Borrowed from the document (not from `self`), so no part of it is copied.
        let root = self.root;
        let no_schemas = Map::new();
        let schemas = match root.pointer("/components/schemas") {
            Some(value) => expect_object(value, "/components/schemas")?,
            None => &no_schemas,
        };
        self.name_components(schemas)?;
        for (key, schema) in schemas {
            self.define_component(key, schema)?;
        }

        let security_schemes = self.security_schemes()?;
        let operations = self.operations(&security_schemes)?;
        self.box_recursive_fields();
        self.check_alias_cycles()?;

        Ok(Api {
            title,
            version,
            docs,
            types: self.types.into_values().collect(),
            operations,
            security_schemes,
        })
    }

    fn name_components(&mut self, schemas: &Map<String, Value>) -> Result<()> {
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

    fn define_component(&mut self, key: &str, schema: &Value) -> Result<()> {
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

    /// The type of `schema` at `pointer`; objects and enums are defined as named types.
    fn type_of(&mut self, schema: &Value, pointer: &str, hint: NameHint) -> Result<Resolved> {
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
    fn types_of<'v>(
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

    /// `oneOf`/`anyOf` of one schema and `null` (an optional value), or `allOf` of one schema.
    fn combinator(
        &mut self,
        combinator: &str,
        branches: &Value,
        pointer: &str,
        hint: NameHint,
    ) -> Result<Resolved> {
        let Some(branches) = branches.as_array() else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!("`{combinator}` must be an array of schemas"),
            ));
        };
        let is_null = |branch: &Value| branch.get("type") == Some(&Value::String("null".into()));
        let non_null: Vec<(usize, &Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null(b))
            .collect();
        let has_null = non_null.len() < branches.len();
        match (combinator, non_null.as_slice()) {
            ("allOf", [(index, only)]) if !has_null => {
                self.type_of(only, &child(pointer, &index.to_string()), hint)
            }
            ("oneOf" | "anyOf", [(index, only)]) => {
                let mut resolved = self.type_of(only, &child(pointer, &index.to_string()), hint)?;
                resolved.nullable |= has_null;
                Ok(resolved)
            }
            _ => Err(Error::at(
                ErrorKind::Unsupported,
                pointer,
                format!(
                    "`{combinator}` with {} schemas is not supported; supported are `oneOf`/`anyOf` of one schema and {{\"type\": \"null\"}}, and `allOf` of one schema",
                    branches.len()
                ),
            )),
        }
    }

    fn schema_ref(&mut self, reference: &Value, pointer: &str) -> Result<Resolved> {
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
    fn component_key(&self, reference: &Value, pointer: &str, prefix: &str) -> Result<String> {
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
    fn deref<'v>(
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

    fn define_enum(
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

    fn array(
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

    fn object(
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

    fn define_struct(
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

    fn required_of<'v>(
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

    fn claim(&mut self, hint: NameHint) -> String {
        match hint {
            NameHint::Exact(name) if !self.types.contains_key(&name) => name,
            other => self.type_names.claim(other.base()),
        }
    }

    fn security_schemes(&self) -> Result<Vec<SecurityScheme>> {
        let Some(schemes) = self.root.pointer("/components/securitySchemes") else {
            return Ok(Vec::new());
        };
        let schemes = expect_object(schemes, "/components/securitySchemes")?;
        let mut out = Vec::new();
        let mut scope = Scope::default();
        for (key, scheme) in schemes {
            let pointer = child("/components/securitySchemes", key);
            let (scheme, pointer) = self.deref(scheme, &pointer, "/components/securitySchemes/")?;
            let scheme = expect_object(scheme, &pointer)?;
            let scheme_type = string_field(scheme, "type", &pointer)?.unwrap_or_default();
            let kind = match scheme_type.as_str() {
                "apiKey" => {
                    let location = match string_field(scheme, "in", &pointer)?.as_deref() {
                        Some("header") => ParameterLocation::Header,
                        Some("query") => ParameterLocation::Query,
                        Some("cookie") => ParameterLocation::Cookie,
                        other => {
                            return Err(Error::at(
                                ErrorKind::Invalid,
                                &child(&pointer, "in"),
                                format!(
                                    "an apiKey scheme must be `in` header, query or cookie, found {other:?}"
                                ),
                            ));
                        }
                    };
                    let parameter_name =
                        string_field(scheme, "name", &pointer)?.ok_or_else(|| {
                            Error::at(
                                ErrorKind::Invalid,
                                &pointer,
                                "an apiKey scheme needs a `name`",
                            )
                        })?;
                    SecurityKind::ApiKey {
                        location,
                        parameter_name,
                    }
                }
                "http" => SecurityKind::Http {
                    scheme: string_field(scheme, "scheme", &pointer)?.unwrap_or_default(),
                },
                _ => SecurityKind::Other { scheme_type },
            };
            out.push(SecurityScheme {
                key: key.clone(),
                name: scope.claim(&naming::type_name(key)),
                kind,
                docs: docs_of(scheme),
            });
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    fn operations(&mut self, schemes: &[SecurityScheme]) -> Result<Vec<Operation>> {
        let root = self.root;
        let Some(paths) = root.get("paths") else {
            return Ok(Vec::new());
        };
        let paths = expect_object(paths, "/paths")?;
        let global_security = root.get("security");
        let mut operations: Vec<Operation> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        let mut function_names: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let item_pointer = child("/paths", path);
            let item = expect_object(item, &item_pointer)?;
            if item.contains_key("$ref") {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &child(&item_pointer, "$ref"),
                    "path items that are `$ref`s are not supported",
                ));
            }
            let shared_parameters = item.get("parameters").unwrap_or(&Value::Null);
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let pointer = child(&item_pointer, method);
                let operation = expect_object(operation, &pointer)?;
                let id = match operation.get("operationId") {
                    None => naming::operation_name_from_route(method, path),
                    Some(Value::String(id)) => id.clone(),
                    Some(other) => {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            &child(&pointer, "operationId"),
                            format!("`operationId` must be a string, found {}", kind_of(other)),
                        ));
                    }
                };
                if let Some(first) = ids.insert(id.clone(), pointer.clone()) {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &child(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}: also used by #{first}"),
                    ));
                }
                let name = naming::function_name(&id);
                if let Some(first) = function_names.insert(name.clone(), id.clone()) {
                    return Err(Error::at(
                        ErrorKind::NameCollision,
                        &child(&pointer, "operationId"),
                        format!(
                            "operationIds {first:?} and {id:?} would both be the Rust function `{name}`; rename one of them"
                        ),
                    ));
                }
                let type_prefix = naming::type_name(&id);
                let security = match operation.get("security").or(global_security) {
                    Some(requirements) => {
                        let at = if operation.contains_key("security") {
                            child(&pointer, "security")
                        } else {
                            "/security".to_owned()
                        };
                        security_requirements(requirements, &at, schemes)?
                    }
                    None => Vec::new(),
                };
                let parameters = self.parameters(
                    shared_parameters,
                    &item_pointer,
                    operation,
                    &pointer,
                    &type_prefix,
                )?;
                check_path_parameters(path, &parameters, &pointer)?;
                let request_body = match operation.get("requestBody") {
                    Some(body) => Some(self.request_body(
                        body,
                        &child(&pointer, "requestBody"),
                        &type_prefix,
                    )?),
                    None => None,
                };
                let responses = self.responses(operation, &pointer, &type_prefix)?;
                operations.push(Operation {
                    id,
                    name,
                    type_prefix,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    origin: pointer,
                    summary: string_field(operation, "summary", "")?.filter(|s| !s.is_empty()),
                    docs: Docs(
                        string_field(operation, "description", "")?.filter(|s| !s.is_empty()),
                    ),
                    tags: operation
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|tags| {
                            tags.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    parameters,
                    request_body,
                    responses,
                    security,
                });
            }
        }
        operations.sort_by(|a, b| {
            (a.path.as_str(), method_rank(&a.method))
                .cmp(&(b.path.as_str(), method_rank(&b.method)))
        });
        Ok(operations)
    }

    fn parameters(
        &mut self,
        shared: &Value,
        shared_pointer: &str,
        operation: &Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>> {
        let mut by_key: Vec<((String, ParameterLocation), Parameter)> = Vec::new();
        let lists = [
            (shared, child(shared_pointer, "parameters")),
            (
                operation.get("parameters").unwrap_or(&Value::Null),
                child(pointer, "parameters"),
            ),
        ];
        let mut scope = Scope::default();
        for (list, list_pointer) in lists {
            let items = match list {
                Value::Null => continue,
                Value::Array(items) => items,
                other => {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &list_pointer,
                        format!("`parameters` must be an array, found {}", kind_of(other)),
                    ));
                }
            };
            for (index, parameter) in items.iter().enumerate() {
                let at = child(&list_pointer, &index.to_string());
                let (parameter, at) = self.deref(parameter, &at, "/components/parameters/")?;
                let parameter = expect_object(parameter, &at)?;
                let wire_name = string_field(parameter, "name", &at)?.ok_or_else(|| {
                    Error::at(ErrorKind::Invalid, &at, "a parameter needs a `name`")
                })?;
                let location = match string_field(parameter, "in", &at)?.as_deref() {
                    Some("path") => ParameterLocation::Path,
                    Some("query") => ParameterLocation::Query,
                    Some("header") => ParameterLocation::Header,
                    Some("cookie") => ParameterLocation::Cookie,
                    other => {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            &child(&at, "in"),
                            format!(
                                "a parameter must be `in` path, query, header or cookie, found {other:?}"
                            ),
                        ));
                    }
                };
                if parameter.contains_key("content") {
                    return Err(Error::at(
                        ErrorKind::Unsupported,
                        &child(&at, "content"),
                        "parameters described by `content` are not supported; use `schema`",
                    ));
                }
                let resolved = match parameter.get("schema") {
                    Some(schema) => self.type_of(
                        schema,
                        &child(&at, "schema"),
                        NameHint::Inline(naming::nested_type_name(type_prefix, &wire_name)),
                    )?,
                    None => Resolved {
                        ty: RustType::String,
                        nullable: false,
                    },
                };
                let required = parameter.get("required") == Some(&Value::Bool(true));
                if location == ParameterLocation::Path && !required {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &child(&at, "required"),
                        format!("path parameter {wire_name:?} must be `required: true`"),
                    ));
                }
                let key = (wire_name.to_ascii_lowercase(), location);
                let entry = Parameter {
                    name: String::new(),
                    wire_name,
                    location,
                    required,
                    ty: resolved.ty,
                    docs: docs_of(parameter),
                };
                // An operation's parameter overrides the path item's of the same name and place.
                match by_key.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, existing)) => *existing = entry,
                    None => by_key.push((key, entry)),
                }
            }
        }
        Ok(by_key
            .into_iter()
            .map(|(_, mut parameter)| {
                parameter.name = scope.claim(&naming::field_name(&parameter.wire_name));
                parameter
            })
            .collect())
    }

    fn request_body(
        &mut self,
        body: &Value,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<RequestBody> {
        let (body, pointer) = self.deref(body, pointer, "/components/requestBodies/")?;
        let body = expect_object(body, &pointer)?;
        let content = body.get("content").ok_or_else(|| {
            Error::at(
                ErrorKind::Invalid,
                &pointer,
                "a request body needs `content`",
            )
        })?;
        let content_pointer = child(&pointer, "content");
        let content = expect_object(content, &content_pointer)?;
        let Some((content_type, media)) =
            content.iter().find(|(media_type, _)| is_json(media_type))
        else {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &content_pointer,
                format!(
                    "request bodies of type {} are not supported; only JSON",
                    content
                        .keys()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let media_pointer = child(&content_pointer, content_type);
        let ty = match media.get("schema") {
            Some(schema) => optional(self.type_of(
                schema,
                &child(&media_pointer, "schema"),
                NameHint::Inline(naming::nested_type_name(type_prefix, "request")),
            )?),
            None => RustType::Any,
        };
        Ok(RequestBody {
            content_type: content_type.clone(),
            ty,
            required: body.get("required") == Some(&Value::Bool(true)),
            docs: docs_of(body),
        })
    }

    fn responses(
        &mut self,
        operation: &Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Response>> {
        let at = child(pointer, "responses");
        let Some(responses) = operation.get("responses") else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                "an operation needs `responses`",
            ));
        };
        let responses = expect_object(responses, &at)?;
        let mut out = Vec::new();
        for (status, response) in responses {
            let status_pointer = child(&at, status);
            if !is_status_key(status) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &status_pointer,
                    format!(
                        "{status:?} is not a response status; expected a code such as 200, a range such as 4XX, or `default`"
                    ),
                ));
            }
            let (response, response_pointer) =
                self.deref(response, &status_pointer, "/components/responses/")?;
            let response = expect_object(response, &response_pointer)?;
            let name = naming::status_variant_name(status);
            let body = match response.get("content") {
                None => None,
                Some(content) => {
                    let content_pointer = child(&response_pointer, "content");
                    let content = expect_object(content, &content_pointer)?;
                    self.response_body(content, &content_pointer, type_prefix, status, &name)?
                }
            };
            let headers = self.headers(response, &response_pointer)?;
            out.push(Response {
                status: status.clone(),
                name,
                docs: docs_of(response),
                body,
                headers,
            });
        }
        out.sort_by_key(|response| status_rank(&response.status));
        Ok(out)
    }

    fn response_body(
        &mut self,
        content: &Map<String, Value>,
        pointer: &str,
        type_prefix: &str,
        status: &str,
        variant: &str,
    ) -> Result<Option<ResponseBody>> {
        if content.is_empty() {
            return Ok(None);
        }
        let role = if status.starts_with('2') {
            "response".to_owned()
        } else {
            format!("{variant} response")
        };
        if let Some((content_type, media)) =
            content.iter().find(|(media_type, _)| is_json(media_type))
        {
            let media_pointer = child(pointer, content_type);
            let ty = match media.get("schema") {
                Some(schema) => optional(self.type_of(
                    schema,
                    &child(&media_pointer, "schema"),
                    NameHint::Inline(naming::nested_type_name(type_prefix, &role)),
                )?),
                None => RustType::Any,
            };
            return Ok(Some(ResponseBody {
                content_type: content_type.clone(),
                ty,
            }));
        }
        if let Some(content_type) = content
            .keys()
            .find(|media_type| media_type.starts_with("text/"))
        {
            return Ok(Some(ResponseBody {
                content_type: content_type.clone(),
                ty: RustType::String,
            }));
        }
        Err(Error::at(
            ErrorKind::Unsupported,
            pointer,
            format!(
                "response bodies of type {} are not supported; only JSON and text",
                content
                    .keys()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    fn headers(&self, response: &Map<String, Value>, pointer: &str) -> Result<Vec<Header>> {
        let Some(headers) = response.get("headers") else {
            return Ok(Vec::new());
        };
        let at = child(pointer, "headers");
        let headers = expect_object(headers, &at)?;
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (wire_name, header) in headers {
            // OpenAPI: a described `Content-Type` header is ignored.
            if wire_name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let (header, header_pointer) =
                self.deref(header, &child(&at, wire_name), "/components/headers/")?;
            let header = expect_object(header, &header_pointer)?;
            out.push(Header {
                name: scope.claim(&naming::field_name(wire_name)),
                wire_name: wire_name.clone(),
                required: header.get("required") == Some(&Value::Bool(true)),
                docs: docs_of(header),
            });
        }
        Ok(out)
    }

    /// Boxes struct fields that would otherwise make a type contain itself.
    fn box_recursive_fields(&mut self) {
        let edges: BTreeMap<&str, BTreeSet<String>> = self
            .types
            .iter()
            .map(|(name, def)| (name.as_str(), by_value_references(def)))
            .collect();
        // A field from S to T closes a cycle exactly when T reaches S, that is when both are in
        // the same strongly connected component: one linear pass instead of a search per field.
        let component = strongly_connected_components(&edges);
        let mut to_box = Vec::new();
        for (name, def) in &self.types {
            if let TypeKind::Struct(s) = &def.kind {
                for (index, field) in s.fields.iter().enumerate() {
                    if let RustType::Named(target) = field.ty.innermost()
                        && component.get(target.as_str()) == component.get(name.as_str())
                    {
                        to_box.push((name.clone(), index));
                    }
                }
            }
        }
        for (name, index) in to_box {
            if let Some(TypeDef {
                kind: TypeKind::Struct(s),
                ..
            }) = self.types.get_mut(&name)
            {
                let field = &mut s.fields[index];
                field.ty = box_named(std::mem::replace(&mut field.ty, RustType::Any));
            }
        }
    }

    /// Rust rejects a type alias that refers to itself, even through `Vec`.
    fn check_alias_cycles(&self) -> Result<()> {
        let aliases: BTreeMap<&str, BTreeSet<String>> = self
            .types
            .iter()
            .filter_map(|(name, def)| match &def.kind {
                TypeKind::Alias { target } => {
                    let mut names = BTreeSet::new();
                    collect_named(target, &mut names);
                    Some((name.as_str(), names))
                }
                _ => None,
            })
            .collect();
        let component = strongly_connected_components(&aliases);
        // An alias is in a cycle when it refers to itself or shares its component with another
        // alias; the first such name (in name order) is reported.
        let cyclic = aliases.iter().find(|(name, refs)| {
            refs.contains(**name)
                || aliases
                    .keys()
                    .any(|other| other != *name && component.get(other) == component.get(*name))
        });
        match cyclic {
            Some((start, _)) => Err(Error::at(
                ErrorKind::Unsupported,
                &self.types[*start].origin,
                format!(
                    "the schema `{start}` refers to itself without an object in between; recursive types must go through an object"
                ),
            )),
            None => Ok(()),
        }
    }
}

/// The strongly connected component of every node of `edges` (edges to names that are not
/// nodes are ignored), by Tarjan's algorithm without recursion, so deep specs cannot overflow
/// the stack.
fn strongly_connected_components<'n>(
    edges: &BTreeMap<&'n str, BTreeSet<String>>,
) -> BTreeMap<&'n str, usize> {
    let nodes: Vec<&str> = edges.keys().copied().collect();
    let index_of: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let successors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            edges[n]
                .iter()
                .filter_map(|t| index_of.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; nodes.len()];
    let mut low = vec![0; nodes.len()];
    let mut on_stack = vec![false; nodes.len()];
    let mut stack = Vec::new();
    let mut component = vec![0; nodes.len()];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..nodes.len() {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next successor to look at)
        let mut work = vec![(root, 0)];
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if *next == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&successor) = successors[node].get(*next) {
                *next += 1;
                if index[successor] == UNVISITED {
                    work.push((successor, 0));
                } else if on_stack[successor] {
                    low[node] = low[node].min(index[successor]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes.into_iter().zip(component).collect()
}

/// Names a type refers to without indirection (`Vec` and maps are indirection; `Option` is not).
fn by_value_references(def: &TypeDef) -> BTreeSet<String> {
    fn direct(ty: &RustType, out: &mut BTreeSet<String>) {
        match ty {
            RustType::Named(name) => {
                out.insert(name.clone());
            }
            RustType::Option(inner) => direct(inner, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct(&f.ty, &mut out)),
        TypeKind::Alias { target } => direct(target, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

fn collect_named(ty: &RustType, out: &mut BTreeSet<String>) {
    match ty {
        RustType::Named(name) => {
            out.insert(name.clone());
        }
        RustType::Vec(inner)
        | RustType::Map(inner)
        | RustType::Option(inner)
        | RustType::Boxed(inner) => collect_named(inner, out),
        _ => {}
    }
}

fn box_named(ty: RustType) -> RustType {
    match ty {
        RustType::Option(inner) => RustType::Option(Box::new(box_named(*inner))),
        named @ RustType::Named(_) => RustType::Boxed(Box::new(named)),
        other => other,
    }
}

/// A use-site type: `Option<T>` when the schema admits null.
fn optional(resolved: Resolved) -> RustType {
    if resolved.nullable {
        RustType::Option(Box::new(resolved.ty))
    } else {
        resolved.ty
    }
}

fn integer_type(schema: &Map<String, Value>) -> RustType {
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

fn is_nullable_schema(schema: &Value) -> bool {
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

/// The component key a schema is nothing but a reference to (`$ref`, or `allOf` of one `$ref`).
fn referenced_component(schema: &Value) -> Option<String> {
    let reference = match schema.get("allOf").and_then(Value::as_array) {
        Some(branches) if branches.len() == 1 => branches[0].get("$ref"),
        _ => schema.get("$ref"),
    }?;
    let local = percent_decode(reference.as_str()?.strip_prefix("#/components/schemas/")?);
    (!local.contains('/')).then(|| unescape(&local))
}

fn type_admits_null(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::Array(types)) => types.contains(&Value::String("null".into())),
        Some(Value::String(single)) => single == "null",
        _ => false,
    }
}

fn security_requirements(
    requirements: &Value,
    pointer: &str,
    schemes: &[SecurityScheme],
) -> Result<Vec<String>> {
    let Some(requirements) = requirements.as_array() else {
        return Err(Error::at(
            ErrorKind::Invalid,
            pointer,
            "`security` must be an array",
        ));
    };
    let mut out = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let at = child(pointer, &index.to_string());
        let requirement = expect_object(requirement, &at)?;
        if requirement.len() > 1 {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &at,
                "a security requirement that combines several schemes is not supported",
            ));
        }
        for key in requirement.keys() {
            if !schemes.iter().any(|scheme| &scheme.key == key) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, key),
                    format!(
                        "the security scheme {key:?} is not defined in components.securitySchemes"
                    ),
                ));
            }
            if !out.contains(key) {
                out.push(key.clone());
            }
        }
    }
    Ok(out)
}

fn check_path_parameters(path: &str, parameters: &[Parameter], pointer: &str) -> Result<()> {
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!("unclosed `{{` in path {path:?}"),
            ));
        };
        let name = &rest[start + 1..start + len];
        if !parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path && p.wire_name == name)
        {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!(
                    "the path {path:?} uses {{{name}}}, but the operation defines no path parameter {name:?}"
                ),
            ));
        }
        rest = &rest[start + len + 1..];
    }
    Ok(())
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn is_status_key(status: &str) -> bool {
    let bytes = status.as_bytes();
    status == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) || &status[1..] == "XX"))
}

fn status_rank(status: &str) -> (u8, String) {
    if status == "default" {
        (1, String::new())
    } else {
        (0, status.to_owned())
    }
}

fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(method))
        .unwrap_or(METHODS.len())
}

fn object_at<'v>(root: &'v Value, pointer: &str, what: &str) -> Result<&'v Map<String, Value>> {
    match root.pointer(pointer) {
        Some(value) => expect_object(value, pointer),
        None => Err(Error::at(
            ErrorKind::Invalid,
            "",
            format!("the document has no `{what}` object"),
        )),
    }
}

fn expect_object<'v>(value: &'v Value, pointer: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Error::at(
            ErrorKind::Invalid,
            pointer,
            format!("expected an object, found {}", kind_of(value)),
        )
    })
}

fn string_field(map: &Map<String, Value>, key: &str, pointer: &str) -> Result<Option<String>> {
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
fn docs_of(map: &Map<String, Value>) -> Docs {
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

fn docs_of_value(value: &Value) -> Docs {
    value.as_object().map(docs_of).unwrap_or_default()
}

fn dangling(reference: &Value, pointer: &str) -> Error {
    dangling_str(reference.as_str().unwrap_or_default(), pointer)
}

fn dangling_str(reference: &str, pointer: &str) -> Error {
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

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
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

    fn graph<'a>(edges: &[(&'a str, &[&str])]) -> BTreeMap<&'a str, BTreeSet<String>> {
        edges
            .iter()
            .map(|(from, to)| (*from, to.iter().map(|t| (*t).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn components_group_exactly_the_nodes_that_reach_each_other() {
        // a → b → c → a is a cycle; d → a hangs off it; e refers to itself; f to nothing known.
        let edges = graph(&[
            ("a", &["b"]),
            ("b", &["c"]),
            ("c", &["a"]),
            ("d", &["a"]),
            ("e", &["e"]),
            ("f", &["unknown"]),
        ]);
        let component = strongly_connected_components(&edges);
        assert_eq!(component["a"], component["b"]);
        assert_eq!(component["b"], component["c"]);
        assert_ne!(component["d"], component["a"]);
        assert_ne!(component["e"], component["a"]);
        assert_ne!(component["f"], component["d"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let names: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
        let edges: BTreeMap<&str, BTreeSet<String>> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    name.as_str(),
                    names.get(i + 1).into_iter().cloned().collect(),
                )
            })
            .collect();
        let component = strongly_connected_components(&edges);
        let distinct: BTreeSet<usize> = component.values().copied().collect();
        assert_eq!(distinct.len(), names.len());
    }
}
