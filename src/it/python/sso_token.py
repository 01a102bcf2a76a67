"""What an account made by single sign-on does with a token it made in its settings: the Python client knows whose it
is, and uploads and downloads through it (the bytes compared).

Environment: HF_ENDPOINT, HF_TOKEN (the token), EXPECTED_USER, WORKDIR. Prints one JSON line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402


def main():
    expected = os.environ["EXPECTED_USER"]
    api = HfApi()
    it.step("whoami names the account single sign-on made, its email verified by the provider")
    me = api.whoami()
    it.check_equal(me["name"], expected, "whoami name")
    it.check_equal(me["emailVerified"], True, "whoami emailVerified")

    it.step("the token uploads and downloads")
    repo = f"{expected}/from-sso"
    api.create_repo(repo)
    payload = os.urandom(200_000)
    api.upload_file(path_or_fileobj=payload, path_in_repo="weights.bin", repo_id=repo)
    path = hf_hub_download(repo, "weights.bin", cache_dir=Path(os.environ["WORKDIR"]) / "cache")
    it.check_equal(it.sha256_file(path), it.sha256_bytes(payload), "downloaded bytes")
    return {"user": me["name"]}


it.run(main)
