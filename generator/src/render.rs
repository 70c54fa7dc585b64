//! Stage 3: render the intermediate model into Rust source with askama templates.
//!
//! One small template per kind of item (`generator/templates/`), each borrowing the model.
//! The templates only place what the model holds; escaping lives in [`crate::text`] and is
//! reached through the small helpers below.

use askama::Template;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::format::Chunk;
use crate::ir::{
    Api, Docs, Enum, Field, Presence, RustType, Struct, TypeDef, TypeKind, Union, UnionVariant,
    ValueEnum, ValueVariant, Variant,
};
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
#[template(path = "value_enum.rs.askama", escape = "none")]
struct ValueEnumTemplate<'a> {
    def: &'a TypeDef,
    e: &'a ValueEnum,
}

impl EnumTemplate<'_> {
    fn all_values(&self) -> String {
        all_values(self.e.variants.iter().map(|v| v.name.as_str()))
    }

    /// The first line of the `Display` impl, broken before `for` where the printer breaks it.
    fn display_header(&self) -> String {
        let line = format!("impl ::std::fmt::Display for {} {{", self.def.name);
        if line.len() <= PRINTER_WIDTH {
            line
        } else {
            format!("impl ::std::fmt::Display\nfor {} {{", self.def.name)
        }
    }
}

/// The columns prettyplease fills before it breaks a line.
const PRINTER_WIDTH: usize = 89;

impl ValueEnumTemplate<'_> {
    fn all_values(&self) -> String {
        all_values(self.e.variants.iter().map(|v| v.name.as_str()))
    }
}

/// The array of an enum's `ALL` constant, laid out as the printer lays it out: on the
/// constant's line while that fits, one value per line when it does not.
fn all_values<'a>(names: impl Iterator<Item = &'a str> + Clone) -> String {
    const LINE: &str = "    pub const ALL: &'static [Self] = &[];";
    let inline = names
        .clone()
        .map(|name| format!("Self::{name}"))
        .collect::<Vec<_>>()
        .join(", ");
    if LINE.len() + inline.len() <= PRINTER_WIDTH {
        format!("&[{inline}]")
    } else {
        let mut out = String::from("&[\n");
        for name in names {
            out.push_str("Self::");
            out.push_str(name);
            out.push_str(",\n");
        }
        out.push(']');
        out
    }
}

#[derive(Template)]
#[template(path = "union.rs.askama", escape = "none")]
struct UnionTemplate<'a> {
    def: &'a TypeDef,
    u: &'a Union,
}

#[derive(Template)]
#[template(path = "three_state.rs.askama", escape = "none")]
struct ThreeStateTemplate;

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
    out.push(Chunk::Laid(imports(api)));
    let three_state = api.types.iter().any(
        |def| matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(Field::three_state)),
    );
    if three_state {
        let helper = ThreeStateTemplate.render().map_err(|err| {
            Error::new(
                ErrorKind::Internal,
                Location::Pointer(String::new()),
                format!("rendering the three-state helper failed: {err}"),
            )
        })?;
        out.push(Chunk::Laid(helper));
    }
    for def in &api.types {
        let item = match &def.kind {
            TypeKind::Struct(s) => StructTemplate { def, s }.render(),
            TypeKind::Enum(e) => EnumTemplate { def, e }.render(),
            TypeKind::ValueEnum(e) => ValueEnumTemplate { def, e }.render(),
            TypeKind::Union(u) => UnionTemplate { def, u }.render(),
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
        out.push(Chunk::Laid(item));
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
            TypeKind::Union(u) => u.variants.iter().for_each(|v| used.visit(&v.ty)),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
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
            RustType::Tuple(items) => items.iter().for_each(|item| self.visit(item)),
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
            RustType::Tuple(items) => {
                // As the printer writes it: `(A, B)`, and `(A,)` for one.
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Short(item))?;
                }
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
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
        matches!(
            self.presence,
            Presence::Optional | Presence::OptionalNullable
        )
    }

    /// Whether absent, `null` and a value are three states (`Option<Option<T>>`).
    pub fn three_state(&self) -> bool {
        self.presence == Presence::OptionalNullable
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

impl ValueEnum {
    /// The listed values, as a Rust string literal for an error message.
    pub fn expected_literal(&self) -> String {
        let values: Vec<String> = self.variants.iter().map(|v| v.value.to_string()).collect();
        text::string_literal(&format!("one of {}", values.join(", ")))
    }
}

impl ValueVariant {
    /// The value as a Rust literal that `serde_json::Value::from` takes.
    pub fn literal(&self) -> String {
        match &self.value {
            serde_json::Value::String(s) => text::string_literal(s),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) if n.is_i64() => format!("{n}i64"),
            serde_json::Value::Number(n) if n.is_u64() => format!("{n}u64"),
            serde_json::Value::Number(n) => {
                let text = n.to_string();
                // A Rust float literal needs a `.` or an exponent.
                if text.contains(['.', 'e', 'E']) {
                    format!("{text}f64")
                } else {
                    format!("{text}.0f64")
                }
            }
            // The resolver puts only strings, numbers and booleans here.
            other => text::string_literal(&other.to_string()),
        }
    }

    /// Docs naming the wire value.
    pub fn docs(&self) -> Docs {
        Docs(Some(format!(
            "`{}`",
            self.value.to_string().replace('`', "'")
        )))
    }
}

impl Union {
    /// The serde attribute that says how the variant is chosen.
    pub fn serde_attribute(&self) -> String {
        match &self.tag {
            Some(tag) => format!("#[serde(tag = {})]", text::string_literal(tag)),
            None => "#[serde(untagged)]".to_owned(),
        }
    }
}

impl UnionVariant {
    /// The variant's payload type as the types file spells it.
    pub fn rust_type(&self) -> Short<'_> {
        Short(&self.ty)
    }

    /// The tag value as a Rust string literal (tagged unions).
    pub fn tag_literal(&self) -> Option<String> {
        self.tag_value.as_deref().map(text::string_literal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{lay_out, printed};

    /// An enum's `ALL` constant crosses the printer's width one column at a time: the fast
    /// layout takes both the joined and the broken form and gives the printer's bytes.
    #[test]
    fn all_values_come_out_as_the_printer_prints_them_across_the_width() {
        for length in 1..=12 {
            let names = ["A".repeat(length), "B".repeat(10), "C".repeat(12)];
            let all = all_values(names.iter().map(String::as_str));
            let source = format!("impl E {{\npub const ALL: &'static [Self] = {all};\n}}\n");
            assert_eq!(lay_out(&source), Some(printed(&source)), "{source}");
        }
    }
}
