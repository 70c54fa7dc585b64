//! Stage 4: parse the rendered source with syn and print it with prettyplease, so the output is
//! byte-stable and valid Rust; a parse failure here is a generator bug, reported, not a panic.

use crate::error::{Error, ErrorKind, Location, Result};

/// Below this much source, formatting runs on the calling thread: spawning costs more.
const PARALLEL_ABOVE: usize = 32 * 1024;

/// Stack of a formatting thread: as much as a main thread gets.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// A piece of a file: one or more whole items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Rendered source, to be parsed and printed.
    Source(String),
    /// Text already laid out as the printer lays it out (a test checks that), copied as is.
    Formatted(&'static str),
}

impl Chunk {
    /// Bytes to parse: what the chunk costs to format.
    fn source_len(&self) -> usize {
        match self {
            Chunk::Source(text) => text.len(),
            Chunk::Formatted(_) => 0,
        }
    }
}

/// Formats one file's chunks and puts `header` (comment lines, added after formatting because
/// syn drops `//` comments) on top. See [`format_files`].
pub fn format(chunks: &[Chunk], header: &str) -> Result<String> {
    Ok(format_files(&[(chunks, header)])?.remove(0))
}

/// Formats several files, each given as its chunks and its header. Each source chunk is parsed
/// and printed on its own: only one chunk's syntax tree per thread is alive at once, so memory
/// stays proportional to the output rather than to a tree of a whole file. Large inputs are
/// split into contiguous runs of about equal size, one per core, across all files, and joined in
/// order, so the output is the same bytes whatever the number of threads.
pub fn format_files(files: &[(&[Chunk], &str)]) -> Result<Vec<String>> {
    let all: Vec<&Chunk> = files.iter().flat_map(|(chunks, _)| chunks.iter()).collect();
    let total: usize = all.iter().map(|chunk| chunk.source_len()).sum();
    let threads = if total < PARALLEL_ABOVE || all.len() < 2 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let printed: Vec<String> = if threads <= 1 {
        print_all(&all)?
    } else {
        let runs = balanced_runs(&all, total.div_ceil(threads));
        let results: Vec<Result<Vec<String>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = runs
                .into_iter()
                .map(|run| {
                    // syn and prettyplease recurse per nesting level: give workers the stack
                    // a main thread has.
                    std::thread::Builder::new()
                        .stack_size(WORKER_STACK)
                        .spawn_scoped(scope, move || print_all(run))
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| {
                    let worker = worker.map_err(|err| {
                        Error::new(
                            ErrorKind::Internal,
                            Location::Document,
                            format!("cannot start a formatting thread: {err}"),
                        )
                    })?;
                    worker.join().unwrap_or_else(|_| {
                        Err(Error::new(
                            ErrorKind::Internal,
                            Location::Document,
                            "formatting panicked; please report this",
                        ))
                    })
                })
                .collect()
        });
        results
            .into_iter()
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect()
    };
    let mut printed = printed.into_iter();
    let mut out = Vec::with_capacity(files.len());
    for (chunks, header) in files {
        let code: String = printed.by_ref().take(chunks.len()).collect();
        let mut file = String::with_capacity(header.len() + code.len() + code.len() / 16);
        file.push_str(header);
        file.push_str(&separate_items(&code));
        out.push(file);
    }
    Ok(out)
}

/// `chunks` cut into contiguous runs of about `target` bytes of source each.
fn balanced_runs<'c, 'a>(chunks: &'c [&'a Chunk], target: usize) -> Vec<&'c [&'a Chunk]> {
    let mut runs = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (index, chunk) in chunks.iter().enumerate() {
        size += chunk.source_len();
        if size >= target {
            runs.push(&chunks[start..=index]);
            (start, size) = (index + 1, 0);
        }
    }
    if start < chunks.len() {
        runs.push(&chunks[start..]);
    }
    runs
}

/// Each chunk printed, in order, one syntax tree at a time.
fn print_all(chunks: &[&Chunk]) -> Result<Vec<String>> {
    chunks
        .iter()
        .map(|chunk| match chunk {
            Chunk::Formatted(text) => Ok((*text).to_owned()),
            Chunk::Source(text) if text.trim().is_empty() => Ok(String::new()),
            Chunk::Source(text) => Ok(prettyplease::unparse(&parse(text)?)),
        })
        .collect()
}

/// Cuts rendered source into its top-level items, so that they can be printed one at a time
/// and on several cores. An item starts at a line in the first column after a line in the
/// first column that ends one (`}` or `;`); templates keep everything inside an item indented.
pub fn split_items(source: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut previous_ended_item = false;
    for line in source.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let first_column = !line.starts_with([' ', '\t']);
        let starts_item = first_column && !line.starts_with(['}', ')', ']']);
        if previous_ended_item && starts_item && !current.is_empty() {
            chunks.push(Chunk::Source(std::mem::take(&mut current)));
        }
        current.push_str(line);
        current.push('\n');
        let trimmed = line.trim_end();
        previous_ended_item = first_column && (trimmed.ends_with('}') || trimmed.ends_with(';'));
    }
    if !current.is_empty() {
        chunks.push(Chunk::Source(current));
    }
    chunks
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_inputs_format_in_parallel_to_the_same_bytes() {
        let chunks: Vec<Chunk> = (0..4000)
            .map(|i| Chunk::Source(format!("/// Item {i}.\npub struct Item{i} {{ pub field: Vec<Option<String>>, pub other: i64 }}")))
            .collect();
        assert!(chunks.iter().map(Chunk::source_len).sum::<usize>() > PARALLEL_ABOVE);
        let all: Vec<&Chunk> = chunks.iter().collect();
        let serial = separate_items(&print_all(&all).unwrap().concat());
        let parallel = format(&chunks, "// header\n").unwrap();
        assert_eq!(parallel, format!("// header\n{serial}"));
        assert!(parallel.contains("pub struct Item3999 {"));
    }

    #[test]
    fn several_files_format_together_and_come_back_apart() {
        let first: Vec<Chunk> = (0..900)
            .map(|i| Chunk::Source(format!("pub struct A{i} {{ pub x: i64 }}")))
            .collect();
        let second = vec![
            Chunk::Formatted("use std::sync::Arc;\n"),
            Chunk::Source("pub struct B(Arc<i64>);".to_owned()),
        ];
        let files = format_files(&[(&first, "// one\n"), (&second, "// two\n")]).unwrap();
        assert_eq!(files[0], format(&first, "// one\n").unwrap());
        assert_eq!(
            files[1],
            "// two\nuse std::sync::Arc;\n\npub struct B(Arc<i64>);\n"
        );
    }

    #[test]
    fn rendered_source_splits_at_top_level_items() {
        let source = "use a::b;\nuse c::d;\n/// Doc.\n#[derive(Debug)]\npub struct S {\n    x: i64,\n}\nimpl S {\n    fn f() {\n    }\n}\nconst C: &str = \"}\";\n";
        let chunks = split_items(source);
        let texts: Vec<&str> = chunks
            .iter()
            .map(|chunk| match chunk {
                Chunk::Source(text) => text.as_str(),
                Chunk::Formatted(text) => text,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "use a::b;\n",
                "use c::d;\n",
                "/// Doc.\n#[derive(Debug)]\npub struct S {\n    x: i64,\n}\n",
                "impl S {\n    fn f() {\n    }\n}\n",
                "const C: &str = \"}\";\n",
            ]
        );
    }

    #[test]
    fn invalid_code_is_an_internal_error_naming_the_item() {
        let err = format(&[Chunk::Source("pub struct Broken {".to_owned())], "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert!(
            err.message().contains("pub struct Broken {"),
            "{}",
            err.message()
        );
    }
}
