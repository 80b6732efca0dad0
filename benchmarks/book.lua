-- wrk script: one booking per request, each with its own request id.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  math.randomseed(os.time() + tid * 7919)
end

request = function()
  counter = counter + 1
  local rid = string.format("bench-%d-%d-%d-%d", thread_id, counter, os.time(), math.random(1, 2147483647))
  local body = string.format(
    '{"request_id":"%s","kind":"issue","depot_code":"%s","lot_code":"%s","quantity":1}',
    rid, os.getenv("BENCH_DEPOT") or "KBS-01", os.getenv("BENCH_LOT") or "BENCH-LOT")
  return wrk.format("POST", os.getenv("BENCH_PATH") or "/api/v1/movements",
                    {["Content-Type"] = "application/json",
                     ["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_connect=%d errors_timeout=%d p50_us=%d p90_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
