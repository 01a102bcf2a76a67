"""A server whose disk fills up mid-upload, through the real huggingface_hub client (LFS path).

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), BIG_MIB (more than the free space under the data
directory, less than Atrium's 64 MiB drain limit, so the client reads the answer). Prints one JSON line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402

MIB = 1024 * 1024


def main():
    api = HfApi()
    repo = "alice/full"
    big = int(os.environ["BIG_MIB"]) * MIB

    it.step("a repo and a small LFS file fit")
    api.create_repo(repo)
    small = os.urandom(MIB)
    api.upload_file(path_or_fileobj=small, path_in_repo="small.bin", repo_id=repo)
    head = api.list_repo_commits(repo)[0].commit_id

    it.step("a file larger than the free space is refused with 507 and says why")
    # upload_file raises RuntimeError("Error while uploading ...") from the HTTP error of the LFS PUT
    wrapped = it.check_raises(RuntimeError, lambda: api.upload_file(path_or_fileobj=os.urandom(big),
                                                                    path_in_repo="big.bin", repo_id=repo),
                              "the upload that fills the disk")
    e = wrapped.__cause__
    it.check(isinstance(e, HfHubHTTPError), "caused by an HTTP error: %r" % e)
    it.check_equal(e.response.status_code, 507, "status")
    it.check("out of storage space" in e.response.json()["error"], "a clear message: " + e.response.text)

    it.step("nothing of it is visible, and the repo still works")
    it.check_equal(api.list_repo_commits(repo)[0].commit_id, head, "no new commit")
    it.check("big.bin" not in api.list_repo_files(repo), "no big.bin")
    again = os.urandom(MIB)
    api.upload_file(path_or_fileobj=again, path_in_repo="again.bin", repo_id=repo)
    for name, data in (("small.bin", small), ("again.bin", again)):
        with open(hf_hub_download(repo, name), "rb") as f:
            it.check(f.read() == data, name + " downloads byte for byte")
    return {"big_mib": big // MIB}


it.run(main)
