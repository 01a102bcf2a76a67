// The inference widget of a model page in headless Chromium (Debian's, driven by playwright-core), against a live
// Atrium whose models inference.py uploaded: a signed-in owner runs a private model from its page, and the labels and
// scores shown are what the API answers; an anonymous visitor of a public model runs it too; a model the hub does not
// run has no widget.
//
// Environment: HUB_URL, USER_NAME, USER_PASSWORD, CHROMIUM, ARTIFACTS, PICTURE (a PNG for the image model). Prints
// one JSON line.

import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { env, launchChromium, signIn } from "./browser.mjs";

const HUB_URL = env("HUB_URL");
const ARTIFACTS = env("ARTIFACTS");
let step = "<start>";
const checks = [];


function check(condition, message) {
	if (!condition) throw new Error(`${step}: ${message}`);
	checks.push(`${step}: ${message}`);
}

// Runs the widget and returns the rows it shows: [label, score] each.
async function compute(page, text) {
	const form = page.locator("form[data-inference]");
	await form.locator("textarea[name=inputs]").fill(text);
	await form.locator("button[type=submit]").click();
	await form.locator(".inference-output .scores li, .form-error:not([hidden])").first().waitFor({ timeout: 60000 });
	const error = form.locator(".form-error:not([hidden])");
	if (await error.count()) return { error: await error.textContent() };
	return {
		rows: await form.locator(".inference-output .scores li").evaluateAll((items) =>
			items.map((li) => [li.children[0].textContent, Number(li.querySelector("meter").value)])),
	};
}

async function main() {
	await mkdir(ARTIFACTS, { recursive: true });
	const browser = await launchChromium();
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();

		step = "the owner runs a private model from its page";
		await signIn(page, HUB_URL, env("USER_NAME"), env("USER_PASSWORD"));
		await page.goto(`${HUB_URL}/alice/private-classifier`);
		check(await page.locator("form[data-inference]").count() === 1, "the page has the widget");
		check(await page.locator("form[data-inference] textarea").inputValue() === "the cat sat on the mat .",
			"the card's widget example fills it");
		const text = "good movie";
		const shown = await compute(page, text);
		check(!shown.error, `no error: ${shown.error}`);
		const api = await page.request.post(`${HUB_URL}/hf-inference/models/alice/private-classifier`, {
			data: { inputs: text },
			headers: { "X-CSRF-Token": await page.locator("meta[name=csrf-token]").getAttribute("content") },
		});
		check(api.ok(), `the API answers the session too (${api.status()})`);
		const expected = (await api.json())[0];
		check(JSON.stringify(shown.rows.map((r) => r[0])) === JSON.stringify(expected.map((e) => e.label)),
			`the labels shown, in order: ${JSON.stringify(shown.rows)} vs ${JSON.stringify(expected)}`);
		check(shown.rows.every((r, i) => Math.abs(r[1] - expected[i].score) < 1e-6), "and their scores");
		await page.screenshot({ path: join(ARTIFACTS, "inference-widget.png"), fullPage: true });

		step = "an image model: the widget sends the chosen picture";
		await page.goto(`${HUB_URL}/alice/tiny-vit`);
		const picture = env("PICTURE");
		await page.locator("form[data-inference] input[type=file]").setInputFiles(picture);
		await page.locator("form[data-inference] button[type=submit]").click();
		await page.locator("form[data-inference] .inference-output .scores li").first().waitFor({ timeout: 60000 });
		const seen = await page.locator("form[data-inference] .inference-output .scores li").evaluateAll((items) =>
			items.map((li) => [li.children[0].textContent, Number(li.querySelector("meter").value)]));
		const byBody = await page.request.post(`${HUB_URL}/hf-inference/models/alice/tiny-vit`, {
			data: await readFile(picture),
			headers: {
				"Content-Type": "image/png",
				"X-CSRF-Token": await page.locator("meta[name=csrf-token]").getAttribute("content"),
			},
		});
		const labels = await byBody.json();
		check(JSON.stringify(seen.map((r) => r[0])) === JSON.stringify(labels.map((l) => l.label)),
			`the labels shown: ${JSON.stringify(seen)} vs ${JSON.stringify(labels)}`);
		check(seen.every((r, i) => Math.abs(r[1] - labels[i].score) < 1e-6), "and their scores");
		await page.screenshot({ path: join(ARTIFACTS, "inference-widget-image.png"), fullPage: true });

		step = "a sentence-transformers model: sentence similarity";
		await page.goto(`${HUB_URL}/alice/tiny-st`);
		await page.locator("form[data-inference] textarea[name=sentences]").fill("the dog sat\nbad movie");
		const similar = await compute(page, "the cat sat");
		check(!similar.error, `no error: ${similar.error}`);
		const scores = await (await page.request.post(`${HUB_URL}/hf-inference/models/alice/tiny-st`, {
			data: { inputs: { source_sentence: "the cat sat", sentences: ["the dog sat", "bad movie"] } },
			headers: { "X-CSRF-Token": await page.locator("meta[name=csrf-token]").getAttribute("content") },
		})).json();
		check(JSON.stringify(similar.rows.map((r) => r[0])) === JSON.stringify(["the dog sat", "bad movie"]),
			`each sentence shown: ${JSON.stringify(similar.rows)}`);
		check(similar.rows.every((r, i) => Math.abs(r[1] - Math.max(0, scores[i])) < 1e-6),
			`with its score: ${JSON.stringify(similar.rows)} vs ${JSON.stringify(scores)}`);

		step = "a model with a chat template: a conversation, streamed, two turns";
		await page.goto(`${HUB_URL}/alice/tiny-gpt`);
		check(await page.locator("form[data-chat]").count() === 1, "the page offers a chat");
		const csrfToken = await page.locator("meta[name=csrf-token]").getAttribute("content");
		const conversation = [];
		for (const said of ["once upon a time", "the cat"]) {
			await page.locator("form[data-chat] textarea[name=inputs]").fill(said);
			await page.locator("form[data-chat] button[type=submit]").click();
			const turn = conversation.length / 2 + 1;
			const answer = page.locator("form[data-chat] .chat-log li.assistant").nth(turn - 1);
			await page.locator(`form[data-chat] .chat-log li.assistant[data-done]`).nth(turn - 1)
				.waitFor({ timeout: 60000 });
			conversation.push({ role: "user", content: said });
			const whole = await (await page.request.post(`${HUB_URL}/hf-inference/models/alice/tiny-gpt/v1/chat/completions`, {
				data: { messages: conversation, max_tokens: 256 },
				headers: { "X-CSRF-Token": csrfToken },
			})).json();
			const expected = whole.choices[0].message.content;
			const shown = expected === "" ? "(the model answered nothing)" : expected;
			check(await answer.textContent() === shown,
				`turn ${turn}: the streamed answer is the whole one: ${JSON.stringify(await answer.textContent())} vs ${JSON.stringify(expected)}`);
			conversation.push({ role: "assistant", content: expected });
		}
		check(await page.locator("form[data-chat] .chat-log li.user").count() === 2, "both messages shown");
		await page.screenshot({ path: join(ARTIFACTS, "inference-chat.png"), fullPage: true });

		step = "bad input is shown as the hub's error";
		await page.goto(`${HUB_URL}/alice/tiny-nli`);
		await page.locator("form[data-inference] input[name=labels]").fill(" , ");
		const refused = await compute(page, "the cat");
		check(refused.error && refused.error.includes("candidate_labels"), `the error: ${refused.error}`);

		step = "an anonymous visitor runs a public model";
		const anonymous = await (await browser.newContext()).newPage();
		await anonymous.goto(`${HUB_URL}/alice/tiny-mlm`);
		const fills = await compute(anonymous, "paris is the [MASK] of france .");
		check(fills.rows && fills.rows.length === 5, `five fills: ${JSON.stringify(fills)}`);
		check(await anonymous.locator("form[data-inference]").count() === 1, "the widget is there without an account");
		const snippet = await anonymous.locator("figure.snippet", { hasText: "Inference on this hub" }).textContent();
		check(snippet.includes(`InferenceClient(model="${HUB_URL}/hf-inference/models/alice/tiny-mlm")`)
			&& snippet.includes("client.fill_mask("), `the snippet for the API: ${snippet}`);
		await anonymous.goto(`${HUB_URL}/alice/private-classifier`);
		check(await anonymous.locator("form[data-inference]").count() === 0, "a private model shows it no widget");

		step = "the models listing filters the models this hub runs";
		await anonymous.goto(`${HUB_URL}/models?author=alice`);
		await anonymous.getByRole("link", { name: /Runs on this hub/ }).click();
		await anonymous.waitForURL(/inference=warm/);
		const listed = await anonymous.locator(".results").textContent();
		check(listed.includes("alice/tiny-mlm") && listed.includes("alice/tiny-vit"), "models it runs are listed");
		check(!listed.includes("alice/tiny-pickled"), "the pickled one is not");
		check(!listed.includes("alice/private-classifier"), "nor a private one, to a visitor");
		check(await anonymous.getByRole("link", { name: "Remove filter runs on this hub" }).count() === 1,
			"the filter shows as a chip");
		await anonymous.screenshot({ path: join(ARTIFACTS, "inference-listing.png"), fullPage: true });

		step = "no widget where the hub would not run the model";
		await anonymous.goto(`${HUB_URL}/alice/tiny-pickled`);
		check(await anonymous.locator("h1, .repo-header").count() > 0, "the page of the pickled model loads");
		check(await anonymous.locator("form[data-inference]").count() === 0, "pickled weights: no widget");
	} finally {
		await browser.close();
	}
	console.log(JSON.stringify({ ok: true, checks: checks.length }));
}

main().catch((e) => {
	console.error(`FAIL: ${e.message}`);
	process.exit(1);
});
