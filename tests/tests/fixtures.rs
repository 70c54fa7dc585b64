//! The generated Rust for every spec in `fixtures/valid/` (one construct each), snapshotted;
//! for a few, the intermediate model too. Each output must be what rustfmt would write, and the
//! same bytes on a second run. Review changes with `cargo insta review`.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use openapi_rustgen::{Generator, load, resolve};

/// Fixtures whose intermediate model is snapshotted as well: it shows operations, parameters
/// and responses, which the types file does not.
const WITH_MODEL: &[&str] = &[
    "all_of.yaml",
    "component_refs.json",
    "cyclic_ref.json",
    "discriminator.yaml",
    "untagged_unions.json",
    "value_enums.json",
    "nullable_openapi31.json",
    "operations.yaml",
];

#[test]
fn generated_rust_of_every_valid_fixture() {
    insta::glob!("../fixtures/valid", "*.{json,yaml,yml}", |path| {
        let (relative, file_name) = relative(path);
        let rust = generate(&relative);
        insta::assert_snapshot!("rust", rust);
        assert_eq!(
            generate(&relative),
            rust,
            "{file_name}: a second run gave other bytes"
        );
        assert_rustfmt_clean(&file_name, &rust);
        if WITH_MODEL.contains(&file_name.as_str()) {
            let document = load::load_file(&relative).expect("the fixture loads");
            let api = resolve::resolve(&document).expect("the fixture resolves");
            insta::assert_yaml_snapshot!("model", api);
        }
    });
}

/// The fixture's path relative to this crate (the working directory of tests), which keeps
/// the path in generated headers the same on every machine, and its file name.
fn relative(path: &Path) -> (std::path::PathBuf, String) {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("fixture names are UTF-8")
        .to_owned();
    (Path::new("fixtures/valid").join(&file_name), file_name)
}

fn generate(path: &Path) -> String {
    // A fixture whose name starts with `open_enums` is generated with open enums.
    let open_enums = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("open_enums"));
    let files = Generator::new()
        .spec_path(path)
        .open_enums(open_enums)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(files.len(), 1, "one file per spec");
    files
        .into_iter()
        .next()
        .map(|f| f.contents)
        .unwrap_or_default()
}

/// Asserts that `rustfmt --edition 2024` leaves `code` unchanged, when rustfmt is installed.
fn assert_rustfmt_clean(name: &str, code: &str) {
    let child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("rustfmt is not on PATH; skipping the rustfmt check of {name}");
        return;
    };
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(code.as_bytes())
        .expect("writing to rustfmt");
    let output = child.wait_with_output().expect("rustfmt runs");
    assert!(
        output.status.success(),
        "rustfmt rejected the code for {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let formatted = String::from_utf8(output.stdout).expect("rustfmt writes UTF-8");
    if formatted != code {
        let first = code
            .lines()
            .zip(formatted.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "the code generated for {name} is not rustfmt-clean; first difference at line {}:\n  generated: {:?}\n  rustfmt:   {:?}",
            first + 1,
            code.lines().nth(first).unwrap_or_default(),
            formatted.lines().nth(first).unwrap_or_default(),
        );
    }
}
