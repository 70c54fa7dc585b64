//! Stage 4: parse the rendered source with syn and print it with prettyplease, so the output is
//! byte-stable and valid Rust; a parse failure here is a generator bug, reported, not a panic.

use crate::error::{Error, ErrorKind, Location, Result};

mod layout;
mod scan;

#[cfg(test)]
pub(crate) use layout::lay_out;

/// `source` as the printer prints it: what the fast layout's tests compare with.
#[cfg(test)]
pub(crate) fn printed(source: &str) -> String {
    prettyplease::unparse(&syn::parse_file(source).expect("the test's source parses"))
}
pub(crate) use layout::{CLOSURE_WIDTH, FUTURE_DECLARATION, columns, fits, within_printer_width};

/// Below this much source, formatting runs on the calling thread: spawning costs more.
const PARALLEL_ABOVE: usize = 32 * 1024;

/// Stack of a formatting thread: as much as a main thread gets.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// A line that a template puts before each member of a trait that can grow with the spec (one
/// method per operation). syn drops it like any `//` comment; [`split_items`] cuts there, so
/// that such a trait is printed a group of members at a time, not as one syntax tree.
pub const MEMBER_MARKER: &str = "// @member";

/// Source of a group of members printed at once: large enough that the trait's head and tail,
/// printed again with each group, cost little.
const MEMBER_GROUP: usize = 32 * 1024;

/// A trait item the printer never joins with its neighbours: it stands where a group of
/// members goes, so that the lines before it are the trait's head and those after its tail.
const SENTINEL: &str = "fn openapi_rustgen_member_sentinel();\n";

/// Starts `work` on a thread of its own in `scope`, with the stack a main thread has: syn and
/// prettyplease recurse per nesting level.
pub(crate) fn spawn_worker<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> Result<T> + Send + 'scope,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, Result<T>>> {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn_scoped(scope, work)
}

/// What a [`spawn_worker`] thread returned; an error if it could not start or panicked.
pub(crate) fn join_worker<T>(
    worker: std::io::Result<std::thread::ScopedJoinHandle<'_, Result<T>>>,
) -> Result<T> {
    let worker = worker.map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            Location::Document,
            format!("cannot start a thread: {err}"),
        )
    })?;
    worker.join().unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Internal,
            Location::Document,
            "generating panicked; please report this",
        ))
    })
}

/// A piece of a file: one or more whole items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Rendered source, to be parsed and printed.
    Source(String),
    /// Text already laid out as the printer lays it out (a test checks that), copied as is.
    Formatted(&'static str),
    /// Source a template wrote line by line as the printer lays it out, but with indentation
    /// and doc attributes left to the formatter: laid out without a syntax tree where that is
    /// certain to give the printer's bytes, parsed and printed otherwise (see [`Layout`]).
    Laid(String),
    /// One trait whose members are printed a group at a time: its source up to the first
    /// member, the members, and the rest (later members and the closing brace).
    Members {
        /// The trait's attributes and first line.
        head: String,
        /// Each member's source.
        members: Vec<String>,
        /// What follows the last member.
        tail: String,
    },
}

impl Chunk {
    /// Bytes to parse: what the chunk costs to format.
    fn source_len(&self) -> usize {
        match self {
            Chunk::Source(text) => text.len(),
            Chunk::Formatted(_) => 0,
            // Laying out costs a small part of parsing and printing.
            Chunk::Laid(text) => text.len() / 8,
            Chunk::Members {
                head,
                members,
                tail,
            } => head.len() + tail.len() + members.iter().map(String::len).sum::<usize>(),
        }
    }
}

/// How [`Chunk::Laid`] chunks are formatted. Both give the same bytes (tested on every fixture);
/// [`Layout::Printer`] is there to check that.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// Without a syntax tree where that is certain to give the printer's bytes.
    #[default]
    Fast,
    /// Every chunk parsed with syn and printed with prettyplease.
    Printer,
}

/// Formats one file's chunks and puts `header` (comment lines, added after formatting because
/// syn drops `//` comments) on top. See [`format_files`].
pub fn format(chunks: &[Chunk], header: &str) -> Result<String> {
    Ok(format_files(vec![(chunks.to_vec(), header)], Layout::Fast)?.remove(0))
}

/// Formats several files, each given as its chunks and its header. Each source chunk is parsed
/// and printed on its own and dropped once printed: only one chunk's syntax tree per thread is
/// alive at once, so memory stays proportional to the output rather than to a tree of a whole
/// file. Large inputs are split into contiguous runs of about equal size, one per core, across
/// all files, and joined in order, so the output is the same bytes whatever the number of
/// threads.
pub fn format_files(files: Vec<(Vec<Chunk>, &str)>, mode: Layout) -> Result<Vec<String>> {
    let counts: Vec<(usize, &str)> = files
        .iter()
        .map(|(chunks, header)| (chunks.len(), *header))
        .collect();
    let all: Vec<Chunk> = files.into_iter().flat_map(|(chunks, _)| chunks).collect();
    let total: usize = all.iter().map(Chunk::source_len).sum();
    let threads = if total < PARALLEL_ABOVE || all.len() < 2 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let printed: Vec<String> = if threads <= 1 {
        print_all(all, mode)?
    } else {
        let runs = balanced_runs(all, total.div_ceil(threads));
        let results: Vec<Result<Vec<String>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = runs
                .into_iter()
                .map(|run| spawn_worker(scope, move || print_all(run, mode)))
                .collect();
            workers.into_iter().map(join_worker).collect()
        });
        results
            .into_iter()
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect()
    };
    // Each printed piece is freed as soon as it is copied into its file.
    let mut printed = printed.into_iter();
    let mut out = Vec::with_capacity(counts.len());
    for (count, header) in counts {
        let pieces: Vec<String> = printed.by_ref().take(count).collect();
        // Room for the pieces and a blank line after each, so the file is not grown by doubling.
        let size = header.len() + pieces.iter().map(|piece| piece.len() + 1).sum::<usize>();
        let mut file = String::with_capacity(size);
        file.push_str(header);
        let mut separator = Separator::default();
        for piece in pieces {
            separator.push(&mut file, &piece);
        }
        file.shrink_to_fit();
        out.push(file);
    }
    Ok(out)
}

/// `chunks` cut into contiguous runs of about `target` bytes of source each.
fn balanced_runs(chunks: Vec<Chunk>, target: usize) -> Vec<Vec<Chunk>> {
    let mut runs = Vec::new();
    let (mut run, mut size) = (Vec::new(), 0);
    for chunk in chunks {
        size += chunk.source_len();
        run.push(chunk);
        if size >= target {
            runs.push(std::mem::take(&mut run));
            size = 0;
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Each chunk printed, in order, one syntax tree at a time; a chunk's source is dropped once
/// it is printed.
fn print_all(chunks: Vec<Chunk>, mode: Layout) -> Result<Vec<String>> {
    let print = |text: &str| -> Result<String> {
        let mut printed = prettyplease::unparse(&parse(text)?);
        // Kept until the files are joined: without the room the printer grew it by.
        printed.shrink_to_fit();
        Ok(printed)
    };
    chunks
        .into_iter()
        .map(|chunk| match chunk {
            Chunk::Formatted(text) => Ok(text.to_owned()),
            Chunk::Source(text) | Chunk::Laid(text) if scan::trim(&text).is_empty() => {
                Ok(String::new())
            }
            Chunk::Source(text) => print(&text),
            Chunk::Laid(text) => match mode {
                Layout::Fast => layout::items(&text)
                    .into_iter()
                    .map(|item| layout::lay_out(item).map_or_else(|| print(item), Ok))
                    .collect(),
                Layout::Printer => print(&text),
            },
            Chunk::Members {
                head,
                members,
                tail,
            } => print_members(&head, members, &tail, mode),
        })
        .collect()
}

/// A trait printed a group of members at a time, the same bytes as printed whole: the printer
/// lays out each member of a trait on its own lines, whatever its neighbours. The trait with
/// [`SENTINEL`] for its members tells which printed lines are the head and which the tail. In
/// the fast layout, each member is laid out on its own where that is certain.
fn print_members(head: &str, members: Vec<String>, tail: &str, mode: Layout) -> Result<String> {
    let print = |middle: &str| -> Result<String> {
        let source = format!("{head}{middle}{tail}");
        Ok(prettyplease::unparse(&parse(&source)?))
    };
    let lay = |member: &str| match mode {
        Layout::Fast => layout::lay_out_at(member, 1),
        Layout::Printer => None,
    };
    let frame = match layout::lay_out(&format!("{head}{SENTINEL}{tail}"))
        .filter(|_| mode == Layout::Fast)
    {
        Some(frame) => frame,
        None => print(SENTINEL)?,
    };
    let sentinel = frame
        .lines()
        .position(|line| line.trim() == SENTINEL.trim())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                Location::Document,
                "a trait split into member groups lost its sentinel; please report this",
            )
        })?;
    let head_lines = sentinel;
    let tail_lines = frame.lines().count() - sentinel - 1;
    let mut out = String::with_capacity(frame.len());
    for line in frame.lines().take(head_lines) {
        out.push_str(line);
        out.push('\n');
    }
    // Members the layout cannot vouch for, printed together once the group is large enough
    // or a laid-out member follows.
    let mut group = String::new();
    let flush = |group: &mut String, out: &mut String| -> Result<()> {
        if group.is_empty() {
            return Ok(());
        }
        let printed = print(group)?;
        let lines = printed.lines().count();
        for line in printed.lines().take(lines - tail_lines).skip(head_lines) {
            out.push_str(line);
            out.push('\n');
        }
        group.clear();
        Ok(())
    };
    for member in members {
        match lay(&member) {
            Some(laid) => {
                flush(&mut group, &mut out)?;
                out.push_str(&laid);
            }
            None => {
                group.push_str(&member);
                if group.len() >= MEMBER_GROUP {
                    flush(&mut group, &mut out)?;
                }
            }
        }
    }
    flush(&mut group, &mut out)?;
    for line in frame.lines().skip(head_lines + 1) {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// Cuts rendered source into its top-level items, so that they can be printed one at a time
/// and on several cores. An item starts at a line in the first column after a line in the
/// first column that ends one (`}` or `;`); templates keep everything inside an item indented.
/// A [`MEMBER_MARKER`] line is not copied: it cuts its item into [`Chunk::Members`].
pub fn split_items(source: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    // Where in `current` each marker line stood.
    let mut cuts = Vec::new();
    let mut previous_ended_item = false;
    for line in scan::lines(source) {
        if scan::trim(line).is_empty() {
            continue;
        }
        let first_column = !line.starts_with([' ', '\t']);
        let starts_item = first_column && !line.starts_with(['}', ')', ']']);
        if previous_ended_item && starts_item && !current.is_empty() {
            // A copy of exactly its length; the buffer is reused for the next item.
            chunks.push(item_chunk(&current, &cuts));
            current.clear();
            cuts.clear();
        }
        // A comment (docs included) never ends an item, whatever it ends with.
        previous_ended_item = false;
        if line == MEMBER_MARKER {
            cuts.push(current.len());
            continue;
        }
        current.push_str(line);
        current.push('\n');
        let trimmed = scan::trim_end(line);
        previous_ended_item = first_column
            && !trimmed.starts_with("//")
            && (trimmed.ends_with('}') || trimmed.ends_with(';'));
    }
    if !current.is_empty() || !cuts.is_empty() {
        chunks.push(item_chunk(&current, &cuts));
    }
    chunks
}

/// [`split_items`] for source a template wrote as the printer lays it out: each item is
/// [`Chunk::Laid`], laid out without a syntax tree where that is certain.
pub fn split_laid_items(source: &str) -> Vec<Chunk> {
    split_items(source)
        .into_iter()
        .map(|chunk| match chunk {
            Chunk::Source(text) => Chunk::Laid(text),
            other => other,
        })
        .collect()
}

/// One item's chunk: its source, or [`Chunk::Members`] if the template marked its members
/// (`cuts`, where each marker line stood: before each member and after the last).
fn item_chunk(item: &str, cuts: &[usize]) -> Chunk {
    let (Some(&first), Some(&last)) = (cuts.first(), cuts.last()) else {
        return Chunk::Source(item.to_owned());
    };
    Chunk::Members {
        head: item[..first].to_owned(),
        members: cuts
            .windows(2)
            .map(|pair| item[pair[0]..pair[1]].to_owned())
            .collect(),
        tail: item[last..].to_owned(),
    }
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

/// Puts a blank line between top-level items, which prettyplease prints back to back, as
/// printed pieces are appended to a file.
#[derive(Default)]
struct Separator {
    previous_ended_item: bool,
    previous_was_use: bool,
}

impl Separator {
    /// Appends `code` to `out`, a blank line before each item that follows an item.
    fn push(&mut self, out: &mut String, code: &str) {
        for line in scan::lines(code) {
            let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
            // `use` lines stay together: one group, which rustfmt sorts as a whole.
            let is_use = line.starts_with("use ");
            if self.previous_ended_item && starts_item && !(self.previous_was_use && is_use) {
                out.push('\n');
            }
            self.previous_was_use = is_use;
            self.previous_ended_item =
                line == "}" || (line.ends_with(';') && !line.starts_with(' '));
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// [`Separator`] over one whole text.
#[cfg(test)]
fn separate_items(code: &str) -> String {
    let mut out = String::new();
    Separator::default().push(&mut out, code);
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
        let serial = separate_items(&print_all(chunks.clone(), Layout::Fast).unwrap().concat());
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
        let files = format_files(
            vec![(first.clone(), "// one\n"), (second.clone(), "// two\n")],
            Layout::Fast,
        )
        .unwrap();
        assert_eq!(files[0], format(&first, "// one\n").unwrap());
        assert_eq!(
            files[1],
            "// two\nuse std::sync::Arc;\n\npub struct B(Arc<i64>);\n"
        );
    }

    #[test]
    fn a_trait_printed_by_member_groups_is_the_trait_printed_whole() {
        let members: String = (0..2000)
            .map(|i| {
                format!(
                    "{MEMBER_MARKER}\n#[doc = \" Operation {i}.\"]\n    fn op_{i}(&self, request: &Parts, params: Params{i}) -> impl Future<Output = Response{i}> + Send;\n"
                )
            })
            .collect();
        let source = format!(
            "/// The trait.\npub trait Api: Send + Sync + 'static {{\n{members}{MEMBER_MARKER}\n    /// Last.\n    fn unmatched(&self) -> u16 {{\n        404\n    }}\n}}\n"
        );
        let chunks = split_items(&source);
        assert!(
            matches!(&chunks[..], [Chunk::Members { members, .. }] if members.len() == 2000),
            "{chunks:?}"
        );
        assert!(chunks[0].source_len() > 2 * MEMBER_GROUP);
        let whole = format(&[Chunk::Source(source.clone())], "").unwrap();
        assert_eq!(format(&chunks, "").unwrap(), whole);
        assert!(whole.contains("    fn op_1999("), "{whole}");
    }

    #[test]
    fn only_a_marker_line_cuts_a_trait_into_members() {
        // Spec text in a doc comment may contain the marker; it stays text.
        let source = "/// Ends with // @member\n/// and goes on.\npub trait T {\n// @member\n    \
                      fn f(&self);\n// @member\n    fn g(&self);\n// @member\n}\n";
        match &split_items(source)[..] {
            [
                Chunk::Members {
                    head,
                    members,
                    tail,
                },
            ] => {
                assert_eq!(
                    head,
                    "/// Ends with // @member\n/// and goes on.\npub trait T {\n"
                );
                assert_eq!(members, &["    fn f(&self);\n", "    fn g(&self);\n"]);
                assert_eq!(tail, "}\n");
            }
            other => panic!("not one trait cut into members: {other:?}"),
        }
    }

    #[test]
    fn rendered_source_splits_at_top_level_items() {
        let source = "use a::b;\nuse c::d;\n/// Doc.\n#[derive(Debug)]\npub struct S {\n    x: i64,\n}\nimpl S {\n    fn f() {\n    }\n}\nconst C: &str = \"}\";\n";
        let chunks = split_items(source);
        let texts: Vec<&str> = chunks
            .iter()
            .map(|chunk| match chunk {
                Chunk::Source(text) => text.as_str(),
                other => panic!("not a plain item: {other:?}"),
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
