//! Runs the generator, as a user's build script would, on every spec in
//! `tests/fixtures/valid/` (types, into `$OUT_DIR/<fixture>/types.rs`; the module list into
//! `$OUT_DIR/fixtures.rs`) and in `tests/fixtures/server/` (types, operations, server and client, into
//! `$OUT_DIR/servers/<fixture>/`; the module list into `$OUT_DIR/servers.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");

    let mut modules = String::new();
    for (module, spec) in specs_in(&fixtures.join("valid")) {
        generate(&spec, &out_dir.join(&module), false);
        // The examples in the fixture, as tests; they see the types as `super::types`.
        writeln!(
            modules,
            "/// Types generated from `tests/fixtures/valid/{file}`.\n\
             pub mod {module} {{\n    \
                 include!(concat!(env!(\"OUT_DIR\"), \"/{module}/types.rs\"));\n    \
                 #[cfg(test)]\n    \
                 mod example_check {{\n        \
                     mod types {{\n            \
                         #[allow(unused_imports)]\n            \
                         pub use super::super::*;\n        \
                     }}\n        \
                     mod tests {{\n            \
                         include!(concat!(env!(\"OUT_DIR\"), \"/{module}/example_tests.rs\"));\n        \
                     }}\n    \
                 }}\n\
             }}\n",
            file = file_name(&spec),
        )
        .expect("writing to a String");
    }
    std::fs::write(out_dir.join("fixtures.rs"), modules).expect("writing fixtures.rs");

    let mut modules = String::new();
    for (module, spec) in specs_in(&fixtures.join("server")) {
        generate(&spec, &out_dir.join("servers").join(&module), true);
        writeln!(
            modules,
            "/// Types, server and client generated from `tests/fixtures/server/{file}`.\n\
             pub mod {module} {{\n    \
                 /// The types.\n    \
                 pub mod types {{\n        \
                     include!(concat!(env!(\"OUT_DIR\"), \"/servers/{module}/types.rs\"));\n    \
                 }}\n    \
                 /// The parameter structs and response enums.\n    \
                 pub mod operations {{\n        \
                     include!(concat!(env!(\"OUT_DIR\"), \"/servers/{module}/operations.rs\"));\n    \
                 }}\n    \
                 /// The axum server.\n    \
                 pub mod server {{\n        \
                     include!(concat!(env!(\"OUT_DIR\"), \"/servers/{module}/server.rs\"));\n    \
                 }}\n    \
                 /// The reqwest client.\n    \
                 pub mod client {{\n        \
                     include!(concat!(env!(\"OUT_DIR\"), \"/servers/{module}/client.rs\"));\n    \
                 }}\n\
             }}\n",
            file = file_name(&spec),
        )
        .expect("writing to a String");
    }
    std::fs::write(out_dir.join("servers.rs"), modules).expect("writing servers.rs");
}

/// The specs in `dir`, sorted, each with its module name (the file stem, which must be
/// snake_case).
fn specs_in(dir: &Path) -> Vec<(String, PathBuf)> {
    // A fixture added or removed changes the module list.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();
    specs
        .into_iter()
        .map(|spec| {
            let module = spec
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("fixture names are UTF-8")
                .to_owned();
            assert!(
                module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "fixture {module:?} must be named in snake_case: it becomes a module name"
            );
            (module, spec)
        })
        .collect()
}

fn generate(spec: &Path, out_dir: &Path, server: bool) {
    // A fixture whose name starts with `open_enums` is generated with open enums.
    let open_enums = file_name(spec).starts_with("open_enums");
    if let Err(err) = openapi_rustgen::Generator::new()
        .spec_path(spec)
        .out_dir(out_dir)
        .server(server)
        .open_enums(open_enums)
        .example_tests(!server)
        .client(server)
        .generate()
    {
        panic!("{err}");
    }
}

fn file_name(spec: &Path) -> &str {
    spec.file_name()
        .and_then(|n| n.to_str())
        .expect("fixture names are UTF-8")
}
