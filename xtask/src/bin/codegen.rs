//! `cargo codegen [--check]`: see the crate docs of `xtask`.

use std::process::ExitCode;

use clap::Parser;
use openapi_rustgen::WriteStatus;

/// Rewrite the published spec (spec/openapi.json, spec/openapi.yaml) and the generated crate's
/// sources (generated/src/) from the utoipa model in spec/.
#[derive(Parser)]
#[command(name = "cargo codegen")]
struct Args {
    /// Write nothing; exit 1 and name each file that is out of date.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = xtask::workspace_root();
    if args.check {
        return match xtask::stale_files(&root) {
            Ok(stale) if stale.is_empty() => ExitCode::SUCCESS,
            Ok(stale) => {
                for file in &stale {
                    eprintln!("stale: {}\n{}", file.path.display(), file.diff);
                }
                eprintln!(
                    "{} derived file(s) are out of date; run `{}` and commit the result",
                    stale.len(),
                    xtask::REGENERATE
                );
                ExitCode::FAILURE
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(2)
            }
        };
    }
    let files = match xtask::derived_files() {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    // Everything is computed before the first write, so a failure writes nothing.
    for file in files {
        match openapi_rustgen::write::write_if_changed(&root.join(&file.path), &file.contents) {
            Ok(WriteStatus::Unchanged) => {}
            Ok(status) => eprintln!("{status:?}: {}", file.path.display()),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
