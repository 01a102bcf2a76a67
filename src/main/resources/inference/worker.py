"""Atrium's inference worker: runs transformers pipelines for the hub, one request at a time.

Atrium starts this script with the Python that the operator named (--inference-python) and talks to it over
stdin and stdout, one JSON object per line:

  in:  {"id": 7, "model": "/path/to/snapshot", "task": "text-classification", "inputs": ..., "parameters": {...}}
  out: {"id": 7, "result": ...}  or  {"id": 7, "error": "...", "kind": "input" | "model" | "failed"}

A chat or text completion asked to stream writes {"id": 7, "chunk": "text"} lines first, as the model writes
them, then its result. Every line carries its request's id, which Atrium checks. {"cancel": 7} ends request 7's
generation early (its reader went away); its answer still comes, as every answer does.

The snapshot folder holds the model's files as Atrium wrote them: its config, tokenizer and safetensors weights,
never pickles. Nothing here reaches the network: the environment sets HF_HUB_OFFLINE.
"""

import json
import math
import os
import re
import sys
from collections import OrderedDict

# Libraries print progress and warnings, native code and child processes write to descriptor 1: the protocol gets a
# descriptor of its own, and 1 becomes stderr.
_protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
sys.stdout = sys.stderr

# Models kept loaded, least recently used first out.
_LOADED_LIMIT = 2
_loaded = OrderedDict()
# The longest generation a request may ask for; the timeout bounds the rest.
_MAX_NEW_TOKENS = 4096


class InputError(Exception):
    """The request's inputs or parameters do not suit the task."""


class ModelError(Exception):
    """The model's files do not make what the task needs."""


def _cached(key, load):
    """What load() makes for key, kept among the few most recently used."""
    value = _loaded.pop(key, None)
    if value is None:
        value = load()
        while len(_loaded) >= _LOADED_LIMIT:
            _loaded.popitem(last=False)
    _loaded[key] = value
    return value


def _pipeline(model, task):
    def load():
        from transformers import pipeline

        return pipeline(task, model=model, tokenizer=model, trust_remote_code=False,
                        model_kwargs={"use_safetensors": True})
    return _cached((model, task), load)


def _sentence_model(folder):
    """A sentence-transformers model (modules.json), loaded with that library, as the Hub runs such models.

    modules.json names the classes to load and the folders to load them from: only the library's own classes, and
    only its module folders inside the snapshot, are accepted.
    """
    def load():
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
        return SentenceTransformer(folder, device="cpu", trust_remote_code=False, local_files_only=True,
                                   model_kwargs={"use_safetensors": True})
    return _cached((folder, "sentence-transformers"), load)


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


def _number(low, high, whole=False):
    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)) \
                or not low <= value <= high:
            raise InputError(f"parameters.{name} must be a {'whole ' if whole else ''}number from {low} to {high}")
        return value
    return check


def _flag(name, value):
    if not isinstance(value, bool):
        raise InputError(f"parameters.{name} must be true or false")
    return value


def _choice(*allowed):
    def check(name, value):
        if value not in allowed:
            raise InputError(f"parameters.{name} must be one of {', '.join(map(str, allowed))}")
        return value
    return check


def _texts(limit):
    def check(name, value):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not 0 < len(value) <= limit or not all(isinstance(v, str) for v in value):
            raise InputError(f"parameters.{name} must be a list of up to {limit} texts")
        return value
    return check


# What each pipeline may be given, checked: anything else would reach the pipeline, and generate(), unchecked.
_GENERATION = {"max_new_tokens": _number(1, _MAX_NEW_TOKENS, True), "temperature": _number(0, 100),
               "top_k": _number(1, 1000, True), "top_p": _number(0, 1), "do_sample": _flag,
               "repetition_penalty": _number(0, 100), "return_full_text": _flag}
_PARAMETERS = {
    "text-classification": {"top_k": _number(1, 1000, True),
                            "function_to_apply": _choice("sigmoid", "softmax", "none")},
    "zero-shot-classification": {"candidate_labels": _texts(100), "multi_label": _flag,
                                 "hypothesis_template": lambda n, v: v if isinstance(v, str) and "{}" in v else
                                 (_ for _ in ()).throw(InputError("parameters.hypothesis_template needs {}"))},
    "token-classification": {"aggregation_strategy": _choice("none", "simple", "first", "average", "max"),
                             "ignore_labels": _texts(100)},
    "fill-mask": {"top_k": _number(1, 1000, True), "targets": _texts(100)},
    "feature-extraction": {"normalize": _flag, "prompt_name": lambda n, v: v if isinstance(v, str) else
                           (_ for _ in ()).throw(InputError("parameters.prompt_name must be a text")),
                           "truncate": _flag, "truncation_direction": _choice("left", "right")},
    "text-generation": _GENERATION,
    "image-classification": {"top_k": _number(1, 1000, True),
                             "function_to_apply": _choice("sigmoid", "softmax", "none")},
    "sentence-similarity": {},
}
_PARAMETERS["sentence-similarity"] = _PARAMETERS["feature-extraction"]
# Text Generation Inference's own flags, which InferenceClient sends by default and which change nothing here.
_TGI_FLAGS = {"details", "decoder_input_details", "watermark", "top_n_tokens"}


def _checked(task, parameters):
    allowed = _PARAMETERS[task]
    out, unused = {}, []
    for name, value in parameters.items():
        if value is None or (task == "text-generation" and name in _TGI_FLAGS):
            continue
        if name not in allowed:
            unused.append(name)
            continue
        out[name] = allowed[name](name, value)
    if unused and task == "text-generation":
        # In transformers' words: InferenceClient reads this message and asks again without these parameters.
        raise InputError(f"The following `model_kwargs` are not used by the model: {unused!r} (note: typos in the "
                         "generate arguments will also show up in this list)")
    if unused:
        raise InputError(f"parameters.{unused[0]} is not taken by {task} here; it takes "
                         f"{', '.join(sorted(allowed)) or 'none'}")
    return out


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


def _token_features(pipe, inputs, parameters):
    # A plain transformers model gives each token's hidden state; the options are sentence-transformers' own.
    return pipe(_text(inputs))


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
    from transformers import StoppingCriteriaList, TextIteratorStreamer

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
    criteria = [_Cancelled(_current)]
    if parameters.get("stop"):
        criteria.append(_StopOnText(tokenizer, prompt["input_ids"].shape[1], list(parameters["stop"])))
    settings["stopping_criteria"] = StoppingCriteriaList(criteria)
    if parameters.get("seed") is not None:
        torch.manual_seed(int(parameters["seed"]))
    if tokenizer.pad_token_id is None:
        settings["pad_token_id"] = tokenizer.eos_token_id
    generated = []
    stops = list(parameters.get("stop") or [])
    if parameters.get("stream"):
        emit = _StopFilter(stops, emit)
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
        emit.end()
    else:
        generated.append(model.generate(**prompt, **settings))
    prompt_tokens = prompt["input_ids"].shape[1]
    new = generated[0][0][prompt_tokens:]
    ended = tokenizer.eos_token_id is not None and len(new) > 0 and int(new[-1]) == tokenizer.eos_token_id
    text = tokenizer.decode(new, skip_special_tokens=True)
    cut = _earliest(text, stops)
    return {"content": text if cut is None else text[:cut], "prompt_tokens": prompt_tokens,
            "completion_tokens": len(new),
            "finish_reason": "length" if len(new) >= limit and not ended and cut is None else "stop"}


def _stop_on_text():
    """A StoppingCriteria that ends generation once the new text holds a stop string (transformers' own
    stop_strings fails on tokenizers whose tokens it cannot map back to text)."""
    import torch
    from transformers import StoppingCriteria

    class StopOnText(StoppingCriteria):
        def __init__(self, tokenizer, prompt_tokens, stops):
            self.tokenizer, self.prompt_tokens, self.stops = tokenizer, prompt_tokens, stops

        def __call__(self, input_ids, scores, **kwargs):
            done = [any(s in self.tokenizer.decode(row[self.prompt_tokens:], skip_special_tokens=True)
                        for s in self.stops) for row in input_ids]
            return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    return StopOnText


def _StopOnText(tokenizer, prompt_tokens, stops):  # noqa: N802 - made on first use, with transformers imported
    return _stop_on_text()(tokenizer, prompt_tokens, stops)


def _Cancelled(request_id):  # noqa: N802 - a StoppingCriteria, made with transformers imported
    """Ends a generation whose request Atrium cancelled (its reader went away)."""
    import torch
    from transformers import StoppingCriteria

    class Cancelled(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            return torch.full((input_ids.shape[0],), request_id in _cancelled, dtype=torch.bool,
                              device=input_ids.device)

    return Cancelled()


def _earliest(text, stops):
    """Where the first stop string starts in text, or None: OpenAI's answers end before it."""
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(found) if found else None


class _StopFilter:
    """Passes streamed text on, holding back what may begin a stop string, and nothing from a stop string on."""

    def __init__(self, stops, emit):
        self.stops, self.emit, self.pending, self.stopped = stops, emit, "", False
        self.hold = max((len(s) for s in stops), default=1) - 1

    def __call__(self, text):
        if self.stopped:
            return
        self.pending += text
        cut = _earliest(self.pending, self.stops)
        if cut is not None:
            self.stopped = True
            if cut:
                self.emit(self.pending[:cut])
            self.pending = ""
        elif len(self.pending) > self.hold:
            ready = len(self.pending) - self.hold
            self.emit(self.pending[:ready])
            self.pending = self.pending[ready:]

    def end(self):
        if not self.stopped and self.pending:
            self.emit(self.pending)
        self.pending = ""


_TASKS = {
    "text-classification": _text_classification,
    "zero-shot-classification": _zero_shot,
    "token-classification": _token_classification,
    "fill-mask": _plain,
    "feature-extraction": _token_features,
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
    generating = task in ("chat-completion", "completion")
    if generating:
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
        if not generating:
            parameters = _checked(request.get("task"), parameters)
        return {"result": run(pipe, request.get("inputs"), dict(parameters))}
    except InputError as e:
        return {"error": str(e), "kind": "input"}
    except ModelError as e:
        return {"error": str(e), "kind": "model"}
    except (ValueError, TypeError, KeyError, IndexError) as e:
        return {"error": f"{type(e).__name__}: {e}", "kind": "input"}
    except Exception as e:  # torch's own errors, out of memory: the worker stays up for the next request
        return {"error": f"{type(e).__name__}: {e}", "kind": "failed"}


_current = None  # the id of the request being answered


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _write(answer):
    answer = dict(answer, id=_current)
    try:
        text = json.dumps(answer, default=_plain_json)
        if "NaN" in text or "Infinity" in text:
            # JSON has no such numbers: they become null, as a NaN score is no score.
            text = json.dumps(_finite(json.loads(text)), allow_nan=False)
    except (TypeError, ValueError) as e:
        text = json.dumps({"id": _current, "error": f"the answer is not JSON: {e}", "kind": "failed"})
    _protocol.write(text + "\n")


def _emit(text):
    _write({"chunk": text})


# Ids of requests Atrium cancelled: {"cancel": id} lines, read while a request runs.
_cancelled = set()


def _read(requests):
    """Reads stdin in a thread of its own, so that a cancel reaches a generation while it runs."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError as e:
            requests.put({"unreadable": str(e)})
            continue
        if isinstance(message, dict) and "cancel" in message:
            _cancelled.add(message["cancel"])
        else:
            requests.put(message)
    requests.put(None)


def main():
    global _current
    import queue
    import threading

    requests = queue.Queue()
    threading.Thread(target=_read, args=(requests,), daemon=True).start()
    while True:
        request = requests.get()
        if request is None:
            return
        _current = request.get("id") if isinstance(request, dict) else None
        if isinstance(request, dict) and "unreadable" in request:
            _write({"error": f"not JSON: {request['unreadable']}", "kind": "input"})
        elif isinstance(request, dict):
            _write(_answer(request, _emit))
        else:
            _write({"error": "not an object", "kind": "input"})
        if isinstance(_current, int):
            # Ids only grow: a cancel that came too late for its request is dropped here.
            _cancelled.difference_update({i for i in list(_cancelled) if isinstance(i, int) and i <= _current})


if __name__ == "__main__":
    main()
