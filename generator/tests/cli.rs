//! The `openapi-rustgen` command as a user or CI runs it: exit codes, messages, what it writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const PET_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Pets", "version": "1"},
  "paths": {},
  "components": {"schemas": {"Pet": {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}}
  }}}
}
"#;

const PET_YAML: &str = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        tag: {type: [string, 'null']}
";

/// A fresh directory for one test, removed when the test passes.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("rustgen-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn rustgen(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
        .args(args)
        .output()
        .unwrap()
}

fn run(spec: &Path, out: &Path, check: bool) -> Output {
    let mut args = vec![Path::new("--spec"), spec, Path::new("--out"), out];
    if check {
        args.push(Path::new("--check"));
    }
    rustgen(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn generates_types_from_json_and_yaml() {
    let dir = Scratch::new("generate");
    for (spec, optional_field) in [
        (dir.file("pets.json", PET_JSON), "pub name: Option<String>"),
        // `tag` may be absent or null: three states.
        (
            dir.file("pets.yaml", PET_YAML),
            "pub tag: Option<Option<String>>",
        ),
    ] {
        let out = dir.path(&format!("out-{}", spec.extension().unwrap().display()));
        let output = run(&spec, &out, false);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let types = out.join("types.rs");
        assert_eq!(stdout(&output), format!("created {}\n", types.display()));
        let code = std::fs::read_to_string(&types).unwrap();
        assert!(code.contains("pub struct Pet {"), "{code}");
        assert!(code.contains("pub id: i64"), "{code}");
        assert!(code.contains(optional_field), "{code}");
    }
}

#[test]
fn server_adds_the_router_next_to_the_types() {
    let dir = Scratch::new("server");
    let spec = dir.file(
        "pets.yaml",
        &format!(
            "{PET_YAML}paths:
  /pets/{{id}}:
    get:
      operationId: getPet
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: integer}}}}
      responses:
        '200':
          description: The pet
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Pet'}}
"
        )
        .replace("paths: {}\n", ""),
    );
    let out = dir.path("out");
    let output = rustgen(&[
        Path::new("--spec"),
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--server"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "created {}\ncreated {}\ncreated {}\n",
            out.join("types.rs").display(),
            out.join("operations.rs").display(),
            out.join("server.rs").display()
        )
    );
    let server = std::fs::read_to_string(out.join("server.rs")).unwrap();
    assert!(server.contains("fn get_pet"), "{server}");
}

#[test]
fn a_rerun_on_the_same_spec_touches_nothing() {
    let dir = Scratch::new("rerun");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("out");
    assert_eq!(run(&spec, &out, false).status.code(), Some(0));
    let types = out.join("types.rs");
    let before = mtime(&types);
    // Coarse file systems keep mtimes in whole seconds or less; a rewrite would show after this.
    std::thread::sleep(Duration::from_millis(20));
    let output = run(&spec, &out, false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("unchanged {}\n", types.display()));
    assert_eq!(mtime(&types), before);
}

#[test]
fn check_passes_on_fresh_output_and_writes_nothing() {
    let dir = Scratch::new("check-fresh");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("out");
    assert_eq!(run(&spec, &out, false).status.code(), Some(0));
    let before = mtime(&out.join("types.rs"));
    let output = run(&spec, &out, true);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert_eq!(mtime(&out.join("types.rs")), before);
}

#[test]
fn check_fails_on_stale_output_naming_the_file_with_a_diff() {
    let dir = Scratch::new("check-stale");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("out");
    assert_eq!(run(&spec, &out, false).status.code(), Some(0));
    let types = out.join("types.rs");
    let edited = std::fs::read_to_string(&types)
        .unwrap()
        .replace("pub id: i64", "pub id: i32");
    std::fs::write(&types, &edited).unwrap();

    let output = run(&spec, &out, true);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {}: out of date; run without --check to regenerate it\n",
            types.display()
        )
    );
    let diff = stdout(&output);
    assert!(diff.contains(&format!("--- {}", types.display())), "{diff}");
    assert!(diff.contains("-    pub id: i32,"), "{diff}");
    assert!(diff.contains("+    pub id: i64,"), "{diff}");
    assert_eq!(std::fs::read_to_string(&types).unwrap(), edited);
}

#[test]
fn check_fails_on_missing_output_and_creates_nothing() {
    let dir = Scratch::new("check-missing");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("out");
    let output = run(&spec, &out, true);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("(missing)"), "{}", stdout(&output));
    assert!(stderr(&output).contains("types.rs: out of date"));
    assert!(!out.exists());
}

#[test]
fn bad_input_exits_2_with_one_located_line_and_writes_nothing() {
    let dir = Scratch::new("bad");
    let out = dir.path("out");
    // Earlier output that a failed run must leave as it is.
    let good = dir.file("pets.json", PET_JSON);
    assert_eq!(run(&good, &out, false).status.code(), Some(0));
    let previous = std::fs::read_to_string(out.join("types.rs")).unwrap();

    let cases = [
        (
            "broken.json",
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"x\" \"version\": \"1\"}\n}\n",
            ":3:25: invalid JSON: expected `,` or `}`",
        ),
        (
            "broken.yaml",
            "openapi: 3.0.3\ninfo:\n  title: [unclosed\n",
            ": invalid YAML:",
        ),
        (
            "swagger.json",
            "{\"swagger\": \"2.0\", \"info\": {}}",
            "#/swagger: this is a Swagger 2.0 document",
        ),
        (
            "dangling.json",
            r##"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {},
                "components": {"schemas": {"A": {"$ref": "#/components/schemas/Missing"}}}}"##,
            "#/components/schemas/A",
        ),
    ];
    for (name, text, expected) in cases {
        let spec = dir.file(name, text);
        let output = run(&spec, &out, false);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {message}");
        assert!(
            message.starts_with(&format!("error: {}", spec.display())),
            "{name}: {message}"
        );
        assert!(message.contains(expected), "{name}: {message}");
        assert_eq!(message.lines().count(), 1, "{name}: {message}");
        assert_eq!(stdout(&output), "", "{name}");
        assert_eq!(
            std::fs::read_to_string(out.join("types.rs")).unwrap(),
            previous,
            "{name}"
        );
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "{name}");
    }

    // A missing spec is bad input too, and creates no output directory.
    let fresh = dir.path("fresh");
    let output = run(&dir.path("nowhere.yaml"), &fresh, false);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!("error: {}: ", dir.path("nowhere.yaml").display()))
    );
    assert!(!fresh.exists());
}

#[test]
fn example_tests_adds_a_test_per_example() {
    let dir = Scratch::new("examples");
    let spec = dir.file(
        "pets.yaml",
        &format!("{PET_YAML}      example: {{id: 7, tag: null}}\n"),
    );
    let out = dir.path("out");
    let output = rustgen(&[
        Path::new("--spec"),
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--example-tests"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let tests = std::fs::read_to_string(out.join("example_tests.rs")).unwrap();
    assert!(tests.contains("fn pet_example()"), "{tests}");
    assert!(
        tests.contains("round_trips::<super::types::Pet>"),
        "{tests}"
    );
    assert!(tests.contains(r#""{\"id\":7,\"tag\":null}""#), "{tests}");
}

#[test]
fn every_error_is_listed_sorted_by_location_and_nothing_is_written() {
    let dir = Scratch::new("several");
    let out = dir.path("out");
    let spec = dir.file(
        "several.json",
        r##"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "B": {"type": "object", "properties": {"x": {"type": "strin"}}},
                "A": {"$ref": "#/components/schemas/Missing"},
                "C": {"type": "object", "properties": {"ok": {"type": "string"}}}}}}"##,
    );
    let output = run(&spec, &out, false);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    let lines: Vec<&str> = message.lines().collect();
    let prefix = format!("error: {}#/components/schemas/", spec.display());
    assert_eq!(lines.len(), 2, "{message}");
    assert!(
        lines[0].starts_with(&format!("{prefix}A/$ref: dangling")),
        "{message}"
    );
    assert!(
        lines[1].starts_with(&format!("{prefix}B/properties/x/type: unknown type")),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn usage_errors_exit_2_and_help_explains_with_an_example() {
    let output = rustgen(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--spec <FILE>"));

    let output = rustgen(&[Path::new("--help")]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for expected in [
        "Generate Rust types from an OpenAPI 3.0 or 3.1 document.",
        "openapi-rustgen --spec openapi.yaml --out src/api --check",
        "Exit codes:",
        "--out <DIR>",
    ] {
        assert!(
            help.contains(expected),
            "{expected:?} missing from:\n{help}"
        );
    }
}

/// A spec big enough that a run takes a while, so it can be killed in the middle.
fn big_spec(schemas: usize, title: &str) -> String {
    let schemas: Vec<String> = (0..schemas)
        .map(|i| {
            format!(
                r##""S{i}": {{"type": "object", "description": "{title} {i}", "required": ["id"],
                "properties": {{"id": {{"type": "integer"}}, "name": {{"type": "string"}},
                "next": {{"$ref": "#/components/schemas/S{}"}},
                "tags": {{"type": "array", "items": {{"type": "string"}}}}}}}}"##,
                (i + 1) % schemas
            )
        })
        .collect();
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "big", "version": "1"}}, "paths": {{}},
        "components": {{"schemas": {{{}}}}}}}"#,
        schemas.join(",\n")
    )
}

#[test]
fn killing_a_run_leaves_the_old_file_or_the_new_one() {
    let dir = Scratch::new("kill");
    let out = dir.path("out");
    let old_spec = dir.file("old.json", &big_spec(300, "old"));
    assert_eq!(run(&old_spec, &out, false).status.code(), Some(0));
    let types = out.join("types.rs");
    let old = std::fs::read_to_string(&types).unwrap();
    let new_spec = dir.file("new.json", &big_spec(300, "new"));
    let expected_new = dir.path("expected");
    assert_eq!(run(&new_spec, &expected_new, false).status.code(), Some(0));
    let new = std::fs::read_to_string(expected_new.join("types.rs")).unwrap();
    assert_ne!(old, new);

    let mut kills = 0;
    for delay in (0..60).map(|i| Duration::from_micros(i * 500)) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
            .args([Path::new("--spec"), &new_spec, Path::new("--out"), &out])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let found = std::fs::read_to_string(&types).unwrap();
        assert!(
            found == old || found == new,
            "a kill after {delay:?} left a file that is neither the old nor the new one"
        );
        if found == new {
            // Start over from the old content for the next kill.
            assert_eq!(run(&old_spec, &out, false).status.code(), Some(0));
        }
    }
    assert!(kills > 0, "no run was slow enough to be killed");
}

#[test]
fn crate_writes_a_manifest_a_lib_and_the_sources() {
    let dir = Scratch::new("crate");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("pets-api");
    let output = rustgen(&[
        Path::new("--spec"),
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--crate"),
        Path::new("pets-api"),
        Path::new("--runtime-version"),
        Path::new("0.1.0"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: Vec<String> = stdout(&output)
        .lines()
        .map(|line| line.to_owned())
        .collect();
    let expected: Vec<String> = [
        "Cargo.toml",
        "src/lib.rs",
        "src/types.rs",
        "src/operations.rs",
        "src/server.rs",
        "src/client.rs",
    ]
    .iter()
    .map(|name| format!("created {}", out.join(name).display()))
    .collect();
    assert_eq!(written, expected);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"pets-api\""), "{manifest}");
    assert!(
        manifest.contains(r#"openapi-rustgen-runtime = { version = "0.1.0", optional = true"#),
        "{manifest}"
    );
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("#[cfg(feature = \"server\")]"), "{lib}");
    assert!(
        lib.contains("#[cfg(feature = \"client\")]\n#[rustfmt::skip]\npub mod client;"),
        "{lib}"
    );
}

#[test]
fn crate_names_cargo_would_refuse_are_refused_before_writing() {
    let dir = Scratch::new("crate-name");
    let spec = dir.file("pets.json", PET_JSON);
    let out = dir.path("out");
    let output = rustgen(&[
        Path::new("--spec"),
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--crate"),
        Path::new("pets api"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("crate name \"pets api\""),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written");
}
