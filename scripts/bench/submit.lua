-- wrk script: online dossier submissions spread over the demo communes, so no agency's daily sequence (9,999) fills.
-- Environment: TOKEN (a citizen's access token), AGENCIES (comma-separated agency codes).
local agencies = {}
for code in string.gmatch(os.getenv("AGENCIES") or "", "[^,]+") do agencies[#agencies + 1] = code end
local token = os.getenv("TOKEN")
local counter = 0

local template = [[{"procedureCode":"1.000894","agencyCode":"%s","channel":"online",
"applicant":{"kind":"person","fullName":"Lê Thị Cúc","citizenId":"091095000789","phone":"0901234567","address":"Xã Hòn Tre, Kiên Hải"},
"attachments":[{"documentName":"Tờ khai đăng ký kết hôn"},{"documentName":"Giấy tờ tùy thân của hai bên"},
{"documentName":"Giấy xác nhận tình trạng hôn nhân (nếu thường trú nơi khác)"}],"delivery":{"method":"counter"}}]]

request = function()
    counter = counter + 1
    local agency = agencies[(counter % #agencies) + 1]
    return wrk.format("POST", "/v1/dossiers", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
                      string.format(template, agency))
end

done = function(summary, latency, requests)
    io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
