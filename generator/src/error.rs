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

/// An error on user input or output, located where possible. A run that found several
/// problems returns them all in one `Error`: the first (in location order) is this value, the
/// rest are in [`Error::errors`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    /// The file the error is about, when there is one.
    file: Option<PathBuf>,
    location: Location,
    message: String,
    /// Further errors found in the same run, sorted by location; each has none of its own.
    more: Vec<Error>,
}

/// File, kind of location, then the location's parts (line and column, or pointer tokens).
type OrderKey<'e> = (
    Option<&'e std::path::Path>,
    u8,
    Vec<(usize, usize, &'e str)>,
);

/// How many errors [`Error`]'s `Display` lists before it only counts the rest.
pub const MAX_LISTED_ERRORS: usize = 50;

impl Error {
    pub(crate) fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error {
            kind,
            file: None,
            location,
            message: message.into(),
            more: Vec::new(),
        }
    }

    /// All `errors` as one: sorted by file and location, duplicates dropped. `None` when there
    /// are none.
    pub(crate) fn all(errors: Vec<Error>) -> Option<Self> {
        let mut flat: Vec<Error> = errors
            .into_iter()
            .flat_map(|mut err| {
                let more = std::mem::take(&mut err.more);
                std::iter::once(err).chain(more)
            })
            .collect();
        flat.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        flat.dedup();
        let mut flat = flat.into_iter();
        let mut first = flat.next()?;
        first.more = flat.collect();
        Some(first)
    }

    /// Sorts by file, then position: the whole document, text positions, then pointers token
    /// by token (numeric tokens as numbers, so `/10` follows `/9`).
    fn order_key(&self) -> OrderKey<'_> {
        let (rank, tokens) = match &self.location {
            Location::Document => (0, Vec::new()),
            Location::Text { line, column } => (1, vec![(*line, *column, "")]),
            Location::Pointer(pointer) => (
                2,
                pointer
                    .split('/')
                    .map(|token| match token.parse::<usize>() {
                        Ok(number) => (0, number, ""),
                        Err(_) => (1, 0, token),
                    })
                    .collect(),
            ),
        };
        (self.file.as_deref(), rank, tokens)
    }

    /// This error and every further one found in the same run, in location order.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(self).chain(&self.more)
    }

    /// How many errors this value holds (1 and more).
    pub fn count(&self) -> usize {
        1 + self.more.len()
    }

    pub(crate) fn at(kind: ErrorKind, pointer: &str, message: impl Into<String>) -> Self {
        Error::new(kind, Location::Pointer(pointer.to_owned()), message)
    }

    pub(crate) fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, Location::Document, err.to_string()).in_file(path)
    }

    /// Names the file the error is about (kept if one is already set).
    pub(crate) fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        let file = file.into();
        for err in &mut self.more {
            if err.file.is_none() {
                err.file = Some(file.clone());
            }
        }
        if self.file.is_none() {
            self.file = Some(file);
        }
        self
    }

    /// Places an error reported without a position at `pointer` (kept if it has one).
    pub(crate) fn at_pointer(mut self, pointer: &str) -> Self {
        if self.location == Location::Document {
            self.location = Location::Pointer(pointer.to_owned());
        }
        self
    }

    /// Moves each error for which `place` gives a file and location there, then sorts again.
    pub(crate) fn relocate(
        mut self,
        place: impl Fn(&Location) -> Option<(PathBuf, Location)>,
    ) -> Self {
        let move_one = |err: &mut Error| {
            if let Some((file, location)) = place(&err.location) {
                err.file = Some(file);
                err.location = location;
            }
        };
        move_one(&mut self);
        self.more.iter_mut().for_each(move_one);
        let unsorted = self.clone();
        Error::all(vec![self]).unwrap_or(unsorted)
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
    /// One line per error: `file:line:col: message` or `file#/json/pointer: message`; after
    /// [`MAX_LISTED_ERRORS`] lines, one line that counts the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, err) in self.errors().take(MAX_LISTED_ERRORS).enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            err.fmt_one(f)?;
        }
        let rest = self.count().saturating_sub(MAX_LISTED_ERRORS);
        if rest > 0 {
            let plural = if rest == 1 { "" } else { "s" };
            write!(f, "\n{}: and {rest} more error{plural}", self.file_name())?;
        }
        Ok(())
    }
}

impl Error {
    fn file_name(&self) -> String {
        self.file
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "<document>".to_owned())
    }

    /// One line, whatever a parser put in the message.
    fn fmt_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file_name();
        let message = self
            .message
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join(" ");
        match &self.location {
            Location::Document => write!(f, "{file}: {message}"),
            Location::Text { .. } => write!(f, "{file}:{}: {message}", self.location),
            Location::Pointer(_) => write!(f, "{file}{}: {message}", self.location),
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

    #[test]
    fn several_errors_print_sorted_one_per_line_and_capped() {
        let at = |pointer: &str| Error::at(ErrorKind::Invalid, pointer, "bad");
        let err = Error::all(vec![at("/b/10"), at("/b/9"), at("/a"), at("/b/9")])
            .expect("some errors")
            .in_file("x.json");
        assert_eq!(err.count(), 3, "the duplicate is dropped");
        assert_eq!(
            err.to_string(),
            "x.json#/a: bad\nx.json#/b/9: bad\nx.json#/b/10: bad"
        );

        let many = Error::all((0..60).map(|i| at(&format!("/p/{i}"))).collect())
            .expect("some errors")
            .in_file("x.json");
        let text = many.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_LISTED_ERRORS + 1);
        assert_eq!(lines[49], "x.json#/p/49: bad");
        assert_eq!(lines[50], "x.json: and 10 more errors");
        assert!(Error::all(Vec::new()).is_none());
    }
}
