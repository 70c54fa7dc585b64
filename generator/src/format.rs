//! Stage 4: parse the rendered source with syn and print it with prettyplease, so the output is
//! byte-stable and valid Rust; a parse failure here is a generator bug, reported, not a panic.

use crate::error::{Error, ErrorKind, Location, Result};

/// Below this much source, formatting runs on the calling thread: spawning costs more.
const PARALLEL_ABOVE: usize = 256 * 1024;

/// Stack of a formatting thread: as much as a main thread gets.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// Formats rendered source and puts `header` (comment lines, added after formatting because syn
/// drops `//` comments) on top. The source comes in chunks, each one or more whole items, which
/// are parsed and printed one at a time: only one chunk's syntax tree per thread is alive at once,
/// so memory stays proportional to the output rather than to a tree of the whole file. Large
/// inputs are split into contiguous runs of chunks, one per core, and joined in order, so the
/// output is the same bytes whatever the number of threads.
pub fn format<S: AsRef<str> + Sync>(chunks: &[S], header: &str) -> Result<String> {
    let total: usize = chunks.iter().map(|chunk| chunk.as_ref().len()).sum();
    let threads = if total < PARALLEL_ABOVE || chunks.len() < 2 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let printed = if threads <= 1 {
        print_all(chunks)?
    } else {
        let runs = chunks.chunks(chunks.len().div_ceil(threads).max(1));
        let results: Vec<Result<String>> = std::thread::scope(|scope| {
            let workers: Vec<_> = runs
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
        results.into_iter().collect::<Result<Vec<_>>>()?.concat()
    };
    let mut out = String::with_capacity(header.len() + printed.len() + printed.len() / 16);
    out.push_str(header);
    out.push_str(&separate_items(&printed));
    Ok(out)
}

/// Parses and prints `chunks` in order, one syntax tree at a time.
fn print_all<S: AsRef<str>>(chunks: &[S]) -> Result<String> {
    let mut printed = String::new();
    for chunk in chunks {
        let chunk = chunk.as_ref();
        if !chunk.trim().is_empty() {
            printed.push_str(&prettyplease::unparse(&parse(chunk)?));
        }
    }
    Ok(printed)
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
        let chunks: Vec<String> = (0..4000)
            .map(|i| format!("/// Item {i}.\npub struct Item{i} {{ pub field: Vec<Option<String>>, pub other: i64 }}"))
            .collect();
        assert!(chunks.iter().map(String::len).sum::<usize>() > PARALLEL_ABOVE);
        let serial = separate_items(&print_all(&chunks).unwrap());
        let parallel = format(&chunks, "// header\n").unwrap();
        assert_eq!(parallel, format!("// header\n{serial}"));
        assert!(parallel.contains("pub struct Item3999 {"));
    }

    #[test]
    fn invalid_code_is_an_internal_error_naming_the_item() {
        let err = format(&["pub struct Broken {"], "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert!(
            err.message().contains("pub struct Broken {"),
            "{}",
            err.message()
        );
    }
}
