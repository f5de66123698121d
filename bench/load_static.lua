-- load_static.lua: wrk script for bench/load.sh: the report line load.sh
-- parses, here for a static file (the server's ceiling); load_ask.lua loads
-- this file for the same line.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
