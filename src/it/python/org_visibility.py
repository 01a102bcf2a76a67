"""An organization's repo visibility (its settings, as Enterprise organizations on the Hub have): 'private' makes the
repos its members create without saying private, 'private-only' refuses every public repo there, whatever the client
or page asks, while the members' own namespaces follow the hub's default.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), ALICE_PASSWORD, WORKDIR. Prints one JSON line.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
TOKEN = os.environ["HF_TOKEN"]


def settings(body):
    answer = get_session().put(ENDPOINT + "/api/organizations/acme/settings", json=body,
                               headers={"Authorization": "Bearer " + TOKEN}, timeout=60)
    it.check_equal(answer.status_code, 200, "settings: " + answer.text)
    return answer.json()


def refused(action, what):
    try:
        action()
    except HfHubHTTPError as e:
        it.check_equal(e.response.status_code, 403, what)
        it.check("private only" in e.response.json()["error"], what + ": " + e.response.text)
        return
    it.check(False, what + " was accepted")


def main():
    api = HfApi()
    created = get_session().post(ENDPOINT + "/api/organizations/new", json={"name": "acme"},
                                 headers={"Authorization": "Bearer " + TOKEN}, timeout=60)
    it.check_equal(created.status_code, 200, created.text)

    it.step("'private': what is made without saying is private; public when asked")
    it.check_equal(settings({"repoVisibility": "private"})["repoVisibility"], "private", "saved")
    api.create_repo("acme/quiet")
    it.check_equal(api.model_info("acme/quiet").private, True, "acme/quiet")
    api.create_repo("acme/open", private=False)
    it.check_equal(api.model_info("acme/open").private, False, "acme/open, asked public")
    api.create_repo("alice/mine")
    it.check_equal(api.model_info("alice/mine").private, False, "the member's own namespace: the hub's default")

    it.step("'private-only': no public repo there, by any way in")
    settings({"repoVisibility": "private-only"})
    refused(lambda: api.create_repo("acme/leak", private=False), "a public create")
    it.check(not api.repo_exists("acme/leak"), "nothing made")
    api.create_repo("acme/sealed")
    it.check_equal(api.model_info("acme/sealed").private, True, "made private")
    refused(lambda: api.update_repo_settings("acme/sealed", private=False), "making a repo public")
    it.check_equal(api.model_info("acme/sealed").private, True, "still private")
    refused(lambda: api.move_repo("alice/mine", "acme/mine"), "moving a public repo in")
    refused(lambda: api.duplicate_repo("alice/mine", "acme/copy", private=False), "a public copy")
    api.duplicate_repo("alice/mine", "acme/copy", private=True)
    it.check_equal(api.model_info("acme/copy").private, True, "a private copy is fine")
    it.check_equal(api.model_info("acme/open").private, False, "what was public before stays so")

    it.step("the pages: the setting, and the New page's preset for the organization")
    cookies = it.web_login(ENDPOINT, "alice", os.environ["ALICE_PASSWORD"])
    page = get_session().get(ENDPOINT + "/organizations/acme/settings", cookies=cookies, timeout=60).text
    it.check('<option value="private-only" selected>' in page, "the settings page shows the rule")
    new = get_session().get(ENDPOINT + "/new?owner=acme", cookies=cookies, timeout=60).text
    it.check_equal(re.findall(r'name="visibility" value="(\w+)"( checked)?', new),
                   [("public", ""), ("private", " checked")], "the preset for acme")
    it.check("Repos of acme may only be private." in new, "the New page says why")
    csrf = re.search(r'name="csrf" value="([^"]+)"', new).group(1)
    made = get_session().post(ENDPOINT + "/new", data={"csrf": csrf, "type": "model", "owner": "acme",
                                                       "name": "from-page", "visibility": "public"},
                              cookies=cookies, headers={"Origin": ENDPOINT}, follow_redirects=False, timeout=60)
    it.check_equal(made.status_code, 403, "a public repo from the page")
    it.check("may only be private" in made.text or "private only" in made.text, "says why")
    it.check(not api.repo_exists("acme/from-page"), "nothing made")


it.run(main)
