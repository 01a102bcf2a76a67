"""The inference API through huggingface_hub's InferenceClient and OpenAI's client: small transformers models, made
here with random weights and uploaded to Atrium, run by the hub for seven tasks and for chat and text completions;
every answer is compared with the same pipeline or generation run here on the same files. Then what must be refused:
pickled weights, private models, bad inputs.

Environment: HF_ENDPOINT, HF_TOKEN (alice, write), TOKEN_BOB (bob, write), WORKDIR. Prints one JSON line.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from huggingface_hub import HfApi, InferenceClient  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402
from openai import OpenAI  # noqa: E402
from transformers import (BertConfig, BertForMaskedLM, BertForSequenceClassification,  # noqa: E402
                          BertForTokenClassification, BertModel, BertTokenizerFast, pipeline)

ENDPOINT = os.environ["HF_ENDPOINT"]
WORKDIR = os.environ["WORKDIR"]
ALICE = os.environ["HF_TOKEN"]
BOB = os.environ.get("TOKEN_BOB", "")
WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "a", "dog", "good", "bad",
         "movie", "paris", "is", "in", "france", ".", "capital", "where", "live", "i", "sarah", "london", "my", "name"]


def make_model(name, model_class, task, labels=None, pickled=False):
    """A two-layer BERT with random weights (seeded), its tokenizer and a card naming its task."""
    folder = os.path.join(WORKDIR, name)
    os.makedirs(folder, exist_ok=True)
    vocab = os.path.join(folder, "vocab.txt")
    with open(vocab, "w") as f:
        f.write("\n".join(WORDS) + "\n")
    config = BertConfig(vocab_size=len(WORDS), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, initializer_range=0.5)
    if labels:
        config.id2label = dict(enumerate(labels))
        config.label2id = {label: i for i, label in enumerate(labels)}
    torch.manual_seed(len(name))
    model = model_class(config)
    model.save_pretrained(folder)
    if pickled:
        # As older transformers saved weights: a pickle (transformers 5 writes safetensors only).
        torch.save(model.state_dict(), os.path.join(folder, "pytorch_model.bin"))
        os.remove(os.path.join(folder, "model.safetensors"))
    BertTokenizerFast(vocab_file=vocab).save_pretrained(folder)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write(f"---\npipeline_tag: {task}\nlibrary_name: transformers\n---\n# {name}\n")
    return folder


def make_generator(name):
    """A two-layer GPT-2 with random weights and a word-level tokenizer."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    folder = os.path.join(WORKDIR, name)
    words = ["<unk>", "<eos>", "the", "cat", "sat", "on", "mat", "a", "dog", "once", "upon", "time", ","]
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="<unk>", eos_token="<eos>")
    fast.chat_template = "{% for m in messages %}{{ m['content'] }} {% endfor %}"
    fast.save_pretrained(folder)
    torch.manual_seed(3)
    GPT2LMHeadModel(GPT2Config(vocab_size=len(words), n_embd=16, n_layer=2, n_head=2, n_positions=64,
                               initializer_range=0.5, bos_token_id=1, eos_token_id=1)).save_pretrained(folder)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("---\npipeline_tag: text-generation\nlibrary_name: transformers\n---\n# A tiny generator\n")
    return folder


def local_chat(folder, messages, max_tokens, text=None):
    """The greedy answer of the model here, to chat messages through its template or to a text prompt as it is."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder)
    prompt = tokenizer(text, return_tensors="pt") if text is not None else tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    out = model.generate(**prompt, max_new_tokens=max_tokens, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    new = out[0][prompt["input_ids"].shape[1]:]
    ended = len(new) > 0 and int(new[-1]) == tokenizer.eos_token_id
    return {"content": tokenizer.decode(new, skip_special_tokens=True), "prompt_tokens": prompt["input_ids"].shape[1],
            "completion_tokens": len(new), "finish_reason": "length" if len(new) >= max_tokens and not ended else "stop"}


def make_vision(name):
    """A two-layer ViT for 32x32 images with random weights, its image processor, and a card."""
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    folder = os.path.join(WORKDIR, name)
    torch.manual_seed(5)
    config = ViTConfig(image_size=32, patch_size=8, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                       intermediate_size=32, initializer_range=0.5, id2label={0: "cat", 1: "dog", 2: "bird"},
                       label2id={"cat": 0, "dog": 1, "bird": 2})
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("---\npipeline_tag: image-classification\nlibrary_name: transformers\n---\n# A tiny ViT\n")
    return folder


def make_sentence_model(name, normalize):
    """A sentence-transformers model: a two-layer BERT, mean pooling, and a Normalize module when asked."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    base = make_model(name + "-base", BertModel, "feature-extraction")
    module = Transformer(base)
    modules = [module, Pooling(module.get_embedding_dimension(), "mean")] + ([Normalize()] if normalize else [])
    folder = os.path.join(WORKDIR, name)
    SentenceTransformer(modules=modules).save(folder)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("---\npipeline_tag: sentence-similarity\nlibrary_name: sentence-transformers\n---\n# Sentences\n")
    return folder


def local(folder, task, inputs, **parameters):
    """What the same pipeline answers here, in JSON's terms (lists and floats)."""
    pipe = pipeline(task, model=folder, tokenizer=folder)
    result = pipe(**inputs, **parameters) if isinstance(inputs, dict) else pipe(inputs, **parameters)
    return json.loads(json.dumps(result, default=lambda v: v.tolist() if hasattr(v, "tolist") else v.item()))


def check_scores(actual, expected, key, what):
    it.check_equal([a[key] for a in actual], [e[key] for e in expected], what + ": " + key + "s, in order")
    for a, e in zip(actual, expected):
        it.check(abs(a["score"] - e["score"]) < 1e-5, f"{what}: score of {e[key]}: {a['score']} != {e['score']}")


def client(repo, suffix=""):
    return InferenceClient(model=f"{ENDPOINT}/hf-inference/models/{repo}{suffix}", token=ALICE)


def status_and_error(response):
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    return response.status_code, body.get("error", "")


def post(path, body, token=ALICE):
    headers = {"Authorization": "Bearer " + token} if token else {}
    return get_session().post(ENDPOINT + path, json=body, headers=headers, timeout=120)


def main():
    api = HfApi()
    uploaded = {}

    it.step("four small models, each uploaded with its card")
    models = {
        "tiny-sentiment": (BertForSequenceClassification, "text-classification", ["NEGATIVE", "POSITIVE"]),
        "tiny-mlm": (BertForMaskedLM, "fill-mask", None),
        "tiny-ner": (BertForTokenClassification, "token-classification", ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]),
        "tiny-nli": (BertForSequenceClassification, "zero-shot-classification",
                     ["entailment", "neutral", "contradiction"]),
    }
    for name, (model_class, task, labels) in models.items():
        folder = make_model(name, model_class, task, labels)
        api.create_repo(f"alice/{name}")
        api.upload_folder(folder_path=folder, repo_id=f"alice/{name}")
        uploaded[name] = folder
    weights = {f.path: f for f in api.list_repo_tree("alice/tiny-sentiment")}["model.safetensors"]
    it.step(f"model.safetensors stored as {'LFS' if weights.lfs else 'a git blob'} ({weights.size} bytes)")

    it.step("text-classification through InferenceClient, as the same pipeline answers here")
    text = "the cat sat on the mat ."
    answer = client("alice/tiny-sentiment").text_classification(text, top_k=2)
    expected = local(uploaded["tiny-sentiment"], "text-classification", text, top_k=None)
    check_scores([{"label": a.label, "score": a.score} for a in answer], expected, "label", "text-classification")
    raw = post("/hf-inference/models/alice/tiny-sentiment", {"inputs": text})
    it.check_equal(raw.status_code, 200, "the raw API")
    it.check_equal(raw.headers.get("x-compute-type"), "cpu", "X-Compute-Type")
    it.check_equal(len(raw.json()), 1, "one text, one list of labels")
    legacy = post("/models/alice/tiny-sentiment", {"inputs": [text, "good movie"]})
    it.check_equal(legacy.status_code, 200, "the legacy path, two texts")
    check_scores(legacy.json()[1], local(uploaded["tiny-sentiment"], "text-classification", ["good movie"],
                                         top_k=None)[0], "label", "the second text")

    it.step("fill-mask, token-classification, zero-shot-classification")
    masked = "paris is the [MASK] of france ."
    fills = client("alice/tiny-mlm").fill_mask(masked)
    check_scores([{"token_str": f.token_str, "score": f.score} for f in fills],
                 local(uploaded["tiny-mlm"], "fill-mask", masked), "token_str", "fill-mask")
    sentence = "my name is sarah and i live in london ."
    entities = client("alice/tiny-ner").token_classification(sentence)
    expected = local(uploaded["tiny-ner"], "token-classification", sentence, aggregation_strategy="simple")
    it.check(all("entity_group" in e for e in expected), "grouped, as the Hub's API answers")
    it.check_equal([(e.entity_group, e.word, e.start, e.end) for e in entities],
                   [(e["entity_group"], e["word"], e["start"], e["end"]) for e in expected],
                   "token-classification: the entities, their words and where they are")
    check_scores([{"word": e.word, "score": e.score} for e in entities], expected, "word", "token-classification")
    labels = ["good", "bad", "movie"]
    zero = client("alice/tiny-nli").zero_shot_classification("the cat sat on the mat", candidate_labels=labels)
    expected = local(uploaded["tiny-nli"], "zero-shot-classification", "the cat sat on the mat",
                     candidate_labels=labels)
    check_scores([{"label": z.label, "score": z.score} for z in zero],
                 [{"label": l, "score": s} for l, s in zip(expected["labels"], expected["scores"])], "label",
                 "zero-shot-classification")

    it.step("text-generation, greedy")
    folder = make_generator("tiny-gpt")
    api.create_repo("alice/tiny-gpt")
    api.upload_folder(folder_path=folder, repo_id="alice/tiny-gpt")
    prompt = "once upon a time"
    generated = client("alice/tiny-gpt").text_generation(prompt, max_new_tokens=5, do_sample=False)
    expected = local(folder, "text-generation", prompt, max_new_tokens=5, do_sample=False)[0]["generated_text"]
    it.check_equal(generated, expected, "text-generation, greedy")

    config = api.model_info("alice/tiny-gpt").config
    it.check("{% for m in messages %}" in (config or {}).get("chat_template_jinja", ""),
             f"model_info's config carries the chat template: {config}")

    it.step("chat completion, whole and streamed, by the model's URL and by an OpenAI-style base URL")
    messages = [{"role": "system", "content": "a cat"}, {"role": "user", "content": "once upon a time"}]
    expected = local_chat(folder, messages, 6)
    chat = client("alice/tiny-gpt").chat_completion(messages, max_tokens=6, temperature=0)
    it.check_equal(chat.choices[0].message.content, expected["content"], "the answer, greedy")
    it.check_equal(chat.choices[0].message.role, "assistant", "role")
    it.check_equal(chat.choices[0].finish_reason, expected["finish_reason"], "finish_reason")
    it.check_equal((chat.usage.prompt_tokens, chat.usage.completion_tokens),
                   (expected["prompt_tokens"], expected["completion_tokens"]), "usage")
    it.check_equal(chat.model, "alice/tiny-gpt", "model")
    pieces, finishes = [], []
    streaming = client("alice/tiny-gpt")  # kept: the client closes its streams when it is collected
    for chunk in streaming.chat_completion(messages, max_tokens=6, temperature=0, stream=True):
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finishes.append(choice.finish_reason)
    it.check_equal("".join(pieces), expected["content"], "the streamed pieces, joined")
    it.check_equal(finishes[-1], expected["finish_reason"], "the last chunk's finish_reason")
    it.step(f"streamed in {len(pieces)} chunks")
    by_body = InferenceClient(base_url=f"{ENDPOINT}/v1", token=ALICE).chat_completion(
        messages, model="alice/tiny-gpt", max_tokens=6, temperature=0)
    it.check_equal(by_body.choices[0].message.content, expected["content"], "the model named in the body")
    parts = [{"role": "user", "content": [{"type": "text", "text": "once upon"}, {"type": "text", "text": " a time"}]}]
    it.check_equal(client("alice/tiny-gpt").chat_completion(parts, max_tokens=6, temperature=0)
                   .choices[0].message.content, local_chat(folder, [{"role": "user", "content": "once upon a time"}],
                                                           6)["content"], "text parts are joined")
    it.step("OpenAI's client, base URL {hub}/v1: chat, and text completions, whole and streamed")
    openai = OpenAI(base_url=f"{ENDPOINT}/v1", api_key=ALICE)
    answer = openai.chat.completions.create(model="alice/tiny-gpt", messages=messages, max_tokens=6, temperature=0)
    it.check_equal(answer.choices[0].message.content, expected["content"], "chat")
    pieces, usage = [], None
    for chunk in openai.chat.completions.create(model="alice/tiny-gpt", messages=messages, max_tokens=6,
                                                temperature=0, stream=True, stream_options={"include_usage": True}):
        pieces += [c.delta.content or "" for c in chunk.choices]
        usage = chunk.usage or usage
    it.check_equal("".join(pieces), expected["content"], "chat, streamed")
    it.check_equal(usage.completion_tokens if usage else None, expected["completion_tokens"], "usage, at the end")
    completion = local_chat(folder, None, 5, text=prompt)
    answer = openai.completions.create(model="alice/tiny-gpt", prompt=prompt, max_tokens=5, temperature=0)
    it.check_equal(answer.choices[0].text, completion["content"], "text completion: the continuation alone")
    it.check_equal(answer.object, "text_completion", "object")
    it.check_equal(answer.usage.prompt_tokens, completion["prompt_tokens"], "text completion: prompt tokens")
    streamed = "".join(c.choices[0].text for c in openai.completions.create(
        model="alice/tiny-gpt", prompt=prompt, max_tokens=5, temperature=0, stream=True) if c.choices)
    it.check_equal(streamed, completion["content"], "text completion, streamed")
    longer = local_chat(folder, None, 8, text=prompt)["content"]
    word = longer.split()[1]
    before = longer[:longer.find(word)]
    stopped = openai.completions.create(model="alice/tiny-gpt", prompt=prompt, max_tokens=8, temperature=0,
                                        stop=[word])
    it.check_equal((stopped.choices[0].text, stopped.choices[0].finish_reason), (before, "stop"),
                   f"stop={word!r}: the text before it, as OpenAI answers")
    streamed = "".join(c.choices[0].text for c in openai.completions.create(
        model="alice/tiny-gpt", prompt=prompt, max_tokens=8, temperature=0, stop=[word], stream=True) if c.choices)
    it.check_equal(streamed, before, "streamed, nothing of the stop string either")
    missing = it.check_raises(Exception, lambda: openai.chat.completions.create(
        model="alice/missing", messages=messages), "a model that is not there")
    it.check_equal(getattr(missing, "status_code", None), 404, "OpenAI's client sees 404")

    chat_path = "/hf-inference/models/alice/tiny-gpt/v1/chat/completions"
    for body, why in [({"messages": messages, "tools": [{"type": "function"}]}, "tools"),
                      ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
                       "image_url"),
                      ({"messages": []}, "messages"),
                      ({"messages": messages, "max_tokens": 0}, "max_tokens"),
                      ({"messages": messages, "temperature": "hot"}, "temperature")]:
        status, error = status_and_error(post(chat_path, body))
        it.check_equal(status, 400, f"refused: {why}")
        it.check(why in error, f"says why ({why}): {error}")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-sentiment/v1/chat/completions",
                                          {"messages": messages}))
    it.check_equal(status, 400, "a model without a chat template")
    it.check_equal(post("/v1/chat/completions", {"model": "alice/missing", "messages": messages}).status_code, 404,
                   "a model that is not there")

    it.step("image-classification: a file, bytes with parameters (base64 in JSON), a bare body")
    from PIL import Image

    vision = make_vision("tiny-vit")
    api.create_repo("alice/tiny-vit")
    api.upload_folder(folder_path=vision, repo_id="alice/tiny-vit")
    picture = os.path.join(WORKDIR, "picture.png")
    image = Image.new("RGB", (48, 40))
    image.putdata([((x * 5) % 256, (y * 7) % 256, (x * y) % 256) for y in range(40) for x in range(48)])
    image.save(picture)
    expected = local(vision, "image-classification", Image.open(picture).convert("RGB"))
    labels = client("alice/tiny-vit").image_classification(picture)
    check_scores([{"label": l.label, "score": l.score} for l in labels], expected, "label", "image-classification")
    with open(picture, "rb") as f:
        png = f.read()
    top = client("alice/tiny-vit").image_classification(png, top_k=2)
    check_scores([{"label": l.label, "score": l.score} for l in top], expected[:2], "label", "top_k=2, as JSON")
    bare = get_session().post(ENDPOINT + "/hf-inference/models/alice/tiny-vit", content=png,
                              headers={"Authorization": "Bearer " + ALICE}, timeout=120)
    it.check_equal(bare.status_code, 200, "a body with no type")
    check_scores(bare.json(), expected, "label", "a body with no type")
    not_image = get_session().post(ENDPOINT + "/hf-inference/models/alice/tiny-vit", content=b"GIF89a nonsense",
                                   headers={"Authorization": "Bearer " + ALICE, "Content-Type": "image/gif"})
    it.check_equal(not_image.status_code, 400, "bytes that are no image")
    it.check("not an image" in not_image.json()["error"], not_image.text)
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-vit",
                                          {"inputs": "https://example.com/cat.png"}))
    it.check_equal(status, 400, "a URL is not fetched")
    it.check("URLs are not fetched" in error, error)
    to_text = get_session().post(ENDPOINT + "/hf-inference/models/alice/tiny-sentiment", content=png,
                                 headers={"Authorization": "Bearer " + ALICE, "Content-Type": "image/png"})
    it.check_equal(to_text.status_code, 400, "an image for a text model")
    it.check("takes JSON" in to_text.json()["error"], to_text.text)

    it.step("sentence-transformers models: embeddings and sentence similarity, as that library computes them")
    from sentence_transformers import SentenceTransformer

    pooled = make_sentence_model("tiny-st", normalize=False)
    api.create_repo("alice/tiny-st")
    api.upload_folder(folder_path=pooled, repo_id="alice/tiny-st")
    it.check("1_Pooling/config.json" in api.list_repo_files("alice/tiny-st"), "the pooling module is in the repo")
    reference = SentenceTransformer(pooled, device="cpu")
    embedding = client("alice/tiny-st", "/pipeline/feature-extraction").feature_extraction(text)
    it.check_equal(embedding.shape, (1, 16), "one sentence, one pooled embedding")
    it.check(np.allclose(embedding, reference.encode([text]), atol=1e-5), "the embedding, mean-pooled")
    normalized = client("alice/tiny-st", "/pipeline/feature-extraction").feature_extraction(text, normalize=True)
    it.check(np.allclose(normalized, reference.encode([text], normalize_embeddings=True), atol=1e-5),
             "normalize, sent beside inputs")
    it.check(abs(float(np.linalg.norm(normalized[0])) - 1) < 1e-4, "a unit vector")
    pair = client("alice/tiny-st", "/pipeline/feature-extraction").feature_extraction(["the cat", "a dog"])
    it.check_equal(pair.shape, (2, 16), "two sentences")
    others = ["the dog sat", "bad movie", "the cat sat on the mat"]
    scores = client("alice/tiny-st").sentence_similarity("the cat sat", other_sentences=others)
    expected = reference.similarity(reference.encode(["the cat sat"]), reference.encode(others))[0].tolist()
    it.check(np.allclose(scores, expected, atol=1e-5), f"sentence_similarity: {scores} vs {expected}")
    modules = os.path.join(pooled, "modules.json")
    with open(modules) as f:
        listed = json.load(f)
    listed[1]["type"] = "builtins.eval"
    api.create_repo("alice/tiny-st-bad")
    api.upload_folder(folder_path=pooled, repo_id="alice/tiny-st-bad")
    api.upload_file(path_or_fileobj=json.dumps(listed).encode(), path_in_repo="modules.json",
                    repo_id="alice/tiny-st-bad")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-st-bad/pipeline/feature-extraction",
                                          {"inputs": text}))
    it.check_equal(status, 400, "a modules.json naming another class")
    it.check("does not load" in error, error)

    it.step("feature-extraction of a classifier's base model, through the task in the path")
    features = client("alice/tiny-sentiment", "/pipeline/feature-extraction").feature_extraction(text)
    expected = np.array(local(uploaded["tiny-sentiment"], "feature-extraction", text))
    it.check_equal(features.shape, expected.shape, "feature-extraction: shape")
    it.check(np.allclose(features, expected, atol=1e-5), "feature-extraction: values")

    it.step("a new commit is what runs next")
    relabelled = os.path.join(uploaded["tiny-sentiment"], "config.json")
    with open(relabelled) as f:
        config = json.load(f)
    config["id2label"] = {"0": "SAD", "1": "HAPPY"}
    config["label2id"] = {"SAD": 0, "HAPPY": 1}
    api.upload_file(path_or_fileobj=json.dumps(config).encode(), path_in_repo="config.json",
                    repo_id="alice/tiny-sentiment")
    answer = client("alice/tiny-sentiment").text_classification(text, top_k=2)
    it.check_equal(sorted(a.label for a in answer), ["HAPPY", "SAD"], "the labels of the new commit")

    it.step("refused: pickled weights, private models, bad inputs, tasks the hub does not run")
    pickled = make_model("tiny-pickled", BertForSequenceClassification, "text-classification", ["A", "B"],
                         pickled=True)
    it.check(os.path.exists(os.path.join(pickled, "pytorch_model.bin")), "the pickled model has pytorch_model.bin")
    api.create_repo("alice/tiny-pickled")
    api.upload_folder(folder_path=pickled, repo_id="alice/tiny-pickled")
    it.check_equal(api.model_info("alice/tiny-pickled").inference, None, "model_info: not warm")
    it.check_equal(api.model_info("alice/tiny-sentiment").inference, "warm", "model_info of one that runs: warm")
    it.check_equal(api.model_info("alice/tiny-gpt", expand=["inference"]).inference, "warm", "asked for alone")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-pickled", {"inputs": text}))
    it.check_equal(status, 400, "a model with pickled weights only")
    it.check("pickled" in error, f"says why: {error}")
    err = it.check_raises(HfHubHTTPError, lambda: client("alice/tiny-pickled").text_classification(text),
                          "the client on pickled weights")
    it.check_equal(err.response.status_code, 400, "the client sees 400")

    private = uploaded["tiny-sentiment"]
    with open(os.path.join(private, "README.md"), "w") as f:
        f.write("---\npipeline_tag: text-classification\nwidget:\n- text: the cat sat on the mat .\n---\n# Private\n")
    api.create_repo("alice/private-classifier", private=True)
    api.upload_folder(folder_path=private, repo_id="alice/private-classifier")
    path = "/hf-inference/models/alice/private-classifier"
    it.check_equal(post(path, {"inputs": text}).status_code, 200, "the owner runs a private model")
    it.check_equal(post(path, {"inputs": text}, BOB).status_code, 404, "others do not see it")
    it.check_equal(post(path, {"inputs": text}, None).status_code, 401, "nor does anyone anonymous")
    api.create_repo("alice/gated-classifier")
    api.upload_folder(folder_path=private, repo_id="alice/gated-classifier")
    api.update_repo_settings("alice/gated-classifier", gated="manual")
    gated = "/hf-inference/models/alice/gated-classifier"
    it.check_equal(post(gated, {"inputs": text}).status_code, 200, "the owner runs a gated model")
    refused = post(gated, {"inputs": text}, BOB)
    it.check_equal((refused.status_code, refused.headers.get("x-error-code")), (403, "GatedRepo"),
                   "a user not let in gets what a download would")
    api.grant_access("alice/gated-classifier", "bob")
    it.check_equal(post(gated, {"inputs": text}, BOB).status_code, 200, "and runs it once let in")
    it.check_equal(post("/hf-inference/models/alice/missing", {"inputs": text}).status_code, 404, "no such model")

    status, error = status_and_error(post("/hf-inference/models/alice/tiny-sentiment", {"inputs": 42}))
    it.check_equal(status, 400, "a number is no text")
    it.check("text" in error, f"says why: {error}")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-sentiment", {"parameters": {}}))
    it.check_equal((status, error), (400, "'inputs' is required"), "no inputs")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-nli", {"inputs": "the cat"}))
    it.check_equal(status, 400, "zero-shot without labels")
    it.check("candidate_labels" in error, f"says why: {error}")
    status, error = status_and_error(
        post("/hf-inference/models/alice/tiny-sentiment/pipeline/audio-classification", {"inputs": text}))
    it.check_equal(status, 400, "a task the hub does not run")
    it.check("does not run" in error, f"says why: {error}")
    status, error = status_and_error(post("/hf-inference/models/alice/tiny-sentiment",
                                          {"inputs": text, "parameters": {"function_to_apply": "cube"}}))
    it.check_equal(status, 400, "a parameter the pipeline refuses")
    it.check(WORKDIR not in error and "/inference/" not in error, f"no server path in the error: {error}")

    it.step("list_models(inference='warm'): the models this hub runs, as each caller may see them")
    runnable = {"alice/tiny-sentiment", "alice/tiny-mlm", "alice/tiny-ner", "alice/tiny-nli", "alice/tiny-gpt",
                "alice/tiny-vit", "alice/tiny-st", "alice/tiny-st-bad", "alice/gated-classifier"}
    warm = {m.id for m in api.list_models(author="alice", inference="warm")}
    it.check_equal(warm, runnable | {"alice/private-classifier"}, "alice's warm models, her private one too")
    it.check_equal({m.id for m in HfApi(token=BOB).list_models(author="alice", inference="warm")}, runnable,
                   "bob's view: not the private one")
    it.check("alice/tiny-pickled" in {m.id for m in api.list_models(author="alice")}, "the pickled one is listed")
    it.check_equal(get_session().get(ENDPOINT + "/api/models?inference=cold").status_code, 400, "only warm")

    it.step("still served after the refusals")
    answer = client("alice/tiny-sentiment").text_classification(text, top_k=2)
    it.check_equal(len(answer), 2, "the worker answers again")
    return {"models": sorted(uploaded), "weights_lfs": bool(weights.lfs), "picture": picture}


if __name__ == "__main__":
    it.run(main)
