"""Static Spaces: what huggingface_hub reads about a Space (runtime, sdk, tags) and the app Atrium serves from it,
compared byte for byte with what was uploaded; the app's sandbox headers; grants that carry access without cookies;
private Spaces; Spaces of other SDKs, which Atrium stores but does not run.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), TOKEN_BOB (bob, write), WORKDIR. Prints one JSON line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, CommitOperationAdd  # noqa: E402
from space_common import app_url, get  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"]
ALICE = {"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
BOB = {"Authorization": "Bearer " + os.environ["TOKEN_BOB"]}

FILES = {
    "README.md": b"---\ntitle: Site\nsdk: static\n---\n# A static Space\n",
    "index.html": b"<!doctype html><html><head><link rel=stylesheet href=style.css></head>"
                  b"<body><h1>Hello from a Space</h1><div id=out></div><script src=js/app.js></script></body></html>",
    "style.css": b"h1 { color: rgb(1, 2, 3); }\n",
    "js/app.js": b"document.getElementById('out').textContent = 'script ran';\n",
    "docs/index.html": b"<!doctype html><p>docs folder</p>",
    "logo.png": bytes(range(256)) * 40,
}


def main():
    api = HfApi()

    it.step("a static Space: created with space_sdk, files uploaded in one commit")
    api.create_repo("alice/site", repo_type="space", space_sdk="static")
    api.create_commit("alice/site", repo_type="space", commit_message="site",
                      operations=[CommitOperationAdd(path, data) for path, data in FILES.items()])

    it.step("runtime, sdk and tags as the client reads them")
    runtime = api.get_space_runtime("alice/site")
    it.check_equal((runtime.stage, runtime.hardware, runtime.requested_hardware), ("RUNNING", "cpu-basic", "cpu-basic"),
                   "runtime")
    info = api.space_info("alice/site")
    it.check_equal((info.sdk, info.runtime.stage if info.runtime else None), ("static", "RUNNING"), "space_info")
    it.check_equal([s.id for s in api.list_spaces(filter="static", author="alice")], ["alice/site"],
                   "list_spaces finds it by its sdk")

    it.step("the app: every file as uploaded, with the sandbox's headers")
    base = app_url("alice/site", ALICE)
    index = get(base)
    it.check_equal((index.status_code, index.content), (200, FILES["index.html"]), "index.html at the folder")
    it.check_equal(index.headers["content-type"].replace(" ", ""), "text/html;charset=utf-8", "served as a page")
    policy = index.headers["content-security-policy"]
    it.check(policy.startswith("sandbox ") and "allow-scripts" in policy and "allow-same-origin" not in policy,
             "a sandbox in an origin of its own: " + policy)
    it.check("frame-ancestors 'self'" in policy, "only the hub frames it: " + policy)
    it.check_equal(index.headers.get("referrer-policy"), "no-referrer", "the grant never leaves in a Referer")
    for path, kind in (("style.css", "text/css"), ("js/app.js", "text/javascript"), ("logo.png", "image/png"),
                       ("docs/", "text/html")):
        got = get(base + path)
        want = FILES["docs/index.html"] if path == "docs/" else FILES[path]
        it.check_equal((got.status_code, got.content), (200, want), "app file " + path)
        it.check(got.headers["content-type"].startswith(kind), "%s is %s" % (path, got.headers["content-type"]))
    it.check_equal(get(base + "missing.js").status_code, 404, "a file the Space lacks")
    it.check_equal(get(base + "..%2FREADME.md").status_code, 404, "no way out of the Space's tree")
    etag = index.headers["etag"]
    it.check_equal(get(base, {"If-None-Match": etag}).status_code, 304, "unchanged files are not sent again")
    no_slash = get(base.rstrip("/"))
    it.check_equal((no_slash.status_code, no_slash.headers.get("location", "").endswith("/")), (302, True),
                   "the grant's folder without its slash redirects, so relative URLs stay inside it")

    it.step("grants: for one Space and one caller; anyone for a public Space")
    grant = base[len(ENDPOINT + "/spaces/alice/site/app/"):-1]
    credential, expires, signature = grant.split(".")
    forged = ".".join((credential, str(int(expires) + 3600), signature))
    it.check_equal(get("/spaces/alice/site/app/%s/" % forged).status_code, 404, "a grant with another expiry")
    it.check_equal(get("/spaces/alice/site/app/anonymous.%s.%s/" % (expires, signature)).status_code, 404,
                   "a grant for another credential")
    anonymous = app_url("alice/site", {})
    it.check_equal(get(anonymous).content, FILES["index.html"], "a public Space opens for everyone")

    it.step("a private static Space: its grant carries the access, no cookie or token needed")
    api.create_repo("alice/private-site", repo_type="space", space_sdk="static", private=True)
    api.upload_file(path_or_fileobj=b"<p>secret app</p>", path_in_repo="index.html", repo_id="alice/private-site",
                    repo_type="space")
    private = app_url("alice/private-site", ALICE)
    it.check_equal(get(private).content, b"<p>secret app</p>", "the owner's grant works without credentials")
    it.check_equal(get("/spaces/alice/private-site/app", BOB).status_code, 404, "others do not see it")
    it.check_equal(get("/spaces/alice/private-site/app").status_code, 401, "nor does anyone anonymous")
    moved = private.replace("/alice/private-site/", "/alice/site/")
    it.check_equal(get(moved).status_code, 404, "a grant for one Space opens no other")
    api.update_repo_settings("alice/private-site", repo_type="space", private=False)
    api.update_repo_settings("alice/private-site", repo_type="space", private=True)
    it.check_equal(get(private).status_code, 200, "a grant lives while its credential may still read the Space")

    it.step("Spaces Atrium stores but does not run, and static ones without their app file")
    api.create_repo("alice/demo", repo_type="space", space_sdk="gradio")
    api.upload_file(path_or_fileobj=b"import gradio as gr\n", path_in_repo="app.py", repo_id="alice/demo",
                    repo_type="space")
    runtime = api.get_space_runtime("alice/demo")
    it.check_equal(runtime.stage, "CONFIG_ERROR", "a gradio Space is not run here")
    it.check("stored here but not run" in runtime.raw.get("errorMessage", ""), "and says why: %s" % runtime.raw)
    it.check_equal(get(app_url("alice/demo", ALICE)).status_code, 404, "it has no app to serve")
    api.create_repo("alice/empty-site", repo_type="space", space_sdk="static")
    api.upload_file(path_or_fileobj=b"# no app\n", path_in_repo="notes.md", repo_id="alice/empty-site",
                    repo_type="space")
    it.check_equal(api.get_space_runtime("alice/empty-site").stage, "NO_APP_FILE", "a static Space without index.html")
    it.check_equal(get("/api/spaces/alice/missing/runtime", ALICE).status_code, 404, "runtime of no Space")
    return {"app": base}


if __name__ == "__main__":
    it.run(main)
