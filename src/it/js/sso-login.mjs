// Logging in through Keycloak (OpenID Connect) in Chromium, as a person does: the login page's button, Keycloak's
// own form, back to the hub signed in. STEP=first: a first login makes the account (no password, the verified
// email), a logout ends Keycloak's session too, a second login finds the same account; a callback link taken to another browser signs nobody in, while the
// browser that started it finishes; a token made in the settings is printed for the real clients. An account with a
// password and the same, unverified, email is not joined by a login, but connects Keycloak from its profile and
// then logs in with it. STEP=unlink: a site administrator unlinks the account from Keycloak on /admin. STEP=again:
// a login in a fresh browser opens the same account (its session cookie printed). STEP=refused: the deactivated account's login is refused.
// Environment: HUB_URL, STEP, KC_USER, KC_PASSWORD, KC_OTHER_USER, KC_OTHER_PASSWORD, OTHER_NAME,
// OTHER_PASSWORD, ADMIN_NAME, ADMIN_PASSWORD, CHROMIUM.

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");

async function keycloakLogin(page, user, password) {
	await page.locator("#username").waitFor();
	await page.locator("#username").fill(user);
	await page.locator("#password").fill(password);
	await page.locator("#kc-login").click();
}

async function ssoLogin(page, user, password) {
	await page.goto(`${hub}/login`);
	await page.getByRole("link", { name: "Log in with Keycloak" }).click();
	await keycloakLogin(page, user, password);
	await page.waitForURL((url) => url.toString().startsWith(hub));
	await page.waitForLoadState();
}

async function profileOf(page) {
	await page.goto(`${hub}/settings/profile`);
	return {
		url: page.url(),
		name: await page.locator("#username").inputValue(),
		email: await page.locator("#email").inputValue(),
		emailState: await page.locator("#email-state").innerText(),
		noPassword: await page.locator("#no-password").count() > 0,
		sso: await page.locator("#sso-state").innerText(),
	};
}

const browser = await launchChromium();
try {
	if (env("STEP") === "first") {
		const ada = await (await browser.newContext()).newPage();
		await ssoLogin(ada, env("KC_USER"), env("KC_PASSWORD"));
		check(ada.url() === `${hub}/`, `the login ends on the home page: ${ada.url()}`);
		const made = await profileOf(ada);
		check(made.name === env("KC_USER"), `the account is named after the Keycloak user: ${made.name}`);
		check(made.emailState === "Verified.", `Keycloak verified the email: ${made.emailState}`);
		check(made.noPassword, "the account has no password");
		check(made.sso.startsWith("Connected to Keycloak as "), made.sso);

		await ada.goto(`${hub}/settings/tokens`);
		await ada.locator("#token-name").fill("from-sso");
		await ada.locator("#token-role").selectOption("write");
		await ada.locator("form[action='/settings/tokens'] button[type=submit]").click();
		await ada.waitForLoadState();
		const token = await ada.locator("#new-token").innerText();

		// Logged out: a session begun through Keycloak ends Keycloak's too (the logout page moves on to Keycloak's
		// logout, which comes back to the hub), so the next login shows Keycloak's form again. From a page that
		// wants a login, the login leads back to it.
		await ada.locator("form[action='/logout'] button").click();
		await ada.waitForURL(`${hub}/`);
		check(await ada.locator("form[action='/logout']").count() === 0, "signed out of the hub");
		await ada.goto(`${hub}/settings/tokens`);
		check(ada.url().startsWith(`${hub}/login?next=`), `a page that wants a login sends there: ${ada.url()}`);
		await ada.getByRole("link", { name: "Log in with Keycloak" }).click();
		await keycloakLogin(ada, env("KC_USER"), env("KC_PASSWORD"));
		await ada.waitForURL(`${hub}/settings/tokens`);
		const again = await profileOf(ada);
		check(again.name === made.name, `the second login opens the same account: ${again.name}`);

		// A callback link opened in a browser that did not start the login signs nobody in there.
		const starter = await (await browser.newContext()).newPage();
		let callback = null;
		// Keycloak's answer to its login form redirects to the callback: taken here, not followed.
		await starter.route("**/login-actions/authenticate**", async (route) => {
			const answer = await route.fetch({ maxRedirects: 0 });
			callback = answer.headers()["location"];
			await route.fulfill({ status: 200, contentType: "text/plain", body: "stopped before the callback" });
		});
		await starter.goto(`${hub}/login`);
		await starter.getByRole("link", { name: "Log in with Keycloak" }).click();
		await keycloakLogin(starter, env("KC_USER"), env("KC_PASSWORD"));
		await starter.waitForLoadState();
		check(callback !== null && callback.startsWith(`${hub}/login/sso/callback?`),
			`Keycloak sends the browser back to the callback: ${callback}`);
		// That browser has a login of its own under way (at Keycloak's form): its state is not the link's.
		const stranger = await (await browser.newContext()).newPage();
		await stranger.goto(`${hub}/login`);
		await stranger.getByRole("link", { name: "Log in with Keycloak" }).click();
		await stranger.locator("#username").waitFor();
		check((await stranger.context().cookies(`${hub}/login/sso/callback`)).some((c) => c.name === "atrium_sso"),
			"the stranger's own login is under way");
		const refused = await stranger.goto(callback);
		check(refused.status() === 400, `another browser's callback is refused: ${refused.status()}`);
		check((await stranger.locator("main").innerText()).includes("not started in this browser"),
			"and says why");
		await stranger.goto(`${hub}/settings/profile`);
		check(stranger.url().startsWith(`${hub}/login`), `that browser is not signed in: ${stranger.url()}`);
		const finished = await starter.goto(callback);
		check(finished.ok() && starter.url() === `${hub}/`, `the starting browser finishes: ${starter.url()}`);
		check((await profileOf(starter)).name === made.name, "as the same account");

		// Someone with a password account and the same, unverified, email: a login does not join them.
		const bob = await (await browser.newContext()).newPage();
		await ssoLogin(bob, env("KC_OTHER_USER"), env("KC_OTHER_PASSWORD"));
		check((await bob.locator("main").innerText()).includes("Log in to it with its password, then connect Keycloak"),
			`the login says what to do: ${await bob.locator("main").innerText()}`);
		await signIn(bob, hub, env("OTHER_NAME"), env("OTHER_PASSWORD"));
		const forged = await bob.goto(`${hub}/settings/sso/connect`);
		check(forged.status() === 403, `a connect link without the session's token does nothing: ${forged.status()}`);
		const before = await profileOf(bob);
		check(before.sso.startsWith("Not connected"), before.sso);
		// Keycloak knows bob in this browser already: it sends him straight back, to the profile.
		const back = bob.waitForResponse((r) => r.url().startsWith(`${hub}/login/sso/callback?`));
		await bob.getByRole("link", { name: "Connect Keycloak" }).click();
		check((await back).status() === 303, `the callback connects: ${(await back).status()}`);
		await bob.waitForURL(`${hub}/settings/profile`);
		const after = await profileOf(bob);
		check(after.sso.startsWith("Connected to Keycloak as "), after.sso);
		// His session began with his password: logging out of the hub leaves Keycloak's session, which lets him
		// straight back in.
		await bob.locator("form[action='/logout'] button").click();
		await bob.waitForURL(`${hub}/`);
		await bob.goto(`${hub}/login`);
		await bob.getByRole("link", { name: "Log in with Keycloak" }).click();
		await bob.waitForURL(`${hub}/`);
		check((await profileOf(bob)).name === env("OTHER_NAME"), "Keycloak now opens the password account");
		console.log(JSON.stringify({ ok: true, token }));
	} else if (env("STEP") === "unlink") {
		// A site administrator finds the account listed as signing in by SSO and unlinks it.
		const admin = await (await browser.newContext()).newPage();
		await signIn(admin, hub, env("ADMIN_NAME"), env("ADMIN_PASSWORD"));
		await admin.goto(`${hub}/admin?q=${env("KC_USER")}`);
		const row = admin.locator(`tr[data-account='${env("KC_USER")}']`);
		check((await row.locator(".badge").allInnerTexts()).includes("SSO"), "the account is marked SSO");
		await row.getByRole("button", { name: `Unlink ${env("KC_USER")} from single sign-on` }).click();
		await admin.waitForLoadState();
		const notice = await admin.locator(".notice").innerText();
		check(notice.startsWith(`Unlinked ${env("KC_USER")} from the identity provider`), notice);
		await admin.goto(`${hub}/admin?q=${env("KC_USER")}`);
		check(!(await row.locator(".badge").allInnerTexts()).includes("SSO"), "no longer marked SSO");
		console.log(JSON.stringify({ ok: true }));
	} else if (env("STEP") === "again") {
		const ada = await (await browser.newContext()).newPage();
		await ssoLogin(ada, env("KC_USER"), env("KC_PASSWORD"));
		check((await profileOf(ada)).name === env("KC_USER"), "the same account again");
		// The session's cookie, for the test to see it ended when Keycloak's session ends (back-channel logout).
		const session = (await ada.context().cookies(hub)).find((c) => c.name === "atrium_session").value;
		console.log(JSON.stringify({ ok: true, session }));
	} else {
		const ada = await (await browser.newContext()).newPage();
		await ssoLogin(ada, env("KC_USER"), env("KC_PASSWORD"));
		check((await ada.locator("main").innerText()).includes("This account is deactivated"),
			`a deactivated account's login is refused: ${await ada.locator("main").innerText()}`);
		await ada.goto(`${hub}/settings/profile`);
		check(ada.url().startsWith(`${hub}/login`), "and nobody is signed in");
		console.log(JSON.stringify({ ok: true }));
	}
} finally {
	await browser.close();
}
