// Mail, first half (AccountsIT): erin signs up in Chromium, which mails her a link to verify her address; her
// profile says it is not verified yet. Then, in another browser, someone asks for a password reset for "erin" and
// for an account that does not exist: both get the same answer. erin's first browser stays signed in; its state is
// saved for the second half, which checks that choosing a new password signs it out.
// Environment: HUB_URL, CHROMIUM, PASSWORD, STATE (file to save erin's browser to).

import { check, env, launchChromium } from "./browser.mjs";

const hub = env("HUB_URL");
const browser = await launchChromium();
try {
	const context = await browser.newContext();
	const erin = await context.newPage();
	await erin.goto(`${hub}/join`);
	await erin.locator("#name").fill("erin");
	await erin.locator("#email").fill("erin@atrium.test");
	await erin.locator("#password").fill(env("PASSWORD"));
	await erin.locator("main form button[type=submit]").click();
	await erin.waitForURL(`${hub}/`);
	await erin.goto(`${hub}/settings/profile`);
	check((await erin.locator("#email-state").innerText()).includes("Not verified yet"),
		`the profile says the address is not verified: ${await erin.locator("#email-state").innerText()}`);
	check(await erin.locator("button", { hasText: "Send the verification link again" }).count() === 1,
		"and offers to send the link again");
	await context.storageState({ path: env("STATE") });

	const stranger = await (await browser.newContext()).newPage();
	await stranger.goto(`${hub}/login`);
	await stranger.locator("a", { hasText: "Forgot your password?" }).click();
	await stranger.waitForURL(`${hub}/forgot-password`);
	const answers = [];
	for (const who of ["erin", "nobody-here"]) {
		await stranger.goto(`${hub}/forgot-password`);
		await stranger.locator("#who").fill(who);
		await stranger.locator("main form button[type=submit]").click();
		answers.push(await stranger.locator("p.notice").innerText());
	}
	check(answers[0].includes("is on its way") && answers[0] === answers[1],
		`an account and no account get the same answer: ${JSON.stringify(answers)}`);
} finally {
	await browser.close();
}
console.log("mail, first half: ok");
