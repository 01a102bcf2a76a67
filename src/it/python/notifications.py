"""Discussions that should reach people's inboxes, made through the real huggingface_hub client.

bob opens a discussion on alice's public repo mentioning @carol and @erin-not-here; alice answers; alice opens one
on her private repo mentioning @bob, who may not read it. The inboxes themselves are checked in Chromium
(notifications.mjs).

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), TOKEN_BOB (write). Prints one JSON line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402


def main():
    alice = HfApi()
    bob = HfApi(token=os.environ["TOKEN_BOB"])

    it.step("alice's public and private repos")
    alice.create_repo("alice/notes")
    alice.create_repo("alice/secret", private=True)

    it.step("bob opens a discussion on alice/notes that mentions @carol")
    opened = bob.create_discussion("alice/notes", title="Typo in the card",
                                   description="Line 3 says teh. cc @carol, and @erin-not-here (no such user).")
    it.check_equal(opened.num, 1, "the first discussion")

    it.step("alice answers in it")
    alice.comment_discussion("alice/notes", discussion_num=opened.num, comment="Fixed, thanks!")

    it.step("alice opens a discussion on her private repo that mentions @bob")
    hidden = alice.create_discussion("alice/secret", title="Private plans", description="@bob cannot see this.")
    return {"notes": opened.num, "secret": hidden.num}


if __name__ == "__main__":
    it.run(main)
