// The site's administration page in Chromium: the administrator finds bob by email, deactivates him (bob's own
// browser is signed out), reactivates him and sets him a password, with which bob signs in; bob gets no admin page.
// Environment: HUB_URL, CHROMIUM, ADMIN_NAME, ADMIN_PASSWORD, BOB_PASSWORD, NEW_PASSWORD.

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");

const browser = await launchChromium();
try {
	const bob = await (await browser.newContext()).newPage();
	await signIn(bob, hub, "bob", env("BOB_PASSWORD"));
	check(await bob.locator("header a[href='/admin']").count() === 0, "bob's header has no admin link");
	check((await bob.goto(`${hub}/admin`)).status() === 404, "bob gets no admin page");

	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, hub, env("ADMIN_NAME"), env("ADMIN_PASSWORD"));
	await admin.locator("header a[href='/admin']").click();
	await admin.waitForURL(`${hub}/admin`);
	await admin.locator("#admin-q").fill("bob@");
	await admin.locator("form.admin-search button").click();
	await admin.waitForURL(/q=bob/);
	const row = admin.locator("tr[data-account=bob]");
	check(await admin.locator("tbody tr[data-account]").count() === 1, "the search finds bob alone");
	await row.locator("button", { hasText: "Deactivate" }).click();
	await admin.waitForURL(/admin\?q=bob/);
	check(await row.locator("td.state").innerText() === "deactivated", "bob is deactivated");
	await bob.goto(`${hub}/settings/profile`);
	check(bob.url().includes("/login"), `bob's session ended: ${bob.url()}`);

	await row.locator("button", { hasText: "Reactivate" }).click();
	await admin.waitForURL(/admin\?q=bob/);
	check(await row.locator("td.state").innerText() === "active", "bob is active again");
	await row.locator("summary", { hasText: "Set password" }).click();
	await row.locator("input[name=password]").fill(env("NEW_PASSWORD"));
	await row.locator("details form button").click();
	await admin.locator("p.notice").waitFor();
	check((await admin.locator("p.notice").innerText()).includes("Set the password of bob"), "the password is set");

	await signIn(bob, hub, "bob", env("NEW_PASSWORD"));
	check(await bob.locator("header a.viewer").innerText() === "bob", "bob signs in with the new password");
} finally {
	await browser.close();
}
console.log(JSON.stringify({ ok: true }));
