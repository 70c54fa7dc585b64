//! The project's derived files and how to make them: the published spec from the utoipa model,
//! and the generated crate's sources from that spec. `cargo codegen` writes them; the test
//! suite checks them with [`stale_files`].

use std::path::{Path, PathBuf};

use openapi_rustgen::{Generator, StaleFile};

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
