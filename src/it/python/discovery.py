"""Cards, file metadata, search, likes and downloads through the real huggingface_hub client, against a live Atrium.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), HF_TOKEN_OTHER (bob, write), WORKDIR. Prints one JSON line.
"""

import json
import os
import struct
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")


def safetensors_file(tensors):
    """A safetensors file built by hand: 8-byte little-endian header length, JSON header, zero-filled data."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    sizes = {"F32": 4, "BF16": 2, "I64": 8}
    for name, (dtype, shape) in tensors.items():
        count = 1
        for d in shape:
            count *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + count * sizes[dtype]]}
        offset += count * sizes[dtype]
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + bytes(offset)


def raw(method, path, token, headers=None, **kwargs):
    headers = dict(headers or {}, **({"Authorization": f"Bearer {token}"} if token else {}))
    return get_session().request(method, ENDPOINT + path, headers=headers, **kwargs)


def ids(models):
    return [m.id for m in models]


def main():
    alice, bob = HfApi(), HfApi(token=os.environ["HF_TOKEN_OTHER"])
    alice_token, bob_token = os.environ["HF_TOKEN"], os.environ["HF_TOKEN_OTHER"]
    scratch = Path(os.environ.get("WORKDIR") or "/tmp/atrium-discovery-it")
    scratch.mkdir(parents=True, exist_ok=True)

    it.step("a model card with the Hub's metadata, a config.json and a safetensors file")
    repo = "alice/tiny-bert"
    alice.create_repo(repo)
    card = """---
license: mit
language: [en, fr]
tags: [chemistry]
datasets: [alice/molecules]
base_model: google/bert-base
base_model_relation: finetune
pipeline_tag: fill-mask
library_name: transformers
model-index:
- name: tiny-bert
  results: []
my_own_key: kept
---
# Tiny BERT
Trained as in https://arxiv.org/abs/1810.04805.
"""
    (scratch / "model").mkdir(exist_ok=True)
    (scratch / "model" / "README.md").write_text(card)
    (scratch / "model" / "config.json").write_text(json.dumps(
        {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 8}))
    (scratch / "model" / "model.safetensors").write_bytes(safetensors_file(
        {"embeddings": ("F32", [10, 8]), "norm": ("BF16", [8]), "position_ids": ("I64", [1, 4])}))
    alice.upload_folder(repo_id=repo, folder_path=scratch / "model")
    info = alice.model_info(repo)
    it.check_equal(info.card_data.get("license"), "mit", "card_data.license")
    it.check_equal(info.card_data.get("my_own_key"), "kept", "an unknown card key")
    it.check_equal(info.pipeline_tag, "fill-mask", "pipeline_tag")
    it.check_equal(info.library_name, "transformers", "library_name")
    for tag in ["transformers", "safetensors", "bert", "fill-mask", "chemistry", "en", "fr", "dataset:alice/molecules",
                "arxiv:1810.04805", "base_model:google/bert-base", "base_model:finetune:google/bert-base",
                "license:mit"]:
        it.check(tag in info.tags, f"tag {tag!r} missing from {info.tags}")
    it.check_equal(info.safetensors.total, 80 + 8 + 4, "safetensors.total")
    it.check_equal(dict(info.safetensors.parameters), {"F32": 80, "BF16": 8, "I64": 4}, "safetensors.parameters")
    it.check_equal(info.config.get("model_type"), "bert", "config.model_type")

    it.step("sharded safetensors: the parameters of every shard the index names are counted")
    sharded = "alice/sharded-model"
    alice.create_repo(sharded)
    (scratch / "sharded").mkdir(exist_ok=True)
    (scratch / "sharded" / "model-00001-of-00002.safetensors").write_bytes(safetensors_file({"a": ("F32", [100, 10])}))
    (scratch / "sharded" / "model-00002-of-00002.safetensors").write_bytes(
        safetensors_file({"b": ("F32", [10]), "c": ("BF16", [7, 3])}))
    (scratch / "sharded" / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {"total_size": 4 * 1010 + 42}, "weight_map": {
            "a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors",
            "c": "model-00002-of-00002.safetensors"}}))
    alice.upload_folder(repo_id=sharded, folder_path=scratch / "sharded")
    info = alice.model_info(sharded)
    it.check_equal(dict(info.safetensors.parameters), {"F32": 1010, "BF16": 21}, "sharded safetensors.parameters")
    it.check_equal(info.safetensors.total, 1031, "sharded safetensors.total")

    it.step("values the Hub would not recognise are kept and reported as warnings")
    odd = "alice/odd-model"
    alice.create_repo(odd)
    alice.upload_file(repo_id=odd, path_in_repo="README.md",
                      path_or_fileobj=b"---\nlicense: apache2\nlanguage: english\npipeline_tag: text-magic\n---\n")
    alice.upload_file(repo_id=odd, path_in_repo="broken.gguf", path_or_fileobj=b"GGUF\x03\x00\x00\x00" + bytes(5))
    body = raw("GET", f"/api/models/{odd}", alice_token).json()
    warnings = body.get("warnings", [])
    it.check(any("apache2" in w for w in warnings), f"no warning for the license: {warnings}")
    it.check(any("english" in w for w in warnings), f"no warning for the language: {warnings}")
    it.check(any("text-magic" in w for w in warnings), f"no warning for the task: {warnings}")
    it.check(any("broken.gguf" in w for w in warnings), f"no warning for the truncated GGUF: {warnings}")
    it.check_equal(body["cardData"]["license"], "apache2", "the unknown license is kept")

    it.step("the client shows the card's warnings before committing it; a card without metadata gets one too")
    import warnings as py_warnings
    for card, expected in [(b"---\nlicense: apache2\n---\n# Odd\n", "apache2"),
                           (b"A card without metadata\n", "empty or missing yaml metadata")]:
        with py_warnings.catch_warnings(record=True) as caught:
            py_warnings.simplefilter("always")
            alice.upload_file(repo_id=odd, path_in_repo="README.md", path_or_fileobj=card)
        shown = [str(w.message) for w in caught if "Warnings while validating metadata" in str(w.message)]
        it.check(len(shown) == 1 and expected in shown[0], f"the client's warnings for {card!r}: {shown}")

    it.step("metadata after blank lines is read, as the client reads it; a model-index of the wrong shape is refused")
    alice.upload_file(repo_id=odd, path_in_repo="README.md",
                      path_or_fileobj=b"\n\n---\nlicense: bsd\ntags:\n- after-blank-lines\n---\n# Odd\n")
    info = alice.model_info(odd)
    it.check_equal((info.card_data or {}).get("license"), "bsd", "license of a card whose metadata follows blank lines")
    it.check("after-blank-lines" in info.tags, f"tags of that card: {info.tags}")
    before = info.sha
    try:
        alice.upload_file(repo_id=odd, path_in_repo="README.md",
                          path_or_fileobj=b"\n---\nmodel-index: foo\n---\nA card with invalid metadata.\n")
        it.check(False, "a README with a model-index that is a string was committed")
    except ValueError as e:
        it.check("Invalid metadata in README.md" in str(e) and "model-index" in str(e), f"the client's error: {e}")
    it.check_equal(alice.model_info(odd).sha, before, "the branch after a refused model-index")

    it.step("a README whose YAML does not parse is refused with the line, and nothing is committed")
    before = alice.model_info(odd).sha
    broken = b"---\nlicense: mit\ntags: [a\n---\n"
    try:  # the client asks validate-yaml first
        alice.upload_file(repo_id=odd, path_in_repo="README.md", path_or_fileobj=broken)
        it.check(False, "a README with broken YAML was committed")
    except ValueError as e:
        it.check("line 4" in str(e), f"the client's error names no line: {e}")
    # A client that does not ask first: the commit endpoint refuses the card itself.
    ndjson = "\n".join(json.dumps(op) for op in [
        {"key": "header", "value": {"summary": "broken card"}},
        {"key": "file", "value": {"path": "README.md", "encoding": "base64",
                                  "content": __import__("base64").b64encode(broken).decode()}}])
    r = raw("POST", f"/api/models/{odd}/commit/main", alice_token, content=ndjson,
            headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {alice_token}"})
    it.check_equal(r.status_code, 400, "status of a commit with a broken card")
    it.check("line 4" in r.json()["error"], f"the error names no line: {r.text}")
    it.check_equal(alice.model_info(odd).sha, before, "the branch after a refused card")
    bomb = b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
           b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n"
    r = raw("POST", "/api/validate-yaml", alice_token, json={"content": bomb.decode(), "repoType": "model"})
    it.check_equal(r.status_code, 400, "status of a YAML bomb")

    it.step("hostile or broken files: 1 MB of front matter, binary junk as README.md, a truncated safetensors file")
    huge = b"---\n" + b"".join(b"key%d: %s\n" % (i, b"x" * 90) for i in range(10_000)) + b"---\n"
    r = raw("POST", f"/api/models/{odd}/commit/main", alice_token, headers={"Content-Type": "application/x-ndjson"},
            content="\n".join(json.dumps(op) for op in [
                {"key": "header", "value": {"summary": "huge card"}},
                {"key": "file", "value": {"path": "README.md", "encoding": "base64",
                                          "content": __import__("base64").b64encode(huge).decode()}}]))
    it.check_equal(r.status_code, 400, "status of 1 MB of front matter")
    it.check("KiB" in r.json()["error"], f"the error does not say the limit: {r.text}")
    junk = "alice/junk-model"
    alice.create_repo(junk)
    # The client refuses to send a README it cannot decode; another client might, so it goes in as a raw commit.
    r = raw("POST", f"/api/models/{junk}/commit/main", alice_token, headers={"Content-Type": "application/x-ndjson"},
            content="\n".join(json.dumps(op) for op in [
                {"key": "header", "value": {"summary": "junk card"}},
                {"key": "file", "value": {"path": "README.md", "encoding": "base64",
                                          "content": __import__("base64").b64encode(os.urandom(4096)).decode()}}]))
    it.check_equal(r.status_code, 200, "a README without metadata is committed")
    alice.upload_file(repo_id=junk, path_in_repo="model.safetensors",
                      path_or_fileobj=safetensors_file({"w": ("F32", [64, 64])})[:40])
    body = raw("GET", f"/api/models/{junk}", alice_token).json()
    it.check("safetensors" not in body, "a truncated safetensors header yields no parameter count")
    it.check(any("model.safetensors" in w for w in body.get("warnings", [])), f"no warning: {body.get('warnings')}")
    it.check_equal(alice.model_info(junk).card_data, None, "binary junk as README.md has no card data")

    it.step("search, author, filter and sort through list_models; private repos only for their owner")
    for name in ["gpt-small", "gpt-large"]:
        alice.create_repo(f"alice/{name}")
        alice.upload_file(repo_id=f"alice/{name}", path_in_repo="config.json",
                          path_or_fileobj=json.dumps({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"}).encode())
    alice.create_repo("alice/secret-gpt", private=True)
    bob.create_repo("bob/gpt-bob")
    it.check_equal(sorted(ids(bob.list_models(search="gpt"))), ["alice/gpt-large", "alice/gpt-small", "bob/gpt-bob"],
                   "bob's search for gpt")
    it.check("alice/secret-gpt" in ids(alice.list_models(search="gpt")), "alice sees her private repo")
    it.check("alice/secret-gpt" not in ids(alice.list_models(search="gpt", token=False)), "anonymous sees it")
    it.check_equal(sorted(ids(bob.list_models(author="bob"))), ["bob/gpt-bob"], "author=bob")
    it.check_equal(ids(bob.list_models(filter="license:mit")), ["alice/tiny-bert"], "filter=license:mit")
    it.check_equal(ids(bob.list_models(filter=["chemistry", "fr"])), ["alice/tiny-bert"], "two filters")
    it.check_equal(ids(bob.list_models(filter=["chemistry", "de"])), [], "filters are ANDed")
    it.check_equal(ids(bob.list_models(pipeline_tag="fill-mask")), ["alice/tiny-bert"], "pipeline_tag")
    quick = raw("GET", "/api/quicksearch?q=GPT", bob_token).json()
    it.check_equal(sorted(m["id"] for m in quick["models"]), ["alice/gpt-large", "alice/gpt-small", "bob/gpt-bob"],
                   "quick search, case-insensitive, without others' private repos")
    it.check_equal(quick["datasets"], [], "quick search finds no dataset")
    listed = list(bob.list_models(search="tiny-bert", cardData=True))
    it.check_equal(listed[0].card_data.get("license"), "mit", "cardData in listings")

    it.step("get_model_tags: the tags one can filter by, grouped by kind, and each id filters")
    tags = bob.get_model_tags()
    by_kind = {kind: {t["id"]: t["label"] for t in items} for kind, items in tags.items()}
    it.check_equal(by_kind["pipeline_tag"].get("fill-mask"), "Fill Mask", "a task with its label")
    it.check_equal(by_kind["license"].get("license:mit"), "mit", "a license")
    it.check_equal((by_kind["library"].get("transformers"), by_kind["language"].get("fr")), ("transformers", "French"),
                   "the library and languages public repos use (languages by name)")
    it.check("chemistry" in by_kind.get("other", {}), "a plain tag: " + str(by_kind.get("other")))
    it.check(all(t["type"] == kind for kind, items in tags.items() for t in items), "every item says its kind")
    for tag in ("fill-mask", "license:mit", "transformers", "fr", "chemistry"):
        it.check("alice/tiny-bert" in ids(bob.list_models(filter=tag)), "filter=" + tag)
    it.check("license:mit" in {t["id"] for t in bob.get_dataset_tags()["license"]}, "get_dataset_tags")

    it.step("likes: liking twice counts once, sort=likes, likers and liked repos")
    for token, target in [(alice_token, "alice/gpt-large"), (bob_token, "alice/gpt-large"),
                          (bob_token, "alice/gpt-large"), (bob_token, "alice/tiny-bert")]:
        r = raw("POST", f"/api/models/{target}/like", token)
        it.check_equal(r.status_code, 200, "like")
    it.check_equal(bob.model_info("alice/gpt-large").likes, 2, "likes after a double like")
    it.check_equal(ids(bob.list_models(author="alice", sort="likes"))[:2], ["alice/gpt-large", "alice/tiny-bert"],
                   "sort=likes")
    it.check_equal(sorted(u.username for u in bob.list_repo_likers("alice/gpt-large")), ["alice", "bob"], "likers")
    it.check_equal(sorted(bob.list_liked_repos("bob").models), ["alice/gpt-large", "alice/tiny-bert"], "liked repos")
    bob.unlike("alice/tiny-bert")
    it.check_equal(bob.model_info("alice/tiny-bert").likes, 0, "likes after unlike")
    it.check_equal(raw("POST", "/api/models/alice/secret-gpt/like", bob_token).status_code, 404, "like a private repo")
    it.check_equal(raw("POST", "/api/models/alice/gpt-large/like", None).status_code, 401, "anonymous like")

    it.step("downloads: one from_pretrained-style fetch of config.json counts once; a cached load does not")
    cache = scratch / "cache"
    hf_hub_download("alice/gpt-small", "config.json", cache_dir=cache)
    hf_hub_download("alice/gpt-small", "config.json", cache_dir=cache)  # cached: a HEAD only
    info = bob.model_info("alice/gpt-small", expand=["downloads", "downloadsAllTime"])
    it.check_equal((info.downloads, info.downloads_all_time), (1, 1), "downloads after two loads")
    it.check_equal(ids(bob.list_models(author="alice", sort="downloads"))[0], "alice/gpt-small", "sort=downloads")

    it.step("cursor pagination through the Link header")
    seen, url = [], f"{ENDPOINT}/api/models?author=alice&limit=2&sort=createdAt"
    while url:
        r = get_session().get(url, headers={"Authorization": f"Bearer {bob_token}"})
        it.check_equal(r.status_code, 200, "listing page")
        seen += [m["id"] for m in r.json()]
        url = r.links.get("next", {}).get("url")
    it.check_equal(seen, ids(bob.list_models(author="alice", sort="createdAt")), "pages joined")
    it.check_equal(len(seen), len(set(seen)), "no repo twice across pages")
    it.check_equal(raw("GET", "/api/models?cursor=!!!", None).status_code, 400, "a bad cursor")
    it.check_equal(raw("GET", "/api/models?sort=stars", None).status_code, 400, "an unknown sort")
    return {"listed": len(seen)}


if __name__ == "__main__":
    it.run(main)
