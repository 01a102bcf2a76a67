// ClamAV's verdicts as the official JS client and a visitor in Chromium see them, on a repo antivirus_scan.py filled
// (EICAR in eicar.com, clean bytes in clean.bin) on a hub running with --clamd.
//
// Environment: HUB_URL, HF_TOKEN, REPO, CHROMIUM, ARTIFACTS. Prints one JSON line; exits non-zero at the first
// failed check.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { listFiles } from "@huggingface/hub";
import { env, launchChromium } from "./browser.mjs";

const HUB_URL = env("HUB_URL");
const REPO = env("REPO");
const ARTIFACTS = env("ARTIFACTS");
const credentials = { accessToken: env("HF_TOKEN") };

let step = "<start>";
const checks = [];

function check(condition, message) {
	if (!condition) throw new Error(`${step}: ${message}`);
	checks.push(`${step}: ${message}`);
}

async function main() {
	step = "listFiles with expand";
	const files = {};
	for await (const f of listFiles({ repo: REPO, hubUrl: HUB_URL, credentials, recursive: true, expand: true })) {
		files[f.path] = f;
	}
	const eicar = files["eicar.com"].securityFileStatus;
	check(eicar.status === "unsafe" && eicar.avScan.virusFound === true, `EICAR: ${JSON.stringify(eicar)}`);
	const clean = files["clean.bin"].securityFileStatus;
	check(clean.status === "safe" && clean.avScan.virusFound === false, `clean: ${JSON.stringify(clean)}`);

	await mkdir(ARTIFACTS, { recursive: true });
	const browser = await launchChromium();
	try {
		const page = await browser.newPage();
		step = "the repo page";
		await page.goto(`${HUB_URL}/${REPO}`);
		const warning = await page.locator(".pickle-warning").textContent();
		check(warning.includes("Security scan") && /eicar\.com: virus found \(Eicar-Test-Signature/.test(warning),
			`the sidebar names the infected file and what was found: ${warning}`);
		check(!warning.includes("clean.bin"), "and not the clean one");

		step = "the file list";
		await page.goto(`${HUB_URL}/${REPO}/tree/main`);
		check(await page.locator("tr", { hasText: "eicar.com" }).locator(".badge", { hasText: "Virus" }).count() === 1,
			"the infected file has a Virus badge");
		check(await page.locator("tr", { hasText: "clean.bin" }).locator(".badge", { hasText: "Virus" }).count() === 0,
			"the clean file has none");

		step = "the file page";
		await page.locator("a", { hasText: "eicar.com" }).click();
		check((await page.locator("#virus-scan-title").textContent()).includes("virus found"), "says virus found");
		check((await page.locator(".virus-infected").textContent()).includes("Eicar-Test-Signature"),
			"and names the signature");
		await page.screenshot({ path: join(ARTIFACTS, "antivirus-file.png"), fullPage: true });
		await page.goto(`${HUB_URL}/${REPO}/blob/main/clean.bin`);
		check((await page.locator("#virus-scan-title").textContent()).includes("no virus found"), "clean: no virus");
		check((await page.locator("#pickle-scan-title").textContent()).includes("safe"),
			"its pickle scan is shown beside it");
	} finally {
		await browser.close();
	}
	console.log(JSON.stringify({ ok: true, checks }));
}

main().catch((e) => {
	console.error(`FAIL at ${step}: ${e.stack || e}`);
	process.exit(1);
});
