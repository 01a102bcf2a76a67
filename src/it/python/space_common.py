"""What the Space scripts share: requests to the hub outside the client's API, and opening a Space's app."""

import os
import urllib.parse

import it_common as it
from huggingface_hub.utils import get_session

ENDPOINT = os.environ["HF_ENDPOINT"]


def get(url, headers=None, redirects=False):
    return get_session().get(url if url.startswith("http") else ENDPOINT + url, headers=headers or {},
                             follow_redirects=redirects, timeout=120)


def app_url(space, headers):
    """Where /spaces/{id}/app sends this caller: its grant's folder."""
    opened = get("/spaces/%s/app" % space, headers)
    it.check_equal(opened.status_code, 302, "opening the app redirects to its grant: " + opened.text[:200])
    location = urllib.parse.urljoin(ENDPOINT + "/", opened.headers["location"])
    it.check(location.startswith(ENDPOINT + "/spaces/%s/app/" % space) and location.endswith("/"),
             "the grant's folder: " + location)
    return location
