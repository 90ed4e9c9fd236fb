#!/usr/bin/env python3
"""Document journeys for scripts/e2e, over HTTP only. Each command exits non-zero, saying why, when what an officer
or a citizen would notice is wrong.

  e2e_documents.py files DOCS TOKEN    a result uploaded comes back byte for byte (signed link, ETag, Range); a wrong type and an oversize are refused
"""
import hashlib
import json
import subprocess
import sys
import urllib.error
import urllib.request


def call(method, url, token=None, body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


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


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "files":
        files(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
