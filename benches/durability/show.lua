-- wrk script for scripts/bench-durability: GETs BENCH_PATH (one deployment) with the token from
-- BENCH_TOKEN, and prints one machine-readable RESULT line when done.
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["X-Auth-Token"] = os.getenv("BENCH_TOKEN")

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d non2xx=%d\n",
        summary.requests / summary.duration * 1e6,
        latency:percentile(50), latency:percentile(99), summary.requests,
        e.connect + e.read + e.write + e.timeout, e.status))
end
