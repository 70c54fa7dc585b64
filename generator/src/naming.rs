//! Every Rust name the generator emits is decided here, from the spec's names, with heck.
//!
//! Rules: types and enum variants are `UpperCamelCase`, fields, functions and modules
//! `snake_case`; names are ASCII (other characters become `uXXXX` words); keywords become raw
//! identifiers (or get a `_` suffix where Rust forbids raw ones); names that would shadow what
//! generated code uses (`String`, `Option`, ...) get a `_` suffix; names that would be empty or
//! start with a digit get a prefix. Uniqueness inside one scope is the job of [`Scope`].

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Type names generated code relies on (the prelude's and those the types file imports); a
/// schema of that name must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "BTreeMap",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "JsonMap",
    "JsonValue",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The Rust type name for a schema or inline type, e.g. `software_deployment` → `SoftwareDeployment`.
pub fn type_name(raw: &str) -> String {
    let name = upper_camel(&ascii_words(raw));
    let name = if name.is_empty() {
        "Type".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Type{name}")
    } else {
        name
    };
    if RESERVED_TYPES.contains(&name.as_str()) || name == "Self" {
        format!("{name}_")
    } else {
        name
    }
}

/// The name of an inline type, from the name of what holds it and its role there,
/// e.g. (`SoftwareDeployment`, `status`) → `SoftwareDeploymentStatus`.
pub fn nested_type_name(parent: &str, role: &str) -> String {
    type_name(&format!("{parent} {}", ascii_words(role)))
}

/// The Rust field name for a property, e.g. `configId` → `config_id`, `type` → `r#type`.
pub fn field_name(raw: &str) -> String {
    snake_ident(raw, "field")
}

/// The Rust function name for an operation, e.g. `createSoftwareDeployment` → `create_software_deployment`.
pub fn function_name(raw: &str) -> String {
    snake_ident(raw, "operation")
}

/// The router's name for the capture at `position` of a route. Positional, never the spec's
/// parameter name: routes that differ only in parameter names are one route.
pub fn route_capture(position: usize) -> String {
    format!("p{position}")
}

/// The `static` holding the path templates of the `index`th route that matches them itself.
pub fn route_templates(index: usize) -> String {
    format!("PATHS_{index}")
}

/// The Rust name of a constant, e.g. `header user_name` → `HEADER_USER_NAME`.
pub fn constant_name(raw: &str) -> String {
    let name = snake(&ascii_words(raw)).to_ascii_uppercase();
    if name.is_empty() {
        "CONSTANT".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("CONSTANT_{name}")
    } else {
        name
    }
}

/// An operation name for an operation without `operationId`, from its method and path,
/// e.g. (`get`, `/pets/{id}`) → `get_pets_id`.
pub fn operation_name_from_route(method: &str, path: &str) -> String {
    function_name(&format!("{method} {path}"))
}

/// The Rust variant name for an enum value, e.g. `IN_PROGRESS` → `InProgress`.
pub fn variant_name(raw: &str) -> String {
    let name = upper_camel(&ascii_words(raw));
    if name.is_empty() {
        "Empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// The Rust variant name for a value of a non-string enum, e.g. `1` → `V1`, `-1` → `Minus1`,
/// `2.5` → `V2_5`, `true` → `True`; strings as [`variant_name`].
pub fn value_variant_name(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => variant_name(text),
        serde_json::Value::Bool(true) => "True".to_owned(),
        serde_json::Value::Bool(false) => "False".to_owned(),
        serde_json::Value::Number(number) => {
            let text = number.to_string();
            let (sign, digits) = match text.strip_prefix('-') {
                Some(digits) => ("Minus", digits),
                None => ("V", text.as_str()),
            };
            let digits: String = digits
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            format!("{sign}{digits}")
        }
        _ => "Value".to_owned(),
    }
}

/// The variant name of a response status, e.g. `200` → `Ok`, `404` → `NotFound`, `default` → `Default`.
pub fn status_variant_name(status: &str) -> String {
    let reason = match status {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "206" => "PartialContent",
        "300" => "MultipleChoices",
        "301" => "MovedPermanently",
        "302" => "Found",
        "303" => "SeeOther",
        "304" => "NotModified",
        "307" => "TemporaryRedirect",
        "308" => "PermanentRedirect",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "409" => "Conflict",
        "410" => "Gone",
        "412" => "PreconditionFailed",
        "413" => "PayloadTooLarge",
        "415" => "UnsupportedMediaType",
        "422" => "UnprocessableEntity",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "default" => "Default",
        other => return format!("Status{}", type_name(other)),
    };
    reason.to_owned()
}

/// Hands out unique names inside one scope (a module, a struct's fields, an enum's variants):
/// a name already taken gets the suffix `2`, `3`, ... in the order names are claimed.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, usize>,
}

impl Scope {
    /// Reserves `name` exactly; returns false if it was taken.
    pub fn reserve(&mut self, name: &str) -> bool {
        if self.taken.contains_key(name) {
            return false;
        }
        self.taken.insert(name.to_owned(), 1);
        true
    }

    /// Returns `name`, or `name` with the smallest free numeric suffix.
    pub fn claim(&mut self, name: &str) -> String {
        if self.reserve(name) {
            return name.to_owned();
        }
        // A suffixed keyword is no longer a keyword, so the raw marker goes.
        let stem = name.strip_prefix("r#").unwrap_or(name);
        let separator = if stem.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let mut n = self.taken[name] + 1;
        loop {
            let candidate = format!("{}{separator}{n}", stem.trim_end_matches('_'));
            if self.reserve(&candidate) {
                self.taken.insert(name.to_owned(), n);
                return candidate;
            }
            n += 1;
        }
    }
}

fn snake_ident(raw: &str, fallback: &str) -> String {
    let name = snake(&ascii_words(raw));
    let name = if name.is_empty() {
        fallback.to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}_{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `words` (from [`ascii_words`]) in UpperCamelCase, as heck writes it. See [`simple_pieces`].
fn upper_camel(words: &str) -> String {
    let Some(pieces) = simple_pieces(words) else {
        return words.to_upper_camel_case();
    };
    let mut out = String::with_capacity(words.len());
    for piece in pieces {
        // Each piece starts with an ASCII letter (see `simple_pieces`).
        let start = out.len();
        out.push_str(piece);
        out[start..].make_ascii_lowercase();
        out[start..=start].make_ascii_uppercase();
    }
    out
}

/// `words` (from [`ascii_words`]) in snake_case, as heck writes it. See [`simple_pieces`].
fn snake(words: &str) -> String {
    let Some(pieces) = simple_pieces(words) else {
        return words.to_snake_case();
    };
    let mut out = String::with_capacity(words.len() + 4);
    for piece in pieces {
        if !out.is_empty() {
            out.push('_');
        }
        let start = out.len();
        out.push_str(piece);
        out[start..].make_ascii_lowercase();
    }
    out
}

/// The words heck would find in `words`, for the usual names (`fooBar`, `Foo2 bar`): each word
/// starts with a letter, has no two capitals in a row and no capital right after a digit, so it
/// breaks exactly before each capital. heck formats every character through `char`'s
/// Unicode case tables, which made naming a tenth of the resolver's time; a test checks that
/// this gives heck's answers. Other names go to heck.
fn simple_pieces(words: &str) -> Option<Vec<&str>> {
    let mut pieces = Vec::new();
    for word in words.split(' ').filter(|word| !word.is_empty()) {
        let bytes = word.as_bytes();
        if !bytes[0].is_ascii_alphabetic()
            || bytes.windows(2).any(|pair| {
                pair[1].is_ascii_uppercase()
                    && (pair[0].is_ascii_uppercase() || pair[0].is_ascii_digit())
            })
        {
            return None;
        }
        let mut start = 0;
        for (index, byte) in bytes.iter().enumerate().skip(1) {
            if byte.is_ascii_uppercase() {
                pieces.push(&word[start..index]);
                start = index;
            }
        }
        pieces.push(&word[start..]);
    }
    Some(pieces)
}

/// Reduces any text to ASCII words that heck can case: letters and digits are kept, other
/// ASCII is a word break, and other characters become `uXXXX` words so that distinct names stay
/// distinct.
fn ascii_words(raw: &str) -> String {
    if raw.is_ascii() {
        // Nearly every name: a byte for each byte.
        let bytes = raw
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { b } else { b' ' })
            .collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", u32::from(c)));
        } else {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortcuts_give_hecks_answers() {
        // Every text of up to six characters from letters of both cases, a digit and a break.
        let alphabet = ['a', 'B', 'c', 'D', '1', ' '];
        let mut texts = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..6 {
            texts = texts
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            all.extend(texts.iter().cloned());
        }
        for text in &all {
            assert_eq!(upper_camel(text), text.to_upper_camel_case(), "{text:?}");
            assert_eq!(snake(text), text.to_snake_case(), "{text:?}");
        }
    }

    #[test]
    fn types_are_upper_camel_and_never_shadow_the_prelude() {
        assert_eq!(type_name("software_deployment"), "SoftwareDeployment");
        assert_eq!(type_name("HeatError"), "HeatError");
        assert_eq!(type_name("String"), "String_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("JsonValue"), "JsonValue_");
        assert_eq!(type_name("2fa"), "Type2fa");
        assert_eq!(type_name("$$"), "Type");
        assert_eq!(type_name("größe"), "GrU00f6U00dfE");
    }

    #[test]
    fn fields_are_snake_and_keywords_are_raw() {
        assert_eq!(field_name("configId"), "config_id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("1st"), "field_1st");
        assert_eq!(field_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(field_name(""), "field");
    }

    #[test]
    fn constants_are_shouting_snake() {
        assert_eq!(constant_name("header user_name"), "HEADER_USER_NAME");
        assert_eq!(constant_name("path configId"), "PATH_CONFIG_ID");
        assert_eq!(constant_name("1st"), "CONSTANT_1ST");
        assert_eq!(constant_name("$$"), "CONSTANT");
    }

    #[test]
    fn variants_follow_wire_values() {
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
        assert_eq!(variant_name("application/json"), "ApplicationJson");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn scope_suffixes_collisions_in_claim_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_3");
        assert_eq!(scope.claim("Pet"), "Pet");
        assert_eq!(scope.claim("Pet"), "Pet2");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type_2");
    }
}
