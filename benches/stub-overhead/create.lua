-- wrk script for scripts/bench-stub-overhead: POSTs one valid create request (the seed's example,
-- deploying the configuration BENCH_CONFIG_ID) with the token from BENCH_TOKEN, and prints one
-- machine-readable RESULT line when done.
wrk.method = "POST"
wrk.path = "/v1/95d02433133a4c0a87ba6967474a2ad3/software_deployments"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = os.getenv("BENCH_TOKEN")
wrk.body = '{"action": "CREATE", "config_id": "' .. os.getenv("BENCH_CONFIG_ID") .. '", '
    .. '"server_id": "ec14c864-096e-4e27-bb8a-2c2b4dc6f3f5", "status": "IN_PROGRESS", '
    .. '"status_reason": "Deploy data available", "input_values": {"cluster": "a", "replicas": 3}}'

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d non2xx=%d\n",
        summary.requests / summary.duration * 1e6,
        latency:percentile(50), latency:percentile(99), summary.requests,
        e.connect + e.read + e.write + e.timeout, e.status))
end
