//! Prints the RTS OpenAPI document: JSON by default, YAML with `--yaml`.
//!
//! `cargo run -q -p rts-spec --example print_openapi > spec/openapi.json`

fn main() {
    let yaml = std::env::args().skip(1).any(|arg| arg == "--yaml");
    let document = if yaml {
        rts_spec::to_yaml()
    } else {
        rts_spec::to_json()
    };
    print!("{document}");
}
