#!/usr/bin/env python3
"""Message journeys for scripts/e2e, over HTTP only: notifications' API on one side, the sandbox SMS gateway's
listing on the other. Each command exits non-zero, saying why, when what a citizen would notice is wrong.

  e2e_messages.py journey-sms NOTIFY SANDBOX TOKEN PHONE      the journey's SMS reached the gateway once and were delivered
  e2e_messages.py journey-mail SINKDIR ADDRESS                  the journey's e-mails arrived at the SMTP server, readable
  e2e_messages.py post NOTIFY TOKEN REFERENCE COUNT FIRSTPHONE  posts COUNT messages (prints their ids to stdout)
  e2e_messages.py waiting NOTIFY SANDBOX TOKEN REFERENCE COUNT  all COUNT tried, none at the gateway, each due again
  e2e_messages.py settled NOTIFY SANDBOX TOKEN REFERENCE COUNT  all COUNT delivered, each received exactly once
  e2e_messages.py gateway SANDBOX JSON                          changes the gateway's behaviour
"""
import concurrent.futures
import email
import email.policy
import json
import os
import re
import sys
import urllib.error
import urllib.request


def call(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def messages(notify, token, reference):
    items, page = [], 1
    while True:
        status, body = call("GET", f"{notify}/v1/notifications?reference={reference}&pageSize=200&page={page}", token)
        assert status == 200, (status, body)
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def received(sandbox, phone=None):
    query = f"?limit=100000" + (f"&phone={phone}" if phone else "")
    status, body = call("GET", f"{sandbox}/sms/messages{query}")
    assert status == 200, (status, body)
    return body["items"]


def journey_sms(notify, sandbox, token, phone):
    at_gateway = received(sandbox, phone)
    sent = [m for m in call("GET", f"{notify}/v1/notifications?channel=sms&recipient={phone}&pageSize=200", token)[1]["items"]]
    ids = {m["id"] for m in sent}
    assert len(sent) >= 4, f"only {len(sent)} SMS to {phone}"
    got = [m["requestId"] for m in at_gateway if m["requestId"] in ids]
    assert sorted(got) == sorted(ids), f"the gateway has {len(got)} of {len(ids)} (doubles: {len(got) - len(set(got))})"
    undelivered = [(m["templateId"], m["status"]) for m in sent if m["status"] != "delivered"]
    assert not undelivered, f"not delivered: {undelivered}"
    texts = {m["content"] for m in at_gateway}
    assert any("da duoc tiep nhan" in t for t in texts), texts


def journey_mail(directory, address):
    by_code = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(directory, name), "rb") as file:
            mail = email.message_from_binary_file(file, policy=email.policy.default)
        if address not in mail["X-Envelope-To"]:
            continue
        code = re.search(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}", mail["Subject"])
        if code:
            by_code.setdefault(code.group(0), []).append(mail)
    wanted = ["đã được tiếp nhận", "cần bổ sung", "đã có kết quả", "Đã trả kết quả"]
    for code, mails in by_code.items():
        subjects = [m["Subject"] for m in mails]
        if all(any(w in s for s in subjects) for w in wanted) and len(mails) == 4:
            received = next(m for m in mails if "đã được tiếp nhận" in m["Subject"])
            text = received.get_body(("plain",)).get_content()
            html = received.get_body(("html",)).get_content()
            assert code in text and "tra-cuu?code=" + code in text, text
            assert "<" in html and code in html, html
            assert received["Message-ID"].startswith("<") and received["From"].addresses[0].domain, received["From"]
            return
    raise AssertionError(f"no dossier with its four e-mails to {address}: {[(c, [m['Subject'] for m in ms]) for c, ms in by_code.items()]}")


def post(notify, token, reference, count, first_phone):
    def one(index):
        phone = "0" + str(int(first_phone) + index).zfill(9)
        body = {"templateId": "dossier.result-ready.sms.vi", "recipient": phone, "values": {"code": f"{reference}-{index}"},
                "reference": reference}
        status, answer = call("POST", f"{notify}/v1/notifications", token, body)
        assert status == 201, (status, answer)
        return answer["id"]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(one, range(count)))
    print("\n".join(ids))


def settled(notify, sandbox, token, reference, count):
    stored = messages(notify, token, reference)
    assert len(stored) == count, f"{len(stored)} messages stored, {count} acknowledged"
    statuses = {}
    for m in stored:
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
    assert statuses.get("delivered", 0) == count, f"statuses: {statuses}"
    ids = {m["id"] for m in stored}
    at_gateway = [m["requestId"] for m in received(sandbox) if m["requestId"] in ids]
    assert len(at_gateway) == count and set(at_gateway) == ids, \
        f"the gateway received {len(at_gateway)} for {count} messages ({len(set(at_gateway))} distinct)"


def waiting(notify, sandbox, token, reference, count):
    stored = messages(notify, token, reference)
    assert len(stored) == count, f"{len(stored)} messages stored, {count} acknowledged"
    ids = {m["id"] for m in stored}
    status, listing = call("GET", f"{sandbox}/sms/messages?limit=100000")
    assert listing["refusedWhileDown"] >= count, f"the gateway refused only {listing['refusedWhileDown']} while down"
    assert not [m for m in listing["items"] if m["requestId"] in ids], "a message reached a gateway that is down"
    not_waiting = [m["status"] for m in stored if m["status"] != "created" or "nextAttemptAt" not in m]
    assert not not_waiting, f"not waiting for a retry: {not_waiting[:5]}"


def gateway(sandbox, change):
    status, body = call("POST", f"{sandbox}/sms/control", body=json.loads(change))
    assert status == 200, (status, body)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    try:
        {"journey-sms": journey_sms, "journey-mail": journey_mail, "post": post, "gateway": gateway,
         "waiting": lambda n, s, t, r, c: waiting(n, s, t, r, int(c)),
         "settled": lambda n, s, t, r, c: settled(n, s, t, r, int(c))}[command](
            *(arguments if command != "post" else arguments[:3] + [int(arguments[3]), arguments[4]]))
    except AssertionError as failure:
        print(f"{command}: {failure}", file=sys.stderr)
        sys.exit(1)
