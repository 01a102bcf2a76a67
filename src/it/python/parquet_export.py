"""The Parquet export of datasets (refs/convert/parquet), as the Hub's parquet-converter makes it: found through the
viewer's /parquet and the Hub's /api/datasets/{id}/parquet, listed by list_repo_refs, and read with the real clients
(load_dataset on the revision, pandas through HfFileSystem, hf_hub_download); made anew when main moves; a split over
the server's viewer limit left out, with the reason; /size describes the export; private datasets kept private.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), TOKEN_BOB (bob, write), WORKDIR. ATRIUM_IT_XET=default; the
server runs with --viewer-split-limit 1000000. Prints one JSON line.
"""

import io
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import datasets  # noqa: E402
import pandas as pd  # noqa: E402
from huggingface_hub import CommitOperationAdd, HfApi, HfFileSystem, hf_hub_download  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"]
ALICE = {"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
BOB = {"Authorization": "Bearer " + os.environ["TOKEN_BOB"]}
REF = "refs/convert/parquet"


def csv(first, count):
    return ("id,text,score\n" + "".join("%d,row %d,%s\n" % (i, i, i / 4) for i in range(first, first + count))).encode()


def add(path, data):
    return CommitOperationAdd(path_in_repo=path, path_or_fileobj=data)


def rows_of(data):
    frame = pd.read_csv(io.BytesIO(data))
    return frame.to_dict("records")


def kilobytes(n):
    """A size between 1 and 10 kB as the pages show it: 5.34 kB."""
    assert 1000 <= n < 10000, n
    hundredths = (n + 5) // 10  # rounded half up, in whole numbers: 5185 bytes are 5.19 kB
    return ("%d.%02d" % divmod(hundredths, 100)).rstrip("0").rstrip(".") + " kB"


def parquet_listing(dataset, headers=ALICE, **params):
    return get_session().get(ENDPOINT + "/datasets-server/parquet", params={"dataset": dataset, **params},
                             headers=headers, timeout=60)


def main():
    api = HfApi()
    repo = "alice/exported"

    it.step("a CSV dataset is exported to Parquet in the background, one file per split")
    api.create_repo(repo, repo_type="dataset")
    train, test = csv(0, 300), csv(5000, 7)
    # One JSON array (not lines, so its start cannot be read alone) over the limit.
    big = json.dumps([{"n": i, "text": "x" * 100} for i in range(12000)]).encode()
    readme = ("---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.csv\n"
              "  - split: test\n    path: data/test.csv\n- config_name: big\n  data_files: big/*.json\n---\n")
    api.create_commit(repo, repo_type="dataset", commit_message="data", operations=[
        add("data/train.csv", train), add("data/test.csv", test), add("big/all.json", big),
        add("README.md", readme.encode())])
    sha = api.dataset_info(repo).sha
    listing = it.wait_exported(api, repo, sha)
    body = listing.json()
    files = body["parquet_files"]
    it.check_equal([(f["config"], f["split"], f["filename"]) for f in files],
                   [("default", "test", "0000.parquet"), ("default", "train", "0000.parquet")], "the files")
    it.check_equal(files[1]["url"], ENDPOINT + "/datasets/alice/exported/resolve/refs%2Fconvert%2Fparquet"
                   "/default/train/0000.parquet", "a resolve URL on the export's ref, the ref percent-encoded")
    it.check_equal(files[1]["dataset"], repo, "dataset")
    it.check_equal((body["pending"], body["partial"]), ([], False), "nothing pending")
    it.check_equal([(f["config"], f["split"]) for f in body["failed"]], [("big", "train")],
                   "the split over --viewer-split-limit is left out")
    it.check("%d bytes" % len(big) in body["failed"][0]["error"], "and says why: %s" % body["failed"][0])
    only_big = parquet_listing(repo, config="big").json()
    it.check_equal((only_big["parquet_files"], len(only_big["failed"])), ([], 1), "config=big")

    it.step("list_repo_refs lists the export among the converts")
    refs = api.list_repo_refs(repo, repo_type="dataset")
    converts = {r.ref: r.target_commit for r in refs.converts}
    it.check(REF in converts, "converts: %s" % refs.converts)
    commits = api.list_repo_commits(repo, repo_type="dataset", revision=REF)
    it.check_equal([c.title for c in commits], ["Update parquet files"], "one commit, without history")
    it.check_equal(commits[0].commit_id, converts[REF], "the ref's commit")

    it.step("hf_hub_download, HfFileSystem with pandas, and load_dataset read the rows that were committed")
    path = hf_hub_download(repo, "default/train/0000.parquet", repo_type="dataset", revision=REF)
    it.check_equal(os.path.getsize(path), files[1]["size"], "the size /parquet gave")
    it.check_equal(pd.read_parquet(path).to_dict("records"), rows_of(train), "hf_hub_download: the train rows")
    fs_rows = pd.read_parquet("hf://datasets/%s@%s/default/test/0000.parquet" % (repo, REF),
                              filesystem=HfFileSystem()).to_dict("records")
    it.check_equal(fs_rows, rows_of(test), "HfFileSystem: the test rows")
    loaded = datasets.load_dataset(repo, revision=REF)
    it.check_equal(sorted(loaded.keys()), ["test", "train"], "load_dataset on the export: its splits")
    it.check_equal(loaded["train"].to_list(), datasets.load_dataset(repo, split="train").to_list(),
                   "the same rows as loading main's CSV")

    it.step("/size: the data files' bytes, the export's, and the rows load_dataset reads, per split and in all")
    sizes = get_session().get(ENDPOINT + "/datasets-server/size", params={"dataset": repo}, headers=ALICE,
                              timeout=60)
    it.check_equal(sizes.headers.get("X-Revision"), sha, "the commit described")
    size = sizes.json()["size"]
    by_split = {(s["config"], s["split"]): s for s in size["splits"]}
    it.check_equal(sorted(by_split), [("default", "test"), ("default", "train")], "the exported splits")
    for name, data in (("train", train), ("test", test)):
        split = by_split[("default", name)]
        it.check_equal(split["num_rows"], loaded[name].num_rows, name + ": the rows load_dataset reads")
        it.check_equal(split["num_columns"], len(loaded[name].column_names), name + ": columns")
        exported = [f["size"] for f in files if f["split"] == name]
        it.check_equal(split["num_bytes_parquet_files"], sum(exported), name + ": the export's bytes")
    default = size["configs"][0]
    it.check_equal((default["config"], default["num_bytes_original_files"], default["num_rows"]),
                   ("default", len(train) + len(test), 307), "the default config: its CSV files' bytes")
    on_main = {f.path: f.size for f in api.list_repo_tree(repo, repo_type="dataset", recursive=True)
               if not f.path.endswith("/") and hasattr(f, "size")}
    it.check_equal(size["dataset"]["num_bytes_original_files"], on_main["data/train.csv"] + on_main["data/test.csv"],
                   "the dataset: the bytes of the files read (the split left out counts in none)")
    it.check_equal([(f["config"], f["split"]) for f in sizes.json()["failed"]], [("big", "train")], "left out")
    one = get_session().get(ENDPOINT + "/datasets-server/size", params={"dataset": repo, "config": "default"},
                            headers=ALICE, timeout=60).json()["size"]
    it.check_equal((one["config"]["num_rows"], len(one["splits"]), "dataset" in one), (307, 2, False), "config=")
    it.check_equal([c["config"] for c in size["configs"]], ["default"], "a config with nothing exported has no sizes")
    for config in ("x", "big"):
        it.check_equal(get_session().get(ENDPOINT + "/datasets-server/size", params={"dataset": repo, "config": config},
                                         headers=ALICE, timeout=60).status_code, 404, "config " + config)

    it.step("the Hub's /api/datasets/{id}/parquet: URLs by config and split, each redirecting to its file")
    by_config = get_session().get(ENDPOINT + "/api/datasets/%s/parquet" % repo, headers=ALICE, timeout=60).json()
    shard = ENDPOINT + "/api/datasets/alice/exported/parquet/default/train/0.parquet"
    it.check_equal(by_config, {"default": {"test": [shard.replace("train", "test")], "train": [shard]}}, "all")
    it.check_equal(get_session().get(ENDPOINT + "/api/datasets/%s/parquet/default/train" % repo, headers=ALICE,
                                     timeout=60).json(), [shard], "one split")
    redirect = get_session().get(shard, headers=ALICE, follow_redirects=False, timeout=60)
    it.check_equal((redirect.status_code, redirect.headers.get("Location")), (302, files[1]["url"]), "the redirect")
    with open(path, "rb") as f:
        it.check_equal(get_session().get(shard, headers=ALICE, follow_redirects=True, timeout=60).content, f.read(), "followed: the bytes")
    for missing in ("parquet/other", "parquet/default/validation", "parquet/default/train/1.parquet",
                    "parquet/default/train/x.parquet"):
        response = get_session().get(ENDPOINT + "/api/datasets/%s/%s" % (repo, missing), headers=ALICE, timeout=60)
        it.check_equal(response.status_code, 404, missing)

    it.step("git and git-lfs fetch the export's ref: the same bytes")
    url = ENDPOINT + "/datasets/" + repo
    listed = subprocess.run(["git", "ls-remote", url], capture_output=True, text=True, check=True).stdout
    it.check("%s\t%s" % (converts[REF], REF) in listed, "git ls-remote: %s" % listed)
    clone = os.path.join(os.environ["WORKDIR"], "clone")
    for command in (["clone", "-q", url, clone], ["-C", clone, "fetch", "-q", "origin", REF],
                    ["-C", clone, "checkout", "-q", "FETCH_HEAD"]):
        subprocess.run(["git"] + command, check=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    with open(path, "rb") as downloaded, open(os.path.join(clone, "default/train/0000.parquet"), "rb") as checked:
        it.check(downloaded.read() == checked.read(), "git-lfs checked out the bytes hf_hub_download got")

    it.step("a new commit on main: a new export, still one commit")
    train2 = csv(0, 301)
    api.upload_file(path_or_fileobj=train2, path_in_repo="data/train.csv", repo_id=repo, repo_type="dataset")
    sha2 = api.dataset_info(repo).sha
    it.wait_exported(api, repo, sha2)
    again = hf_hub_download(repo, "default/train/0000.parquet", repo_type="dataset", revision=REF)
    it.check_equal(pd.read_parquet(again).to_dict("records"), rows_of(train2), "the new rows")
    it.check_equal(len(api.list_repo_commits(repo, repo_type="dataset", revision=REF)), 1, "no history kept")

    it.step("Parquet pushed by push_to_hub is linked, not converted: the same large files")
    pushed = datasets.Dataset.from_list([{"n": i, "word": "w%d" % i} for i in range(500)])
    pushed.push_to_hub("alice/native", num_shards=2)
    native_sha = api.dataset_info("alice/native").sha
    native = it.wait_exported(api, "alice/native", native_sha).json()["parquet_files"]
    it.check_equal([(f["split"], f["filename"]) for f in native], [("train", "0000.parquet"), ("train", "0001.parquet")],
                   "two shards, in order")
    originals = sorted(f for f in api.list_repo_files("alice/native", repo_type="dataset") if f.endswith(".parquet"))
    main_sha = [p.lfs.sha256 for p in api.get_paths_info("alice/native", originals, repo_type="dataset")]
    export_sha = [p.lfs.sha256 for p in api.get_paths_info("alice/native", ["default/train/0000.parquet",
                                                                              "default/train/0001.parquet"],
                                                           repo_type="dataset", revision=REF)]
    it.check_equal(export_sha, main_sha, "each export file is its original")

    it.step("a private dataset's export stays private")
    api.create_repo("alice/hidden", repo_type="dataset", private=True)
    api.upload_file(path_or_fileobj=csv(0, 3), path_in_repo="train.csv", repo_id="alice/hidden", repo_type="dataset")
    it.wait_exported(api, "alice/hidden")
    it.check_equal(parquet_listing("alice/hidden", headers=BOB).status_code, 404, "another user: 404")
    it.check_equal(parquet_listing("alice/hidden", headers={}).status_code, 401, "anonymous: 401")
    hidden_size = ENDPOINT + "/datasets-server/size?dataset=alice/hidden"
    it.check_equal(get_session().get(hidden_size, headers=BOB, timeout=60).status_code, 404, "its /size, to bob")
    it.check_equal(get_session().get(hidden_size, headers=ALICE, timeout=60).json()["size"]["dataset"]["num_rows"],
                   3, "to alice")
    hidden_file = ENDPOINT + "/datasets/alice/hidden/resolve/refs%2Fconvert%2Fparquet/default/train/0000.parquet"
    it.check_equal(get_session().get(hidden_file, headers=BOB, timeout=60).status_code, 404, "its file, to bob")
    it.check_equal(get_session().get(hidden_file, headers=ALICE, timeout=60).status_code, 200, "to alice")

    it.step("the viewer page links the export, and the tree page shows it")
    page = get_session().get(ENDPOINT + "/datasets/%s/viewer" % repo, headers=ALICE, timeout=60).text
    it.check('href="/datasets/alice/exported/tree/refs%2Fconvert%2Fparquet"' in page and "Auto-converted to Parquet"
             in page, "the link")
    shown = get_session().get(ENDPOINT + "/datasets-server/size", params={"dataset": repo, "config": "default"},
                              headers=ALICE, timeout=60).json()["size"]["config"]
    sizes = "Auto-converted to Parquet: %s, from %s of data files" % (
        kilobytes(shown["num_bytes_parquet_files"]), kilobytes(shown["num_bytes_original_files"]))
    it.check(sizes in page, "with the sizes /size gives: " + sizes)
    tree = get_session().get(ENDPOINT + "/datasets/%s/tree/refs%%2Fconvert%%2Fparquet/default/train" % repo,
                             headers=ALICE, timeout=60)
    it.check_equal(tree.status_code, 200, "the tree page")
    it.check("0000.parquet" in tree.text, "lists the file")
    return {"exported": len(files)}


if __name__ == "__main__":
    it.run(main)
