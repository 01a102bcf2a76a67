"""Webhooks through the real huggingface_hub client, with a local receiver: create, list, update, disable, delete,
and the payloads Atrium POSTs when watched repos change.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), TOKEN_READ (alice, read), TOKEN_BOB (bob, write).
Prints one JSON line.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

RECEIVED = queue.Queue()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        RECEIVED.put((self.path, self.headers.get("X-Webhook-Secret"), json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def status_of(action):
    e = it.check_raises(HfHubHTTPError, action, "the call")
    return e.response.status_code


def next_payload(what):
    try:
        return RECEIVED.get(timeout=20)
    except queue.Empty:
        raise it.CheckFailed("no webhook payload arrived for " + what) from None


def nothing_arrives(what):
    # A negative check: deliveries to this local receiver take milliseconds, so two seconds of silence means none.
    try:
        got = RECEIVED.get(timeout=2)
    except queue.Empty:
        return
    raise it.CheckFailed(what + ": a payload arrived: " + json.dumps(got[2]))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/hook" % server.server_port
    alice, bob = HfApi(), HfApi(token=os.environ["TOKEN_BOB"])
    reader = HfApi(token=os.environ["TOKEN_READ"])

    it.step("create, list and get a webhook; others cannot see or change it; bad requests are refused")
    hook = alice.create_webhook(url=url, watched=[{"type": "model", "name": "alice/watched"}], domains=["repo"],
                                secret="s3cret")
    it.check_equal((hook.url, [(w.type, w.name) for w in hook.watched], hook.domains, hook.secret, hook.disabled),
                   (url, [("model", "alice/watched")], ["repo"], "s3cret", False), "the new webhook")
    it.check_equal([w.id for w in alice.list_webhooks()], [hook.id], "alice's webhooks")
    it.check_equal(alice.get_webhook(hook.id).url, url, "get_webhook")
    it.check_equal(bob.list_webhooks(), [], "bob's webhooks")
    it.check_equal(status_of(lambda: bob.get_webhook(hook.id)), 404, "bob reads alice's webhook")
    it.check_equal(status_of(lambda: bob.delete_webhook(hook.id)), 404, "bob deletes it")
    it.check_equal(status_of(lambda: reader.create_webhook(url=url, watched=[{"type": "user", "name": "alice"}])),
                   403, "a read token")
    for bad in ({"url": "ftp://example.com/x", "watched": [{"type": "user", "name": "alice"}]},
                {"url": url, "watched": []},
                {"url": url, "watched": [{"type": "model", "name": "no-slash"}]},
                {"url": url, "watched": [{"type": "user", "name": "alice"}], "domains": ["everything"]},
                {"url": url, "watched": [{"type": "user", "name": "nobody-by-this-name"}]},
                {"url": url, "watched": [{"type": "org", "name": "alice"}]}):  # alice is a user, not an org
        it.check_equal(status_of(lambda: alice.create_webhook(**bad)), 400, "refused: " + json.dumps(bad))
    it.check_equal(status_of(lambda: alice.create_webhook(job_id="abc", watched=[{"type": "user", "name": "a"}])),
                   400, "a Job as target")
    # The server allows 127.0.0.0/8 (--webhook-allowed-networks) for this receiver; other non-public targets stay out.
    for private in ("http://10.255.255.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/hook",
                    "http://192.168.0.1:8080/hook"):
        e = it.check_raises(HfHubHTTPError, lambda: alice.create_webhook(
            url=private, watched=[{"type": "user", "name": "alice"}]), "a webhook to " + private)
        it.check_equal(e.response.status_code, 400, "refused: " + private)
        it.check("is not a public address" in e.response.json()["error"], "the refusal says why: " + e.response.text)
    it.check_equal(status_of(lambda: alice.update_webhook(hook.id, url="http://10.0.0.1/hook",
                                                          watched=[{"type": "user", "name": "alice"}])),
                   400, "an update to a private address")
    it.check_equal(alice.get_webhook(hook.id).url, url, "the refused update changed nothing")
    it.check_equal(len(alice.list_webhooks()), 1, "refusals create nothing")

    it.step("a commit to the watched repo is delivered with the secret and the Hub's payload")
    alice.create_repo("alice/watched")
    created = next_payload("the repo's creation")
    before = alice.model_info("alice/watched").sha
    alice.upload_file(path_or_fileobj=b"hello\n", path_in_repo="notes.txt", repo_id="alice/watched")
    path, secret, payload = next_payload("the commit")
    head = alice.model_info("alice/watched").sha
    it.check_equal(payload["updatedRefs"], [{"ref": "refs/heads/main", "oldSha": before, "newSha": head}],
                   "updatedRefs names the branch and both commits")
    it.check_equal((path, secret), ("/hook", "s3cret"), "the URL's path and the secret header")
    it.check_equal(payload["event"], {"action": "update", "scope": "repo.content"}, "event")
    repo = payload["repo"]
    it.check_equal((repo["type"], repo["name"], repo["private"], repo["head_sha"]),
                   ("model", "alice/watched", False, head), "repo")
    it.check_equal(repo["url"]["web"], os.environ["HF_ENDPOINT"] + "/alice/watched", "the repo's web URL")
    it.check(isinstance(repo["id"], str) and isinstance(repo["owner"]["id"], str), "ids")
    it.check_equal(payload["webhook"], {"id": hook.id, "version": 3}, "webhook")
    it.check_equal((created[2]["event"], created[2]["repo"]["name"]),
                   ({"action": "create", "scope": "repo"}, "alice/watched"), "the creation's payload")
    it.check(it.is_commit_sha(created[2]["repo"]["head_sha"]), "with the first commit")
    deadline = time.monotonic() + 10  # recorded once the receiver's answer is in, just after the payload arrived
    while True:
        last = get_session().get(os.environ["HF_ENDPOINT"] + "/api/settings/webhooks/" + hook.id,
                                 headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]}).json()["webhook"]
        if "lastDelivery" in last or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    it.check_equal(last.get("lastDelivery", {}).get("outcome"), "HTTP 204", "the last delivery's outcome")

    it.step("quick commits arrive in the order they landed")
    from huggingface_hub import CommitOperationAdd
    landed = []
    for i in range(6):
        landed.append(alice.create_commit("alice/watched", [CommitOperationAdd(f"quick/{i}.txt", b"%d\n" % i)],
                                          commit_message=f"quick {i}").oid)
    arrived = [next_payload(f"quick commit {i}")[2]["updatedRefs"][0]["newSha"] for i in range(6)]
    it.check_equal(arrived, landed, "one webhook's payloads in commit order")
    head = landed[-1]

    alice.create_branch("alice/watched", branch="dev")
    it.check_equal(next_payload("a new branch")[2]["updatedRefs"], [{"ref": "refs/heads/dev", "newSha": head}],
                   "a new branch has no old commit")

    work = os.environ["WORKDIR"]
    os.makedirs(work, exist_ok=True)
    scheme, rest = os.environ["HF_ENDPOINT"].split("://", 1)
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@example.com",
               GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")
    clone = os.path.join(work, "watched")
    subprocess.run(["git", "clone", "-q", "%s://alice:%s@%s/alice/watched" % (scheme, os.environ["HF_TOKEN"], rest),
                    clone], env=env, check=True, capture_output=True)
    with open(os.path.join(clone, "pushed.txt"), "w") as f:
        f.write("pushed with git\n")
    for args in (["add", "pushed.txt"], ["commit", "-q", "-m", "Push"], ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", *args], cwd=clone, env=env, check=True, capture_output=True)
    pushed = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, env=env, check=True, capture_output=True,
                            text=True).stdout.strip()
    it.check_equal(next_payload("a git push")[2]["updatedRefs"],
                   [{"ref": "refs/heads/main", "oldSha": head, "newSha": pushed}], "a push's updatedRefs")

    it.step("an unwatched repo is not delivered")
    alice.create_repo("alice/other")
    alice.upload_file(path_or_fileobj=b"x\n", path_in_repo="x.txt", repo_id="alice/other")
    nothing_arrives("a commit to an unwatched repo")

    it.step("watching a namespace: its public repos, and private ones only if the owner may see them")
    alice.update_webhook(hook.id, url=url, watched=[{"type": "user", "name": "bob"}], domains=["repo"],
                         secret="s3cret")
    bob.create_repo("bob/public")
    it.check_equal(next_payload("bob's new public repo")[2]["repo"]["name"], "bob/public", "bob's public repo")
    bob.create_repo("bob/private", private=True)
    bob.upload_file(path_or_fileobj=b"secret\n", path_in_repo="s.txt", repo_id="bob/private")
    nothing_arrives("bob's private repo, which alice cannot see")

    it.step("disabled, nothing is sent; enabled again, it is")
    it.check_equal(alice.disable_webhook(hook.id).disabled, True, "disabled")
    bob.upload_file(path_or_fileobj=b"1\n", path_in_repo="1.txt", repo_id="bob/public")
    nothing_arrives("a disabled webhook")
    it.check_equal(alice.enable_webhook(hook.id).disabled, False, "enabled")
    bob.upload_file(path_or_fileobj=b"2\n", path_in_repo="2.txt", repo_id="bob/public")
    it.check_equal(next_payload("the enabled webhook")[2]["repo"]["name"], "bob/public", "delivered again")

    it.step("deleted, it is gone")
    alice.delete_webhook(hook.id)
    it.check_equal(alice.list_webhooks(), [], "no webhooks left")
    bob.upload_file(path_or_fileobj=b"3\n", path_in_repo="3.txt", repo_id="bob/public")
    nothing_arrives("a deleted webhook")
    it.step("discussions: opened, commented, closed, and a pull request from a commit")
    # "discussion", as in the client's docstring example, means the discussions domain.
    talk = alice.create_webhook(url=url + "/talk", watched=[{"type": "model", "name": "alice/watched"}],
                                domains=["discussion"])
    it.check_equal(talk.domains, ["discussions"], "the domain")
    opened = bob.create_discussion("alice/watched", title="Is this any good?")
    path, secret, payload = next_payload("a new discussion")
    it.check_equal((path, secret), ("/hook/talk", None), "the second webhook, without a secret")
    it.check_equal(payload["event"], {"action": "create", "scope": "discussion"}, "event")
    d = payload["discussion"]
    it.check_equal((d["num"], d["title"], d["isPullRequest"], d["status"]),
                   (opened.num, "Is this any good?", False, "open"), "the discussion")
    it.check_equal(d["url"]["web"], os.environ["HF_ENDPOINT"] + "/alice/watched/discussions/%d" % opened.num, "url")
    alice.comment_discussion("alice/watched", opened.num, "Yes, quite.")
    payload = next_payload("a comment")[2]
    it.check_equal((payload["event"]["scope"], payload["comment"]["content"], payload["comment"]["hidden"]),
                   ("discussion.comment", "Yes, quite.", False), "the comment")
    alice.change_discussion_status("alice/watched", opened.num, new_status="closed")
    payload = next_payload("a status change")[2]
    it.check_equal((payload["event"]["action"], payload["discussion"]["status"]), ("update", "closed"), "closed")
    bob.upload_file(path_or_fileobj=b"better\n", path_in_repo="notes.txt", repo_id="alice/watched", create_pr=True)
    payload = next_payload("a pull request opened by a commit")[2]
    it.check_equal((payload["event"]["action"], payload["discussion"]["isPullRequest"],
                    payload["discussion"]["changes"]["base"]), ("create", True, "refs/heads/main"), "the PR")
    draft = bob.create_pull_request("alice/watched", title="A draft")
    payload = next_payload("a draft pull request")[2]
    it.check_equal((payload["event"]["action"], payload["discussion"]["status"]), ("create", "draft"), "the draft")
    bob.upload_file(path_or_fileobj=b"drafted\n", path_in_repo="draft.txt", repo_id="alice/watched",
                    revision=draft.git_reference)
    payload = next_payload("the draft opened by its first commit")[2]
    it.check_equal((payload["event"]["action"], payload["discussion"]["num"], payload["discussion"]["status"]),
                   ("update", draft.num, "open"), "opened")
    alice.delete_webhook(talk.id)

    it.step("a watched repo moved and deleted: one payload each, and the watch follows the move")
    moves = alice.create_webhook(url=url + "/moves", watched=[{"type": "model", "name": "alice/watched"}],
                                 domains=["repo"])
    alice.move_repo("alice/watched", "alice/renamed")
    path, _, payload = next_payload("a move")
    it.check_equal((path, payload["event"], payload["repo"]["name"], payload["movedTo"]["name"]),
                   ("/hook/moves", {"action": "move", "scope": "repo"}, "alice/watched", "alice/renamed"), "the move")
    it.check_equal([(w.type, w.name) for w in alice.get_webhook(moves.id).watched], [("model", "alice/renamed")],
                   "the watch follows the repo")
    alice.upload_file(path_or_fileobj=b"after the move\n", path_in_repo="moved.txt", repo_id="alice/renamed")
    it.check_equal(next_payload("a commit after the move")[2]["repo"]["name"], "alice/renamed", "still watched")
    alice.delete_repo("alice/renamed")
    payload = next_payload("a deletion")[2]
    it.check_equal((payload["event"], payload["repo"]["name"]), ({"action": "delete", "scope": "repo"},
                                                                 "alice/renamed"), "the deletion")
    alice.delete_webhook(moves.id)
    server.shutdown()
    return {"webhook": hook.id}


it.run(main)
