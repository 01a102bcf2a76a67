// The inference API through @huggingface/inference (its InferenceClient, pointed at each model's URL on Atrium):
// text classification, fill-mask, zero-shot, token classification, feature extraction, text generation and chat
// completion, whole and streamed, each compared with what the raw API answers for the same request (inference.py
// compared those with the pipelines run locally). Needs the models inference.py uploaded.
//
// Environment: HUB_URL, HF_TOKEN. Prints one JSON line.

import { InferenceClient } from "@huggingface/inference";
import { env } from "./browser.mjs";

const HUB_URL = env("HUB_URL");
const TOKEN = env("HF_TOKEN");
const client = new InferenceClient(TOKEN);
let step = "<start>";
let checks = 0;

function check(condition, message) {
	if (!condition) throw new Error(`${step}: ${message}`);
	checks++;
}

function same(actual, expected, what) {
	check(JSON.stringify(actual) === JSON.stringify(expected),
		`${what}: ${JSON.stringify(actual).slice(0, 300)} vs ${JSON.stringify(expected).slice(0, 300)}`);
}

async function raw(path, body) {
	const res = await fetch(`${HUB_URL}${path}`, {
		method: "POST",
		headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	});
	check(res.ok, `${path} answers ${res.status}`);
	return res.json();
}

const model = (id, suffix = "") => client.endpoint(`${HUB_URL}/hf-inference/models/${id}${suffix}`);

async function main() {
	step = "text classification";
	const text = "the cat sat on the mat .";
	same(await model("alice/tiny-sentiment").textClassification({ inputs: text }),
		(await raw("/hf-inference/models/alice/tiny-sentiment", { inputs: text }))[0], "labels and scores");

	step = "fill-mask, zero-shot, token classification";
	const masked = "paris is the [MASK] of france .";
	same(await model("alice/tiny-mlm").fillMask({ inputs: masked }),
		await raw("/hf-inference/models/alice/tiny-mlm", { inputs: masked }), "fills");
	const labels = ["good", "bad"];
	same(await model("alice/tiny-nli").zeroShotClassification({ inputs: text, parameters: { candidate_labels: labels } }),
		await raw("/hf-inference/models/alice/tiny-nli", { inputs: text, parameters: { candidate_labels: labels } }),
		"zero-shot");
	const sentence = "my name is sarah and i live in london .";
	same(await model("alice/tiny-ner").tokenClassification({ inputs: sentence }),
		await raw("/hf-inference/models/alice/tiny-ner", { inputs: sentence }), "entities");

	step = "feature extraction";
	same(await model("alice/tiny-sentiment", "/pipeline/feature-extraction").featureExtraction({ inputs: text }),
		await raw("/hf-inference/models/alice/tiny-sentiment/pipeline/feature-extraction", { inputs: text }), "features");

	step = "text generation (this client posts it as an OpenAI text completion)";
	const prompt = "once upon a time";
	const generated = await model("alice/tiny-gpt").textGeneration({
		inputs: prompt, parameters: { max_new_tokens: 5, do_sample: false },
	});
	const continuation = (await raw("/v1/completions", {
		model: "alice/tiny-gpt", prompt, max_tokens: 5, temperature: 0,
	})).choices[0].text;
	same(generated.generated_text, continuation, "generated text");
	const whole = (await raw("/hf-inference/models/alice/tiny-gpt", {
		inputs: prompt, parameters: { max_new_tokens: 5, do_sample: false },
	}))[0].generated_text;
	same(whole, prompt + continuation, "the continuation is what the pipeline adds to the prompt");

	step = "chat completion, whole and streamed";
	const messages = [{ role: "user", content: prompt }];
	const chat = await model("alice/tiny-gpt").chatCompletion({ messages, max_tokens: 6, temperature: 0 });
	const expected = await raw("/v1/chat/completions", { model: "alice/tiny-gpt", messages, max_tokens: 6, temperature: 0 });
	same(chat.choices[0].message.content, expected.choices[0].message.content, "the answer");
	same(chat.usage, expected.usage, "usage");
	let streamed = "";
	let finish = null;
	for await (const chunk of model("alice/tiny-gpt").chatCompletionStream({ messages, max_tokens: 6, temperature: 0 })) {
		for (const choice of chunk.choices) {
			streamed += choice.delta?.content ?? "";
			finish = choice.finish_reason ?? finish;
		}
	}
	same(streamed, expected.choices[0].message.content, "the streamed pieces, joined");
	same(finish, expected.choices[0].finish_reason, "finish_reason");

	step = "errors reach the caller";
	let refused = null;
	try {
		await model("alice/tiny-pickled").textClassification({ inputs: text });
	} catch (e) {
		refused = e;
	}
	check(refused && /pickled/.test(refused.message), `a model with pickled weights: ${refused && refused.message}`);
	console.log(JSON.stringify({ ok: true, checks }));
}

main().catch((e) => {
	console.error(`FAIL: ${e.message}`);
	process.exit(1);
});
