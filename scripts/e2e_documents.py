#!/usr/bin/env python3
"""Document journeys for scripts/e2e, over HTTP only. Each command exits non-zero, saying why, when what an officer
or a citizen would notice is wrong.

  e2e_documents.py files DOCS TOKEN    a result uploaded comes back byte for byte (signed link, ETag, Range); a wrong type and an oversize are refused
  e2e_documents.py sign DOCS SW ADMIN OFFICER LEADER LEADER_SUBJECT WORKDIR
                                       an officer files a dossier's result in single-window; the leader approves the sign request it
                                       makes with a TOTP code; the result is ready with its code; openssl verifies it, not one changed byte
  e2e_documents.py dispatch DOCS DEPARTMENT_TOKEN DIRECTOR_TOKEN ADMIN DIRECTOR_SUBJECT COMMUNE_TOKEN…
                                       a department sends a signed official document to communes; each acknowledges
"""
import base64
import hashlib
import hmac
import json
import struct
import subprocess
import time
import urllib.parse
import sys

from e2e_http import call


def files(docs, token):
    content = ("%PDF-1.7\n" + "Quyết định cấp Giấy phép xây dựng số 12/GPXD\n" * 2000 + "%%EOF\n").encode()
    status, _, body = call("POST", f"{docs}/v1/files?name=quyet-dinh.pdf", token, content)
    assert status == 201, (status, body)
    stored = json.loads(body)
    digest = hashlib.sha256(content).hexdigest()
    assert stored["sha256"] == digest and stored["size"] == len(content) and stored["contentType"] == "application/pdf", stored
    status, _, body = call("POST", f"{docs}/v1/files/{stored['id']}/links", token, b'{"seconds": 120}', {"Content-Type": "application/json"})
    assert status == 201, (status, body)
    url = json.loads(body)["url"]
    status, headers, back = call("GET", url)
    assert status == 200 and back == content, ("signed link", status, len(back))
    assert headers["ETag"] == f'"{digest}"', headers["ETag"]
    assert "filename*=UTF-8''quyet-dinh.pdf" in headers["Content-Disposition"], headers["Content-Disposition"]
    status, headers, part = call("GET", url, headers={"Range": "bytes=0-8"})
    assert status == 206 and part == content[:9], ("range", status, part)
    status, _, _ = call("GET", url.replace("signature=", "signature=0"))
    assert status == 403, ("a forged link", status)
    status, _, body = call("POST", f"{docs}/v1/files?name=virus.exe", token, b"MZ\x90\x00" + b"\x00" * 100)
    assert status == 415, ("an executable", status, body)
    # curl, which reads the early 413 while it is still sending (urllib sends all 21 MB first).
    big = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer " + token,
                          "--data-binary", "@-", f"{docs}/v1/files?name=big.pdf"],
                         input=b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024), capture_output=True, timeout=60)
    assert big.stdout == b"413", ("21 MB", big.stdout, big.stderr)


def post(url, token, body):
    status, _, text = call("POST", url, token, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return status, (json.loads(text) if text else None)


def totp(secret, at=None):
    """RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits, as an authenticator app computes it."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def sign(docs, sw, admin, officer, leader, leader_subject, work, portal=None):
    status, body = post(f"{docs}/v1/pki/certificates", admin, {"subject": leader_subject, "name": "Chủ tịch UBND xã Hòn Tre", "agency": "UBND xã Hòn Tre"})
    assert status == 201, (status, body)
    status, body = post(f"{docs}/v1/otp/enrolment", leader, {})
    assert status == 201, (status, body)
    encoded = urllib.parse.parse_qs(urllib.parse.urlparse(body["authenticatorURL"]).query)["secret"][0]
    secret = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    status, body = post(f"{docs}/v1/otp/enrolment/confirm", leader, {"code": totp(secret)})
    assert status == 200, (status, body)
    # A dossier in processing at Hòn Tre, whose result the officer uploads and files for the leader to sign.
    from e2e_dossiers import REQUEST
    status, dossier = post(f"{sw}/v1/dossiers", officer, REQUEST)
    assert status == 201, (status, dossier)
    status, dossier = post(f"{sw}/v1/dossiers/{dossier['id']}/actions", officer, {"action": "startProcessing", "expectedVersion": dossier["version"]})
    assert status == 200, (status, dossier)
    content = ("%PDF-1.7\n" + "Giấy chứng nhận đăng ký kết hôn số 15/2026\n" * 200 + "%%EOF\n").encode()
    status, _, text = call("POST", f"{docs}/v1/files?name=ket-qua.pdf", officer, content)
    assert status == 201, (status, text)
    document = json.loads(text)["id"]
    status, dossier = post(f"{sw}/v1/dossiers/{dossier['id']}/result-draft", officer,
                           {"fileId": document, "number": "15/2026/GCNKH", "signer": "Chủ tịch UBND xã Hòn Tre", "leader": leader_subject,
                            "expectedVersion": dossier["version"]})
    assert status == 200 and dossier["resultDraft"]["fileId"] == document, (status, dossier)
    # The sign request reaches the leader through single-window's outbox and documents' inbox.
    request = None
    for _ in range(100):
        status, _, text = call("GET", f"{docs}/v1/sign-requests", leader)
        request = next((r for r in json.loads(text) if r.get("dossierId") == dossier["id"]), None)
        if request:
            break
        time.sleep(0.1)
    assert request and request["documentId"] == document and dossier["code"] in request["reason"], request
    status, body = post(f"{docs}/v1/sign-requests/{request['id']}/approve", leader, {"code": totp(secret, time.time() + 30)})
    assert status == 200 and body["state"] == "signed", (status, body)
    # Signed, the result is ready in single-window by itself, carrying the signature's verification code.
    for _ in range(100):
        status, _, text = call("GET", f"{sw}/v1/dossiers/{dossier['id']}", officer)
        dossier = json.loads(text)
        if dossier["status"] == 9:
            break
        time.sleep(0.1)
    assert dossier["status"] == 9 and dossier["result"]["verificationCode"] == body["signature"]["code"], dossier
    status, _, der = call("GET", f"{docs}/v1/documents/{document}/signatures/1", officer)
    assert status == 200, status
    status, _, ca = call("GET", f"{docs}/v1/pki/ca.pem")
    for name, data in (("ca.pem", ca), ("result.p7s", der), ("result.pdf", content), ("altered.pdf", content[:40] + bytes([content[40] ^ 1]) + content[41:])):
        with open(f"{work}/{name}", "wb") as file:
            file.write(data)
    verify = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", f"{work}/result.p7s", "-CAfile", f"{work}/ca.pem", "-out", "/dev/null"]
    good = subprocess.run(verify + ["-content", f"{work}/result.pdf"], capture_output=True)
    assert good.returncode == 0, good.stderr
    bad = subprocess.run(verify + ["-content", f"{work}/altered.pdf"], capture_output=True)
    assert bad.returncode != 0, "openssl accepted a changed file"
    status, checked = post(f"{docs}/v1/verify", officer, {"documentId": document})
    assert status == 200 and checked["verifications"][0]["valid"] and checked["verifications"][0]["signerName"] == "Chủ tịch UBND xã Hòn Tre", checked
    if portal:
        # Anyone holding the paper types the printed code at the portal: the page says the signature is valid, and whose.
        code = body["signature"]["code"]
        status, _, page = call("GET", f"{portal}/check/{urllib.parse.quote(code)}")
        page = page.decode()
        assert status == 200 and 'data-valid="true"' in page and "Chữ ký hợp lệ" in page and "Chủ tịch UBND xã Hòn Tre" in page, (status, page[:2000])


def dispatch(docs, clerk, director, admin, director_subject, *communes):
    status, body = post(f"{docs}/v1/pki/certificates", admin, {"subject": director_subject, "name": "Giám đốc Sở Tư pháp", "agency": "Sở Tư pháp"})
    assert status == 201, (status, body)
    status, _, text = call("POST", f"{docs}/v1/files?name=cong-van.pdf", clerk, b"%PDF-1.7\nCong van trien khai\n%%EOF\n")
    assert status == 201, (status, text)
    file = json.loads(text)["id"]
    status, body = post(f"{docs}/v1/documents/{file}/signatures", director, {})
    assert status == 201, (status, body)
    status, document = post(f"{docs}/v1/official-documents", clerk, {"type": "Công văn", "excerpt": "V/v triển khai dịch vụ công trực tuyến toàn trình",
                                                                    "symbol": "STP-HCTP", "signer": "Giám đốc Sở", "fileIds": [file]})
    assert status == 201, (status, document)
    recipients = [json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==").decode())["agency"] for token in communes]
    status, sent = post(f"{docs}/v1/official-documents/{document['id']}/dispatch", clerk, {"recipients": recipients})
    assert status == 200 and sorted(d["recipient"] for d in sent["dispatches"]) == sorted(recipients), (status, sent)
    for token in communes:
        status, _, text = call("GET", f"{docs}/v1/registers/incoming?q=dich+vu+cong", token)
        entries = json.loads(text)
        assert status == 200 and len(entries) == 1, (status, entries)
        status, _, _ = call("GET", f"{docs}/v1/files/{file}/content", token)
        assert status == 200, ("the file is shared with the recipient", status)
        status, body = post(f"{docs}/v1/dispatches/{entries[0]['dispatch']['id']}/acknowledge", token, {})
        assert status == 200, (status, body)
    status, _, text = call("GET", f"{docs}/v1/official-documents/{document['id']}", clerk)
    seen = json.loads(text)
    assert all(d["acknowledgedAt"] for d in seen["dispatches"]) and len(seen["dispatches"]) == len(communes), seen


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "files":
        files(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (9, 10) and sys.argv[1] == "sign":
        sign(*sys.argv[2:])
    elif len(sys.argv) >= 8 and sys.argv[1] == "dispatch":
        dispatch(*sys.argv[2:])
    else:
        sys.exit(__doc__)
