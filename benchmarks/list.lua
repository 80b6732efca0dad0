-- wrk script: GET one path (BENCH_PATH) with a bearer token; prints the figures on one line.
request = function()
  return wrk.format("GET", os.getenv("BENCH_PATH"),
                    {["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")})
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_connect=%d errors_timeout=%d p50_us=%d p90_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
