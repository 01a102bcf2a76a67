// Downloads files with the official @huggingface/hub client and prints their sha256, one JSON line.
//
// Environment: HUB_URL (Atrium base URL), HF_TOKEN, REPO (e.g. alice/xet-model, datasets/alice/data), REVISION
// (optional, e.g. refs/convert/parquet). Arguments: the paths to download.
// Used to check that files stored through Xet, or made by the hub, reach this client byte for byte.

import { createHash } from "node:crypto";
import { downloadFile } from "@huggingface/hub";

const auth = { hubUrl: process.env.HUB_URL, accessToken: process.env.HF_TOKEN };
const sums = {};
for (const path of process.argv.slice(2)) {
	const blob = await downloadFile({ repo: process.env.REPO, path, revision: process.env.REVISION, ...auth });
	if (blob === null) {
		console.error(`FAIL: downloadFile(${path}) returned null`);
		process.exit(1);
	}
	sums[path] = createHash("sha256").update(Buffer.from(await blob.arrayBuffer())).digest("hex");
}
console.log(JSON.stringify(sums));
