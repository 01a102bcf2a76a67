"""The `hf` command line (huggingface_hub's CLI) against Atrium, as a user types it: repos, uploads (large files
through Xet), downloads, branches, tags, discussions, settings, moves, copies, deletes; JSON output where it has one.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write). Prints one JSON line.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

HF = os.path.join(os.path.dirname(sys.executable), "hf")


def hf(*args, ok=True):
    """Runs `hf` with the arguments; its standard output, after checking the exit code is what `ok` says."""
    done = subprocess.run([HF, *args], capture_output=True, text=True, timeout=300, check=False)
    if ok and done.returncode != 0:
        raise it.CheckFailed("hf %s exited %d: %s%s" % (" ".join(args), done.returncode, done.stdout, done.stderr))
    if not ok and done.returncode == 0:
        raise it.CheckFailed("hf %s should have failed: %s" % (" ".join(args), done.stdout))
    return done.stdout


def hf_json(*args):
    return json.loads(hf(*args, "--format", "json"))


def files_of(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts and p.name != ".gitattributes"}


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)

    it.step("hf auth whoami")
    it.check_equal(hf_json("auth", "whoami")["user"], "alice", "the token's user")

    it.step("hf repos create, hf upload of a folder with a large file, hf download: the same bytes")
    hf("repos", "create", "alice/cli-model")
    folder = work / "upload"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("hello from the command line\n")
    (folder / "sub" / "b.json").write_text('{"b": 1}\n')
    (folder / "weights.safetensors").write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    hf("upload", "alice/cli-model", str(folder), ".", "--commit-message", "Upload with the CLI")
    hf("download", "alice/cli-model", "--local-dir", str(work / "download"))
    it.check_equal(files_of(work / "download"), files_of(folder), "downloaded files and bytes")
    info = json.loads(hf("models", "info", "alice/cli-model"))
    it.check(any(s["rfilename"] == "weights.safetensors" for s in info["siblings"]), "models info lists the file")

    it.step("branches and tags")
    hf("repos", "branch", "create", "alice/cli-model", "dev")
    hf("repos", "tag", "create", "alice/cli-model", "v1")
    tags = hf_json("repos", "tag", "list", "alice/cli-model")
    it.check_equal([(t["name"], t["target_commit"]) for t in tags], [("v1", info["sha"])], "the tag, on the head")

    it.step("discussions: create, comment, list, close")
    hf("discussions", "create", "alice/cli-model", "--title", "Question from the CLI", "--body", "Does it work?")
    hf("discussions", "comment", "alice/cli-model", "1", "--body", "It does.")
    listed = hf_json("discussions", "list", "alice/cli-model")
    it.check_equal([(d["num"], d["title"], d["status"]) for d in listed], [(1, "Question from the CLI", "open")],
                   "the discussion")
    hf("discussions", "close", "alice/cli-model", "1", "--yes")
    it.check_equal(json.loads(hf("discussions", "info", "alice/cli-model", "1"))["status"], "closed", "closed")

    it.step("settings: gated with manual approval")
    hf("repos", "settings", "alice/cli-model", "--gated", "manual")
    it.check_equal(json.loads(hf("models", "info", "alice/cli-model"))["gated"], "manual", "gated")

    it.step("delete-files, move, cp, listings")
    hf("repos", "delete-files", "alice/cli-model", "a.txt")
    hf("repos", "move", "alice/cli-model", "alice/cli-moved")
    hf("cp", "hf://alice/cli-moved/weights.safetensors", str(work / "copied.safetensors"))
    it.check_equal((work / "copied.safetensors").read_bytes(), (folder / "weights.safetensors").read_bytes(),
                   "hf cp from the moved repo")
    files = json.loads(hf("models", "info", "alice/cli-moved"))["siblings"]
    it.check("a.txt" not in [s["rfilename"] for s in files], "a.txt is deleted")
    it.check("alice/cli-moved" in [r["id"] for r in hf_json("repos", "ls")], "hf repos ls")
    it.check("alice/cli-moved" in [m["id"] for m in hf_json("models", "ls", "--search", "cli-moved")],
             "hf models ls --search")

    it.step("a dataset: upload, info, download")
    hf("repos", "create", "alice/cli-data", "--type", "dataset")
    (work / "rows.csv").write_text("text,label\ngood,1\nbad,0\n")
    hf("upload", "alice/cli-data", str(work / "rows.csv"), "data/rows.csv", "--repo-type", "dataset")
    it.check_equal(json.loads(hf("datasets", "info", "alice/cli-data"))["id"], "alice/cli-data", "datasets info")
    hf("download", "alice/cli-data", "data/rows.csv", "--repo-type", "dataset", "--local-dir", str(work / "data"))
    it.check_equal((work / "data" / "data" / "rows.csv").read_text(), "text,label\ngood,1\nbad,0\n",
                   "the dataset file")

    it.step("duplicate, then delete the copy")
    hf("repos", "duplicate", "alice/cli-moved", "alice/cli-copy")
    it.check_equal(json.loads(hf("models", "info", "alice/cli-copy"))["id"], "alice/cli-copy", "the copy")
    hf("repos", "delete", "alice/cli-copy", "--yes")
    hf("models", "info", "alice/cli-copy", ok=False)


if __name__ == "__main__":
    it.run(main)
