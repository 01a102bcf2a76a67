// A gated repo managed from its settings page, in Chromium: alice gates REPO with manual approval; bob asks on the
// repo page, answering the card's field; alice's header counts the request, her inbox leads to the settings, where
// bob waits for review with his answer; she accepts him, and he is listed as accepted.
// Environment: HUB_URL, CHROMIUM, REPO (alice's, with a card asking for "Company"), ALICE_PASSWORD, BOB_PASSWORD.

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const repo = env("REPO");

const browser = await launchChromium();
try {
	const alice = await (await browser.newContext()).newPage();
	await signIn(alice, hub, "alice", env("ALICE_PASSWORD"));
	await alice.goto(`${hub}/${repo}/settings`);
	check(await alice.locator("#gate-mode").inputValue() === "off", "the repo starts open");
	await alice.locator("#gate-mode").selectOption("manual");
	await alice.locator("form.gate-mode button[type=submit]").click();
	await alice.waitForURL(`**/${repo}/settings#gated-title`);
	check(await alice.locator("#gate-mode").inputValue() === "manual", "the gate is saved");

	const bob = await (await browser.newContext()).newPage();
	await signIn(bob, hub, "bob", env("BOB_PASSWORD"));
	await bob.goto(`${hub}/${repo}`);
	await bob.locator("section.gate input[name=Company]").fill("Acme Labs");
	await bob.locator("section.gate button[type=submit]").click();
	await bob.locator("section.gate .notice").waitFor();
	check((await bob.locator("section.gate .notice").innerText()).includes("waiting"), "bob's request waits");

	await alice.goto(`${hub}/`);
	check(await alice.locator("header .inbox .count").innerText() === "1", "alice's header counts the request");
	await alice.goto(`${hub}/notifications`);
	const line = alice.locator("ul.notification-list li.unread", { hasText: "Access requests to review" });
	check((await line.innerText()).includes("last by bob"), `the inbox names who asked: ${await line.innerText()}`);
	await line.locator("a").click();
	await alice.waitForURL(`**/${repo}/settings#gated-title`);
	check(await alice.locator("header .inbox .count").count() === 0, "the settings page read the notification");
	check((await alice.locator("h3", { hasText: "Waiting for review" }).innerText()).includes("(1)"),
		"the heading counts who waits");
	const pending = alice.locator("table.access-requests.pending tr", { hasText: "bob" });
	check((await pending.innerText()).includes("Company: Acme Labs"), `bob's answer is shown: ${await pending.innerText()}`);
	check((await pending.innerText()).includes("bob@"), "with the email he shared by asking");
	await pending.locator("button", { hasText: "Accept" }).click();
	await alice.waitForURL(`**/${repo}/settings#gated-title`);
	check(await alice.locator("table.access-requests.accepted tr", { hasText: "bob" }).count() === 1, "bob is accepted");
	check(await alice.locator("table.access-requests.pending").count() === 0, "nobody waits");
} finally {
	await browser.close();
}
console.log(JSON.stringify({ ok: true }));
