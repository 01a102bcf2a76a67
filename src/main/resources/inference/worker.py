"""Atrium's inference worker: runs transformers pipelines for the hub, one request at a time.

Atrium starts this script with the Python that the operator named (--inference-python) and talks to it over
stdin and stdout, one JSON object per line:

  in:  {"model": "/path/to/snapshot", "task": "text-classification", "inputs": ..., "parameters": {...}}
  out: {"result": ...}  or  {"error": "...", "kind": "input" | "model" | "failed"}

A chat or text completion asked to stream writes {"chunk": "text"} lines first, as the model writes them, then
its result.

The snapshot folder holds the model's files as Atrium wrote them: its config, tokenizer and safetensors weights,
never pickles. Nothing here reaches the network: the environment sets HF_HUB_OFFLINE.
"""

import json
import os
import re
import sys
from collections import OrderedDict

# Libraries print progress and warnings; stdout belongs to the protocol.
_protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
sys.stdout = sys.stderr

_LOADED_LIMIT = int(os.environ.get("ATRIUM_INFERENCE_LOADED", "2"))
_loaded = OrderedDict()


class InputError(Exception):
    """The request's inputs or parameters do not suit the task."""


class ModelError(Exception):
    """The model's files do not make what the task needs."""


def _pipeline(model, task):
    key = (model, task)
    pipe = _loaded.pop(key, None)
    if pipe is None:
        from transformers import pipeline

        pipe = pipeline(task, model=model, tokenizer=model, trust_remote_code=False,
                        model_kwargs={"use_safetensors": True})
        while len(_loaded) >= _LOADED_LIMIT:
            _loaded.popitem(last=False)
    _loaded[key] = pipe
    return pipe


def _sentence_model(folder):
    """A sentence-transformers model (modules.json), loaded with that library, as the Hub runs such models.

    modules.json names the classes to load and the folders to load them from: only the library's own classes, and
    only its module folders inside the snapshot, are accepted.
    """
    key = (folder, "sentence-transformers")
    model = _loaded.pop(key, None)
    if model is None:
        with open(os.path.join(folder, "modules.json")) as f:
            modules = json.load(f)
        for module in modules if isinstance(modules, list) else [None]:
            if not isinstance(module, dict) or not str(module.get("type", "")).startswith("sentence_transformers.") \
                    or not re.fullmatch(r"(\d+_[A-Za-z]+)?", str(module.get("path", ""))):
                raise ModelError("modules.json names a module this hub does not load")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelError("the hub's inference has no sentence-transformers to run this model with")
        model = SentenceTransformer(folder, device="cpu", trust_remote_code=False, local_files_only=True,
                                    model_kwargs={"use_safetensors": True})
        while len(_loaded) >= _LOADED_LIMIT:
            _loaded.popitem(last=False)
    _loaded[key] = model
    return model


def _sentences(model, inputs, parameters):
    """Sentence embeddings (one list per text), or the similarity of a sentence to others."""
    if isinstance(inputs, dict):
        source, others = inputs.get("source_sentence"), inputs.get("sentences")
        if not isinstance(source, str) or not isinstance(others, list) or not others \
                or not all(isinstance(o, str) for o in others):
            raise InputError("inputs must be {\"source_sentence\": text, \"sentences\": [texts]}")
        return model.similarity(model.encode([source]), model.encode(others))[0].tolist()
    text = _text(inputs)
    options = {"normalize_embeddings": bool(parameters.get("normalize", False))}
    if parameters.get("prompt_name"):
        options["prompt_name"] = parameters["prompt_name"]
    return model.encode([text] if isinstance(text, str) else text, **options).tolist()


def _text(inputs):
    if isinstance(inputs, str):
        return inputs
    if isinstance(inputs, list) and inputs and all(isinstance(i, str) for i in inputs):
        return inputs
    raise InputError("inputs must be a text or a list of texts")


def _text_classification(pipe, inputs, parameters):
    text = _text(inputs)
    top_k = parameters.pop("top_k", None)
    result = pipe(text, top_k=top_k, **parameters)
    if isinstance(text, str):
        # One text: the Hub answers a list holding that text's list of labels.
        return [result[0] if result and isinstance(result[0], list) else result]
    return result


def _zero_shot(pipe, inputs, parameters):
    labels = parameters.pop("candidate_labels", None)
    if not labels:
        raise InputError("parameters.candidate_labels is required")
    result = pipe(_text(inputs), candidate_labels=labels, **parameters)
    as_list = lambda r: [{"label": l, "score": s} for l, s in zip(r["labels"], r["scores"])]
    return as_list(result) if isinstance(result, dict) else [as_list(r) for r in result]


def _image(inputs):
    """An image sent as base64 (Atrium encodes a raw request body so); never a URL: the worker fetches nothing."""
    import base64
    import binascii
    import io
    import warnings

    from PIL import Image

    if not isinstance(inputs, str):
        raise InputError("inputs must be an image: the request's body, or base64 in JSON")
    try:
        data = base64.b64decode(inputs, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("inputs must be an image in base64 (URLs are not fetched)")
    Image.MAX_IMAGE_PIXELS = 50_000_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        raise InputError(f"inputs is not an image this hub reads: {e}")
    return image.convert("RGB")


def _image_classification(pipe, inputs, parameters):
    return pipe(_image(inputs), **parameters)


def _plain(pipe, inputs, parameters):
    return pipe(_text(inputs), **parameters)


def _token_classification(pipe, inputs, parameters):
    # The Hub's API groups word pieces into entities unless told otherwise, and its clients expect entity_group.
    parameters.setdefault("aggregation_strategy", "simple")
    return pipe(_text(inputs), **parameters)


def _chat(pipe, messages, parameters, emit):
    """A chat completion: the model's chat template over the messages, then generation from there."""
    tokenizer = pipe.tokenizer
    if not getattr(tokenizer, "chat_template", None):
        raise InputError("the model has no chat template (chat_template in its tokenizer_config.json)")
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                           return_dict=True)
    return _generate(pipe, prompt, parameters, emit)


def _completion(pipe, text, parameters, emit):
    """A text completion: generation from the prompt as it is."""
    if not isinstance(text, str) or not text:
        raise InputError("prompt must be a text")
    return _generate(pipe, pipe.tokenizer(text, return_tensors="pt"), parameters, emit)


def _generate(pipe, prompt, parameters, emit):
    """Generates from the tokenized prompt; answers the new text with its token counts and why it stopped.

    With parameters.stream, each piece of text is emitted as soon as it is decoded.
    """
    import threading

    import torch
    from transformers import TextIteratorStreamer

    tokenizer, model = pipe.tokenizer, pipe.model
    limit = int(parameters.get("max_tokens") or 256)
    settings = {"max_new_tokens": limit}
    temperature = parameters.get("temperature")
    if temperature is not None:
        settings["do_sample"] = temperature > 0
        if temperature > 0:
            settings["temperature"] = float(temperature)
    if parameters.get("top_p") is not None:
        settings["top_p"] = float(parameters["top_p"])
    if parameters.get("stop"):
        settings["stop_strings"] = list(parameters["stop"])
        settings["tokenizer"] = tokenizer
    if parameters.get("seed") is not None:
        torch.manual_seed(int(parameters["seed"]))
    if tokenizer.pad_token_id is None:
        settings["pad_token_id"] = tokenizer.eos_token_id
    generated = []
    if parameters.get("stream"):
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
        failure = []

        def generate():
            try:
                generated.append(model.generate(**prompt, **settings, streamer=streamer))
            except Exception as e:  # raised again below, in this request's thread
                failure.append(e)
                streamer.end()

        thread = threading.Thread(target=generate)
        thread.start()
        for text in streamer:
            if text:
                emit(text)
        thread.join()
        if failure:
            raise failure[0]
    else:
        generated.append(model.generate(**prompt, **settings))
    prompt_tokens = prompt["input_ids"].shape[1]
    new = generated[0][0][prompt_tokens:]
    ended = tokenizer.eos_token_id is not None and len(new) > 0 and int(new[-1]) == tokenizer.eos_token_id
    return {"content": tokenizer.decode(new, skip_special_tokens=True), "prompt_tokens": prompt_tokens,
            "completion_tokens": len(new), "finish_reason": "length" if len(new) >= limit and not ended else "stop"}


_TASKS = {
    "text-classification": _text_classification,
    "zero-shot-classification": _zero_shot,
    "token-classification": _token_classification,
    "fill-mask": _plain,
    "feature-extraction": _plain,
    "text-generation": _plain,
    "image-classification": _image_classification,
    "sentence-similarity": _sentences,
}


def _plain_json(value):
    # numpy scalars and arrays, and torch tensors, as JSON numbers and lists.
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot answer with a {type(value).__name__}")


def _answer(request, emit):
    task = request.get("task")
    if task in ("chat-completion", "completion"):
        generation = _chat if task == "chat-completion" else _completion
        task = "text-generation"
        run = lambda pipe, inputs, parameters: generation(pipe, inputs, parameters, emit)
    else:
        run = _TASKS.get(task)
    if run is None:
        return {"error": f"task {task!r} is not served", "kind": "input"}
    parameters = request.get("parameters") or {}
    if not isinstance(parameters, dict):
        return {"error": "parameters must be an object", "kind": "input"}
    folder = request["model"]
    if task in ("feature-extraction", "sentence-similarity") \
            and os.path.exists(os.path.join(folder, "modules.json")):
        run, load = _sentences, _sentence_model
    elif task == "sentence-similarity":
        return {"error": "sentence-similarity runs sentence-transformers models (with a modules.json)",
                "kind": "model"}
    else:
        load = lambda f: _pipeline(f, task)  # noqa: E731
    try:
        pipe = load(folder)
    except Exception as e:  # the model's files do not make a pipeline for this task
        return {"error": f"the model cannot be loaded for {task}: {e}", "kind": "model"}
    try:
        return {"result": run(pipe, request.get("inputs"), dict(parameters))}
    except InputError as e:
        return {"error": str(e), "kind": "input"}
    except ModelError as e:
        return {"error": str(e), "kind": "model"}
    except (ValueError, TypeError, KeyError, IndexError) as e:
        return {"error": f"{type(e).__name__}: {e}", "kind": "input"}
    except Exception as e:  # torch's own errors, out of memory: the worker stays up for the next request
        return {"error": f"{type(e).__name__}: {e}", "kind": "failed"}


def _emit(text):
    _protocol.write(json.dumps({"chunk": text}) + "\n")


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = _answer(json.loads(line), _emit)
        except json.JSONDecodeError as e:
            answer = {"error": f"not JSON: {e}", "kind": "input"}
        _protocol.write(json.dumps(answer, default=_plain_json) + "\n")


if __name__ == "__main__":
    main()
