"""A hub's large files before and after they move into object storage (`atrium admin copy-blobs`).

Environment: HF_ENDPOINT, HF_TOKEN (write), HF_HOME, WORKDIR, REPO, PHASE and FILES. FILES lists the files as
name:size:seed, their content being `size` bytes of a random generator seeded with `seed`.
  PHASE=upload  uploads the files named in UPLOAD (comma-separated), each in its own commit, through Xet when
                ATRIUM_IT_XET=default, else through LFS.
  PHASE=check   downloads every file of FILES with hf_hub_download into a fresh cache and compares the bytes.
Prints one JSON line.
"""

import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import huggingface_hub.constants as hf_constants  # noqa: E402
from huggingface_hub import HfApi, hf_hub_download  # noqa: E402


def files():
    listed = {}
    for entry in os.environ["FILES"].split(","):
        name, size, seed = entry.split(":")
        listed[name] = random.Random(int(seed)).randbytes(int(size))
    return listed


def main():
    api = HfApi()
    repo = os.environ["REPO"]
    phase = os.environ["PHASE"]
    contents = files()
    if phase == "upload":
        it.step(f"upload {os.environ['UPLOAD']} (xet: {not hf_constants.HF_HUB_DISABLE_XET})")
        api.create_repo(repo, exist_ok=True)
        for name in os.environ["UPLOAD"].split(","):
            api.upload_file(path_or_fileobj=contents[name], path_in_repo=name, repo_id=repo)
        return {"uploaded": os.environ["UPLOAD"]}
    it.step(f"download every file into a fresh cache (xet: {not hf_constants.HF_HUB_DISABLE_XET})")
    cache = tempfile.mkdtemp(prefix="blob-move-")
    for name, content in contents.items():
        got = Path(hf_hub_download(repo, name, cache_dir=cache)).read_bytes()
        it.check_equal(it.sha256_bytes(got), it.sha256_bytes(content), f"{name} after the move")
    return {"checked": len(contents)}


if __name__ == "__main__":
    it.run(main)
