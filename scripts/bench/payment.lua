-- wrk script: POST /v1/payments for one dossier, each request with its own Idempotency-Key (so each is a new payment:
-- the fee asked of single-window, the payment and its key stored, the answer with its payUrl).
-- Environment: TOKEN (the applicant's access token), CODE (the dossier's code).
local token = os.getenv("TOKEN")
local body = string.format([[{"dossierCode":"%s","items":[{"name":"Lệ phí","amount":20000}],"payer":{"name":"Lê Văn Cường"},
"returnUrl":"http://127.0.0.1:8080/thanh-toan/ket-qua"}]], os.getenv("CODE"))
local counter = 0
local prefix
math.randomseed(os.time())

setup = function(thread)
    thread:set("id", tostring(math.random(1, 1000000000)))
end

init = function()
    prefix = "bench-" .. id .. "-"
end

request = function()
    counter = counter + 1
    return wrk.format("POST", "/v1/payments", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
                                               ["Idempotency-Key"] = prefix .. counter}, body)
end

done = function(summary, latency, requests)
    io.write(string.format("requests: %d non-2xx: %d\n", summary.requests, summary.errors.status))
end
