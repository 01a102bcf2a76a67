"""Mirrors: a second hub copies repos from a first one (as it would from huggingface.co) with their history and large
files, keeps them in sync, refuses commits to them, and imports private repos once with a token.

Environment: SOURCE_ENDPOINT, SOURCE_TOKEN (alice on the source hub, write), HF_ENDPOINT, HF_TOKEN (bob on the mirroring
hub, write), BOB_PASSWORD, ADMIN_TOKEN (a site administrator of the mirroring hub, write), WORKDIR. Prints one JSON
line.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

SOURCE = os.environ["SOURCE_ENDPOINT"].rstrip("/")
SOURCE_TOKEN = os.environ["SOURCE_TOKEN"]
HUB = os.environ["HF_ENDPOINT"].rstrip("/")
TOKEN = os.environ["HF_TOKEN"]
WORK = Path(os.environ["WORKDIR"])
WORK.mkdir(parents=True, exist_ok=True)


def api_call(method, path, **kwargs):
    return get_session().request(method, HUB + path, headers={"Authorization": "Bearer " + TOKEN}, timeout=120,
                                 **kwargs)


def wait_synced(repo, after=None, repo_type="model", timeout=120, failing=False):
    """The mirror's state once a sync newer than `after` landed (or, `failing`, once a sync failed)."""
    plural = repo_type + "s"
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        answer = api_call("GET", f"/api/{plural}/{repo}/mirror")
        if answer.status_code == 404:
            return None  # an import once done: no mirror any more
        state = answer.json()
        if not state["syncing"]:
            if failing and state["lastError"]:
                return state
            if not failing and state["lastSyncAt"] and (after is None or state["lastSyncAt"] > after):
                return state
        time.sleep(0.3)
    it.fail_fast(f"{repo} was not synced within {timeout} s: {state}")


def refs_of(api, repo, repo_type="model"):
    refs = api.list_repo_refs(repo, repo_type=repo_type)
    return (sorted((b.name, b.target_commit) for b in refs.branches),
            sorted((t.name, t.target_commit) for t in refs.tags))


def commits_of(api, repo, repo_type="model"):
    return [c.commit_id for c in api.list_repo_commits(repo, repo_type=repo_type)]


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def main():
    source = HfApi(endpoint=SOURCE, token=SOURCE_TOKEN)
    hub = HfApi(endpoint=HUB, token=TOKEN)

    it.step("the source hub gets a model (its weights through Xet), a dataset and a private model")
    weights = os.urandom(12 * 1024 * 1024)
    (WORK / "weights.bin").write_bytes(weights)
    source.create_repo("alice/tiny-model")
    source.upload_file(path_or_fileobj=b"---\nlicense: apache-2.0\ntags: [mirrored]\n---\n# Tiny model\n",
                       path_in_repo="README.md", repo_id="alice/tiny-model")
    source.upload_file(path_or_fileobj=str(WORK / "weights.bin"), path_in_repo="model.safetensors",
                       repo_id="alice/tiny-model")
    source.create_tag("alice/tiny-model", tag="v1.0")
    source.create_branch("alice/tiny-model", branch="experiment")
    source.create_repo("alice/rows", repo_type="dataset")
    source.upload_file(path_or_fileobj=b"a,b\n1,x\n2,y\n", path_in_repo="data.csv", repo_id="alice/rows",
                       repo_type="dataset")
    source.create_repo("alice/internal", private=True)
    source.upload_file(path_or_fileobj=b"secret weights" * 1000, path_in_repo="model.bin",
                       repo_id="alice/internal")

    it.step("POST /api/mirrors: the mirror is made, and its first sync brings the history and the large files")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/alice/tiny-model"})
    it.check_equal(made.status_code, 200, "mirror made: " + made.text)
    it.check_equal(made.json()["name"], "bob/tiny-model", "named after the source, in the caller's namespace")
    state = wait_synced("bob/tiny-model")
    it.check(state["lastError"] is None, "first sync: " + str(state))
    it.check_equal(state["source"], SOURCE + "/alice/tiny-model", "the source")
    it.check_equal(state["keepInSync"], True, "kept in sync by default")
    it.check_equal(refs_of(hub, "bob/tiny-model"), refs_of(source, "alice/tiny-model"), "branches and tags")
    it.check_equal(commits_of(hub, "bob/tiny-model"), commits_of(source, "alice/tiny-model"), "the same commits")
    path = hf_hub_download("bob/tiny-model", "model.safetensors", endpoint=HUB, token=TOKEN,
                           cache_dir=WORK / "cache1")
    it.check(Path(path).read_bytes() == weights, "the weights, downloaded from the mirror, are the source's bytes")
    info = hub.model_info("bob/tiny-model")
    it.check("mirrored" in (info.tags or []), "the card's metadata is indexed: " + str(info.tags))

    it.step("git clone and git lfs pull from the mirror give the same bytes")
    clone = WORK / "clone"
    url = HUB.replace("://", f"://bob:{TOKEN}@") + "/bob/tiny-model"
    env_clone = subprocess.run(["git", "clone", "-q", url, str(clone)], capture_output=True, text=True,
                               env={**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"}, timeout=300)
    it.check_equal(env_clone.returncode, 0, "git clone: " + env_clone.stderr)
    pulled = git("lfs", "pull", cwd=clone)
    it.check_equal(pulled.returncode, 0, "git lfs pull: " + pulled.stderr)
    it.check((clone / "model.safetensors").read_bytes() == weights, "git-lfs bytes")

    it.step("a mirror takes no commits: upload, branch and git push are refused, saying why")
    try:
        hub.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="bob/tiny-model")
        it.check(False, "an upload to a mirror was accepted")
    except HfHubHTTPError as e:
        it.check_equal(e.response.status_code, 403, "upload refused")
        it.check("is a mirror of " + SOURCE + "/alice/tiny-model" in e.response.json()["error"], e.response.text)
    it.check_raises(HfHubHTTPError, lambda: hub.create_branch("bob/tiny-model", branch="mine"), "create_branch")
    try:
        hub.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="bob/tiny-model", create_pr=True)
        it.check(False, "a pull request to a mirror was opened")
    except HfHubHTTPError as e:
        it.check_equal(e.response.status_code, 403, "a pull request refused, as it could never be merged")
    it.check_equal([d.is_pull_request for d in hub.get_repo_discussions("bob/tiny-model")], [], "none was made")
    hub.create_discussion("bob/tiny-model", title="Which revision of the source is this?")
    it.check_equal(len(list(hub.get_repo_discussions("bob/tiny-model"))), 1, "a discussion is fine")
    (clone / "x.txt").write_text("x")
    git("add", "x.txt", cwd=clone)
    git("-c", "user.name=bob", "-c", "user.email=bob@example.com", "commit", "-qm", "x", cwd=clone)
    pushed = git("push", "origin", "main", cwd=clone)
    it.check(pushed.returncode != 0 and "is a mirror of" in pushed.stderr, "git push refused: " + pushed.stderr)
    it.check_equal(commits_of(hub, "bob/tiny-model"), commits_of(source, "alice/tiny-model"), "nothing landed")

    it.step("the source moves on: Sync now brings its new commit, branch and tag, and drops its deleted branch")
    more = os.urandom(3 * 1024 * 1024)
    source.upload_file(path_or_fileobj=more, path_in_repo="extra.bin", repo_id="alice/tiny-model")
    source.create_branch("alice/tiny-model", branch="next")
    source.create_tag("alice/tiny-model", tag="v1.1")
    source.delete_branch("alice/tiny-model", branch="experiment")
    before = state["lastSyncAt"]
    time.sleep(0.01)
    asked = api_call("POST", "/api/models/bob/tiny-model/mirror/sync")
    it.check_equal(asked.status_code, 202, "sync asked: " + asked.text)
    state = wait_synced("bob/tiny-model", after=before)
    it.check(state["lastError"] is None, "second sync: " + str(state))
    it.check_equal(refs_of(hub, "bob/tiny-model"), refs_of(source, "alice/tiny-model"), "refs after the sync")
    it.check_equal(commits_of(hub, "bob/tiny-model"), commits_of(source, "alice/tiny-model"), "commits after")
    it.check(Path(hf_hub_download("bob/tiny-model", "extra.bin", endpoint=HUB, token=TOKEN,
                                  cache_dir=WORK / "cache2")).read_bytes() == more, "the new file's bytes")

    it.step("a dataset mirrors too")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/datasets/alice/rows", "repository": "bob/rows"})
    it.check_equal(made.status_code, 200, made.text)
    it.check(wait_synced("bob/rows", repo_type="dataset")["lastError"] is None, "dataset synced")
    it.check_equal(Path(hf_hub_download("bob/rows", "data.csv", repo_type="dataset", endpoint=HUB, token=TOKEN,
                                        cache_dir=WORK / "cache3")).read_bytes(), b"a,b\n1,x\n2,y\n", "the CSV")

    it.step("an administrator mirrors under the source's own name: code naming the repo loads it from here unchanged")
    made = get_session().post(HUB + "/api/mirrors", json={"source": SOURCE + "/alice/tiny-model",
                                                         "repository": "alice/tiny-model"},
                              headers={"Authorization": "Bearer " + os.environ["ADMIN_TOKEN"]}, timeout=120)
    it.check_equal(made.status_code, 200, made.text)
    it.check(wait_synced("alice/tiny-model")["lastError"] is None, "synced")
    it.check(Path(hf_hub_download("alice/tiny-model", "extra.bin", endpoint=HUB, cache_dir=WORK / "cache5",
                                  token=False)).read_bytes() == more, "the same id, from this hub, anonymously")
    refused = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/alice/tiny-model",
                                                     "repository": "alice/by-bob"})
    it.check_equal(refused.status_code, 403, "bob may not make repos in alice's namespace: " + refused.text)

    it.step("a private source: refused without a token or with a wrong one, and nothing is made")
    for body in ({"source": SOURCE + "/alice/internal"},
                 {"source": SOURCE + "/alice/internal", "token": "hf_not_a_token"},
                 {"source": SOURCE + "/alice/does-not-exist", "token": SOURCE_TOKEN},
                 {"source": "ftp://example.com/a/b"},
                 {"source": SOURCE + "/spaces/alice/app"}):
        refused = api_call("POST", "/api/mirrors", json=body)
        it.check_equal(refused.status_code, 400, f"{body}: {refused.text}")
        it.check(refused.json()["error"], "an error message")
    it.check_raises(RepositoryNotFoundError, lambda: hub.model_info("bob/internal"), "no repo was made")
    it.check_raises(RepositoryNotFoundError, lambda: hub.model_info("bob/does-not-exist"), "no repo was made")

    it.step("imported once with a token: private here, then an ordinary repo that takes commits")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/alice/internal", "token": SOURCE_TOKEN,
                                                  "private": True, "keepInSync": False})
    it.check_equal(made.status_code, 200, made.text)
    it.check(wait_synced("bob/internal") is None, "a one-time import is no mirror once done")
    it.check_equal(hub.model_info("bob/internal").private, True, "private here")
    it.check_raises(RepositoryNotFoundError, lambda: HfApi(endpoint=HUB, token=False).model_info("bob/internal"),
                    "hidden from anonymous callers")
    it.check(Path(hf_hub_download("bob/internal", "model.bin", endpoint=HUB, token=TOKEN,
                                  cache_dir=WORK / "cache4")).read_bytes() == b"secret weights" * 1000,
             "the private source's bytes")
    hub.upload_file(path_or_fileobj=b"mine", path_in_repo="notes.txt", repo_id="bob/internal")
    it.check_equal(len(commits_of(hub, "bob/internal")), len(commits_of(source, "alice/internal")) + 1,
                   "the import took a commit")

    it.step("a mirror of a private source, whose token is replaced after the old one stopped working")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/alice/internal", "token": SOURCE_TOKEN,
                                                  "repository": "bob/internal-kept"})
    it.check_equal(made.status_code, 200, made.text)
    it.check_equal(hub.model_info("bob/internal-kept").private, True, "a private source's mirror is private unsaid")
    state = wait_synced("bob/internal-kept")
    it.check(state["lastError"] is None and state["hasToken"], "synced with the token: " + str(state))
    replaced = api_call("PUT", "/api/models/bob/internal-kept/mirror", json={"token": "hf_revoked_meanwhile"})
    it.check_equal(replaced.status_code, 200, replaced.text)
    failed = wait_synced("bob/internal-kept", failing=True)
    it.check(failed["lastError"] and "the token may not read it" in failed["lastError"], "refused: " + str(failed))
    source.upload_file(path_or_fileobj=b"v2", path_in_repo="v2.txt", repo_id="alice/internal")
    api_call("PUT", "/api/models/bob/internal-kept/mirror", json={"token": SOURCE_TOKEN})
    state = wait_synced("bob/internal-kept", after=state["lastSyncAt"])
    it.check(state["lastError"] is None, "synced again with the new token: " + str(state))
    it.check_equal(commits_of(hub, "bob/internal-kept"), commits_of(source, "alice/internal"), "caught up")
    it.check("hf_" not in api_call("GET", "/api/models/bob/internal-kept/mirror").text, "the token is never shown")

    it.step("a gated source's mirror asks for access as its source does")
    source.create_repo("alice/licensed")
    source.upload_file(path_or_fileobj=b"weights under a license", path_in_repo="model.bin", repo_id="alice/licensed")
    source.update_repo_settings("alice/licensed", gated="manual")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/alice/licensed", "token": SOURCE_TOKEN})
    it.check_equal(made.status_code, 200, made.text)
    it.check(wait_synced("bob/licensed")["lastError"] is None, "synced with the owner's token")
    it.check_equal(hub.model_info("bob/licensed").gated, "manual", "gated here too")
    stranger = HfApi(endpoint=HUB, token=False)
    it.check_raises(HfHubHTTPError, lambda: hf_hub_download("bob/licensed", "model.bin", endpoint=HUB, token=False,
                                                            cache_dir=WORK / "cache6"), "an anonymous download")
    it.check_equal(stranger.model_info("bob/licensed").gated, "manual", "its card says so to anyone")

    it.step("a sync that fails says why and changes nothing")
    made = api_call("POST", "/api/mirrors", json={"source": SOURCE + "/datasets/alice/rows",
                                                  "repository": "bob/rows-2"})
    it.check_equal(made.status_code, 200, made.text)
    state = wait_synced("bob/rows-2", repo_type="dataset")
    source.delete_repo("alice/rows", repo_type="dataset")
    kept = commits_of(hub, "bob/rows-2", "dataset")
    api_call("POST", "/api/datasets/bob/rows-2/mirror/sync")
    failed = wait_synced("bob/rows-2", repo_type="dataset", failing=True)
    it.check(failed["lastError"] and "/datasets/alice/rows" in failed["lastError"], "the failure: " + str(failed))
    it.check_equal(failed["lastSyncAt"], state["lastSyncAt"], "the last good sync is kept")
    it.check_equal(commits_of(hub, "bob/rows-2", "dataset"), kept, "the content is unchanged")

    it.step("the pages: the mirror's line under its title, no upload, and Stop mirroring in its settings")
    session = get_session()
    cookies = it.web_login(HUB, "bob", os.environ["BOB_PASSWORD"])
    page = session.get(HUB + "/bob/tiny-model", cookies=cookies, timeout=60).text
    it.check(f'Mirror of <a href="{SOURCE}/alice/tiny-model"' in page, "the mirror's line")
    it.check("Sync now" in page, "Sync now for its writer")
    files = session.get(HUB + "/bob/tiny-model/tree/main", cookies=cookies, timeout=60).text
    it.check("/upload/" not in files, "no upload on a mirror's files")
    settings = session.get(HUB + "/bob/tiny-model/settings", cookies=cookies, timeout=60).text
    csrf = re.search(r'action="/bob/tiny-model/settings/mirror/stop">\s*<input type="hidden" name="csrf" '
                     r'value="([^"]+)"', settings)
    it.check(csrf is not None, "the Stop mirroring form")
    stopped = session.post(HUB + "/bob/tiny-model/settings/mirror/stop", data={"csrf": csrf.group(1)},
                           cookies=cookies, headers={"Origin": HUB}, follow_redirects=False, timeout=60)
    it.check_equal(stopped.status_code, 303, "stopped")
    it.check_equal(api_call("GET", "/api/models/bob/tiny-model/mirror").status_code, 404, "no mirror any more")
    hub.upload_file(path_or_fileobj=b"now mine", path_in_repo="notes.txt", repo_id="bob/tiny-model")
    it.check("Mirror of" not in session.get(HUB + "/bob/tiny-model", cookies=cookies, timeout=60).text,
             "no mirror line any more")


it.run(main)
