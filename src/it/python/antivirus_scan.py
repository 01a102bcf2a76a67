"""Antivirus scanning by ClamAV, seen through the real huggingface_hub client: list_repo_tree(expand=True) and
get_paths_info(expand=True) carry each file's securityFileStatus with its avScan, model_info(securityStatus=True) the
files with issues. The hub runs with --clamd (a clamd with a test signature database: the EICAR file by its hash, a
marker pattern anywhere in a file; src/test/java/dev/atrium/it/support/ClamdServer.java) and --clamd-max-size 20 MB.

Files go in through a commit (small ones inline, into git; .zip and .bin by the LFS rules, so through Xet with
ATRIUM_IT_XET=default, and the scan reads them back through their chunks), through git push, and as a copy of known
bytes into a second repo (known by content: shown at once).

Environment: HF_ENDPOINT, HF_TOKEN, WORKDIR, EICAR_HEX, MARKER_HEX, EICAR_NAME, MARKER_NAME. Prints one JSON line.
"""

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402

EICAR = bytes.fromhex(os.environ["EICAR_HEX"])
MARKER = bytes.fromhex(os.environ["MARKER_HEX"])


def virus_names(security):
    """The names clamd gave, without the suffix it adds to signatures from unofficial databases."""
    return [n[:-len(".UNOFFICIAL")] if n.endswith(".UNOFFICIAL") else n for n in security["av_scan"]["virusNames"]]


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    user = api.whoami()["name"]
    repo = f"{user}/scanned-{'xet' if os.environ.get('ATRIUM_IT_XET') == 'default' else 'lfs'}"
    api.create_repo(repo)

    it.step("commit the EICAR file, a zip holding it, a large file with a marker inside, clean files")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("weights/data.bin", os.urandom(2 << 20))
        z.writestr("tools/setup.com", EICAR)
    marked = bytearray(os.urandom(12 << 20))
    marked[7_000_001:7_000_001 + len(MARKER)] = MARKER  # deep inside: past the first chunks and xorb boundaries
    files = {
        "eicar.com": EICAR,
        "tools.zip": zipped.getvalue(),
        "data/sample.bin": bytes(marked),
        "README.md": b"---\nlicense: mit\n---\n# Scanned\n",
        "clean.bin": os.urandom(3 << 20),
        "big.safetensors": os.urandom(21 << 20),  # past --clamd-max-size, and holds no pickle: no status
    }
    api.create_commit(repo, operations=[CommitOperationAdd(path_in_repo=p, path_or_fileobj=data)
                                        for p, data in files.items()], commit_message="files")
    tree = {f.path: f for f in api.list_repo_tree(repo, recursive=True)}
    it.check(tree["eicar.com"].lfs is None and tree["tools.zip"].lfs is not None
             and tree["data/sample.bin"].lfs is not None, "small files in git, the zip and .bin as large files")

    it.step("list_repo_tree(expand=True): ClamAV's verdict on every file up to the size limit")
    scanned = it.wait_scanned(api, repo, ["eicar.com", "tools.zip", "data/sample.bin", "README.md", "clean.bin"])
    eicar = scanned["eicar.com"].security
    it.check_equal((eicar["status"], eicar["safe"], eicar["av_scan"]["virusFound"], virus_names(eicar),
                    eicar["pickle_import_scan"]),
                   ("unsafe", False, True, [os.environ["EICAR_NAME"]], None), "the EICAR file in git")
    it.check_equal(virus_names(scanned["tools.zip"].security), [os.environ["EICAR_NAME"]], "inside the zip")
    it.check_equal(scanned["tools.zip"].security["status"], "unsafe", "the zip is unsafe")
    sample = scanned["data/sample.bin"].security
    it.check_equal((sample["status"], virus_names(sample)), ("unsafe", [os.environ["MARKER_NAME"]]),
                   "the marker 7 MB into a large file")
    it.check_equal(sample["pickle_import_scan"]["highestSafetyLevel"], "innocuous",
                   "a .bin also gets its pickle scan, which finds no pickle")
    clean = scanned["clean.bin"].security
    it.check_equal((clean["status"], clean["av_scan"]), ("safe", {"virusFound": False, "virusNames": None}),
                   "a clean large file")
    it.check_equal(scanned["README.md"].security["status"], "safe", "the card")
    it.check("big.safetensors" not in scanned, "past the size limit and no pickle: no status claimed")

    it.step("paths-info with expand says the same")
    info = {i.path: i for i in api.get_paths_info(repo, ["eicar.com", "clean.bin", "big.safetensors"], expand=True)}
    it.check_equal(info["eicar.com"].security["av_scan"]["virusFound"], True, "paths-info, EICAR")
    it.check_equal(info["clean.bin"].security["av_scan"]["virusFound"], False, "paths-info, clean")
    it.check(info["big.safetensors"].security is None, "paths-info, too large")

    it.step("model_info(securityStatus=True) lists the infected files")
    status = api.model_info(repo, securityStatus=True).security_repo_status
    it.check_equal(status["scansDone"], True, "all scanned")
    it.check_equal(sorted((f["path"], f["level"]) for f in status["filesWithIssues"]),
                   [("data/sample.bin", "unsafe"), ("eicar.com", "unsafe"), ("tools.zip", "unsafe")],
                   "files with issues")

    it.step("a file pushed with plain git is scanned too")
    scheme, rest = os.environ["HF_ENDPOINT"].split("://", 1)
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@example.com",
               GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", "%s://%s:%s@%s/%s" % (scheme, user, os.environ["HF_TOKEN"], rest, repo),
                    str(clone)], env=env, check=True, capture_output=True)
    (clone / "scripts").mkdir()
    (clone / "scripts" / "install.sh").write_bytes(b"#!/bin/sh\n# " + MARKER + b"\necho done\n")
    for args in (["add", "scripts/install.sh"], ["commit", "-q", "-m", "push"], ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", *args], cwd=clone, env=env, check=True, capture_output=True)
    pushed = it.wait_scanned(api, repo, ["scripts/install.sh"])["scripts/install.sh"].security
    it.check_equal((pushed["status"], virus_names(pushed)), ("unsafe", [os.environ["MARKER_NAME"]]), "the pushed file")

    it.step("the same bytes in another repo are known by content: shown at once")
    copy = f"{user}/scanned-copy-{int(time.time())}"
    api.create_repo(copy)
    api.upload_file(path_or_fileobj=files["data/sample.bin"], path_in_repo="copied.bin", repo_id=copy)
    copied = {f.path: f for f in api.list_repo_tree(copy, expand=True)}["copied.bin"].security
    it.check_equal((copied["status"], virus_names(copied)), ("unsafe", [os.environ["MARKER_NAME"]]), "the copy")

    it.step("the files still download byte for byte: scanning warns, it does not withhold")
    for path in ("eicar.com", "data/sample.bin"):
        local = api.hf_hub_download(repo, path, local_dir=str(work / "download"))
        it.check_equal(it.sha256_file(local), it.sha256_bytes(files[path]), path)
    return {"repo": repo}


it.run(main)
