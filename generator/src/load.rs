//! Stage 1: read a document (JSON or YAML) and check that it is OpenAPI 3.0 or 3.1.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::bundle::Files;
use crate::error::{Error, ErrorKind, Location, Result};

/// The OpenAPI versions this generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum OpenApiVersion {
    /// OpenAPI 3.0.x (`nullable: true`).
    V3_0,
    /// OpenAPI 3.1.x (JSON Schema 2020-12, `type: [T, "null"]`).
    V3_1,
}

/// A loaded document: its parsed JSON value and where it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in error messages and generated headers.
    pub source: PathBuf,
    /// The document as JSON (YAML is converted on load), with the files it refers to placed
    /// under [`crate::bundle::FILES_KEY`] and every `$ref` made local.
    pub root: Value,
    /// The OpenAPI version it declares.
    pub version: OpenApiVersion,
    /// The other files the document refers to, each loaded once.
    pub files: Files,
}

impl Document {
    /// Every file read: the spec, then the files it refers to (for `cargo:rerun-if-changed`).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.source.as_path()).chain(self.files.paths.iter().map(PathBuf::as_path))
    }

    /// Names the file and position an error of the resolved document is about: the spec, or a
    /// file it refers to.
    pub fn locate(&self, err: Error) -> Error {
        self.files.locate(err.in_file(&self.source))
    }
}

/// Reads and checks a document from a file, and the files it refers to.
pub fn load_file(path: &Path) -> Result<Document> {
    let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, &err))?;
    load_str(path, &text)
}

/// Parses and checks a document from text. JSON is told from YAML by the file extension, and
/// failing that by the first character. Files it refers to are found next to `source`.
pub fn load_str(source: impl Into<PathBuf>, text: &str) -> Result<Document> {
    let source = source.into();
    let root = parse_text(&source, text).map_err(|err| err.in_file(&source))?;
    from_value(source, root)
}

/// Parses JSON or YAML text (not necessarily an OpenAPI document); errors are not yet given
/// the file.
pub(crate) fn parse_text(source: &Path, text: &str) -> Result<Value> {
    let empty = || {
        Error::new(
            ErrorKind::NotOpenApi,
            Location::Document,
            "the document is empty",
        )
    };
    if text.trim().is_empty() {
        return Err(empty());
    }
    let root = if is_json(source, text) {
        parse_json(text)
    } else {
        parse_yaml(text)
    }?;
    if root.is_null() {
        // YAML that holds only comments.
        return Err(empty());
    }
    Ok(root)
}

/// Checks an already parsed document, and loads the files it refers to (found next to
/// `source`).
pub fn from_value(source: impl Into<PathBuf>, mut root: Value) -> Result<Document> {
    let source = source.into();
    let version = check_version(&root).map_err(|err| err.in_file(&source))?;
    let files = crate::bundle::bundle(&source, &mut root).map_err(|err| err.in_file(&source))?;
    Ok(Document {
        source,
        root,
        version,
        files,
    })
}

fn is_json(source: &Path, text: &str) -> bool {
    match source.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

fn parse_json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|err| {
        // serde_json appends " at line L column C"; the location is reported separately.
        let message = without_position(&err.to_string());
        Error::new(
            ErrorKind::Syntax,
            Location::Text {
                line: err.line(),
                column: err.column(),
            },
            format!("invalid JSON: {message}"),
        )
    })
}

/// The deepest flow nesting (`[`, `{`) a YAML document may have. The YAML parser itself stops at
/// 128 levels, but only after its scanner spent time quadratic in the depth; this is checked
/// first, in one linear pass.
const MAX_YAML_FLOW_DEPTH: usize = 128;

fn parse_yaml(text: &str) -> Result<Value> {
    if let Some((line, column)) = too_deep_flow(text, MAX_YAML_FLOW_DEPTH) {
        return Err(Error::new(
            ErrorKind::Syntax,
            Location::Text { line, column },
            format!("invalid YAML: nested more than {MAX_YAML_FLOW_DEPTH} levels deep"),
        ));
    }
    yaml_serde::from_str::<Value>(text).map_err(|err| {
        let location = err
            .location()
            .map_or(Location::Document, |at| Location::Text {
                line: at.line(),
                column: at.column(),
            });
        let message = without_position(&err.to_string());
        Error::new(
            ErrorKind::Syntax,
            location,
            format!("invalid YAML: {message}"),
        )
    })
}

/// Where (1-based line and column) YAML flow collections first nest deeper than `limit`, if
/// they do. A linear scan that knows just enough YAML to find flow brackets: quoted scalars,
/// comments and block scalars (`|`, `>`) are skipped, and in block context a bracket counts only
/// where a value starts. Block nesting needs no check: each level costs a column of indentation.
fn too_deep_flow(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    // Inside a quoted scalar: its closing quote.
    let mut quote: Option<char> = None;
    // Inside a block scalar: the indentation of the line that started it.
    let mut block_scalar: Option<usize> = None;
    for (line_index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        // At a value start: the line start, or after `: `, `- `, `? `, or, in flow, `,` `[` `{`.
        let mut value_start = true;
        let mut previous = ' ';
        let mut chars = line.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            if let Some(close) = quote {
                if c == close {
                    // `''` inside single quotes is an escaped quote.
                    if close == '\'' && chars.peek().map(|(_, n)| *n) == Some('\'') {
                        chars.next();
                    } else {
                        quote = None;
                        value_start = false;
                    }
                } else if c == '\\' && close == '"' {
                    chars.next();
                }
                previous = c;
                continue;
            }
            match c {
                ' ' | '\t' => {
                    if matches!(previous, ':' | '-' | '?') {
                        value_start = true;
                    }
                }
                '#' if matches!(previous, ' ' | '\t') || offset == 0 => break,
                '"' | '\'' if value_start => quote = Some(c),
                '[' | '{' if value_start || depth > 0 => {
                    depth += 1;
                    if depth > limit {
                        return Some((line_index + 1, line[..offset].chars().count() + 1));
                    }
                    value_start = true;
                }
                ']' | '}' if depth > 0 => {
                    depth -= 1;
                    value_start = false;
                }
                ',' if depth > 0 => value_start = true,
                '|' | '>' if value_start && depth == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                _ => value_start = false,
            }
            previous = c;
        }
    }
    None
}

/// A parser's message without the ` at line L column C` it embeds (the location is reported
/// separately), wherever in the message that is.
fn without_position(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[start + " at line ".len()..];
    let digits =
        |text: &str| text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let line_len = digits(rest);
    let Some(after_column) = rest[line_len..].strip_prefix(" column ") else {
        return message.to_owned();
    };
    let tail = &after_column[digits(after_column)..];
    format!("{}{tail}", &message[..start])
}

fn check_version(root: &Value) -> Result<OpenApiVersion> {
    let not_openapi = |message: String| Error::at(ErrorKind::NotOpenApi, "", message);
    let Some(object) = root.as_object() else {
        return Err(not_openapi(format!(
            "not an OpenAPI document: the top level is {}, expected an object with an `openapi` field",
            kind_of(root)
        )));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Error::at(
            ErrorKind::NotOpenApi,
            "/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are supported. Convert it first, \
                 e.g. with `npx swagger2openapi in.json -o out.json`",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let Some(version) = object.get("openapi") else {
        return Err(not_openapi(
            "not an OpenAPI document: it has no `openapi` version field".to_owned(),
        ));
    };
    let Some(version) = version.as_str() else {
        return Err(Error::at(
            ErrorKind::NotOpenApi,
            "/openapi",
            format!(
                "`openapi` must be a version string such as \"3.1.0\", found {}",
                kind_of(version)
            ),
        ));
    };
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Ok(OpenApiVersion::V3_0),
        (Some("3"), Some("1")) => Ok(OpenApiVersion::V3_1),
        _ => Err(Error::at(
            ErrorKind::NotOpenApi,
            "/openapi",
            format!("unsupported OpenAPI version {version:?}; supported are 3.0.x and 3.1.x"),
        )),
    }
}

/// A short name of a JSON value's kind, for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_cut_out_of_parser_messages() {
        assert_eq!(
            without_position("did not find ',' at line 8 column 1, while parsing"),
            "did not find ',', while parsing"
        );
        assert_eq!(
            without_position("key must be a string at line 4 column 13"),
            "key must be a string"
        );
        assert_eq!(without_position("no position"), "no position");
        assert_eq!(without_position("at line x"), "at line x");
    }

    #[test]
    fn deep_flow_nesting_is_found_where_it_passes_the_limit() {
        assert_eq!(too_deep_flow("a: [[[[x]]]]", 3), Some((1, 7)));
        assert_eq!(too_deep_flow("a: [[[x]]]\nb: {c: [d]}", 3), None);
        assert_eq!(
            too_deep_flow("a:\n  - {b: [[[\n      c]]]}", 3),
            Some((2, 11))
        );
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let text = "\
a: \"[[[[\"
b: '[[[[ it''s [['
c: x [[[[
d: |
  [[[[
  {{{{
e: [\"[[[[\", '{{{{'] # [[[[
";
        assert_eq!(too_deep_flow(text, 2), None);
    }
}
