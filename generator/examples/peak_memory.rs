//! Peak memory of one generator run per spec size, as a build script or the CLI would see it.
//!
//! `cargo run --release -p openapi-rustgen --example peak_memory` writes each spec (the project's,
//! synthetic ones of 10 to 10 000 schemas and operations) to a file, then runs the whole pipeline
//! on it in a fresh child process (this program with `run FILE DIR`) and reads the child's peak
//! resident set (`VmHWM` in /proc/self/status, Linux only). Give sizes as arguments to pick some:
//! `... --example peak_memory -- 100 1000`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "../benches/synthetic.rs"]
mod synthetic;

const MB: f64 = 1024.0 * 1024.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, spec, out] = args.as_slice()
        && mode == "run"
    {
        run(Path::new(spec), Path::new(out));
        return;
    }
    let sizes: Vec<String> = if args.is_empty() {
        ["project", "10", "100", "1000", "10000"]
            .map(String::from)
            .to_vec()
    } else {
        args
    };
    let dir = std::env::temp_dir().join(format!("rustgen-peak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!("| spec | input | peak RSS | limit (20 × input + 20 MB) | within | time |");
    println!("| --- | ---: | ---: | ---: | --- | ---: |");
    for size in &sizes {
        let text = match size.as_str() {
            "project" => std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.json"),
            )
            .unwrap(),
            n => synthetic::spec(n.parse().expect("sizes are numbers or `project`")),
        };
        let spec = dir.join(format!("{size}.json"));
        std::fs::write(&spec, &text).unwrap();
        let out = dir.join(format!("out-{size}"));
        let started = Instant::now();
        let child = Command::new(std::env::current_exe().unwrap())
            .arg("run")
            .arg(&spec)
            .arg(&out)
            .output()
            .unwrap();
        let elapsed = started.elapsed();
        assert!(
            child.status.success(),
            "{}",
            String::from_utf8_lossy(&child.stderr)
        );
        let peak: f64 = String::from_utf8(child.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let input = text.len() as f64;
        let limit = 20.0 * input + 20.0 * MB;
        println!(
            "| {size} | {:.2} MB | {:.1} MB | {:.1} MB | {} | {:.2} s |",
            input / MB,
            peak / MB,
            limit / MB,
            if peak < limit { "yes" } else { "NO" },
            elapsed.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The child: one whole generator run, then print the peak resident set in bytes.
fn run(spec: &Path, out: &Path) {
    openapi_rustgen::Generator::new()
        .spec_path(PathBuf::from(spec))
        .out_dir(out)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap_or_else(|err| panic!("{err}"));
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status");
    println!("{}", kb * 1024);
}
