"""Compile results that outlive a run: one JSON line per spec in tools/corpus/MODE-compile.jsonl,
appended as each batch crate finishes. A result is keyed by the spec, a fingerprint of its
generated files and one of what they compile against, so it is reused only while both are
byte-identical; the last line of a key wins."""

import datetime
import hashlib
import json
import os
import subprocess
from pathlib import Path

# What a record carries of its compile result (batch_check sets them; report reads them).
RESULT_FIELDS = ("compile", "compile_error_count", "compile_errors", "compile_warnings", "warnings")


def fingerprint_files(out_dir):
    """sha256 over the names and bytes of every file the generator wrote for one spec."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(out_dir).rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = path.relative_to(out_dir).as_posix().encode()
        digest.update(b"%d:%s\0%d:" % (len(name), name, len(data)))
        digest.update(data)
    return "sha256:" + digest.hexdigest()


def fingerprint_context(mode, deps, root, runtime_dir):
    """sha256 over what the generated code compiles against: the mode, the scratch crates'
    dependency lines (a path dependency by its sources, not its location) and `rustc -vV`.
    Cargo.lock is not part of it: the scratch crates copy the project's, and a version bump
    there rarely changes whether generated code compiles."""
    digest = hashlib.sha256()
    digest.update(mode.encode() + b"\0")
    runtime = Path(root) / runtime_dir
    quoted = json.dumps(str(runtime))
    for name, spec in sorted(deps.items()):
        digest.update(f"{name} = {spec.replace(quoted, 'RUNTIME')}\n".encode())
        if quoted in spec:
            digest.update(fingerprint_files_of(runtime, ("Cargo.toml", "src")).encode())
    rustc = subprocess.run(["rustc", "-vV"], cwd=root, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    digest.update(rustc.stdout.encode())
    return "sha256:" + digest.hexdigest()


def fingerprint_files_of(folder, entries):
    digest = hashlib.sha256()
    for entry in entries:
        path = folder / entry
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


class ResultStore:
    """The append-only results file of one mode."""

    def __init__(self, path, context, revision):
        self.path = Path(path)
        self.context = context
        self.revision = revision
        self.entries = {}
        self.ignored_lines = 0
        if self.path.exists():
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        key = (entry["spec"], entry["fingerprint"], entry["context"])
                    except (ValueError, KeyError, TypeError):
                        self.ignored_lines += 1  # e.g. a line cut short by a killed run
                        continue
                    self.entries[key] = entry

    def lookup(self, spec, fingerprint):
        return self.entries.get((spec, fingerprint, self.context))

    def append(self, records):
        """Writes the compile results of these records (one line each) and syncs the file, so a
        run stopped later keeps them."""
        if not records:
            return
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        lines = []
        for record in records:
            entry = {"spec": record["spec"], "fingerprint": record["fingerprint"],
                     "context": self.context, "revision": self.revision, "checked_at": now,
                     **{k: record[k] for k in RESULT_FIELDS if k in record}}
            self.entries[(entry["spec"], entry["fingerprint"], entry["context"])] = entry
            lines.append(json.dumps(entry, separators=(",", ":")) + "\n")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write("".join(lines))
            f.flush()
            os.fsync(f.fileno())


def apply_recorded(records, store):
    """Gives each generated record the recorded result of its current output, if any; returns
    how many got one."""
    reused = 0
    for record in records:
        if record["status"] != "generated":
            continue
        entry = store.lookup(record["spec"], record["fingerprint"])
        if entry is None:
            continue
        for field in RESULT_FIELDS:
            if field in entry:
                record[field] = entry[field]
        record["compile_checked_at"] = entry.get("checked_at")
        record["compile_revision"] = entry.get("revision")
        record["compile_reused"] = True
        reused += 1
    return reused
