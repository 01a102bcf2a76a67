"""Shared plumbing for the client scripts that Atrium's Java integration tests run.

The scripts talk to a live Atrium through the official Hugging Face libraries. They must never reach
huggingface.co, so the endpoint is mandatory, and anything a developer's shell might leak in (staging
switch, offline mode, a stored token) is neutralised before the libraries are imported: they read their
configuration from the environment at import time.
"""

import hashlib
import json
import os
import sys
import tempfile
import time
import traceback

_STEPS = []
_STARTED = time.monotonic()


class CheckFailed(AssertionError):
    pass


def prepare_environment():
    """Call before importing huggingface_hub, datasets or transformers."""
    endpoint = os.environ.get("HF_ENDPOINT", "")
    if not endpoint.startswith(("http://", "https://")):
        fail_fast("HF_ENDPOINT must be set to the Atrium base URL (refusing to run against huggingface.co)")
    if endpoint.endswith("/"):
        fail_fast(f"HF_ENDPOINT must not end with '/' (datasets builds URLs by concatenation): {endpoint}")
    if not os.environ.get("HF_TOKEN"):
        fail_fast("HF_TOKEN must be set to a write token of the Atrium user")
    for leaked in ("HUGGINGFACE_CO_STAGING", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE",
                   "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH"):
        os.environ.pop(leaked, None)
    # Scripts drive the LFS path unless ATRIUM_IT_XET=default, which runs the client as a user who configured
    # nothing (hf_xet enabled, every LFS file uploaded through Xet).
    if os.environ.get("ATRIUM_IT_XET") == "default":
        os.environ.pop("HF_HUB_DISABLE_XET", None)
    else:
        os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DISABLE_SAFETENSORS_CONVERSION", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    if not os.environ.get("HF_HOME"):
        # The cache is keyed by repo id, not endpoint: a shared cache would mix runs of fresh servers.
        os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="atrium-it-hf-home-")
    return endpoint


def fail_fast(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(2)


def step(name):
    _STEPS.append(name)
    print(f"[{time.monotonic() - _STARTED:7.2f}s] {name}", file=sys.stderr, flush=True)


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def check_equal(actual, expected, what):
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def check_raises(exception_types, action, what):
    """Runs action and returns the exception, which must be one of exception_types."""
    try:
        result = action()
    except exception_types as e:
        return e
    except Exception as e:  # noqa: BLE001 - the point is to report the wrong type
        raise CheckFailed(f"{what}: expected {_names(exception_types)}, got {type(e).__name__}: {e}") from e
    raise CheckFailed(f"{what}: expected {_names(exception_types)}, but the call returned {result!r}")


def _names(exception_types):
    if isinstance(exception_types, tuple):
        return " or ".join(t.__name__ for t in exception_types)
    return exception_types.__name__


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_commit_sha(value):
    return isinstance(value, str) and len(value) == 40 and all(c in "0123456789abcdef" for c in value)


def wait_scanned(api, repo, paths, timeout=60, poll=0.3):
    """The repo's files with a security status (list_repo_tree(expand=True)), once none of `paths` is "queued"."""
    deadline = time.monotonic() + timeout
    while True:
        files = {f.path: f for f in api.list_repo_tree(repo, recursive=True, expand=True)
                 if getattr(f, "security", None) is not None}
        if all(p in files and files[p].security["status"] != "queued" for p in paths):
            return files
        check(time.monotonic() < deadline, "scans still queued after %ds: %s" % (
            timeout, {p: files[p].security["status"] if p in files else None for p in paths}))
        time.sleep(poll)


def wait_exported(api, dataset, sha=None, timeout=90):
    """The /datasets-server/parquet answer once the Parquet export of commit `sha` (the dataset's head) is made."""
    from huggingface_hub.utils import build_hf_headers, get_session
    sha = sha or api.dataset_info(dataset).sha
    deadline = time.monotonic() + timeout
    while True:
        response = get_session().get(api.endpoint + "/datasets-server/parquet", params={"dataset": dataset},
                                     headers=build_hf_headers(), timeout=60)
        check_equal(response.status_code, 200, "/parquet of %s: %s" % (dataset, response.text[:300]))
        if response.headers.get("X-Revision") == sha and not response.json()["pending"]:
            return response
        check(time.monotonic() < deadline, "the export of %s at %s is made in %d s: %s"
              % (dataset, sha, timeout, response.text[:300]))
        time.sleep(0.3)


def web_login(endpoint, name, password):
    """The cookies of a session on the hub's pages, signed in with the login form as a browser sends it."""
    from huggingface_hub.utils import get_session
    login = get_session().post(endpoint + "/login", data={"name": name, "password": password},
                               headers={"Origin": endpoint}, follow_redirects=False, timeout=60)
    check_equal(login.status_code, 303, "login of " + name)
    return login.cookies


def run(main):
    """Runs main(); prints one JSON result line on stdout; exit code 0 only if every check passed."""
    try:
        details = main() or {}
    except CheckFailed as e:
        _report(ok=False, error=f"check failed during step '{_last_step()}': {e}")
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - any client exception is a test failure with context
        traceback.print_exc()
        _report(ok=False, error=f"{type(e).__name__} during step '{_last_step()}': {e}")
        sys.exit(1)
    _report(ok=True, **details)


def _last_step():
    return _STEPS[-1] if _STEPS else "<start>"


def _report(**fields):
    fields["steps"] = len(_STEPS)
    fields["seconds"] = round(time.monotonic() - _STARTED, 2)
    if not fields["ok"]:
        print(f"FAIL: {fields['error']}", file=sys.stderr, flush=True)
    print(json.dumps(fields, sort_keys=True), flush=True)
