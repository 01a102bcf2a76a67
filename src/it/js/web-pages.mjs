// The web UI in headless Chromium (Debian's, driven by playwright-core), against a live Atrium. Repos are made with
// the official @huggingface/hub client, then every page is checked for what a visitor sees.
//
// Environment: HUB_URL (Atrium base URL), HF_TOKEN (write token), CHROMIUM (browser executable), ARTIFACTS (folder
// for screenshots). Prints one JSON line; exits non-zero with a message at the first failed check.

import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createRepo, uploadFiles } from "@huggingface/hub";
import { env, launchChromium } from "./browser.mjs";

const HUB_URL = env("HUB_URL");
const TOKEN = env("HF_TOKEN");
const ARTIFACTS = env("ARTIFACTS");
const REPO = "alice/web-model";
const credentials = { accessToken: TOKEN };

let step = "<start>";
const checks = [];


function check(condition, message) {
	if (!condition) throw new Error(`${step}: ${message}`);
	checks.push(`${step}: ${message}`);
}

// A 40x20 red PNG, built by hand so the test needs no image library.
function png(width, height) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (buf) => {
		let c = 0xffffffff;
		for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type), data]);
		const sum = Buffer.alloc(4);
		sum.writeUInt32BE(crc(body));
		return Buffer.concat([len, body, sum]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = [];
	for (let y = 0; y < height; y++) rows.push(Buffer.from([0, ...Array(width).fill([255, 0, 0]).flat()]));
	return import("node:zlib").then(({ deflateSync }) => Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0)),
	]));
}

const README = `---
license: apache-2.0
language:
- en
- fr
pipeline_tag: text-classification
library_name: transformers
base_model: google-bert/bert-base-uncased
datasets:
- stanfordnlp/imdb
tags:
- sentiment
model-index:
- name: web-sentiment
  results:
  - task: {type: text-classification, name: Text Classification}
    dataset: {type: stanfordnlp/imdb, name: IMDB, split: test}
    metrics:
    - {type: accuracy, value: 0.9130, name: Accuracy, verified: true}
    source: {name: a leaderboard, url: "javascript:window.__xss='eval'"}
---
# Web sentiment model

A **small** model. See [the config](./config.json) and the plot: ![plot](img/plot.png)

| metric | value |
|---|---|
| accuracy | 0.91 |

- [x] trained
- [ ] evaluated

\`\`\`python
from transformers import pipeline
pipe = pipeline("text-classification", model="${REPO}")  # a comment
\`\`\`

<script>window.__xss = "script"</script>

<img src="x" onerror="window.__xss = 'onerror'">

<a href="javascript:window.__xss='link'" id="js-link">click me</a>

<svg onload="window.__xss = 'svg'"><circle r="4"/></svg>

<iframe src="javascript:parent.__xss='iframe'"></iframe>

<div onmouseover="window.__xss='hover'" style="position:fixed;inset:0">cover</div>
`;

// The smallest well-formed PDF: one empty page.
const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
	+ "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

// A static Space's script: what it can reach of the hub from inside its sandbox.
const SPACE_SCRIPT = `const out = ["script ran"];
try { void window.parent.document.title; out.push("parent: reachable"); } catch { out.push("parent: blocked"); }
try { void document.cookie; out.push("cookies: readable"); } catch { out.push("cookies: blocked"); }
fetch("/api/whoami-v2", { credentials: "include" })
	.then((r) => out.push(r.ok ? "whoami: " + r.status : "whoami: refused"), () => out.push("whoami: refused"))
	.finally(() => { const el = document.getElementById("out"); el.textContent = out.join("; "); el.dataset.done = "1"; });
`;

async function seed() {
	step = "seed";
	const weights = Buffer.alloc(3 * 1024 * 1024);
	for (let i = 0; i < weights.length; i++) weights[i] = (i * 7919) & 0xff;
	const weightsSha = createHash("sha256").update(weights).digest("hex");
	await createRepo({ repo: REPO, hubUrl: HUB_URL, credentials });
	await uploadFiles({
		repo: REPO, hubUrl: HUB_URL, credentials, commitTitle: "First version",
		files: [
			{ path: "README.md", content: new Blob([README]) },
			{ path: "config.json", content: new Blob(['{"model_type": "bert", "hidden_size": 64}\n']) },
			{ path: "img/plot.png", content: new Blob([await png(40, 20)]) },
			{ path: "model.safetensors", content: new Blob([weights]) },
			{ path: "docs/paper.pdf", content: new Blob([PDF]) },
		],
	});
	await uploadFiles({
		repo: REPO, hubUrl: HUB_URL, credentials, commitTitle: "Widen the hidden size",
		files: [{ path: "config.json", content: new Blob(['{"model_type": "bert", "hidden_size": 128}\n']) }],
	});
	await createRepo({ repo: "alice/web-secret", private: true, hubUrl: HUB_URL, credentials });
	await uploadFiles({ repo: "alice/web-secret", hubUrl: HUB_URL, credentials, files: [
		{ path: "README.md", content: new Blob(["---\ntags:\n- sentiment\n- codename-nightjar\n---\n# Secret\n"]) }] });
	const dataset = { type: "dataset", name: "alice/web-data" };
	await createRepo({ repo: dataset, hubUrl: HUB_URL, credentials });
	const trainCsv = "id,text\n" + Array.from({ length: 150 }, (_, i) => i === 1
		? `${i},"<script>window.__xss = 1</script>"` : `${i},row ${i}`).join("\n") + "\n";
	await uploadFiles({ repo: dataset, hubUrl: HUB_URL, credentials, files: [
		{ path: "README.md", content: new Blob(["---\ntags:\n- sentiment\n---\n# Data\n"]) },
		{ path: "data/train.csv", content: new Blob([trainCsv]) },
		{ path: "data/test.csv", content: new Blob(["id,text\n7,only test row\n"]) }] });
	return weightsSha;
}

async function shot(page, name) {
	await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function noXss(page) {
	const value = await page.evaluate(() => window.__xss);
	check(value === undefined, `no injected script ran (window.__xss = ${value})`);
}

async function main() {
	await mkdir(ARTIFACTS, { recursive: true });
	const weightsSha = await seed();
	const browser = await launchChromium();
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		const dialogs = [];
		const errors = [];
		page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
		page.on("pageerror", (e) => errors.push(e.message));

		step = "repo page";
		let res = await page.goto(`${HUB_URL}/${REPO}`);
		check(res.status() === 200, "the repo page answers 200");
		check((await page.locator("article.card h1").textContent()) === "Web sentiment model", "the card's title is rendered");
		check((await page.locator("article.card").textContent()).includes("license") === false, "the YAML block is not shown");
		check(await page.locator("article.card table td", { hasText: "0.91" }).count() === 1, "the GFM table is rendered");
		check(await page.locator("article.card input[type=checkbox][disabled]").count() === 2, "the task list is rendered");
		check(await page.locator("article.card pre code.language-python .tok-k").count() > 0, "fenced code is highlighted");
		check(await page.locator("article.card a", { hasText: "the config" }).getAttribute("href") === `/${REPO}/blob/main/config.json`,
			"a relative link points to the file's page");
		const imageWidth = await page.locator("article.card img[alt=plot]").evaluate(
			(img) => img.complete ? img.naturalWidth : new Promise((ok) => { img.onload = () => ok(img.naturalWidth); }));
		check(imageWidth === 40, "a relative image loads from the repo");
		check(await page.locator("article.card script, article.card svg, article.card iframe").count() === 0,
			"scripts, SVG and frames are removed from the card");
		check(await page.locator("#js-link").count() === 0 || !(await page.locator("#js-link").getAttribute("href") || "").startsWith("javascript"),
			"javascript: links are removed");
		await page.mouse.move(300, 300);
		if (await page.locator("a", { hasText: "click me" }).count()) await page.locator("a", { hasText: "click me" }).click();
		await noXss(page);
		const sidebar = await page.locator("aside.sidebar").textContent();
		for (const fact of ["apache-2.0", "text-classification", "transformers", "en", "fr", "google-bert/bert-base-uncased",
			"stanfordnlp/imdb"]) {
			check(sidebar.includes(fact), `the sidebar shows ${fact}`);
		}
		check(await page.locator("aside .tags a", { hasText: "sentiment" }).count() === 1, "the card's tags are listed");
		const evalRow = page.locator("aside .eval-results tbody tr");
		check(await evalRow.count() === 1, "the card's evaluation result is listed");
		const evalText = await evalRow.innerText();
		check(evalText.includes("IMDB (test)") && evalText.includes("Accuracy") && evalText.includes("0.913")
			&& evalText.includes("self-reported"), `the result, as the authors report it: ${evalText}`);
		check(await evalRow.locator("a[href='/datasets/stanfordnlp/imdb']").count() === 1, "its dataset links to its page");
		check(await evalRow.locator("a[href^='javascript']").count() === 0, "a javascript: source is no link");
		check((await page.locator("figure.snippet pre").allTextContents()).some((s) => s.includes(`pipeline("text-classification", model="${REPO}")`)),
			"the transformers snippet names the repo");
		check((await page.locator("figure.snippet pre").allTextContents()).some((s) => s.includes(`git clone ${HUB_URL}/${REPO}`)),
			"the git snippet clones from this hub");
		await shot(page, "repo-card");

		step = "files";
		await page.locator("nav.tabs a", { hasText: "Files and versions" }).click();
		await page.waitForURL(`**/${REPO}/tree/main`);
		const names = await page.locator("table.tree td:first-child a").allTextContents();
		check(JSON.stringify(names.slice(0, 2)) === '["docs/","img/"]', `folders come first (${names})`);
		for (const n of ["README.md", "config.json", "model.safetensors"]) check(names.includes(n), `the tree lists ${n}`);
		check(await page.locator("tr", { hasText: "model.safetensors" }).locator(".badge", { hasText: "LFS" }).count() === 1,
			"the LFS file is marked");
		await shot(page, "repo-tree");
		await page.locator("table.tree td:first-child a", { hasText: "img/" }).click();
		await page.waitForURL(`**/${REPO}/tree/main/img`);
		check(await page.locator("table.tree td:first-child a", { hasText: "plot.png" }).count() === 1, "a folder opens");

		step = "file view";
		await page.goto(`${HUB_URL}/${REPO}/blob/main/config.json`);
		check(await page.locator("table.code tr").count() === 1, "a text file is shown with its lines");
		check((await page.locator("table.code td.ln").first().textContent()).trim() === "1", "lines are numbered");
		check((await page.locator("table.code").textContent()).includes('"hidden_size": 128'), "the file's current content");
		res = await page.request.get(`${HUB_URL}/${REPO}/raw/main/config.json`);
		check((await res.text()).includes("128") && !res.headers()["content-type"].includes("html")
			&& res.headers()["content-security-policy"].startsWith("sandbox"), "raw serves the bytes, never as a page");
		await page.goto(`${HUB_URL}/${REPO}/blob/main/model.safetensors`);
		check((await page.locator(".summary").textContent()).includes("Git LFS"), "an LFS file is summarised");
		check((await page.locator(".lfs dd code").textContent()) === weightsSha, "its SHA-256 is shown");
		await shot(page, "repo-blob-lfs");
		await page.goto(`${HUB_URL}/${REPO}/blob/main/docs/paper.pdf`);
		check(await page.locator(`iframe.pdf[src="/${REPO}/resolve/main/docs/paper.pdf"]`).count() === 1, "a PDF is shown in the page");
		res = await page.request.get(`${HUB_URL}/${REPO}/resolve/main/docs/paper.pdf`);
		check(res.headers()["content-type"] === "application/pdf", "as a PDF");

		step = "commits";
		await page.goto(`${HUB_URL}/${REPO}`);
		await page.locator("nav.tabs a", { hasText: "Commits" }).click();
		const titles = await page.locator(".commit-list .title").allTextContents();
		check(titles[0] === "Widen the hidden size" && titles.includes("First version"), `the history, newest first (${titles})`);
		await shot(page, "repo-commits");
		await page.locator(".commit-list .title", { hasText: "Widen the hidden size" }).click();
		await page.waitForURL(/\/commit\/[0-9a-f]{40}$/);
		check(await page.locator("tr.del", { hasText: '"hidden_size": 64' }).count() === 1, "the diff shows the removed line");
		check(await page.locator("tr.add", { hasText: '"hidden_size": 128' }).count() === 1, "the diff shows the added line");
		check(await page.locator("tr.add").evaluate((tr) => getComputedStyle(tr).backgroundColor) !== "rgba(0, 0, 0, 0)",
			"added lines are coloured");
		await shot(page, "repo-commit");
		await page.goto(`${HUB_URL}/${REPO}/commits/main`);
		const first = (await page.locator(".commit-list li", { hasText: "First version" }).locator("a.sha").getAttribute("href"))
			.split("/commit/")[1];
		await page.goto(`${HUB_URL}/${REPO}/compare/${first}...main`);
		check(JSON.stringify(await page.locator(".commit-list .title").allTextContents()) === '["Widen the hidden size"]',
			"compare lists the commits the base lacks");
		check(await page.locator("tr.add", { hasText: '"hidden_size": 128' }).count() === 1, "and the diff between them");

		step = "dataset viewer";
		await page.goto(`${HUB_URL}/datasets/alice/web-data`);
		// The card page frames the first rows of the first split, as the Hub's dataset pages do.
		const preview = page.frameLocator("section.dataset-preview iframe");
		await preview.locator("table.viewer-rows").waitFor();
		check((await preview.locator(".viewer-count").textContent()).includes("train · 150 rows"),
			`the preview names its split and counts its rows: ${await preview.locator(".viewer-count").textContent()}`);
		check((await preview.locator("table.viewer-rows thead th").allTextContents()).join() === "id,text", "the preview's columns");
		check(await preview.locator("table.viewer-rows tbody tr").count() === 10, "ten rows in the preview");
		check((await preview.locator("table.viewer-rows tbody tr").nth(1).locator("td").nth(1).textContent())
			=== "<script>window.__xss = 1</script>", "a cell's markup is shown as text in the preview");
		await noXss(page);
		const previewFrame = page.frames().find((f) => f.url().endsWith("/viewer/preview"));
		check(await previewFrame.evaluate(() => window.__xss) === undefined, "no injected script ran in the preview");
		await shot(page, "dataset-card-preview");
		await preview.locator("nav[aria-label=Splits] a", { hasText: "test" }).click();
		await preview.locator("table.viewer-rows tbody tr", { hasText: "only test row" }).waitFor();
		check(page.url() === `${HUB_URL}/datasets/alice/web-data`, "choosing a split stays in the frame");
		check(await preview.locator("a", { hasText: "Open the viewer" }).getAttribute("target") === "_top",
			"the viewer opens in the page, not the frame");
		const framed = await page.request.get(`${HUB_URL}/datasets/alice/web-data/viewer/preview`);
		check(framed.headers()["x-frame-options"] === "SAMEORIGIN"
			&& framed.headers()["content-security-policy"].includes("frame-ancestors 'self'"),
			"only the hub's own pages may frame the preview");
		await page.locator("nav.tabs a", { hasText: "Viewer" }).click();
		await page.waitForURL(`${HUB_URL}/datasets/alice/web-data/viewer`);
		check((await page.locator("nav[aria-label=Splits] a").allTextContents()).join() === "train,test", "the splits, train first");
		check((await page.locator("table.viewer-rows thead th").allTextContents()).join() === "#,id,text", "the columns");
		let cells = await page.locator("table.viewer-rows tbody tr").first().locator("td").allTextContents();
		check(cells.join() === "0,0,row 0", `the first row: ${cells}`);
		check((await page.locator("table.viewer-rows tbody tr").nth(1).locator("td").nth(2).textContent())
			=== "<script>window.__xss = 1</script>", "a cell shows markup as text");
		await noXss(page);
		check(await page.locator("table.viewer-rows tbody tr").count() === 100
			&& (await page.locator(".viewer-count").textContent()).includes("1–100 of 150"), "a page of 100 of 150 rows");
		const idStats = page.locator("table.viewer-rows tr.column-stats td").nth(1);
		check((await idStats.locator(".column-kind").textContent()) === "int"
			&& (await idStats.locator(".column-range").textContent()).trim() === "0 – 149",
			`the id column's statistics: ${await idStats.textContent()}`);
		check(await idStats.locator("svg rect").count() === 10
			&& (await idStats.locator("svg rect title").first().textContent()) === "0 – 15: 15",
			`a histogram of ten bins of 15 ids: ${await idStats.locator("svg rect title").allTextContents()}`);
		check((await page.locator("table.viewer-rows tr.column-stats td").nth(2).locator(".column-kind").textContent())
			=== "string text", "the text column is measured by its lengths");
		await shot(page, "dataset-viewer");
		await page.locator("nav.pager a", { hasText: "Next" }).click();
		await page.waitForURL(`${HUB_URL}/datasets/alice/web-data/viewer?config=default&split=train&offset=100`);
		cells = await page.locator("table.viewer-rows tbody tr").last().locator("td").allTextContents();
		check(cells.join() === "149,149,row 149" && await page.locator("nav.pager a", { hasText: "Next" }).count() === 0,
			`the last page ends at row 149: ${cells}`);
		await page.locator("#viewer-search").fill("ROW 14");
		await page.locator("form.viewer-search button").click();
		await page.waitForURL(/search=ROW\+14/);
		check((await page.locator(".viewer-count").textContent()).includes("Matching rows 1–11 of 11"),
			`a search finds row 14 and rows 140 to 149: ${await page.locator(".viewer-count").textContent()}`);
		cells = await page.locator("table.viewer-rows tbody tr").first().locator("td").allTextContents();
		check(cells.join() === "14,14,row 14", `the first match, numbered by its row in the split: ${cells}`);
		await page.locator("#viewer-where").fill("id >= 140 AND \"text\" <> 'row 141'");
		await page.locator("form.viewer-filter button").click();
		await page.waitForURL(/where=/);
		check((await page.locator(".viewer-count").textContent()).includes("Matching rows 1–9 of 9"),
			`a filter keeps ids 140 to 149 but 141: ${await page.locator(".viewer-count").textContent()}`);
		cells = await page.locator("table.viewer-rows tbody tr").nth(1).locator("td").allTextContents();
		check(cells.join() === "142,142,row 142", `the second match: ${cells}`);
		await page.locator("#viewer-where").fill("id = 1; DROP TABLE data");
		await page.locator("form.viewer-filter button").click();
		await page.waitForURL(/where=id/);
		check((await page.locator("p.form-error").textContent()).includes("';' at character 7 is not allowed"),
			`a condition outside the grammar is refused with the reason: ${await page.locator("p.form-error").textContent()}`);
		await page.locator("nav[aria-label=Splits] a", { hasText: "test" }).click();
		cells = await page.locator("table.viewer-rows tbody tr").first().locator("td").allTextContents();
		check(cells.join() === "0,7,only test row", `the test split: ${cells}`);
		check((await page.goto(`${HUB_URL}/${REPO}/viewer`)).status() === 404, "a model has no viewer");

		step = "listing";
		await page.goto(`${HUB_URL}/models?filter=sentiment&sort=downloads`);
		check(await page.locator(".repo-card .id", { hasText: REPO }).count() === 1, "a tag filter finds the repo");
		check(await page.locator(".chips a", { hasText: "sentiment" }).count() === 1, "the active filter is shown");
		check(await page.locator(".sorts a[aria-current=true]").textContent() === "Most downloads", "the sort is kept in the URL");
		const sentiment = page.locator(".filters section", { hasText: "Other tags" }).locator("a", { hasText: "sentiment" });
		check(await sentiment.count() === 1, "other tags are offered with their counts");
		check(await sentiment.locator(".count").textContent() === "1",
			"counted over public models only: not the private model or the dataset that carry it too");
		check(!(await page.locator(".filters").textContent()).includes("codename-nightjar"),
			"a private repo's tags never show in the sidebar");
		await page.locator(".filters a", { hasText: "text-classification" }).click();
		check(new URL(page.url()).searchParams.getAll("filter").includes("text-classification"), "a facet adds its filter to the URL");
		check(await page.locator(".repo-card .id", { hasText: REPO }).count() === 1, "both filters still find the repo");
		await page.goto(`${HUB_URL}/models?filter=no-such-tag`);
		check(await page.locator(".repo-card").count() === 0, "a filter nothing carries lists nothing");
		await page.goto(`${HUB_URL}/models`);
		await shot(page, "models");

		step = "quick search";
		await page.goto(`${HUB_URL}/`);
		await shot(page, "home");
		await page.locator("#q").fill("web-mod");
		await page.locator("#q-suggestions a", { hasText: REPO }).waitFor();
		await page.locator("#q").press("ArrowDown");
		await page.locator("#q").press("Enter");
		await page.waitForURL(`**/${REPO}`);
		check(true, "a suggestion opens the repo");

		step = "not found";
		res = await page.goto(`${HUB_URL}/alice/web-secret`);
		check(res.status() === 404, "a private repo is a 404 page to anonymous visitors");
		check((await page.locator("h1").textContent()).includes("404"), "the 404 page says so");
		res = await page.goto(`${HUB_URL}/alice/web-secret/tree/main`);
		check(res.status() === 404, "and so are its files");
		res = await page.goto(`${HUB_URL}/alice/no-such-repo`);
		check(res.status() === 404, "a missing repo is the same 404");
		await shot(page, "not-found");

		step = "profile";
		res = await page.goto(`${HUB_URL}/alice`);
		check(res.status() === 200 && await page.locator(".repo-card .id", { hasText: REPO }).count() === 1, "the profile lists the repo");
		check(await page.locator(".repo-card .id", { hasText: "web-secret" }).count() === 0, "but not the private one");
		check(await page.locator(".profile .follows").count() === 1 && await page.locator(".profile button.follow").count() === 0,
			"the follower count, without a button for a visitor who is not signed in");

		step = "small screen and dark theme";
		const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: "dark" });
		const small = await phone.newPage();
		await small.goto(`${HUB_URL}/${REPO}`);
		const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		check(overflow <= 0, `the repo page fits 360 px (overflow ${overflow} px)`);
		const background = await small.evaluate(() => getComputedStyle(document.body).backgroundColor);
		check(background === "rgb(13, 17, 23)", `the dark theme follows the system (${background})`);
		await small.screenshot({ path: join(ARTIFACTS, "repo-card-phone-dark.png"), fullPage: true });
		await phone.close();

		step = "keyboard";
		await page.goto(`${HUB_URL}/${REPO}`);
		await page.keyboard.press("Tab");
		check(await page.evaluate(() => document.activeElement.textContent) === "Atrium", "Tab reaches the first link");

		step = "pickle scan on the file list and the file page";
		// A protocol-0 pickle that would call posix.system("echo hi") when loaded; never loaded here.
		await createRepo({ repo: "alice/web-pickles", hubUrl: HUB_URL, credentials });
		await uploadFiles({ repo: "alice/web-pickles", hubUrl: HUB_URL, credentials, files: [
			{ path: "evil.pkl", content: new Blob(["cposix\nsystem\n(S'echo hi'\ntR."]) }] });
		let badge = 0;
		for (let i = 0; i < 40 && badge === 0; i++) { // the scan runs in the background
			await page.goto(`${HUB_URL}/alice/web-pickles/tree/main`);
			badge = await page.locator("tr", { hasText: "evil.pkl" }).locator(".pickle-unsafe").count();
			if (badge === 0) await page.waitForTimeout(250);
		}
		check(badge === 1, "the file list marks the unsafe pickle");
		await page.locator("a", { hasText: "evil.pkl" }).click();
		check((await page.locator("#pickle-scan-title").textContent()).includes("unsafe"), "the file page says unsafe");
		check((await page.locator(".pickle-imports tr.safety-dangerous").textContent()).includes("posix.system"),
			"and names the dangerous import");
		await shot(page, "pickle-scan");
		await page.goto(`${HUB_URL}/alice/web-pickles`);
		check((await page.locator(".pickle-warning").textContent()).includes("evil.pkl: unsafe"),
			"the repo page warns of the unsafe pickle");
		await page.goto(`${HUB_URL}/${REPO}`);
		check(await page.locator(".pickle-warning").count() === 0, "a repo without pickles has no warning");

		await accounts(browser);

		step = "page errors";
		check(dialogs.length === 0, `no dialog opened (${dialogs})`);
		check(errors.length === 0, `no script error (${errors})`);
	} finally {
		await browser.close();
	}
	console.log(JSON.stringify({ ok: true, checks: checks.length }));
}

function git(cwd, ...args) {
	return execFileSync("git", args, {
		cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_AUTHOR_NAME: "Bob", GIT_AUTHOR_EMAIL: "bob@example.com",
			GIT_COMMITTER_NAME: "Bob", GIT_COMMITTER_EMAIL: "bob@example.com" },
	});
}

// Sign up, create a repo, make a token and push with it through git, like the repo, revoke the token, log out and in.
async function accounts(browser) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();

	step = "sign up";
	await page.goto(`${HUB_URL}/join`);
	await page.locator("#name").fill("bob");
	await page.locator("#email").fill("bob@example.com");
	await page.locator("#password").fill("short");
	await page.locator("main form button[type=submit]").click();
	check(await page.locator("#password:invalid").count() === 1, "the browser refuses a short password");
	await page.locator("#password").fill("bob-password-1");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/`);
	check(await page.locator("header a.viewer").textContent() === "bob", "the new user is signed in");
	const cookie = (await context.cookies()).find((c) => c.name === "atrium_session");
	check(cookie && cookie.httpOnly && cookie.sameSite === "Lax", "the session cookie is HttpOnly and SameSite");

	step = "profile settings";
	await page.locator("header a", { hasText: "Settings" }).click();
	await page.waitForURL(`${HUB_URL}/settings/profile`);
	await page.locator("#fullname").fill("Bob Builder");
	await page.locator("main form[action='/settings/profile'] button[type=submit]").click();
	check((await page.locator("main .notice").textContent()).includes("Saved"), "the profile is saved");
	await page.goto(`${HUB_URL}/bob`);
	check((await page.locator(".profile .fullname").textContent()) === "Bob Builder", "and shown on the profile page");

	step = "new repo";
	await page.locator("header a", { hasText: "New" }).click();
	await page.locator("#repo-name").fill("my-model");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model`);
	check((await page.locator("article.card").textContent()).includes("No card yet"), "the new repo invites a card");

	step = "token";
	await page.goto(`${HUB_URL}/settings/tokens`);
	await page.locator("#token-name").fill("laptop");
	await page.locator("#token-role").selectOption("write");
	await page.locator(".token-form button").click();
	const token = await page.locator("#new-token").textContent();
	check(/^hf_[A-Za-z0-9]{30,}$/.test(token), "the new token is shown once");
	check(await page.locator("table.tokens tr", { hasText: "laptop" }).locator("td", { hasText: "never" }).count() === 1,
		"the token is listed as never used");
	await page.goto(`${HUB_URL}/settings/tokens`);
	check(await page.locator("#new-token").count() === 0, "and not shown again");
	await shot(page, "settings-tokens");

	step = "a private static Space: its app runs sandboxed, its files come through the grant";
	const site = { type: "space", name: "bob/web-site" };
	await createRepo({ repo: site, sdk: "static", private: true, hubUrl: HUB_URL, credentials: { accessToken: token } });
	await uploadFiles({ repo: site, hubUrl: HUB_URL, credentials: { accessToken: token }, files: [
		{ path: "README.md", content: new Blob(["---\nsdk: static\nemoji: 🚀\ncolorFrom: indigo\ncolorTo: pink\n---\n# Bob's site\n"]) },
		{ path: "index.html", content: new Blob(['<!doctype html><h1>Bob\'s app</h1><p id="out"></p><script src="app.js"></script>']) },
		{ path: "app.js", content: new Blob([SPACE_SCRIPT]) }] });
	await page.goto(`${HUB_URL}/spaces/bob/web-site`);
	const app = page.frameLocator("section.space-app iframe");
	await app.locator("#out[data-done]").waitFor();
	const report = await app.locator("#out").textContent();
	check(report === "script ran; parent: blocked; cookies: blocked; whoami: refused",
		`the app's script ran, loaded through the grant, and reached nothing of the hub as bob: ${report}`);
	await shot(page, "space-app");
	await page.goto(`${HUB_URL}/spaces?search=web-site`);
	const siteCard = page.locator("li.repo-card", { hasText: "bob/web-site" });
	check(await siteCard.getAttribute("class") === "repo-card space-card from-indigo to-pink"
		&& (await siteCard.locator(".emoji").textContent()) === "🚀", "the Space's card has its emoji and colours");
	check((await siteCard.evaluate((e) => getComputedStyle(e).backgroundImage)).startsWith("linear-gradient"),
		"and is drawn as a gradient");
	await shot(page, "space-cards");
	await page.goto(`${HUB_URL}/spaces/bob/web-site`);
	const banner = page.locator(".space-banner");
	check(await banner.getAttribute("class") === "space-banner from-indigo to-pink"
		&& (await banner.locator(".space-emoji").textContent()) === "🚀"
		&& (await banner.evaluate((e) => getComputedStyle(e).backgroundImage)).startsWith("linear-gradient"),
		"the Space's page opens with its emoji on its colours");
	await page.goto(`${HUB_URL}/settings/tokens`);

	await page.locator("#token-name").fill("scoped");
	await page.locator("#token-role").selectOption("fineGrained");
	await page.locator("#token-scopes").fill("model bob/my-model read");
	await page.locator(".token-form button").click();
	const scopedToken = await page.locator("#new-token").textContent();
	const whoami = await (await page.request.get(`${HUB_URL}/api/whoami-v2`,
		{ headers: { Authorization: `Bearer ${scopedToken}` } })).json();
	check(whoami.auth.accessToken.role === "fineGrained"
		&& whoami.auth.accessToken.fineGrained.scoped[0].entity.name === "bob/my-model", "a fine-grained token from the page");
	check((await page.locator("table.tokens tr", { hasText: "scoped" }).textContent()).includes("model bob/my-model"),
		"the list says what it reaches");

	step = "push with the token";
	const work = await mkdtemp(join(tmpdir(), "web-git-"));
	const origin = new URL(HUB_URL);
	const remote = `${origin.protocol}//bob:${token}@${origin.host}/bob/my-model`;
	git(work, "clone", "-q", remote, "repo");
	const repoDir = join(work, "repo");
	await writeFile(join(repoDir, "README.md"), "---\nlicense: mit\ntags:\n- pushed-from-git\n---\n# Pushed with git\n");
	git(repoDir, "add", "README.md");
	git(repoDir, "commit", "-q", "-m", "Add a card");
	git(repoDir, "push", "-q", "origin", "HEAD:main");
	await page.goto(`${HUB_URL}/bob/my-model`);
	check(await page.locator("article.card h1").textContent() === "Pushed with git", "the pushed card is rendered");
	await page.goto(`${HUB_URL}/settings/tokens`);
	check(await page.locator("table.tokens tr", { hasText: "laptop" }).locator("td", { hasText: "never" }).count() === 0,
		"the token's last use is recorded");

	let res;
	step = "upload in the browser";
	await page.goto(`${HUB_URL}/bob/my-model/tree/main`);
	await page.locator("a.button", { hasText: "Upload files" }).click();
	const big = Buffer.alloc(20 * 1024 * 1024);
	for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
	const bigSha = createHash("sha256").update(big).digest("hex");
	const card = "---\nlicense: mit\npipeline_tag: text-generation\ntags:\n- uploaded-in-browser\n---\n# Uploaded in the browser\n";
	await page.locator("#files").setInputFiles([
		{ name: "README.md", mimeType: "text/markdown", buffer: Buffer.from(card) },
		{ name: "weights.bin", mimeType: "application/octet-stream", buffer: big },
	]);
	check((await page.locator(".chosen li").allTextContents()).length === 2, "the chosen files are listed");
	await page.locator("#message").fill("Upload the weights");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model/tree/main`);
	check(await page.locator("tr", { hasText: "weights.bin" }).locator(".badge", { hasText: "LFS" }).count() === 1,
		"the 20 MB file went to LFS");
	let got = await page.request.get(`${HUB_URL}/bob/my-model/resolve/main/weights.bin`);
	check(createHash("sha256").update(await got.body()).digest("hex") === bigSha, "its bytes round-trip");
	await page.goto(`${HUB_URL}/bob/my-model`);
	check(await page.locator("article.card h1").textContent() === "Uploaded in the browser", "the uploaded card is rendered");
	check((await page.locator("aside.sidebar").textContent()).includes("text-generation"), "and drives the sidebar");
	await page.locator("nav.tabs a", { hasText: "Commits" }).click();
	check(await page.locator(".commit-list .title").first().textContent() === "Upload the weights", "one commit, with its message");

	step = "edit in the browser";
	await page.goto(`${HUB_URL}/bob/my-model/blob/main/README.md`);
	await page.locator("a.button", { hasText: "Edit" }).click();
	const text = await page.locator("#content").inputValue();
	await page.locator("#content").fill(text.replace("# Uploaded in the browser", "# Edited in the browser"));
	await page.locator("#message").fill("Retitle the card");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model/blob/main/README.md`);
	await page.goto(`${HUB_URL}/bob/my-model`);
	check(await page.locator("article.card h1").textContent() === "Edited in the browser", "an edit is committed");
	await page.goto(`${HUB_URL}/bob/my-model/tree/main`);
	await page.locator("a.button", { hasText: "Create new file" }).click();
	await page.locator("#path").fill("notes/hello.txt");
	await page.locator("#content").fill("hello from a branch\n");
	await page.locator("#branch").fill("docs");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model/blob/docs/notes/hello.txt`);
	check((await page.locator("table.code").textContent()).includes("hello from a branch"), "a new file lands on a new branch");
	res = await page.request.get(`${HUB_URL}/bob/my-model/resolve/main/notes/hello.txt`);
	check(res.status() === 404, "and not on main");
	await page.locator("details.delete-file summary").click();
	await page.locator("details.delete-file button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model/tree/docs`);
	check(await page.locator("table.tree td:first-child a", { hasText: "notes/" }).count() === 0, "a deleted file is gone");
	await shot(page, "repo-tree-owner");

	step = "like";
	await page.goto(`${HUB_URL}/bob/my-model`);
	await page.locator("button.like").click();
	await page.locator("button.like[aria-pressed=true]").waitFor();
	await page.reload();
	check(await page.locator("button.like[aria-pressed=true] [data-likes]").textContent() === "1", "the like is kept");
	const info = await (await page.request.get(`${HUB_URL}/api/models/bob/my-model`)).json();
	check(info.likes === 1, "the API counts the like");

	step = "duplicate in the browser";
	await page.goto(`${HUB_URL}/${REPO}`);
	await page.locator("a.duplicate").click();
	await page.waitForURL(`${HUB_URL}/${REPO}/duplicate`);
	check(await page.locator("#dup-name").inputValue() === REPO.split("/")[1], "the copy is named after its source");
	check(await page.locator("#dup-owner").inputValue() === "bob", "and goes to the viewer's namespace");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/${REPO.split("/")[1]}`);
	const original = await (await page.request.get(`${HUB_URL}/${REPO}/resolve/main/model.safetensors`)).body();
	const copied = await (await page.request.get(`${HUB_URL}/bob/${REPO.split("/")[1]}/resolve/main/model.safetensors`)).body();
	check(copied.length === 3 * 1024 * 1024 && copied.equals(original), "the copy's large file, byte for byte");
	await page.goto(`${HUB_URL}/${REPO}/duplicate`);
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("already"), "a second copy of that name is refused");
	await shot(page, "duplicate-refused");
	const anonymous = await (await browser.newContext()).newPage();
	await anonymous.goto(`${HUB_URL}/${REPO}`);
	check(await anonymous.locator("a.duplicate").count() === 0, "nobody signed in is offered a copy");
	check(await anonymous.locator("a.collect").count() === 0, "nor to collect it");
	await anonymous.goto(`${HUB_URL}/${REPO}/duplicate`);
	check(new URL(anonymous.url()).pathname === "/login", "and the form asks to log in");

	step = "free storage in the browser";
	await page.goto(`${HUB_URL}/bob/my-model/settings`);
	const row = page.locator("table.large-files tr", { hasText: "weights.bin" });
	check((await row.textContent()).includes("20"), "the 20 MB file is listed with its size");
	await row.locator("input[type=checkbox]").check();
	await shot(page, "settings-large-files-listed");
	await page.locator("section.large-files button[type=submit]").click();
	check(await page.locator("section.large-files input[name=confirm]:invalid").count() === 1,
		"deleting for good needs a confirmation");
	await page.locator("section.large-files input[name=confirm]").check();
	await page.locator("section.large-files button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/my-model/settings?deleted=1`);
	check((await page.locator("section.large-files .notice").textContent()).includes("1 file was deleted"), "it says so");
	check(await page.locator("table.large-files").count() === 0, "and lists no large file any more");
	await shot(page, "settings-large-files");
	const commits = await (await page.request.get(`${HUB_URL}/api/models/bob/my-model/commits/main`)).json();
	for (const c of commits) {
		const tree = await (await page.request.get(`${HUB_URL}/api/models/bob/my-model/tree/${c.id}?recursive=true`)).json();
		check(!tree.some((f) => f.path === "weights.bin"), `weights.bin is in no commit (${c.title})`);
	}
	check(commits.some((c) => c.title === "Upload the weights"), "the commit that added it stays, without it");

	step = "a collection's page";
	const auth = { Authorization: `Bearer ${token}` };
	const made = await (await page.request.post(`${HUB_URL}/api/collections`,
		{ headers: auth, data: { title: "Bob's picks", description: "Worth a look" } })).json();
	await page.request.post(`${HUB_URL}/api/collections/${made.slug}/items`,
		{ headers: auth, data: { item: { id: REPO, type: "model" }, note: "The first one" } });
	await page.request.post(`${HUB_URL}/api/collections/${made.slug}/items`,
		{ headers: auth, data: { item: { id: "2307.09288", type: "paper" } } });
	await page.goto(made.shareUrl);
	check(await page.locator("section.collection h1").textContent() === "Bob's picks", "the collection's title");
	const listedItems = await page.locator("ol.collection-items li").allTextContents();
	check(listedItems.length === 2 && listedItems[0].includes(REPO) && listedItems[0].includes("The first one")
		&& listedItems[1].includes("2307.09288"), `its items in order, with the note: ${listedItems}`);
	await shot(page, "collection");
	await page.locator("ol.collection-items a", { hasText: REPO }).click();
	await page.waitForURL(`${HUB_URL}/${REPO}`);
	await page.goto(`${HUB_URL}/bob`);
	await page.locator("section.collections a", { hasText: "Bob's picks" }).click();
	await page.waitForURL(made.shareUrl);
	await page.goto(`${HUB_URL}/${REPO}`);
	await page.locator("a.collect").click();
	await page.waitForURL(`${HUB_URL}/${REPO}/collect`);
	await page.locator("label", { hasText: "bob / Bob's picks" }).locator("input").check();
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("already"), "a repo is in a collection once");
	await shot(page, "collect-already");
	await page.locator("input[name=collection][value=new]").check();
	await page.locator("#collect-title").fill("Second picks");
	await page.locator("#collect-note").fill("Added from its page");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(/\/collections\/bob\/second-picks-[0-9a-f]{24}$/);
	const added = await page.locator("ol.collection-items li").allTextContents();
	check(added.length === 1 && added[0].includes(REPO) && added[0].includes("Added from its page"),
		`a new collection holds it, with the note: ${added}`);
	const secondUrl = page.url();
	await shot(page, "collection-owner");
	await page.locator("form.remove-item button").click();
	await page.waitForURL(secondUrl);
	check(await page.locator("ol.collection-items li").count() === 0, "the owner removes an item");
	await page.locator(".collection-settings button", { hasText: "Make private" }).click();
	await page.waitForURL(secondUrl);
	const outsider = await (await browser.newContext()).newPage();
	check((await outsider.goto(secondUrl)).status() === 404, "a private collection is a 404 for others");
	check((await outsider.goto(made.shareUrl)).status() === 200
		&& await outsider.locator("form.remove-item, .collection-settings").count() === 0,
		"others see a public collection without the owner's controls");

	step = "editing a collection on its page";
	await page.goto(made.shareUrl);
	await page.locator("ol.collection-items li", { hasText: "2307.09288" }).locator("form.move-up button").click();
	await page.waitForURL(made.shareUrl);
	let order = (await page.locator("ol.collection-items li a").allTextContents()).map((t) => t.trim());
	check(order.length === 2 && order[0] === "arXiv:2307.09288" && order[1] === REPO, `moved up: ${order}`);
	check(await page.locator("ol.collection-items li").first().locator("form.move-up").count() === 0
		&& await page.locator("ol.collection-items li").last().locator("form.move-down").count() === 0,
		"no move past either end");
	const repoItem = page.locator("ol.collection-items li", { hasText: REPO });
	await repoItem.locator("details.edit-note summary").click();
	await repoItem.locator("textarea[name=note]").fill("Now with a better note");
	await repoItem.locator("details.edit-note button").click();
	await page.waitForURL(made.shareUrl);
	const paperItem = page.locator("ol.collection-items li", { hasText: "2307.09288" });
	await paperItem.locator("details.edit-note summary").click();
	await paperItem.locator("textarea[name=note]").fill("Llama 2");
	await paperItem.locator("details.edit-note button").click();
	await page.waitForURL(made.shareUrl);
	await page.locator("ol.collection-items li", { hasText: REPO }).locator("form.move-up button").click();
	await page.waitForURL(made.shareUrl);
	let collectionViaApi = await (await page.request.get(`${HUB_URL}/api/collections/${made.slug}`, { headers: auth })).json();
	check(collectionViaApi.items.map((i) => `${i.id}:${i.note?.text ?? ""}`).join() === `${REPO}:Now with a better note,2307.09288:Llama 2`,
		`the API sees the notes and the order: ${JSON.stringify(collectionViaApi.items.map((i) => [i.id, i.note]))}`);
	await page.locator("#collection-title").fill("Second picks");
	await page.locator(".edit-collection button").click();
	check((await page.locator(".form-error").textContent()).includes("already a collection titled 'Second picks'"),
		"a title taken in the namespace is refused");
	await page.goto(made.shareUrl);
	await page.locator("#collection-title").fill("Bob's favourites");
	await page.locator("#collection-description").fill("Changed on the page");
	await page.locator(".edit-collection button").click();
	await page.waitForURL(/\/collections\/bob\/bob-s-favourites-[0-9a-f]{24}$/);
	check(await page.locator("section.collection h1").textContent() === "Bob's favourites"
		&& (await page.locator("section.collection p.description").textContent()) === "Changed on the page",
		"renamed, with its new description, at its new address");
	await shot(page, "collection-edited");
	check((await page.goto(made.shareUrl)).status() === 200
		&& await page.locator("section.collection h1").textContent() === "Bob's favourites", "the old address still leads to it");
	collectionViaApi = await (await page.request.get(`${HUB_URL}/api/collections/${made.slug}`, { headers: auth })).json();
	check(collectionViaApi.title === "Bob's favourites" && collectionViaApi.description === "Changed on the page",
		`and the API sees the new title: ${collectionViaApi.title}`);
	res = await page.request.post(`${HUB_URL}/collections/${made.slug}/items/${collectionViaApi.items[0]._id}/position`,
		{ form: { position: "0" } });
	check(res.status() === 403, `a move without the CSRF token is refused (${res.status()})`);
	check((await outsider.goto(made.shareUrl)).status() === 200
		&& await outsider.locator("form.move-up, form.move-down, details.edit-note, .edit-collection").count() === 0,
		"others get none of the editing controls");

	step = "deleting a collection";
	await page.goto(secondUrl);
	await page.locator(".collection-settings input[name=confirm]").check();
	await page.locator(".collection-settings button", { hasText: "Delete collection" }).click();
	await page.waitForURL(`${HUB_URL}/bob`);
	check(await page.locator("section.collections a", { hasText: "Second picks" }).count() === 0,
		"a deleted collection leaves the profile");
	res = await page.request.get(`${HUB_URL}/collections/${made.slug.replace(/-[0-9a-f]{24}$/, "-0123456789abcdef01234567")}`);
	check(res.status() === 404, "an unknown collection is a 404 page");

	step = "webhooks in the settings";
	// A receiver on 127.0.0.2, the one address WebPagesIT lets webhooks reach (--webhook-allowed-networks).
	const received = [];
	const receiver = createServer((req, res) => {
		let body = "";
		req.on("data", (chunk) => { body += chunk; });
		req.on("end", () => { received.push({ secret: req.headers["x-webhook-secret"], body: JSON.parse(body) }); res.writeHead(204).end(); });
	});
	await new Promise((resolve) => receiver.listen(0, "127.0.0.2", resolve));
	const hookUrl = `http://127.0.0.2:${receiver.address().port}/hooks/atrium`;
	await page.goto(`${HUB_URL}/settings/webhooks`);
	await page.locator("#webhook-url").fill("http://127.0.0.1:9/hooks/atrium");
	await page.locator("#webhook-watched").fill("model bob/my-model");
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("127.0.0.1 is not a public address (loopback)"),
		"a webhook may not target an address the administrator did not allow");
	await page.locator("#webhook-url").fill(hookUrl);
	await page.locator("#webhook-watched").fill("model bob/my-model\nnonsense");
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("type and a name"), "a bad watch line is refused");
	await page.locator("#webhook-url").fill(hookUrl);
	await page.locator("#webhook-watched").fill("model bob/my-model\norg acme");
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("No organization is named 'acme'"),
		"a watched organization must exist");
	await page.locator("#webhook-url").fill(hookUrl);
	await page.locator("#webhook-watched").fill("model bob/my-model\nuser alice");
	await page.locator("#webhook-secret").fill("s3cret");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/settings/webhooks`);
	let hookRow = page.locator("table.webhooks > tbody > tr", { hasText: hookUrl });
	check((await hookRow.textContent()).includes("model bob/my-model, user alice") && (await hookRow.textContent()).includes("active")
		&& (await hookRow.textContent()).includes("none yet"), "the new webhook is listed, not delivered yet");
	const viaApi = await (await page.request.get(`${HUB_URL}/api/settings/webhooks`, { headers: auth })).json();
	check(viaApi.length === 1 && viaApi[0].secret === "s3cret" && viaApi[0].domains.join() === "repo",
		"and the API shows the same webhook");
	await uploadFiles({ repo: "bob/my-model", hubUrl: HUB_URL, credentials: { accessToken: token },
		commitTitle: "Touch for the webhook", files: [{ path: "hook.txt", content: new Blob(["ping\n"]) }] });
	for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
	check(received.length === 1 && received[0].secret === "s3cret" && received[0].body.repo.name === "bob/my-model",
		`the commit was delivered: ${JSON.stringify(received.map((r) => r.body.event))}`);
	for (let i = 0; i < 50; i++) { // the delivery is recorded just after the receiver answers
		await page.goto(`${HUB_URL}/settings/webhooks`);
		if (await page.locator("tr.deliveries").count() > 0) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	await page.locator("tr.deliveries summary").click();
	const deliveries = await page.locator("tr.deliveries tbody tr").allTextContents();
	check(deliveries.length === 1 && deliveries[0].includes("repo.content update · model bob/my-model")
		&& deliveries[0].includes("HTTP 204"), `the delivery is listed with its outcome: ${deliveries}`);
	hookRow = page.locator("table.webhooks > tbody > tr", { hasText: hookUrl });
	check((await hookRow.textContent()).includes("HTTP 204"), "and the webhook's row shows the last outcome");
	await shot(page, "settings-webhooks");
	await hookRow.locator("button", { hasText: "Disable" }).click();
	await page.waitForURL(`${HUB_URL}/settings/webhooks`);
	check((await page.locator("table.webhooks > tbody > tr", { hasText: "hooks/atrium" }).textContent()).includes("disabled"),
		"disabled");
	await page.locator("table.webhooks > tbody > tr", { hasText: "hooks/atrium" }).locator("button", { hasText: "Delete" }).click();
	await page.waitForURL(`${HUB_URL}/settings/webhooks`);
	check(await page.locator("table.webhooks > tbody > tr", { hasText: "hooks/atrium" }).count() === 0
		&& await page.locator("tr.deliveries").count() === 0, "deleted, with its deliveries");
	receiver.close();

	step = "csrf";
	res = await page.request.post(`${HUB_URL}/settings/tokens`, { form: { name: "forged", role: "write" } });
	check(res.status() === 403, `a form without the CSRF token is refused (${res.status()})`);
	res = await page.request.post(`${HUB_URL}/api/models/bob/my-model/like`, { headers: { "X-CSRF-Token": "wrong" } });
	check(res.status() === 403, "an API call riding on the cookie needs the token too");
	res = await page.request.post(`${HUB_URL}/login`, { form: { name: "bob", password: "bob-password-1" },
		headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
	check(res.status() === 403, "a login posted from another site is refused");

	step = "search";
	await page.goto(`${HUB_URL}/models?filter=uploaded-in-browser`);
	check(await page.locator(".repo-card .id", { hasText: "bob/my-model" }).count() === 1, "the card's tag finds the repo");

	step = "revoke";
	await page.goto(`${HUB_URL}/settings/tokens`);
	await page.locator("table.tokens tr", { hasText: "laptop" }).locator("button", { hasText: "Revoke" }).click();
	await page.waitForURL(`${HUB_URL}/settings/tokens`);
	check(await page.locator("table.tokens tr", { hasText: "laptop" }).count() === 0, "a revoked token leaves the list");
	let refused = false;
	try {
		git(repoDir, "push", "-q", "origin", "HEAD:refs/heads/other");
	} catch {
		refused = true;
	}
	check(refused, "git refuses the revoked token");

	step = "organization";
	await page.goto(`${HUB_URL}/organizations/new`);
	await page.locator("#org-name").fill("bobs-lab");
	await page.locator("#org-fullname").fill("Bob's Lab");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bobs-lab`);
	check((await page.locator(".profile h1").textContent()).includes("Organization"), "the organization's page");
	check(await page.locator(".people a", { hasText: "bob (admin)" }).count() === 1, "lists its admin");
	check(await page.locator(".people h2 .count").textContent() === "1", "and counts its members");
	await page.goto(`${HUB_URL}/new`);
	await page.locator("#repo-owner").selectOption("bobs-lab");
	await page.locator("#repo-name").fill("lab-model");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bobs-lab/lab-model`);
	await page.goto(`${HUB_URL}/bobs-lab`);
	check(await page.locator(".repo-card .id", { hasText: "bobs-lab/lab-model" }).count() === 1, "with its repos");
	await page.goto(`${HUB_URL}/bob`);
	check(await page.locator(".people a", { hasText: "bobs-lab" }).count() === 1, "and the user's page lists it");
	await shot(page, "org-profile");

	step = "follow";
	const followers = () => page.locator(".profile .follows [data-followers]").textContent();
	await page.goto(`${HUB_URL}/alice`);
	check(await followers() === "0", "alice has no followers yet");
	await page.locator(".profile button.follow").click();
	await page.waitForURL(`${HUB_URL}/alice`);
	check(await page.locator(".profile button.follow").textContent() === "Unfollow", "the button turns to Unfollow");
	check(await followers() === "1", "alice has a follower");
	check(await page.locator(".followers a", { hasText: "bob" }).count() === 1, "named on her page");
	await page.goto(`${HUB_URL}/bob`);
	check(await page.locator(".profile .follows [data-following]").textContent() === "1", "bob follows one user");
	check(await page.locator(".following a", { hasText: "alice" }).count() === 1, "named on his page");
	check(await page.locator(".profile button.follow").count() === 0, "no button on one's own page");
	await page.goto(`${HUB_URL}/alice`);
	await page.locator(".profile button.follow").click();
	await page.waitForURL(`${HUB_URL}/alice`);
	check(await followers() === "0" && await page.locator(".followers").count() === 0, "unfollowed");
	await page.goto(`${HUB_URL}/bobs-lab`);
	await page.locator("a", { hasText: "Settings" }).last().click();
	await page.waitForURL(`${HUB_URL}/organizations/bobs-lab/settings`);
	await page.locator("#invitee").fill("alice");
	await page.locator("#invite-role").selectOption("write");
	await page.locator("button", { hasText: "Create invitation link" }).click();
	check((await page.locator("#invite-link").textContent()).startsWith(`${HUB_URL}/organizations/bobs-lab/join/`),
		"an invitation link is shown to send");
	const logText = await page.locator("table.audit").textContent();
	check(logText.includes("org.create") && logText.includes("repo.create") && logText.includes("member.invite"),
		"the audit log lists what happened");
	await page.locator("input[name=classroom]").check();
	await page.locator("form[action$='/settings/classroom'] button").click();
	await page.waitForURL(`${HUB_URL}/organizations/bobs-lab/settings`);
	await page.locator("#roster").fill("student-a\nstudent-b@example.com,contributor\n");
	await page.locator("button", { hasText: "Invite the students" }).click();
	check(await page.locator("table.roster-links tbody tr").count() === 2, "a classroom roster gets one link per student");
	await shot(page, "org-settings");

	step = "repo settings";
	await page.goto(`${HUB_URL}/new`);
	await page.locator("#repo-name").fill("scratch");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/bob/scratch`);
	await page.locator("nav.tabs a", { hasText: "Settings" }).click();
	await page.locator("button", { hasText: "Make private" }).click();
	await page.waitForURL(`${HUB_URL}/bob/scratch/settings`);
	check((await page.locator(".repo-settings").textContent()).includes("is private"), "the repo is now private");
	const stranger = await browser.newContext();
	res = await (await stranger.newPage()).goto(`${HUB_URL}/bob/scratch`);
	check(res.status() === 404, "a private repo is a 404 to others");
	await page.locator("button", { hasText: "Make public" }).click();
	await page.waitForURL(`${HUB_URL}/bob/scratch/settings`);
	res = await (await stranger.newPage()).goto(`${HUB_URL}/bob/scratch`);
	check(res.status() === 200, "and public again");
	await page.locator("#move-to").fill("scratch-renamed");
	await page.locator("button", { hasText: "Rename" }).click();
	await page.waitForURL(`${HUB_URL}/bob/scratch-renamed`);
	const oldPage = await stranger.newPage();
	await oldPage.goto(`${HUB_URL}/bob/scratch`);
	check(oldPage.url() === `${HUB_URL}/bob/scratch-renamed`, "the old name redirects to the new one");
	await page.goto(`${HUB_URL}/bob/scratch-renamed/settings`);
	await page.locator("#confirm").fill("bob/scratch");
	await page.locator("button", { hasText: "Delete" }).click();
	check((await page.locator(".form-error").textContent()).includes("to confirm"), "a wrong confirmation deletes nothing");
	await page.locator("#confirm").fill("bob/scratch-renamed");
	await page.locator("button", { hasText: "Delete" }).click();
	await page.waitForURL(`${HUB_URL}/bob`);
	res = await (await stranger.newPage()).goto(`${HUB_URL}/bob/scratch-renamed`);
	check(res.status() === 404, "a deleted repo is gone");
	res = await (await stranger.newPage()).goto(`${HUB_URL}/bob/my-model/settings`);
	check(new URL(res.url()).pathname === "/login", "settings are for signed-in owners");
	await stranger.close();

	step = "gated repo";
	await createRepo({ repo: "alice/web-gated", hubUrl: HUB_URL, credentials });
	await uploadFiles({ repo: "alice/web-gated", hubUrl: HUB_URL, credentials, files: [
		{ path: "README.md", content: new Blob(["---\nextra_gated_prompt: Agree to the terms first.\nextra_gated_fields:\n"
			+ "  Company: text\n  I agree: checkbox\n---\n# Gated model\n"]) },
		{ path: "secret.txt", content: new Blob(["the secret content\n"]) },
	] });
	const asAlice = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
	res = await page.request.put(`${HUB_URL}/api/models/alice/web-gated/settings`, { headers: asAlice,
		data: { gated: "manual" } });
	check(res.status() === 200, "alice gates her repo");
	await page.goto(`${HUB_URL}/alice/web-gated`);
	check((await page.locator(".gate").textContent()).includes("Agree to the terms first."), "the gate shows the card's prompt");
	check(await page.locator("article.card h1").textContent() === "Gated model", "the card stays visible");
	await page.goto(`${HUB_URL}/alice/web-gated/blob/main/secret.txt`);
	check(!(await page.locator("main").textContent()).includes("the secret content"), "the file view hides gated content");
	await page.goto(`${HUB_URL}/alice/web-gated`);
	await page.locator(".gate input[name=Company]").fill("Bob Inc");
	await page.locator(".gate input[type=checkbox]").check();
	await page.locator(".gate button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/alice/web-gated`);
	check((await page.locator(".gate").textContent()).includes("waiting for the owners"), "the request is pending");
	const pending = await (await page.request.get(`${HUB_URL}/api/models/alice/web-gated/user-access-request/pending`,
		{ headers: asAlice })).json();
	check(pending.length === 1 && pending[0].user.user === "bob" && pending[0].fields.Company === "Bob Inc",
		"alice sees bob's request with his answers");
	res = await page.request.post(`${HUB_URL}/api/models/alice/web-gated/user-access-request/handle`, { headers: asAlice,
		data: { user: "bob", status: "accepted" } });
	check(res.status() === 200, "alice accepts");
	await page.goto(`${HUB_URL}/alice/web-gated/blob/main/secret.txt`);
	check((await page.locator("table.code").textContent()).includes("the secret content"), "bob now sees the file");

	step = "pull requests and discussions in the browser";
	await createRepo({ repo: "alice/web-pr", hubUrl: HUB_URL, credentials });
	await uploadFiles({ repo: "alice/web-pr", hubUrl: HUB_URL, credentials, files: [
		{ path: "README.md", content: new Blob(["# Before\n"]) }] });
	await page.goto(`${HUB_URL}/alice/web-pr/blob/main/README.md`);
	await page.locator("a.button", { hasText: "Edit" }).click();
	check(await page.locator("#proposing").count() === 1 && await page.locator("#branch").count() === 0,
		"someone who may not write is told the edit opens a pull request");
	await page.locator("#content").fill("# After\n");
	await page.locator("#message").fill("Retitle the card");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/alice/web-pr/discussions/1`);
	check((await page.locator("article.thread h2").textContent()).includes("Retitle the card"), "the edit opened PR #1");
	check(await page.locator("#thread-status").textContent() === "open", "open");
	res = await page.request.get(`${HUB_URL}/alice/web-pr/resolve/main/README.md`);
	check(await res.text() === "# Before\n", "main is untouched");
	check(await page.locator("#merge").count() === 0, "bob may not merge");
	await page.locator("#comment").fill("Looks **good** <img src=x onerror=\"window.__xss = 1\">");
	await page.locator("form.thread-form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/alice/web-pr/discussions/1`);
	check(await page.locator(".thread-events .comment strong").textContent() === "good", "the comment renders as Markdown");
	check(await page.locator(".thread-events img[onerror]").count() === 0
		&& await page.evaluate(() => window.__xss === undefined), "and sanitized");
	await shot(page, "pull-request");
	await page.locator("#changes").click();
	check((await page.locator("main").textContent()).includes("+# After"), "files changed shows the diff");
	res = await page.request.post(`${HUB_URL}/api/models/alice/web-pr/discussions/1/merge`, { headers: asAlice });
	check(res.status() === 200, "alice merges");
	await page.goto(`${HUB_URL}/alice/web-pr/discussions/1`);
	check(await page.locator("#thread-status").textContent() === "merged", "the page shows it merged");
	check((await page.locator(".thread-events").textContent()).includes("merged this pull request"), "with the event");
	res = await page.request.get(`${HUB_URL}/alice/web-pr/resolve/main/README.md`);
	check(await res.text() === "# After\n", "and main has the change");
	await page.locator("nav.tabs a", { hasText: "Community" }).click();
	await page.locator("a.button", { hasText: "New discussion" }).click();
	await page.locator("#title").fill("How was it trained?");
	await page.locator("#description").fill("Which **data**?");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/alice/web-pr/discussions/2`);
	check(await page.locator(".thread-events .comment strong").textContent() === "data", "a discussion with its description");
	const communityTab = page.locator("nav.tabs a", { hasText: "Community" });
	check((await communityTab.textContent()).replace(/\s+/g, " ").trim() === "Community 1 open",
		`the Community tab counts what is open, not the merged pull request: ${await communityTab.textContent()}`);
	await page.locator("#close").click();
	await page.waitForURL(`${HUB_URL}/alice/web-pr/discussions/2`);
	check(await page.locator("#thread-status").textContent() === "closed", "its author closes it");
	check(await communityTab.locator(".count").count() === 0, "with nothing open, the tab shows no count");
	await page.goto(`${HUB_URL}/alice/web-pr/discussions?type=pull_request`);
	check(await page.locator("ol.thread-list li").count() === 1, "the pull request filter lists one");
	const seenByAlice = await (await page.request.get(`${HUB_URL}/api/models/alice/web-pr/discussions`,
		{ headers: asAlice })).json();
	check(seenByAlice.count === 2 && seenByAlice.discussions.some((d) => d.title === "How was it trained?"),
		"the API sees what the pages made");
	await shot(page, "community");

	step = "usage and billing";
	await page.goto(`${HUB_URL}/settings/tokens`);
	await page.locator("a", { hasText: "Usage and billing" }).click();
	await page.waitForURL(`${HUB_URL}/settings/usage`);
	check((await page.locator("#private-bytes").textContent()).length > 0, "the usage page shows private storage");
	check(await page.locator(".chart svg polyline").count() === 2, "and a chart of private and public storage");
	check((await page.locator("#payment").textContent()).includes("by invoice"), "payment is by invoice by default");
	check((await page.locator("table.statements tbody tr").first().textContent()).includes("open until the month ends"),
		"this month's statement is listed as open");
	const csvHref = await page.locator("a", { hasText: "CSV" }).getAttribute("href");
	res = await page.request.get(`${HUB_URL}${csvHref}`);
	check(res.headers()["content-type"].startsWith("text/csv") && (await res.text()).startsWith("date,private_bytes"),
		"the monthly statement downloads as CSV");
	res = await page.request.get(`${HUB_URL}${await page.locator("a", { hasText: "PDF" }).getAttribute("href")}`);
	check((await res.body()).subarray(0, 5).toString() === "%PDF-", "and as PDF");
	await shot(page, "usage");

	step = "a browser login for the command line (hf auth login)";
	// fetch, not page.request: the device's own requests carry no session cookie.
	const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields) });
	const device = await (await fetch(`${HUB_URL}/oauth/device`, form({ client_id: "web-pages-it" }))).json();
	check(device.verification_uri_complete === `${HUB_URL}/device?user_code=${device.user_code}`,
		"the device request names the page, with its code");
	await page.goto(device.verification_uri_complete);
	check((await page.locator(".device-code").textContent()).trim() === device.user_code,
		"the page shows the code to compare with the terminal's");
	await shot(page, "device-login");
	await page.locator("button", { hasText: "Approve" }).click();
	await page.waitForURL(`${HUB_URL}/device`);
	check((await page.locator("[role=status]").textContent()).includes("logged in as bob"), "approving confirms");
	const granted = await (await fetch(`${HUB_URL}/oauth/token`, form({
		grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: device.device_code,
		client_id: "web-pages-it" }))).json();
	const deviceUser = await (await fetch(`${HUB_URL}/api/whoami-v2`,
		{ headers: { Authorization: `Bearer ${granted.access_token}` } })).json();
	check(deviceUser.name === "bob", "the token the device receives is bob's");
	await page.goto(`${HUB_URL}/settings/tokens`);
	check((await page.locator("main").textContent()).includes("Browser login, "), "and is listed among his tokens");

	step = "log out and in";
	await page.locator("header form[action='/logout'] button").click();
	await page.waitForURL(`${HUB_URL}/`);
	check(await page.locator("header a", { hasText: "Log in" }).count() === 1, "logging out signs out");
	await page.goto(`${HUB_URL}/settings/tokens`);
	check(new URL(page.url()).pathname === "/login", "settings need a signed-in user");
	await page.locator("#name").fill("bob");
	await page.locator("#password").fill("wrong-password");
	await page.locator("main form button[type=submit]").click();
	check((await page.locator(".form-error").textContent()).includes("Wrong name or password"), "a wrong password is refused");
	await page.locator("#password").fill("bob-password-1");
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${HUB_URL}/settings/tokens`);
	check(true, "logging in returns to the page that asked for it");
	await context.close();
}

main().catch((e) => {
	console.error(`FAIL at ${step}: ${e.stack || e}`);
	process.exit(1);
});
