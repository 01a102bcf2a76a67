"""The inference API where the hub does not run the model to the end: a hub started without --inference-python
(EXPECT=off: 503, and the model page has no widget), and one whose timeout is shorter than the worker takes to start
(EXPECT=timeout: 504, and the next request is answered the same way, by a new worker).

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), WORKDIR, EXPECT. Prints one JSON line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi  # noqa: E402
from transformers import BertForSequenceClassification  # noqa: E402

import inference  # noqa: E402


def main():
    expect = os.environ["EXPECT"]
    api = HfApi()
    folder = inference.make_model("tiny-limits", BertForSequenceClassification, "text-classification", ["A", "B"])
    api.create_repo("alice/tiny-limits")
    api.upload_folder(folder_path=folder, repo_id="alice/tiny-limits")
    path = "/hf-inference/models/alice/tiny-limits"
    if expect == "off":
        it.step("a hub without a worker says so")
        status, error = inference.status_and_error(inference.post(path, {"inputs": "the cat"}))
        it.check_equal(status, 503, "inference off")
        it.check("--inference-python" in error, f"says how to turn it on: {error}")
        page = inference.get_session().get(inference.ENDPOINT + "/alice/tiny-limits", timeout=60)
        it.check_equal(page.status_code, 200, "the model page")
        it.check("data-inference" not in page.text, "has no widget")
        it.check_equal(api.model_info("alice/tiny-limits").inference, None, "model_info: not warm")
        it.check_equal([m.id for m in api.list_models(author="alice", inference="warm")], [], "no model is warm")
        it.check_equal([m.id for m in api.list_models(author="alice")], ["alice/tiny-limits"], "but it is listed")
    else:
        it.step("a request past the timeout is stopped")
        for attempt in ("first", "next"):
            status, error = inference.status_and_error(inference.post(path, {"inputs": "the cat"}))
            it.check_equal(status, 504, f"the {attempt} request")
            it.check("longer than 1 s" in error, f"says why: {error}")
    return {"expect": expect}


if __name__ == "__main__":
    it.run(main)
