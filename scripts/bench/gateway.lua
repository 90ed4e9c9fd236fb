-- wrk script: sends straight to the sandbox's SMS gateway, each with its own RequestId: the baseline for messages.
local counter = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000))

request = function()
    counter = counter + 1
    local body = string.format(
        '{"ApiKey":"sandbox-api-key","SecretKey":"sandbox-secret-key","Brandname":"UBND-KIENGIANG","Phone":"09%08d",' ..
        '"Content":"Ho so 000.55.01.H33-261129-0001 da co ket qua.","SmsType":"2","IsUnicode":"0","RequestId":"%s-%d"}',
        counter % 100000000, prefix, counter)
    return wrk.format("POST", "/MainService.svc/json/SendMultipleMessage_V4_post_json/", {["Content-Type"] = "application/json"}, body)
end
