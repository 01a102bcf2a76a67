"""The dataset viewer's API (/datasets-server/...) on datasets pushed by the real clients: `datasets` push_to_hub
(Parquet shards, uploaded through Xet with the client's defaults), CSV files stored in git, a private dataset and a
gated one; rows compared with what was pushed.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), TOKEN_BOB (bob, write), WORKDIR. ATRIUM_IT_XET=default.
Prints one JSON line.
"""

import html
import io
import json
import math
import os
import re
import statistics
import sys
import tarfile
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import datasets  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from huggingface_hub import CommitOperationAdd, HfApi, get_hf_file_metadata, hf_hub_url  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"]
ALICE = {"Authorization": "Bearer " + os.environ["HF_TOKEN"]}
BOB = {"Authorization": "Bearer " + os.environ["TOKEN_BOB"]}
TRAIN = [{"id": i, "text": "train row %d" % i, "score": i / 8, "tags": ["t"] * (i % 3)} for i in range(230)]
TEST = [{"id": 1000 + i, "text": "test row %d" % i, "score": 0.5, "tags": ["x"]} for i in range(7)]


def get(path, headers=ALICE, **params):
    return get_session().get(ENDPOINT + "/datasets-server/" + path, params=params, headers=headers, timeout=60)


def ok(path, **params):
    response = get(path, **params)
    it.check_equal(response.status_code, 200, "%s %s: %s" % (path, params, response.text[:300]))
    return response


def numeric_statistics(values, whole):
    """The public viewer's statistics of numbers without missing ones: 10 bins from min to max, each holding its
    lower edge, the last also max; for whole numbers bins of whole width ceil((max - min + 1) / 10)."""
    lo, hi = min(values), max(values)
    if whole:
        width = math.ceil((hi - lo + 1) / 10)
        count = math.ceil((hi - lo + 1) / width)
        edges = [lo + i * width for i in range(count)] + [hi]
    elif lo == hi:
        width, count, edges = 1, 1, [lo, hi]
    else:
        width, count = (hi - lo) / 10, 10
        edges = [round(lo + i * width, 5) for i in range(count)] + [round(hi, 5)]
    hist = [0] * count
    for v in values:
        hist[min(int(math.floor((v - lo) / width)), count - 1)] += 1
    return {"nan_count": 0, "nan_proportion": 0.0, "min": lo, "max": hi, "mean": round(statistics.mean(values), 5),
            "median": round(statistics.median(values), 5),
            "std": round(statistics.stdev(values), 5) if len(values) > 1 else 0.0,
            "histogram": {"hist": hist, "bin_edges": edges}}


def upload_and_load(api, repo, folder):
    """Uploads `folder` as a new dataset: what load_dataset gives of its train split, and the viewer's first rows."""
    api.create_repo(repo, repo_type="dataset")
    api.upload_folder(folder_path=folder, repo_id=repo, repo_type="dataset")
    return (datasets.load_dataset(repo, split="train"),
            ok("first-rows", dataset=repo, config="default", split="train").json())


def main():
    api = HfApi()

    it.step("push_to_hub: three Parquet shards for train, one for test, through Xet")
    dataset = datasets.DatasetDict({"train": datasets.Dataset.from_list(TRAIN), "test": datasets.Dataset.from_list(TEST)})
    dataset.push_to_hub("alice/pushed", num_shards={"train": 3, "test": 1})
    sha = api.dataset_info("alice/pushed").sha
    files = api.list_repo_files("alice/pushed", repo_type="dataset")
    it.check(sum(f.endswith(".parquet") for f in files) == 4, "four Parquet files: %s" % files)
    shard = next(f for f in files if f.endswith(".parquet"))
    meta = get_hf_file_metadata(hf_hub_url("alice/pushed", shard, repo_type="dataset"))
    it.check(meta.xet_file_data is not None, "the shards were uploaded through Xet, so the viewer rebuilds them")

    it.step("is-valid and splits")
    it.check_equal(ok("is-valid", dataset="alice/pushed").json()["viewer"], True, "is-valid")
    splits = ok("splits", dataset="alice/pushed")
    it.check_equal(splits.headers.get("X-Revision"), sha, "X-Revision names the commit read")
    it.check_equal(splits.json(), {"splits": [{"dataset": "alice/pushed", "config": "default", "split": "train"},
                                             {"dataset": "alice/pushed", "config": "default", "split": "test"}],
                                  "pending": [], "failed": []}, "splits")

    it.step("first-rows: the features and the first 100 rows, as pushed")
    first = ok("first-rows", dataset="alice/pushed", config="default", split="train").json()
    declared = dataset["train"].features.to_dict()
    it.check_equal([(f["name"], f["type"]) for f in first["features"]], list(declared.items()),
                   "the features as push_to_hub declared them (kept in the Parquet files' metadata)")
    it.check_equal([r["row"] for r in first["rows"]], TRAIN[:100], "the first 100 rows")
    it.check_equal((first["rows"][99]["row_idx"], first["truncated"]), (99, True), "row_idx and truncated")

    it.step("rows: pages across the shards, in order")
    page = ok("rows", dataset="alice/pushed", config="default", split="train", offset=150, length=100).json()
    it.check_equal((page["num_rows_total"], page["num_rows_per_page"], page["partial"]), (230, 100, False), "totals")
    it.check_equal([r["row"] for r in page["rows"]], TRAIN[150:230], "rows 150 to 229")
    it.check_equal(page["rows"][0]["row_idx"], 150, "row_idx counts from the offset")
    tail = ok("rows", dataset="alice/pushed", config="default", split="test", offset=5).json()
    it.check_equal([r["row"] for r in tail["rows"]], TEST[5:], "the test split's last rows")

    it.step("search: text in any text column, any case, paged")
    found = ok("search", dataset="alice/pushed", config="default", split="train", query="ROW 22", length=5).json()
    expected = [r for r in TRAIN if "row 22" in r["text"]]
    it.check_equal(found["num_rows_total"], len(expected), "matches counted: row 22 and rows 220 to 229")
    it.check_equal([r["row"] for r in found["rows"]], expected[:5], "the first page of matches")
    it.check_equal([r["row_idx"] for r in found["rows"]], [r["id"] for r in expected[:5]],
                   "each match's row_idx is its index in the split")
    it.check_equal(ok("search", dataset="alice/pushed", config="default", split="train", query="100%")
                   .json()["num_rows_total"], 0, "a percent sign is text, not a wildcard")
    it.check_equal(get("search", dataset="alice/pushed", config="default", split="train").status_code, 422,
                   "search needs a query")

    it.step("filter: a condition and an order, paged; anything else refused")
    matched = ok("filter", dataset="alice/pushed", config="default", split="train",
                 where="score > 20 AND \"text\" LIKE '%row 2%'", orderby="id DESC", length=5).json()
    expected = sorted((r for r in TRAIN if r["score"] > 20 and "row 2" in r["text"]), key=lambda r: -r["id"])
    it.check_equal(matched["num_rows_total"], len(expected), "matches counted")
    it.check_equal([r["row"] for r in matched["rows"]], expected[:5], "the first page, highest id first")
    it.check_equal([r["row_idx"] for r in matched["rows"]], [r["id"] for r in expected[:5]],
                   "filtered rows keep their index in the split")
    for where in ("id = 1; DROP TABLE data", "nope = 1", "read_text('/etc/passwd') = ''", "text > 5"):
        refused = get("filter", dataset="alice/pushed", config="default", split="train", where=where)
        it.check_equal((refused.status_code, refused.headers.get("X-Error-Code")), (422, "InvalidParameter"),
                       "filter %r: %s" % (where, refused.text[:200]))
    it.check_equal(get("filter", dataset="alice/pushed", config="default", split="train").status_code, 422,
                   "filter needs a condition")

    it.step("statistics: per column, from the pushed values")
    stats = ok("statistics", dataset="alice/pushed", config="default", split="train")
    it.check_equal(stats.headers.get("X-Revision"), sha, "statistics name the commit read")
    body = stats.json()
    it.check_equal((body["num_examples"], body["partial"]), (230, False), "statistics totals")
    columns = {c["column_name"]: c for c in body["statistics"]}
    it.check_equal({n: c["column_type"] for n, c in columns.items()},
                   {"id": "int", "score": "float", "text": "string_text", "tags": "list"}, "column types")
    for name, values, whole in (("id", [r["id"] for r in TRAIN], True), ("score", [r["score"] for r in TRAIN], False),
                                ("text", [len(r["text"]) for r in TRAIN], True),
                                ("tags", [len(r["tags"]) for r in TRAIN], True)):
        it.check_equal(columns[name]["column_statistics"], numeric_statistics(values, whole), "statistics of " + name)
    it.check_equal(ok("statistics", dataset="alice/pushed", config="default", split="test").json()["statistics"][2],
                   {"column_name": "score", "column_type": "float",
                    "column_statistics": numeric_statistics([0.5] * 7, False)}, "one value: one bin")
    it.check_equal(get("statistics", dataset="alice/pushed", config="default", split="nope").status_code, 404,
                   "statistics of an unknown split")

    it.step("a second config from push_to_hub(config_name=...): configs as the README declares them")
    extra = [{"word": w, "n": len(w)} for w in ("alpha", "beta", "gamma")]
    datasets.Dataset.from_list(extra).push_to_hub("alice/pushed", config_name="extra")
    listed = [(s["config"], s["split"]) for s in ok("splits", dataset="alice/pushed").json()["splits"]]
    words = ok("statistics", dataset="alice/pushed", config="extra", split="train").json()["statistics"][0]
    it.check_equal(words, {"column_name": "word", "column_type": "string_label", "column_statistics": {
        "nan_count": 0, "nan_proportion": 0.0, "no_label_count": 0, "no_label_proportion": 0.0, "n_unique": 3,
        "frequencies": {"alpha": 1, "beta": 1, "gamma": 1}}}, "few distinct texts are labels, with frequencies")
    it.check_equal(listed, [("default", "train"), ("default", "test"), ("extra", "train")], "configs and splits")
    it.check_equal([r["row"] for r in ok("rows", dataset="alice/pushed", config="extra", split="train")
                    .json()["rows"]], extra, "the extra config's rows")
    it.check_equal(ok("rows", dataset="alice/pushed", config="default", split="train").json()["num_rows_total"], 230,
                   "the default config's train split does not take in the extra config's files")
    loaded = datasets.load_dataset("alice/pushed", "extra", split="train")
    it.check_equal(loaded.to_list(), extra, "load_dataset reads the same config")

    it.step("CSV files stored in git itself: splits by file name")
    api.create_repo("alice/csv", repo_type="dataset")
    api.upload_file(path_or_fileobj=b"a,b\n1,x\n2,y\n", path_in_repo="data/train.csv", repo_id="alice/csv",
                    repo_type="dataset")
    api.upload_file(path_or_fileobj=b"a,b\n3,z\n", path_in_repo="data/validation.csv", repo_id="alice/csv",
                    repo_type="dataset")
    it.check_equal([s["split"] for s in ok("splits", dataset="alice/csv").json()["splits"]], ["train", "validation"],
                   "csv splits")
    it.check_equal([r["row"] for r in ok("rows", dataset="alice/csv", config="default", split="validation")
                    .json()["rows"]], [{"a": 3, "b": "z"}], "csv rows")
    card = get_session().get(ENDPOINT + "/datasets/alice/csv", headers=ALICE, timeout=60).text
    snippet = re.search(r"<figcaption>pandas .*?<code>(.*?)</code>", card, re.S)
    it.check(snippet is not None, "the dataset page shows how to read it with pandas")
    scope = {}
    exec(html.unescape(snippet.group(1)), scope)  # the page's own code, run as a user would (HF_ENDPOINT is set)
    it.check_equal(scope["df"].to_dict("records"), [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
                   "and that code reads the train split")

    it.step("text files: a row per line, as load_dataset's text builder reads them")
    api.create_repo("alice/corpus", repo_type="dataset")
    api.create_commit("alice/corpus", repo_type="dataset", commit_message="text", operations=[
        CommitOperationAdd("train.txt", b'It was a dark night,\n\n"quoted", with \\ and\ttabs\r\nthe end\n'),
        CommitOperationAdd("test.txt", b"one line")])
    loaded = datasets.load_dataset("alice/corpus", split="train")
    text_rows = ok("rows", dataset="alice/corpus", config="default", split="train").json()
    it.check_equal(([f["name"] for f in text_rows["features"]], [r["row"]["text"] for r in text_rows["rows"]]),
                   (list(loaded.features), loaded["text"]), "the lines, empty ones too, as load_dataset gives them")
    it.check_equal([r["row_idx"] for r in ok("search", dataset="alice/corpus", config="default", split="train",
                                             query="QUOTED").json()["rows"]], [2], "searched")
    it.wait_exported(api, "alice/corpus")
    exported = datasets.load_dataset("alice/corpus", revision="refs/convert/parquet", split="train")
    it.check_equal(exported["text"], loaded["text"], "and exported to Parquet")

    it.step("bad requests and unknown things")
    for params, status in (({}, 422), ({"dataset": "alice/pushed", "config": "default"}, 422),
                           ({"dataset": "alice/pushed", "config": "default", "split": "nope"}, 404),
                           ({"dataset": "alice/pushed", "config": "other", "split": "train"}, 404),
                           ({"dataset": "alice/pushed", "config": "extra", "split": "test"}, 404),
                           ({"dataset": "alice/pushed", "config": "default", "split": "train", "length": 101}, 422),
                           ({"dataset": "alice/pushed", "config": "default", "split": "train", "offset": -1}, 422),
                           ({"dataset": "alice/missing", "config": "default", "split": "train"}, 404)):
        response = get("rows", **params)
        it.check_equal(response.status_code, status, "rows %s: %s" % (params, response.text[:200]))
        it.check("error" in response.json(), "a JSON error for %s" % params)
    it.check_equal(get("splits", dataset="alice/pushed", headers={}).status_code, 200, "a public dataset, anonymously")

    it.step("one CSV file over the server's --viewer-split-limit (1 MB here): its first whole records, partial")
    api.create_repo("alice/big", repo_type="dataset")
    big = b"n,text\n" + b"".join(b'%d,"%s\n%s"\n' % (i, b"x" * 50, b"y" * 50) for i in range(12000))
    api.upload_file(path_or_fileobj=big, path_in_repo="train.csv", repo_id="alice/big", repo_type="dataset")
    read = ok("rows", dataset="alice/big", config="default", split="train", offset=0, length=1).json()
    total = read["num_rows_total"]
    it.check(read["partial"] and 5000 < total < 12000, "the rows of its first megabyte: %d" % total)
    last = ok("rows", dataset="alice/big", config="default", split="train", offset=total - 1, length=1).json()
    it.check_equal(last["rows"][0]["row"], {"n": total - 1, "text": "x" * 50 + "\n" + "y" * 50},
                   "the last row read is whole (never cut inside a quoted newline)")

    it.step("one JSON array over the limit, which cannot be read in part, is refused with the reason")
    api.create_repo("alice/bigger", repo_type="dataset")
    array = json.dumps([{"n": i, "text": "x" * 100} for i in range(12000)]).encode()
    api.upload_file(path_or_fileobj=array, path_in_repo="train.json", repo_id="alice/bigger", repo_type="dataset")
    refused = get("rows", dataset="alice/bigger", config="default", split="train")
    it.check_equal((refused.status_code, refused.headers.get("X-Error-Code")), (501, "TooBigContentError"),
                   "too big: " + refused.text[:200])
    it.check("%d bytes" % len(array) in refused.json()["error"], "the error names the size: " + refused.text[:200])
    it.check_equal(get("statistics", dataset="alice/bigger", config="default", split="train").status_code, 501,
                   "no statistics of a split too big to read either")

    it.step("a split of several files over the limit: its first files' rows, said to be partial, as the Hub does")
    api.create_repo("alice/sharded", repo_type="dataset")
    shard = lambda first: b"n,text\n" + b"".join(b"%d,%s\n" % (i, b"y" * 100) for i in range(first, first + 5000))
    api.create_commit("alice/sharded", repo_type="dataset", commit_message="two shards", operations=[
        CommitOperationAdd("data/train-00000-of-00002.csv", shard(0)),
        CommitOperationAdd("data/train-00001-of-00002.csv", shard(5000))])
    page = ok("rows", dataset="alice/sharded", config="default", split="train", offset=4999, length=5).json()
    it.check_equal((page["num_rows_total"], page["partial"], [r["row"]["n"] for r in page["rows"]]),
                   (5000, True, [4999]), "the first file's 5000 rows of 10000, partial")
    it.check_equal(ok("statistics", dataset="alice/sharded", config="default", split="train").json()["partial"],
                   True, "statistics of those rows, partial too")
    it.check_equal(ok("rows", dataset="alice/pushed", config="default", split="train").json()["partial"], False,
                   "a split read whole is not")
    sharded_page = get_session().get(ENDPOINT + "/datasets/alice/sharded/viewer", headers=ALICE, timeout=60).text
    it.check("its first rows only: the split is larger than the viewer reads" in sharded_page, "the page says so")
    listing = it.wait_exported(api, "alice/sharded")
    it.check_equal(([(f["split"], f["url"].rsplit("/", 2)[1]) for f in listing.json()["parquet_files"]],
                    listing.json()["partial"]), ([("train", "partial-train")], True),
                   "exported from those files, in a partial-train folder, as the Hub does")
    partial = datasets.load_dataset("alice/sharded", revision="refs/convert/parquet", split="train")
    it.check_equal(partial["n"], list(range(5000)), "load_dataset reads it as the split train")

    it.step("images (a datasets Image feature, as push_to_hub stores it): their size in the rows, their bytes by URL")
    pictures = [PILImage.new("RGB", (8 + i, 5), (40 * i, 100, 200)) for i in range(3)]
    datasets.Dataset.from_dict({"image": pictures, "label": [0, 1, 2]}, features=datasets.Features(
        {"image": datasets.Image(), "label": datasets.ClassLabel(names=["red", "green", "blue"])})).push_to_hub(
        "alice/pictures", private=True)
    first = ok("first-rows", dataset="alice/pictures", config="default", split="train").json()
    it.check_equal(first["features"][0]["type"], {"_type": "Image"}, "the image column's feature")
    it.check_equal(first["features"][1]["type"], {"names": ["red", "green", "blue"], "_type": "ClassLabel"},
                   "the label column's, with its class names")
    labels = ok("statistics", dataset="alice/pictures", config="default", split="train").json()["statistics"]
    it.check_equal(labels, [{"column_name": "label", "column_type": "class_label", "column_statistics": {
        "nan_count": 0, "nan_proportion": 0.0, "no_label_count": 0, "no_label_proportion": 0.0, "n_unique": 3,
        "frequencies": {"red": 1, "green": 1, "blue": 1}}}], "a class label's statistics: its classes, by name")
    cells = [r["row"]["image"] for r in first["rows"]]
    it.check_equal([(c["width"], c["height"]) for c in cells], [(8, 5), (9, 5), (10, 5)], "each image's size")
    it.check_equal(cells[1]["src"], ENDPOINT + "/datasets-server/asset?dataset=alice%2Fpictures&config=default"
                   "&split=train&row=1&column=image", "where its bytes are")
    served = get_session().get(cells[1]["src"], headers=ALICE, timeout=60)
    it.check_equal((served.status_code, served.headers.get("Content-Type"),
                    served.headers.get("X-Content-Type-Options")), (200, "image/png", "nosniff"), "served as a PNG")
    decoded = PILImage.open(io.BytesIO(served.content)).convert("RGB")
    it.check_equal((decoded.size, list(decoded.getdata())), (pictures[1].size, list(pictures[1].getdata())),
                   "the pixels pushed")
    it.check_equal(get_session().get(cells[1]["src"], headers=BOB, timeout=60).status_code, 404,
                   "a private dataset's images are its readers' only")
    it.check_equal(get("asset", dataset="alice/pictures", config="default", split="train", row=0, column="label")
                   .status_code, 404, "a cell that holds no image")
    it.check_equal(get("asset", dataset="alice/pictures", config="default", split="train", row=3, column="image")
                   .status_code, 404, "a row past the last")
    page = get_session().get(ENDPOINT + "/datasets/alice/pictures/viewer", headers=ALICE, timeout=60).text
    it.check('<img class="cell-image" src="/datasets-server/asset?dataset=alice%2Fpictures&amp;config=default'
             '&amp;split=train&amp;row=2&amp;column=image" alt="10 × 5 image"' in page, "the viewer page shows them")
    it.check("<td>green</td>" in page, "and a class label by its name")

    it.step("a large image is shown on the page as a small JPEG, linked to the whole of it")
    photo = PILImage.new("RGB", (640, 400), (250, 200, 30))
    datasets.Dataset.from_dict({"image": [photo]}, features=datasets.Features({"image": datasets.Image()})) \
        .push_to_hub("alice/photo")
    page = get_session().get(ENDPOINT + "/datasets/alice/photo/viewer", headers=ALICE, timeout=60).text
    full = "/datasets-server/asset?dataset=alice%2Fphoto&amp;config=default&amp;split=train&amp;row=0&amp;column=image"
    it.check('<a class="cell-link" href="%s" target="_blank" rel="noopener"><img class="cell-image" src="%s&amp;thumb=1"'
             ' alt="640 × 400 image"' % (full, full) in page, "the page's thumbnail and link")
    thumb = get_session().get(ENDPOINT + html.unescape(full) + "&thumb=1", headers=ALICE, timeout=60)
    shown = PILImage.open(io.BytesIO(thumb.content))
    it.check_equal((thumb.headers.get("Content-Type"), shown.format, shown.size), ("image/jpeg", "JPEG", (307, 192)),
                   "a JPEG that fits 320 x 192")
    it.check(all(abs(a - b) < 8 for a, b in zip(shown.convert("RGB").getpixel((150, 90)), (250, 200, 30))),
             "of the same colour")
    whole = get_session().get(ENDPOINT + html.unescape(full), headers=ALICE, timeout=60)
    it.check_equal((whole.headers.get("Content-Type"), PILImage.open(io.BytesIO(whole.content)).size),
                   ("image/png", (640, 400)), "the link gives the image itself")

    it.step("lists of images (List(Image), as multi-image chat datasets have): each image, by row and item")
    album = [PILImage.new("RGB", (4 + i, 3), (i * 60, 0, 0)) for i in range(11)]
    datasets.Dataset.from_dict({"images": [album[:2], album[2:]], "text": ["two", "nine"]}, features=datasets.Features(
        {"images": datasets.List(datasets.Image()), "text": datasets.Value("string")})).push_to_hub("alice/albums")
    first = ok("first-rows", dataset="alice/albums", config="default", split="train").json()
    it.check_equal(first["features"][0]["type"], {"feature": {"_type": "Image"}, "_type": "List"},
                   "the feature push_to_hub declared")
    items = first["rows"][1]["row"]["images"]
    it.check_equal([(c["width"], c["height"]) for c in items], [(4 + i, 3) for i in range(2, 11)], "each image's size")
    it.check_equal(items[3]["src"], ENDPOINT + "/datasets-server/asset?dataset=alice%2Falbums&config=default"
                   "&split=train&row=1&column=images&item=3", "where each one's bytes are")
    decoded = PILImage.open(io.BytesIO(get_session().get(items[3]["src"], headers=ALICE, timeout=60).content))
    it.check_equal(list(decoded.convert("RGB").getdata()), list(album[5].getdata()), "the pixels pushed")
    it.check_equal(get("asset", dataset="alice/albums", config="default", split="train", row=1, column="images",
                       item=9).status_code, 404, "an item past the last")
    page = get_session().get(ENDPOINT + "/datasets/alice/albums/viewer", headers=ALICE, timeout=60).text
    it.check_equal(page.count('<img class="cell-image"'), 2 + 8, "the page shows a list's first eight")
    it.check('<span class="cell-more">and 1 more</span>' in page, "and says how many it leaves out")

    it.step("a folder of images, as upload_folder leaves it: rows and labels as load_dataset's imagefolder gives them")
    folder = os.path.join(os.environ["WORKDIR"], "pets")
    for split, label, n in (("train", "cat", 0), ("train", "cat", 1), ("train", "dog", 0), ("test", "dog", 0),
                            ("test", "cat", 0)):
        os.makedirs(os.path.join(folder, split, label), exist_ok=True)
        PILImage.new("RGB", (6 + n, 4 if label == "cat" else 5), (200, 30 * n, 90)).save(
            os.path.join(folder, split, label, "%d.png" % n))
    loaded, first = upload_and_load(api, "alice/pets", folder)
    it.check_equal([s["split"] for s in ok("splits", dataset="alice/pets").json()["splits"]], ["train", "test"],
                   "splits by folder")
    it.check_equal({f["name"]: f["type"] for f in first["features"]}, loaded.features.to_dict(),
                   "the features imagefolder infers: an image, and the folders' names as class labels")
    it.check_equal([(r["row"]["label"], r["row"]["image"]["width"], r["row"]["image"]["height"]) for r in first["rows"]],
                   [(r["label"], r["image"].width, r["image"].height) for r in loaded], "rows in the same order")
    served = get_session().get(first["rows"][2]["row"]["image"]["src"], headers=ALICE, timeout=60)
    with open(os.path.join(folder, "train", "dog", "0.png"), "rb") as f:
        it.check_equal((served.headers.get("Content-Type"), served.content), ("image/png", f.read()), "the file")
    stats = ok("statistics", dataset="alice/pets", config="default", split="train").json()
    it.check_equal((stats["num_examples"], stats["statistics"]), (3, [{"column_name": "label",
                   "column_type": "class_label", "column_statistics": {"nan_count": 0, "nan_proportion": 0.0,
                   "no_label_count": 0, "no_label_proportion": 0.0, "n_unique": 2,
                   "frequencies": {"cat": 2, "dog": 1}}}]), "the labels' frequencies")
    listing = it.wait_exported(api, "alice/pets")
    it.check_equal([(f["split"], f["filename"]) for f in listing.json()["parquet_files"]],
                   [("test", "0000.parquet"), ("train", "0000.parquet")], "the folder is exported to Parquet")
    exported = datasets.load_dataset("alice/pets", revision="refs/convert/parquet", split="train")
    it.check_equal(exported.features.to_dict(), loaded.features.to_dict(), "as push_to_hub would store it")
    it.check_equal([(r["label"], list(r["image"].getdata())) for r in exported],
                   [(r["label"], list(r["image"].getdata())) for r in loaded], "the same images and labels")
    refused = get("search", dataset="alice/pets", config="default", split="train", query="cat")
    it.check_equal((refused.status_code, refused.headers.get("X-Error-Code")), (501, "NotATable"),
                   "a folder is browsed, not searched")
    page = get_session().get(ENDPOINT + "/datasets/alice/pets/viewer", headers=ALICE, timeout=60).text
    it.check('alt="7 × 4 image"' in page and "<td>dog</td>" in page, "the viewer page: images and class names")
    it.check('class="viewer-search"' not in page, "and no search form")

    it.step("a folder of captioned images (metadata.csv beside them): its rows as load_dataset's imagefolder gives them")
    captioned = os.path.join(os.environ["WORKDIR"], "captioned")
    for split, n, rgb in (("train", 0, (255, 0, 0)), ("train", 1, (0, 0, 255)), ("train", 2, (250, 250, 200)),
                          ("test", 0, (0, 255, 0))):
        for folder_name, size in (("images", (5 + n, 3)), ("masks", (2, 2 + n))):
            os.makedirs(os.path.join(captioned, split, folder_name), exist_ok=True)
            PILImage.new("RGB", size, rgb).save(os.path.join(captioned, split, folder_name, "%d.png" % n))
    # Rows in the metadata's order, not the files'; a second image by "{name}_file_name", as ControlNet sets have.
    with open(os.path.join(captioned, "train", "metadata.csv"), "w") as f:
        f.write("file_name,text,score,mask_file_name\nimages/2.png,a pale one,7,masks/2.png\n"
                "images/0.png,a red square,3,masks/0.png\nimages/1.png,\"a blue square, small\",5,masks/1.png\n")
    with open(os.path.join(captioned, "test", "metadata.csv"), "w") as f:
        f.write("file_name,text,score,mask_file_name\nimages/0.png,a green square,1,masks/0.png\n")
    loaded, first = upload_and_load(api, "alice/captioned", captioned)
    # pandas 3, which datasets reads CSV metadata with, gives text as Arrow's large_string: text either way.
    loaded_features = json.loads(json.dumps(loaded.features.to_dict()).replace('"large_string"', '"string"'))
    it.check_equal({f["name"]: f["type"] for f in first["features"]}, loaded_features,
                   "the features imagefolder gives: the metadata's columns, file names become images")
    it.check_equal([(r["row"]["text"], r["row"]["score"], r["row"]["image"]["width"], r["row"]["mask"]["height"])
                    for r in first["rows"]],
                   [(r["text"], r["score"], r["image"].width, r["mask"].height) for r in loaded],
                   "the metadata's rows, in its order")
    served = get_session().get(first["rows"][0]["row"]["image"]["src"], headers=ALICE, timeout=60)
    with open(os.path.join(captioned, "train", "images", "2.png"), "rb") as f:
        it.check_equal((served.headers.get("Content-Type"), served.content), ("image/png", f.read()),
                       "the file the row names")
    found = ok("search", dataset="alice/captioned", config="default", split="train", query="BLUE").json()
    it.check_equal([(r["row_idx"], r["row"]["text"], r["row"]["image"]["width"]) for r in found["rows"]],
                   [(2, "a blue square, small", 6)], "captions are searched")
    filtered = ok("filter", dataset="alice/captioned", config="default", split="train", where="score < 6",
                  orderby="score DESC").json()
    it.check_equal([r["row"]["text"] for r in filtered["rows"]], ["a blue square, small", "a red square"],
                   "and filtered")
    stats = ok("statistics", dataset="alice/captioned", config="default", split="train").json()
    it.check_equal(sorted(s["column_name"] for s in stats["statistics"]), ["score", "text"],
                   "statistics of the metadata's columns, none of file names")
    listing = it.wait_exported(api, "alice/captioned")
    it.check_equal([(f["split"], f["filename"]) for f in listing.json()["parquet_files"]],
                   [("test", "0000.parquet"), ("train", "0000.parquet")], "exported to Parquet")
    exported = datasets.load_dataset("alice/captioned", revision="refs/convert/parquet", split="train")
    it.check_equal(exported.features.to_dict(), loaded_features, "as push_to_hub would store it")
    it.check_equal([(r["text"], r["score"], list(r["image"].getdata()), list(r["mask"].getdata())) for r in exported],
                   [(r["text"], r["score"], list(r["image"].getdata()), list(r["mask"].getdata())) for r in loaded],
                   "the same rows and images")
    page = get_session().get(ENDPOINT + "/datasets/alice/captioned/viewer", headers=ALICE, timeout=60).text
    it.check('alt="7 × 3 image"' in page and "<td>a pale one</td>" in page, "the viewer page: images and captions")
    it.check('class="viewer-search"' in page, "and a search form")

    it.step("several images to a row (file_names lists in metadata.jsonl): lists of images, as imagefolder gives them")
    views = os.path.join(os.environ["WORKDIR"], "views")
    os.makedirs(os.path.join(views, "train"), exist_ok=True)
    for n in range(3):
        PILImage.new("RGB", (4 + n, 3), (80 * n, 40, 0)).save(os.path.join(views, "train", "%d.png" % n))
    with open(os.path.join(views, "train", "metadata.jsonl"), "w") as f:
        f.write('{"file_names": ["0.png", "2.png"], "n": 1}\n{"file_names": ["1.png"], "n": 2}\n')
    loaded, first = upload_and_load(api, "alice/views", views)
    it.check_equal({f["name"]: f["type"] for f in first["features"]}, loaded.features.to_dict(),
                   "the features imagefolder gives: a list of images")
    it.check_equal([[c["width"] for c in r["row"]["images"]] for r in first["rows"]],
                   [[i.width for i in r["images"]] for r in loaded], "each row's images, in order")
    it.wait_exported(api, "alice/views")
    exported = datasets.load_dataset("alice/views", revision="refs/convert/parquet", split="train")
    it.check_equal(exported.features.to_dict(), loaded.features.to_dict(), "exported as push_to_hub would store it")
    it.check_equal([[list(i.getdata()) for i in r["images"]] for r in exported],
                   [[list(i.getdata()) for i in r["images"]] for r in loaded], "the same images")

    it.step("WebDataset shards (.tar): a row per key, as load_dataset's webdataset builder reads them")
    shards_dir = os.path.join(os.environ["WORKDIR"], "wds")
    os.makedirs(os.path.join(shards_dir, "train"), exist_ok=True)
    n = 0
    for shard in range(2):
        with tarfile.open(os.path.join(shards_dir, "train", "shard-%05d.tar" % shard), "w",
                          format=tarfile.PAX_FORMAT if shard else tarfile.GNU_FORMAT) as tar:
            for _ in range(3):
                jpg = io.BytesIO()
                PILImage.new("RGB", (5 + n, 4), (n * 30, 90, 10)).save(jpg, "JPEG")
                for extension, data in (("jpg", jpg.getvalue()), ("txt", ("caption %d, é" % n).encode()),
                                        ("json", json.dumps({"n": n, "tags": ["a", "b"], "ok": True}).encode()),
                                        ("cls", str(n % 2).encode())):
                    # A long folder name in one shard: GNU long names in the first, pax records in the second.
                    info = tarfile.TarInfo("%s/%06d.%s" % ("deep/" * 30 if n == 1 else "s", n, extension))
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                n += 1
    loaded, first = upload_and_load(api, "alice/wds", shards_dir)
    it.check_equal({f["name"]: f["type"] for f in first["features"]}, loaded.features.to_dict(),
                   "the features the webdataset builder infers")
    it.check_equal([{k: (v["width"] if k == "jpg" else v) for k, v in r["row"].items() if k != "__url__"}
                    for r in first["rows"]],
                   [{k: (v.width if k == "jpg" else v) for k, v in r.items() if k != "__url__"} for r in loaded],
                   "each row's image, text, JSON, class and key, in order")
    it.check_equal(first["rows"][4]["row"]["__url__"], "train/shard-00001.tar", "the shard it is in")
    served = get_session().get(first["rows"][2]["row"]["jpg"]["src"], headers=ALICE, timeout=60)
    decoded = PILImage.open(io.BytesIO(served.content))
    it.check_equal((served.headers.get("Content-Type"), decoded.size), ("image/jpeg", (7, 4)), "the member's bytes")
    refused = get("search", dataset="alice/wds", config="default", split="train", query="caption")
    it.check_equal((refused.status_code, refused.headers.get("X-Error-Code")), (501, "NotATable"), "browsed only")
    it.check_equal([f["split"] for f in it.wait_exported(api, "alice/wds").json()["parquet_files"]], ["train"],
                   "exported to Parquet")
    exported = datasets.load_dataset("alice/wds", revision="refs/convert/parquet", split="train")
    it.check_equal(exported.features.to_dict(), loaded.features.to_dict(), "with the builder's features")
    it.check_equal([{k: (list(v.getdata()) if k == "jpg" else v) for k, v in r.items() if k != "__url__"}
                    for r in exported],
                   [{k: (list(v.getdata()) if k == "jpg" else v) for k, v in r.items() if k != "__url__"}
                    for r in loaded], "and the same rows and images")

    it.step("a folder of sounds: rows and labels as audiofolder gives them")
    speech = os.path.join(os.environ["WORKDIR"], "speech")
    clips = {}
    for word, n in (("no", 0), ("yes", 0), ("yes", 1)):
        os.makedirs(os.path.join(speech, "train", word), exist_ok=True)
        with wave.open(os.path.join(speech, "train", word, "%d.wav" % n), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(bytes([n, len(word)]) * 400)
        with open(os.path.join(speech, "train", word, "%d.wav" % n), "rb") as f:
            clips["train/%s/%d.wav" % (word, n)] = f.read()
    api.create_repo("alice/speech", repo_type="dataset")
    api.upload_folder(folder_path=speech, repo_id="alice/speech", repo_type="dataset")
    # load_dataset cannot build an audiofolder here (it needs torchcodec, not in the mirror): the expectation is
    # written out, by the rule imagefolder follows too, which the step above checks against load_dataset.
    first = ok("first-rows", dataset="alice/speech", config="default", split="train").json()
    it.check_equal({f["name"]: f["type"] for f in first["features"]}, datasets.Features(
        {"audio": datasets.Audio(), "label": datasets.ClassLabel(names=["no", "yes"])}).to_dict(),
                   "the features audiofolder infers")
    it.check_equal([r["row"]["label"] for r in first["rows"]], [0, 1, 1], "the labels, in path order")
    clip = first["rows"][1]["row"]["audio"][0]
    it.check_equal(clip["type"], "audio/wav", "a WAV")
    it.check_equal(get_session().get(clip["src"], headers=ALICE, timeout=60).content, clips["train/yes/0.wav"],
                   "its bytes")

    it.step("sounds (an Audio column, as datasets stores it in Parquet): a player, their bytes by URL")
    sounds = []
    for hz in (8000, 16000):
        wav = io.BytesIO()
        with wave.open(wav, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(hz)
            w.writeframes(bytes(range(256)) * 10)
        sounds.append(wav.getvalue())
    # What push_to_hub writes for an Audio feature (its encoder needs torchcodec, which the mirror lacks).
    table = pa.table({"audio": [{"bytes": b, "path": "%d.wav" % i} for i, b in enumerate(sounds)],
                      "text": ["low", "high"]})
    table = table.replace_schema_metadata({"huggingface": json.dumps({"info": {"features": {
        "audio": {"_type": "Audio"}, "text": {"dtype": "string", "_type": "Value"}}}})})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    api.create_repo("alice/sounds", repo_type="dataset")
    api.upload_file(path_or_fileobj=sink.getvalue(), path_in_repo="data/train-00000-of-00001.parquet",
                    repo_id="alice/sounds", repo_type="dataset")
    first = ok("first-rows", dataset="alice/sounds", config="default", split="train").json()
    it.check_equal(first["features"][0]["type"], {"_type": "Audio"}, "the audio column's feature, as declared")
    cell = first["rows"][1]["row"]["audio"]
    it.check_equal(cell, [{"src": ENDPOINT + "/datasets-server/asset?dataset=alice%2Fsounds&config=default"
                           "&split=train&row=1&column=audio", "type": "audio/wav"}], "a sound as the Hub gives it")
    served = get_session().get(cell[0]["src"], headers=ALICE, timeout=60)
    it.check_equal((served.status_code, served.headers.get("Content-Type"), served.content),
                   (200, "audio/wav", sounds[1]), "the WAV bytes, as a WAV")
    page = get_session().get(ENDPOINT + "/datasets/alice/sounds/viewer", headers=ALICE, timeout=60).text
    it.check('<audio class="cell-sound" controls preload="none" src="/datasets-server/asset?dataset=alice%2Fsounds'
             '&amp;config=default&amp;split=train&amp;row=0&amp;column=audio"' in page, "a player on the page")

    it.step("private and gated datasets")
    api.create_repo("alice/secret", repo_type="dataset", private=True)
    api.upload_file(path_or_fileobj=b"a\n1\n", path_in_repo="train.csv", repo_id="alice/secret", repo_type="dataset")
    it.check_equal(ok("rows", dataset="alice/secret", config="default", split="train").json()["rows"][0]["row"],
                   {"a": 1}, "the owner reads a private dataset")
    it.check_equal(get("rows", headers=BOB, dataset="alice/secret", config="default", split="train").status_code,
                   404, "another user does not see it")
    it.check_equal(get("statistics", headers=BOB, dataset="alice/secret", config="default", split="train")
                   .status_code, 404, "nor its statistics")
    it.check_equal(get("splits", headers={}, dataset="alice/secret").status_code, 401, "nor does anyone anonymous")
    api.update_repo_settings("alice/csv", repo_type="dataset", gated="manual")
    it.check_equal(get("rows", headers=BOB, dataset="alice/csv", config="default", split="train").status_code, 403,
                   "a gated dataset's rows are for those let in")
    it.check_equal(get("statistics", headers=BOB, dataset="alice/csv", config="default", split="train").status_code,
                   403, "and so are its statistics")
    it.check_equal(get("filter", headers=BOB, dataset="alice/csv", config="default", split="train", where="a = 1")
                   .status_code, 403, "and filtering its rows")
    it.check_equal(get("is-valid", headers=BOB, dataset="alice/csv").json()["viewer"], True,
                   "whether it has a viewer is not a secret")
    return {"dataset_sha": sha}


if __name__ == "__main__":
    it.run(main)
