"""Compiles generated code in batches: many specs per scratch crate (one module each), each
crate its own workspace, checked by its own `cargo check --message-format=json`, one crate at a
time per target dir (as many target dirs as jobs), the smallest batches first. Each error is
attributed to its spec by the file path in the diagnostic; the specs of a failing crate without
errors are checked again without the failing ones, so one bad spec never hides a batch. Every
decided spec is appended to the results file as its crate finishes (results.py), so a run that
stops keeps what it checked."""

import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


def write_crate(crate_dir, package, deps, lib_source, root):
    """A scratch crate that is its own workspace, so that several cargo processes can check
    crates side by side, each with its own target dir."""
    crate_dir.mkdir(parents=True, exist_ok=True)
    dep_lines = "".join(f"{name} = {spec}\n" for name, spec in deps.items())
    (crate_dir / "Cargo.toml").write_text(
        f'[package]\nname = "{package}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[lib]\npath = "lib.rs"\n\n[dependencies]\n{dep_lines}\n'
        "[workspace]\n\n[profile.dev]\ndebug = false\nincremental = false\n")
    (crate_dir / "lib.rs").write_text(lib_source)
    lock = crate_dir / "Cargo.lock"
    if not lock.exists():
        # The project's versions of the dependencies: nothing new to fetch or build.
        shutil.copy(root / "Cargo.lock", lock)


# The cargo processes running now (to stop them on Ctrl-C): pid -> Popen.
RUNNING = {}


def cargo_check(crate_dir, target, jobs, nice):
    """cargo check of one scratch crate. Returns a dict: messages (compiler messages), built
    (manifest paths cargo reported as done), seconds, stderr, returncode."""
    argv = ["nice", "-n", str(nice), "cargo", "check", "--keep-going",
            "--message-format=json", "-j", str(jobs),
            "--manifest-path", str(crate_dir / "Cargo.toml")]
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_INCREMENTAL": "0"}
    start = time.monotonic()
    messages, built = [], set()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        # Its own session: Ctrl-C stops this script, which then stops cargo (stop_all).
        proc = subprocess.Popen(argv, stdout=stdout, stderr=stderr, text=True, env=env,
                                start_new_session=True)
        RUNNING[proc.pid] = proc
        try:
            proc.wait()
        finally:
            RUNNING.pop(proc.pid, None)
        stdout.seek(0)
        for line in stdout:
            if not line.startswith("{"):
                continue
            message = json.loads(line)
            if message.get("reason") == "compiler-artifact":
                built.add(message.get("manifest_path"))
            elif message.get("reason") == "compiler-message":
                messages.append(message)
        stderr.seek(0)
        errors = stderr.read()
    return {"messages": messages, "built": built, "seconds": time.monotonic() - start,
            "stderr": errors, "returncode": proc.returncode}


def remove_artifacts(target, package):
    """Deletes the metadata a checked batch crate left in its target dir (tens of MB each,
    which nothing reads again: no crate depends on a batch crate)."""
    crate = package.replace("-", "_")
    deps = target / "debug" / "deps"
    for path in [*deps.glob(f"lib{crate}-*.rmeta"), *deps.glob(f"{crate}-*.d")]:
        path.unlink(missing_ok=True)


def stop_all():
    """Kills the process group of every cargo check still running."""
    for proc in list(RUNNING.values()):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


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


class DependencyFailure(Exception):
    """A dependency of the scratch crates does not build: every batch would fail."""


def pack(ids, sizes, batch_specs, batch_bytes):
    """Batches of at most `batch_specs` specs or `batch_bytes` of source, the smallest specs
    first, so that a run that stops early has checked as many specs as it could."""
    batches, current, current_bytes = [], [], 0
    for spec_id in sorted(ids, key=lambda i: (sizes[i], i)):
        if current and (len(current) >= batch_specs or current_bytes + sizes[spec_id] > batch_bytes):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(spec_id)
        current_bytes += sizes[spec_id]
    if current:
        batches.append(current)
    return batches


def settle(ids, outcome, manifest, out_root):
    """What one cargo check of a batch crate says about its specs: (results, again, trouble).
    `results` maps the id of each spec it decides to its compile fields; `again` lists the
    batches to check next (the crate without its failing specs, or its halves when errors name
    no spec); `trouble` says why nothing could be decided, when cargo checked nothing and
    reported no error (e.g. rustc killed)."""
    wanted = set(ids)
    errors, warnings, unattributed = {}, {}, []
    for message in outcome["messages"]:
        level = message["message"]["level"]
        if message.get("manifest_path") != manifest:
            if level == "error":
                raise DependencyFailure(outcome["stderr"][-4000:])
            continue
        spec_id, error = attribute(message, out_root)
        if level == "warning" and spec_id in wanted:
            warnings.setdefault(spec_id, []).append(error)
        if not level.startswith("error") or NOT_AN_ERROR.match(error["message"]):
            continue
        if spec_id in wanted:
            errors.setdefault(spec_id, []).append(error)
        else:
            unattributed.append(error)

    def result(spec_id, failures=None):
        found = warnings.get(spec_id, [])
        fields = {"compile": "failed" if failures else "ok", "compile_warnings": len(found),
                  "warnings": found[:MAX_ERRORS_KEPT]}
        if failures:
            fields["compile_error_count"] = len(failures)
            fields["compile_errors"] = failures[:MAX_ERRORS_KEPT]
        return fields

    if manifest in outcome["built"]:
        return {i: result(i) for i in ids}, [], None
    results = {i: result(i, found) for i, found in errors.items()}
    rest = [i for i in ids if i not in errors]
    if not rest:
        return results, [], None
    if errors:
        return results, [rest], None
    if not unattributed:
        return results, [], (f"cargo check built nothing and reported no error (exit "
                             f"{outcome['returncode']}):\n{outcome['stderr'][-2000:]}")
    if len(rest) == 1:
        results[rest[0]] = result(rest[0], unattributed)
        return results, [], None
    half = len(rest) // 2  # errors that name no spec: halve the crate until they do
    return results, [rest[:half], rest[half:]], None


def check_generated(records, out_root, check_dir, targets, root, mode, *, jobs, nice, batch_specs,
                    batch_bytes, store, minutes=None, max_batches=None, check=cargo_check):
    """Compiles the generated specs that have no `compile` result yet, in batch crates, one
    cargo process per crate and up to one at a time per target dir in `targets`. Sets each
    decided record's `compile` ("ok" / "failed"), `compile_errors` and `compile_warnings`, and
    appends it to `store` as soon as its crate is done. Starts no cargo run after `minutes`, and
    no more than `max_batches` of the first batches (their re-checks still run); returns facts
    about the run."""
    generated = {r["id"]: r for r in records if r["status"] == "generated"}
    todo = [i for i, r in generated.items() if "compile" not in r]
    sizes = {i: generated[i].get("output_bytes", 0) for i in todo}
    fresh = collections.deque(pack(todo, sizes, batch_specs, batch_bytes))
    info = {"specs_to_check": len(todo), "batches": len(fresh), "batches_started": 0,
            "cargo_runs": 0, "specs_checked": 0, "slots": len(targets), "wall_seconds": 0.0,
            "warm_seconds": 0.0, "stopped": "done"}
    if not fresh:
        return info
    if max_batches == 0 or minutes is not None and minutes <= 0:
        info.update(stopped="batch limit" if max_batches == 0 else "time limit",
                    batches_left=len(fresh))
        return info
    shutil.rmtree(check_dir, ignore_errors=True)
    deps = dependencies(root, mode)
    info["dependencies"] = deps
    # No target dir to warm for a slot that would stay idle.
    targets = targets[:min(len(fresh), max_batches or len(fresh))]
    info["slots"] = len(targets)
    start = time.monotonic()
    deadline = start + minutes * 60 if minutes is not None else None
    # Each target dir checks the dependencies once, with every core, before the batches share
    # the cores (a warm target dir takes a second).
    for target in targets:
        crate = check_dir / "deps"
        write_crate(crate, f"corpus-{mode}-deps", deps, "", root)
        try:
            outcome = check(crate, target, jobs, nice)
        except KeyboardInterrupt:
            stop_all()
            info.update(stopped="interrupted", batches_left=len(fresh))
            return info
        if str(crate / "Cargo.toml") not in outcome["built"]:
            sys.exit(f"corpus: the dependencies of the scratch crates do not build ({target}):\n"
                     + outcome["stderr"][-4000:])
    info["warm_seconds"] = round(time.monotonic() - start, 1)

    names = (f"b{n:04d}" for n in range(1_000_000))
    again = collections.deque()
    cond = threading.Condition()
    state = {"running": 0, "stop": None, "fatal": None}
    specs_total = len(todo)

    def take():
        """The next batch to start now, or None (the caller waits while others run)."""
        if deadline is not None and time.monotonic() >= deadline:
            return None
        if again:
            return again.popleft()
        if fresh and (max_batches is None or info["batches_started"] < max_batches):
            info["batches_started"] += 1
            return next(names), fresh.popleft()
        return None

    def finish(name, ids, outcome):
        results, retry, trouble = settle(ids, outcome, str(check_dir / name / "Cargo.toml"),
                                         out_root)
        decided = []
        for spec_id, fields in results.items():
            record = generated[spec_id]
            record.update(fields)
            decided.append(record)
        store.append(decided)
        for batch in retry:
            again.append((next(names), batch))
        info["specs_checked"] += len(decided)
        failed = sum(1 for r in decided if r["compile"] == "failed")
        note = f", {sum(map(len, retry))} again without them" if retry else ""
        print(f"      {name}: {len(ids)} specs, {sum(sizes[i] for i in ids) / 1e6:.1f} MB, "
              f"{outcome['seconds']:.0f} s: {len(decided) - failed} ok, {failed} failed{note} "
              f"[{info['specs_checked']}/{specs_total} checked]", file=sys.stderr, flush=True)
        if trouble:
            print(f"      {name}: left unchecked: {trouble}", file=sys.stderr, flush=True)

    def worker(slot):
        while True:
            with cond:
                while True:
                    if state["stop"]:
                        return
                    item = take()
                    if item is not None:
                        state["running"] += 1
                        break
                    if state["running"] == 0:
                        cond.notify_all()
                        return
                    cond.wait()
            name, ids = item
            try:
                source = "//! Corpus check: one module per spec.\n\n" + "".join(
                    spec_module(i, out_root / i, mode) for i in ids)
                package = f"corpus-{mode}-{name}"
                write_crate(check_dir / name, package, deps, source, root)
                outcome = check(check_dir / name, targets[slot], 1, nice)
                remove_artifacts(targets[slot], package)
            except Exception as failure:  # stop the run below, never leave it waiting
                outcome = failure
            with cond:
                state["running"] -= 1
                info["cargo_runs"] += 1
                try:
                    if isinstance(outcome, Exception):
                        raise outcome
                    if not state["stop"]:
                        finish(name, ids, outcome)
                except DependencyFailure as failure:
                    state["stop"] = state["fatal"] = (
                        "a dependency of the scratch crates does not build:\n" + str(failure))
                    stop_all()
                except Exception as failure:
                    state["stop"] = state["fatal"] = f"checking {name} failed: {failure!r}"
                    stop_all()
                cond.notify_all()

    print(f"    cargo check: {len(fresh)} batch crates, {len(todo)} specs, {len(targets)} at a "
          f"time", file=sys.stderr, flush=True)
    threads = [threading.Thread(target=worker, args=(slot,), daemon=True)
               for slot in range(len(targets))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        with cond:
            state["stop"] = "interrupted"
            stop_all()
            cond.notify_all()
        for thread in threads:
            thread.join()
    if state["fatal"]:
        sys.exit("corpus: " + state["fatal"] + "\n(every result recorded before it is kept)")
    info["wall_seconds"] = round(time.monotonic() - start, 1)
    if state["stop"]:
        info["stopped"] = state["stop"]
    elif fresh or again:
        info["stopped"] = ("time limit" if deadline is not None and time.monotonic() >= deadline
                           else "batch limit")
    info["batches_left"] = len(fresh) + len(again)
    return info


def check_single(out_dir, workspace, target, root, mode, jobs, nice):
    """cargo check of one output as its own crate (each generated file a module); the time is
    that of the crate alone, its dependencies checked beforehand."""
    shutil.rmtree(workspace, ignore_errors=True)
    deps = dependencies(root, mode)
    crate = workspace / "crate"
    write_crate(crate, "corpus-single", deps, "", root)
    cargo_check(crate, target, jobs, nice)  # dependencies only
    write_crate(crate, "corpus-single", deps, file_modules(out_dir, mode), root)
    outcome = cargo_check(crate, target, jobs, nice)
    messages = outcome["messages"]
    errors = [attribute(m, out_dir.parent)[1] for m in messages
              if m["message"]["level"].startswith("error")
              and not NOT_AN_ERROR.match(m["message"]["message"])]
    warnings = sum(1 for m in messages if m["message"]["level"] == "warning")
    return {"ok": str(crate / "Cargo.toml") in outcome["built"],
            "seconds": round(outcome["seconds"], 1), "error_count": len(errors),
            "errors": errors[:MAX_ERRORS_KEPT], "warnings": warnings}
