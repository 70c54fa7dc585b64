"""Tests of the corpus script's resumable compile, with a stand-in for cargo:
`python3 -m unittest discover -s scripts/corpus_lib` (scripts/test runs them)."""

import io
import json
import re
import tempfile
import time
import unittest
from contextlib import redirect_stderr
from pathlib import Path

import batch_check as checker
import report
import results

MODULE = re.compile(r"pub mod (s\d+);")


class FakeCargo:
    """Checks a scratch crate as cargo would report it: every module of a spec in `bad` has an
    error in its types.rs; a crate without one is built."""

    def __init__(self, out_root, bad):
        self.out_root, self.bad, self.checked = out_root, bad, []

    def __call__(self, crate_dir, target, jobs, nice):
        manifest = str(crate_dir / "Cargo.toml")
        ids = MODULE.findall((crate_dir / "lib.rs").read_text())
        self.checked += ids
        messages = [{"reason": "compiler-message", "manifest_path": manifest,
                     "message": {"level": "error", "message": "mismatched types",
                                 "code": {"code": "E0308"},
                                 "spans": [{"file_name": str(self.out_root / i / "types.rs"),
                                            "line_start": 3, "is_primary": True}]}}
                    for i in ids if i in self.bad]
        built = set() if messages else {manifest}
        return {"messages": messages, "built": built, "seconds": 0.0, "stderr": "",
                "returncode": 101 if messages else 0}


class ResumableCompile(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        (self.root / "Cargo.lock").write_text("version = 4\n")
        self.out_root = self.root / "out"
        self.store_path = self.root / "types-compile.jsonl"

    def tearDown(self):
        self.tmp.cleanup()

    def generate(self, count, changed=()):
        """Records of `count` generated specs, their output written and fingerprinted."""
        records = []
        for n in range(count):
            spec_id = f"s{n:04d}"
            out_dir = self.out_root / spec_id
            out_dir.mkdir(parents=True, exist_ok=True)
            body = f"pub struct T{n};\n" + ("// changed\n" if spec_id in changed else "")
            (out_dir / "types.rs").write_text(body)
            records.append({"id": spec_id, "spec": f"api{n}.json", "status": "generated",
                            "output_bytes": 100 + n, "cpu_seconds": 0.0, "seconds": 0.0,
                            "peak_rss_kb": 1, "fingerprint": results.fingerprint_files(out_dir)})
        return records

    def compile(self, records, bad=(), **bounds):
        store = results.ResultStore(self.store_path, "ctx", "test")
        reused = results.apply_recorded(records, store)
        cargo = FakeCargo(self.out_root, set(bad))
        with redirect_stderr(io.StringIO()):
            info = checker.check_generated(
                records, self.out_root, self.root / "check", [self.root / "t0", self.root / "t1"],
                self.root, "types", jobs=2, nice=0, batch_specs=2, batch_bytes=10**6, store=store,
                check=cargo, **bounds)
        return reused, info, sorted(cargo.checked)

    def test_a_bounded_run_records_what_it_checked_and_the_next_run_checks_only_the_rest(self):
        records = self.generate(6)
        reused, info, checked = self.compile(records, bad={"s0001"}, max_batches=1)
        # The smallest batch (s0000, s0001): s0001 fails, s0000 is checked again without it.
        self.assertEqual((reused, checked), (0, ["s0000", "s0000", "s0001"]))
        self.assertEqual([r.get("compile") for r in records],
                         ["ok", "failed", None, None, None, None])
        self.assertEqual((info["stopped"], info["batches_left"]), ("batch limit", 2))
        summary = report.summarize("types", records, 6, {}, 0.0, info)
        self.assertEqual((summary["compiled"], summary["compile_failed"], summary["not_compiled"]),
                         (1, 1, 4))

        records = self.generate(6)
        reused, info, checked = self.compile(records, bad={"s0001"})
        self.assertEqual((reused, checked), (2, ["s0002", "s0003", "s0004", "s0005"]))
        self.assertEqual(records[1]["compile_errors"][0]["at"], "types.rs:3")
        self.assertEqual(info["stopped"], "done")

        records = self.generate(6, changed={"s0004"})
        reused, info, checked = self.compile(records, bad={"s0001"})
        self.assertEqual((reused, checked), (5, ["s0004"]))
        reused, info, checked = self.compile(self.generate(6, changed={"s0004"}))
        self.assertEqual((reused, checked, info["cargo_runs"]), (6, [], 0))

    def test_a_time_limit_of_zero_starts_no_batch_and_counts_nothing_as_compiled(self):
        records = self.generate(3)
        _, info, checked = self.compile(records, minutes=0)
        self.assertEqual((checked, info["stopped"], info["specs_checked"]), ([], "time limit", 0))
        summary = report.summarize("types", records, 3, {}, 0.0, info)
        self.assertEqual((summary["compiled"], summary["not_compiled"]), (0, 3))

    def test_no_batch_starts_after_the_time_limit_and_the_running_ones_are_kept(self):
        records = self.generate(6)
        store = results.ResultStore(self.store_path, "ctx", "test")
        cargo = FakeCargo(self.out_root, set())

        def slow(crate_dir, target, jobs, nice):
            if "pub mod" in (crate_dir / "lib.rs").read_text():
                time.sleep(3.0)  # past the limit below: no batch may start after it
            return cargo(crate_dir, target, jobs, nice)

        with redirect_stderr(io.StringIO()):
            info = checker.check_generated(
                records, self.out_root, self.root / "check", [self.root / "t0", self.root / "t1"],
                self.root, "types", jobs=2, nice=0, batch_specs=2, batch_bytes=10**6, store=store,
                check=slow, minutes=2.0 / 60)
        self.assertEqual(info["stopped"], "time limit")
        self.assertIn(info["batches_started"], (1, 2))
        self.assertEqual(info["batches_left"], 3 - info["batches_started"])
        recorded = results.ResultStore(self.store_path, "ctx", "test").entries
        self.assertEqual(len(recorded), info["specs_checked"])
        self.assertEqual(sorted(cargo.checked), sorted(r["id"] for r in records if "compile" in r))
        summary = report.summarize("types", records, 6, {}, 0.0, info)
        self.assertEqual(summary["not_compiled"], 6 - info["specs_checked"])

    def test_a_failing_check_stops_the_run_with_a_message_instead_of_hanging_it(self):
        records = self.generate(4)
        store = results.ResultStore(self.store_path, "ctx", "test")

        def broken(crate_dir, target, jobs, nice):
            if "pub mod" in (crate_dir / "lib.rs").read_text():
                raise OSError("disk full")
            return FakeCargo(self.out_root, set())(crate_dir, target, jobs, nice)

        with redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as stopped:
            checker.check_generated(
                records, self.out_root, self.root / "check", [self.root / "t0", self.root / "t1"],
                self.root, "types", jobs=2, nice=0, batch_specs=2, batch_bytes=10**6, store=store,
                check=broken)
        self.assertIn("disk full", str(stopped.exception))
        self.assertEqual([r.get("compile") for r in records], [None] * 4)

    def test_the_store_keeps_the_last_line_of_a_key_and_skips_a_cut_line(self):
        records = self.generate(1)
        store = results.ResultStore(self.store_path, "ctx", "test")
        store.append([{**records[0], "compile": "failed"}])
        store.append([{**records[0], "compile": "ok"}])
        with open(self.store_path, "a") as f:
            f.write('{"spec": "api0.json", "fingerp')
        again = results.ResultStore(self.store_path, "ctx", "test")
        self.assertEqual(again.lookup("api0.json", records[0]["fingerprint"])["compile"], "ok")
        self.assertEqual(again.ignored_lines, 1)
        other = results.ResultStore(self.store_path, "another toolchain", "test")
        self.assertIsNone(other.lookup("api0.json", records[0]["fingerprint"]))
        self.assertEqual(json.loads(self.store_path.read_text().splitlines()[0])["spec"],
                         "api0.json")

    def test_the_fingerprint_follows_the_bytes_not_the_folder(self):
        a, b = self.root / "a", self.root / "b"
        for folder in (a, b):
            folder.mkdir()
            (folder / "types.rs").write_text("pub struct A;\n")
        self.assertEqual(results.fingerprint_files(a), results.fingerprint_files(b))
        (b / "types.rs").write_text("pub struct A; \n")
        self.assertNotEqual(results.fingerprint_files(a), results.fingerprint_files(b))


if __name__ == "__main__":
    unittest.main()
