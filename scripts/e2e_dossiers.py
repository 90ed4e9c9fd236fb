"""Dossier journeys for scripts/e2e, over HTTP only.

  python e2e_dossiers.py codes URL_A URL_B OFFICER_TOKEN          # 30 concurrent intakes on each instance: no duplicate code
  python e2e_dossiers.py journey URL OFFICER LEADER DOCS ADMIN    # counter intake to delivery, due date moved by the pause,
                                                                  # the result a document the leader signed in documents
  python e2e_dossiers.py submit URL CITIZEN_TOKEN KEY             # an online intake with an Idempotency-Key; prints its code
  python e2e_dossiers.py many URL CITIZEN_TOKEN N                 # N online intakes; prints their codes, comma-separated (benchmarks)
"""
import datetime
import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HON_TRE = "000.55.01.H33"
REQUEST = {
    "procedureCode": "1.000894",
    "agencyCode": HON_TRE,
    "channel": "counter",
    "applicant": {"kind": "person", "fullName": "Trần Thị Bình", "citizenId": "091095000456", "phone": "0987654321",
                  "email": "binh.tran@example.vn", "address": "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải"},
    "attachments": [{"documentName": name} for name in
                    ["Tờ khai đăng ký kết hôn", "Giấy tờ tùy thân của hai bên", "Giấy xác nhận tình trạng hôn nhân (nếu thường trú nơi khác)"]],
    "delivery": {"method": "counter"},
}


def call(method, url, token, body=None, key=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def codes(url_a, url_b, token):
    urls = [url_a, url_b] * 30
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda url: call("POST", url + "/v1/dossiers", token, REQUEST), urls))
    statuses = [status for status, _ in results]
    assert statuses == [201] * 60, statuses
    got = [body["code"] for _, body in results]
    assert len(set(got)) == 60, f"duplicate codes: {sorted(got)}"
    print(f"60 concurrent intakes on two instances: 60 distinct codes, {min(got)} … {max(got)}")


def signed_result(docs, leader, admin):
    """The leader's signed result in the documents service: (file id, unsigned file id, verification code)."""
    def upload(text):
        request = urllib.request.Request(f"{docs}/v1/files?name=ket-qua.pdf", data=f"%PDF-1.7\n{text}\n%%EOF\n".encode(), method="POST")
        request.add_header("Authorization", "Bearer " + leader)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["id"]
    signed, unsigned = upload("Giay chung nhan ket hon 15/2026"), upload("Ban nhap chua ky")
    status, body = call("POST", f"{docs}/v1/pki/certificates", admin, {"subject": "chairman-hontre", "name": "Chủ tịch UBND xã Hòn Tre"})
    assert status == 201, body
    status, body = call("POST", f"{docs}/v1/documents/{signed}/signatures", leader, {})
    assert status == 201, body
    return signed, unsigned, body["code"]


def journey(url, officer, leader, docs, admin):
    signed, unsigned, code = signed_result(docs, leader, admin)
    status, dossier = call("POST", url + "/v1/dossiers", officer, REQUEST)
    assert status == 201 and dossier["status"] == 2, dossier
    due = dossier["clock"]["dueAt"]

    def act(token, action, comment=None, **details):
        nonlocal dossier
        status, body = call("POST", f"{url}/v1/dossiers/{dossier['id']}/actions", token,
                            dict({"action": action, "expectedVersion": dossier["version"], "comment": comment}, **details))
        assert status == 200, (action, body)
        dossier = body

    act(officer, "startProcessing")
    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    act(officer, "requestSupplement", "Thiếu bản sao giấy xác nhận tình trạng hôn nhân",
        supplement={"documents": ["Giấy xác nhận tình trạng hôn nhân"], "deadline": deadline})
    import time
    time.sleep(1.2)
    act(officer, "supplement", "Công dân nộp bổ sung tại quầy",
        attachments=[{"documentName": "Giấy xác nhận tình trạng hôn nhân"}])
    moved = dossier["clock"]["dueAt"]
    status, body = call("POST", f"{url}/v1/dossiers/{dossier['id']}/actions", leader,
                        {"action": "markResultReady", "expectedVersion": dossier["version"],
                         "result": {"fileId": unsigned, "number": "15/2026/GCNKH", "signer": "Chủ tịch UBND xã"}})
    assert status == 422 and body["errors"][0]["code"] == "result.unsigned", (status, body)
    act(leader, "markResultReady", result={"fileId": signed, "number": "15/2026/GCNKH", "signer": "Chủ tịch UBND xã"})
    assert dossier["result"]["verificationCode"] == code, dossier["result"]
    act(officer, "deliver", handover={"method": "counter", "recipient": "Nguyễn Văn An"})
    assert dossier["status"] == 10, dossier
    assert dossier["result"]["number"] == "15/2026/GCNKH", dossier
    assert dossier["supplementRequest"]["deadline"] == deadline, dossier
    assert [step["toStatus"] for step in dossier["history"]] == [2, 4, 5, 4, 9, 10], dossier["history"]
    # Paused during working hours the due date moves by the pause; outside them it stays.
    assert moved >= due, (due, moved)
    print(f"{dossier['code']}: received, processed, supplement requested and supplied, result ready, delivered; due {due} -> {moved}")


def submit(url, citizen, key):
    request = dict(REQUEST, channel="online")
    status, body = call("POST", url + "/v1/dossiers", citizen, request, key=key)
    assert status in (200, 201), (status, body)
    print(body["code"], status)


def many(url, citizen, count):
    request = dict(REQUEST, channel="online")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: call("POST", url + "/v1/dossiers", citizen, request), range(int(count))))
    assert all(status == 201 for status, _ in results), [status for status, _ in results]
    print(",".join(body["code"] for _, body in results))


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"codes": codes, "journey": journey, "submit": submit, "many": many}[command](*arguments)
