"""Collections through the real huggingface_hub client: create, items, order, notes, visibility, renames, deletion.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write), TOKEN_BOB (bob, write). Prints one JSON line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402


def status_of(action):
    e = it.check_raises(HfHubHTTPError, action, "the call")
    return e.response.status_code


def main():
    alice, bob = HfApi(), HfApi(token=os.environ["TOKEN_BOB"])
    anonymous = HfApi(token=False)
    alice.create_repo("alice/m1")
    alice.create_repo("alice/d1", repo_type="dataset")
    alice.create_repo("alice/hidden", private=True)
    bob.create_repo("bob/m2")

    it.step("create: the slug ends with the id; the same title again is a 409 that names it")
    c = alice.create_collection("My picks: 2026!", description="Models worth a look")
    it.check(c.slug.startswith("alice/my-picks-2026-") and len(c.slug.rsplit("-", 1)[1]) == 24, "slug " + c.slug)
    it.check_equal((c.title, c.description, c.private, c.items, c.upvotes), ("My picks: 2026!", "Models worth a look",
                                                                            False, [], 0), "the new collection")
    it.check_equal(c.url, os.environ["HF_ENDPOINT"] + "/collections/" + c.slug, "its url")
    it.check_equal(status_of(lambda: alice.create_collection("My picks: 2026!")), 409, "the same title")
    it.check_equal(alice.create_collection("My picks: 2026!", exists_ok=True).slug, c.slug, "exists_ok finds it")
    it.check_equal(status_of(lambda: bob.create_collection("Bob's", namespace="alice")), 403,
                   "bob creates in alice's namespace")

    it.step("items: repos of any owner, a paper, a private repo; notes; duplicates and unknowns refused")
    alice.add_collection_item(c.slug, "alice/m1", "model", note="The small one")
    alice.add_collection_item(c.slug, "alice/d1", "dataset")
    alice.add_collection_item(c.slug, "bob/m2", "model")
    alice.add_collection_item(c.slug, "2307.09288", "paper")
    c = alice.add_collection_item(c.slug, "alice/hidden", "model")
    it.check_equal([(i.item_id, i.item_type, i.position) for i in c.items],
                   [("alice/m1", "model", 0), ("alice/d1", "dataset", 1), ("bob/m2", "model", 2),
                    ("2307.09288", "paper", 3), ("alice/hidden", "model", 4)], "the items in order")
    it.check_equal(c.items[0].note, "The small one", "a note")
    it.check_equal(status_of(lambda: alice.add_collection_item(c.slug, "alice/m1", "model")), 409, "twice")
    it.check_equal(len(alice.add_collection_item(c.slug, "alice/m1", "model", exists_ok=True).items), 5, "exists_ok")
    e = it.check_raises(HfHubHTTPError, lambda: alice.add_collection_item(c.slug, "alice/hidden", "model",
                                                                        note="n" * 1001, exists_ok=True), "a long note")
    it.check_equal((e.response.status_code, e.response.json()["error"]), (400, "A note has at most 1000 characters."),
                   "a note over its length is refused, with the reason")
    it.check_equal(status_of(lambda: alice.create_collection("t" * 201)), 400, "a title over its length")
    it.check_equal(status_of(lambda: alice.add_collection_item(c.slug, "alice/nope", "model")), 404, "an unknown repo")
    it.check_equal(status_of(lambda: alice.add_collection_item(c.slug, "bob/m2", "dataset")), 404, "the wrong type")
    res = get_session().post(os.environ["HF_ENDPOINT"] + "/api/collections/" + c.slug + "/items",
                             json={"item": {"id": "alice/m1", "type": "kernel"}},
                             headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]})
    it.check_equal((res.status_code, "error" in res.json()), (400, True), "an unknown item type")
    it.check_equal(status_of(lambda: bob.add_collection_item(c.slug, "bob/m2", "model", exists_ok=False)), 403,
                   "bob adds to alice's collection")

    it.step("others see the collection without the private repo")
    seen = bob.get_collection(c.slug)
    it.check_equal([i.item_id for i in seen.items], ["alice/m1", "alice/d1", "bob/m2", "2307.09288"], "bob's view")
    it.check_equal(len(anonymous.get_collection(c.slug).items), 4, "anonymous view")

    it.step("order and notes: an item moves, the others close up")
    paper = next(i for i in c.items if i.item_type == "paper")
    alice.update_collection_item(c.slug, paper.item_object_id, position=0, note="Read this first")
    c = alice.get_collection(c.slug)
    it.check_equal([(i.item_id, i.position) for i in c.items],
                   [("2307.09288", 0), ("alice/m1", 1), ("alice/d1", 2), ("bob/m2", 3), ("alice/hidden", 4)], "new order")
    it.check_equal(c.items[0].note, "Read this first", "the note")

    it.step("metadata: a new title changes the slug, the old one still works; private hides it from others")
    old_slug = c.slug
    c = alice.update_collection_metadata(c.slug, title="Best picks", theme="blue", private=True)
    it.check(c.slug.startswith("alice/best-picks-") and c.slug.endswith(old_slug.rsplit("-", 1)[1]), c.slug)
    it.check_equal((c.theme, c.private), ("blue", True), "theme and visibility")
    it.check_equal(alice.get_collection(old_slug).title, "Best picks", "the old slug")
    it.check_equal(status_of(lambda: bob.get_collection(c.slug)), 404, "bob, private")
    it.check_equal(status_of(lambda: alice.update_collection_metadata(c.slug, theme="plaid")), 400, "an unknown theme")
    it.check_equal([x.slug for x in alice.list_collections(owner="alice")], [c.slug], "alice lists it")
    it.check_equal(list(bob.list_collections(owner="alice")), [], "bob does not")
    alice.update_collection_metadata(c.slug, private=False)

    it.step("listing: by owner and by item, four items at most")
    second = alice.create_collection("Datasets")
    alice.add_collection_item(second.slug, "alice/d1", "dataset")

    it.step("a collection in a collection, named by its slug or, as the JS client names it, by its id alone")
    nest = alice.create_collection("Nest")
    alice.add_collection_item(nest.slug, second.slug, "collection")
    alice.add_collection_item(nest.slug, c.slug[-24:], "collection")
    it.check_equal([(i.item_type, i.item_id) for i in alice.get_collection(nest.slug).items],
                   [("collection", second.slug), ("collection", c.slug)], "the nested collections")
    it.check_equal(status_of(lambda: alice.add_collection_item(nest.slug, "0" * 24, "collection")), 404,
                   "an id no collection has")
    alice.delete_collection(nest.slug)
    listed = {x.slug: x for x in bob.list_collections(owner="alice")}
    it.check_equal(set(listed), {c.slug, second.slug}, "both, for bob")
    it.check_equal(len(listed[c.slug].items), 4, "the first four items")
    it.check_equal([x.slug for x in bob.list_collections(item="datasets/alice/d1")].count(second.slug), 1, "by item")
    it.check_equal([x.slug for x in bob.list_collections(item="models/bob/m2")], [c.slug], "by another item")
    it.check_equal([x.slug for x in bob.list_collections(item=["models/bob/m2", "datasets/alice/d1"])], [c.slug],
                   "holding both items")
    it.check_equal(list(bob.list_collections(item="models/alice/hidden")), [], "by an item bob cannot see")
    page = get_session().get(os.environ["HF_ENDPOINT"] + "/api/collections", params={"q": "DATA", "owner": "alice"})
    it.check_equal([x["slug"] for x in page.json()], [second.slug], "q searches titles")

    it.step("a moved repo stays in the collection under its new name; a deleted one drops out")
    alice.move_repo("alice/m1", "alice/m1-renamed")
    alice.delete_repo("alice/d1", repo_type="dataset")
    ids = [i.item_id for i in alice.get_collection(c.slug).items]
    it.check_equal(ids, ["2307.09288", "alice/m1-renamed", "bob/m2", "alice/hidden"], "after the move and delete")

    it.step("an organization's private collection: its members see it, only writers change it")
    auth = {"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
    it.check_equal(get_session().post(os.environ["HF_ENDPOINT"] + "/api/organizations/new", json={"name": "acme"},
                                      headers=auth).status_code, 200, "acme created")
    it.check_equal(get_session().post(os.environ["HF_ENDPOINT"] + "/api/organizations/acme/members",
                                      json={"username": "bob", "role": "read"}, headers=auth).status_code, 200,
                   "bob joins acme to read")
    team = alice.create_collection("Team picks", namespace="acme", private=True)
    it.check_equal(bob.get_collection(team.slug).title, "Team picks", "a member sees it")
    it.check_equal([x.slug for x in bob.list_collections(owner="acme")], [team.slug], "and lists it")
    it.check_equal(status_of(lambda: anonymous.get_collection(team.slug)), 404, "anonymous does not")
    it.check_equal(status_of(lambda: bob.update_collection_metadata(team.slug, title="Bob's now")), 403,
                   "a read member cannot change it")

    it.step("deleting items and collections")
    item = alice.get_collection(c.slug).items[1]
    alice.delete_collection_item(c.slug, item.item_object_id)
    it.check_equal(status_of(lambda: alice.delete_collection_item(c.slug, item.item_object_id)), 404, "again")
    alice.delete_collection_item(c.slug, item.item_object_id, missing_ok=True)
    it.check_equal([i.position for i in alice.get_collection(c.slug).items], [0, 1, 2], "positions close up")
    it.check_equal(status_of(lambda: bob.delete_collection(c.slug)), 403, "bob deletes it")
    alice.delete_collection(c.slug)
    it.check_equal(status_of(lambda: alice.get_collection(c.slug)), 404, "gone")
    alice.delete_collection(c.slug, missing_ok=True)
    return {"slug": c.slug}


it.run(main)
