-- hub_status.lua: a wrk script that counts the status of every answer
-- (bench_hub.sh, the feed row). The request itself comes from wrk's
-- command line (URL and -H headers); this only looks at the answers.
--
-- done() prints one line per status seen, then the totals:
--   STATUS 304 123456
--   TOTAL requests=123456 duration_us=10001234 connect=0 read=0 write=0 status=0 timeout=0

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

counts = {}

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        local c = t:get("counts")
        for status, n in pairs(c) do
            total[status] = (total[status] or 0) + n
        end
    end
    for status, n in pairs(total) do
        io.write(string.format("STATUS %d %d\n", status, n))
    end
    local e = summary.errors
    io.write(string.format(
        "TOTAL requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
        summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
end
