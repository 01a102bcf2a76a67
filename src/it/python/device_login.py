"""`hf auth login` with "Log in with your browser" (RFC 8628 device authorization) against Atrium: the real CLI in a
process without a terminal (so it takes the browser path, as it does by default in one), and the approval page driven
over HTTP as a browser would (sign in, open the printed link, approve or deny).

Environment: HF_ENDPOINT, HF_TOKEN (alice's write token), ALICE_PASSWORD, WORKDIR. Prints one JSON line.
"""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

try:
    import httpx  # huggingface_hub 1.x depends on it
except ImportError:
    import httpx2 as httpx  # 2.x depends on its successor, which keeps the API
from huggingface_hub import HfApi  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
HF = os.path.join(os.path.dirname(sys.executable), "hf")
CODE = re.compile(r"enter the code: ([A-Z]{4}-[A-Z]{4})")
URL = re.compile(r"(https?://\S+/device\?user_code=\S+)")


class Login:
    """`hf auth login` in its own HF_HOME, its output read on a thread until it prints the link and the code."""

    def __init__(self, home):
        env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_HOME")}
        env.update(HF_HOME=str(home), PYTHONUNBUFFERED="1")
        self.home = home
        self.proc = subprocess.Popen([HF, "auth", "login"], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.shown = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        it.check(self.shown.wait(60), "hf auth login printed no code: " + "".join(self.lines))
        text = "".join(self.lines)
        self.code = CODE.search(text).group(1)
        self.url = URL.search(text).group(1)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            text = "".join(self.lines)
            if CODE.search(text) and URL.search(text):
                self.shown.set()

    def finish(self):
        rc = self.proc.wait(timeout=60)
        return rc, "".join(self.lines)


class Browser:
    """A cookie-keeping HTTP client standing in for the browser: the pages are plain forms."""

    def __init__(self):
        self.http = httpx.Client(follow_redirects=True, timeout=30)
        self.csrf = None

    def sign_in(self, name, password, next_path):
        r = self.http.post(ENDPOINT + "/login", data={"name": name, "password": password, "next": next_path})
        it.check_equal(r.status_code, 200, "sign in: " + r.text[:300])
        return r

    def decide(self, page, code, decision, with_csrf=True):
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        it.check(csrf is not None, "the page carries a CSRF token")
        self.csrf = csrf.group(1)
        form = {"user_code": code, "decision": decision}
        if with_csrf:
            form["csrf"] = csrf.group(1)
        return self.http.post(ENDPOINT + "/device", data=form)


def oauth(path, **form):
    return httpx.post(ENDPOINT + path, data=form, timeout=30)


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    alice = HfApi(token=os.environ["HF_TOKEN"])

    it.step("hf auth login without a terminal asks for a device code and prints the page and the code")
    login = Login(work / "home-approve")
    it.check_equal(login.url, f"{ENDPOINT}/device?user_code={login.code}", "the link fills in the code")

    it.step("the link sends a signed-out browser to log in, and back to the page with its code")
    browser = Browser()
    r = browser.http.get(login.url)
    it.check_equal(r.url.path, "/login", "signed out: the login form")
    next_path = r.url.params["next"]
    it.check_equal(next_path, f"/device?user_code={login.code}", "next keeps the code")
    page = browser.sign_in("alice", os.environ["ALICE_PASSWORD"], next_path)
    it.check_equal((page.url.path, page.url.params.get("user_code")), ("/device", login.code), "back on the page")
    it.check(login.code in page.text and "alice" in page.text, "the page shows the code and who approves")

    it.step("a decision without the session's CSRF token is refused and changes nothing")
    r = browser.decide(page, login.code, "approve", with_csrf=False)
    it.check_equal(r.status_code, 403, "no CSRF token")
    it.check(login.proc.poll() is None, "the CLI still waits")

    it.step("approve: the CLI receives a token, saves it and is logged in as alice")
    r = browser.decide(page, login.code, "approve")
    it.check_equal(r.status_code, 200, "approve: " + r.text[:300])
    it.check("logged in as" in r.text, "the page confirms")
    rc, output = login.finish()
    it.check_equal(rc, 0, "hf auth login exit code; output:\n" + output)
    token = (login.home / "token").read_text().strip()
    it.check(token.startswith("hf_"), "a token is saved in HF_HOME")
    who = subprocess.run([HF, "auth", "whoami"], capture_output=True, text=True, timeout=60,
                         env={**{k: v for k, v in os.environ.items() if k != "HF_TOKEN"},
                              "HF_HOME": str(login.home)})
    it.check_equal(who.returncode, 0, "hf auth whoami: " + who.stderr)
    it.check("alice" in who.stdout, "hf auth whoami names alice: " + who.stdout)

    it.step("the new token writes: create a repo and upload to it")
    logged_in = HfApi(token=token)
    logged_in.create_repo("alice/from-device-login")
    logged_in.upload_file(path_or_fileobj=b"uploaded after a browser login\n", path_in_repo="hello.txt",
                          repo_id="alice/from-device-login")
    it.check_equal(Path(alice.hf_hub_download("alice/from-device-login", "hello.txt",
                                              cache_dir=work / "cache")).read_bytes(),
                   b"uploaded after a browser login\n", "round trip")
    listed = httpx.get(ENDPOINT + "/api/settings/tokens", headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
                       ).json()
    names = [t["name"] for t in listed]
    it.check(any(n and n.startswith("Browser login, ") for n in names), "listed among alice's tokens: %s" % names)

    it.step("the code is used up: the page and another approval say so")
    r = browser.http.get(login.url)
    it.check_equal(r.status_code, 404, "a used code")
    it.check("No login is waiting for this code" in r.text, "and says why")

    it.step("deny: the CLI stops with the refusal, and no token is saved")
    denied = Login(work / "home-deny")
    page = browser.http.get(denied.url)
    it.check(denied.code in page.text, "signed in already: the page shows the code")
    r = browser.decide(page, denied.code, "deny")
    it.check_equal(r.status_code, 200, "deny")
    it.check("Refused" in r.text, "the page confirms the refusal")
    rc, output = denied.finish()
    it.check(rc != 0, "hf auth login fails after a refusal; output:\n" + output)
    it.check("denied" in output.lower(), "and says it was denied: " + output)
    it.check(not (denied.home / "token").exists(), "no token saved")

    it.step("a typed code: lower case and without the dash finds the request")
    typed = Login(work / "home-typed")
    page = browser.http.get(ENDPOINT + "/device")
    it.check('name="user_code"' in page.text, "an empty page asks for the code")
    page = browser.http.get(ENDPOINT + "/device", params={"user_code": typed.code.replace("-", "").lower()})
    it.check(typed.code in page.text, "found")
    browser.decide(page, typed.code, "approve")
    rc, output = typed.finish()
    it.check_equal(rc, 0, "typed code login; output:\n" + output)

    it.step("bad input gets OAuth's errors and changes nothing")
    r = oauth("/oauth/device")
    it.check_equal((r.status_code, r.json()["error"]), (400, "invalid_request"), "no client_id")
    r = oauth("/oauth/token", grant_type="refresh_token", refresh_token="x", client_id="c")
    it.check_equal((r.status_code, r.json()["error"]), (400, "unsupported_grant_type"), "refresh grant")
    r = oauth("/oauth/token", grant_type="urn:ietf:params:oauth:grant-type:device_code", device_code="nope",
              client_id="c")
    it.check_equal((r.status_code, r.json()["error"]), (400, "invalid_grant"), "unknown device code")
    it.check_equal(r.headers.get("cache-control"), "no-store", "token answers are not cached")
    r = browser.http.get(ENDPOINT + "/device", params={"user_code": "BBBB-BBBB"})
    it.check_equal(r.status_code, 404, "an unknown code")
    r = browser.http.post(ENDPOINT + "/device", data={"user_code": "BBBB-BBBB", "decision": "approve",
                                                      "csrf": browser.csrf})
    it.check_equal(r.status_code, 404, "approving an unknown code")

    it.step("trying codes: past ten wrong ones the page stops looking them up, even a right one (RFC 8628 5.1)")
    waiting = Login(work / "home-guessed")
    # Three misses above (the used-up code, the unknown one twice): seven more make ten.
    for letter in "CDFGHJK":
        it.check_equal(browser.http.get(ENDPOINT + "/device", params={"user_code": "BBBB-BBB" + letter})
                       .status_code, 404, "a wrong code")
    r = browser.http.get(ENDPOINT + "/device", params={"user_code": waiting.code})
    it.check_equal(r.status_code, 429, "the eleventh code is not looked up")
    it.check("Too many codes" in r.text and waiting.code not in r.text, "and the page says why")
    r = browser.http.post(ENDPOINT + "/device", data={"user_code": waiting.code, "decision": "approve",
                                                      "csrf": browser.csrf})
    it.check_equal(r.status_code, 429, "nor approved")
    waiting.proc.kill()
    return {"code": login.code}


it.run(main)
