import { chromium } from "playwright-core";
const base = "http://localhost:18200";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base + "/login");
await page.fill("input[name=username], input[name=name]", "alice").catch(()=>{});
await page.fill("input[name=password]", "alice-password-1");
await Promise.all([page.waitForNavigation(), page.click("button[type=submit], input[type=submit]")]);
const pages = process.argv.slice(2);
for (const p of pages) {
  await page.goto(base + p, { waitUntil: "networkidle" });
  const name = p.replace(/[^a-z0-9]+/gi, "_") || "home";
  await page.screenshot({ path: `/tmp/demo/shot${name}.png`, fullPage: true });
  console.log(name);
}
await browser.close();
