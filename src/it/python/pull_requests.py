"""Pull requests and discussions through the real huggingface_hub client, against a live Atrium.

Environment: HF_ENDPOINT, WORKDIR, TOKEN_ALICE (owner, write), TOKEN_BOB (read token: enough to open a pull
request, as on the Hub), TOKEN_CAROL (write, a stranger), TOKEN_CONTRIB (acme contributor), TOKEN_ADMIN (acme admin).
Prints one JSON line.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")

T = {n: os.environ["TOKEN_" + n.upper()] for n in ("alice", "bob", "carol", "contrib", "admin")}


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    alice, bob, carol = HfApi(token=T["alice"]), HfApi(token=T["bob"]), HfApi(token=T["carol"])

    it.step("bob, with a read token, opens a pull request with a commit, large file included")
    alice.create_repo("alice/m")
    alice.upload_file(path_or_fileobj=b"v1\n", path_in_repo="notes.txt", repo_id="alice/m")
    weights = os.urandom(1024 * 1024)
    info = bob.create_commit("alice/m", operations=[
        CommitOperationAdd(path_in_repo="notes.txt", path_or_fileobj=b"v2 from bob\n"),
        CommitOperationAdd(path_in_repo="weights.bin", path_or_fileobj=weights)],
        commit_message="Improve the notes", create_pr=True)
    it.check(info.pr_url.endswith("/alice/m/discussions/1"), f"the pull request's URL: {info.pr_url}")
    it.check_equal(info.pr_num, 1, "pr_num")
    it.check_equal(Path(hf_hub_download("alice/m", "notes.txt", token=T["alice"], cache_dir=work / "c1"))
                   .read_bytes(), b"v1\n", "main is untouched")
    got = hf_hub_download("alice/m", "weights.bin", revision="refs/pr/1", token=T["alice"], cache_dir=work / "c2")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(weights), "the pull request's large file")
    prs = list(alice.get_repo_discussions("alice/m", discussion_type="pull_request"))
    it.check_equal([(p.num, p.title, p.status, p.author) for p in prs], [(1, "Improve the notes", "open", "bob")],
                   "listed")
    e = it.check_raises(HfHubHTTPError, lambda: bob.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                repo_id="alice/m"), "bob pushing to main")
    it.check_equal(e.response.status_code, 403, "bob may not push to main")

    it.step("the author adds commits to his pull request; a stranger may not")
    bob.upload_file(path_or_fileobj=b"more\n", path_in_repo="more.txt", repo_id="alice/m", revision="refs/pr/1")
    e = it.check_raises(HfHubHTTPError, lambda: carol.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                  repo_id="alice/m", revision="refs/pr/1"),
                        "carol pushing to bob's pull request")
    it.check_equal(e.response.status_code, 403, "carol's push")
    details = alice.get_discussion_details("alice/m", 1)
    it.check_equal(details.target_branch, "refs/heads/main", "the base")
    it.check("notes.txt" in details.diff and "v2 from bob" in details.diff, "the diff shows the change")
    it.check_equal(len([e for e in details.events if e.type == "commit"]), 2, "two commit events")

    it.step("comments, a plain discussion, status changes; only the owner merges")
    thanks = alice.comment_discussion("alice/m", 1, "Thanks, **looks good**: see [the notes](notes.txt)"
                                                   "<script>alert(1)</script>")
    it.check(thanks.rendered.startswith("<p>Thanks, <strong>looks good</strong>: see <a href=\"/alice/m/blob/main/"
                                        "notes.txt\""), "a comment's rendered HTML: " + thanks.rendered)
    it.check("<script" not in thanks.rendered, "and sanitized: " + thanks.rendered)
    e = it.check_raises(HfHubHTTPError, lambda: bob.merge_pull_request("alice/m", 1), "bob merging")
    it.check_equal(e.response.status_code, 403, "bob may not merge")
    alice.merge_pull_request("alice/m", 1)
    it.check_equal(alice.get_discussion_details("alice/m", 1).status, "merged", "merged")
    it.check_equal(Path(hf_hub_download("alice/m", "notes.txt", token=T["carol"], cache_dir=work / "c3"))
                   .read_bytes(), b"v2 from bob\n", "main has bob's change")
    d = carol.create_discussion("alice/m", title="A question", description="Which license?")
    it.check_equal((d.num, d.is_pull_request), (2, False), "a discussion takes the next number")
    it.step("comments are edited by their author only, and hidden by their author or the repo's writers")
    mine = carol.comment_discussion("alice/m", 2, "MIT, I hope")
    edited = carol.edit_discussion_comment("alice/m", 2, mine.id, "MIT or Apache-2.0?")
    it.check_equal((edited.content, edited.edited), ("MIT or Apache-2.0?", True), "the author's edit")
    e = it.check_raises(HfHubHTTPError, lambda: alice.edit_discussion_comment("alice/m", 2, mine.id, "no"),
                        "the owner editing someone else's words")
    it.check_equal(e.response.status_code, 403, "refused")
    e = it.check_raises(HfHubHTTPError, lambda: bob.hide_discussion_comment("alice/m", 2, mine.id),
                        "a stranger hiding it")
    it.check_equal(e.response.status_code, 403, "refused")
    hidden = alice.hide_discussion_comment("alice/m", 2, mine.id)
    it.check_equal((hidden.hidden, hidden.content), (True, "This comment has been hidden"), "the owner hides it")
    shown = [c for c in alice.get_discussion_details("alice/m", 2).events if c.id == mine.id][0]
    it.check_equal((shown.hidden, shown.content), (True, "This comment has been hidden"), "and its text is gone")
    carol.change_discussion_status("alice/m", 2, "closed")
    it.check_equal([p.num for p in alice.get_repo_discussions("alice/m", discussion_status="open")], [], "none open")

    it.step("a merge that cannot fast-forward writes a merge commit; conflicts are refused")
    pr3 = bob.create_commit("alice/m", operations=[CommitOperationAdd(path_in_repo="b.txt", path_or_fileobj=b"b\n")],
                            commit_message="Add b", create_pr=True).pr_num
    alice.upload_file(path_or_fileobj=b"a\n", path_in_repo="a.txt", repo_id="alice/m")
    alice.merge_pull_request("alice/m", pr3)
    files = set(alice.list_repo_files("alice/m"))
    it.check({"a.txt", "b.txt"} <= files, f"both sides after the merge: {files}")
    pr4 = bob.create_commit("alice/m", operations=[CommitOperationAdd(path_in_repo="a.txt", path_or_fileobj=b"bob\n")],
                            commit_message="Change a", create_pr=True).pr_num
    alice.upload_file(path_or_fileobj=b"alice\n", path_in_repo="a.txt", repo_id="alice/m")
    e = it.check_raises(HfHubHTTPError, lambda: alice.merge_pull_request("alice/m", pr4), "a conflicting merge")
    it.check_equal(e.response.status_code, 409, "conflict")

    it.step("lists filter by author and page through more than one page of 50")
    it.check_equal([p.num for p in alice.get_repo_discussions("alice/m", author="bob")], [pr4, pr3, 1],
                   "bob's threads, newest first")
    for n in range(50):
        carol.create_discussion("alice/m", title=f"Question {n}")
    listed = [p.num for p in alice.get_repo_discussions("alice/m")]
    it.check_equal(listed, list(range(pr4 + 50, 0, -1)), "every thread once, newest first, over two pages")
    for query in ("p=x", "p=-1", "status=bogus"):
        res = get_session().get(f"{ENDPOINT}/api/models/alice/m/discussions?{query}",
                                headers={"Authorization": "Bearer " + T["alice"]})
        it.check_equal(res.status_code, 400, query)

    it.step("an organization's contributor opens pull requests on its private repo but cannot push to it")
    admin, contrib = HfApi(token=T["admin"]), HfApi(token=T["contrib"])
    admin.create_repo("acme/private", private=True)
    admin.upload_file(path_or_fileobj=b"base\n", path_in_repo="f.txt", repo_id="acme/private")
    e = it.check_raises(HfHubHTTPError, lambda: contrib.upload_file(path_or_fileobj=b"x", path_in_repo="f.txt",
                                                                    repo_id="acme/private"), "contributor pushing")
    it.check_equal(e.response.status_code, 403, "a contributor does not push to main")
    num = contrib.upload_file(path_or_fileobj=b"proposed\n", path_in_repo="f.txt", repo_id="acme/private",
                              create_pr=True).pr_num
    admin.merge_pull_request("acme/private", num)
    it.check_equal(Path(hf_hub_download("acme/private", "f.txt", token=T["admin"], cache_dir=work / "c4"))
                   .read_bytes(), b"proposed\n", "the admin merged it")

    it.step("create_pull_request makes a draft; commits to its ref open it, by the commit API or by git")
    draft = bob.create_pull_request("alice/m", title="A draft", description="work in progress")
    it.check_equal(alice.get_discussion_details("alice/m", draft.num).status, "draft", "a new pull request")
    bob.upload_file(path_or_fileobj=b"drafted\n", path_in_repo="draft.txt", repo_id="alice/m",
                    revision=draft.git_reference)
    details = alice.get_discussion_details("alice/m", draft.num)
    it.check_equal(details.status, "open", "opened by its first commit")
    it.check_equal(sorted(e.type for e in details.events if e.type in ("status-change", "commit")),
                   ["commit", "status-change"], "the commit and the opening are in its history")
    # git pushes need a write token (bob's is read): the owner drafts this one.
    by_git = alice.create_pull_request("alice/m", title="Another draft")
    clone = work / "clone"
    url = ENDPOINT.replace("://", "://alice:%s@" % T["alice"]) + "/alice/m"
    git("clone", "-q", url, str(clone))
    git("-C", str(clone), "fetch", "-q", "origin", by_git.git_reference)
    git("-C", str(clone), "checkout", "-q", "FETCH_HEAD")
    (clone / "pushed.txt").write_text("by git\n")
    git("-C", str(clone), "add", "pushed.txt")
    git("-C", str(clone), "-c", "user.name=alice", "-c", "user.email=alice@example.com", "commit", "-q", "-m",
        "by git")
    git("-C", str(clone), "push", "-q", "origin", "HEAD:" + by_git.git_reference)
    details = alice.get_discussion_details("alice/m", by_git.num)
    it.check_equal(details.status, "open", "opened by a git push")
    it.check("pushed.txt" in details.diff, "the pushed commit is the pull request's change")
    alice.change_discussion_status("alice/m", by_git.num, "closed")
    (clone / "pushed.txt").write_text("after closing\n")
    git("-C", str(clone), "-c", "user.name=alice", "-c", "user.email=alice@example.com", "commit", "-q", "-am",
        "late")
    refused = subprocess.run(["git", "-C", str(clone), "push", "origin", "HEAD:" + by_git.git_reference],
                             capture_output=True, text=True)
    it.check(refused.returncode != 0 and "open pull request" in refused.stderr,
             "a closed pull request takes no pushes: " + refused.stderr)
    refused = subprocess.run(["git", "-C", str(clone), "push", "origin", "HEAD:refs/pr/999"], capture_output=True,
                             text=True)
    it.check(refused.returncode != 0, "nor does a pull request that does not exist")
    return {"pull_requests": 6}


def git(*args):
    done = subprocess.run(["git", *args], capture_output=True, text=True, env={**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"})
    it.check(done.returncode == 0, "git %s: %s" % (args[:3], done.stderr.strip()))


if __name__ == "__main__":
    it.run(main)
