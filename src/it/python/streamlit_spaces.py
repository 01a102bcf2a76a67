"""Streamlit Spaces that the hub runs: what huggingface_hub reads and does (runtime stages, restart_space), the app
served through the hub with Streamlit's own page, a new commit replacing the running version, and the limit on
running apps. The browser side (the framed app, its WebSocket, an upload) is src/it/js/streamlit-space.mjs.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), TOKEN_BOB (bob, write), WORKDIR, HUB_DATA, PHASE (setup | new-version |
limit | requirements), WHEELS (requirements: the folder the hub's pip configuration finds packages in). Prints one JSON
line.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from space_common import app_url, get  # noqa: E402

ALICE = {"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
BOB = {"Authorization": "Bearer " + os.environ["TOKEN_BOB"]}
SPACE = "alice/counter"
# The hub's data folder: there for the hub, and for an app only if its sandbox let it out.
HUB_DATA = os.environ["HUB_DATA"]

APP = """import hashlib, os
import streamlit as st
from huggingface_hub import hf_hub_download
from helper import greeting

st.title("Counter, version %d")
st.write("answer:", 6 * 7)
st.write(greeting())
st.write("hub data visible:", os.path.exists(%r))
st.write("space id:", os.environ.get("SPACE_ID"))
st.write("greeting:", os.environ.get("GREETING"))
st.write("token length:", len(os.environ.get("API_TOKEN", "")))
st.write("from the hub:", open(hf_hub_download("alice/notes", "hello.txt")).read())
name = st.text_input("Your name")
if name:
    st.write("Hi " + name + "!")
upload = st.file_uploader("A file")
if upload is not None:
    st.write("sha256 " + hashlib.sha256(upload.getvalue()).hexdigest())
"""


def upload_version(api, space, version):
    api.upload_file(path_or_fileobj=(APP % (version, HUB_DATA)).encode(), path_in_repo="app.py", repo_id=space,
                    repo_type="space", commit_message="version %d" % version)


def setup(api):
    it.check(os.path.isdir(HUB_DATA), "the hub's data folder exists, so the app's view of it means something")
    it.step("a model the app will download from the hub (HF_ENDPOINT in its environment)")
    api.create_repo("alice/notes")
    api.upload_file(path_or_fileobj=b"notes from the hub", path_in_repo="hello.txt", repo_id="alice/notes")
    it.step("a Streamlit Space: created with space_sdk, an app that imports a module of its own")
    api.create_repo(SPACE, repo_type="space", space_sdk="streamlit",
                    space_variables=[{"key": "GREETING", "value": "hello from a variable", "description": "shown"}],
                    space_secrets=[{"key": "API_TOKEN", "value": "tok-1234567890"}])
    api.upload_file(path_or_fileobj=b"def greeting():\n    return 'helper says hi'\n", path_in_repo="helper.py",
                    repo_id=SPACE, repo_type="space")
    upload_version(api, SPACE, 1)
    it.step("it sleeps until its first visit")
    runtime = api.get_space_runtime(SPACE)
    it.check_equal((runtime.stage, runtime.hardware), ("SLEEPING", None), "runtime before a visit")
    it.check_equal(api.space_info(SPACE).sdk, "streamlit", "space_info sdk")

    it.step("the app's page comes from Streamlit through the hub, sandboxed, with the shim first in its head")
    url = app_url(SPACE, ALICE)
    page = get(url)
    it.check_equal(page.status_code, 200, "the app's page: " + page.text[:300])
    it.check("<title>Streamlit</title>" in page.text, "Streamlit's own page")
    it.check(page.text.index("Object.defineProperty(document, \"cookie\"") < page.text.index("<script type"),
             "the shim runs before Streamlit's scripts")
    it.check_equal(page.headers.get("content-security-policy", "").split(";")[0],
                   "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads allow-pointer-lock",
                   "sandboxed")
    health = get(url + "_stcore/health")
    it.check_equal((health.status_code, health.text), (200, "ok"), "Streamlit's health, forwarded")
    runtime = api.get_space_runtime(SPACE)
    it.check_equal((runtime.stage, runtime.hardware, runtime.raw.get("sha")),
                   ("RUNNING", "cpu-basic", api.space_info(SPACE).sha), "runtime once visited")

    it.step("variables and secrets: set at creation, listed (secrets without their value), writers only")
    variables = api.get_space_variables(SPACE)
    it.check_equal({k: (v.value, v.description) for k, v in variables.items()},
                   {"GREETING": ("hello from a variable", "shown")}, "get_space_variables")
    it.check(variables["GREETING"].updated_at is not None, "updatedAt parsed")
    secrets = api.get_space_secrets(SPACE)
    it.check_equal(list(secrets), ["API_TOKEN"], "get_space_secrets")
    raw = get("/api/spaces/%s/secrets" % SPACE, ALICE).json()
    it.check("value" not in raw["API_TOKEN"] and "tok-" not in str(raw), "a secret's value never comes back: %s" % raw)
    bob = HfApi(token=os.environ["TOKEN_BOB"])
    it.check_equal(list(bob.get_space_variables(SPACE)), ["GREETING"], "variables are public to readers")
    it.check_raises(HfHubHTTPError, lambda: bob.get_space_secrets(SPACE), "bob listing alice's secrets")
    it.check_raises(HfHubHTTPError, lambda: bob.add_space_secret(SPACE, "EVIL", "x"), "bob adding a secret")
    it.check_raises(HfHubHTTPError, lambda: api.add_space_variable(SPACE, "PATH", "/evil"), "a reserved name")
    it.check_raises(HfHubHTTPError, lambda: api.add_space_variable(SPACE, "API_TOKEN", "x"),
                    "a name that is already a secret")
    it.check_equal(list(api.get_space_variables(SPACE)), ["GREETING"], "nothing refused was stored")

    it.step("only writers may restart it")
    it.check_raises(HfHubHTTPError, lambda: HfApi(token=os.environ["TOKEN_BOB"]).restart_space(SPACE),
                    "bob restarting alice's Space")
    it.check_equal(api.get_space_runtime(SPACE).stage, "RUNNING", "still running after bob's attempt")


def new_version(api):
    it.step("a new commit: the running version is replaced at the next visit")
    runtime = api.get_space_runtime(SPACE)
    it.check_equal(runtime.stage, "RUNNING", "version 1 ran in the browser")

    it.step("fetch_space_logs: the app's output, for its writers")
    lines = list(api.fetch_space_logs(SPACE))
    it.check(any("You can now view your Streamlit app" in line for line in lines), "Streamlit's start: %s" % lines)
    it.check(all(line.endswith("\n") for line in lines), "lines as the Hub sends them")
    it.check_equal(list(api.fetch_space_logs(SPACE, build=True)), [], "nothing is built")
    it.check_raises(HfHubHTTPError, lambda: list(HfApi(token=os.environ["TOKEN_BOB"]).fetch_space_logs(SPACE)),
                    "bob reading alice's logs")
    upload_version(api, SPACE, 2)
    runtime = api.get_space_runtime(SPACE)
    it.check_equal((runtime.stage, runtime.raw.get("sha")), ("SLEEPING", api.space_info(SPACE).sha),
                   "the new head sleeps until visited")
    it.check_equal(get(app_url(SPACE, ALICE)).status_code, 200, "visiting starts version 2")
    it.check_equal(api.get_space_runtime(SPACE).stage, "RUNNING", "version 2 runs")

    it.step("changing a variable or a secret restarts the app with it")
    api.add_space_variable(SPACE, "GREETING", "hello again")
    it.check_equal(api.get_space_runtime(SPACE).stage, "SLEEPING", "a changed variable stops the app")
    api.delete_space_secret(SPACE, "API_TOKEN")
    it.check_equal(api.get_space_secrets(SPACE), {}, "the secret is gone")
    it.check_equal(get(app_url(SPACE, ALICE)).status_code, 200, "visited again")

    it.step("restart_space: stopped now, started again at the next visit")
    runtime = api.restart_space(SPACE)
    it.check_equal(runtime.stage, "SLEEPING", "restart_space's answer")
    it.check_equal(get(app_url(SPACE, ALICE)).status_code, 200, "visited again")
    it.check_equal(api.get_space_runtime(SPACE).stage, "RUNNING", "running again")

    it.step("duplicate_space: the copy has the variables, not the secrets, plus those given")
    api.add_space_secret(SPACE, "API_TOKEN", "tok-again")
    api.duplicate_space(SPACE, to_id="alice/counter-copy", secrets=[{"key": "COPY_SECRET", "value": "c"}])
    it.check_equal({k: v.value for k, v in api.get_space_variables("alice/counter-copy").items()},
                   {"GREETING": "hello again"}, "the copy's variables")
    it.check_equal(list(api.get_space_secrets("alice/counter-copy")), ["COPY_SECRET"], "the copy's secrets")
    api.delete_space_secret(SPACE, "API_TOKEN")

    it.step("pause_space: stopped, and not started by a visit until restart_space")
    it.check_raises(HfHubHTTPError, lambda: HfApi(token=os.environ["TOKEN_BOB"]).pause_space(SPACE), "bob pausing")
    it.check_equal(api.pause_space(SPACE).stage, "PAUSED", "pause_space's answer")
    paused = get(app_url(SPACE, ALICE))
    it.check_equal(paused.status_code, 404, "a paused app is not opened: " + paused.text[:200])
    it.check("paused" in paused.json()["error"], "and says why: " + paused.text[:200])
    it.check_equal(api.get_space_runtime(SPACE).stage, "PAUSED", "still paused after the visit")
    it.check_equal(api.restart_space(SPACE).stage, "SLEEPING", "restart_space unpauses")

    it.step("set_space_sleep_time: the runtime's sleep time")
    it.check_equal(api.get_space_runtime(SPACE).sleep_time, 3600, "the hub's default, --spaces-idle-minutes")
    it.check_equal(api.set_space_sleep_time(SPACE, 600).sleep_time, 600, "set_space_sleep_time's answer")
    it.check_equal(api.get_space_runtime(SPACE).sleep_time, 600, "kept")
    it.check_raises(HfHubHTTPError, lambda: api.set_space_sleep_time(SPACE, 5), "shorter than a minute")

    it.step("a private Streamlit Space: its app is not opened for others")
    api.create_repo("alice/hidden", repo_type="space", space_sdk="streamlit", private=True)
    upload_version(api, "alice/hidden", 1)
    api.upload_file(path_or_fileobj=b"def greeting():\n    return 'hidden'\n", path_in_repo="helper.py",
                    repo_id="alice/hidden", repo_type="space")
    it.check_equal(get("/spaces/alice/hidden/app", BOB).status_code, 404, "bob opening alice's private app")
    it.check_equal(get(app_url("alice/hidden", ALICE)).status_code, 200, "alice opens it")


def limit(api):
    it.step("with --spaces-limit 1, starting a second app stops the first")
    for name in ("alice/first", "alice/second"):
        api.create_repo(name, repo_type="space", space_sdk="streamlit")
        api.upload_file(path_or_fileobj=b"def greeting():\n    return 'hi'\n", path_in_repo="helper.py",
                        repo_id=name, repo_type="space")
        upload_version(api, name, 1)
    it.check_equal(get(app_url("alice/first", ALICE)).status_code, 200, "first app")
    it.check_equal(api.get_space_runtime("alice/first").stage, "RUNNING", "first runs")
    it.check_equal(get(app_url("alice/second", ALICE)).status_code, 200, "second app")
    it.check_equal((api.get_space_runtime("alice/first").stage, api.get_space_runtime("alice/second").stage),
                   ("SLEEPING", "RUNNING"), "the first was stopped for the second")

    it.step("a deleted Space's app stops with it")
    api.delete_repo("alice/second", repo_type="space")
    deadline = time.time() + 20
    while time.time() < deadline and any("alice/second" in line for line in processes()):
        time.sleep(0.5)
    it.check(not any("alice/second" in line for line in processes()), "no process left for the deleted Space")

    it.step("hardware: what the hub offers (--spaces-hardware), asked for at creation, changed by its writers")
    offered = api.list_spaces_hardware()
    it.check_equal([(h.name, h.pretty_name, h.cpu, h.ram, h.ephemeral_storage, h.accelerator) for h in offered],
                   [("cpu-basic", "CPU Basic", "2 vCPU", "16 GB", "50 GB", None),
                    ("tiny", "Tiny", "1 vCPU", "1 GB", "2 GB", None)], "list_spaces_hardware")
    it.check_raises(HfHubHTTPError, lambda: api.create_repo("alice/gpu", repo_type="space", space_sdk="streamlit",
                                                            space_hardware="a100-large"), "hardware the hub lacks")
    it.check(not api.repo_exists("alice/gpu", repo_type="space"), "and nothing was made")
    api.create_repo("alice/small", repo_type="space", space_sdk="streamlit", space_hardware="tiny",
                    space_sleep_time=7200)
    api.upload_file(path_or_fileobj=b"def greeting():\n    return 'hi'\n", path_in_repo="helper.py",
                    repo_id="alice/small", repo_type="space")
    upload_version(api, "alice/small", 1)
    runtime = api.get_space_runtime("alice/small")
    it.check_equal((runtime.stage, runtime.hardware, runtime.requested_hardware, runtime.sleep_time),
                   ("SLEEPING", None, "tiny", 7200), "asleep, on the hardware and with the sleep time it asked for")
    it.check_equal(get(app_url("alice/small", ALICE)).status_code, 200, "its app")
    runtime = api.get_space_runtime("alice/small")
    it.check_equal((runtime.stage, runtime.hardware), ("RUNNING", "tiny"), "runs on it")
    if os.geteuid() == 0:
        it.check_equal(memory_limits("alice/small"), {1 << 30}, "each of its processes is held to 1 GiB")

    bob = HfApi(token=os.environ["TOKEN_BOB"])
    it.check_raises(HfHubHTTPError, lambda: bob.request_space_hardware("alice/small", "cpu-basic"), "bob asking")
    lacking = it.check_raises(HfHubHTTPError, lambda: api.request_space_hardware("alice/small", "t4-medium"),
                              "hardware the hub lacks")
    it.check_equal(lacking.response.status_code, 400, "hardware the hub lacks")
    it.check("cpu-basic, tiny" in lacking.response.text, "the error names what it offers: " + lacking.response.text)
    runtime = api.request_space_hardware("alice/small", "cpu-basic")
    it.check_equal((runtime.stage, runtime.requested_hardware), ("SLEEPING", "cpu-basic"),
                   "request_space_hardware: stopped, to start on its new hardware at the next visit")
    it.check_equal(get(app_url("alice/small", ALICE)).status_code, 200, "its app again")
    it.check_equal(api.get_space_runtime("alice/small").hardware, "cpu-basic", "runs on it")
    if os.geteuid() == 0:
        it.check_equal(memory_limits("alice/small"), {16 << 30}, "held to 16 GiB now")


def memory_limits(space):
    """The memory limits of the control groups that hold the processes of a Space's app (cgroup v1 or v2)."""
    limits = set()
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                if ("SPACE_ID=" + space).encode() not in f.read().split(b"\0"):
                    continue
            with open("/proc/%s/cgroup" % pid) as f:
                groups = [line.strip().split(":", 2) for line in f]
        except OSError:
            continue
        v1 = [path for _, controllers, path in groups if "memory" in controllers.split(",")]
        if v1:
            limit = "/sys/fs/cgroup/memory%s/memory.limit_in_bytes" % v1[0]
        else:
            limit = "/sys/fs/cgroup%s/memory.max" % [path for number, _, path in groups if number == "0"][0]
        with open(limit) as f:
            limits.add(int(f.read()))
    it.check(limits, "the app of %s has processes" % space)
    return limits


def visit(url, seconds=180):
    """Opens an app as a browser would: a page that says it is building or starting is reloaded until it is done."""
    deadline = time.time() + seconds
    while True:
        page = get(url, {"Accept": "text/html"})
        if page.status_code != 503 or time.time() > deadline or "http-equiv=refresh" not in page.text:
            return page
        time.sleep(1)


def write_wheel(folder, name, version, module_source):
    """A pure-Python wheel made here, so that the build test needs no package index."""
    import base64
    import hashlib
    import zipfile
    dist = "%s-%s" % (name.replace("-", "_"), version)
    files = {
        "%s/__init__.py" % name.replace("-", "_"): module_source,
        "%s.dist-info/METADATA" % dist: "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version),
        "%s.dist-info/WHEEL" % dist: "Wheel-Version: 1.0\nGenerator: atrium-it\nRoot-Is-Purelib: true\n"
                                     "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(text.encode())))
    record.append("%s.dist-info/RECORD,," % dist)
    files["%s.dist-info/RECORD" % dist] = "\n".join(record) + "\n"
    with zipfile.ZipFile(os.path.join(folder, "%s-py3-none-any.whl" % dist), "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)


def requirements(api):
    it.step("a Space's requirements.txt is installed (BUILDING) before its app starts, from the hub's pip index")
    write_wheel(os.environ["WHEELS"], "atrium-greeting", "1.0", "def hello():\n    return 'hello from a requirement'\n")
    space = "alice/needs"
    api.create_repo(space, repo_type="space", space_sdk="streamlit")
    api.upload_file(path_or_fileobj=b"atrium-greeting==1.0\nstreamlit\n", path_in_repo="requirements.txt",
                    repo_id=space, repo_type="space")
    api.upload_file(path_or_fileobj=b"import streamlit as st\nimport atrium_greeting\nst.write(atrium_greeting.hello())\n",
                    path_in_repo="app.py", repo_id=space, repo_type="space")
    it.check_equal(api.get_space_runtime(space).stage, "SLEEPING", "nothing is built before a visit")
    page = visit(app_url(space, ALICE))
    it.check_equal(page.status_code, 200, "the app runs once its requirements are in: " + page.text[:300])
    it.check_equal(api.get_space_runtime(space).stage, "RUNNING", "running")
    build = "".join(api.fetch_space_logs(space, build=True))
    it.check("Successfully installed atrium-greeting-1.0" in build, "pip's output is the build log: " + build)
    it.check("streamlit" not in build.split("Successfully installed")[-1],
             "what the Spaces Python has is not installed again: " + build)

    it.step("requirements that cannot be installed: BUILD_ERROR, with pip's words")
    broken = "alice/broken-needs"
    api.create_repo(broken, repo_type="space", space_sdk="streamlit")
    api.upload_file(path_or_fileobj=b"atrium-no-such-package==9.9\n", path_in_repo="requirements.txt",
                    repo_id=broken, repo_type="space")
    api.upload_file(path_or_fileobj=b"import streamlit as st\n", path_in_repo="app.py", repo_id=broken,
                    repo_type="space")
    page = visit(app_url(broken, ALICE))
    it.check_equal(page.status_code, 503, "the app does not run: " + page.text[:300])
    runtime = api.get_space_runtime(broken)
    it.check_equal(runtime.stage, "BUILD_ERROR", "its stage")
    it.check("failed" in runtime.raw.get("errorMessage", ""), "says why: %s" % runtime.raw)
    build = "".join(api.fetch_space_logs(broken, build=True))
    it.check("atrium-no-such-package" in build, "pip's words are in the build log, for its writers: " + build)

    it.step("requirements that name local files are refused: builds are shared by Spaces with the same ones")
    local = "alice/local-needs"
    api.create_repo(local, repo_type="space", space_sdk="streamlit")
    api.upload_file(path_or_fileobj=b"-r base.txt\n", path_in_repo="requirements.txt", repo_id=local,
                    repo_type="space")
    api.upload_file(path_or_fileobj=b"import streamlit as st\n", path_in_repo="app.py", repo_id=local,
                    repo_type="space")
    it.check_equal(visit(app_url(local, ALICE)).status_code, 503, "not run")
    runtime = api.get_space_runtime(local)
    it.check_equal(runtime.stage, "BUILD_ERROR", "its stage")
    it.check("-r base.txt" in runtime.raw.get("errorMessage", ""), "says which line: %s" % runtime.raw)


def processes():
    """Command lines of this machine's processes (the apps run with their snapshot folder, named by repo id)."""
    lines = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/environ" % pid, "rb") as f:
                    env = f.read()
                lines.append(env.decode("utf-8", "replace"))
            except OSError:
                pass
    return lines


def main():
    api = HfApi()
    phase = os.environ["PHASE"]
    {"setup": setup, "new-version": new_version, "limit": limit, "requirements": requirements}[phase](api)


if __name__ == "__main__":
    it.run(main)
