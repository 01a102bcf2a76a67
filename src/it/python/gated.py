"""Gated repos through the real huggingface_hub client, against a live Atrium.

Environment: HF_ENDPOINT, WORKDIR, TOKEN_ALICE (owner), TOKEN_BOB (another user); a user carol exists too. Prints one
JSON line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import GatedRepoError, HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
TOKENS = {n: os.environ["TOKEN_" + n.upper()] for n in ("alice", "bob")}
CARD = """---
license: other
extra_gated_prompt: Agree to the terms to access this model.
extra_gated_fields:
  Company: text
  I agree to the terms: checkbox
---
# A gated model
"""


def raw(method, path, who, headers=None, **kwargs):
    headers = dict(headers or {}, **({"Authorization": f"Bearer {TOKENS[who]}"} if who else {}))
    return get_session().request(method, ENDPOINT + path, headers=headers, **kwargs)


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    alice, bob = HfApi(token=TOKENS["alice"]), HfApi(token=TOKENS["bob"])
    weights = os.urandom(2 * 1024 * 1024)

    it.step("alice publishes a model and gates it for manual approval")
    alice.create_repo("alice/gated")
    alice.upload_file(path_or_fileobj=CARD.encode(), path_in_repo="README.md", repo_id="alice/gated")
    alice.upload_file(path_or_fileobj=weights, path_in_repo="model.safetensors", repo_id="alice/gated")
    alice.update_repo_settings("alice/gated", gated="manual")
    it.check_equal(bob.model_info("alice/gated").gated, "manual", "info stays visible and says it is gated")
    it.check("model.safetensors" in bob.list_repo_files("alice/gated"), "the file list stays visible")
    listed = {m.id: m.gated for m in bob.list_models(author="alice", expand=["gated"])}
    it.check_equal(listed.get("alice/gated"), "manual", "listings say so too")

    it.step("bob cannot download before asking; anonymous callers get 401")
    download = lambda who, cache: hf_hub_download("alice/gated", "model.safetensors", token=TOKENS[who],  # noqa: E731
                                                  cache_dir=work / cache)
    e = it.check_raises(GatedRepoError, lambda: download("bob", "c1"), "bob's download")
    it.check_equal(e.response.status_code, 403, "bob's status")
    # hf_hub_download asks with a HEAD first: the hub's explanation reaches the user through X-Error-Message.
    it.check("Access to model alice/gated is restricted and you are not in the authorized list. Visit "
             f"{ENDPOINT}/alice/gated to ask for access." in str(e), f"the error bob sees says where to ask: {e}")
    e = it.check_raises(GatedRepoError, lambda: bob.auth_check("alice/gated"), "bob's auth_check")
    it.check_equal(e.response.status_code, 403, "bob's auth_check status")
    alice.auth_check("alice/gated")
    r = raw("GET", "/alice/gated/resolve/main/model.safetensors", None)
    it.check_equal((r.status_code, r.headers.get("X-Error-Code")), (401, "GatedRepo"), "anonymous download")
    it.check("You must have access to it and be authenticated to access it. Please log in." in r.json()["error"],
             f"anonymous callers are told to log in: {r.text}")
    lfs = raw("POST", "/alice/gated.git/info/lfs/objects/batch", "bob", headers={
        "Accept": "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json"},
        json={"operation": "download", "objects": [{"oid": it.sha256_bytes(weights), "size": len(weights)}]})
    it.check_equal(lfs.status_code, 403, "bob's LFS batch")
    it.check_equal(raw("GET", "/api/models/alice/gated/xet-read-token/main", "bob").status_code, 403, "bob's Xet token")

    it.step("bob asks with the fields the card declares; the request waits for alice")
    r = raw("POST", "/api/models/alice/gated/ask-access", "bob", json={"Company": "Bob Inc", "I agree to the terms": True})
    it.check_equal(r.json(), {"status": "pending"}, "ask-access")
    pending = alice.list_pending_access_requests("alice/gated")
    it.check_equal([(p.username, p.fields["Company"], p.email) for p in pending],
                   [("bob", "Bob Inc", "bob@atrium.test")], "pending requests: asking shares bob's contact")
    e = it.check_raises(GatedRepoError, lambda: download("bob", "c2"), "bob while pending")
    it.check("Your request to access model alice/gated is awaiting a review from the repo authors." in str(e),
             f"bob is told his request waits: {e}")
    e = it.check_raises(HfHubHTTPError, lambda: list(bob.list_pending_access_requests("alice/gated")), "bob lists requests")
    it.check_equal(e.response.status_code, 403, "only owners list requests")

    it.step("alice accepts: bob downloads the same bytes")
    alice.accept_access_request("alice/gated", "bob")
    it.check_equal([a.username for a in alice.list_accepted_access_requests("alice/gated")], ["bob"], "accepted")
    it.check_equal(it.sha256_file(download("bob", "c3")), it.sha256_bytes(weights), "bob's download")
    bob.auth_check("alice/gated")
    e = it.check_raises(HfHubHTTPError, lambda: alice.accept_access_request("alice/gated", "bob"), "accepting twice")
    it.check_equal(e.response.status_code, 409, "status of an answer given twice")

    it.step("alice rejects: bob is shut out again; a grant lets him back")
    alice.reject_access_request("alice/gated", "bob", rejection_reason="Not this time")
    e = it.check_raises(GatedRepoError, lambda: download("bob", "c4"), "bob after rejection")
    it.check("has been rejected by the repo's authors" in str(e), f"bob is told he was rejected: {e}")
    it.check_equal(raw("POST", "/api/models/alice/gated/ask-access", "bob", json={}).json()["status"], "rejected",
                   "asking again does not undo a rejection")
    alice.cancel_access_request("alice/gated", "bob")
    it.check_equal([p.username for p in alice.list_pending_access_requests("alice/gated")], ["bob"], "cancel: pending")
    alice.accept_access_request("alice/gated", "bob")
    alice.reject_access_request("alice/gated", "bob", rejection_reason=None)
    alice.grant_access("alice/gated", "bob")
    it.check_equal(it.sha256_file(download("bob", "c5")), it.sha256_bytes(weights), "bob after the grant")

    it.step("a fine-grained token reaches gated content only when it may read gated repos, as on the Hub")
    def fine_grained(may_read_gated):
        r = raw("POST", "/api/settings/tokens", "bob", json={"name": f"fg-{may_read_gated}", "role": "fineGrained",
                "fineGrained": {"canReadGatedRepos": may_read_gated, "global": ["repo.content.read"], "scoped": []}})
        it.check_equal(r.status_code, 200, "bob makes a fine-grained token: " + r.text)
        return r.json()["token"]
    without = fine_grained(False)
    e = it.check_raises(GatedRepoError, lambda: hf_hub_download("alice/gated", "model.safetensors", token=without,
                                                                cache_dir=work / "c5a"), "without canReadGatedRepos")
    it.check("this fine-grained token may not read gated repos" in str(e), f"bob is told it is the token: {e}")
    it.check_equal(it.sha256_file(hf_hub_download("alice/gated", "model.safetensors", token=fine_grained(True),
                                                  cache_dir=work / "c5b")), it.sha256_bytes(weights),
                   "with canReadGatedRepos")
    alice.grant_access("alice/gated", "carol")
    granted = {a.username: a.email for a in alice.list_accepted_access_requests("alice/gated")}
    it.check_equal(granted, {"bob": "bob@atrium.test", "carol": None},
                   "emails of the accepted: carol, granted without asking, shared nothing")
    # A popular gated repo has tens of thousands of requests: the lists come in pages, linked as the client follows.
    first = raw("GET", "/api/models/alice/gated/user-access-request/accepted?limit=1", "alice")
    it.check("rel=\"next\"" in first.headers.get("Link", ""), f"a page of one links the next: {first.headers}")
    second = raw("GET", first.links["next"]["url"].removeprefix(ENDPOINT), "alice")
    it.check_equal(sorted([first.json()[0]["user"]["user"], second.json()[0]["user"]["user"]]), ["bob", "carol"],
                   "two pages of one hold both, once each")
    it.check("Link" not in second.headers, "the last page links nothing")
    it.check_equal(raw("GET", "/api/models/alice/gated/user-access-request/accepted?cursor=nonsense", "alice")
                   .status_code, 400, "a cursor the hub did not make")

    it.step("an automatic gate accepts at once; opening the gate lets everyone in")
    alice.create_repo("alice/auto")
    alice.upload_file(path_or_fileobj=b"hello\n", path_in_repo="hello.txt", repo_id="alice/auto")
    alice.update_repo_settings("alice/auto", gated="auto")
    it.check_raises(GatedRepoError, lambda: hf_hub_download("alice/auto", "hello.txt", token=TOKENS["bob"],
                                                            cache_dir=work / "c6"), "before asking")
    it.check_equal(raw("POST", "/api/models/alice/auto/ask-access", "bob", data={"Company": "x"}).json()["status"],
                   "accepted", "a form body works too, accepted at once")
    hf_hub_download("alice/auto", "hello.txt", token=TOKENS["bob"], cache_dir=work / "c7")
    alice.update_repo_settings("alice/auto", gated=False)
    it.check_equal(raw("GET", "/alice/auto/resolve/main/hello.txt", None).status_code, 200, "open again")
    return {"gated_repos": 2}


if __name__ == "__main__":
    it.run(main)
