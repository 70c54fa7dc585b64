//! The files around the generated code when the output is a whole crate
//! ([`crate::Generator::crate_name`]): `Cargo.toml` and `src/lib.rs`.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Location, Result};

/// Where the generated crate gets `openapi-rustgen-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// The runtime crate's directory: this repository's `runtime/`, or a copy of it.
    Path(PathBuf),
    /// A git repository holding the workspace (cargo finds the crate in it by name), at `rev`
    /// (a commit, tag or branch) or at its default branch.
    Git {
        /// The repository's URL.
        url: String,
        /// The commit, tag or branch.
        rev: Option<String>,
    },
    /// A version requirement, resolved from the registry (crates.io unless configured).
    Version(String),
}

impl RuntimeSource {
    /// The runtime next to this generator when it runs from a checkout of its repository
    /// (`runtime/` beside `generator/`); otherwise the registry version of this generator's
    /// `major.minor.patch`, which [`require_version`] accepts.
    ///
    /// [`require_version`]: https://docs.rs/openapi-rustgen-runtime
    pub fn default_for_this_generator() -> Self {
        let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        if checkout.join("Cargo.toml").is_file()
            && let Ok(path) = checkout.canonicalize()
        {
            return RuntimeSource::Path(path);
        }
        RuntimeSource::Version(env!("CARGO_PKG_VERSION").to_owned())
    }

    /// The dependency's inline table entries, e.g. `path = "..."`.
    fn toml(&self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            RuntimeSource::Path(path) => format!(
                "path = {}, version = {}",
                toml_string(&path.to_string_lossy()),
                toml_string(version)
            ),
            RuntimeSource::Git { url, rev } => match rev {
                Some(rev) => format!("git = {}, rev = {}", toml_string(url), toml_string(rev)),
                None => format!("git = {}", toml_string(url)),
            },
            RuntimeSource::Version(requirement) => {
                format!("version = {}", toml_string(requirement))
            }
        }
    }
}

/// Checks that `name` can name a cargo package (and, with `-` as `_`, a Rust crate).
pub fn check_crate_name(name: &str) -> Result<()> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Invalid,
            Location::Document,
            format!(
                "crate name {name:?}: use ASCII letters, digits, `-` and `_`, starting with a letter"
            ),
        ))
    }
}

/// The crate's `Cargo.toml`: serde always; the runtime behind the features `server` and
/// `client`. Its own `[workspace]`, so that it builds wherever it is written.
pub fn cargo_toml(name: &str, header: &str, runtime: &RuntimeSource) -> String {
    let header: String = header
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| format!("# {}\n", line.trim_start_matches("// ")))
        .collect();
    format!(
        r#"{header}
[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
rust-version = "1.88"
publish = false

[features]
# The axum server (`server` module): implement `server::Api`, serve `server::router`.
server = ["dep:openapi-rustgen-runtime", "openapi-rustgen-runtime/server"]
# The reqwest client (`client` module), sharing `operations` with the server. reqwest comes
# without TLS: for HTTPS, depend on reqwest 0.13 with its feature `rustls` too.
client = ["dep:openapi-rustgen-runtime", "openapi-rustgen-runtime/client"]

[dependencies]
serde = {{ version = "1.0", features = ["derive"] }}
serde_json = "1.0"
# The generator's runtime: the one dependency the server and the client add.
openapi-rustgen-runtime = {{ {runtime}, optional = true, default-features = false }}

# A crate of its own, wherever it is written.
[workspace]
"#,
        runtime = runtime.toml(),
    )
}

/// The crate's `src/lib.rs`: the generated modules, each part behind its feature.
pub fn lib_rs(header: &str, has_types: bool) -> String {
    // A glob of an empty module is an unused import.
    let re_export = if has_types {
        "\npub use types::*;\n"
    } else {
        ""
    };
    format!(
        r#"{header}//! Rust types, an axum server and a reqwest client for the API of the spec named above.
//!
//! [`types`] is always there; the features `server` and `client` add their parts.

/// The schemas of the spec, also re-exported at the crate root (if there are any).
pub mod types;

/// Per operation, its parameter struct and its response enum.
#[cfg(any(feature = "server", feature = "client"))]
#[rustfmt::skip]
pub mod operations;

/// The axum server: implement `server::Api` and serve `server::router`.
#[cfg(feature = "server")]
#[rustfmt::skip]
pub mod server;

/// The reqwest client: one async method per operation on `client::Client`.
#[cfg(feature = "client")]
#[rustfmt::skip]
pub mod client;
{re_export}"#
    )
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_are_re_exported_only_where_there_are_some() {
        assert!(lib_rs("", true).ends_with("pub mod client;\n\npub use types::*;\n"));
        // An empty module's glob would be an unused import.
        assert!(lib_rs("", false).ends_with("pub mod client;\n"));
    }

    #[test]
    fn crate_names_are_checked() {
        assert!(check_crate_name("pet-store_2").is_ok());
        for bad in ["", "2pets", "pets api", "pets\"", "pëts"] {
            let err = check_crate_name(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn toml_strings_cannot_be_broken_out_of() {
        assert_eq!(toml_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(toml_string("a\nb"), r#""a\u000Ab""#);
    }

    #[test]
    fn each_runtime_source_becomes_a_dependency_table() {
        let git = RuntimeSource::Git {
            url: "https://example.com/r.git".into(),
            rev: Some("v0.1.0".into()),
        };
        assert_eq!(
            git.toml(),
            r#"git = "https://example.com/r.git", rev = "v0.1.0""#
        );
        assert_eq!(
            RuntimeSource::Version("0.1".into()).toml(),
            r#"version = "0.1""#
        );
        assert!(
            RuntimeSource::Path("/x/runtime".into())
                .toml()
                .starts_with(r#"path = "/x/runtime", version = ""#)
        );
    }

    #[test]
    fn from_a_checkout_the_runtime_is_the_workspace_crate() {
        match RuntimeSource::default_for_this_generator() {
            RuntimeSource::Path(path) => assert!(path.join("src/lib.rs").is_file()),
            other => panic!("expected the checkout's runtime, got {other:?}"),
        }
    }
}
