"""Rewriting a branch's history with super_squash_history, through the real huggingface_hub client.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), TOKEN_READ (alice, read). Prints one JSON line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RevisionNotFoundError  # noqa: E402


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    repo = "alice/squashed"
    weights = os.urandom(2 * 1024 * 1024)

    it.step("three commits on main, a tag on the second")
    api.create_repo(repo)
    api.upload_file(path_or_fileobj=b"v1\n", path_in_repo="notes.txt", repo_id=repo)
    api.upload_file(path_or_fileobj=weights, path_in_repo="weights.bin", repo_id=repo)
    api.create_tag(repo, tag="v1")
    api.upload_file(path_or_fileobj=b"v2\n", path_in_repo="notes.txt", repo_id=repo)
    before = api.list_repo_commits(repo)
    files = sorted(api.list_repo_files(repo))

    it.step("a read token may not squash; a tag or a missing branch cannot be")
    e = it.check_raises(HfHubHTTPError, lambda: HfApi(token=os.environ["TOKEN_READ"]).super_squash_history(repo),
                        "a read token")
    it.check_equal(e.response.status_code, 403, "refused")
    e = it.check_raises(HfHubHTTPError, lambda: api.super_squash_history(repo, branch="v1"), "squashing a tag")
    it.check_equal(e.response.status_code, 400, "a tag is not a branch")
    it.check_raises(RevisionNotFoundError, lambda: api.super_squash_history(repo, branch="nope"), "a missing branch")
    it.check_equal(len(api.list_repo_commits(repo)), len(before), "refusals change nothing")

    it.step("main becomes one commit with the same files; the tag still reaches the old history")
    api.super_squash_history(repo, commit_message="One commit to hold them all")
    after = api.list_repo_commits(repo)
    it.check_equal([c.title for c in after], ["One commit to hold them all"], "main's history")
    it.check_equal(sorted(api.list_repo_files(repo)), files, "the same files")
    for name, data in (("notes.txt", b"v2\n"), ("weights.bin", weights)):
        got = hf_hub_download(repo, name, revision=after[0].commit_id, cache_dir=work / "c")
        it.check_equal(Path(got).read_bytes() == data, True, name + " byte for byte")
    it.check_equal(len(api.list_repo_commits(repo, revision="v1")), len(before) - 1, "the tag keeps its commits")
    return {"commits_before": len(before)}


it.run(main)
