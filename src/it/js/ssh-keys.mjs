// Settings, SSH keys, in Chromium: a private key pasted by mistake is refused and not echoed back; the public key
// is listed with the fingerprint ssh-keygen prints; a repo's page offers the SSH clone command.
// Environment: HUB_URL, USER_NAME, USER_PASSWORD, PUBLIC_KEY (path), PRIVATE_KEY (path), FINGERPRINT, REPO,
// SSH_CLONE (the command expected), CHROMIUM.

import { readFileSync } from "node:fs";
import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");

const browser = await launchChromium();
try {
	const page = await browser.newPage();
	await signIn(page, hub, env("USER_NAME"), env("USER_PASSWORD"));

	await page.goto(`${hub}/settings/ssh-keys`);
	check((await page.locator("section.settings").innerText()).includes("git clone ssh://git@"),
		"the page says how to clone over SSH");
	await page.locator("#ssh-key-title").fill("work laptop");
	const privateKey = readFileSync(env("PRIVATE_KEY"), "utf8");
	await page.locator("#ssh-key").fill(privateKey);
	await page.locator("form.ssh-key-form button[type=submit]").click();
	await page.waitForLoadState();
	check((await page.locator(".form-error").innerText()).includes("That is a private key: never share it."),
		"a private key is refused, saying why");
	check(!(await page.content()).includes("PRIVATE KEY"), "and it is not sent back into the page");

	await page.locator("#ssh-key").fill(readFileSync(env("PUBLIC_KEY"), "utf8"));
	await page.locator("form.ssh-key-form button[type=submit]").click();
	await page.waitForURL(`${hub}/settings/ssh-keys`);
	const row = await page.locator("table.ssh-keys tbody tr").innerText();
	check(row.includes("work laptop") && row.includes(env("FINGERPRINT")) && row.includes("never"),
		`the key is listed with ssh-keygen's fingerprint, unused yet: ${row}`);

	await page.goto(`${hub}/${env("REPO")}`);
	await page.locator("details.clone summary").click();
	const commands = await page.locator("details.clone code").allInnerTexts();
	check(commands.includes(env("SSH_CLONE")) && commands.includes(`git clone ${hub}/${env("REPO")}`),
		`the repo page offers both clone commands: ${JSON.stringify(commands)}`);
	console.log(JSON.stringify({ ok: true }));
} finally {
	await browser.close();
}
