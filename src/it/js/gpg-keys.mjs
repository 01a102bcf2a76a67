// Settings, GPG keys, and the badges they give signed commits, in Chromium as a user meets them: a private key
// pasted by mistake is refused and kept in the form; the public key is listed with its fingerprint; the commits
// page and a commit's page mark each signed commit Verified or Unverified, with the reason as the badge's title.
// Environment: HUB_URL, USER_NAME, USER_PASSWORD, REPO (with the commits below), PUBLIC_KEY, PRIVATE_KEY (paths),
// VERIFIED, AS_BOB, UNSIGNED (commit ids), CHROMIUM.

import { readFileSync } from "node:fs";
import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");

const browser = await launchChromium();
try {
	const page = await browser.newPage();
	await signIn(page, hub, env("USER_NAME"), env("USER_PASSWORD"));

	async function badge(sha) {
		const row = page.locator("ol.commit-list li", { has: page.locator(`a.sha[href$='${sha}']`) });
		const badges = row.locator(".signature");
		if (await badges.count() === 0) {
			return null;
		}
		return { text: await badges.innerText(), title: await badges.getAttribute("title") };
	}

	await page.goto(`${hub}/${env("REPO")}/commits/main`);
	const before = await badge(env("VERIFIED"));
	check(before && before.text === "Unverified" && before.title.includes("is not registered on this hub"),
		`before the key is added, the signed commit is unverified: ${JSON.stringify(before)}`);

	await page.goto(`${hub}/settings/gpg-keys`);
	check(await page.locator("nav.settings-tabs a[aria-current=page]").innerText() === "GPG keys", "the GPG keys tab");
	const privateKey = readFileSync(env("PRIVATE_KEY"), "utf8");
	await page.locator("#gpg-key").fill(privateKey);
	await page.locator("form.gpg-key-form button[type=submit]").click();
	await page.waitForLoadState();
	check((await page.locator(".form-error").innerText()).includes("That is a private key: never share it."),
		"a private key is refused, saying why");
	check(await page.locator("table.gpg-keys td.empty").count() === 1, "and nothing was added");

	await page.locator("#gpg-key").fill(readFileSync(env("PUBLIC_KEY"), "utf8"));
	await page.locator("form.gpg-key-form button[type=submit]").click();
	await page.waitForURL(`${hub}/settings/gpg-keys`);
	const row = await page.locator("table.gpg-keys tbody tr").innerText();
	check(row.includes("4A0B EDCB 9DF4 F0D6 27AD 7ABE 1373 F793 11AE 689C"), `the fingerprint is listed: ${row}`);
	check(row.includes("207FE878317835EC") && row.includes("alice@atrium.test"), `key ids and email: ${row}`);
	check(!row.includes("None is your email"), "the key's email is the account's");

	await page.goto(`${hub}/${env("REPO")}/commits/main`);
	const verified = await badge(env("VERIFIED"));
	check(verified && verified.text === "Verified" && verified.title === "Signed by alice with the key 207FE878317835EC",
		`the commit alice signed is verified: ${JSON.stringify(verified)}`);
	const asBob = await badge(env("AS_BOB"));
	check(asBob && asBob.text === "Unverified" && asBob.title.includes("the committer's email is not theirs"),
		`signed with alice's key but committed as bob: ${JSON.stringify(asBob)}`);
	check(await badge(env("UNSIGNED")) === null, "an unsigned commit has no badge");
	const color = await page.locator(".signature.verified").first().evaluate((e) => getComputedStyle(e).color);
	check(color === "rgb(26, 127, 55)", `the verified badge is green: ${color}`);

	await page.goto(`${hub}/${env("REPO")}/commit/${env("VERIFIED")}`);
	check(await page.locator("section.commit .signature.verified").innerText() === "Verified", "the commit's page too");
	console.log(JSON.stringify({ ok: true }));
} finally {
	await browser.close();
}
