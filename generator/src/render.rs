//! Stage 3: render the intermediate model into Rust source with askama templates.
//!
//! One small template per kind of item (`generator/templates/`), each borrowing the model.
//! The templates only place what the model holds; escaping lives in [`crate::text`] and is
//! reached through the small helpers below.

use askama::Template;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::format::Chunk;
use crate::ir::{Api, Docs, Enum, Field, Presence, RustType, Struct, TypeDef, TypeKind, Variant};
use crate::text;

#[derive(Template)]
#[template(path = "struct.rs.askama", escape = "none")]
struct StructTemplate<'a> {
    def: &'a TypeDef,
    s: &'a Struct,
}

#[derive(Template)]
#[template(path = "enum.rs.askama", escape = "none")]
struct EnumTemplate<'a> {
    def: &'a TypeDef,
    e: &'a Enum,
}

#[derive(Template)]
#[template(path = "alias.rs.askama", escape = "none")]
struct AliasTemplate<'a> {
    def: &'a TypeDef,
    target: Short<'a>,
}

/// Renders every named type of the API, in the model's order, as unformatted Rust: the `use`
/// lines, then one chunk per type, for [`crate::format::format`].
pub fn render_types(api: &Api) -> Result<Vec<Chunk>> {
    let mut out = Vec::with_capacity(api.types.len() + 1);
    out.push(Chunk::Source(imports(api)));
    for def in &api.types {
        let item = match &def.kind {
            TypeKind::Struct(s) => StructTemplate { def, s }.render(),
            TypeKind::Enum(e) => EnumTemplate { def, e }.render(),
            TypeKind::Alias { target } => AliasTemplate {
                def,
                target: Short(target),
            }
            .render(),
        }
        .map_err(|err| {
            Error::new(
                ErrorKind::Internal,
                Location::Pointer(def.origin.clone()),
                format!("rendering `{}` failed: {err}", def.name),
            )
        })?;
        out.push(Chunk::Source(item));
    }
    Ok(out)
}

/// The `use` lines the types file needs, in the order rustfmt sorts them. Short names keep
/// lines short enough that prettyplease (which breaks at 89 columns) and rustfmt (at 100) agree;
/// [`crate::naming`] reserves each imported name.
fn imports(api: &Api) -> String {
    let mut used = Used::default();
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| used.visit(&f.ty)),
            TypeKind::Alias { target } => used.visit(target),
            TypeKind::Enum(_) => {}
        }
    }
    let mut out = String::new();
    // Derives name serde's traits unqualified.
    if api
        .types
        .iter()
        .any(|def| !matches!(def.kind, TypeKind::Alias { .. }))
    {
        out.push_str("use serde::{Deserialize, Serialize};\n");
    }
    match (used.json_map, used.json_value) {
        (true, true) => out.push_str("use serde_json::{Map as JsonMap, Value as JsonValue};\n"),
        (true, false) => out.push_str("use serde_json::Map as JsonMap;\n"),
        (false, true) => out.push_str("use serde_json::Value as JsonValue;\n"),
        (false, false) => {}
    }
    if used.btree_map {
        out.push_str("use std::collections::BTreeMap;\n");
    }
    out
}

/// Which imported names the types use.
#[derive(Default)]
struct Used {
    json_map: bool,
    json_value: bool,
    btree_map: bool,
}

impl Used {
    fn visit(&mut self, ty: &RustType) {
        match ty {
            RustType::Any => self.json_value = true,
            RustType::Object => {
                self.json_map = true;
                self.json_value = true;
            }
            RustType::Map(inner) => {
                self.btree_map = true;
                self.visit(inner);
            }
            RustType::Vec(inner) | RustType::Option(inner) | RustType::Boxed(inner) => {
                self.visit(inner)
            }
            _ => {}
        }
    }
}

/// A type as the types file spells it: with the short names imported at its top.
pub struct Short<'a>(pub &'a RustType);

impl std::fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            RustType::Any => f.write_str("JsonValue"),
            RustType::Object => f.write_str("JsonMap<String, JsonValue>"),
            RustType::Map(value) => write!(f, "BTreeMap<String, {}>", Short(value)),
            RustType::Vec(item) => write!(f, "Vec<{}>", Short(item)),
            RustType::Option(inner) => write!(f, "Option<{}>", Short(inner)),
            RustType::Boxed(inner) => write!(f, "Box<{}>", Short(inner)),
            other => write!(f, "{other}"),
        }
    }
}

impl Docs {
    /// The docs as `#[doc]` attributes, escaped.
    pub fn attributes(&self) -> String {
        text::doc_attributes(self.0.as_deref())
    }
}

impl Field {
    /// The field's type as the types file spells it.
    pub fn rust_type(&self) -> Short<'_> {
        Short(&self.ty)
    }

    /// The wire name as a Rust string literal.
    pub fn wire_literal(&self) -> String {
        text::string_literal(&self.wire_name)
    }

    /// Whether the field is left out of the output when it is `None`.
    pub fn skips_none(&self) -> bool {
        self.presence == Presence::Optional
    }
}

impl Variant {
    /// The wire value as a Rust string literal.
    pub fn wire_literal(&self) -> String {
        text::string_literal(&self.wire_value)
    }

    /// Docs naming the wire value.
    pub fn docs(&self) -> Docs {
        // A value that is empty or holds line breaks or control characters is shown escaped,
        // as a string literal, so it stays one visible code span.
        let shown = if self.wire_value.is_empty() || self.wire_value.chars().any(char::is_control) {
            format!("{:?}", self.wire_value)
        } else {
            self.wire_value.clone()
        };
        Docs(Some(format!("`{}`", shown.replace('`', "'"))))
    }
}
