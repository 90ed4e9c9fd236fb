-- wrk script: public look-ups spread over many dossiers, in turn (CODES: comma-separated codes; LOOKUP_PATH: the
-- path before the code; PHONE: the last four digits), so no one hot code stands for the whole load.
local codes = {}
for code in string.gmatch(os.getenv("CODES") or "", "[^,]+") do codes[#codes + 1] = code end
local path = os.getenv("LOOKUP_PATH") or "/v1/lookup/"
local phone = os.getenv("PHONE") or "4321"
local counter = 0

request = function()
    counter = counter + 1
    return wrk.format("GET", path .. codes[(counter % #codes) + 1] .. "?phone=" .. phone)
end
