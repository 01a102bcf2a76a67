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
