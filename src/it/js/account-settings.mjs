// Account settings in Chromium: a password change needs the current password and signs the account out of its
// other sessions (a second browser, here); the old password stops working, the new one signs in; an email another
// account has is refused. Environment: HUB_URL, USER_NAME, USER_PASSWORD, NEW_PASSWORD, OTHER_EMAIL, CHROMIUM.

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const name = env("USER_NAME");

const browser = await launchChromium();
try {
	const here = await (await browser.newContext()).newPage();
	const elsewhere = await (await browser.newContext()).newPage();
	await signIn(here, hub, name, env("USER_PASSWORD"));
	await signIn(elsewhere, hub, name, env("USER_PASSWORD"));

	await here.goto(`${hub}/settings/profile`);
	await here.locator("#current-password").fill("not-the-password");
	await here.locator("#new-password").fill(env("NEW_PASSWORD"));
	await here.locator("form.password-form button[type=submit]").click();
	await here.waitForLoadState();
	check((await here.locator(".form-error").innerText()).includes("The current password is not right"),
		"a wrong current password changes nothing");

	await here.locator("#current-password").fill(env("USER_PASSWORD"));
	await here.locator("#new-password").fill(env("NEW_PASSWORD"));
	await here.locator("form.password-form button[type=submit]").click();
	await here.waitForLoadState();
	const notice = await here.locator(".notice").innerText();
	check(notice === "Password changed. Signed out elsewhere: 1 session.", `the change is confirmed: ${notice}`);

	await elsewhere.goto(`${hub}/settings/profile`);
	check(elsewhere.url().startsWith(`${hub}/login`), `the other browser is signed out: ${elsewhere.url()}`);
	await elsewhere.locator("#name").fill(name);
	await elsewhere.locator("#password").fill(env("USER_PASSWORD"));
	await elsewhere.locator("main form button[type=submit]").click();
	await elsewhere.waitForLoadState();
	check((await elsewhere.locator(".form-error").innerText()).includes("Wrong name or password."),
		"the old password no longer signs in");
	await signIn(elsewhere, hub, name, env("NEW_PASSWORD"));

	await here.goto(`${hub}/settings/profile`);
	check(await here.locator("#username").inputValue() === name, "this browser stays signed in");
	await here.locator("#email").fill(env("OTHER_EMAIL"));
	await here.locator("form[action='/settings/profile'] button[type=submit]").click();
	await here.waitForLoadState();
	check((await here.locator(".form-error").innerText()).includes("This email belongs to another account."),
		"another account's email is refused");
	console.log(JSON.stringify({ ok: true }));
} finally {
	await browser.close();
}
