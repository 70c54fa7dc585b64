"""Runs the generator CLI on each spec, one process per spec, with a timeout, its wall and CPU
time and its peak memory (the child's own rusage, from wait4)."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# The CLI's exit codes (generator/src/bin/openapi-rustgen.rs) and Rust's exit code on a panic.
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_PANIC = 101
# Kept per spec: enough to see every error of a run that reports many, without megabytes of JSON.
MAX_ERROR_LINES = 50


# GNU time reports the peak RSS of the program alone. wait4's own figure would not do: a child
# forked from this Python process starts its high-water mark at Python's RSS (~20 MB).
GNU_TIME = "/usr/bin/time"
TIME_FORMAT = "corpus-rss-kb %M"


def run_measured(argv, timeout, nice=0):
    """Runs argv to completion or until `timeout` seconds pass (then kills its process group).
    Returns a dict: exit (code, or -signal), timed_out, seconds (wall), cpu_seconds,
    peak_rss_kb (the program's max RSS; None when it was killed), stderr (text)."""
    if nice:
        # nice(1) execs the program in the same process.
        argv = ["nice", "-n", str(nice), *argv]
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as timing:
        argv = [GNU_TIME, "-o", timing.name, "-f", TIME_FORMAT, *argv]
        start = time.monotonic()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        lock = threading.Lock()
        state = {"reaped": False, "timed_out": False}

        def kill():
            with lock:
                if state["reaped"]:
                    return
                state["timed_out"] = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            # The rusage of time(1) includes the program it waited for.
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        with lock:
            state["reaped"] = True
        seconds = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # reaped here, not by Popen
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        peak_rss_kb = None
        for line in timing.read().splitlines():
            if line.startswith("Command terminated by signal "):
                code = -int(line.rsplit(" ", 1)[1])
            elif line.startswith("corpus-rss-kb "):
                peak_rss_kb = int(line.split()[1])
    return {
        "exit": code,
        "timed_out": state["timed_out"],
        "seconds": round(seconds, 4),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 4),
        "peak_rss_kb": peak_rss_kb,
        "stderr": stderr,
    }


def outcome(result):
    """generated / rejected / panicked / timeout / failed (any other exit, e.g. 3)."""
    if result["timed_out"]:
        return "timeout"
    code = result["exit"]
    if code == EXIT_OK:
        return "generated"
    if code == EXIT_BAD_INPUT:
        return "rejected"
    if code == EXIT_PANIC or code < 0:
        return "panicked"
    return "failed"


# The CLI's flags per mode (batch_check.MODE_FILES: the files each writes).
MODE_FLAGS = {"types": [], "server": ["--server"], "client": ["--server", "--client"]}


def generate_one(binary, spec, out_dir, mode, timeout, nice):
    shutil.rmtree(out_dir, ignore_errors=True)
    argv = [str(binary), "--spec", str(spec["path"]), "--out", str(out_dir), *MODE_FLAGS[mode]]
    result = run_measured(argv, timeout, nice)
    status = outcome(result)
    lines = [line for line in result.pop("stderr").splitlines() if line.strip()]
    if status != "generated":
        # A failing run writes nothing; a killed one may have left temporary files.
        shutil.rmtree(out_dir, ignore_errors=True)
    record = {
        "id": spec["id"],
        "spec": spec["name"],
        "status": status,
        **result,
        "error_count": len(lines) if status != "generated" else 0,
        "errors": lines[:MAX_ERROR_LINES] if status != "generated" else [],
    }
    if status == "generated":
        record["output_bytes"] = sum(f.stat().st_size for f in out_dir.iterdir() if f.is_file())
    return record


def generate_all(binary, specs, out_root, mode, timeout, jobs, nice):
    """Runs the CLI on every spec, `jobs` at a time; returns the records in spec order. In the
    client mode a spec that does not generate is run again with the server alone, and its
    record gets `server_status`: whether the server generated where the client did not."""
    out_root.mkdir(parents=True, exist_ok=True)
    done = 0
    lock = threading.Lock()
    step = max(1, len(specs) // 20)

    def task(spec):
        nonlocal done
        out_dir = out_root / spec["id"]
        record = generate_one(binary, spec, out_dir, mode, timeout, nice)
        if mode == "client":
            if record["status"] == "generated":
                record["server_status"] = "generated"
            else:
                alone = generate_one(binary, spec, out_dir, "server", timeout, nice)
                shutil.rmtree(out_dir, ignore_errors=True)  # nothing of it is compiled
                record["server_status"] = alone["status"]
        with lock:
            done += 1
            if done % step == 0 or done == len(specs):
                print(f"    generated {done}/{len(specs)}", file=sys.stderr, flush=True)
        return record

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(task, specs))
