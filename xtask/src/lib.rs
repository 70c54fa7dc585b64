//! The project's derived files and how to make them: the published spec from the utoipa model,
//! and the generated crate's sources from that spec. `cargo codegen` writes them; the test
//! suite checks them with [`stale_files`].

use std::path::{Path, PathBuf};

use openapi_rustgen::{Generator, StaleFile, WriteStatus};

/// The command that rewrites every derived file; named in headers and failure messages.
pub const REGENERATE: &str = "cargo codegen";

/// The published spec, relative to the workspace root, as it is named in generated headers.
pub const SPEC_JSON: &str = "spec/openapi.json";
/// The published spec in YAML.
pub const SPEC_YAML: &str = "spec/openapi.yaml";
/// Where the generated crate's sources go.
pub const GENERATED_SRC: &str = "generated/src";

/// The workspace root (this crate sits one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// A derived file and the content it should have.
pub struct DerivedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The content it must have.
    pub contents: String,
}

/// Every derived file, computed from the model: nothing is read from disk, so a stale
/// `spec/openapi.json` cannot leak into the generated code.
pub fn derived_files() -> Result<Vec<DerivedFile>, openapi_rustgen::Error> {
    let json = rts_spec::to_json();
    let yaml = rts_spec::to_yaml();
    // The in-process model takes the same path as a file: serialized, then loaded.
    let generated = Generator::new()
        .spec_text(SPEC_JSON, json.clone())
        .regenerate_with(REGENERATE)
        .server(true)
        .example_tests(true)
        .client(true)
        .render()?;
    let mut files = vec![
        DerivedFile {
            path: SPEC_JSON.into(),
            contents: json,
        },
        DerivedFile {
            path: SPEC_YAML.into(),
            contents: yaml,
        },
    ];
    files.extend(generated.into_iter().map(|file| DerivedFile {
        path: Path::new(GENERATED_SRC).join(file.name),
        contents: file.contents,
    }));
    Ok(files)
}

/// Writes every derived file under `root` whose content changed, and reports each file
/// (relative to `root`) with what was done to it. Everything is computed before the first
/// write, so a failure in the generator writes nothing.
pub fn write_derived_files(
    root: &Path,
    mut report: impl FnMut(&Path, WriteStatus),
) -> Result<(), openapi_rustgen::Error> {
    for file in derived_files()? {
        let status =
            openapi_rustgen::write::write_if_changed(&root.join(&file.path), &file.contents)?;
        report(&file.path, status);
    }
    Ok(())
}

/// The derived files under `root` whose content is out of date.
pub fn stale_files(root: &Path) -> Result<Vec<StaleFile>, openapi_rustgen::Error> {
    let mut stale = Vec::new();
    for file in derived_files()? {
        if let Some(mut found) =
            openapi_rustgen::write::check(&root.join(&file.path), &file.contents)?
        {
            found.path = file.path;
            stale.push(found);
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every derived file, once each, with what writing did to it under `root`.
    fn write_all(root: &Path) -> Vec<(PathBuf, WriteStatus)> {
        let mut reported = Vec::new();
        write_derived_files(root, |path, status| {
            reported.push((path.to_owned(), status))
        })
        .unwrap();
        reported
    }

    #[test]
    fn every_derived_file_is_reported_written_then_unchanged() {
        let root = std::env::temp_dir().join(format!("xtask-codegen-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let expected: Vec<PathBuf> = derived_files()
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert!(expected.contains(&PathBuf::from("generated/src/server.rs")));

        let first = write_all(&root);
        let paths: Vec<PathBuf> = first.iter().map(|(path, _)| path.clone()).collect();
        assert_eq!(paths, expected);
        assert!(
            first
                .iter()
                .all(|(_, status)| *status == WriteStatus::Created)
        );

        let second = write_all(&root);
        assert!(
            second
                .iter()
                .all(|(_, status)| *status == WriteStatus::Unchanged)
        );
        assert_eq!(second.len(), expected.len());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
