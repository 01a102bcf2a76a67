"""What a mirror is for: a lab's machines, pointed at the lab's hub, load a model and a dataset of another hub by
their usual names with transformers and datasets, unchanged, once an administrator mirrored them under those names.

The source hub stands for huggingface.co. Environment: SOURCE_ENDPOINT, SOURCE_TOKEN (alice there, write),
HF_ENDPOINT (the mirroring hub; transformers and datasets read it when imported), ADMIN_TOKEN (a site administrator
of the mirroring hub), WORKDIR. Prints one JSON line.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import datasets  # noqa: E402
import torch  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import AutoModel, AutoTokenizer, BertConfig, BertModel, PreTrainedTokenizerFast  # noqa: E402

SOURCE = os.environ["SOURCE_ENDPOINT"].rstrip("/")
HUB = os.environ["HF_ENDPOINT"].rstrip("/")
ADMIN = os.environ["ADMIN_TOKEN"]
WORK = Path(os.environ["WORKDIR"])
WORK.mkdir(parents=True, exist_ok=True)
VOCAB = {"[PAD]": 0, "[UNK]": 1, "hello": 2, "world": 3, "mirror": 4}
ROWS = [{"id": i, "text": f"row {i}"} for i in range(6)]


def mirror(source_page, repo_type, repo_id):
    """Mirrors `source_page` under `repo_id` as the administrator and waits for its first sync."""
    made = get_session().post(HUB + "/api/mirrors", json={"source": source_page, "repository": repo_id},
                              headers={"Authorization": "Bearer " + ADMIN}, timeout=120)
    it.check_equal(made.status_code, 200, made.text)
    deadline = time.time() + 120
    while time.time() < deadline:
        state = get_session().get(f"{HUB}/api/{repo_type}s/{repo_id}/mirror", timeout=60).json()
        if state["lastError"]:
            it.fail_fast(f"the sync of {repo_id} failed: {state['lastError']}")
        if state["lastSyncAt"] and not state["syncing"]:
            return
        time.sleep(0.3)
    it.fail_fast(f"{repo_id} was not synced")


def main():
    source = HfApi(endpoint=SOURCE, token=os.environ["SOURCE_TOKEN"])

    it.step("the source hub gets a tiny BERT with its weights, and a CSV dataset")
    folder = WORK / "tiny-bert"
    tokenizer = Tokenizer(models.WordLevel(vocab=VOCAB, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]").save_pretrained(folder)
    torch.manual_seed(7)
    original = BertModel(BertConfig(vocab_size=len(VOCAB), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                    intermediate_size=16, max_position_embeddings=32))
    original.save_pretrained(folder)
    it.check((folder / "model.safetensors").is_file(), "the weights are a safetensors file")
    source.create_repo("alice/tiny-bert")
    source.upload_folder(repo_id="alice/tiny-bert", folder_path=folder)
    source.create_repo("alice/rows", repo_type="dataset")
    csv = "id,text\n" + "".join(f"{r['id']},{r['text']}\n" for r in ROWS)
    source.upload_file(path_or_fileobj=csv.encode(), path_in_repo="data/train.csv", repo_id="alice/rows",
                       repo_type="dataset")

    it.step("an administrator mirrors both under their own names")
    mirror(SOURCE + "/alice/tiny-bert", "model", "alice/tiny-bert")
    mirror(SOURCE + "/datasets/alice/rows", "dataset", "alice/rows")

    it.step("transformers loads the model by its name from the mirroring hub: the same weights")
    model = AutoModel.from_pretrained("alice/tiny-bert", cache_dir=WORK / "hf-cache")
    expected = original.state_dict()
    loaded = model.state_dict()
    it.check_equal(sorted(loaded), sorted(expected), "the same tensors")
    it.check(all(torch.equal(loaded[name], expected[name]) for name in expected), "the same values")
    tokens = AutoTokenizer.from_pretrained("alice/tiny-bert", cache_dir=WORK / "hf-cache")
    it.check_equal(tokens("hello mirror world zzz")["input_ids"], [2, 4, 3, 1], "the tokenizer")

    it.step("datasets loads the dataset by its name from the mirroring hub: the same rows")
    rows = datasets.load_dataset("alice/rows", split="train", cache_dir=str(WORK / "ds-cache"))
    it.check_equal([dict(r) for r in rows], ROWS, "the rows")
    return {"transformers_loaded": True}


it.run(main)
