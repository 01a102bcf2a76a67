// A Streamlit Space in Chromium, as a visitor sees it: the app framed in the Space's page, rendered by Streamlit's
// frontend over its WebSocket through the hub, answering input, taking an upload (byte for byte), and unable to
// see the hub's data. Environment: HUB_URL, SPACE, EXPECT_TITLE, EXPECT_LINES (lines the app shows, separated by
// "|"), CHROMIUM, UPLOAD (a file to upload), UPLOAD_SHA256; with ONLY_SHOWS=1, only that the app shows EXPECT_TITLE.

import { env, launchChromium } from "./browser.mjs";

const hub = env("HUB_URL");
const space = env("SPACE");
const title = env("EXPECT_TITLE");

function fail(message) {
	console.error("FAIL: " + message);
	process.exit(1);
}

const browser = await launchChromium();
try {
	const page = await browser.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(e.message));
	const sockets = [];
	page.on("websocket", (ws) => sockets.push(ws.url()));
	await page.goto(`${hub}/spaces/${space}`);
	const app = page.frameLocator("iframe");
	await app.getByText(title).waitFor({ timeout: 60000 });
	const hardware = await page.locator(".space-hardware").innerText();
	if (!hardware.includes("Runs on CPU Basic")) {
		fail(`the page says what the app runs on: ${hardware}`);
	}
	if (process.env.ONLY_SHOWS === "1") {
		if (errors.length > 0) {
			fail(`errors on the page: ${errors}`);
		}
		console.log(JSON.stringify({ ok: true, space, title }));
		process.exit(0);
	}
	// Streamlit draws the script's output as it runs: the input comes after every line checked below.
	await app.getByLabel("Your name").waitFor({ timeout: 30000 });
	const text = await app.locator("body").innerText();
	for (const expected of env("EXPECT_LINES").split("|")) {
		if (!text.includes(expected)) {
			fail(`the app shows "${expected}": ${text}`);
		}
	}
	if (!sockets.some((url) => url.startsWith(hub.replace(/^http/, "ws") + `/spaces/${space}/app/`))) {
		fail(`the app's WebSocket goes through the hub: ${sockets}`);
	}

	await app.getByLabel("Your name").fill("Ada");
	await app.getByLabel("Your name").press("Enter");
	await app.getByText("Hi Ada!").waitFor({ timeout: 30000 });

	await app.locator("input[type=file]").setInputFiles(env("UPLOAD"));
	await app.getByText("sha256 " + env("UPLOAD_SHA256")).waitFor({ timeout: 30000 });

	// The app's frame is an origin of its own: it cannot read the hub's pages with the visitor's session.
	const framed = page.frames().find((f) => f.url().includes(`/spaces/${space}/app/`));
	const origin = await framed.evaluate(() => window.origin);
	if (origin !== "null") {
		fail(`the app runs in an opaque origin, not ${origin}`);
	}
	if (errors.length > 0) {
		fail(`errors on the page: ${errors}`);
	}
	console.log(JSON.stringify({ ok: true, space, title }));
} finally {
	await browser.close();
}
