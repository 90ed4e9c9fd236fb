#!/usr/bin/env python3
"""The portal in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, through
the journeys a citizen makes. Each page is photographed at a phone's width (360 px) and a desktop's (1280 px) into
SHOTS. The journeys share a state file (the account, the dossier), so scripts/e2e runs them one check at a time.

  browser_journeys.py JOURNEY PORTAL SANDBOX SHOTS STATE

  register   register with a phone, read the SMS code at the sandbox gateway, confirm the phone
  submit     submit a level-3 dossier with two files; see it in My dossiers
  kiosk      look it up on the kiosk page, typing the phone's digits on the on-screen keypad
  pay        pay a level-4 fee at the sandbox bank and come back to the paid state
  console    the staff console (PORTAL is the console's address): the Hòn Tre officer signs in, moves along the online
             queue with the j key, opens a dossier and receives it (the page says so, its history shows the note) and
             prints the receipt slip, whose QR code zbarimg reads as the dossier's look-up
  desk       the staff console on a 360 px phone (PORTAL is the console's address; DESK_PORTAL, DESK_DOCUMENTS and
             DESK_ADMIN_TOKEN name the portal, documents and an admin token): Hòn Tre's leader, enrolled with an
             authenticator, signs the document an officer sent, with the one-time code typed on the phone
  steps      after console and desk (LEADER_STATE names the desk's state file): the fee of the dossier console received
             is taken in cash and its receipt printed; it is handed to the commune's specialist, who uploads the result and submits it to the chairman; the chairman signs on a
             360 px phone with the one-time code; the counter returns the result; the handovers name all three
  agencies   (PORTAL is the console's address) a walk-in land registration received at Kiên Hải district's counter goes to
             the province's land department, which finds it in its queue while the district is refused its page, and
             sends it back with a reason
  filters    after console (before steps): the officer finds that dossier by its applicant's name typed without diacritics, and the
             CSV download holds exactly the rows shown, with the byte order mark Excel needs
  reports    (PORTAL is the console's address) Hòn Tre's chairman reads the Decision 766 figures of the demo year, each with its
             rule, the monthly chart, the late dossiers behind the on-time figure, the settlement report and the register
  staff      (PORTAL is the console's address) the province's admin creates an officer for Hòn Tre, who signs in and sees that
             commune's work only; once the admin disables the account, the officer's next page is the sign-in, which says why
  official   (PORTAL is the console's address; LEADER_STATE the desk's state file) Hòn Tre's officer composes an official document
             to Kiên Hải district and the land department; the chairman signs it on a 360 px phone; the officer numbers and
             dispatches it; both recipients acknowledge it, and the sender's page shows it
  catalog    (PORTAL is the console's address; CATALOG_PORTAL and CATALOG_SW name the portal and single-window) the admin raises a
             procedure's fee in the console as a new version: a dossier received before keeps its fee, a new one pays the new fee
  frame      another site frames the portal's pages (the dossier page with its actions, the sign-in form): Chromium
             refuses to show them (frame-ancestors 'none'), while that site's own frame shows
"""
import http.server
import json
import os
import threading
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import (ElementClickInterceptedException, ElementNotInteractableException,
                                        NoSuchElementException, StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

RESIDENCE, HON_TRE = "1.004194", "000.55.01.H33"
PDF = b"%PDF-1.4\n% browser declaration\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64)
PHONE, DESKTOP = (360, 800), (1280, 900)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    return driver


class Journey:
    def __init__(self, portal, sandbox, shots, state_file):
        self.portal, self.sandbox, self.shots, self.state_file = portal, sandbox, shots, state_file
        os.makedirs(shots, exist_ok=True)
        self.state = json.load(open(state_file)) if os.path.exists(state_file) else {}
        self.driver = browser()
        for cookie in self.state.get("cookies", []):
            if not self.driver.current_url.startswith(portal):
                self.driver.get(portal + "/health/live")
            self.driver.add_cookie({"name": cookie["name"], "value": cookie["value"], "path": "/"})

    def save(self):
        self.state["cookies"] = [{"name": c["name"], "value": c["value"]} for c in self.driver.get_cookies()]
        json.dump(self.state, open(self.state_file, "w"))

    def open(self, path):
        self.driver.get(path if path.startswith("http") else self.portal + path)

    def shot(self, name):
        """The page as it is now, at a phone's and a desktop's width."""
        for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
            self.driver.set_window_size(width, height)
            time.sleep(0.2)
            self.driver.save_screenshot(os.path.join(self.shots, f"{name}-{label}.png"))
            # The portal's own pages must fit a phone; the bank's page is the bank's (here the sandbox's).
            if label == "phone" and self.driver.current_url.startswith(self.portal):
                overflow = self.driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                expect(overflow <= 1, f"{name}: the page is {overflow}px wider than a 360 px phone")
        self.driver.set_window_size(*DESKTOP)

    def fill(self, field, value):
        element = self.driver.find_element(By.NAME, field)
        element.clear()
        element.send_keys(value)

    def click(self, by, value, seconds=10):
        """Clicks as a person would once the element can take it: a page still laying out (just resized, a script
        still showing the keypad) may hide or move it for a moment. Still refused after `seconds`, the cause is said."""
        last = None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.driver.find_element(by, value).click()
                return
            except (ElementClickInterceptedException, ElementNotInteractableException, StaleElementReferenceException) as error:
                last = error
                time.sleep(0.2)
        fail(f"could not click {value}: {type(last).__name__}: {first_line(last)} (at {self.driver.current_url})")

    def submit(self, form_action):
        """Sends the form and returns once the answer has replaced the page and finished loading: every form here is
        an ordinary POST, and a page read before that (even at the same URL, as a form sent back with its errors) may
        be the old one, or go stale while it is read."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.click(By.CSS_SELECTOR, f'form[action="{form_action}"] button[type="submit"]')
        self.wait_for(lambda: gone(self.driver, page) and self.driver.execute_script("return document.readyState") == "complete",
                      f"sending the form {form_action} did not lead to a page")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def wait_for(self, predicate, message, seconds=15):
        """A page being replaced while the predicate reads it (an element gone stale, or not there yet) is waited out,
        not taken as the answer. On failure the message says where the browser was and what the page showed."""
        try:
            WebDriverWait(self.driver, seconds, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)) \
                .until(lambda _: predicate())
        except Exception as error:
            try:
                shown = self.text()[:400].replace("\n", " ")
            except WebDriverException as unreadable:
                shown = f"(unreadable: {first_line(unreadable)})"
            cause = "" if isinstance(error, TimeoutException) else f"; {type(error).__name__}: {first_line(error)}"
            fail(message + f" (at {self.driver.current_url}{cause}; the page showed: {shown})")


def gone(driver, element):
    """Whether the page holding `element` has been replaced. Chromium sometimes answers a question about a node of the
    page being replaced with "Node with given id does not belong to the document" rather than a stale element: that too
    means the old page is gone."""
    try:
        return staleness_of(element)(driver)
    except WebDriverException as error:
        if "does not belong to the document" in (error.msg or ""):
            return True
        raise


def expect(condition, message):
    if not condition:
        fail(message)


def first_line(error):
    """A Selenium error's cause without chromedriver's native stack, which follows it."""
    text = (error.msg or str(error)).strip()
    return text.splitlines()[0] if text else "(no message)"


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def sms_code(sandbox, phone):
    for _ in range(80):
        with urllib.request.urlopen(f"{sandbox}/sms/messages?phone={phone}", timeout=10) as response:
            for item in json.load(response)["items"]:
                match = re.search(r"(\d{6})", item["content"])
                if match:
                    return match.group(1)
        time.sleep(0.25)
    fail(f"no SMS code for {phone} at the sandbox gateway")


def register(j):
    phone = "0977" + str(int(time.time()) % 1000000).zfill(6)
    j.open("/")
    j.shot("01-home")
    j.open("/register")
    j.shot("02-register")
    # Sent empty first: every error is shown beside its field.
    j.submit("/register")
    expect("Nhập họ và tên." in j.text(), "an empty registration does not say the name is missing")
    j.fill("fullName", "Vũ Thị Mai")
    j.fill("phone", phone)
    j.fill("citizenId", "091095000321")
    j.fill("password", "trình duyệt thật")
    j.submit("/register")
    j.wait_for(lambda: "/verify" in j.driver.current_url, "registration did not lead to the code page")
    j.shot("03-verify")
    j.fill("code", sms_code(j.sandbox, phone))
    j.submit("/verify")
    j.wait_for(lambda: "/account" in j.driver.current_url, "the SMS code was not accepted")
    expect("Số điện thoại đã được xác thực." in j.text(), "the account page does not say the phone is confirmed")
    j.shot("04-account")
    j.state["phone"] = phone
    j.save()


def submit(j):
    j.open("/procedures?q=dang+ky+thuong+tru")
    j.shot("05-catalog-search")
    j.open(f"/procedures/{RESIDENCE}")
    j.shot("06-procedure")
    j.click(By.LINK_TEXT, "Nộp hồ sơ trực tuyến")
    j.wait_for(lambda: "/submit" in j.driver.current_url, "the submission form did not open")
    j.shot("07-submission-form")
    Select(j.driver.find_element(By.NAME, "agencyCode")).select_by_value(HON_TRE)
    j.fill("applicant.address", "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải")
    folder = os.path.join(j.shots, "uploads")
    os.makedirs(folder, exist_ok=True)
    for index, (name, content) in enumerate((("to-khai-CT01.pdf", PDF), ("cho-o-hop-phap.png", PNG))):
        path = os.path.join(folder, name)
        open(path, "wb").write(content)
        j.driver.find_element(By.NAME, f"doc-{index}").send_keys(path)
    j.submit(f"/procedures/{RESIDENCE}/submit")
    j.wait_for(lambda: "submitted=1" in j.driver.current_url, "the dossier was not submitted")
    match = re.search(r"Mã hồ sơ của bạn: (\S+?)\. ", j.text())
    expect(match, "the confirmation does not show the dossier's code")
    j.shot("08-submitted")
    j.state["code"] = match.group(1)
    j.state["dossier"] = j.driver.current_url.split("/my/dossiers/")[1].split("?")[0]
    j.open("/my/dossiers")
    expect(j.state["code"] in j.text(), "My dossiers does not list the new dossier")
    j.shot("09-my-dossiers")
    j.save()


def kiosk(j):
    k = Journey(j.portal, j.sandbox, j.shots, j.state_file + ".kiosk")   # a kiosk is nobody's browser
    try:
        kiosk_lookup(k, j.state)
    finally:
        k.driver.quit()


def kiosk_lookup(k, state):
    k.open("/kiosk")
    k.shot("10-kiosk")
    k.wait_for(lambda: k.driver.find_element(By.CSS_SELECTOR, ".keypad").is_displayed(), "the kiosk's keypad did not appear")
    k.fill("code", state["code"])
    k.click(By.NAME, "phone")
    for digit in state["phone"][-4:]:
        k.click(By.CSS_SELECTOR, f'.keypad button[data-key="{digit}"]')
    expect(k.driver.find_element(By.NAME, "phone").get_attribute("value") == state["phone"][-4:], "the on-screen keypad did not type")
    k.submit("/kiosk")
    k.wait_for(lambda: "Mới đăng ký" in k.text(), "the kiosk did not show the dossier's status")
    expect("Vũ Thị Mai" not in k.text(), "the kiosk shows the applicant's name")
    k.shot("11-kiosk-result")


def pay(j):
    j.open(f"/my/dossiers/{j.state['dossier']}")
    expect("Số tiền phải nộp: 20.000" in j.text(), "the dossier page does not ask for the 20.000 đ fee")
    j.shot("12-fee-step")
    j.submit(f"/my/dossiers/{j.state['dossier']}/pay")
    j.wait_for(lambda: "Xác nhận thanh toán" in j.text(), "the bank's page did not open")
    j.shot("13-bank")
    j.click(By.CSS_SELECTOR, 'button[value="approve"]')
    j.wait_for(lambda: "/payment?payment=" in j.driver.current_url, "the bank did not send the payer back to the portal")
    j.wait_for(lambda: "Thanh toán thành công" in j.text(), "the return page does not show the payment paid", seconds=30)
    j.shot("14-paid")
    j.open(f"/my/dossiers/{j.state['dossier']}")
    expect("Đã nộp phí 20.000" in j.text(), "the dossier page does not show the fee paid")


def frame(j):
    """A page on another origin (this script's own little server) puts the portal's pages in iframes, as a clickjacker
    would; Chromium must show its own frame and refuse the portal's."""
    targets = [f"{j.portal}/my/dossiers/{j.state['dossier']}", f"{j.portal}/login"]
    frames = "".join(f'<iframe id="f{i}" src="{url}" width="600" height="400"></iframe>' for i, url in enumerate(targets))
    pages = {"/": f'<!doctype html><title>Trang lạ</title><iframe id="own" src="/own"></iframe>{frames}'.encode(),
             "/own": b"<!doctype html><title>own</title><p id=mine>framed here</p>"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        j.driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        time.sleep(2)
        j.shot("15-framed-by-another-site")
        j.driver.switch_to.frame("own")
        expect("framed here" in j.driver.find_element(By.TAG_NAME, "body").text, "the other site's own frame did not show (the check proves nothing)")
        j.driver.switch_to.default_content()
        for index, url in enumerate(targets):
            j.driver.switch_to.frame(f"f{index}")
            where = j.driver.execute_script("return location.href")
            text = j.driver.find_element(By.TAG_NAME, "body").text
            j.driver.switch_to.default_content()
            expect(where.startswith("chrome-error://") or not text.strip(), f"{url} was shown inside another site's frame ({where}): {text[:120]!r}")
            expect("Đăng nhập" not in text and "Hồ sơ" not in text, f"{url}'s content is readable in the frame")
    finally:
        server.shutdown()


def console(j):
    j.open("/login")
    j.fill("phone", "0911000001")
    j.fill("password", "demo1234")
    j.shot("console-sign-in")
    j.submit("/login")
    j.wait_for(lambda: "/queues/" in j.driver.current_url, "signing in at the console did not lead to a queue")
    j.open("/queues/online")
    j.wait_for(lambda: j.driver.find_elements(By.CSS_SELECTOR, "a[data-row]"), "the online queue lists no dossier")
    count = j.driver.find_element(By.CSS_SELECTOR, 'nav.main a[href="/queues/online"] .count').text
    expect(count.isdigit() and int(count) >= 1, f"the online queue's count in the navigation is {count!r}")
    j.shot("console-queue")
    # "?" opens the list of shortcuts; Escape closes it.
    ActionChains(j.driver).send_keys("?").perform()
    j.wait_for(lambda: j.driver.execute_script("return document.getElementById('help').open"), "the ? key did not open the shortcuts")
    j.shot("console-shortcuts")
    ActionChains(j.driver).send_keys(Keys.ESCAPE).perform()
    j.wait_for(lambda: not j.driver.execute_script("return document.getElementById('help').open"), "Escape did not close the shortcuts")
    ActionChains(j.driver).send_keys("j").perform()
    focused = j.driver.switch_to.active_element
    expect(focused.get_attribute("data-row") is not None, "the j key did not move to the first dossier of the queue")
    j.open(focused.get_attribute("href"))
    code = j.driver.find_element(By.TAG_NAME, "h1").text.split()[0]
    j.shot("console-dossier")
    j.fill("receive-comment", "Đủ thành phần hồ sơ")
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.XPATH, "//form[.//input[@name='action' and @value='receive']]//button[@type='submit']")
    j.wait_for(lambda: gone(j.driver, page) and "Đã lưu: Tiếp nhận hồ sơ." in j.text(),
               f"receiving {code} did not come back with the notice")
    expect("Đủ thành phần hồ sơ" in j.text(), f"the history of {code} does not show the officer's note")
    j.state["dossier"], j.state["code"] = j.driver.current_url.split("?")[0], code
    j.state["applicant"] = j.driver.find_element(By.XPATH, "//dt[.='Người nộp']/following-sibling::dd").text
    j.save()
    j.shot("console-received")
    # The receipt and appointment slip: as the browser draws it, its QR code reads (zbarimg) as the look-up of this code.
    j.click(By.PARTIAL_LINK_TEXT, "(01)")
    j.wait_for(lambda: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".upper() in j.text().upper(), "the receipt slip did not open")
    j.shot("console-slip")
    image = os.path.join(j.shots, "console-slip-qr.png")
    code_box = j.driver.find_element(By.CSS_SELECTOR, ".slip .qr-box")
    j.driver.execute_script("arguments[0].scrollIntoView()", code_box)
    code_box.screenshot(image)
    read = subprocess.run(["zbarimg", "--raw", "-q", image], capture_output=True, text=True)
    expect(read.returncode == 0 and f"/tra-cuu?code={code}" in read.stdout,
           f"zbarimg read {read.stdout.strip()!r} from the slip's QR code (status {read.returncode}), not the look-up of {code}")


def totp(secret, at=None):
    """RFC 6238 with the authenticator app's defaults: SHA-1, 30 s, 6 digits."""
    import base64, hashlib, hmac, struct
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def api(method, url, token=None, body=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def desk(j):
    portal, documents, admin = os.environ["DESK_PORTAL"], os.environ["DESK_DOCUMENTS"], os.environ["DESK_ADMIN_TOKEN"]
    def account(phone):
        status, tokens = api("POST", portal + "/api/v1/token", body={"grantType": "password", "phone": phone, "password": "demo1234"})
        expect(status == 200, f"the portal refused {phone}'s password grant: {tokens}")
        status, me = api("GET", portal + "/api/v1/me", tokens["accessToken"])
        return me["id"], tokens["accessToken"]
    leader, leader_token = account("0911000002")
    officer, officer_token = account("0911000001")
    status, body = api("POST", documents + "/v1/pki/certificates", admin, {"subject": leader, "name": "Chủ tịch UBND xã Hòn Tre"})
    expect(status in (201, 409), f"no signing certificate for the leader: {status} {body}")
    status, body = api("POST", documents + "/v1/otp/enrolment", leader_token, {})
    expect(status in (200, 201), f"enrolment refused: {status} {body}")
    secret = re.search(r"secret=([A-Z2-7]+)", body["authenticatorURL"]).group(1)
    status, body = api("POST", documents + "/v1/otp/enrolment/confirm", leader_token, {"code": totp(secret)})
    expect(status in (200, 204), f"enrolment not confirmed: {status} {body}")
    status, file = api("POST", documents + "/v1/files?name=giay-xac-nhan.pdf", officer_token, raw=b"%PDF-1.7\nGiay xac nhan 7/2026\n%%EOF\n",
                       content_type="application/pdf")
    expect(status == 201, f"upload refused: {status} {file}")
    status, asked = api("POST", documents + "/v1/sign-requests", officer_token,
                        {"documentId": file["id"], "signer": leader, "reason": "Giấy xác nhận 7/2026 trình ký"})
    expect(status == 201, f"sign request refused: {status} {asked}")
    j.driver.set_window_size(*PHONE)
    j.open("/login")
    j.fill("phone", "0911000002")
    j.fill("password", "demo1234")
    j.submit("/login")
    j.open("/desk")
    j.wait_for(lambda: "Giấy xác nhận 7/2026 trình ký" in j.text(), "the leader's desk does not list the sign request")
    overflow = j.driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    expect(overflow <= 1, f"the desk is {overflow}px wider than a 360 px phone")
    j.driver.save_screenshot(os.path.join(j.shots, "console-desk-phone.png"))
    # The next code: the one that confirmed the enrolment counts as used.
    j.fill(f"code-{asked['id']}", totp(secret, time.time() + 30))
    # The steps journey signs with the same authenticator later: it needs the secret and the last step used.
    j.state["leaderSecret"], j.state["lastStep"] = secret, int((time.time() + 30) // 30)
    j.save()
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.CSS_SELECTOR, f'form[action="/desk/{asked["id"]}/approve"] button[type="submit"]')
    j.wait_for(lambda: gone(j.driver, page) and "Đã ký." in j.text(), "signing with the code did not come back signed")
    j.driver.save_screenshot(os.path.join(j.shots, "console-desk-signed-phone.png"))
    status, signatures = api("GET", f"{documents}/v1/documents/{file['id']}/signatures", leader_token)
    expect(status == 200 and len(signatures) == 1, f"the document does not carry the signature: {status} {signatures}")


def sign_in(j, phone, size=DESKTOP):
    """Signs whoever is signed in out, and `phone` in."""
    j.driver.set_window_size(*size)
    j.open("/queues/received")
    if j.driver.find_elements(By.CSS_SELECTOR, 'form[action="/logout"]'):
        j.submit("/logout")
    # Every journey signs in from 127.0.0.1, as a whole office behind one address would: past the portal's limit the
    # page says how long to wait, and the officer waits that long and tries again, as a person would.
    for _ in range(4):
        j.open("/login")
        j.fill("phone", phone)
        j.fill("password", "demo1234")
        j.submit("/login")
        waiting = re.search(r"try again in (\d+) seconds|thử lại sau (\d+) giây", j.text())
        if "/login" not in j.driver.current_url or not waiting:
            break
        time.sleep(int(waiting.group(1) or waiting.group(2)) + 1)
    j.wait_for(lambda: "/login" not in j.driver.current_url, f"{phone} could not sign in at the console")


def choose(j, field, person):
    select = Select(j.driver.find_element(By.NAME, field))
    names = [option.text for option in select.options]
    matching = [name for name in names if name.startswith(person)]
    expect(matching, f"{field} does not offer {person}: {names}")
    select.select_by_visible_text(matching[0])


def steps(j):
    """The dossier the console journey received goes through its steps: the counter hands it to the commune's
    specialist, who drafts the result (a PDF) and submits it to the chairman; the chairman signs it on a phone with
    the authenticator's code; the counter returns the result, and the process control sheet lists every handover."""
    leader = json.load(open(os.environ["LEADER_STATE"]))
    dossier, code = j.state["dossier"], j.state["code"]
    # The fee in cash at the counter: payments records it and its receipt prints from the page.
    j.open(dossier)
    expect(j.driver.find_elements(By.CSS_SELECTOR, f'form[action="{dossier[len(j.portal):]}/fee"]'), f"{code}'s page offers no cash payment")
    j.submit(f"{dossier[len(j.portal):]}/fee")
    j.wait_for(lambda: "Đã nộp đủ." in j.text(), f"the cash paid for {code} is not shown as paid")
    j.click(By.PARTIAL_LINK_TEXT, "In biên lai")
    j.wait_for(lambda: "BIÊN LAI THU PHÍ, LỆ PHÍ" in j.text() and code in j.text(), f"the receipt of {code} did not open")
    j.shot("console-receipt")
    j.open(dossier)
    choose(j, "startProcessing-assignTo", "Đỗ Minh Đức")
    j.submit(f"{dossier[len(j.portal):]}/actions")
    j.wait_for(lambda: "Đã lưu: Chuyển xử lý." in j.text(), f"handing {code} to the specialist did not come back saved")
    current = j.driver.find_element(By.CSS_SELECTOR, 'table.process tr[aria-current="step"]').text
    expect("Công chức chuyên môn thẩm định" in current, f"{code} is not at the review step: {current!r}")
    j.shot("console-steps")

    sign_in(j, "0911000004")
    j.open(dossier)
    result = os.path.join(j.shots, "ket-qua.pdf")
    open(result, "wb").write(PDF)
    j.driver.find_element(By.NAME, "draft-file").send_keys(result)
    j.fill("draft-number", "9/2026/XNCT")
    j.fill("draft-signer", "Chủ tịch UBND xã Hòn Tre")
    choose(j, "draft-leader", "Lê Văn Cường")
    j.shot("console-draft")
    j.submit(f"{dossier[len(j.portal):]}/result-draft")
    j.wait_for(lambda: "Đã trình ký kết quả." in j.text() and "Chờ Lê Văn Cường" in j.text(), f"the result of {code} was not submitted for signing")

    sign_in(j, "0911000002", PHONE)
    j.open("/desk")
    j.wait_for(lambda: code in j.text(), f"the chairman's desk does not list {code}'s result")
    card = j.driver.find_element(By.XPATH, f"//article[contains(@class, 'sign-request')][contains(., '{code}')]")
    request = card.find_element(By.CSS_SELECTOR, "form[action$='/approve']")
    field = request.find_element(By.CSS_SELECTOR, "input[name^='code-']").get_attribute("name")
    # A code of a step after the one the desk journey used (each is good once).
    while int((time.time() + 30) // 30) <= leader["lastStep"]:
        time.sleep(1)
    j.fill(field, totp(leader["leaderSecret"], time.time() + 30))
    page = j.driver.find_element(By.TAG_NAME, "html")
    request.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    j.wait_for(lambda: gone(j.driver, page) and "Đã ký." in j.text(), f"the chairman's code did not sign {code}'s result")
    j.driver.save_screenshot(os.path.join(j.shots, "console-steps-signed-phone.png"))

    sign_in(j, "0911000001")
    j.open(dossier)
    j.wait_for(lambda: (j.driver.refresh() or True) and "Đã có kết quả" in j.text(), f"{code} did not become ready once signed", seconds=30)
    j.click(By.XPATH, "//form[.//input[@name='action' and @value='deliver']]//button[@type='submit']")
    j.wait_for(lambda: "Đã lưu: Trả kết quả." in j.text(), f"returning {code}'s result did not come back saved")
    handovers = j.driver.find_element(By.CSS_SELECTOR, "table.handovers").text
    for who in ("Trần Thị Bích", "Đỗ Minh Đức", "Lê Văn Cường"):
        expect(who in handovers, f"the handovers of {code} do not name {who}: {handovers!r}")
    j.shot("console-steps-done")


def agencies(j):
    """A walk-in land registration at Kiên Hải district's counter, found by typing without diacritics and received with
    its slip; handed on, it goes to the province's land department, whose specialist finds it in their queue while the
    district's officer is refused its page; sent back with a reason, it is the district's again."""
    sign_in(j, "0911000005")
    j.open("/intake?q=dang+ky+dat+dai+lan+dau")
    j.wait_for(lambda: j.driver.find_elements(By.CSS_SELECTOR, 'a[href="/intake/1.004227"]'), "the intake search does not find the land registration")
    j.open("/intake/1.004227")
    j.fill("fullName", "Trương Văn Lộc")
    j.fill("citizenId", "091090000777")
    j.fill("phone", "0913 777 888")
    j.fill("address", "Ấp Bãi Ngự, xã Hòn Tre, huyện Kiên Hải")
    j.shot("console-intake")
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.CSS_SELECTOR, 'button[name="decision"][value="receive"]')
    j.wait_for(lambda: gone(j.driver, page) and "Đã lưu: Tiếp nhận hồ sơ." in j.text(), "the walk-in land registration was not received")
    dossier = j.driver.current_url.split("?")[0]
    path = dossier[len(j.portal):]
    code = j.driver.find_element(By.TAG_NAME, "h1").text.split()[0]
    j.submit(f"{path}/actions")  # the first form: start processing, handed to whoever of the review step takes it
    j.wait_for(lambda: "Đã lưu: Chuyển xử lý." in j.text(), f"{code} did not go on to the review step")
    j.open(path)
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.XPATH, "//form[.//input[@name='action' and @value='forward']]//button[@type='submit']")
    j.wait_for(lambda: gone(j.driver, page) and j.driver.execute_script("return document.readyState") == "complete",
               f"handing {code} on did not answer")
    # Handed to the land department, the district's officer may no longer open it.
    j.open(path)
    j.wait_for(lambda: "Không có quyền" in j.text() or "Không tìm thấy" in j.text(), f"the district's officer still opens {code} at the land department")

    sign_in(j, "0911000007")
    j.open("/queues/received")
    j.wait_for(lambda: code in j.text(), f"the land department's queue does not list {code}")
    j.open(path)
    current = j.driver.find_element(By.CSS_SELECTOR, 'table.process tr[aria-current="step"]').text
    expect("Sở Tài nguyên và Môi trường kiểm tra hồ sơ địa chính" in current, f"{code} is not at the land department's step: {current!r}")
    j.shot("console-inter-agency")
    j.fill("sendBack-comment", "Sơ đồ thửa đất không khớp bản đồ địa chính")
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.XPATH, "//form[.//input[@name='action' and @value='sendBack']]//button[@type='submit']")
    j.wait_for(lambda: gone(j.driver, page) and j.driver.execute_script("return document.readyState") == "complete", f"sending {code} back did not answer")

    sign_in(j, "0911000005")
    j.open(path)
    j.wait_for(lambda: "Trả lại: Sơ đồ thửa đất không khớp bản đồ địa chính" in j.text(), f"{code} is not back at the district with the reason")


# Vietnamese letters to their bare Latin letters, as an officer types a name without diacritics.
FOLD = str.maketrans("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
                     "AAAAAAAAAAAAAAAAADEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYaaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy")


def filters(j):
    """The Hòn Tre officer finds the dossier the console journey received by typing its applicant's name without
    diacritics in the queue's search, then downloads exactly that list as CSV, which Excel reads as UTF-8."""
    code, name = j.state["code"], j.state["applicant"]
    # Still signed in as the console journey left it (the steps journey goes on with that session).
    j.open("/queues/received")
    expect("/login" not in j.driver.current_url, "the console journey's session did not last")
    folded = name.translate(FOLD).lower()
    j.fill("q", folded)
    page = j.driver.find_element(By.TAG_NAME, "html")
    j.click(By.CSS_SELECTOR, 'form.filters button[type="submit"]')
    j.wait_for(lambda: gone(j.driver, page) and code in j.text(), f"searching {folded!r} does not find {code}")
    rows = j.driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    # The demo's random names may give someone else the same name; nobody else's name is listed.
    words = folded.split()
    def fold(text):
        return text.translate(FOLD).lower()
    expect(all(all(word in fold(row.text).split() for word in words) for row in rows),
           f"the search for {folded!r} lists other applicants: {[row.text[:60] for row in rows]}")
    j.shot("console-search")
    link = j.driver.find_element(By.CSS_SELECTOR, "a[download]").get_attribute("href")
    request = urllib.request.Request(link)
    request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in j.driver.get_cookies()))
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    expect(body.startswith(b"\xef\xbb\xbf"), "the CSV does not start with the UTF-8 byte order mark Excel needs")
    text = body.decode("utf-8-sig")
    expect(text.splitlines()[0].startswith("Mã hồ sơ") and code in text and len(text.splitlines()) == 1 + len(rows),
           f"the CSV is not the list shown: {text[:300]!r}")


def overdue(j):
    """Hòn Tre's chairman, on a phone, opens the overdue queue: every row's due date is red and says how many working
    days late; the first dossier gets a letter of apology with a new appointment date, and its form 04 prints."""
    sign_in(j, "0911000002", PHONE)
    j.open("/queues/overdue")
    rows = j.driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    expect(rows, "the overdue queue is empty: the demo year left no late dossier at Hòn Tre")
    late = j.driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr td.late")
    expect(len(late) == len(rows), f"{len(rows)} overdue rows but {len(late)} due dates marked late")
    expect(all("Quá hạn" in cell.text for cell in late), f"a late due date does not say so: {[cell.text for cell in late[:3]]}")
    red, green, blue = [int(x) for x in re.findall(r"\d+", late[0].value_of_css_property("color"))[:3]]
    expect(red > 120 and red > 2 * green and red > 2 * blue, f"a late due date is not shown red: rgb({red}, {green}, {blue})")
    j.shot("console-overdue")
    code = rows[0].find_element(By.CSS_SELECTOR, "a").text
    j.click(By.LINK_TEXT, code)
    j.wait_for(lambda: code in j.text() and j.driver.find_elements(By.CSS_SELECTOR, 'form[action$="/apology"]'),
               f"{code}'s page offers the chairman no apology")
    action = j.driver.find_element(By.CSS_SELECTOR, 'form[action$="/apology"]').get_attribute("action")
    action = action[len(j.portal):] if action.startswith(j.portal) else action
    j.fill("apology-reason", "Chờ kết quả xác minh của cơ quan khác")
    later = time.strftime("%Y-%m-%d", time.localtime(time.time() + 14 * 86400))
    # A date input takes its value in the browser's own format when typed; set as the form sends it.
    j.driver.execute_script("arguments[0].value = arguments[1]", j.driver.find_element(By.NAME, "apology-newAppointment"), later)
    j.submit(action)
    j.wait_for(lambda: "Đã gửi phiếu xin lỗi và ngày hẹn mới." in j.text(), f"the apology for {code} was not sent: {j.text()[:300]}")
    j.click(By.PARTIAL_LINK_TEXT, "Phiếu xin lỗi, hẹn lại (04)")
    day = "/".join(reversed(later.split("-")))
    j.wait_for(lambda: "XIN LỖI" in j.text().upper() and code in j.text() and day in j.text(),
               f"form 04 for {code} does not print with the new date {day}")
    j.shot("console-apology-slip")


def bulk(j):
    """Hòn Tre's chairman, on a phone, narrows the in-progress queue to the dossiers that came by post and hands all of
    them to one officer at once: the work runs in the background, its progress page fills up by itself, and the queue
    then names that officer on every row."""
    sign_in(j, "0911000002", PHONE)
    for channel in ("post", "online", "counter"):
        j.open(f"/queues/received?channel={channel}")
        buttons = j.driver.find_elements(By.CSS_SELECTOR, 'button[name="scope"][value="all"]')
        if buttons:
            break
    expect(buttons, "no in-progress list at Hòn Tre holds two dossiers or more to assign together")
    total = int(re.search(r"(\d+)", buttons[0].text).group(1))
    select = Select(j.driver.find_element(By.NAME, "officer"))
    person = select.options[-1].text
    select.select_by_visible_text(person)
    page = j.driver.find_element(By.TAG_NAME, "html")
    buttons[0].click()
    j.wait_for(lambda: gone(j.driver, page) and "/bulk/" in j.driver.current_url, "assigning the whole list did not open its progress page")
    j.wait_for(lambda: "Xong: đã giao" in j.text(), f"the bulk assignment of {total} dossiers did not finish: {j.text()[:300]}", seconds=60)
    expect(f"Xong: đã giao {total} trên {total} hồ sơ." in j.text(), f"not every dossier was assigned: {j.text()[:400]}")
    j.shot("console-bulk-progress")
    j.click(By.LINK_TEXT, "Về hàng đợi")
    j.open(f"/queues/received?channel={channel}")
    rows = j.driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    expect(rows and all(person in row.text for row in rows), f"the queue does not name {person} on every row: {[row.text[:80] for row in rows[:3]]}")


def supplement(j):
    """The citizen submits another dossier; Hòn Tre's counter officer, in the console, asks for one more document with
    a deadline before receiving it; the citizen sees the request on the portal, uploads the document, and the dossier
    is back in the officer's hands waiting for intake, the request and the answer in its history."""
    submit(j)
    dossier, code = j.state["dossier"], j.state["code"]
    officer = Journey(os.environ["CONSOLE"], j.sandbox, j.shots, os.environ["CONSOLE_STATE"])
    try:
        sign_in(officer, "0911000001")
        officer.open(f"/dossiers/{dossier}")
        officer.wait_for(lambda: code in officer.text(), f"{code} does not open in the console")
        forms = officer.driver.find_elements(By.XPATH, '//form[.//input[@name="action" and @value="requestSupplement"]]')
        expect(forms, f"{code}'s page offers the officer no supplement request")
        officer.fill("requestSupplement-documents", "Bản sao sổ hộ khẩu của chủ hộ")
        deadline = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
        officer.driver.execute_script("arguments[0].value = arguments[1]", officer.driver.find_element(By.NAME, "requestSupplement-deadline"), deadline)
        officer.fill("requestSupplement-comment", "Thiếu giấy tờ chứng minh quan hệ với chủ hộ")
        page = officer.driver.find_element(By.TAG_NAME, "html")
        forms[0].find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        officer.wait_for(lambda: gone(officer.driver, page) and "Yêu cầu bổ sung" in officer.text(), f"the supplement request for {code} was not made")
        officer.shot("console-supplement-requested")

        j.open(f"/my/dossiers/{dossier}")
        j.wait_for(lambda: "Yêu cầu bổ sung hồ sơ" in j.text() and "Bản sao sổ hộ khẩu của chủ hộ" in j.text(),
                   f"the citizen does not see what {code} lacks")
        j.shot("10-supplement-request")
        path = os.path.join(j.shots, "uploads", "so-ho-khau.pdf")
        open(path, "wb").write(PDF)
        j.driver.find_element(By.NAME, "doc-0").send_keys(path)
        j.submit(f"/my/dossiers/{dossier}/supplement")
        j.wait_for(lambda: "Đã gửi giấy tờ bổ sung" in j.text(), f"the supplement for {code} was not sent")
        j.shot("11-supplement-sent")

        officer.open(f"/dossiers/{dossier}")
        def back():
            text = officer.text()
            # Listed with the dossier's documents, with its file to view.
            return "Mới đăng ký" in text and "Bản sao sổ hộ khẩu của chủ hộ Xem tệp" in text
        try:
            officer.wait_for(back, f"{code} is not back waiting for intake with the citizen's document")
        except SystemExit:
            print(officer.text()[-2500:], file=sys.stderr)
            raise
        officer.shot("console-supplement-answered")
    finally:
        officer.driver.quit()


def reports(j):
    """Hòn Tre's chairman reads the commune's Decision 766 figures for the demo year, each with the rule it is counted
    by and the dossiers behind it; the settlement report's total adds up; the register of dossiers prints."""
    sign_in(j, "0911000002", PHONE)
    start = time.strftime("%Y-%m-%d", time.localtime(time.time() - 365 * 86400))
    j.open(f"/reports/766?from={start}")
    j.wait_for(lambda: "Chỉ số phục vụ (Quyết định 766)" in j.text(), "the 766 page does not open")
    cards = j.driver.find_elements(By.CSS_SELECTOR, "article.figure")
    expect(len(cards) == 6, f"the 766 page shows {len(cards)} figures, not six")
    on_time = j.driver.find_element(By.ID, "onTime")
    shown = re.search(r"(\d+(?:\.\d+)*) trên (\d+(?:\.\d+)*) hồ sơ", on_time.text)
    expect(shown, f"the on-time figure does not say how many of how many: {on_time.text[:200]}")
    counted, total = (int(x.replace(".", "")) for x in shown.groups())
    expect(0 < counted < total, f"the demo year's on-time figure is {counted} of {total}: some late dossiers were expected")
    on_time.find_element(By.TAG_NAME, "summary").click()
    expect("lần thứ hai" in on_time.text, "the on-time rule (a second supplement counts as late) is not written next to the figure")
    expect(j.driver.find_elements(By.CSS_SELECTOR, "svg.chart"), "the 766 page draws no chart")
    j.shot("console-766")
    j.click(By.PARTIAL_LINK_TEXT, "Hồ sơ không đạt")
    j.wait_for(lambda: "hồ sơ không đạt" in j.text(), "the dossiers behind the on-time figure do not open")
    rows = j.driver.find_elements(By.CSS_SELECTOR, "table.report-dossiers tbody tr")
    expect(rows, "no late dossier is listed behind the on-time figure")
    late = [row for row in rows if "Trễ hạn" in row.text or re.search(r" [2-9]$", row.text)]
    expect(len(late) == len(rows), f"a dossier listed as late is neither late nor asked twice for a supplement: {[r.text for r in rows if r not in late][:2]}")
    expect(len(rows) == min(50, total - counted), f"{len(rows)} rows behind {total - counted} late dossiers")
    j.shot("console-766-dossiers")
    j.open(f"/reports/settlement?from={start}&by=procedure")
    j.wait_for(lambda: "Tổng cộng" in j.text(), "the settlement report does not open")
    cells = [cell.text.replace(".", "") for cell in j.driver.find_elements(By.CSS_SELECTOR, "table.report tfoot td")]
    carried, online, counter, post, received, early, on, late_, within, overdue, refused, withdrawn, stopped = (int(c) for c in cells)
    expect(received == carried + online + counter + post, f"received {received} is not carried over plus new: {cells}")
    expect(received == early + on + late_ + within + overdue + refused + withdrawn + stopped, f"the settlement report does not add up: {cells}")
    j.shot("console-settlement")
    j.open("/reports/register")
    j.wait_for(lambda: "Sổ theo dõi hồ sơ" in j.text() and "hồ sơ tiếp nhận" in j.text(), "the register of dossiers does not open")
    j.shot("console-register")


def staff(j):
    """The province's admin creates an officer for Hòn Tre; the officer signs in and works that commune only; the admin
    disables the account and the officer's very next page is the sign-in, which says the account was disabled."""
    phone = "0911" + time.strftime("%H%M%S")
    sign_in(j, "0911000009")
    j.open(f"/admin/staff/new?agency={HON_TRE}")
    j.wait_for(lambda: "Thêm tài khoản cán bộ" in j.text(), "the new staff account form does not open")
    j.fill("fullName", "Cao Thị Mới")
    j.fill("phone", phone)
    j.fill("password", "mat khau moi 1")
    j.shot("console-staff-new")
    j.submit("/admin/staff")
    j.wait_for(lambda: "Đã tạo tài khoản" in j.text() and "Cao Thị Mới" in j.text(), f"the account was not created: {j.text()[:300]}")
    j.shot("console-staff-list")
    account = j.driver.find_element(By.LINK_TEXT, "Cao Thị Mới").get_attribute("href")

    officer = Journey(j.portal, j.sandbox, j.shots, j.state_file + ".officer")
    try:
        officer.open("/login")
        officer.fill("phone", phone)
        officer.fill("password", "mat khau moi 1")
        officer.submit("/login")
        officer.wait_for(lambda: "/queues/" in officer.driver.current_url, f"the new officer could not sign in: {officer.text()[:300]}")
        expect("Cao Thị Mới" in officer.text() and "Hòn Tre" in officer.text(), "the new officer's frame does not name them and their commune")
        officer.open("/reports/766?agency=H33")
        officer.wait_for(lambda: "000.55.01.H33" in officer.text(), "the province's reports were not refused to a commune officer")
        officer.open("/queues/received")

        j.open(account)
        j.wait_for(lambda: "Khóa tài khoản" in j.text(), "the account page offers no way to disable it")
        action = account[len(j.portal):] + "/disable"
        j.submit(action)
        j.wait_for(lambda: "Đã khóa tài khoản" in j.text(), "the account was not disabled")
        j.shot("console-staff-disabled")

        def shut_out():
            officer.open("/queues/received")
            return "/login" in officer.driver.current_url
        officer.wait_for(shut_out, "the disabled officer still sees the queue", seconds=20)
        officer.fill("phone", phone)
        officer.fill("password", "mat khau moi 1")
        officer.submit("/login")
        officer.wait_for(lambda: "đã bị quản trị viên khóa" in officer.text(), "signing in again does not say the account was disabled")
        officer.shot("console-staff-refused")
    finally:
        officer.driver.quit()


def official(j):
    """An outgoing document from Hòn Tre: composed with its file and two recipients, signed by the chairman on a phone
    with the authenticator's code, numbered and dispatched; Kiên Hải district and the land department acknowledge it."""
    leader = json.load(open(os.environ["LEADER_STATE"]))
    district, land = "000.00.55.H33", "000.00.06.H33"
    excerpt = "V/v rà soát thủ tục hành chính sau sắp xếp đơn vị hành chính " + time.strftime("%H%M%S")
    sign_in(j, "0911000001")
    j.open("/official/new")
    j.wait_for(lambda: "Soạn văn bản đi" in j.text(), "the compose form does not open")
    path = os.path.join(j.shots, "uploads", "cong-van-di.pdf")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(PDF)
    j.driver.find_element(By.NAME, "file").send_keys(path)
    j.fill("excerpt", excerpt)
    j.fill("signer", "Chủ tịch Lê Văn Cường")
    for summary in j.driver.find_elements(By.CSS_SELECTOR, "fieldset.recipients details:not([open]) > summary"):
        summary.click()
    for code in (district, land):
        j.click(By.ID, f"to-{code}")
    j.shot("console-official-compose")
    j.submit("/official/new")
    j.wait_for(lambda: "Chờ lãnh đạo ký" in j.text(), f"the document was not sent for signature: {j.text()[:300]}")
    draft = j.driver.current_url

    sign_in(j, "0911000002", PHONE)
    j.open("/desk")
    j.wait_for(lambda: excerpt in j.text(), "the chairman's desk does not list the document")
    card = j.driver.find_element(By.XPATH, f"//article[contains(@class, 'sign-request')][contains(., '{excerpt}')]")
    form = card.find_element(By.CSS_SELECTOR, "form[action$='/approve']")
    field = form.find_element(By.CSS_SELECTOR, "input[name^='code-']").get_attribute("name")
    # A step of the authenticator no earlier journey used (each code is good once).
    while int((time.time() + 30) // 30) <= leader["lastStep"] + 1:
        time.sleep(1)
    j.fill(field, totp(leader["leaderSecret"], time.time() + 30))
    page = j.driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    j.wait_for(lambda: gone(j.driver, page) and "Đã ký." in j.text(), "the chairman's code did not sign the document")
    j.shot("console-official-signed")

    sign_in(j, "0911000001")
    j.open(draft)
    j.wait_for(lambda: "Đã ký, chờ cấp số" in j.text(), "the signed draft does not offer its number")
    j.submit(draft[len(j.portal):] + "/number")
    j.wait_for(lambda: "Đã cấp số" in j.text(), "the document was not numbered")
    symbol = re.search(r"(\d+/UBND-VP)", j.text()).group(1)
    document = j.driver.current_url.split("?")[0]
    j.submit(document[len(j.portal):] + "/dispatch")
    j.wait_for(lambda: "Đã phát hành" in j.text(), "the document was not dispatched")
    expect(j.text().count("Chưa nhận") == 2, f"two recipients should be waiting: {j.text()[:500]}")

    for phone in ("0911000005", "0911000007"):
        sign_in(j, phone, PHONE)
        j.open("/official/incoming")
        j.wait_for(lambda: symbol in j.text(), f"{phone}'s incoming register does not list {symbol}")
        # The incoming register's first cell is the agency's own number; the row is the one with the document's symbol.
        j.click(By.XPATH, f"//table[contains(@class, 'register')]//tr[contains(., '{symbol}')]//a")
        j.wait_for(lambda: "Xác nhận đã nhận văn bản" in j.text(), f"{symbol} offers {phone} no acknowledgement")
        j.submit(document[len(j.portal):] + "/acknowledge")
        j.wait_for(lambda: "Đã xác nhận nhận văn bản." in j.text(), f"{phone} could not acknowledge {symbol}")
        j.shot(f"console-official-acknowledged-{phone}")

    sign_in(j, "0911000001")
    j.open(document)
    j.wait_for(lambda: symbol in j.text() and "Chưa nhận" not in j.text(), "the sender does not see both acknowledgements")
    j.shot("console-official-sender")


def catalog(j):
    """The province's admin raises the fee of acknowledging a parent (1.001022) in the console: the procedure's new
    version; a dossier received at Hòn Tre before keeps the fee it came in under, one received after pays the new one."""
    portal, single_window = os.environ["CATALOG_PORTAL"], os.environ["CATALOG_SW"]
    status, tokens = api("POST", portal + "/api/v1/token", body={"grantType": "password", "phone": "0911000001", "password": "demo1234"})
    expect(status == 200, f"the officer's password grant was refused: {tokens}")
    officer = tokens["accessToken"]
    def receive():
        status, dossier = api("POST", single_window + "/v1/dossiers", officer, {
            "procedureCode": "1.001022", "agencyCode": HON_TRE, "channel": "counter",
            "applicant": {"kind": "person", "fullName": "Lâm Văn Phí", "citizenId": "091095001022", "phone": "0912 100 022", "address": "Ấp Bãi Nhà, xã Hòn Tre"},
            "attachments": [{"documentName": "Tờ khai đăng ký nhận cha, mẹ, con"}, {"documentName": "Chứng cứ chứng minh quan hệ cha, mẹ, con"}],
            "delivery": {"method": "counter"}})
        expect(status == 201, f"the counter intake was refused: {status} {dossier}")
        return dossier["code"]
    def owed(code):
        status, fees = api("GET", f"{single_window}/v1/dossiers/by-code/{code}/fees", officer)
        expect(status == 200, f"{code}'s fees could not be read: {status} {fees}")
        return [item["amount"] for item in fees["items"]]
    before = receive()
    old = owed(before)
    expect(old and all(amount > 0 for amount in old), f"the procedure charges no fee: {old}")

    sign_in(j, "0911000009")
    j.open("/admin/catalog?q=nhan+cha+me+con")
    j.click(By.LINK_TEXT, "1.001022")
    j.wait_for(lambda: "Công bố phiên bản mới" in j.text(), "the procedure's editor does not open")
    fees = j.driver.find_element(By.NAME, "fees")
    raised = ";".join(f"{part.split('=')[0]}={int(part.split('=')[1]) + 5000}" for part in fees.get_attribute("value").split(";") if "=" in part)
    fees.clear()
    fees.send_keys(raised)
    j.submit("/admin/catalog/1.001022")
    j.wait_for(lambda: "Đã công bố phiên bản mới" in j.text(), f"the new fee was not published: {j.text()[:300]}")
    j.shot("console-catalog-published")

    expect(owed(before) == old, f"the dossier received before now owes {owed(before)}, not its {old}")
    after = receive()
    expect(owed(after) == [amount + 5000 for amount in old], f"a new dossier owes {owed(after)}, not the new fee")


if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[1] not in ("register", "submit", "kiosk", "pay", "frame", "console", "desk", "steps", "agencies", "filters",
                                                 "overdue", "bulk", "supplement", "reports", "staff", "official", "catalog"):
        fail(__doc__)
    journey = Journey(*sys.argv[2:6])
    try:
        {"register": register, "submit": submit, "kiosk": kiosk, "pay": pay, "frame": frame, "console": console, "desk": desk,
         "steps": steps, "agencies": agencies, "filters": filters, "overdue": overdue, "bulk": bulk,
         "supplement": supplement, "reports": reports, "staff": staff, "official": official, "catalog": catalog}[sys.argv[1]](journey)
    except WebDriverException as error:
        # Selenium's own text ends in chromedriver's native stack; the cause is its first line, so it goes last.
        fail(f"{sys.argv[1]}: {type(error).__name__}: {first_line(error)}")
    finally:
        journey.driver.quit()
