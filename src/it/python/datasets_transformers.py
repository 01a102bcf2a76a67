"""datasets.load_dataset and transformers Auto* classes against a live Atrium.

Every fixture is generated here and uploaded with huggingface_hub first: nothing is fetched from the internet.
Environment: as hub_roundtrip.py (HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1, HF_HOME, optional
REPO_NAMESPACE and WORKDIR). datasets and transformers read HF_ENDPOINT when imported, so it must be in the
environment before this script starts. Prints one JSON line; exits non-zero on the first failed check.
"""

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import datasets  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import AutoConfig, AutoTokenizer, BertConfig, PreTrainedTokenizerFast  # noqa: E402

CSV_TRAIN = [{"id": i, "text": f"train row {i}", "label": i % 2} for i in range(5)]
CSV_TEST = [{"id": 100 + i, "text": f"test row {i}", "label": 1} for i in range(3)]
JSONL_TRAIN = [{"id": i, "tags": ["a", "b"][: i % 3], "meta": {"score": i / 4}} for i in range(7)]
JSONL_VALIDATION = [{"id": 50 + i, "tags": ["v"], "meta": {"score": 0.5}} for i in range(2)]
PARQUET_ROWS = 5000
VOCAB = {"[PAD]": 0, "[UNK]": 1, "hello": 2, "world": 3, "atrium": 4}


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def jsonl_bytes(rows):
    return "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")


def parquet_bytes():
    table = pa.table({
        "id": pa.array(range(PARQUET_ROWS), pa.int64()),
        "value": pa.array([i * 0.5 for i in range(PARQUET_ROWS)], pa.float64()),
        "name": pa.array([f"name-{i:05d}" for i in range(PARQUET_ROWS)], pa.string()),
    })
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=1000)  # several row groups: streaming reads ranges
    return sink.getvalue()


def publish(api, repo_id, repo_type, files, root):
    """Creates the repo and uploads files ({path: bytes}) in one upload_folder commit."""
    folder = root / repo_id.replace("/", "__")
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    api.create_repo(repo_id, repo_type=repo_type)
    return api.upload_folder(repo_id=repo_id, repo_type=repo_type, folder_path=folder,
                             commit_message=f"fixture for {repo_id}").oid


def check_split(actual_rows, expected_rows, what):
    it.check_equal(len(actual_rows), len(expected_rows), f"{what}: row count")
    for index, (actual, expected) in enumerate(zip(actual_rows, expected_rows)):
        it.check_equal(actual, expected, f"{what}: row {index}")


def check_dataset(repo_id, expected_splits, what, streaming):
    loaded = datasets.load_dataset(repo_id, streaming=streaming)
    it.check_equal(sorted(loaded), sorted(expected_splits), f"{what}: splits")
    for split, rows in expected_splits.items():
        check_split(list(loaded[split]), rows, f"{what} [{split}]")


def check_csv_dataset(api, namespace, root):
    repo = f"{namespace}/it-csv"
    publish(api, repo, "dataset", {"data/train.csv": csv_bytes(CSV_TRAIN), "data/test.csv": csv_bytes(CSV_TEST)}, root)
    for streaming in (False, True):
        it.step(f"load_dataset CSV train/test (streaming={streaming})")
        check_dataset(repo, {"train": CSV_TRAIN, "test": CSV_TEST}, f"CSV streaming={streaming}", streaming)


def check_jsonl_dataset(api, namespace, root):
    repo = f"{namespace}/it-jsonl"
    publish(api, repo, "dataset",
            {"train.jsonl": jsonl_bytes(JSONL_TRAIN), "validation.jsonl": jsonl_bytes(JSONL_VALIDATION)}, root)
    for streaming in (False, True):
        it.step(f"load_dataset JSONL train/validation (streaming={streaming})")
        check_dataset(repo, {"train": JSONL_TRAIN, "validation": JSONL_VALIDATION},
                      f"JSONL streaming={streaming}", streaming)


def check_parquet_dataset(api, namespace, root):
    repo = f"{namespace}/it-parquet"
    readme = (b"---\nlicense: mit\nconfigs:\n- config_name: default\n  data_files:\n"
              b"  - split: train\n    path: data/train-*.parquet\n---\n# Parquet fixture\n")
    publish(api, repo, "dataset",
            {"README.md": readme, "data/train-00000-of-00001.parquet": parquet_bytes()}, root)
    info = api.get_paths_info(repo, ["data/train-00000-of-00001.parquet"], repo_type="dataset")
    it.check(info and info[0].lfs is not None, "the parquet file should be stored as LFS (binary)")

    it.step("load_dataset Parquet (streaming=False)")
    train = datasets.load_dataset(repo, split="train")
    it.check_equal(train.num_rows, PARQUET_ROWS, "Parquet: num_rows")
    it.check_equal(train[4321], {"id": 4321, "value": 2160.5, "name": "name-04321"}, "Parquet: row 4321")
    it.check_equal(sum(train["id"]), PARQUET_ROWS * (PARQUET_ROWS - 1) // 2, "Parquet: sum of ids")

    it.step("load_dataset Parquet (streaming=True)")
    streamed = datasets.load_dataset(repo, split="train", streaming=True)
    count, id_sum, last = 0, 0, None
    for row in streamed:
        count, id_sum, last = count + 1, id_sum + row["id"], row
    it.check_equal(count, PARQUET_ROWS, "Parquet streaming: row count")
    it.check_equal(id_sum, PARQUET_ROWS * (PARQUET_ROWS - 1) // 2, "Parquet streaming: sum of ids")
    it.check_equal(last, {"id": PARQUET_ROWS - 1, "value": (PARQUET_ROWS - 1) * 0.5, "name": "name-04999"},
                   "Parquet streaming: last row")


def build_tiny_model(folder):
    tokenizer = Tokenizer(models.WordLevel(vocab=VOCAB, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]").save_pretrained(folder)
    BertConfig(vocab_size=len(VOCAB), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
               intermediate_size=16, max_position_embeddings=32).save_pretrained(folder)


def check_transformers(api, namespace, root):
    it.step("publish tiny config + tokenizer")
    repo = f"{namespace}/it-tiny-bert"
    folder = root / "tiny-bert"
    build_tiny_model(folder)
    it.check_equal(sorted(p.name for p in folder.iterdir()),
                   ["config.json", "tokenizer.json", "tokenizer_config.json"], "locally generated model files")
    api.create_repo(repo)
    sha = api.upload_folder(repo_id=repo, folder_path=folder, commit_message="tiny bert").oid

    for revision in (None, sha):
        it.step(f"AutoConfig/AutoTokenizer.from_pretrained (revision={revision})")
        config = AutoConfig.from_pretrained(repo, revision=revision)
        it.check_equal((config.model_type, config.hidden_size, config.vocab_size), ("bert", 8, len(VOCAB)),
                       "AutoConfig: model_type/hidden_size/vocab_size")
        tokenizer = AutoTokenizer.from_pretrained(repo, revision=revision)
        it.check_equal(tokenizer("hello atrium world zzz")["input_ids"], [2, 4, 3, 1], "AutoTokenizer: input_ids")
        it.check_equal(tokenizer.pad_token, "[PAD]", "AutoTokenizer: pad_token")


def main():
    api = HfApi()
    root = Path(os.environ.get("WORKDIR") or tempfile.mkdtemp(prefix="atrium-it-dt-"))
    root.mkdir(parents=True, exist_ok=True)
    it.step("whoami")
    namespace = os.environ.get("REPO_NAMESPACE") or api.whoami()["name"]
    check_csv_dataset(api, namespace, root)
    check_jsonl_dataset(api, namespace, root)
    check_parquet_dataset(api, namespace, root)
    check_transformers(api, namespace, root)
    return {"datasets": datasets.__version__, "namespace": namespace}


if __name__ == "__main__":
    it.run(main)
