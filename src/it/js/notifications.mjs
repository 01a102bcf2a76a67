// Inboxes after notifications.py: alice (the repo's owner) has bob's discussion unread, and reading it clears the
// header's count; bob has alice's answer to his thread, never her private thread that mentions him; carol, who was
// mentioned, has bob's thread too.
// Environment: HUB_URL, CHROMIUM, PASSWORDS (JSON: alice, bob and carol's).

import { check, env, launchChromium, signIn } from "./browser.mjs";

const hub = env("HUB_URL");
const passwords = JSON.parse(env("PASSWORDS"));

async function inbox(browser, user) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, hub, user, passwords[user]);
	await page.goto(`${hub}/notifications`);
	const items = await page.locator("ul.notification-list li:not(.empty)").evaluateAll((lis) => lis.map((li) => ({
		unread: li.classList.contains("unread"), text: li.innerText, href: li.querySelector("a")?.getAttribute("href"),
	})));
	const count = await page.locator("header .inbox .count").count() === 0 ? 0
		: Number(await page.locator("header .inbox .count").innerText());
	return { context, page, items, count };
}

const browser = await launchChromium();
try {
	const alice = await inbox(browser, "alice");
	check(alice.count === 1, `alice's header counts 1 unread, not ${alice.count}`);
	check(alice.items.length === 1 && alice.items[0].unread && alice.items[0].text.includes("Typo in the card")
		&& alice.items[0].text.includes("On your repo"), `alice's inbox: ${JSON.stringify(alice.items)}`);
	check(!alice.items.some((i) => i.text.includes("Private plans")), "her own thread is not news to her");
	await alice.page.locator("ul.notification-list li a", { hasText: "Typo in the card" }).click();
	await alice.page.waitForURL("**/alice/notes/discussions/1");
	check(await alice.page.locator("header .inbox .count").count() === 0, "reading the thread clears the count");
	await alice.page.goto(`${hub}/notifications`);
	check(await alice.page.locator("ul.notification-list li.read", { hasText: "Typo in the card" }).count() === 1,
		"and it is listed as read");

	const bob = await inbox(browser, "bob");
	check(bob.count === 1 && bob.items.length === 1 && bob.items[0].text.includes("Typo in the card")
		&& bob.items[0].text.includes("You took part") && bob.items[0].text.includes("last by alice"),
		`bob has alice's answer: ${JSON.stringify(bob.items)}`);
	check(!bob.items.some((i) => i.text.includes("Private plans")), "but not the private thread that mentions him");
	await bob.page.locator("form[action='/notifications/read-all'] button").click();
	await bob.page.waitForURL(`${hub}/notifications`);
	check(await bob.page.locator("header .inbox .count").count() === 0, "mark all as read clears the count");

	const carol = await inbox(browser, "carol");
	check(carol.count === 1 && carol.items[0].text.includes("You were mentioned"),
		`carol was mentioned: ${JSON.stringify(carol.items)}`);
} finally {
	await browser.close();
}
console.log(JSON.stringify({ ok: true }));
