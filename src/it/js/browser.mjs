// What the scripts that drive a live Atrium share: required environment, and Debian's Chromium started as this
// machine needs it (no sandbox as root; no background connections, which the closed network refuses).

import { chromium } from "playwright-core";

export function env(name) {
	const value = process.env[name];
	if (!value) {
		console.error(`FAIL: environment variable ${name} is required`);
		process.exit(2);
	}
	return value;
}

export function launchChromium() {
	return chromium.launch({
		executablePath: env("CHROMIUM"),
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync"],
	});
}

// Stops the script with FAIL and the message unless the condition holds.
export function check(condition, message) {
	if (!condition) {
		console.error("FAIL: " + message);
		process.exit(1);
	}
}

// Signs in through the login form, as a person does, and waits for the home page it leads to.
export async function signIn(page, hub, name, password) {
	await page.goto(`${hub}/login`);
	await page.locator("#name").fill(name);
	await page.locator("#password").fill(password);
	await page.locator("main form button[type=submit]").click();
	await page.waitForURL(`${hub}/`);
}
