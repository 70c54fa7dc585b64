//! Runs the generator, as a user's build script would, on every spec in
//! `tests/fixtures/valid/`: each into `$OUT_DIR/<fixture>/types.rs`, and the list of modules
//! into `$OUT_DIR/fixtures.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/valid");
    // A fixture added or removed changes the module list.
    println!("cargo:rerun-if-changed={}", fixtures.display());

    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|err| panic!("{}: {err}", fixtures.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();

    let mut modules = String::new();
    for spec in &specs {
        let module = spec
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("fixture names are UTF-8");
        assert!(
            module
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "fixture {module:?} must be named in snake_case: it becomes a module name"
        );
        let file_name = spec.file_name().and_then(|n| n.to_str()).unwrap_or(module);
        if let Err(err) = openapi_rustgen::Generator::new()
            .spec_path(spec)
            .out_dir(out_dir.join(module))
            .generate()
        {
            panic!("{err}");
        }
        writeln!(
            modules,
            "/// Types generated from `tests/fixtures/valid/{file_name}`.\n\
             pub mod {module} {{\n    \
                 include!(concat!(env!(\"OUT_DIR\"), \"/{module}/types.rs\"));\n\
             }}\n"
        )
        .expect("writing to a String");
    }
    std::fs::write(out_dir.join("fixtures.rs"), modules).expect("writing fixtures.rs");
}
