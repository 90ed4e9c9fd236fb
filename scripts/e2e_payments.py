#!/usr/bin/env python3
"""Payment journeys for scripts/e2e, over HTTP only, as a browser and the bank would make them: single-window for the
dossier, payments for the fee, the sandbox bank's payment page. Each command exits non-zero, saying why, when what a
citizen, an officer or the province's accountant would notice is wrong.

  e2e_payments.py dossier SW CITIZEN OFFICER                 a dossier in the fee wait (prints its id and code)
  e2e_payments.py create PAY CITIZEN CODE RETURN             a payment for it (prints its id, reference and payUrl)
  e2e_payments.py pay PAY PAYMENT_ID [decision] [--no-return] the payer's browser: our pay URL, the bank's page, the decision
  e2e_payments.py journey SW PAY CITIZEN OFFICER RETURN       all of it, then the dossier leaves the fee wait
  e2e_payments.py ipn-checks SW PAY CITIZEN OFFICER ADMIN SECRET  forged, changed and replayed IPNs change nothing
  e2e_payments.py settled-once SW PAY ADMIN OFFICER PAYMENT_ID DOSSIER_ID  success, one IPN transition, one fee confirmation
  e2e_payments.py reconcile PAY SANDBOX ADMIN MATCHED         today's settlement file from the bank balances, MATCHED or more rows
  e2e_payments.py ipns PAY ADMIN CODE SECRET OUT             writes a signed success IPN for each open payment of a dossier (benchmarks)
"""
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PROCEDURE, AGENCY = "1.004194", "000.55.01.H33"   # Đăng ký thường trú at Hòn Tre: level 4, 20,000 VND
PROCESSING, AWAITING_FEE = 4, 6                    # DossierStatus as the API writes it


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, url, token=None, body=None, headers=None, form=None):
    data = json.dumps(body).encode() if body is not None else (urllib.parse.urlencode(form).encode() if form else None)
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/x-www-form-urlencoded" if form else "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def json_call(method, url, token=None, body=None, headers=None):
    status, _, text = call(method, url, token, body, headers)
    return status, (json.loads(text) if text else None)


def dossier(sw, citizen, officer):
    status, body = json_call("POST", f"{sw}/v1/dossiers", citizen, {
        "procedureCode": PROCEDURE, "agencyCode": AGENCY, "channel": "online",
        "applicant": {"kind": "person", "fullName": "Lê Văn Cường", "citizenId": "091090000789", "phone": "0913 000 111", "address": "Hòn Tre, Kiên Hải"},
        "attachments": [{"documentName": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)"},
                        {"documentName": "Giấy tờ chứng minh chỗ ở hợp pháp"}],
        "delivery": {"method": "online"}})
    assert status == 201, (status, body)
    for action in ("receive", "startProcessing", "requestFee"):
        status, body = json_call("POST", f"{sw}/v1/dossiers/{body['id']}/actions", officer, {"action": action, "expectedVersion": body["version"]})
        assert status == 200, (action, status, body)
    assert body["status"] == AWAITING_FEE, body["status"]
    return body


def create(pay, citizen, code, back, key=None):
    request = {"dossierCode": code, "items": [{"name": "Lệ phí", "amount": 20000}], "payer": {"name": "Lê Văn Cường"}, "returnUrl": back}
    status, body = json_call("POST", f"{pay}/v1/payments", citizen, request, {"Idempotency-Key": key or str(uuid.uuid4())})
    assert status == 201, (status, body)
    assert body["state"] == "created" and body["amount"] == 20000 and body["payUrl"], body
    return body


def pay_at_bank(pay, payment_id, decision="approve", follow_return=True):
    """Our pay URL → the bank's page → the decision → (our return URL → the portal). Returns the bank's redirect."""
    status, headers, _ = call("GET", f"{pay}/v1/payments/{payment_id}/pay")
    assert status == 303, ("pay", status)
    status, _, page = call("GET", headers["Location"])
    page = page.decode()
    assert status == 200 and "Xác nhận thanh toán" in page, ("bank page", status, page[:300])
    reference = page.split('name="txnRef" value="')[1].split('"')[0]
    bank = headers["Location"].split("/paymentv2/")[0]
    status, headers, _ = call("POST", f"{bank}/paymentv2/decide", form={"txnRef": reference, "decision": decision})
    assert status == 303, ("decide", status)
    back = headers["Location"]
    if follow_return:
        status, headers, _ = call("GET", back)
        assert status == 303 and headers["Location"].endswith("payment=" + payment_id), ("return", status, headers.get("Location"))
    return back


def payment(pay, token, payment_id):
    status, body = json_call("GET", f"{pay}/v1/payments/{payment_id}", token)
    assert status == 200, (status, body)
    return body


def wait(predicate, seconds=30):
    deadline = time.time() + seconds
    while True:
        value = predicate()
        if value or time.time() > deadline:
            return value
        time.sleep(0.25)


def journey(sw, pay, citizen, officer, back):
    case = dossier(sw, citizen, officer)
    created = create(pay, citizen, case["code"], back)
    pay_at_bank(pay, created["id"])
    paid = wait(lambda: (lambda p: p if p["state"] == "success" else None)(payment(pay, citizen, created["id"])))
    assert paid, payment(pay, citizen, created["id"])
    assert paid["bankTransactionNo"] and paid["transitions"][-1]["cause"] == "ipn", paid
    status = wait(lambda: json_call("GET", f"{sw}/v1/dossiers/{case['id']}", officer)[1]["status"] == PROCESSING)
    assert status, "the dossier did not leave the fee wait"
    print(case["code"], created["id"])


def ipn_query(parameters, secret):
    signing = "&".join(f"{k}={urllib.parse.quote_plus(v, safe='-_.*')}" for k, v in sorted(parameters.items()) if v)
    return signing + "&vnp_SecureHash=" + hmac.new(secret.encode(), signing.encode(), hashlib.sha512).hexdigest()


def ipn(pay, query):
    status, body = json_call("GET", f"{pay}/v1/gateway/vnpay/ipn?{query}")
    assert status == 200, (status, body)
    return body["RspCode"]


def ipn_checks(sw, pay, citizen, officer, admin, secret):
    case = dossier(sw, citizen, officer)
    created = create(pay, citizen, case["code"], "http://127.0.0.1/portal/back")
    call("GET", f"{pay}/v1/payments/{created['id']}/pay")
    bank_said = {"vnp_Amount": "2000000", "vnp_BankCode": "NCB", "vnp_OrderInfo": "Nop phi", "vnp_PayDate": time.strftime("%Y%m%d%H%M%S"),
                 "vnp_ResponseCode": "00", "vnp_TmnCode": "MOTCUAKG", "vnp_TransactionNo": "99000001", "vnp_TransactionStatus": "00",
                 "vnp_TxnRef": created["reference"]}
    forged = ipn(pay, ipn_query(bank_said, "an attacker's guess"))
    assert forged == "97", f"forged IPN answered {forged}"
    tampered = ipn_query(bank_said, secret).replace("vnp_Amount=2000000", "vnp_Amount=200")
    assert ipn(pay, tampered) == "97", "an amount changed after signing must fail the checksum"
    wrong_amount = ipn(pay, ipn_query(dict(bank_said, vnp_Amount="200"), secret))
    assert wrong_amount == "04", f"a signed IPN for another amount answered {wrong_amount}"
    after = payment(pay, admin, created["id"])
    assert after["state"] == "started" and [t["to"] for t in after["transitions"]] == ["created", "started"], after
    # Now the bank pays for real; its redirect carries the same signed result as its IPN: replay it as an IPN.
    back = pay_at_bank(pay, created["id"], follow_return=False)
    assert wait(lambda: payment(pay, admin, created["id"])["state"] == "success"), payment(pay, admin, created["id"])
    replayed = ipn(pay, back.split("?", 1)[1])
    assert replayed == "02", f"a replayed IPN answered {replayed}"
    settled = payment(pay, admin, created["id"])
    assert [t["cause"] for t in settled["transitions"]].count("ipn") == 1, settled["transitions"]


def settled_once(sw, pay, admin, officer, payment_id, dossier_id):
    paid = wait(lambda: (lambda p: p if p["state"] == "success" else None)(payment(pay, admin, payment_id)), 90)
    assert paid, payment(pay, admin, payment_id)
    assert [t["to"] for t in paid["transitions"]].count("success") == 1, paid["transitions"]
    assert wait(lambda: json_call("GET", f"{sw}/v1/dossiers/{dossier_id}", officer)[1]["status"] == PROCESSING), "fee wait not left"
    history = json_call("GET", f"{sw}/v1/dossiers/{dossier_id}", officer)[1]["history"]
    assert [h["action"] for h in history].count("confirmFee") == 1, [h["action"] for h in history]


def reconcile(pay, sandbox, admin, matched):
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))   # the bank's day is Vietnam's
    status, _, file = call("GET", f"{sandbox}/bank/settlement?day={day}")
    assert status == 200, ("settlement file", status)
    request = urllib.request.Request(f"{pay}/v1/reconciliation/{day}", data=file, method="POST")
    request.add_header("Authorization", "Bearer " + admin)
    request.add_header("Content-Type", "text/csv")
    with OPENER.open(request, timeout=30) as response:
        report = json.loads(response.read())
    assert report["balanced"] and len(report["matched"]) >= int(matched), report


def ipns(pay, admin, code, secret, out):
    references, page = [], 1
    while True:
        status, body = json_call("GET", f"{pay}/v1/payments?dossier={code}&state=created&pageSize=200&page={page}", admin)
        assert status == 200, (status, body)
        references += [p["reference"] for p in body["items"]]
        if not body["items"] or len(references) >= body["total"]:
            break
        page += 1
    paid_at = time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 7 * 3600))
    with open(out, "w") as file:
        for number, reference in enumerate(references):
            file.write(ipn_query({"vnp_Amount": "2000000", "vnp_BankCode": "NCB", "vnp_OrderInfo": "Nop phi ho so " + code,
                                  "vnp_PayDate": paid_at, "vnp_ResponseCode": "00", "vnp_TmnCode": "MOTCUAKG",
                                  "vnp_TransactionNo": str(20000000 + number), "vnp_TransactionStatus": "00", "vnp_TxnRef": reference},
                                 secret) + "\n")
    print(len(references))


def main(args):
    command = args[0]
    if command == "dossier":
        case = dossier(*args[1:4])
        print(case["id"], case["code"])
    elif command == "create":
        created = create(*args[1:5])
        print(created["id"], created["reference"], created["payUrl"])
    elif command == "pay":
        pay_at_bank(args[1], args[2], args[3] if len(args) > 3 and not args[3].startswith("--") else "approve",
                    follow_return="--no-return" not in args)
    elif command == "journey":
        journey(*args[1:6])
    elif command == "ipn-checks":
        ipn_checks(*args[1:7])
    elif command == "settled-once":
        settled_once(*args[1:7])
    elif command == "ipns":
        ipns(*args[1:6])
    elif command == "reconcile":
        reconcile(*args[1:5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
