"""Freeing a repo's storage with list_lfs_files and permanently_delete_lfs_files, through the real huggingface_hub.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), TOKEN_READ (alice, read), TOKEN_BOB (bob, write).
Prints one JSON line: the oids deleted.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationCopy, HfApi, constants, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

MIB = 1024 * 1024


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    repo = "alice/checkpoints"
    step1, step2, lfs = os.urandom(3 * MIB), os.urandom(2 * MIB), os.urandom(MIB)

    it.step("two checkpoints through Xet, a file through LFS, a tag; the first checkpoint deleted from main")
    api.create_repo(repo)
    api.upload_file(path_or_fileobj=b"# notes\n", path_in_repo="README.md", repo_id=repo)
    api.upload_file(path_or_fileobj=step1, path_in_repo="ckpt/step1.bin", repo_id=repo)
    api.upload_file(path_or_fileobj=step2, path_in_repo="ckpt/step2.bin", repo_id=repo)
    api.create_tag(repo, tag="v1", tag_message="the first two checkpoints")
    constants.HF_HUB_DISABLE_XET = True  # read at each upload
    api.upload_file(path_or_fileobj=lfs, path_in_repo="extra/lfs.bin", repo_id=repo)
    constants.HF_HUB_DISABLE_XET = False
    deadline = time.monotonic() + 60  # made a Xet file in the background: wait, so that it cannot race the deletion
    while not api.get_paths_info(repo, ["extra/lfs.bin"])[0].xet_hash:
        it.check(time.monotonic() < deadline, "lfs.bin was not converted within 60 s")
        time.sleep(0.2)
    api.delete_file("ckpt/step1.bin", repo_id=repo)
    commits_before = api.list_repo_commits(repo)

    it.step("list_lfs_files: every large file, with a path from history, its ref and its size")
    files = {f.oid: f for f in api.list_lfs_files(repo)}
    expected = {it.sha256_bytes(step1): ("ckpt/step1.bin", len(step1)),
                it.sha256_bytes(step2): ("ckpt/step2.bin", len(step2)),
                it.sha256_bytes(lfs): ("extra/lfs.bin", len(lfs))}
    it.check_equal({oid: (f.filename, f.size) for oid, f in files.items()}, expected, "the listed files")
    it.check_equal({f.ref for f in files.values()}, {"refs/heads/main"}, "found in main's history")
    it.check_equal(all(f.file_oid == f.oid and f.pushed_at.year >= 2024 for f in files.values()), True,
                   "fileOid and pushedAt")
    page = get_session().get(os.environ["HF_ENDPOINT"] + "/api/models/" + repo + "/lfs-files?limit=2",
                             headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]})
    it.check_equal((page.status_code, len(page.json()), 'rel="next"' in page.headers.get("Link", "")),
                   (200, 2, True), "a page of two links to the next")

    it.step("list_user_repos: the repo's storage, its share of alice's")
    mine = {r.id: r for r in api.list_user_repos()}
    before = mine[repo]
    it.check_equal((before.type, before.visibility), ("model", "public"), "type and visibility")
    it.check(before.storage >= 6 * MIB and 0 < before.storage_percent <= 100, "all three files count: %d bytes, %.2f%%"
             % (before.storage, before.storage_percent))
    e = it.check_raises(HfHubHTTPError, lambda: list(api.list_user_repos(namespace="someone-elses-org")),
                        "another namespace's repos")
    it.check_equal(e.response.status_code, 403, "refused")

    it.step("only writers may list or delete; bad requests change nothing")
    reader = HfApi(token=os.environ["TOKEN_READ"])
    e = it.check_raises(HfHubHTTPError, lambda: list(reader.list_lfs_files(repo)), "a read token lists")
    it.check_equal(e.response.status_code, 403, "refused")
    e = it.check_raises(HfHubHTTPError, lambda: reader.permanently_delete_lfs_files(repo, [files[
        it.sha256_bytes(step2)]]), "a read token deletes")
    it.check_equal(e.response.status_code, 403, "refused")
    e = it.check_raises(HfHubHTTPError, lambda: list(HfApi(token=os.environ["TOKEN_BOB"]).list_lfs_files(repo)),
                        "another user lists")
    it.check_equal(e.response.status_code, 403, "refused")
    for body in ({"deletions": {"sha": ["not-a-sha"], "rewriteHistory": True}},
                 {"deletions": {"sha": []}},
                 {"deletions": {"sha": [it.sha256_bytes(step1)], "rewriteHistory": "yes"}}):
        res = get_session().post(os.environ["HF_ENDPOINT"] + "/api/models/" + repo + "/lfs-files/batch", json=body,
                                 headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]})
        it.check_equal((res.status_code, "error" in res.json()), (400, True), "a malformed request: " + str(body))
    it.check_equal(len(list(api.list_lfs_files(repo))), 3, "nothing was deleted")

    it.step("deleting the first checkpoint rewrites history: no revision names it, the rest is intact")
    api.permanently_delete_lfs_files(repo, [files[it.sha256_bytes(step1)]])
    after = {r.id: r for r in api.list_user_repos()}[repo]
    # Less the few KB the rewritten commits add to the git directory.
    it.check(before.storage - after.storage > len(step1) - 64 * 1024, "it stops counting at once: %d -> %d bytes"
             % (before.storage, after.storage))
    it.check_equal(sorted(f.filename for f in api.list_lfs_files(repo)), ["ckpt/step2.bin", "extra/lfs.bin"],
                   "what is left")
    commits_after = api.list_repo_commits(repo)
    it.check_equal([c.title for c in commits_after], [c.title for c in commits_before], "the same commits")
    it.check(commits_after[0].commit_id != commits_before[0].commit_id, "with new ids")
    for revision in [c.commit_id for c in commits_after] + ["v1"]:
        it.check("ckpt/step1.bin" not in api.list_repo_files(repo, revision=revision),
                 "step1.bin is in no revision: " + revision)
    for revision in ("main", "v1"):
        got = hf_hub_download(repo, "ckpt/step2.bin", revision=revision, cache_dir=work / ("c-" + revision))
        it.check_equal(Path(got).read_bytes() == step2, True, "step2.bin byte for byte at " + revision)
    it.check_equal(len(api.list_repo_refs(repo).tags), 1, "the tag is kept")

    it.step("without rewriting history the pointer stays, but its content is gone")
    api.permanently_delete_lfs_files(repo, [files[it.sha256_bytes(lfs)]], rewrite_history=False)
    it.check("extra/lfs.bin" in api.list_repo_files(repo), "the pointer is still on main")
    res = get_session().get(os.environ["HF_ENDPOINT"] + "/" + repo + "/resolve/main/extra/lfs.bin",
                            headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]})
    it.check_equal(res.status_code, 404, "its download")
    it.check_equal([f.filename for f in api.list_lfs_files(repo)], ["ckpt/step2.bin"], "what is left")
    try:
        api.create_commit(repo, commit_message="point at it again",
                          operations=[CommitOperationCopy("extra/lfs.bin", "extra/again.bin")])
        it.check(False, "a commit pointing at content the repo let go of was accepted")
    except HfHubHTTPError as e:
        it.check(e.response.status_code in (400, 404, 422),
                 "a commit may not point at it again: %d %s" % (e.response.status_code, e.response.text[:200]))

    it.step("deleting again is a no-op")
    api.permanently_delete_lfs_files(repo, [files[it.sha256_bytes(step1)], files[it.sha256_bytes(lfs)]])
    it.check_equal(len(api.list_repo_commits(repo)), len(commits_after), "history unchanged")
    return {"deleted": [it.sha256_bytes(step1), it.sha256_bytes(lfs)]}


it.run(main)
