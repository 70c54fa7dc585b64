//! Stage 3: render the intermediate model into Rust source with askama templates.
//!
//! One small template per kind of item (`generator/templates/`), each borrowing the model.
//! The templates only place what the model holds; escaping lives in [`crate::text`] and is
//! reached through the small helpers below.

use askama::Template;

use crate::error::{Error, ErrorKind, Location, Result};
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
    target: &'a RustType,
}

/// Renders every named type of the API, in the model's order, as unformatted Rust.
pub fn render_types(api: &Api) -> Result<String> {
    let mut out = String::new();
    // Derives name serde's traits unqualified, which keeps lines short enough that
    // prettyplease and rustfmt agree on them.
    if api
        .types
        .iter()
        .any(|def| !matches!(def.kind, TypeKind::Alias { .. }))
    {
        out.push_str("use serde::{Deserialize, Serialize};\n");
    }
    for def in &api.types {
        let item = match &def.kind {
            TypeKind::Struct(s) => StructTemplate { def, s }.render(),
            TypeKind::Enum(e) => EnumTemplate { def, e }.render(),
            TypeKind::Alias { target } => AliasTemplate { def, target }.render(),
        }
        .map_err(|err| {
            Error::new(
                ErrorKind::Internal,
                Location::Pointer(def.origin.clone()),
                format!("rendering `{}` failed: {err}", def.name),
            )
        })?;
        out.push_str(&item);
        out.push('\n');
    }
    Ok(out)
}

impl Docs {
    /// The docs as `#[doc]` attributes, escaped.
    pub fn attributes(&self) -> String {
        text::doc_attributes(self.0.as_deref())
    }
}

impl Field {
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
        Docs(Some(format!("`{}`", self.wire_value.replace('`', "'"))))
    }
}
