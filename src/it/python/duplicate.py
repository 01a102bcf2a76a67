"""Duplicating repos (`HfApi.duplicate_repo`, `hf repos duplicate`) through the real huggingface_hub client.

Environment: HF_ENDPOINT, WORKDIR, TOKEN_ALICE (owner of the sources), TOKEN_BOB (another user), TOKEN_CAROL (a user
allowed no private repo), PREFIX (distinguishes the repos of one run from another's on the same server); with
ATRIUM_IT_XET=default large files go through Xet, else through LFS. Prints one JSON line.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, CommitOperationCopy, HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")

T = {n: os.environ["TOKEN_" + n.upper()] for n in ("alice", "bob", "carol")}
P = os.environ["PREFIX"]


def wait_for_xet_hash(api, repo, path):
    """An LFS upload becomes a Xet file in the background; tree entries announce its Xet hash from then on."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        xet_hash = api.get_paths_info(repo, [path])[0].xet_hash
        if xet_hash:
            return xet_hash
        time.sleep(0.2)
    raise it.CheckFailed(f"{repo}/{path} has no Xet hash after 60 s")


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

    it.step("large files copied across repos by reference (CommitOperationCopy with src_repo_id)")
    target = f"bob/{P}target"
    bob.create_repo(target)
    xet_hash = wait_for_xet_hash(bob, src, "weights.bin")
    bob.create_commit(target, commit_message="Copy from alice", operations=[
        CommitOperationCopy(src_path_in_repo="weights.bin", path_in_repo="copied.bin", src_repo_id=src,
                            src_repo_type="model"),
        CommitOperationCopy(src_path_in_repo="README.md", path_in_repo="README.md", src_repo_id=src,
                            src_repo_type="model")])
    got = hf_hub_download(target, "copied.bin", token=T["bob"], cache_dir=work / "c3")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(weights), "the copied large file, byte for byte")
    it.check_equal(bob.get_paths_info(target, ["copied.bin"])[0].xet_hash, xet_hash, "the same Xet file")
    oid = it.sha256_bytes(weights)
    res = get_session().post(f"{ENDPOINT}/api/models/{src}/lfs-files/duplicate",
                             headers={"Authorization": "Bearer " + T["bob"]},
                             json={"target": {"type": "model", "name": target},
                                   "files": [{"xetHash": "0" * 64, "sha256": oid, "filename": "weights.bin"}]})
    it.check_equal((res.status_code, [f["sha256"] for f in res.json()["failed"]]), (200, [oid]),
                   "a Xet hash the source does not hold for that content is refused, file by file")
    res = get_session().post(f"{ENDPOINT}/api/models/{secret}/lfs-files/duplicate",
                             headers={"Authorization": "Bearer " + T["bob"]},
                             json={"target": {"type": "model", "name": target}, "files": []})
    it.check_equal(res.status_code, 404, "a repo bob cannot see lends him nothing")
    # Into a public repo anyone may copy, as anyone may upload to it for a pull request; not into a private one.
    res = get_session().post(f"{ENDPOINT}/api/models/{src}/lfs-files/duplicate",
                             headers={"Authorization": "Bearer " + T["carol"]},
                             json={"target": {"type": "model", "name": mine.repo_id},
                                   "files": [{"xetHash": xet_hash, "sha256": oid, "filename": "weights.bin"}]})
    it.check_equal(res.status_code, 404, "carol may not copy into bob's private repo")

    it.step("datasets too")
    data = f"alice/{P}data"
    alice.create_repo(data, repo_type="dataset")
    alice.upload_file(path_or_fileobj=weights, path_in_repo="train.bin", repo_id=data, repo_type="dataset")
    dcopy = bob.duplicate_repo(data, repo_type="dataset").repo_id
    got = hf_hub_download(dcopy, "train.bin", repo_type="dataset", token=T["bob"], cache_dir=work / "c2")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(weights), "the dataset's file")
    return {"copy": copy}


it.run(main)
