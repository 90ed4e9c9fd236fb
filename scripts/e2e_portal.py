#!/usr/bin/env python3
"""Portal journeys for scripts/e2e, over HTTP only, as a phone's browser and the mobile app make them. Each command
exits non-zero, saying why, when what a citizen would notice is wrong.

  e2e_portal.py web PORTAL SANDBOX PHONE CITIZEN_ID   register, confirm the phone with the SMS the sandbox received,
                                                      submit a level-3 dossier with two files (a double submit makes
                                                      one), see it in My dossiers, look it up on the kiosk page
  e2e_portal.py mobile PORTAL SW PHONE PASSWORD       the app signs in (access + refresh token), submits to
                                                      single-window with its token, looks the dossier up through the
                                                      portal's API, refreshes once, and a copied refresh token is refused
"""
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from e2e_http import json_call as call

RESIDENCE, HON_TRE = "1.004194", "000.55.01.H33"   # Đăng ký thường trú at Hòn Tre: levels 3-4, two documents
PDF = b"%PDF-1.4\n% e2e declaration\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept as a browser keeps them; redirects returned, not followed, so each step can be checked."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def send(self, method, path, data=None, content_type=None):
        request = urllib.request.Request(path if path.startswith("http") else self.base + path, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path):
        return self.send("GET", path)

    def post(self, path, fields):
        return self.send("POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_multipart(self, path, fields, files):
        boundary = "----e2e" + uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, filename, content in files:
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.send("POST", path, body, f"multipart/form-data; boundary={boundary}")


def field(html, name):
    match = re.search(r'name="' + re.escape(name) + r'"[^>]*? value="([^"]*)"', html)
    return match.group(1) if match else None


def expect(condition, message):
    if not condition:
        fail(message)


def sms_code(sandbox, phone):
    for _ in range(80):
        with urllib.request.urlopen(f"{sandbox}/sms/messages?phone={phone}", timeout=10) as response:
            items = json.load(response)["items"]
        for item in items:
            match = re.search(r"(\d{6})", item["content"])
            if match:
                return match.group(1)
        time.sleep(0.25)
    fail(f"no SMS code reached the sandbox gateway for {phone}")


def web(portal, sandbox, phone, citizen_id):
    browser = Browser(portal)
    status, _, page = browser.get("/register")
    expect(status == 200 and field(page, "csrf"), f"the registration form did not open: {status}")
    status, headers, _ = browser.post("/register", {"csrf": field(page, "csrf"), "fullName": "Đỗ Thị Hạnh", "phone": phone,
                                                    "citizenId": citizen_id, "password": "mật khẩu e2e dài"})
    expect(status == 303 and headers["Location"] == "/verify", f"registration answered {status} {headers.get('Location')}")
    code = sms_code(sandbox, phone)
    status, _, page = browser.get("/verify")
    status, headers, _ = browser.post("/verify", {"csrf": field(page, "csrf"), "code": code})
    expect(status == 303 and headers["Location"].startswith("/account"), f"the SMS code {code} was not accepted: {status}")

    status, _, form = browser.get(f"/procedures/{RESIDENCE}/submit")
    expect(status == 200 and field(form, "key"), f"the submission form did not open: {status}")
    expect(field(form, "applicant.phone") == phone, "the form is not prefilled from the account")
    fields = {"csrf": field(form, "csrf"), "key": field(form, "key"), "agencyCode": HON_TRE, "applicant.fullName": "Đỗ Thị Hạnh",
              "applicant.citizenId": citizen_id, "applicant.phone": phone, "applicant.address": "Ấp Bãi Nhà, xã Hòn Tre",
              "delivery.method": "counter"}
    files = [("doc-0", "to-khai-CT01.pdf", PDF), ("doc-1", "cho-o.png", PNG)]
    status, headers, _ = browser.post_multipart(f"/procedures/{RESIDENCE}/submit", fields, files)
    expect(status == 303 and "?submitted=1" in headers.get("Location", ""), f"the dossier was not submitted: {status}")
    location = headers["Location"]
    status, headers, _ = browser.post_multipart(f"/procedures/{RESIDENCE}/submit", fields, files)
    expect(status == 303 and headers.get("Location") == location, "a second submit of the same form went elsewhere")

    status, _, page = browser.get(location)
    match = re.search(r"Mã hồ sơ của bạn: (\S+?)\. ", page)
    expect(status == 200 and match, f"the confirmation page has no code: {status}")
    dossier_code = match.group(1)
    status, _, mine = browser.get("/my/dossiers")
    expect(mine.count('href="/my/dossiers/') == 1 and dossier_code in mine, "My dossiers does not list exactly the one dossier")

    kiosk = Browser(portal)
    status, _, page = kiosk.get("/kiosk?" + urllib.parse.urlencode({"code": dossier_code, "phone": phone[-4:]}))
    expect(status == 200 and dossier_code in page and "Mới đăng ký" in page and "Đỗ Thị Hạnh" not in page,
           f"the kiosk look-up did not show the dossier without personal data: {status}")
    print(dossier_code)


def mobile(portal, sw, phone, password):
    status, tokens = call("POST", f"{portal}/api/v1/token", {"grantType": "password", "phone": phone, "password": password})
    expect(status == 200 and tokens["tokenType"] == "Bearer" and tokens["expiresIn"] == 900, f"sign-in answered {status} {tokens}")
    status, me = call("GET", f"{portal}/api/v1/me", token=tokens["accessToken"])
    expect(status == 200 and me["phone"] == phone and me["roles"] == ["citizen"], f"/api/v1/me answered {status} {me}")
    status, dossier = call("POST", f"{sw}/v1/dossiers", {
        "procedureCode": RESIDENCE, "agencyCode": HON_TRE, "channel": "online",
        "applicant": {"kind": "person", "fullName": me["fullName"], "citizenId": me["citizenId"], "phone": phone, "address": "Hòn Tre, Kiên Hải"},
        "attachments": [{"documentName": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)"}, {"documentName": "Giấy tờ chứng minh chỗ ở hợp pháp"}],
        "delivery": {"method": "counter"}}, tokens["accessToken"], {"Idempotency-Key": "e2e-mobile-" + uuid.uuid4().hex})
    expect(status == 201, f"single-window refused the app's token or dossier: {status} {dossier}")
    status, lookup = call("GET", f"{portal}/api/v1/lookup/{dossier['code']}?phone={phone[-4:]}")
    expect(status == 200 and lookup["code"] == dossier["code"] and lookup["status"] == 1 and "applicant" not in lookup,
           f"the portal's look-up API answered {status} {lookup}")
    status, problem = call("GET", f"{portal}/api/v1/lookup/{dossier['code']}?phone=0000")
    expect(status == 404 and problem["status"] == 404, f"a wrong phone was not a 404 problem: {status}")
    status, refreshed = call("POST", f"{portal}/api/v1/token", {"grantType": "refreshToken", "refreshToken": tokens["refreshToken"]})
    expect(status == 200 and refreshed["refreshToken"] != tokens["refreshToken"], f"refresh answered {status}")
    status, _ = call("POST", f"{portal}/api/v1/token", {"grantType": "refreshToken", "refreshToken": tokens["refreshToken"]})
    expect(status == 401, f"a refresh token used twice was not refused: {status}")
    status, _ = call("POST", f"{portal}/api/v1/token", {"grantType": "refreshToken", "refreshToken": refreshed["refreshToken"]})
    expect(status == 401, f"the copied token's family was not revoked: {status}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "web" and len(sys.argv) == 6:
        web(*sys.argv[2:6])
    elif command == "mobile" and len(sys.argv) == 6:
        mobile(*sys.argv[2:6])
    else:
        fail(__doc__)
