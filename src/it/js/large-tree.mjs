// A repo of thousands of files (large_repo.py pushed it) as the official JS client and a visitor in Chromium see
// it: listFiles follows every page of the listing and gets each entry once; the files page shows a folder of 130
// files 100 at a time, each row with the commit that last changed it.
//
// Environment: HUB_URL, HF_TOKEN, REPO (a dataset), ENTRIES and DIGEST (count and SHA-256 of the sorted paths,
// joined by newlines), F007_TITLE (the title of the commit that last changed big/f007.txt), CHROMIUM.

import { createHash } from "node:crypto";
import { listFiles } from "@huggingface/hub";
import { check, env, launchChromium } from "./browser.mjs";

const hub = env("HUB_URL");
const repo = { type: "dataset", name: env("REPO") };
const credentials = { accessToken: env("HF_TOKEN") };

const paths = [];
for await (const f of listFiles({ repo, hubUrl: hub, credentials, recursive: true })) {
	paths.push(f.path);
}
check(paths.length === Number(env("ENTRIES")), `listFiles gives ${paths.length} entries, not ${env("ENTRIES")}`);
const digest = createHash("sha256").update([...paths].sort().join("\n")).digest("hex");
check(digest === env("DIGEST"), "listFiles gives the paths git has");

const expanded = [];
for await (const f of listFiles({ repo, path: "big", hubUrl: hub, credentials, expand: true })) {
	expanded.push(f);
}
check(expanded.length === 130, `big/ with expand: ${expanded.length} entries`);
const f007 = expanded.find((f) => f.path === "big/f007.txt");
check(f007?.lastCommit?.title === env("F007_TITLE"), `big/f007.txt's last commit: ${JSON.stringify(f007?.lastCommit)}`);

const browser = await launchChromium();
try {
	const page = await browser.newPage();
	await page.goto(`${hub}/datasets/${env("REPO")}/tree/main/big`);
	const names = () => page.locator("table.tree td:first-child a").allTextContents();
	let shown = await names();
	check(shown.length === 100, `the first page shows 100 of big/'s files, not ${shown.length}`);
	check((await page.locator("nav.pager").innerText()).includes("1–100 of 130"), "the pager says which rows");
	const row = page.locator("table.tree tr", { has: page.locator("td:first-child a", { hasText: "f007.txt" }) });
	check((await row.locator("td.last-commit").innerText()).trim() === env("F007_TITLE"),
		"f007.txt's row names the commit that last changed it");
	check(await row.locator("td.date time").getAttribute("datetime") !== null, "and its date");
	await page.locator("nav.pager a[rel=next]").click();
	await page.waitForURL(/offset=100/);
	shown = await names();
	check(shown.length === 30 && shown[0] === "f100.txt" && shown[29] === "f129.txt",
		`the second page shows the other 30: ${shown[0]}..${shown[shown.length - 1]} (${shown.length})`);
	check(await page.locator("nav.pager a[rel=next]").count() === 0, "and no next page");
	check(await page.locator("nav.pager a[rel=prev]").count() === 1, "but a previous one");
	check((await page.locator("p.folder-commit").innerText()).length > 0, "the folder's own last commit is shown");
} finally {
	await browser.close();
}
console.log(JSON.stringify({ ok: true, entries: paths.length }));
