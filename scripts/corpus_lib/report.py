"""Error classes, totals, the printed summary and the markdown histogram."""

import re
import statistics
from collections import Counter

STATUSES = ("generated", "rejected", "panicked", "timeout", "failed")

# Kept when quoted in a generator message, because they name the construct rather than the
# spec's own names (which are replaced, so that one class gathers every spec stopped by a
# construct). In backticks: OpenAPI and JSON Schema keywords; in double quotes: security scheme
# types.
KEYWORDS = {
    "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains", "dependentSchemas",
    "discriminator", "else", "enum", "format", "if", "items", "mapping", "not", "nullable",
    "oneOf", "patternProperties", "prefixItems", "properties", "propertyNames", "readOnly",
    "required", "then", "unevaluatedItems", "unevaluatedProperties", "writeOnly", "xml",
    "callbacks", "links", "webhooks", "security", "securitySchemes", "requestBody", "style",
    "explode", "allowReserved",
}
SCHEME_TYPES = {"apiKey", "http", "oauth2", "openIdConnect", "mutualTLS", "basic", "bearer"}
HTTP_METHOD_PATH = re.compile(r"\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) /\S*")
# `error: FILE#/pointer: ` or `error: FILE:LINE:COL: ` before the message.
LOCATION = re.compile(r"^(?:error:\s*)?(?P<file>.+?)(?P<where>#[^:]*(?::[^ ][^:]*)*|:\d+:\d+): ")


def split_location(line, spec_path=None):
    """(location, message) of one error line; location is '' when the line has none."""
    text = line[len("error: "):] if line.startswith("error: ") else line
    if spec_path and text.startswith(spec_path):
        rest = text[len(spec_path):]
        if rest.startswith("#"):
            pointer, sep, message = rest.partition(": ")
            if sep:
                return pointer, message
        match = re.match(r"^:(\d+:\d+): ", rest)
        if match:
            return match.group(1), rest[match.end():]
    match = LOCATION.match(line)
    if match:
        return match.group("where"), line[match.end():]
    return "", text


def _quoted(match):
    quote, inner = match.group(0)[0], match.group(0)[1:-1]
    if inner in (KEYWORDS if quote == "`" else SCHEME_TYPES):
        return match.group(0)
    if inner.startswith("#/"):
        return quote + pointer_kind(inner) + quote
    return quote + "…" + quote


def pointer_kind(pointer):
    """Where a JSON pointer leads, without the spec's names: `#/paths/…`,
    `#/components/parameters/…`."""
    parts = pointer[2:].split("/")
    keep = 2 if parts[0] == "components" and len(parts) > 2 else 1
    return "#/" + "/".join(parts[:keep]) + ("/…" if len(parts) > keep else "")


def normalize(message):
    """The construct class of a message: its first clause, with the spec's names and numbers
    replaced, so that specs stopped by the same construct share it."""
    message = re.sub(r"`[^`]*`|\"[^\"]*\"", _quoted, message)
    message = message.split("; ", 1)[0].strip()  # the first clause says what; the rest, why
    message = HTTP_METHOD_PATH.sub(r"METHOD /…", message)
    message = re.sub(r"\{[^{}\s]*\}", "{…}", message)
    message = re.sub(r"(\"…\"|`…`)(, \1)+", r"\1", message)  # a list of names is one name
    message = re.sub(r"(?<![\w`])\d+(\.\d+)?(?![\w`])", "N", message)
    return message


def panic_class(lines):
    """`panic at FILE: message` from Rust's panic output, or the signal."""
    for i, line in enumerate(lines):
        match = re.match(r"thread '.*' panicked at ([^:]+):\d+:\d+:(.*)", line)
        if match:
            text = match.group(2).strip() or (lines[i + 1] if i + 1 < len(lines) else "")
            return f"panic at {match.group(1)}: {normalize(text)}"
    return "crashed: " + (normalize(lines[-1]) if lines else "no output")


def classify_generation(records, paths):
    """Adds `first_class` and `classes` (every distinct class of the run's errors) to each
    record that did not generate; `paths` maps a record's id to its spec file."""
    for record in records:
        status = record["status"]
        if status == "generated":
            continue
        lines = record["errors"]
        if status == "panicked":
            record["first_class"] = panic_class(lines)
            record["classes"] = [record["first_class"]]
        elif status == "timeout":
            record["first_class"] = "timed out"
            record["classes"] = ["timed out"]
        else:
            classes = []
            for line in lines:
                if not line.startswith("error"):
                    continue  # e.g. "and 12 more errors"
                _, message = split_location(line, str(paths[record["id"]]))
                classes.append(normalize(message))
            if not classes:
                classes = [f"exit {record['exit']}: " + (lines[0] if lines else "no output")]
            record["first_class"] = classes[0]
            record["classes"] = sorted(set(classes))
            record["first_location"] = split_location(lines[0], str(paths[record["id"]]))[0]


def compile_class(error):
    code = f"[{error['code']}] " if error.get("code") else ""
    return code + normalize(error["message"])


def classify_compile(records):
    for record in records:
        if record.get("warnings"):
            record["compile_warning_classes"] = sorted({compile_class(w) for w in record["warnings"]})
        if record.get("compile") == "failed":
            errors = record["compile_errors"]
            record["compile_first_class"] = compile_class(errors[0]) if errors else "unknown"
            record["compile_classes"] = sorted({compile_class(e) for e in errors})


def histogram(records, key, examples=2, example=lambda record: record["spec"]):
    """[(class, count, [example, ...])], most frequent first, then by class; an example is
    the spec's name, or what `example` makes of its record."""
    counts = Counter()
    seen = {}
    for record in records:
        values = record.get(key)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            counts[value] += 1
            seen.setdefault(value, [])
            if len(seen[value]) < examples:
                seen[value].append(example(record))
    return [(c, n, seen[c]) for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def mb(kib):
    return None if kib is None else round(kib / 1024, 1)


def percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


def summarize(mode, records, total, settings, generation_seconds, compile_info):
    runs = len(records)
    counts = Counter(r["status"] for r in records)
    counts = {s: counts.get(s, 0) for s in STATUSES}
    summary = {
        "mode": mode,
        "corpus_size": total,
        "specs_run": runs,
        **settings,
        "counts": counts,
        "percent": {s: percent(n, runs) for s, n in counts.items()},
        "generation_wall_seconds": round(generation_seconds, 1),
        "generation_cpu_seconds": round(sum(r["cpu_seconds"] for r in records), 1),
    }
    # Compile results of this run and of earlier ones (reused for byte-identical output); a
    # generated spec without one is "not compiled", never counted as compiled.
    compiled = sum(1 for r in records if r.get("compile") == "ok")
    summary["compiled"] = compiled
    summary["compile_failed"] = sum(1 for r in records if r.get("compile") == "failed")
    summary["not_compiled"] = counts["generated"] - compiled - summary["compile_failed"]
    summary["percent"]["compiled"] = percent(compiled, runs)
    if compile_info is not None:
        summary["compile"] = compile_info
    measured = [r for r in records if r["peak_rss_kb"] is not None]  # not the killed ones
    peak = max(measured, key=lambda r: r["peak_rss_kb"])
    summary["peak_rss_mb"] = {
        "max": mb(peak["peak_rss_kb"]), "max_spec": peak["spec"],
        "median": mb(statistics.median(r["peak_rss_kb"] for r in measured)),
    }
    summary["slowest"] = [
        {"spec": r["spec"], "status": r["status"], "seconds": r["seconds"],
         "cpu_seconds": r["cpu_seconds"], "peak_rss_mb": mb(r["peak_rss_kb"])}
        for r in sorted(records, key=lambda r: -r["seconds"])[:10]
    ]
    summary["first_errors"] = histogram(records, "first_class", example=_located)
    summary["all_errors"] = histogram(records, "classes")
    summary["compile_first_errors"] = histogram(records, "compile_first_class")
    summary["compile_all_errors"] = histogram(records, "compile_classes")
    summary["compile_warnings"] = histogram(records, "compile_warning_classes")
    if mode == "client":
        summary["client_reach"] = client_reach(records)
    return summary


CLIENT_FILE = "client.rs"


def _in_client(error):
    return error["at"].startswith(CLIENT_FILE + ":")


def client_reach(records):
    """What the client adds to the server, from the client mode's records: the specs whose
    server generates but whose client does not, and, when compiled, the specs with compile errors
    in client.rs (`only_in_client`: none elsewhere, so the server's files compiled)."""
    stopped = [r for r in records
               if r.get("server_status") == "generated" and r["status"] != "generated"]
    reach = {
        "server_generated": sum(1 for r in records if r.get("server_status") == "generated"),
        "client_generated": sum(1 for r in records if r["status"] == "generated"),
        "server_not_client": len(stopped),
        "server_not_client_errors": histogram(stopped, "first_class", examples=3, example=_located),
    }
    failed = [r for r in records if r.get("compile") == "failed"]
    if any("compile" in r for r in records):
        in_client = [r for r in failed if any(_in_client(e) for e in r["compile_errors"])]
        reach["compile_errors_in_client"] = len(in_client)
        reach["compile_errors_only_in_client"] = sum(
            1 for r in in_client if all(_in_client(e) for e in r["compile_errors"]))
    return reach


def _located(record):
    """The spec and where its first error is, shortened for a table."""
    where = record.get("first_location", "")
    return record["spec"] + (where if len(where) <= 90 else where[:89] + "…")


def print_summary(s):
    runs, total = s["specs_run"], s["corpus_size"]
    scope = f"{runs} specs" + (f" (sample of the {total})" if runs < total else "")
    print(f"\n== {s['mode']}: {scope}, revision {s['revision']}")
    rows = [(name, s["counts"][name], s["percent"][name]) for name in STATUSES]
    if "compiled" in s:
        not_compiled = s.get("not_compiled", s["counts"]["generated"] - s["compiled"]
                             - s["compile_failed"])
        rows[1:1] = [("  compiled ok", s["compiled"], s["percent"]["compiled"]),
                     ("  compile failed", s["compile_failed"], percent(s["compile_failed"], runs)),
                     ("  not compiled yet", not_compiled, percent(not_compiled, runs))]
    for name, count, pct in rows:
        print(f"  {name:<18} {count:>5}  {pct:5.1f} %")
    print(f"  generation: {s['generation_wall_seconds']} s wall, {s['generation_cpu_seconds']} s CPU; "
          f"peak RSS {s['peak_rss_mb']['max']} MB ({s['peak_rss_mb']['max_spec']}), "
          f"median {s['peak_rss_mb']['median']} MB")
    if "compile" in s:
        _print_compile(s)
    _print_histogram("first error of each spec that did not generate", s["first_errors"], 25)
    if s["compile_first_errors"]:
        _print_histogram("first compile error of each spec that did not compile",
                         s["compile_first_errors"], 15)
    if s.get("compile_warnings"):
        _print_histogram("compiler warnings (specs with at least one)", s["compile_warnings"], 5)
    if "client_reach" in s:
        c = s["client_reach"]
        print(f"  client: {c['client_generated']} generated of the {c['server_generated']} whose "
              f"server generates; server but not client: {c['server_not_client']}")
        if "compile_errors_in_client" in c:
            print(f"  client: {c['compile_errors_in_client']} specs with compile errors in "
                  f"{CLIENT_FILE}, {c['compile_errors_only_in_client']} of them with none elsewhere")
        if c["server_not_client_errors"]:
            _print_histogram("first error of each spec whose server generates but client does not",
                             c["server_not_client_errors"], 15)
    print("  slowest (wall, under the run's load):")
    for r in s["slowest"][:5]:
        print(f"    {r['seconds']:7.2f} s  {r['cpu_seconds']:7.2f} s CPU  {r['peak_rss_mb'] or 0:7.1f} MB  "
              f"{r['status']:<9} {r['spec']}")


def _print_compile(s):
    c = s["compile"]
    if "reused" not in c:  # a summary written before compile results were recorded
        print(f"  compile: {c['wall_seconds']} s wall, {c['crates']} batch crates, "
              f"{c['cargo_runs']} cargo runs")
        return
    print(f"  compile: {c['reused']} results reused from earlier runs ({c['results_file']})")
    if c["ran"] and not c["specs_to_check"]:
        print("  compile this run: nothing left to check, no cargo run")
    elif c["ran"]:
        print(f"  compile this run: {c['specs_checked']} of {c['specs_to_check']} specs checked, "
              f"{c['batches_started']} of {c['batches']} batch crates started, "
              f"{c['cargo_runs']} cargo runs, {c['wall_seconds']} s wall; {c['stopped']}")
    else:
        print("  compile this run: none (--no-compile)")
    if s.get("not_compiled"):
        how = "run the same command again" if c["ran"] else "run it without --no-compile"
        print(f"  {s['not_compiled']} generated specs are not compiled yet: {how} to go on")


def _print_histogram(title, rows, limit):
    print(f"  {title}:")
    for cls, count, examples in rows[:limit]:
        print(f"    {count:5}  {cls}   (e.g. {examples[0].split('#')[0]})")
    if len(rows) > limit:
        rest = sum(n for _, n, _ in rows[limit:])
        print(f"    {rest:5}  ... {len(rows) - limit} more classes")


def histogram_markdown(s):
    runs = s["specs_run"]
    lines = [f"# Corpus, {s['mode']}: {runs} specs, revision {s['revision']}", ""]
    counts = ", ".join(f"{n} {name}" for name, n in s["counts"].items())
    if "compiled" in s:
        not_compiled = s.get("not_compiled", s["counts"]["generated"] - s["compiled"]
                             - s["compile_failed"])
        compiled = (f"; {s['compiled']} compiled, {s['compile_failed']} failed to compile, "
                    f"{not_compiled} not compiled yet")
        if "reused" in s.get("compile", {}):
            compiled += (f" ({s['compile']['reused']} results from earlier runs, "
                         f"{s['compile'].get('specs_checked', 0)} checked in this one)")
    else:
        compiled = "; not compiled"
    lines.append(f"{counts}{compiled}.")
    if "client_reach" in s:
        c = s["client_reach"]
        lines.append(f"Server generated: {c['server_generated']}; server and client: "
                     f"{c['client_generated']}; server but not client: {c['server_not_client']}.")
        if "compile_errors_in_client" in c:
            lines.append(f"Specs with compile errors in {CLIENT_FILE}: "
                         f"{c['compile_errors_in_client']}, with none elsewhere: "
                         f"{c['compile_errors_only_in_client']}.")
        s = {**s, "server_not_client_errors": c["server_not_client_errors"]}
    for title, key in (("First error of each spec (specs stopped)", "first_errors"),
                       ("Server generated, client did not: first error", "server_not_client_errors"),
                       ("Every error class (specs with at least one)", "all_errors"),
                       ("First compile error of each spec", "compile_first_errors"),
                       ("Compiler warnings (specs with at least one)", "compile_warnings")):
        if not s.get(key) or key == "all_errors" and _counts(s[key]) == _counts(s["first_errors"]):
            continue  # a generator that stops at the first error
        lines += ["", f"## {title}", "", "| specs | class | examples |", "| ---: | --- | --- |"]
        for cls, count, examples in s[key]:
            cell = cls.replace("|", "\\|")
            lines.append(f"| {count} | {cell} | {', '.join(f'`{e}`' for e in examples)} |")
    return "\n".join(lines) + "\n"


def _counts(rows):
    return [(cls, count) for cls, count, _ in rows]


def github_runs(runs):
    """The median run of several of one variant, with every run's time."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    median = ordered[len(ordered) // 2]
    entry = {k: median[k] for k in ("status", "exit", "seconds", "cpu_seconds", "errors")}
    entry["seconds_all"] = [r["seconds"] for r in runs]
    entry["peak_rss_mb"] = mb(max(r["peak_rss_kb"] or 0 for r in runs))
    entry["output_bytes"] = median.get("output_bytes")
    return entry


def print_github(results):
    print(f"\n== github: {results['spec']} ({results['bytes'] / 1e6:.1f} MB), "
          f"revision {results['revision']}")
    for variant, e in results["variants"].items():
        line = (f"  {variant:<7} {e['status']:<9} median {e['seconds']:.2f} s wall "
                f"({e['cpu_seconds']:.2f} s CPU), peak RSS {e['peak_rss_mb']} MB")
        if "compile" in e:
            c = e["compile"]
            line += f"; cargo check {'ok' if c['ok'] else 'FAILED'} in {c['seconds']} s"
        print(line)
        for error in e["errors"][:3]:
            print(f"          {error}")
        if "compile" in e:
            for error in e["compile"]["errors"][:3]:
                print(f"          {error['code'] or ''} {error['message']} ({error['at']})")
