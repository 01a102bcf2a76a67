"""Pickle scanning of uploaded models, seen through the real huggingface_hub client: list_repo_tree(expand=True)
carries each pickle file's securityFileStatus, model_info(securityStatus=True) the repo's securityRepoStatus. The
pickles are made here with CPython's pickle and zipfile (a PyTorch-style checkpoint among them); nothing is ever
unpickled. Runs on the LFS path and, with ATRIUM_IT_XET=default, through Xet (the scan then reads the file back
through its chunks).

Environment: HF_ENDPOINT, HF_TOKEN, WORKDIR. Prints one JSON line.
"""

import collections
import io
import os
import pickle
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402


class Evil:
    def __reduce__(self):
        return os.system, ("echo never run",)


class Config:  # a project's own class: loading it runs that project's code
    pass


def checkpoint(state):
    """A zip laid out as torch.save writes one: archive/data.pkl, tensor data, version; large tensor data first."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data/0", os.urandom(3 << 20))
        z.writestr("archive/data.pkl", pickle.dumps(state, protocol=2))
        z.writestr("archive/version", b"3\n")
    return buf.getvalue()


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    user = api.whoami()["name"]
    repo = f"{user}/pickles-{'xet' if os.environ.get('ATRIUM_IT_XET') == 'default' else 'lfs'}"
    api.create_repo(repo)

    it.step("upload a safe checkpoint, a malicious one, a plain pickle, a custom class and a safetensors file")
    files = {
        "pytorch_model.bin": checkpoint(collections.OrderedDict(weight=[1.0, 2.0], step=3)),
        "evil/model.pt": checkpoint(collections.OrderedDict(weight=[1.0], hook=Evil())),
        "stats.pkl": pickle.dumps({"mean": [0.5] * 100, "n": 100}, protocol=4),
        "config.pkl": pickle.dumps(Config(), protocol=4),
        "model.safetensors": b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + os.urandom(1024),
    }
    api.create_commit(repo, operations=[CommitOperationAdd(path_in_repo=p, path_or_fileobj=data)
                                        for p, data in files.items()], commit_message="models")

    it.step("list_repo_tree(expand=True) gives each pickle file its verdict and imports")
    scanned = it.wait_scanned(api, repo, ["pytorch_model.bin", "evil/model.pt", "stats.pkl", "config.pkl"])
    safe = scanned["pytorch_model.bin"].security
    it.check_equal((safe["status"], safe["safe"], safe["av_scan"]), ("safe", True, None), "a safe checkpoint")
    it.check_equal(safe["pickle_import_scan"]["highestSafetyLevel"], "innocuous", "its level")
    it.check_equal([(i["module"], i["name"], i["safety"]) for i in safe["pickle_import_scan"]["imports"]],
                   [("collections", "OrderedDict", "innocuous")], "its imports")
    evil = scanned["evil/model.pt"].security
    it.check_equal((evil["status"], evil["safe"]), ("unsafe", False), "a checkpoint that runs os.system")
    it.check({"module": "posix", "name": "system", "safety": "dangerous"} in evil["pickle_import_scan"]["imports"]
             or {"module": "nt", "name": "system", "safety": "dangerous"} in evil["pickle_import_scan"]["imports"],
             "the dangerous import is named: %s" % evil["pickle_import_scan"])
    it.check_equal(scanned["stats.pkl"].security["status"], "safe", "plain data")
    config = scanned["config.pkl"].security
    it.check_equal((config["status"], config["pickle_import_scan"]["highestSafetyLevel"]), ("caution", "suspicious"),
                   "a project's own class")
    it.check("model.safetensors" not in scanned, "safetensors holds no pickle: no status")

    it.step("paths-info with expand gives the same status")
    info = api.get_paths_info(repo, ["evil/model.pt", "model.safetensors"], expand=True)
    by_path = {i.path: i for i in info}
    it.check_equal(by_path["evil/model.pt"].security["status"], "unsafe", "paths-info")
    it.check(by_path["model.safetensors"].security is None, "no status for safetensors")

    it.step("model_info(securityStatus=True) lists the files with issues")
    status = api.model_info(repo, securityStatus=True).security_repo_status
    it.check_equal(status["scansDone"], True, "all scanned")
    it.check_equal(sorted((f["path"], f["level"]) for f in status["filesWithIssues"]),
                   [("config.pkl", "caution"), ("evil/model.pt", "unsafe")], "files with issues")

    it.step("a git push of a pickle through git-lfs is scanned too")
    scheme, rest = os.environ["HF_ENDPOINT"].split("://", 1)
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@example.com",
               GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", "%s://%s:%s@%s/%s" % (scheme, user, os.environ["HF_TOKEN"], rest, repo),
                    str(clone)], env=env, check=True, capture_output=True)
    (clone / "pushed").mkdir()
    (clone / "pushed" / "runner.pkl").write_bytes(pickle.dumps((Evil(), os.urandom(8).hex()), protocol=0))
    for args in (["lfs", "install", "--local"], ["add", "pushed/runner.pkl"], ["commit", "-q", "-m", "push"],
                 ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", *args], cwd=clone, env=env, check=True, capture_output=True)
    pointer = subprocess.run(["git", "cat-file", "-p", "HEAD:pushed/runner.pkl"], cwd=clone, env=env, check=True,
                             capture_output=True, text=True).stdout
    it.check(pointer.startswith("version https://git-lfs.github.com/spec/v1"), "pushed as an LFS pointer: " + pointer)
    pushed = it.wait_scanned(api, repo, ["pushed/runner.pkl"])["pushed/runner.pkl"].security
    it.check_equal(pushed["status"], "unsafe", "the pushed pickle")

    it.step("a pickle stored in git itself (no LFS rule for .dat) is scanned by its blob")
    (clone / "pushed" / "state.dat").write_bytes(pickle.dumps({"step": 1, "hook": Evil()}, protocol=4))
    for args in (["add", "pushed/state.dat"], ["commit", "-q", "-m", "raw"], ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", *args], cwd=clone, env=env, check=True, capture_output=True)
    stored = subprocess.run(["git", "cat-file", "-p", "HEAD:pushed/state.dat"], cwd=clone, env=env, check=True,
                            capture_output=True).stdout
    it.check(stored.startswith(b"\x80\x04"), "stored as the pickle's own bytes, not a pointer")
    raw = it.wait_scanned(api, repo, ["pushed/state.dat"])["pushed/state.dat"]
    it.check_equal((raw.lfs, raw.security["status"]), (None, "unsafe"), "a git-stored pickle")

    it.step("the same bytes in another repo are not scanned again, and show at once")
    copy = f"{user}/pickles-copy-{int(time.time())}"
    api.create_repo(copy)
    api.upload_file(path_or_fileobj=files["evil/model.pt"], path_in_repo="copied.pt", repo_id=copy)
    tree = {f.path: f for f in api.list_repo_tree(copy, expand=True)}
    it.check_equal(tree["copied.pt"].security["status"], "unsafe", "known by content")
    return {"repo": repo}


it.run(main)
