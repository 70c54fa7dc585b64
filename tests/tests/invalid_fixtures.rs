//! Every spec in `fixtures/invalid/` makes the generator return an error, never panic: one
//! located line per problem found (`file:line:col: message` or `file#/pointer: message`),
//! sorted by location, and the first one's kind, snapshotted; and no file written. Files that
//! specs refer to live in subfolders, which are not fixtures of their own. They are generated
//! with the server, since a problem only a server meets (an operation's) never stops the types:
//! those fixtures give their types alone.

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapi_rustgen::Generator;

#[test]
fn each_invalid_fixture_gives_located_errors_and_writes_nothing() {
    insta::glob!("../fixtures/invalid", "*.{json,yaml,yml}", |path| {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture names are UTF-8");
        // Relative to this crate, the tests' working directory, so messages are the same on
        // every machine.
        let spec = std::path::Path::new("fixtures/invalid").join(file_name);
        let out_dir = std::env::temp_dir().join(format!(
            "rts-invalid-fixture-{}-{file_name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&out_dir);

        let result = catch_unwind(AssertUnwindSafe(|| {
            Generator::new()
                .spec_path(&spec)
                .server(true)
                .out_dir(&out_dir)
                .emit_rerun_if_changed(false)
                .generate()
        }));
        let Ok(result) = result else {
            panic!("the generator panicked on {file_name}");
        };
        let err = match result {
            Ok(files) => panic!("{file_name} generated {files:?}; expected an error"),
            Err(err) => err,
        };
        let message = err.to_string();
        assert_eq!(
            message.lines().count(),
            err.count(),
            "{file_name}: not one line per error: {message}"
        );
        // An error in a file the spec refers to names that file, next to the spec.
        for line in message.lines() {
            assert!(
                line.starts_with("fixtures/invalid/"),
                "{file_name}: the line does not name the file: {line}"
            );
        }

        assert!(
            !out_dir.exists(),
            "{file_name}: a failed run created {}",
            out_dir.display()
        );
        insta::assert_snapshot!("error", format!("{:?}: {message}", err.kind()));
    });
}

/// Fixtures whose only fault is in an operation: the types are generated anyway.
const OPERATION_ONLY: &[&str] = &[
    "colliding_operation_names.yaml",
    "dangling_parameter_ref.json",
    "duplicate_operation_ids.yaml",
    "undeclared_path_parameter.yaml",
];

#[test]
fn an_operation_problem_never_stops_the_types() {
    for file_name in OPERATION_ONLY {
        let spec = std::path::Path::new("fixtures/invalid").join(file_name);
        let files = Generator::new()
            .spec_path(&spec)
            .render()
            .unwrap_or_else(|err| panic!("{file_name}: types-only generation failed: {err}"));
        assert_eq!(files.len(), 1, "{file_name}");
        assert_eq!(files[0].name, "types.rs", "{file_name}");
        let err = Generator::new()
            .spec_path(&spec)
            .server(true)
            .render()
            .expect_err("the server stops at the problem");
        assert!(err.to_string().contains("/paths/"), "{file_name}: {err}");
    }
}
