//! Errors with a location in the user's document.

use std::fmt;
use std::path::PathBuf;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the source text (1-based line and column).
    Text { line: usize, column: usize },
    /// A JSON pointer into the parsed document (RFC 6901), e.g. `/components/schemas/Pet`.
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(pointer) if pointer.is_empty() => f.write_str("#"),
            Location::Pointer(pointer) => write!(f, "#{}", fragment(pointer)),
            Location::Document => Ok(()),
        }
    }
}

/// A pointer in URI fragment form as far as it matters for one readable line: `%`, control
/// and bidirectional characters are percent-encoded, everything else is kept.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for c in pointer.chars() {
        if c == '%'
            || c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What went wrong; the variant decides the CLI's exit code and lets callers match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read or written.
    Io,
    /// The text is not valid JSON or YAML.
    Syntax,
    /// The document is not an OpenAPI 3.0/3.1 document.
    NotOpenApi,
    /// The document is OpenAPI but breaks one of its rules (dangling `$ref`, duplicate ids, ...).
    Invalid,
    /// The document uses a construct this generator does not translate.
    Unsupported,
    /// Two things in the document would get the same Rust name.
    NameCollision,
    /// A bug in the generator: it produced code that does not parse.
    Internal,
}

/// An error on user input or output, located where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    /// The file the error is about, when there is one.
    file: Option<PathBuf>,
    location: Location,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error {
            kind,
            file: None,
            location,
            message: message.into(),
        }
    }

    pub(crate) fn at(kind: ErrorKind, pointer: &str, message: impl Into<String>) -> Self {
        Error::new(kind, Location::Pointer(pointer.to_owned()), message)
    }

    pub(crate) fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, Location::Document, err.to_string()).in_file(path)
    }

    /// Names the file the error is about (kept if one is already set).
    pub(crate) fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file the error is about, if known.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }

    /// Where in the document the error is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The message without its location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    /// One line: `file:line:col: message` or `file#/json/pointer: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .file
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "<document>".to_owned());
        match &self.location {
            Location::Document => write!(f, "{file}: {}", self.message),
            Location::Text { .. } => write!(f, "{file}:{}: {}", self.location, self.message),
            Location::Pointer(_) => write!(f, "{file}{}: {}", self.location, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_print_on_one_line() {
        let err = Error::at(
            ErrorKind::Invalid,
            "/components/schemas/a\nb%\u{202e}",
            "bad",
        );
        assert_eq!(
            err.in_file("x.json").to_string(),
            "x.json#/components/schemas/a%0Ab%25%E2%80%AE: bad"
        );
    }
}
