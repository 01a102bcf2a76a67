"""Limits an operator set, enforced before the bytes move, through the real huggingface_hub client.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write; limits: 1 private repo, 3 MiB private storage, files of
at most 4 MiB). Prints one JSON line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
MIB = 1024 * 1024


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    token = os.environ["HF_TOKEN"]

    it.step("one private repo allowed")
    api.create_repo("alice/private-1", private=True)
    e = it.check_raises(HfHubHTTPError, lambda: api.create_repo("alice/private-2", private=True), "a second one")
    it.check_equal((e.response.status_code, e.response.headers.get("X-Error-Code")), (403, "PrivateRepoLimitReached"),
                   "refused")
    api.create_repo("alice/public-1")
    e = it.check_raises(HfHubHTTPError, lambda: api.update_repo_settings("alice/public-1", private=True),
                        "making a public repo private")
    it.check_equal(e.response.status_code, 403, "refused too")

    it.step("files over the size limit are refused at preupload, whatever the repo")
    e = it.check_raises(HfHubHTTPError, lambda: api.upload_file(path_or_fileobj=os.urandom(5 * MIB),
                                                                path_in_repo="big.bin", repo_id="alice/public-1"),
                        "a 5 MiB file")
    it.check_equal((e.response.status_code, e.response.headers.get("X-Error-Code")), (413, "FileTooLarge"), "too big")

    it.step("private storage: a first 2 MiB file fits, a second does not; public repos are not counted")
    api.upload_file(path_or_fileobj=os.urandom(2 * MIB), path_in_repo="a.bin", repo_id="alice/private-1")
    e = it.check_raises(HfHubHTTPError, lambda: api.upload_file(path_or_fileobj=os.urandom(2 * MIB),
                                                                path_in_repo="b.bin", repo_id="alice/private-1"),
                        "a second 2 MiB file")
    it.check_equal((e.response.status_code, e.response.headers.get("X-Error-Code")), (403, "StorageQuotaExceeded"),
                   "over quota")
    it.check("quota" in e.response.json()["error"], "with a clear message: " + e.response.text)
    api.upload_file(path_or_fileobj=os.urandom(2 * MIB), path_in_repo="b.bin", repo_id="alice/public-1")

    it.step("downloads are metered per owner")
    from huggingface_hub import hf_hub_download  # noqa: E402
    hf_hub_download("alice/public-1", "b.bin", cache_dir=work / "dl")
    get_session().get(ENDPOINT + "/alice/public-1/resolve/main/b.bin", headers={"Range": "bytes=0-99"})

    it.step("usage reports what is stored, what was served and the limits")
    usage = get_session().get(ENDPOINT + "/api/settings/usage", headers={"Authorization": f"Bearer {token}"}).json()
    it.check(2 * MIB <= usage["storage"]["private"] < 3 * MIB, f"private storage {usage['storage']}")
    it.check(usage["storage"]["public"] >= 2 * MIB, "public storage")
    it.check_equal(usage["bandwidth"]["thisMonth"], 2 * MIB + 100, "bytes served: the file, then a 100-byte range")
    it.check_equal((usage["payment"], usage["statements"]), ("invoice", []), "paid by invoice, no month closed yet")
    it.check_equal(usage["limits"], {"privateStorage": 3 * MIB, "maxFileSize": 4 * MIB, "privateRepos": 1}, "limits")
    return {"private": usage["storage"]["private"]}


if __name__ == "__main__":
    it.run(main)
