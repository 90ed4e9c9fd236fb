-- wrk script: POST PATH with a JSON BODY and TOKEN (signing a stored file, or verifying one).
local token, path, body = os.getenv("TOKEN"), os.getenv("URL_PATH"), os.getenv("BODY") or "{}"
request = function()
    return wrk.format("POST", path, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
done = function(summary, latency, requests)
    io.write(string.format("requests: %d non-2xx: %d\n", summary.requests, summary.errors.status))
end
