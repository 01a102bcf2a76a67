"""Storage freed after a repo is deleted (`atrium admin gc`), through the real huggingface_hub client with hf_xet.

Usage: gc.py upload | gc.py check. Environment: HF_ENDPOINT, WORKDIR (kept between the two phases), HF_TOKEN
(alice, write), TOKEN_BOB (bob, write); runs with ATRIUM_IT_XET=default. Prints one JSON line.
upload: alice uploads own.bin and shared.bin to alice/a (two commits, so two sets of xorbs); bob uploads the same
shared.bin to bob/b (deduplicated against alice's); then the same through LFS into alice/l and bob/b; alice deletes
alice/a and alice/l.
check: bob's files still download, byte for byte, through Xet and through resolve.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, constants, hf_hub_download  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

MIB = 1024 * 1024


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    alice, bob = HfApi(), HfApi(token=os.environ["TOKEN_BOB"])
    shared = work / "shared.bin"
    if sys.argv[1] == "upload":
        it.step("alice uploads two files in two commits; bob uploads one of them again; alice deletes her repo")
        (work / "own.bin").write_bytes(os.urandom(6 * MIB))
        shared.write_bytes(os.urandom(6 * MIB))
        alice.create_repo("alice/a")
        alice.upload_file(path_or_fileobj=str(work / "own.bin"), path_in_repo="own.bin", repo_id="alice/a")
        alice.upload_file(path_or_fileobj=str(shared), path_in_repo="shared.bin", repo_id="alice/a")
        bob.create_repo("bob/b")
        bob.upload_file(path_or_fileobj=str(shared), path_in_repo="shared.bin", repo_id="bob/b")
        it.step("the same through LFS: alice's own file and one bob uploads too")
        constants.HF_HUB_DISABLE_XET = True  # read at each upload
        (work / "lfs-own.bin").write_bytes(os.urandom(3 * MIB))
        (work / "lfs-shared.bin").write_bytes(os.urandom(3 * MIB))
        alice.create_repo("alice/l")
        for name in ("lfs-own.bin", "lfs-shared.bin"):
            alice.upload_file(path_or_fileobj=str(work / name), path_in_repo=name, repo_id="alice/l")
        bob.upload_file(path_or_fileobj=str(work / "lfs-shared.bin"), path_in_repo="lfs-shared.bin", repo_id="bob/b")
        for name in ("lfs-own.bin", "lfs-shared.bin"):  # made Xet files in the background: wait, to be deterministic
            deadline = time.monotonic() + 60
            while not alice.get_paths_info("alice/l", [name])[0].xet_hash:
                it.check(time.monotonic() < deadline, name + " was not converted within 60 s")
                time.sleep(0.2)
        alice.delete_repo("alice/a")
        alice.delete_repo("alice/l")
        return {}
    it.step("bob's file, whose chunks alice's upload stored, is whole")
    got = hf_hub_download("bob/b", "shared.bin", token=os.environ["TOKEN_BOB"], cache_dir=work / "c")
    it.check_equal(it.sha256_file(got), it.sha256_file(shared), "through Xet")
    res = get_session().get(os.environ["HF_ENDPOINT"] + "/bob/b/resolve/main/shared.bin",
                            headers={"Authorization": "Bearer " + os.environ["TOKEN_BOB"]})
    it.check_equal((res.status_code, it.sha256_bytes(res.content)), (200, it.sha256_file(shared)), "through resolve")
    res = get_session().get(os.environ["HF_ENDPOINT"] + "/bob/b/resolve/main/lfs-shared.bin",
                            headers={"Authorization": "Bearer " + os.environ["TOKEN_BOB"]})
    it.check_equal((res.status_code, it.sha256_bytes(res.content)), (200, it.sha256_file(work / "lfs-shared.bin")),
                   "bob's LFS upload, whose blob alice's repo also linked")
    return {}


it.run(main)
