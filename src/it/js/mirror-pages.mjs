// Mirroring from the browser, in Chromium: bob follows "mirror a repo from another hub" from the New page, gives the
// source's page URL, lands on the new mirror, whose line names its source and, after the first sync, when it was
// synced; its files offer no upload; "Sync now" asks again; a source that does not exist is refused on the form;
// @huggingface/hub downloads the mirror's large file, the source's bytes.
// Environment: HUB_URL, CHROMIUM, SOURCE (a public model's page on the source hub), BOB_PASSWORD.

import { createHash } from "node:crypto";
import { downloadFile } from "@huggingface/hub";
import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const source = env("SOURCE");

const browser = await launchChromium();
try {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, hub, "bob", env("BOB_PASSWORD"));
	await page.goto(`${hub}/new`);
	await page.getByRole("link", { name: "mirror a repo from another hub" }).click();
	await page.waitForURL("**/new/mirror");

	await page.locator("#mirror-source").fill(`${source}-missing`);
	await page.getByRole("button", { name: "Mirror" }).click();
	const refusal = await page.locator(".form-error").innerText();
	check(refusal.includes("answered 401") || refusal.includes("answered 404"), `a missing source is refused: ${refusal}`);
	check(await page.locator("#mirror-source").inputValue() === `${source}-missing`, "the form keeps what was typed");

	await page.locator("#mirror-source").fill(source);
	await page.locator("#mirror-name").fill("from-browser");
	await page.getByRole("button", { name: "Mirror" }).click();
	await page.waitForURL("**/bob/from-browser");
	const line = page.locator(".mirror-line");
	check((await line.innerText()).includes(`Mirror of ${source}`), `the mirror's line: ${await line.innerText()}`);
	for (let i = 0; i < 100 && !(await line.locator(".mirror-state").innerText()).startsWith("Synced"); i++) {
		await new Promise((resolve) => setTimeout(resolve, 300));
		await page.reload();
	}
	check((await line.locator(".mirror-state").innerText()).startsWith("Synced"), "the first sync landed");

	await page.getByRole("link", { name: "Files and versions" }).click();
	check(await page.locator("text=model.safetensors").count() > 0, "the source's files are listed");
	check(await page.locator("a[href*='/upload/']").count() === 0, "no upload on a mirror");

	await page.getByRole("button", { name: "Sync now" }).click();
	await page.waitForURL("**/bob/from-browser");
	check(await page.locator(".mirror-line").count() === 1, "back on the mirror's page");

	// The JS client reads the mirror's large file: the source's bytes.
	const sha256 = async (blob) => createHash("sha256").update(Buffer.from(await blob.arrayBuffer())).digest("hex");
	const sourceRepo = source.substring(source.lastIndexOf("/", source.lastIndexOf("/") - 1) + 1);
	const fromSource = await downloadFile({ repo: sourceRepo, path: "model.safetensors",
		hubUrl: source.substring(0, source.length - sourceRepo.length - 1) });
	const fromMirror = await downloadFile({ repo: "bob/from-browser", path: "model.safetensors", hubUrl: hub });
	check(fromSource !== null && fromMirror !== null, "both hubs have the file");
	check(fromMirror.size === fromSource.size && await sha256(fromMirror) === await sha256(fromSource),
		`@huggingface/hub downloads the same bytes from the mirror (${fromMirror.size} bytes)`);
} finally {
	await browser.close();
}
console.log(JSON.stringify({ ok: true }));
