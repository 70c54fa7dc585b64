//! Part of stage 1: `$ref`s into other files next to the spec.
//!
//! Every file a `$ref` names (`common.yaml#/components/schemas/Error`, `../shared/other.json`) is
//! read once (keyed by its canonical path), and the files it refers to in turn. Each is then
//! placed, whole, under [`FILES_KEY`] of the spec's root, and every `$ref` into it, or inside it,
//! is rewritten into a local one (`#/x-openapi-rustgen-files/0/components/schemas/Error`). The
//! resolver thus sees one document, and [`Files::locate`] turns a pointer under that key back
//! into the file and the pointer within it for messages.
//!
//! URLs are refused: the generator never touches the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Location, Result};

/// The key of the spec's root under which the files it refers to are placed, in the order they
/// were first referred to.
pub const FILES_KEY: &str = "x-openapi-rustgen-files";

/// The files loaded besides the spec, in the order of [`FILES_KEY`].
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// Each file's path as referred to (joined to the referring file's folder), for messages
    /// and `cargo:rerun-if-changed`.
    pub paths: Vec<PathBuf>,
}

impl Files {
    /// Gives an error whose pointer is under [`FILES_KEY`] the file and the pointer within it.
    pub fn locate(&self, err: Error) -> Error {
        err.relocate(|location| {
            let Location::Pointer(pointer) = location else {
                return None;
            };
            let (index, rest) = split_files_pointer(pointer)?;
            let path = self.paths.get(index)?.clone();
            Some((path, Location::Pointer(rest.to_owned())))
        })
    }

    /// The stem of the file at `index` (`common` for `common.yaml`), to name a type defined by
    /// a whole file.
    pub fn stem(&self, index: usize) -> Option<&str> {
        self.paths.get(index)?.file_stem()?.to_str()
    }
}

/// `(file index, pointer within the file)` of a pointer under [`FILES_KEY`].
pub fn split_files_pointer(pointer: &str) -> Option<(usize, &str)> {
    let rest = pointer.strip_prefix('/')?.strip_prefix(FILES_KEY)?;
    let rest = rest.strip_prefix('/')?;
    let (index, rest) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    };
    Some((index.parse().ok()?, rest))
}

/// Loads every file that `root` (read from `source`) refers to, transitively, and rewrites the
/// references as described in the module documentation. All errors found are returned together.
pub fn bundle(source: &Path, root: &mut Value) -> Result<Files> {
    let mut bundler = Bundler {
        base: source.parent().map(Path::to_path_buf).unwrap_or_default(),
        index_of: BTreeMap::new(),
        paths: Vec::new(),
        contents: Vec::new(),
        errors: Vec::new(),
    };
    // Most documents are one file: a walk without pointers finds no reference to rewrite.
    if !refers_outside(root) {
        return Ok(Files { paths: Vec::new() });
    }
    bundler.rewrite(root, source, None);
    // Files loaded while rewriting may refer to further files: a work list, not recursion.
    let mut next = 0;
    while next < bundler.contents.len() {
        let mut content = std::mem::take(&mut bundler.contents[next]);
        let path = bundler.paths[next].clone();
        bundler.rewrite(&mut content, &path, Some(next));
        bundler.contents[next] = content;
        next += 1;
    }
    if let Some(errors) = Error::all(bundler.errors) {
        return Err(errors);
    }
    if !bundler.paths.is_empty()
        && let Some(object) = root.as_object_mut()
    {
        object.insert(FILES_KEY.to_owned(), Value::Array(bundler.contents));
    }
    Ok(Files {
        paths: bundler.paths,
    })
}

/// Whether any `$ref` in `root` names something outside the document (a file or a URL);
/// data (examples, defaults) included, which only makes the answer err towards the full walk.
fn refers_outside(root: &Value) -> bool {
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match child {
                        Value::String(reference)
                            if key == "$ref" && !reference.starts_with('#') =>
                        {
                            return true;
                        }
                        Value::Object(_) | Value::Array(_) => stack.push(child),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    false
}

/// Keywords whose value is data, not part of the document's structure.
const DATA_KEYWORDS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Objects keyed by names, where a data keyword is an ordinary name (a property `default`).
const NAMED_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
];

struct Bundler {
    /// The spec's folder; files are keyed by canonical path, found relative to their referrer.
    base: PathBuf,
    index_of: BTreeMap<PathBuf, usize>,
    paths: Vec<PathBuf>,
    contents: Vec<Value>,
    errors: Vec<Error>,
}

impl Bundler {
    /// Rewrites every `$ref` in `value`, which is the file `file` (index `own` under
    /// [`FILES_KEY`], or `None` for the spec itself).
    fn rewrite(&mut self, value: &mut Value, file: &Path, own: Option<usize>) {
        // (value, its pointer); iterative, so a deep document cannot overflow the stack.
        let mut stack: Vec<(&mut Value, String)> = vec![(value, String::new())];
        while let Some((value, pointer)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    let named_map = pointer
                        .rsplit('/')
                        .next()
                        .is_some_and(|parent| NAMED_MAPS.contains(&parent));
                    for (key, child) in map.iter_mut() {
                        let at = crate::resolve::child(&pointer, key);
                        // Values (examples, defaults) are data, where `$ref` is only a key.
                        if !named_map && DATA_KEYWORDS.contains(&key.as_str()) {
                            continue;
                        }
                        if key == "$ref"
                            && let Value::String(reference) = child
                        {
                            match self.local_form(reference, file, own) {
                                Ok(Some(local)) => *reference = local,
                                Ok(None) => {}
                                Err(err) => self.errors.push(err.in_file(file).at_pointer(&at)),
                            }
                        } else {
                            stack.push((child, at));
                        }
                    }
                }
                Value::Array(items) => {
                    for (index, child) in items.iter_mut().enumerate() {
                        stack.push((child, format!("{pointer}/{index}")));
                    }
                }
                _ => {}
            }
        }
    }

    /// The local form of `reference` (found in `file`), or `None` if it needs no change.
    fn local_form(
        &mut self,
        reference: &str,
        file: &Path,
        own: Option<usize>,
    ) -> Result<Option<String>> {
        let (target, fragment) = match reference.split_once('#') {
            Some((target, fragment)) => (target, fragment),
            None => (reference, ""),
        };
        if has_scheme(target) {
            return Err(Error::new(
                ErrorKind::Unsupported,
                Location::Document,
                format!(
                    "$ref {reference:?} is a URL; the generator never fetches anything over the network: save the file next to the spec and refer to it by a relative path"
                ),
            ));
        }
        let index = if target.is_empty() {
            match own {
                None => return Ok(None),
                Some(index) => index,
            }
        } else {
            self.load(target, file, reference)?
        };
        Ok(Some(format!("#/{FILES_KEY}/{index}{fragment}")))
    }

    /// The index of the file `target` (relative to `file`), loading it on first use.
    fn load(&mut self, target: &str, file: &Path, reference: &str) -> Result<usize> {
        let folder = match file.parent() {
            Some(folder) => folder.to_path_buf(),
            None => self.base.clone(),
        };
        let path = folder.join(crate::resolve::percent_decode(target));
        let canonical = std::fs::canonicalize(&path).map_err(|err| {
            Error::new(
                ErrorKind::Invalid,
                Location::Document,
                format!("$ref {reference:?}: cannot read {}: {err}", path.display()),
            )
        })?;
        if let Some(index) = self.index_of.get(&canonical) {
            return Ok(*index);
        }
        let text = std::fs::read_to_string(&canonical).map_err(|err| {
            Error::new(
                ErrorKind::Invalid,
                Location::Document,
                format!("$ref {reference:?}: cannot read {}: {err}", path.display()),
            )
        })?;
        // A problem inside the other file names that file, not the reference.
        let content = crate::load::parse_text(&path, &text).map_err(|err| {
            self.errors.push(err.in_file(&path));
            Error::new(
                ErrorKind::Invalid,
                Location::Document,
                format!("$ref {reference:?}: {} is not valid", path.display()),
            )
        })?;
        let index = self.paths.len();
        self.index_of.insert(canonical, index);
        self.paths.push(path);
        self.contents.push(content);
        Ok(index)
    }
}

/// Whether `target` starts with a URI scheme (`https:`, `file:`, ...), not a path. A single
/// letter followed by `:` is a Windows drive, not a scheme.
fn has_scheme(target: &str) -> bool {
    match target.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_told_from_paths() {
        assert!(has_scheme("https://example.com/a.yaml"));
        assert!(has_scheme("http://x"));
        assert!(has_scheme("file:///etc/a.yaml"));
        assert!(!has_scheme("common.yaml"));
        assert!(!has_scheme("../shared/common.yaml"));
        assert!(!has_scheme("C:\\specs\\a.yaml"));
    }

    #[test]
    fn pointers_under_the_files_key_split_into_file_and_pointer() {
        let pointer = format!("/{FILES_KEY}/3/components/schemas/A");
        assert_eq!(
            split_files_pointer(&pointer),
            Some((3, "/components/schemas/A"))
        );
        assert_eq!(
            split_files_pointer(&format!("/{FILES_KEY}/0")),
            Some((0, ""))
        );
        assert_eq!(split_files_pointer("/components/schemas/A"), None);
    }
}
