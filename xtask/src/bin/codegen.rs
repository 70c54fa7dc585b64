//! `cargo codegen [--check]`: see the crate docs of `xtask`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

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
    // One line per file, as the `openapi-rustgen` command prints them.
    let mut stdout = std::io::stdout().lock();
    match xtask::write_derived_files(&root, |path, status| {
        let _ = writeln!(stdout, "{} {}", status.as_str(), path.display());
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
