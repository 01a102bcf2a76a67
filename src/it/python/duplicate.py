"""Duplicating repos (`HfApi.duplicate_repo`, `hf repos duplicate`) through the real huggingface_hub client.

Environment: HF_ENDPOINT, WORKDIR, TOKEN_ALICE (owner of the sources), TOKEN_BOB (another user), TOKEN_CAROL (a user
allowed no private repo), PREFIX (distinguishes the repos of one run from another's on the same server); with
ATRIUM_IT_XET=default large files go through Xet, else through LFS. Prints one JSON line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402

T = {n: os.environ["TOKEN_" + n.upper()] for n in ("alice", "bob", "carol")}
P = os.environ["PREFIX"]


def refs(api, repo, **kw):
    r = api.list_repo_refs(repo, include_pull_requests=True, **kw)
    return ({b.name: b.target_commit for b in r.branches}, {t.name: t.target_commit for t in r.tags},
            [p.ref for p in r.pull_requests or []])


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    alice, bob, carol = HfApi(token=T["alice"]), HfApi(token=T["bob"]), HfApi(token=T["carol"])
    weights = os.urandom(3 * 1024 * 1024)
    src = f"alice/{P}src"

    it.step("alice's repo: a large file, a branch, a tag and bob's pull request")
    alice.create_repo(src)
    alice.upload_file(path_or_fileobj=b"# Source\n", path_in_repo="README.md", repo_id=src)
    alice.upload_file(path_or_fileobj=weights, path_in_repo="weights.bin", repo_id=src)
    alice.create_branch(src, branch="dev")
    alice.upload_file(path_or_fileobj=b"dev only\n", path_in_repo="dev.txt", repo_id=src, revision="dev")
    alice.create_tag(src, tag="v1")
    bob.create_commit(src, operations=[CommitOperationAdd(path_in_repo="idea.txt", path_or_fileobj=b"idea\n")],
                      commit_message="An idea", create_pr=True)
    branches, tags, prs = refs(alice, src)

    it.step("bob duplicates it into his namespace: same history, branches and tags, no pull requests")
    url = bob.duplicate_repo(src)
    copy = f"bob/{P}src"
    it.check_equal(url.repo_id, copy, "the copy takes bob's namespace and the source's name")
    it.check_equal(refs(bob, copy), (branches, tags, []), "branches and tags, commit for commit")
    it.check_equal(bob.repo_info(copy).private, False, "public like its source")
    got = hf_hub_download(copy, "weights.bin", token=T["bob"], cache_dir=work / "c1")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(weights), "the large file, byte for byte")
    it.check_equal(list(bob.get_repo_discussions(copy)), [], "discussions stay with the source")

    it.step("the copy is bob's own: his commits leave the source alone; a second duplicate conflicts")
    bob.upload_file(path_or_fileobj=b"bob's\n", path_in_repo="bob.txt", repo_id=copy)
    it.check_equal(refs(alice, src)[0]["main"], branches["main"], "the source's main is untouched")
    e = it.check_raises(HfHubHTTPError, lambda: bob.duplicate_repo(src), "duplicating onto an existing repo")
    it.check_equal(e.response.status_code, 409, "conflict")
    it.check_equal(bob.duplicate_repo(src, exist_ok=True).repo_id, copy, "exist_ok returns the existing copy")

    it.step("visibility: kept by default, or as asked")
    secret = f"alice/{P}secret"
    alice.create_repo(secret, private=True)
    alice.upload_file(path_or_fileobj=b"private\n", path_in_repo="s.txt", repo_id=secret)
    it.check_raises(RepositoryNotFoundError, lambda: bob.duplicate_repo(secret), "bob copying a repo he cannot see")
    it.check_equal(alice.repo_info(alice.duplicate_repo(secret, to_id=f"{P}secret-2").repo_id).private, True,
                   "a private repo's copy is private unless asked otherwise")
    mine = bob.duplicate_repo(src, to_id=f"bob/{P}private-copy", private=True)
    it.check_equal(bob.repo_info(mine.repo_id).private, True, "a private copy of a public repo")

    it.step("permissions and limits: the target namespace must be writable, the copy within quota")
    e = it.check_raises(HfHubHTTPError, lambda: bob.duplicate_repo(src, to_id=f"alice/{P}stolen"),
                        "bob copying into alice's namespace")
    it.check_equal(e.response.status_code, 403, "refused")
    e = it.check_raises(HfHubHTTPError, lambda: carol.duplicate_repo(src, private=True), "a private copy over quota")
    it.check_equal((e.response.status_code, e.response.headers.get("X-Error-Code")), (403, "PrivateRepoLimitReached"),
                   "refused by the limit")
    gated = f"alice/{P}gated"
    alice.create_repo(gated)
    alice.upload_file(path_or_fileobj=weights, path_in_repo="weights.bin", repo_id=gated)
    alice.update_repo_settings(gated, gated="manual")
    e = it.check_raises(HfHubHTTPError, lambda: bob.duplicate_repo(gated), "copying a gated repo without access")
    it.check_equal(e.response.status_code, 403, "the gate holds for copies too")

    it.step("datasets too")
    data = f"alice/{P}data"
    alice.create_repo(data, repo_type="dataset")
    alice.upload_file(path_or_fileobj=weights, path_in_repo="train.bin", repo_id=data, repo_type="dataset")
    dcopy = bob.duplicate_repo(data, repo_type="dataset").repo_id
    got = hf_hub_download(dcopy, "train.bin", repo_type="dataset", token=T["bob"], cache_dir=work / "c2")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(weights), "the dataset's file")
    return {"copy": copy}


it.run(main)
