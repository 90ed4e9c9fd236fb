-- wrk script: one SMS a request to POST /v1/notifications, each to another phone (no recipient's limit is reached).
-- Environment: TOKEN (an admin's or a service's token).
local token = os.getenv("TOKEN")
local counter = 0
math.randomseed(os.time())

request = function()
    counter = counter + 1
    local phone = string.format("09%08d", math.random(0, 99999999))
    local body = string.format(
        '{"templateId":"dossier.result-ready.sms.vi","recipient":"%s","values":{"code":"000.55.01.H33-261129-%04d"},"reference":"bench"}',
        phone, counter % 10000)
    return wrk.format("POST", "/v1/notifications", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

done = function(summary, latency, requests)
    io.write(string.format("requests: %d non-2xx: %d\n", summary.requests, summary.errors.status))
end
