//! Helpers shared by the workspace tests in `tests/tests/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the workspace")
        .to_owned()
}

/// The published spec, as committed.
pub fn published_spec() -> Value {
    let path = workspace_root().join("spec/openapi.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("{}: {err}; run `cargo codegen`", path.display()));
    serde_json::from_str(&text).expect("spec/openapi.json is JSON")
}

/// The example attached to a media type of the published spec, by JSON pointer.
pub fn example_at(spec: &Value, pointer: &str) -> Value {
    spec.pointer(pointer)
        .unwrap_or_else(|| panic!("spec/openapi.json has no example at {pointer}"))
        .clone()
}

/// JSON pointer of the request example of the create operation.
pub const CREATE_REQUEST_EXAMPLE: &str = "/paths/~1v1~1{project_id}~1software_deployments/post/requestBody/content/application~1json/example";

/// JSON pointer of the 200 response example of the create operation.
pub const CREATE_RESPONSE_EXAMPLE: &str = "/paths/~1v1~1{project_id}~1software_deployments/post/responses/200/content/application~1json/example";
