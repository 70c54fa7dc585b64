//! Every spec in `fixtures/invalid/` makes the generator return an error, never panic: one
//! located line per problem found (`file:line:col: message` or `file#/pointer: message`),
//! sorted by location, and the first one's kind, snapshotted; and no file written. Files that
//! specs refer to live in subfolders, which are not fixtures of their own.

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
