-- wrk script: the bank's IPNs, read from the file IPNS (one signed query string a line, each for another payment).
-- The two threads take alternate lines, so no IPN is sent twice while fresh ones last; past the end the lines come
-- round again and are answered 02 (already settled), after the same verification.
local threads = 0
setup = function(thread)
    thread:set("offset", threads)
    threads = threads + 1
end

local paths = {}
local index
init = function(args)
    for line in io.lines(os.getenv("IPNS")) do paths[#paths + 1] = "/v1/gateway/vnpay/ipn?" .. line end
    index = offset
end

request = function()
    local path = paths[(index % #paths) + 1]
    index = index + 2
    return wrk.format("GET", path)
end

done = function(summary, latency, requests)
    io.write(string.format("requests: %d non-2xx: %d\n", summary.requests, summary.errors.status))
end
