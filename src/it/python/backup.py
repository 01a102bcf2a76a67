"""A hub backed up while it runs (`atrium admin backup`), then restored: what huggingface_hub uploaded before the
backup (through Xet, the client's default), branches, tags, a private repo and the token itself are all there on the
restored hub, byte for byte; a repo committed to without pause while the backup ran comes back at one of the commits
the client was told had landed, whole.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), WORKDIR. Argument: fill | write | verify. Prints one JSON line.
"""

import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, CommitOperationAdd, hf_hub_download  # noqa: E402
from huggingface_hub.errors import RepositoryNotFoundError  # noqa: E402

WORK = os.environ["WORKDIR"]
EXPECTED = os.path.join(WORK, "expected.json")
BUSY = os.path.join(WORK, "busy.json")


def random_bytes(seed, size):
    return random.Random(seed).randbytes(size)


def fill(api):
    it.step("a model uploaded through Xet, with a branch and a tag; a private dataset")
    os.makedirs(WORK, exist_ok=True)
    files = {
        ("alice/model", "model", "main", "weights.bin"): random_bytes(1, 6 << 20),
        ("alice/model", "model", "main", "config.json"): b'{"hidden_size": 8}\n',
        ("alice/model", "model", "main", "README.md"): b"---\nlicense: mit\n---\n# A model\n",
        ("alice/model", "model", "dev", "extra.bin"): random_bytes(2, 3 << 20),
        ("alice/private-data", "dataset", "main", "data.csv"): b"a,b\n1,2\n",
        ("alice/private-data", "dataset", "main", "big.bin"): random_bytes(3, 2 << 20),
    }
    api.create_repo("alice/model")
    api.create_repo("alice/private-data", repo_type="dataset", private=True)
    api.create_repo("alice/busy")
    for (repo, kind, revision, path), data in files.items():
        if revision != "main":
            api.create_branch(repo, branch=revision, repo_type=kind, exist_ok=True)
        api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=repo, repo_type=kind, revision=revision)
    api.create_tag("alice/model", tag="v1")
    expected = [{"repo": repo, "type": kind, "revision": revision, "path": path, "sha256": it.sha256_bytes(data)}
                for (repo, kind, revision, path), data in files.items()]
    with open(EXPECTED, "w") as f:
        json.dump(expected, f)
    return {"files": len(expected)}


def write(api):
    it.step("commits to alice/busy, one after another, until the backup is done")
    landed = []
    deadline = time.time() + 300
    while not os.path.exists(os.path.join(WORK, "stop")) and time.time() < deadline:
        n = len(landed)
        info = api.create_commit("alice/busy", commit_message="commit %d" % n, operations=[
            CommitOperationAdd("n%d.txt" % n, str(n).encode())])
        landed.append(info.oid)
        if n == 0:
            open(os.path.join(WORK, "writing"), "w").close()
    with open(BUSY, "w") as f:
        json.dump(landed, f)
    it.check(len(landed) > 1, "commits landed while the backup ran")
    return {"commits": len(landed)}


def verify(api):
    it.step("the token works on the restored hub")
    it.check_equal(api.whoami()["name"], "alice", "whoami")

    it.step("every file uploaded before the backup, byte for byte, downloaded through Xet")
    with open(EXPECTED) as f:
        expected = json.load(f)
    for file in expected:
        local = hf_hub_download(file["repo"], file["path"], repo_type=file["type"], revision=file["revision"],
                                cache_dir=os.path.join(WORK, "cache"))
        it.check_equal(it.sha256_file(local), file["sha256"], "%s %s@%s" % (file["repo"], file["path"],
                                                                            file["revision"]))
    refs = api.list_repo_refs("alice/model")
    it.check_equal(sorted(b.name for b in refs.branches), ["dev", "main"], "branches")
    it.check_equal([t.name for t in refs.tags], ["v1"], "tags")

    it.step("the private dataset is still private")
    it.check_raises(RepositoryNotFoundError, lambda: HfApi(token=False).dataset_info("alice/private-data"),
                    "anonymous dataset_info")

    it.step("the repo written to during the backup: at a commit that had landed, with all its files")
    with open(BUSY) as f:
        landed = json.load(f)
    head = api.model_info("alice/busy").sha
    it.check(head in landed, "head %s is one of the %d commits that landed" % (head, len(landed)))
    count = landed.index(head) + 1
    files = sorted(f for f in api.list_repo_files("alice/busy") if f.startswith("n"))
    it.check_equal(files, sorted("n%d.txt" % n for n in range(count)), "its files")
    for n in range(count):
        local = hf_hub_download("alice/busy", "n%d.txt" % n, cache_dir=os.path.join(WORK, "cache"))
        with open(local, "rb") as f:
            it.check_equal(f.read(), str(n).encode(), "n%d.txt" % n)
    return {"busy_commits_restored": count, "busy_commits_landed": len(landed)}


def main():
    api = HfApi()
    return {"fill": fill, "write": write, "verify": verify}[sys.argv[1]](api)


if __name__ == "__main__":
    it.run(main)
