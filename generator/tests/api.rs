//! The library API a build script uses: `Generator`'s spec sources, parts and writing.

use std::path::PathBuf;

use openapi_rustgen::{ErrorKind, Generator, WriteStatus};

const SPEC: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
  "components": {"schemas": {"Tag": {"type": "string", "enum": ["a", "b"]}}}}"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rustgen-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_parsed_document_gives_the_same_files_as_its_text() {
    let from_text = Generator::new().spec_text("t.json", SPEC).render().unwrap();
    let value: serde_json::Value = serde_json::from_str(SPEC).unwrap();
    let from_value = Generator::new()
        .spec_value("t.json", value)
        .render()
        .unwrap();
    assert_eq!(from_text, from_value);
    assert_eq!(from_text.len(), 1);
    assert_eq!(from_text[0].name, "types.rs");
    assert!(from_text[0].contents.contains("pub enum Tag {"));
}

#[test]
fn parts_that_are_switched_off_are_not_generated() {
    let files = Generator::new()
        .spec_text("t.json", SPEC)
        .types(false)
        .render()
        .unwrap();
    assert!(files.is_empty());
}

#[test]
fn generate_writes_once_then_reports_unchanged() {
    let dir = scratch("generate");
    let mut generator = Generator::new();
    generator
        .spec_text("t.json", SPEC)
        .out_dir(&dir)
        .emit_rerun_if_changed(false);
    let types = dir.join("types.rs");
    assert_eq!(
        generator.generate().unwrap(),
        [(types.clone(), WriteStatus::Created)]
    );
    assert_eq!(
        generator.generate().unwrap(),
        [(types.clone(), WriteStatus::Unchanged)]
    );
    assert!(generator.check().unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_spec_writes_nothing() {
    let dir = scratch("bad");
    let err = Generator::new()
        .spec_text("bad.yaml", "openapi: 3.0.3\ninfo: [\n")
        .out_dir(&dir)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert!(err.to_string().starts_with("bad.yaml:"), "{err}");
    assert!(!dir.exists());
}

#[test]
fn without_a_spec_or_out_dir_the_error_says_what_to_call() {
    let err = Generator::new().render().unwrap_err();
    assert!(
        err.to_string().contains("call `spec_path` or `spec_text`"),
        "{err}"
    );
    if std::env::var_os("OUT_DIR").is_none() {
        let err = Generator::new()
            .spec_text("t.json", SPEC)
            .emit_rerun_if_changed(false)
            .generate()
            .unwrap_err();
        assert!(err.to_string().contains("call `out_dir`"), "{err}");
    }
}
