"""Access tokens over the API, fine-grained scopes and expiry, with the real huggingface_hub client.

Environment: HF_ENDPOINT, WORKDIR, TOKEN_ALICE (write), TOKEN_ALICE_READ (read). Prints one JSON line.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")


def raw(method, path, token, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return get_session().request(method, ENDPOINT + path, headers=headers, **kwargs)


def make_token(token, **body):
    r = raw("POST", "/api/settings/tokens", token, json=body)
    it.check_equal(r.status_code, 200, "create token: " + r.text)
    return r.json()


def lfs_download_href(token, repo, content):
    oid = it.sha256_bytes(content)
    r = get_session().post(f"{ENDPOINT}/{repo}.git/info/lfs/objects/batch", json={
        "operation": "download", "objects": [{"oid": oid, "size": len(content)}]},
        headers={"Accept": "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json",
                 "Authorization": f"Bearer {token}"})
    it.check_equal(r.status_code, 200, "LFS batch: " + r.text)
    return r.json()["objects"][0]["actions"]["download"]["href"]


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    write, read = os.environ["TOKEN_ALICE"], os.environ["TOKEN_ALICE_READ"]
    alice = HfApi(token=write)
    for repo, private in (("alice/a", True), ("alice/b", True), ("alice/pub", False)):
        alice.create_repo(repo, private=private)
        alice.upload_file(path_or_fileobj=f"{repo}\n".encode(), path_in_repo="id.txt", repo_id=repo)

    it.step("a fine-grained token for one repo: read and write there, nothing else private, no other writes")
    fg = make_token(write, name="ci", role="fineGrained", fineGrained={"scoped": [
        {"entity": {"type": "model", "name": "alice/a"}, "permissions": ["repo.content.read", "repo.write"]}]})
    scoped = HfApi(token=fg["token"])
    who = scoped.whoami()
    it.check_equal(who["auth"]["accessToken"]["role"], "fineGrained", "whoami role")
    it.check_equal(who["auth"]["accessToken"]["fineGrained"]["scoped"][0]["entity"]["name"], "alice/a", "whoami scopes")
    scoped.upload_file(path_or_fileobj=b"from ci\n", path_in_repo="ci.txt", repo_id="alice/a")
    got = hf_hub_download("alice/a", "ci.txt", token=fg["token"], cache_dir=work / "c1")
    it.check_equal(Path(got).read_bytes(), b"from ci\n", "the scoped repo reads back")
    it.check_raises(RepositoryNotFoundError, lambda: scoped.model_info("alice/b"), "a private repo out of scope")
    it.check_raises(RepositoryNotFoundError, lambda: scoped.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                        repo_id="alice/b"), "writing out of scope")
    e = it.check_raises(HfHubHTTPError, lambda: scoped.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                   repo_id="alice/pub"), "writing a public repo")
    it.check_equal(e.response.status_code, 403, "public, out of scope")
    it.check_equal(scoped.model_info("alice/pub").id, "alice/pub", "public repos stay readable")
    it.check_equal(sorted(m.id for m in scoped.list_models(author="alice")), ["alice/a", "alice/pub"], "listing")
    e = it.check_raises(HfHubHTTPError, lambda: scoped.create_repo("alice/new"), "creating a repo")
    it.check_equal(e.response.status_code, 403, "create out of scope")
    it.check_equal(raw("GET", "/api/settings/tokens", fg["token"]).status_code, 403, "a fine-grained token mints none")
    it.check_equal(raw("GET", "/api/settings/tokens", read).status_code, 403, "nor does a read token")

    it.step("a read scope on a whole namespace reads every private repo there, writes none")
    ns = make_token(write, name="reader", role="fineGrained", fineGrained={"scoped": [
        {"entity": {"type": "user", "name": "alice"}, "permissions": ["repo.content.read"]}]})
    reader = HfApi(token=ns["token"])
    it.check_equal(reader.model_info("alice/b").id, "alice/b", "private repo in the namespace")
    it.check_equal(sorted(m.id for m in reader.list_models(author="alice")), ["alice/a", "alice/b", "alice/pub"],
                   "namespace listing")
    e = it.check_raises(HfHubHTTPError, lambda: reader.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                   repo_id="alice/b"), "read scope writing")
    it.check_equal(e.response.status_code, 403, "read scope")

    it.step("tokens list without secrets, expire, and die at once when revoked")
    listed = raw("GET", "/api/settings/tokens", write).json()
    it.check({"ci", "reader"} <= {t["name"] for t in listed}, "the list names the tokens")
    it.check(all("token" not in t for t in listed), "and never shows a secret")
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    short = make_token(write, name="short", role="read", expiresAt=soon)
    it.check_equal(raw("GET", "/api/whoami-v2", short["token"]).status_code, 200, "before expiry")
    time.sleep(3)
    it.check_equal(raw("GET", "/api/whoami-v2", short["token"]).status_code, 401, "after expiry")
    # What the token was handed before its revocation: LFS transfer URLs and a Xet token for the CAS.
    weights = os.urandom(64 * 1024)
    scoped.upload_file(path_or_fileobj=weights, path_in_repo="w.bin", repo_id="alice/a")
    href = lfs_download_href(fg["token"], "alice/a", weights)
    it.check_equal(get_session().get(href).content, weights, "the signed LFS URL downloads before revocation")
    xet = raw("GET", "/api/models/alice/a/xet-read-token/main", fg["token"]).json()
    unknown_file = xet["casUrl"] + "/v1/reconstructions/" + "0" * 64
    cas = get_session().get(unknown_file, headers={"Authorization": "Bearer " + xet["accessToken"]})
    it.check_equal(cas.status_code, 404, "the Xet token works before revocation (the file is unknown)")
    it.check_equal(raw("DELETE", f"/api/settings/tokens/{fg['id']}", write).status_code, 200, "revoke")
    it.check_equal(raw("GET", "/api/models/alice/pub", fg["token"]).status_code, 401, "revoked, even for public reads")
    it.check_equal(get_session().get(href).status_code, 401, "its signed LFS URLs stop at once")
    cas = get_session().get(unknown_file, headers={"Authorization": "Bearer " + xet["accessToken"]})
    it.check_equal(cas.status_code, 401, "and so do its Xet tokens")
    it.check_equal(raw("DELETE", f"/api/settings/tokens/{fg['id']}", write).status_code, 404, "revoked once")
    return {"tokens": len(listed)}


if __name__ == "__main__":
    it.run(main)
