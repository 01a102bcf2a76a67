"""A hub started with --default-visibility private: what the clients create without saying private=... is private,
what they create public stays public, and the New page presets Private.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), ALICE_PASSWORD, WORKDIR. Prints one JSON line.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import RepositoryNotFoundError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")


def main():
    api = HfApi()
    anonymous = HfApi(token=False)

    it.step("create_repo without private=...: private, for every repo type")
    for repo_type in ("model", "dataset", "space"):
        repo = "alice/quiet-" + repo_type
        api.create_repo(repo, repo_type=repo_type, space_sdk="static" if repo_type == "space" else None)
        it.check_equal(api.repo_info(repo, repo_type=repo_type).private, True, repo)
        it.check_raises(RepositoryNotFoundError, lambda: anonymous.repo_info(repo, repo_type=repo_type),
                        "anonymous " + repo)

    it.step("private=False says public, and public it is")
    api.create_repo("alice/open", private=False)
    it.check_equal(api.model_info("alice/open").private, False, "alice/open")
    it.check_equal(anonymous.model_info("alice/open").id, "alice/open", "anonymous reads it")

    it.step("the New page presets Private")
    cookies = it.web_login(ENDPOINT, "alice", os.environ["ALICE_PASSWORD"])
    page = get_session().get(ENDPOINT + "/new", cookies=cookies, timeout=60).text
    checked = re.findall(r'name="visibility" value="(\w+)"( checked)?', page)
    it.check_equal(checked, [("public", ""), ("private", " checked")], "the visibility radios")


it.run(main)
