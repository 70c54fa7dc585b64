//! Stage 4: parse the rendered source with syn and print it with prettyplease, so the output is
//! byte-stable and valid Rust; a parse failure here is a generator bug, reported, not a panic.

use crate::error::{Error, ErrorKind, Location, Result};

/// Formats rendered source and puts `header` (comment lines, added after formatting because syn
/// drops `//` comments) on top. The source comes in chunks, each one or more whole items, which
/// are parsed and printed one at a time: only one chunk's syntax tree is alive at once, so memory
/// stays proportional to the output rather than to a tree of the whole file.
pub fn format<S: AsRef<str>>(chunks: &[S], header: &str) -> Result<String> {
    let mut printed = String::new();
    for chunk in chunks {
        let chunk = chunk.as_ref();
        if chunk.trim().is_empty() {
            continue;
        }
        printed.push_str(&prettyplease::unparse(&parse(chunk)?));
    }
    let mut out = String::with_capacity(header.len() + printed.len() + printed.len() / 16);
    out.push_str(header);
    out.push_str(&separate_items(&printed));
    Ok(out)
}

fn parse(source: &str) -> Result<syn::File> {
    syn::parse_file(source).map_err(|err| {
        // The chunk is one item: its first code line says which.
        let item = source
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with("#[") && !line.starts_with("//"))
            .unwrap_or_default();
        Error::new(
            ErrorKind::Internal,
            Location::Document,
            format!("the generator produced invalid Rust ({err}) in `{item}`; please report this"),
        )
    })
}

/// Puts a blank line between top-level items, which prettyplease prints back to back.
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous_ended_item = false;
    let mut previous_was_use = false;
    for line in code.lines() {
        let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
        // `use` lines stay together: one group, which rustfmt sorts as a whole.
        let is_use = line.starts_with("use ");
        if previous_ended_item && starts_item && !(previous_was_use && is_use) {
            out.push('\n');
        }
        previous_was_use = is_use;
        previous_ended_item = line == "}" || (line.ends_with(';') && !line.starts_with(' '));
        out.push_str(line);
        out.push('\n');
    }
    out
}
