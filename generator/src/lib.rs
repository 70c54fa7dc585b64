//! `openapi-rustgen` renders Rust types from an OpenAPI 3.0 or 3.1 document (JSON or YAML).
//!
//! The pipeline runs one way, each stage a module:
//! [`load`] (text → checked JSON document) → [`resolve`] (document → [`ir::Api`], every Rust name
//! decided by [`naming`]) → [`render`] (askama templates) → [`format`](mod@format) (syn + prettyplease) →
//! [`write`](mod@write) (only changed files, atomically). Errors on the input carry the file and a line:column
//! or a JSON pointer; nothing is written unless every file was generated.
//!
//! # Use from `build.rs`
//!
//! In `Cargo.toml`; default features only add the `openapi-rustgen` command and its `clap`
//! dependency, which a build script does not need:
//!
//! ```toml
//! [build-dependencies]
//! openapi-rustgen = { version = "0.1", default-features = false }
//!
//! [dependencies]
//! serde = { version = "1", features = ["derive"] }
//! serde_json = "1"
//! # Only with `.server(true)`: the one extra dependency of the generated server, the runtime
//! # of this generator's major.minor version (see `openapi-rustgen-runtime`'s docs).
//! openapi-rustgen-runtime = { version = "0.1", features = ["server"] }
//! ```
//!
//! In `build.rs`:
//!
//! ```no_run
//! fn main() {
//!     // Prints `cargo:rerun-if-changed=openapi.yaml`, then writes `$OUT_DIR/types.rs` unless it
//!     // already holds exactly the new content, so an unchanged spec rebuilds nothing.
//!     if let Err(err) = openapi_rustgen::Generator::new()
//!         .spec_path("openapi.yaml")
//!         .generate()
//!     {
//!         // One line: `openapi.yaml:12:5: message` or `openapi.yaml#/json/pointer: message`.
//!         panic!("{err}");
//!     }
//! }
//! ```
//!
//! And in the crate (the generated files have no inner attributes, so `include!` works; not a
//! doctest, since only a build script sets `OUT_DIR`):
//!
//! ```text
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/types.rs"));
//! }
//! ```
//!
//! Each part of the output is one file, switched on or off by its own builder method
//! ([`Generator::types`], on by default). [`Generator::check`] renders without writing and
//! returns the files on disk that differ, for a CI check of committed output.

// The build.rs example above is a whole file, so its `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

pub mod bundle;
pub mod crate_files;
pub mod error;
pub mod examples;
pub mod format;
pub mod ir;
pub mod load;
pub mod naming;
pub mod render;
pub mod render_client;
pub mod render_server;
pub mod resolve;
pub mod text;
pub mod typed_body;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ir::Api;

pub use crate_files::RuntimeSource;
pub use error::{Error, ErrorKind, Location, Result};
pub use write::{StaleFile, WriteStatus};

/// Named types and operations from which the types render on a thread of their own.
const TYPES_THREAD_ABOVE: usize = 256;

/// Hands memory the allocator keeps after large frees (the document, the IR) back to the
/// system. Formatting runs on new threads, and glibc gives each its own arena, which cannot
/// reuse what the main thread freed: without this, both count towards peak memory.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_memory() {
    unsafe extern "C" {
        // glibc's `int malloc_trim(size_t pad)`: only returns free pages, safe to call anytime.
        safe fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    malloc_trim(0);
}

/// Elsewhere the allocator is left as it is.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}

/// Where the document comes from.
#[derive(Debug, Clone)]
enum Spec {
    Path(PathBuf),
    Text {
        name: PathBuf,
        text: String,
    },
    Value {
        name: PathBuf,
        root: serde_json::Value,
    },
}

/// A generated file, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The file name inside the output directory, e.g. `types.rs`.
    pub name: String,
    /// The complete, formatted content.
    pub contents: String,
}

/// Configures and runs the generator, in the style of `prost-build`.
#[derive(Debug, Clone)]
pub struct Generator {
    spec: Option<Spec>,
    out_dir: Option<PathBuf>,
    regenerate_with: Option<String>,
    rerun_if_changed: Option<bool>,
    types: bool,
    server: bool,
    open_enums: bool,
    layout: format::Layout,
    example_tests: bool,
    client: bool,
    crate_name: Option<String>,
    runtime: Option<RuntimeSource>,
}

impl Default for Generator {
    fn default() -> Self {
        Self::new()
    }
}

impl Generator {
    /// A generator with no spec yet, writing to `$OUT_DIR`.
    pub fn new() -> Self {
        Generator {
            spec: None,
            out_dir: None,
            regenerate_with: None,
            rerun_if_changed: None,
            types: true,
            server: false,
            open_enums: false,
            layout: format::Layout::Fast,
            example_tests: false,
            client: false,
            crate_name: None,
            runtime: None,
        }
    }

    /// Reads the document from a file (`.json`, `.yaml` or `.yml`).
    pub fn spec_path(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.spec = Some(Spec::Path(path.into()));
        self
    }

    /// Uses a document held in memory; `name` is used in messages and the file header.
    /// An in-process model takes this path too: serialize it, then pass the text.
    pub fn spec_text(&mut self, name: impl Into<PathBuf>, text: impl Into<String>) -> &mut Self {
        self.spec = Some(Spec::Text {
            name: name.into(),
            text: text.into(),
        });
        self
    }

    /// Uses a document already parsed into JSON, e.g. `serde_json::to_value(&openapi)` of an
    /// in-process model; `name` is used in messages and the file header.
    pub fn spec_value(&mut self, name: impl Into<PathBuf>, root: serde_json::Value) -> &mut Self {
        self.spec = Some(Spec::Value {
            name: name.into(),
            root,
        });
        self
    }

    /// Whether to emit the data types, `types.rs` (on by default). Each part of the output is
    /// one file and is switched on or off by its own method like this one.
    pub fn types(&mut self, emit: bool) -> &mut Self {
        self.types = emit;
        self
    }

    /// Whether to emit the axum server (off by default): `operations.rs`, each operation's
    /// parameter struct and response enum (one variant per documented status), and
    /// `server.rs`, a trait with one async method per operation and a router that enforces the
    /// spec. They refer to the types as `super::types::*` and to each other as
    /// `super::operations::*`, so put the three files in sibling modules `types`, `operations`
    /// and `server`. The one dependency they add to serde is the generator's runtime,
    /// `openapi-rustgen-runtime` with feature `server`, of this generator's `major.minor`
    /// version (see the crate docs). See [`render_server`].
    pub fn server(&mut self, emit: bool) -> &mut Self {
        self.server = emit;
        self
    }

    /// Whether every string enum gets a variant `Other(String)` (off by default) that keeps a
    /// value the spec does not list and writes it back unchanged, so that a consumer does not
    /// break when the server adds a value. Such enums are not `Copy`.
    pub fn open_enums(&mut self, open: bool) -> &mut Self {
        self.open_enums = open;
        self
    }

    /// How the output is laid out: [`format::Layout::Fast`] (the default) lays out what the
    /// templates wrote line by line without a syntax tree where that gives the printer's bytes;
    /// [`format::Layout::Printer`] parses and prints every item. The files are the same bytes
    /// either way (tested); the second is for checking that.
    pub fn layout(&mut self, layout: format::Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Whether to emit the spec's examples as tests, `example_tests.rs` (off by default): for
    /// every `example`/`examples` value on a schema that is a generated type, or on a parameter,
    /// header or media type whose schema is one, a `#[test]` that reads the value into the type,
    /// writes it back and compares the JSON (`null` and absent members count as equal, and
    /// numbers of equal value; see [`examples`]). Like the server, it refers to the types as
    /// `super::types::*`: include it as a sibling module of `types`, under `#[cfg(test)]`.
    pub fn example_tests(&mut self, emit: bool) -> &mut Self {
        self.example_tests = emit;
        self
    }

    /// Whether to emit the reqwest client (off by default): `operations.rs` (as for
    /// [`Generator::server`]) and `client.rs`, a `Client` with one async method per operation,
    /// named like the server trait's method, taking the operation's parameter struct and body
    /// and returning its response enum from `operations.rs`. Put the files in sibling modules
    /// `types`, `operations` and `client`; they need `openapi-rustgen-runtime` with feature
    /// `client` (and a reqwest TLS feature such as `rustls` for HTTPS). See [`render_client`].
    pub fn client(&mut self, emit: bool) -> &mut Self {
        self.client = emit;
        self
    }

    /// Writes a whole crate named `name` instead of loose files: `Cargo.toml`, `src/lib.rs`
    /// and the generated files under `src/`, the types always, the server behind the crate's
    /// feature `server` and the client behind `client` (so [`Self::types`], [`Self::server`] and
    /// [`Self::client`] do not apply). `cargo check --all-features` passes in the output directory with nothing but
    /// the package registry and the runtime ([`Self::runtime_source`]).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Where the crate written by [`Self::crate_name`] gets `openapi-rustgen-runtime`; by
    /// default [`RuntimeSource::default_for_this_generator`].
    pub fn runtime_source(&mut self, source: RuntimeSource) -> &mut Self {
        self.runtime = Some(source);
        self
    }

    /// Where files are written; `$OUT_DIR` when not set.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The command named in each file's header as the way to regenerate it.
    pub fn regenerate_with(&mut self, command: impl Into<String>) -> &mut Self {
        self.regenerate_with = Some(command.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for the spec file and every file it refers to
    /// (`$ref: common.yaml#/...`); by default only when run from a build script (when `OUT_DIR`
    /// is set).
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.rerun_if_changed = Some(emit);
        self
    }

    /// Loads, resolves, renders and formats; touches no file but the spec and the files it
    /// refers to.
    pub fn render(&self) -> Result<Vec<GeneratedFile>> {
        self.render_document(self.load()?)
    }

    /// Renders every file from `document`, which it drops once the server and the example tests
    /// are planned (the rest needs only the IR), and the IR before formatting: they are the
    /// largest things in memory until then. Then the types are rendered and formatted on a
    /// thread of their own while this one renders and formats the rest: neither reads the
    /// other's output, and nothing runs beside the planning, where memory peaks.
    fn render_document(&self, document: load::Document) -> Result<Vec<GeneratedFile>> {
        let mut api = resolve::resolve(&document)?;
        if self.open_enums {
            api.open_string_enums();
        }
        let header = self.header(&document.source);
        if let Some(name) = &self.crate_name {
            crate_files::check_crate_name(name)?;
        }
        let whole_crate = self.crate_name.is_some();
        let has_types = !api.types.is_empty();
        // What reads the document first, so that it is dropped before the rest renders from the
        // IR alone; results are kept, so errors still come in the files' order.
        let server = (self.server || self.client || whole_crate).then(|| {
            resolve::plan_server(&api, &document)
                .and_then(|plan| Ok((render_server::prepare_server(&api, &plan)?, plan)))
                .map_err(|err| document.locate(err))
        });
        let examples = self
            .example_tests
            .then(|| resolve::examples(&api, &document));
        let source = document.source.clone();
        drop(document);
        release_freed_memory();
        let layout = self.layout;
        let api = Arc::new(api);
        // A thread costs more than a small spec's types take.
        let beside = api.types.len() + api.operations.len() >= TYPES_THREAD_ABOVE;
        let types_job = |api: Arc<Api>| {
            let (header, source) = (header.as_str(), source.as_path());
            move || {
                let chunks = render::render_types(&api);
                // The last holder of the IR frees it, whichever thread that is.
                drop(api);
                format::format_files(vec![(chunks?, header)], layout)
                    .map_err(|err| err.in_file(source))
            }
        };
        let wanted = self.types || whole_crate;
        let (types, others) = std::thread::scope(|scope| {
            if wanted && beside {
                let worker = format::spawn_worker(scope, types_job(Arc::clone(&api)));
                let others = self.render_others(server, examples, api, &header, &source);
                (Some(format::join_worker(worker)), others)
            } else {
                let types = wanted.then(|| types_job(Arc::clone(&api))());
                let others = self.render_others(server, examples, api, &header, &source);
                (types, others)
            }
        });
        let mut named: Vec<(&str, String)> = Vec::new();
        if let Some(types) = types {
            named.push(("types.rs", types?.remove(0)));
        }
        named.extend(others?);
        let mut files = Vec::new();
        if let Some(name) = &self.crate_name {
            let runtime = self
                .runtime
                .clone()
                .unwrap_or_else(RuntimeSource::default_for_this_generator);
            files.push(GeneratedFile {
                name: "Cargo.toml".to_owned(),
                contents: crate_files::cargo_toml(name, &header, &runtime),
            });
            files.push(GeneratedFile {
                name: "src/lib.rs".to_owned(),
                contents: crate_files::lib_rs(&header, has_types),
            });
        }
        let source_dir = if whole_crate { "src/" } else { "" };
        files.extend(named.into_iter().map(|(name, contents)| GeneratedFile {
            name: format!("{source_dir}{name}"),
            contents,
        }));
        Ok(files)
    }

    /// Every file but the types, rendered from the planned server and example tests and the
    /// IR, and formatted.
    fn render_others(
        &self,
        server: Option<Result<(render_server::PreparedServer, resolve::ServerPlan)>>,
        examples: Option<Vec<resolve::Example>>,
        api: Arc<Api>,
        header: &str,
        source: &Path,
    ) -> Result<Vec<(&'static str, String)>> {
        let whole_crate = self.crate_name.is_some();
        let mut parts: Vec<(&'static str, Vec<format::Chunk>)> = Vec::new();
        let mut plan = None;
        if let Some(server) = server {
            // The client shares the server's `operations.rs`, so it reaches every spec the
            // server does.
            let (prepared, planned) = server?;
            let server = prepared.render().map_err(|err| err.in_file(source))?;
            parts.push(("operations.rs", server.operations));
            if self.server || whole_crate {
                parts.push(("server.rs", server.server));
            }
            plan = Some(planned);
        }
        if let Some(plan) = plan.as_ref().filter(|_| self.client || whole_crate) {
            let client =
                render_client::render_client(&api, plan).map_err(|err| err.in_file(source))?;
            parts.push(("client.rs", client));
        }
        if let Some(examples) = examples {
            let example_tests =
                examples::render_example_tests(&examples).map_err(|err| err.in_file(source))?;
            parts.push(("example_tests.rs", example_tests));
        }
        drop(api);
        release_freed_memory();
        // All files in one pass, so that they share the cores.
        let names: Vec<&'static str> = parts.iter().map(|(name, _)| *name).collect();
        let inputs: Vec<(Vec<format::Chunk>, &str)> = parts
            .into_iter()
            .map(|(_, chunks)| (chunks, header))
            .collect();
        let formatted =
            format::format_files(inputs, self.layout).map_err(|err| err.in_file(source))?;
        Ok(names.into_iter().zip(formatted).collect())
    }

    /// Generates and writes every file whose content changed; returns each file's status.
    /// Nothing is written if any stage fails.
    pub fn generate(&self) -> Result<Vec<(PathBuf, WriteStatus)>> {
        let rerun_if_changed = self
            .rerun_if_changed
            .unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());
        if rerun_if_changed && let Some(Spec::Path(path)) = &self.spec {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let document = self.load()?;
        if rerun_if_changed {
            // The files the spec refers to; the spec itself was named above, before a failure
            // to load it could hide it.
            for path in document.paths().skip(1) {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let files = self.render_document(document)?;
        let out_dir = self.resolved_out_dir()?;
        files
            .iter()
            .map(|file| {
                let path = out_dir.join(&file.name);
                write::write_if_changed(&path, &file.contents).map(|status| (path, status))
            })
            .collect()
    }

    /// Generates without writing and returns the files on disk that differ.
    pub fn check(&self) -> Result<Vec<StaleFile>> {
        let files = self.render()?;
        let out_dir = self.resolved_out_dir()?;
        let mut stale = Vec::new();
        for file in &files {
            if let Some(found) = write::check(&out_dir.join(&file.name), &file.contents)? {
                stale.push(found);
            }
        }
        Ok(stale)
    }

    fn load(&self) -> Result<load::Document> {
        match &self.spec {
            Some(Spec::Path(path)) => load::load_file(path),
            Some(Spec::Text { name, text }) => load::load_str(name, text),
            Some(Spec::Value { name, root }) => load::from_value(name, root.clone()),
            None => Err(Error::new(
                ErrorKind::Io,
                Location::Document,
                "no spec given: call `spec_path` or `spec_text`",
            )),
        }
    }

    fn resolved_out_dir(&self) -> Result<PathBuf> {
        match &self.out_dir {
            Some(dir) => Ok(dir.clone()),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::new(
                    ErrorKind::Io,
                    Location::Document,
                    "no output directory: call `out_dir`, or run from a build script where OUT_DIR is set",
                )
            }),
        }
    }

    fn header(&self, source: &Path) -> String {
        let source = source.to_string_lossy().replace('\\', "/");
        let mut header = format!(
            "// @generated by openapi-rustgen from {}. Do not edit by hand.\n",
            source.replace(['\n', '\r'], " ")
        );
        if let Some(command) = &self.regenerate_with {
            header.push_str(&format!(
                "// Regenerate with `{}`.\n",
                command.replace(['\n', '\r'], " ")
            ));
        }
        header.push('\n');
        header
    }
}
