// A Space's app settings in Chromium, as its owner uses them: the stage, the app's output, variables and secrets
// (a secret's value never shown again), a name the hub refuses, pause and resume, its hardware.
// Environment: HUB_URL, SPACE (a Streamlit Space that has run), USER_NAME, USER_PASSWORD, CHROMIUM.

import { env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const space = env("SPACE");

function fail(message) {
	console.error("FAIL: " + message);
	process.exit(1);
}

function check(condition, message) {
	if (!condition) {
		fail(message);
	}
}

const browser = await launchChromium();
try {
	const page = await browser.newPage();
	await signIn(page, hub, env("USER_NAME"), env("USER_PASSWORD"));

	await page.goto(`${hub}/spaces/${space}/settings`);
	check(await page.locator(".space-stage-name").innerText() === "RUNNING", "the app runs");
	check((await page.locator(".space-log").innerText()).includes("You can now view your Streamlit app"),
		"the app's output is shown");

	async function save(name, value, kind) {
		await page.locator("#variable-name").fill(name);
		await page.locator("#variable-value").fill(value);
		await page.locator(`input[type=radio][name=kind][value=${kind}]`).check();
		await page.locator("form:has(#variable-name) button[type=submit]").click();
		await page.waitForLoadState();
	}

	await save("COLOR", "blue", "variable");
	const rows = page.locator("table.space-variables tbody tr");
	check((await rows.allInnerTexts()).some((r) => r.includes("COLOR") && r.includes("blue")), "the variable is listed");
	check(await page.locator(".space-stage-name").innerText() === "SLEEPING", "a change stops the app until its next visit");

	await save("SIGNING_KEY", "very-secret-value", "secret");
	check((await rows.allInnerTexts()).some((r) => r.includes("SIGNING_KEY") && r.includes("secret")),
		"the secret is listed");
	check(!(await page.content()).includes("very-secret-value"), "a secret's value is never shown");

	await save("PATH", "/evil", "variable");
	check((await page.locator(".form-error").innerText()).includes("PATH is set by the hub"), "a refused name says why");

	await page.goto(`${hub}/spaces/${space}/settings`);
	await page.locator("form[action$='/settings/space/pause'] button").click();
	await page.waitForLoadState();
	check(await page.locator(".space-stage-name").innerText() === "PAUSED", "paused");
	await page.locator("form[action$='/settings/space/restart'] button").click();
	await page.waitForLoadState();
	check(await page.locator(".space-stage-name").innerText() === "SLEEPING", "resumed: it starts at its next visit");

	check(await page.locator("#space-flavor").inputValue() === "cpu-basic", "it runs on the default hardware");
	await page.locator("#space-flavor").selectOption("cpu-upgrade");
	await page.locator("form.space-hardware button[type=submit]").click();
	await page.waitForLoadState();
	check(await page.locator("#space-flavor").inputValue() === "cpu-upgrade", "the hardware chosen is kept");
	const runtime = await (await fetch(`${hub}/api/spaces/${space}/runtime`)).json();
	check(runtime.hardware.requested === "cpu-upgrade", "and is the runtime's: " + JSON.stringify(runtime.hardware));
	await page.locator("#space-flavor").selectOption("cpu-basic");
	await page.locator("form.space-hardware button[type=submit]").click();
	await page.waitForLoadState();

	await page.locator("button[aria-label='Delete COLOR']").click();
	await page.waitForLoadState();
	check(!(await rows.allInnerTexts()).some((r) => r.includes("COLOR")), "the variable is deleted");
	console.log(JSON.stringify({ ok: true, space }));
} finally {
	await browser.close();
}
