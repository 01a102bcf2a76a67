// Mail, second half (AccountsIT): the links the hub mailed to erin. The verification link verifies her address; the
// reset link lets her choose a new password, which signs out her other browser; the link does not work twice; she
// logs in with the new password, and turns the mailing of her notifications off and on again.
// Environment: HUB_URL, CHROMIUM, STATE (erin's browser from the first half), VERIFY_LINK, RESET_LINK, NEW_PASSWORD.

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const browser = await launchChromium();
try {
	const before = await (await browser.newContext({ storageState: env("STATE") })).newPage();
	await before.goto(`${hub}/settings/profile`);
	check(before.url() === `${hub}/settings/profile`, "erin's first browser is still signed in");

	const page = await (await browser.newContext()).newPage();
	await page.goto(env("VERIFY_LINK"));
	check((await page.locator("main").innerText()).includes("erin@atrium.test is verified"),
		`the link verifies the address: ${await page.locator("main").innerText()}`);

	await page.goto(env("RESET_LINK"));
	check(await page.locator("#name").inputValue() === "erin", "the reset form names the account");
	await page.locator("#password").fill(env("NEW_PASSWORD"));
	await page.locator("main form button[type=submit]").click();
	await page.locator("p.notice").waitFor();
	check((await page.locator("p.notice").innerText()).includes("Your password is changed"), "the password is changed");

	await before.goto(`${hub}/settings/profile`);
	check(before.url().includes("/login"), `erin's first browser is signed out: ${before.url()}`);

	const again = await page.goto(env("RESET_LINK"));
	check(again.status() === 404 && (await page.locator("main").innerText()).includes("expired or was used"),
		"the link works once");

	await signIn(page, hub, "erin", env("NEW_PASSWORD"));
	await page.goto(`${hub}/settings/profile`);
	check((await page.locator("#email-state").innerText()) === "Verified.", "her profile says the address is verified");
	check(await page.locator("button", { hasText: "Send the verification link again" }).count() === 0,
		"and offers no link any more");

	await page.goto(`${hub}/notifications`);
	check(await page.locator("#mail-state").innerText() === "News is also mailed to you.", "notifications are mailed");
	await page.locator("form.mail-setting button").click();
	await page.waitForURL(`${hub}/notifications`);
	check(await page.locator("#mail-state").innerText() === "Not mailed to you.", "she turns the mails off");
	await page.locator("form.mail-setting button").click();
	await page.waitForURL(`${hub}/notifications`);
	check(await page.locator("#mail-state").innerText() === "News is also mailed to you.", "and on again");
} finally {
	await browser.close();
}
console.log("mail, second half: ok");
