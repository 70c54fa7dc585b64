"""Compiles generated code in batches: many specs per scratch crate (one module each), the
crates in one scratch workspace with one shared target dir, `cargo check --message-format=json`.
Each error is attributed to its spec by the file path in the diagnostic; the specs of a failing
crate without errors are checked again without the failing ones, so one bad spec never hides a
batch."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

# What the generated code needs, one place to change. Types: serde (derive) and serde_json.
TYPES_DEPENDENCIES = {
    "serde": '{ version = "1.0", features = ["derive"] }',
    "serde_json": '"1.0"',
}
# Types + server: what rts-api's feature `server` turns on (generated/Cargo.toml).
SERVER_DEPENDENCIES = {
    "axum": '{ version = "0.8.9", default-features = false, features = ["tokio", "http1"] }',
    "http-body-util": '"0.1"',
    "jsonschema": '{ version = "0.61", default-features = false }',
    "serde_path_to_error": '"0.1"',
    "form_urlencoded": '"1.2"',
}
# The runtime crate (issue 12): once this folder exists, the server and the client depend on it
# by path, with the features of the mode that it has.
RUNTIME_DIR = "runtime"
# The files the generator writes in each mode, in module order (`operations` is shared by the
# server and the client).
MODE_FILES = {
    "types": ["types"],
    "server": ["types", "operations", "server"],
    "client": ["types", "operations", "server", "client"],
}

MAX_ERRORS_KEPT = 20
NOT_AN_ERROR = re.compile(r"^(aborting due to|could not compile|Some errors have detailed)")


def dependencies(root, mode):
    deps = dict(TYPES_DEPENDENCIES)
    if mode == "types":
        return deps
    deps.update(SERVER_DEPENDENCIES)
    wanted = ["server"]
    if mode == "client":
        # The client needs only the runtime's feature `client` (reqwest comes with it; rts-api's
        # own reqwest dependency only picks the TLS backend, which checking does not need).
        wanted.append("client")
    manifest = root / RUNTIME_DIR / "Cargo.toml"
    if manifest.is_file():
        with open(manifest, "rb") as f:
            runtime = tomllib.load(f)
        name = runtime["package"]["name"]
        features = [f for f in wanted if f in runtime.get("features", {})]
        listed = ", features = [%s]" % ", ".join(json.dumps(f) for f in features) if features else ""
        deps[name] = "{ path = %s%s }" % (json.dumps(str(manifest.parent)), listed)
    return deps


def rust_string(text):
    return json.dumps(text)  # JSON's escapes of " and \ are Rust's too


def file_modules(out_dir, mode, indent=""):
    """One module per generated file, as the generated crate declares them (siblings)."""
    return "".join(f"{indent}#[path = {rust_string(str(out_dir / (name + '.rs')))}]\n"
                   f"{indent}pub mod {name};\n" for name in MODE_FILES[mode])


def spec_module(spec_id, out_dir, mode):
    """The module of one spec's output, under its id."""
    if mode == "types":
        return f"#[path = {rust_string(str(out_dir / 'types.rs'))}]\npub mod {spec_id};\n"
    return f"pub mod {spec_id} {{\n{file_modules(out_dir, mode, '    ')}}}\n"


def write_crate(crate_dir, package, deps, lib_source):
    crate_dir.mkdir(parents=True, exist_ok=True)
    dep_lines = "".join(f"{name} = {spec}\n" for name, spec in deps.items())
    (crate_dir / "Cargo.toml").write_text(
        f'[package]\nname = "{package}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[lib]\npath = "lib.rs"\n\n[dependencies]\n{dep_lines}')
    (crate_dir / "lib.rs").write_text(lib_source)


def write_workspace(workspace, members, root):
    workspace.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(json.dumps(m) for m in members)
    (workspace / "Cargo.toml").write_text(
        f"[workspace]\nresolver = \"3\"\nmembers = [{listed}]\n\n"
        "[profile.dev]\ndebug = false\nincremental = false\n")
    lock = workspace / "Cargo.lock"
    if not lock.exists():
        # The project's versions of the dependencies: nothing new to fetch or build.
        shutil.copy(root / "Cargo.lock", lock)


def cargo_check(workspace, target, jobs, nice):
    """Runs cargo check on the workspace; returns (messages, built manifests, seconds, stderr)."""
    argv = ["nice", "-n", str(nice), "cargo", "check", "--workspace", "--keep-going",
            "--message-format=json", "-j", str(jobs),
            "--manifest-path", str(workspace / "Cargo.toml")]
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_INCREMENTAL": "0"}
    start = time.monotonic()
    messages, built = [], set()
    with tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        for line in proc.stdout:
            if not line.startswith("{"):
                continue
            message = json.loads(line)
            if message.get("reason") == "compiler-artifact":
                built.add(message.get("manifest_path"))
                if str(workspace) in message.get("manifest_path", ""):
                    print(f"      checked {message['target']['name']} after "
                          f"{time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
            elif message.get("reason") == "compiler-message":
                messages.append(message)
        proc.wait()
        stderr.seek(0)
        errors = stderr.read()
    return messages, built, time.monotonic() - start, errors


def span_files(span):
    """The file of a span and of every macro expansion it comes from."""
    while span:
        yield span["file_name"], span["line_start"]
        expansion = span.get("expansion") or {}
        span = expansion.get("span")


def attribute(message, out_root):
    """(spec id or None, error record) of one diagnostic."""
    diagnostic = message["message"]
    spans = sorted(diagnostic["spans"], key=lambda s: not s["is_primary"])
    at = None
    for span in spans:
        for file_name, line in span_files(span):
            path = file_name if os.path.isabs(file_name) else ""
            if path.startswith(str(out_root) + os.sep):
                rel = os.path.relpath(path, out_root)
                spec_id, _, rest = rel.partition(os.sep)
                return spec_id, _error(diagnostic, f"{rest}:{line}")
            at = at or f"{file_name}:{line}"
    return None, _error(diagnostic, at or "")


def _error(diagnostic, at):
    code = diagnostic.get("code") or {}
    return {"code": code.get("code"), "message": diagnostic["message"], "at": at}


def pack(ids, sizes, batch_specs, batch_bytes):
    batches, current, current_bytes = [], [], 0
    for spec_id in ids:
        if current and (len(current) >= batch_specs or current_bytes + sizes[spec_id] > batch_bytes):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(spec_id)
        current_bytes += sizes[spec_id]
    if current:
        batches.append(current)
    return batches


def check_generated(records, out_root, workspace, target, root, mode, jobs, nice,
                    batch_specs, batch_bytes):
    """Sets each generated record's `compile` ("ok" / "failed"), `compile_errors` and
    `compile_warnings`; returns facts about the run."""
    generated = {r["id"]: r for r in records if r["status"] == "generated"}
    for record in generated.values():
        record["compile_warnings"] = 0
        record["warnings"] = []
    shutil.rmtree(workspace, ignore_errors=True)
    deps = dependencies(root, mode)
    names = (f"b{n:04d}" for n in range(1_000_000))
    pending = {next(names): batch for batch in pack(
        sorted(generated), {i: r.get("output_bytes", 0) for i, r in generated.items()},
        batch_specs, batch_bytes)}
    crates, runs, start = len(pending), 0, time.monotonic()
    failed = {}
    while pending:
        for name, ids in pending.items():
            source = "//! Corpus check: one module per spec.\n\n" + "".join(
                spec_module(i, out_root / i, mode) for i in ids)
            write_crate(workspace / name, f"corpus-{mode}-{name}", deps, source)
        write_workspace(workspace, list(pending), root)
        specs = sum(len(ids) for ids in pending.values())
        print(f"    cargo check: {len(pending)} crates, {specs} specs", file=sys.stderr, flush=True)
        messages, built, seconds, stderr = cargo_check(workspace, target, jobs, nice)
        runs += 1
        by_crate = {}
        for message in messages:
            by_crate.setdefault(message.get("manifest_path"), []).append(message)
        foreign = set(by_crate) - {str(workspace / n / "Cargo.toml") for n in pending}
        if any(m["message"]["level"] == "error" for f in foreign for m in by_crate[f]):
            sys.exit("corpus: a dependency of the scratch crates does not build:\n" + stderr[-4000:])
        next_pending = {}
        for name, ids in pending.items():
            manifest = str(workspace / name / "Cargo.toml")
            errors, unattributed = {}, []
            for message in by_crate.get(manifest, []):
                level = message["message"]["level"]
                spec_id, error = attribute(message, out_root)
                if level == "warning" and spec_id in generated:
                    record = generated[spec_id]
                    record["compile_warnings"] += 1
                    if len(record["warnings"]) < MAX_ERRORS_KEPT:
                        record["warnings"].append(error)
                if not level.startswith("error") or NOT_AN_ERROR.match(error["message"]):
                    continue
                if spec_id in generated:
                    errors.setdefault(spec_id, []).append(error)
                else:
                    unattributed.append(error)
            if manifest in built:
                continue
            failed.update(errors)
            rest = [i for i in ids if i not in errors]
            if not rest:
                continue
            if errors:
                next_pending[next(names)] = rest
            elif not unattributed:
                sys.exit(f"corpus: cargo check built nothing of {name} and reported no error:\n"
                         + stderr[-4000:])
            elif len(rest) == 1:
                failed[rest[0]] = unattributed
            else:  # errors that name no spec: halve the crate until they do
                half = len(rest) // 2
                next_pending[next(names)] = rest[:half]
                next_pending[next(names)] = rest[half:]
            shutil.rmtree(workspace / name)
        pending = next_pending
    for spec_id, record in generated.items():
        if spec_id in failed:
            record["compile"] = "failed"
            record["compile_error_count"] = len(failed[spec_id])
            record["compile_errors"] = failed[spec_id][:MAX_ERRORS_KEPT]
        else:
            record["compile"] = "ok"
    return {"wall_seconds": round(time.monotonic() - start, 1), "crates": crates,
            "cargo_runs": runs, "dependencies": deps}


def check_single(out_dir, workspace, target, root, mode, jobs, nice):
    """cargo check of one output as its own crate (each generated file a module); the time is
    that of the crate alone, its dependencies checked beforehand."""
    shutil.rmtree(workspace, ignore_errors=True)
    deps = dependencies(root, mode)
    write_crate(workspace / "crate", "corpus-single", deps, "")
    write_workspace(workspace, ["crate"], root)
    cargo_check(workspace, target, jobs, nice)  # dependencies only
    source = file_modules(out_dir, mode)
    write_crate(workspace / "crate", "corpus-single", deps, source)
    messages, built, seconds, _ = cargo_check(workspace, target, jobs, nice)
    errors = [attribute(m, out_dir.parent)[1] for m in messages
              if m["message"]["level"].startswith("error")
              and not NOT_AN_ERROR.match(m["message"]["message"])]
    warnings = sum(1 for m in messages if m["message"]["level"] == "warning")
    return {"ok": str(workspace / "crate" / "Cargo.toml") in built, "seconds": round(seconds, 1),
            "error_count": len(errors), "errors": errors[:MAX_ERRORS_KEPT], "warnings": warnings}
