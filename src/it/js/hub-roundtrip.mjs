// Round trip through the official @huggingface/hub JS client against a live Atrium.
//
// Environment: HUB_URL (Atrium base URL, no trailing slash), HF_TOKEN (write token, starts with hf_),
// REPO (model repo id, e.g. alice/js-model), WORKDIR (scratch directory); JS_USE_XET=0 to upload through LFS;
// HF_TOKEN_CONTRIBUTOR (optional: a read token of another user, who then opens a pull request with a file).
// The JS client ignores environment variables, so hubUrl and accessToken go on every call.
// Prints one JSON line; exits non-zero with a message on the first mismatch.

import { createHash, randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
	createBranch,
	createCollection,
	createRepo,
	deleteCollection,
	deleteRepo,
	downloadFile,
	fileExists,
	listCollections,
	listCommits,
	listFiles,
	listModels,
	repoExists,
	uploadFiles,
} from "@huggingface/hub";

const BIG_FILE_SIZE = 12 * 1024 * 1024;
const UNICODE_PATH = "docs/ünïcødé name ✓.txt";
const IGNORED_IN_COMPARISONS = new Set([".gitattributes"]); // Atrium's initial commit may add one

const started = Date.now();
let currentStep = "<start>";
let stepCount = 0;

class CheckFailed extends Error {}

function env(name) {
	const value = process.env[name];
	if (!value) {
		console.error(`FAIL: environment variable ${name} is required`);
		process.exit(2);
	}
	return value;
}

function step(name) {
	currentStep = name;
	stepCount++;
	console.error(`[${((Date.now() - started) / 1000).toFixed(2).padStart(7)}s] ${name}`);
}

function check(condition, message) {
	if (!condition) {
		throw new CheckFailed(message);
	}
}

function checkEqual(actual, expected, what) {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	check(a === e, `${what}: expected ${e}, got ${a}`);
}

function sha256(bytes) {
	return createHash("sha256").update(bytes).digest("hex");
}

async function collect(iterable) {
	const items = [];
	for await (const item of iterable) {
		items.push(item);
	}
	return items;
}

const hubUrl = env("HUB_URL").replace(/\/+$/, "");
const accessToken = env("HF_TOKEN");
const repoName = env("REPO");
const workdir = env("WORKDIR");
const repo = { type: "model", name: repoName };
const auth = { hubUrl, accessToken };
// JS_USE_XET=0 turns Xet off as a user would (useXet: false); unset, the client's default (Xet, when offered).
const transport = process.env.JS_USE_XET === "0" ? { useXet: false } : {};

async function main() {
	const files = new Map([
		["hello.txt", Buffer.from("hello from the JS client\n", "utf8")],
		[UNICODE_PATH, Buffer.from("unicode & space path ✓\n", "utf8")],
		["weights/random.bin", randomBytes(BIG_FILE_SIZE)],
	]);
	// Writing the fixtures keeps them inspectable after a failed run.
	for (const [path, bytes] of files) {
		const target = join(workdir, "upload", path);
		await mkdir(join(target, ".."), { recursive: true });
		await writeFile(target, bytes);
	}

	step("createRepo");
	const created = await createRepo({ repo, ...auth });
	check(typeof created.repoUrl === "string" && created.repoUrl.startsWith(hubUrl + "/"),
		`createRepo url ${created.repoUrl} is not on ${hubUrl}`);

	step("uploadFiles (commit 1: text file)");
	const first = await uploadFiles({
		repo,
		...auth,
		files: [{ path: "hello.txt", content: new Blob([files.get("hello.txt")]) }],
		commitTitle: "js: add hello",
	});
	check(/^[0-9a-f]{40}$/.test(first?.commit?.oid ?? ""), `commit oid is not a 40-hex sha: ${first?.commit?.oid}`);

	step("uploadFiles (commit 2: unicode name + 12 MB random file, through Xet or LFS)");
	const second = await uploadFiles({
		repo,
		...auth,
		...transport,
		files: [
			{ path: UNICODE_PATH, content: new Blob([files.get(UNICODE_PATH)]) },
			{ path: "weights/random.bin", content: new Blob([files.get("weights/random.bin")]) },
		],
		commitTitle: "js: add unicode and big file",
	});
	check(/^[0-9a-f]{40}$/.test(second?.commit?.oid ?? ""), `commit oid is not a 40-hex sha: ${second?.commit?.oid}`);
	check(second.commit.oid !== first.commit.oid, "second commit has the same oid as the first");

	step("downloadFile and compare sha256");
	for (const [path, bytes] of files) {
		const blob = await downloadFile({ repo, path, ...auth });
		check(blob !== null, `downloadFile(${path}) returned null (server said EntryNotFound)`);
		const downloaded = Buffer.from(await blob.arrayBuffer());
		checkEqual({ size: downloaded.length, sha256: sha256(downloaded) }, { size: bytes.length, sha256: sha256(bytes) },
			`downloadFile(${path})`);
	}
	const old = await downloadFile({ repo, path: "hello.txt", revision: first.commit.oid, ...auth });
	check(old !== null && Buffer.from(await old.arrayBuffer()).equals(files.get("hello.txt")),
		"downloadFile(hello.txt) at the first commit sha");
	check((await downloadFile({ repo, path: "missing.txt", ...auth })) === null,
		"downloadFile(missing.txt) must return null (404 with X-Error-Code: EntryNotFound)");

	step("listFiles (recursive)");
	const entries = await collect(listFiles({ repo, recursive: true, ...auth }));
	const filePaths = entries
		.filter((e) => e.type === "file" && !IGNORED_IN_COMPARISONS.has(e.path))
		.map((e) => e.path)
		.sort();
	checkEqual(filePaths, [...files.keys()].sort(), "listFiles file paths");
	const dirPaths = entries.filter((e) => e.type === "directory").map((e) => e.path).sort();
	checkEqual(dirPaths, ["docs", "weights"], "listFiles directory paths");
	const big = entries.find((e) => e.path === "weights/random.bin");
	check(big.lfs !== undefined, "weights/random.bin (12 MB) must be listed with lfs info");
	checkEqual({ size: big.size, lfsOid: big.lfs.oid, lfsSize: big.lfs.size },
		{ size: BIG_FILE_SIZE, lfsOid: sha256(files.get("weights/random.bin")), lfsSize: BIG_FILE_SIZE },
		"listFiles entry of weights/random.bin");
	const top = await collect(listFiles({ repo, ...auth }));
	checkEqual(top.map((e) => e.path).filter((p) => !IGNORED_IN_COMPARISONS.has(p)).sort(),
		["docs", "hello.txt", "weights"], "listFiles (non-recursive) paths");

	step("listCommits");
	const commits = await collect(listCommits({ repo, ...auth }));
	check(commits.length >= 2, `listCommits returned ${commits.length} commits, expected at least 2`);
	checkEqual(commits.slice(0, 2).map((c) => c.oid), [second.commit.oid, first.commit.oid],
		"listCommits order (newest first)");
	checkEqual(commits.slice(0, 2).map((c) => c.title), ["js: add unicode and big file", "js: add hello"],
		"listCommits titles");
	check(commits.every((c) => !Number.isNaN(c.date.getTime())), "listCommits dates must parse");
	check(commits[0].date.getTime() >= commits[1].date.getTime(), "newest commit must not be older than its parent");

	step("fileExists");
	check(await fileExists({ repo, path: "hello.txt", ...auth }), "fileExists(hello.txt) should be true");
	check(await fileExists({ repo, path: UNICODE_PATH, ...auth }), `fileExists(${UNICODE_PATH}) should be true`);
	check(!(await fileExists({ repo, path: "missing.txt", ...auth })), "fileExists(missing.txt) should be false");

	step("listModels: search, owner and the fields the JS client always asks for");
	const [owner, name] = repoName.split("/");
	const found = await collect(listModels({ search: { query: name, owner }, additionalFields: ["tags", "sha"], ...auth }));
	checkEqual(found.map((m) => m.name), [repoName], "listModels(search, owner) names");
	check(typeof found[0].id === "string" && found[0].id.length > 0, "listModels gives each model an id");
	check(!Number.isNaN(found[0].updatedAt.getTime()), "listModels updatedAt must parse");
	check(Array.isArray(found[0].tags), "listModels returns the requested tags");
	const everyModel = await collect(listModels({ search: { owner }, limit: 1000, ...auth }));
	check(everyModel.some((m) => m.name === repoName), "listModels(owner) lists the repo");

	step("createBranch: an empty branch holds only what is uploaded to it");
	await createBranch({ repo, branch: "convert", empty: true, ...auth });
	await uploadFiles({ repo, branch: "convert", files: [{ path: "data.txt", content: new Blob(["converted\n"]) }],
		...auth });
	const onBranch = (await collect(listFiles({ repo, revision: "convert", recursive: true, ...auth })))
		.filter((f) => f.type === "file").map((f) => f.path);
	checkEqual(JSON.stringify(onBranch), JSON.stringify(["data.txt"]), "files of the empty branch after an upload");
	const branchCommits = await collect(listCommits({ repo, revision: "convert", ...auth }));
	checkEqual(branchCommits.length, 2, "commits on it: its empty root and the upload");

	step("createCollection, listCollections, deleteCollection");
	const { slug } = await createCollection({ collection: { title: `Picks of ${repoName}`, namespace: owner,
		description: "from the JS client", private: false }, ...auth });
	check(slug.startsWith(`${owner}/picks-of-`), `the slug names the owner and the title: ${slug}`);
	const mine = await collect(listCollections({ search: { owner: [owner], q: "picks" }, ...auth }));
	checkEqual(JSON.stringify(mine.map((c) => c.slug)), JSON.stringify([slug]), "listCollections(owner, q)");
	checkEqual(`${mine[0].owner.name} ${mine[0].owner.type}`, `${owner} user`, "the owner, as an author object");
	check(!Number.isNaN(new Date(mine[0].lastUpdated).getTime()) && mine[0].theme && mine[0].upvotes === 0,
		"lastUpdated, theme and upvotes");
	await deleteCollection({ slug, ...auth });
	checkEqual((await collect(listCollections({ search: { owner: [owner] }, ...auth }))).length, 0,
		"listCollections after deleteCollection");

	step("createRepo with files: the initial commit holds them, and their .gitattributes replaces the default");
	const seeded = { type: "model", name: `${repoName}-seeded` };
	const attributes = "*.html filter=lfs diff=lfs merge=lfs -text";
	await createRepo({ repo: seeded, files: [{ path: ".gitattributes", content: new Blob([attributes]) },
		{ path: "docs/notes.txt", content: new Blob(["first notes\n"]) }], ...auth });
	checkEqual(await (await downloadFile({ repo: seeded, path: ".gitattributes", ...auth })).text(), attributes,
		".gitattributes of the seeded repo");
	checkEqual(await (await downloadFile({ repo: seeded, path: "docs/notes.txt", ...auth })).text(), "first notes\n",
		"docs/notes.txt of the seeded repo");
	checkEqual((await collect(listCommits({ repo: seeded, ...auth }))).length, 1, "commits of the seeded repo");
	let refused = null;
	try {
		await createRepo({ repo: { type: "model", name: `${repoName}-lfs-seeded` },
			files: [{ path: "model.bin", content: new Blob(["weights"]) }], ...auth });
	} catch (error) {
		refused = error;
	}
	check(refused?.statusCode === 400 && /LFS/.test(refused.message), `a file the defaults send to LFS: ${refused}`);
	check(!(await repoExists({ repo: { type: "model", name: `${repoName}-lfs-seeded` }, ...auth })),
		"nothing is created when a file is refused");
	await deleteRepo({ repo: seeded, ...auth });

	const contributor = process.env.HF_TOKEN_CONTRIBUTOR;
	if (contributor) {
		step("a user who may only read opens a pull request with a large file (through Xet unless turned off)");
		const proposed = randomBytes(3 * 1024 * 1024);
		const pr = await uploadFiles({ repo, hubUrl, accessToken: contributor, isPullRequest: true, ...transport,
			files: [{ path: "proposed.bin", content: new Blob([proposed]) }] });
		const num = pr.pullRequestUrl?.match(/\/discussions\/(\d+)$/)?.[1];
		check(num !== undefined, `the upload opened a pull request: ${JSON.stringify(pr)}`);
		const got = Buffer.from(await (await downloadFile({ repo, path: "proposed.bin", revision: `refs/pr/${num}`,
			...auth })).arrayBuffer());
		checkEqual(sha256(got), sha256(proposed), "proposed.bin on the pull request");
		check(!(await fileExists({ repo, path: "proposed.bin", ...auth })), "and not on main");
	}

	step("deleteRepo");
	check(await repoExists({ repo, ...auth }), "repoExists before delete should be true");
	await deleteRepo({ repo, ...auth });
	check(!(await repoExists({ repo, ...auth })), "repoExists after deleteRepo should be false");

	return { repo: repoName, commits: [second.commit.oid, first.commit.oid] };
}

try {
	const details = await main();
	console.log(JSON.stringify({ ok: true, ...details, steps: stepCount, seconds: (Date.now() - started) / 1000 }));
} catch (error) {
	const kind = error instanceof CheckFailed ? "check failed" : `${error?.name ?? "Error"}`;
	const status = error?.statusCode ? ` (HTTP ${error.statusCode})` : "";
	const message = `${kind}${status} during step '${currentStep}': ${error?.message ?? error}`;
	if (!(error instanceof CheckFailed)) {
		console.error(error?.stack ?? error);
	}
	console.error(`FAIL: ${message}`);
	console.log(JSON.stringify({ ok: false, error: message, steps: stepCount }));
	process.exit(1);
}
