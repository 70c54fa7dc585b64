//! `openapi-rustgen`: the generator as a command, for CI and for projects without a `build.rs`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use openapi_rustgen::format::Layout;
use openapi_rustgen::{Error, ErrorKind, Generator, RuntimeSource};

// The generator allocates many small strings and maps; mimalloc spends about a third less CPU
// on them than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

/// mimalloc, configured before its first allocation for the size of the input.
///
/// - A small input's run commits its one arena at once, backed by transparent huge pages, and
///   keeps memory it frees for reuse: a few page faults instead of hundreds.
/// - A large input's run commits memory only when used and gives it back as soon as it is
///   free: the generator frees the document and the model before it formats, and a low peak
///   matters more than a few page faults (issue 12: at most 20 x the input + 20 MB).
mod allocator {
    use std::alloc::{GlobalAlloc, Layout};
    use std::ffi::{c_int, c_long};
    use std::path::Path;
    use std::sync::Once;
    use std::sync::atomic::{AtomicBool, Ordering};

    use mimalloc::MiMalloc;

    unsafe extern "C" {
        /// mimalloc's own, in the library the `mimalloc` crate links.
        fn mi_option_set(option: c_int, value: c_long);
    }

    // Positions in mimalloc 3's `mi_option_t`.
    const ARENA_EAGER_COMMIT: c_int = 4;
    const ALLOW_LARGE_OS_PAGES: c_int = 6;
    const PURGE_DELAY: c_int = 15;
    const ARENA_RESERVE: c_int = 23;

    /// Address space reserved at a time, in KiB; later arenas grow (x2 every 8). mimalloc's
    /// default of 1 GiB costs 40 page faults for the arena's bitmaps.
    const ARENA_KIB: c_long = 64 * 1024;

    /// For an input this small, peak memory is far below the bound whatever the allocator
    /// does. Huge pages would hold a large input's memory in 2 MiB steps: autotask.net's peak
    /// grows from 84 to 104 MB with them.
    const SMALL_INPUT: u64 = 1 << 20;

    static OPTIONS: Once = Once::new();

    /// Whether the input was sized before `main`, so that `main` need not `stat` it again.
    static SIZED_BEFORE_MAIN: AtomicBool = AtomicBool::new(false);

    /// Sets the options once, before the first allocation: arenas are committed as they are
    /// made.
    fn configure(small_input: bool) {
        // SAFETY: setting an option allocates nothing and is allowed at any time.
        OPTIONS.call_once(|| unsafe {
            mi_option_set(ARENA_RESERVE, ARENA_KIB);
            if small_input {
                mi_option_set(ARENA_EAGER_COMMIT, 1);
                mi_option_set(ALLOW_LARGE_OS_PAGES, 1);
                // Freed memory is kept to the end (and not given back at exit either).
                mi_option_set(PURGE_DELAY, -1);
            } else {
                mi_option_set(ARENA_EAGER_COMMIT, 0);
                mi_option_set(PURGE_DELAY, 0);
            }
        });
    }

    /// Sizes the input from the arguments before `main` and before any allocation: glibc
    /// calls `.init_array` functions with the process's arguments, as std's own `args` relies
    /// on. A run without `--spec` (`--help`) counts as small.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    mod before_main {
        use std::ffi::{CStr, OsStr, c_char, c_int};
        use std::os::unix::ffi::OsStrExt;

        #[used]
        #[unsafe(link_section = ".init_array")]
        static SIZE_THE_INPUT: extern "C" fn(c_int, *const *const c_char) = size_the_input;

        extern "C" fn size_the_input(argc: c_int, argv: *const *const c_char) {
            let count = usize::try_from(argc).unwrap_or(0);
            if argv.is_null() || count == 0 {
                return;
            }
            // SAFETY: glibc passes `argc` pointers to NUL-terminated strings.
            let args = unsafe { std::slice::from_raw_parts(argv, count) };
            // SAFETY: as above; each pointer is a C string that lives as long as the process.
            let arg = |index: usize| args.get(index).map(|&p| unsafe { CStr::from_ptr(p) });
            let spec = (1..count).find_map(|index| {
                let bytes = arg(index)?.to_bytes();
                match bytes.strip_prefix(b"--spec") {
                    Some(b"") => arg(index + 1).map(CStr::to_bytes),
                    Some(value) => value.strip_prefix(b"="),
                    None => None,
                }
            });
            // A path this short is passed to `stat` from the stack: nothing is allocated.
            let len = spec.and_then(|path| std::fs::metadata(OsStr::from_bytes(path)).ok());
            super::configure(len.is_none_or(|meta| meta.len() < super::SMALL_INPUT));
            super::SIZED_BEFORE_MAIN.store(true, super::Ordering::Relaxed);
        }
    }

    /// Once the arguments are read: where the input could not be sized before `main` (another
    /// platform), a small input's run still keeps the memory it frees.
    pub fn spec_named(spec: &Path) {
        if SIZED_BEFORE_MAIN.load(Ordering::Relaxed) {
            return;
        }
        if std::fs::metadata(spec).is_ok_and(|meta| meta.len() < SMALL_INPUT) {
            // SAFETY: as in `configure`.
            unsafe { mi_option_set(PURGE_DELAY, -1) };
        }
    }

    pub struct Allocator;

    // SAFETY: every call goes to mimalloc unchanged, after the options are set.
    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // Where the input was not sized before `main`: the settings safe for any size.
            configure(false);
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc(layout) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            configure(false);
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

/// Exit code: `--check` found stale files.
const STALE: u8 = 1;
/// Exit code: the spec is unreadable or not a usable OpenAPI document (also clap's usage errors).
const BAD_INPUT: u8 = 2;
/// Exit code: the output could not be written, or the generator has a bug.
const FAILED: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "openapi-rustgen",
    version,
    about = "Generate Rust types from an OpenAPI 3.0 or 3.1 document.",
    long_about = "\
Generate Rust types from an OpenAPI 3.0 or 3.1 document.

Reads the spec (JSON or YAML), turns every schema it defines into a Rust type
with serde derives, and writes them to DIR/types.rs; with --server, also an axum
router and a trait to implement, one method per operation, in DIR/server.rs;
with --client, a reqwest client with one async method per operation in
DIR/client.rs (both share DIR/operations.rs). With --crate NAME, a whole
crate: DIR/Cargo.toml, DIR/src/lib.rs and the files above under DIR/src, the
server and the client behind the crate's features `server` and `client`.

A file whose content would not change is left untouched, modification time
included, so build tools watching it do not rebuild. Each file is written to a
temporary file and renamed into place, so an interrupted run leaves the previous
output whole. If anything in the spec is wrong, nothing is written.",
    after_help = "\
Examples:
  Generate, or update, src/api/types.rs:
    openapi-rustgen --spec openapi.yaml --out src/api

  A crate of its own, with the server behind its feature `server`:
    openapi-rustgen --spec openapi.yaml --out petstore-api --crate petstore-api

  The same, outside a checkout of openapi-rustgen, with the runtime from git:
    openapi-rustgen --spec openapi.yaml --out petstore-api --crate petstore-api \
      --runtime-git https://github.com/OWNER/openapi-rustgen --runtime-rev v0.1.0

  In CI, fail if the committed files are out of date:
    openapi-rustgen --spec openapi.yaml --out src/api --check

Exit codes:
  0  done (or, with --check, everything is up to date)
  1  --check: some files are stale (each is named, with a short diff)
  2  bad input: the spec cannot be read, is not valid JSON/YAML, or is not a usable
     OpenAPI 3.0/3.1 document; or the command line is wrong
  3  the output could not be written

Errors are printed one per line as `error: FILE:LINE:COLUMN: message`, or with a
JSON pointer (`FILE#/components/schemas/Pet`) when the problem is in the document's structure.
Every problem found is listed, sorted by location (at most 50, then a count of the rest).

From a build script, use the library instead: `openapi_rustgen::Generator`.
"
)]
struct Args {
    /// The OpenAPI document to read (.json, .yaml or .yml).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,

    /// The directory to write the generated files into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Also write DIR/server.rs: an axum router and a trait with one method per operation,
    /// using the types in the sibling module `types`.
    #[arg(long)]
    server: bool,

    /// Give every string enum a variant `Other(String)` that keeps values the spec does not
    /// list, so new server values do not break deserialization.
    #[arg(long)]
    open_enums: bool,
    /// Also write DIR/example_tests.rs: each example in the spec read into its generated type
    /// and written back, as a test. Include it next to `types`, under #[cfg(test)].
    #[arg(long)]
    example_tests: bool,
    /// Also write DIR/client.rs: a reqwest client with one async method per operation, sharing
    /// DIR/operations.rs (parameters and response enums) with the server.
    #[arg(long)]
    client: bool,
    /// Parse and print every item with syn and prettyplease instead of laying out what the
    /// templates wrote directly. The files are the same bytes; this checks that.
    #[arg(long, hide = true)]
    printer_layout: bool,

    /// Write a whole crate named NAME into DIR: Cargo.toml, src/lib.rs and the generated
    /// files, the server behind its feature `server` (implies --server).
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,

    /// With --crate: take openapi-rustgen-runtime from this directory. The default is the
    /// runtime of the checkout this command was built in, if it still exists, otherwise the
    /// registry version of this command.
    #[arg(long, value_name = "DIR", requires = "crate_name", conflicts_with_all = ["runtime_git", "runtime_version"])]
    runtime_path: Option<PathBuf>,

    /// With --crate: take openapi-rustgen-runtime from this git repository.
    #[arg(
        long,
        value_name = "URL",
        requires = "crate_name",
        conflicts_with = "runtime_version"
    )]
    runtime_git: Option<String>,

    /// With --runtime-git: the commit, tag or branch.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    runtime_rev: Option<String>,

    /// With --crate: take openapi-rustgen-runtime from the registry at this version
    /// requirement.
    #[arg(long, value_name = "REQ", requires = "crate_name")]
    runtime_version: Option<String>,

    /// Write nothing; exit 1 and show what differs if any generated file is out of date.
    #[arg(long)]
    check: bool,

    /// A command to name in each file's header as the way to regenerate it.
    #[arg(long, value_name = "COMMAND")]
    regenerate_with: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    allocator::spec_named(&args.spec);
    let mut generator = Generator::new();
    generator
        .spec_path(&args.spec)
        .out_dir(&args.out)
        .server(args.server)
        .open_enums(args.open_enums)
        .example_tests(args.example_tests)
        .client(args.client)
        .layout(if args.printer_layout {
            Layout::Printer
        } else {
            Layout::Fast
        })
        .emit_rerun_if_changed(false);
    if let Some(command) = &args.regenerate_with {
        generator.regenerate_with(command);
    }
    if let Some(name) = &args.crate_name {
        generator.crate_name(name);
    }
    if let Some(path) = &args.runtime_path {
        generator.runtime_source(RuntimeSource::Path(path.clone()));
    } else if let Some(url) = &args.runtime_git {
        generator.runtime_source(RuntimeSource::Git {
            url: url.clone(),
            rev: args.runtime_rev.clone(),
        });
    } else if let Some(requirement) = &args.runtime_version {
        generator.runtime_source(RuntimeSource::Version(requirement.clone()));
    }
    match run(&generator, &args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // One line per error, sorted by location, the list capped with a count of the rest.
            for line in err.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(exit_code(&err, &args))
        }
    }
}

fn run(generator: &Generator, args: &Args) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    if args.check {
        let stale = generator.check()?;
        for file in &stale {
            let _ = writeln!(stdout, "--- {}\n{}", file.path.display(), file.diff);
        }
        for file in &stale {
            eprintln!(
                "error: {}: out of date; run without --check to regenerate it",
                file.path.display()
            );
        }
        return Ok(if stale.is_empty() { 0 } else { STALE });
    }
    for (path, status) in generator.generate()? {
        let _ = writeln!(stdout, "{} {}", status.as_str(), path.display());
    }
    Ok(0)
}

/// Bad input is exit 2; a failure to read or write anything but the spec, or a generator bug, 3.
fn exit_code(err: &Error, args: &Args) -> u8 {
    match err.kind() {
        ErrorKind::Io if err.file() != Some(args.spec.as_path()) => FAILED,
        ErrorKind::Internal => FAILED,
        _ => BAD_INPUT,
    }
}
