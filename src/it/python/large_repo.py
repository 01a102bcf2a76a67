"""A repo of thousands of files and a history with merges, and upload_large_folder, through the real client.

Listings come in pages (1,000 entries, 50 with expand=True) that the client follows through the Link header; every
entry must come exactly once, and each entry's lastCommit must be the commit C git's own `git log -1 -- path`
names. upload_large_folder, which the Hub recommends for big folders, uploads in many small commits.

Environment: HF_ENDPOINT, WORKDIR, HF_TOKEN (alice, write). Prints one JSON line whose fields the Java test passes
on to the JS client and Chromium: count and digest of the listing, a file's expected last commit title.
"""

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

import requests  # noqa: E402
from huggingface_hub import HfApi, HfFileSystem, snapshot_download  # noqa: E402

REPO = "alice/wide"
BIG = 130  # files in big/: three pages with expand=True, two on the files page


def git(cwd, *args, stdin=None):
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), done.stderr.decode(errors="replace")))
    return done.stdout.decode()


def history(rng):
    """A fast-import stream: 2,400 files under data/, BIG under big/, names that test git's order, then 150
    commits on main and a side branch editing big/, merged into main now and then (taking either side)."""
    out = []

    def commit(mark, parents, files, time):
        out.append("commit refs/heads/scratch\nmark :%d\ncommitter Alice <alice@atrium.test> %d +0000\n"
                   "data <<END\nchange %d\nEND\n" % (mark, time, mark))
        for i, parent in enumerate(parents):
            out.append("%s :%d\n" % ("from" if i == 0 else "merge", parent))
        out.append("deleteall\n")
        for path, content in sorted(files.items()):
            out.append("M 644 inline %s\ndata <<END\n%s\nEND\n" % (path, content))
        out.append("\n")

    main = {"README.md": "---\nlicense: mit\n---\n# wide"}
    for shard in range(24):
        for part in range(100):
            main["data/shard_%02d/part-%03d.txt" % (shard, part)] = "row %d %d" % (shard, part)
    for i in range(BIG):
        main["big/f%03d.txt" % i] = "v0 %d" % i
    for name in ("a", "a-b.txt", "a.txt", "a/x.txt", "a0/y.txt"):
        main[name] = name
    time = 1_700_000_000
    commit(1, [], main, time)
    side = dict(main)
    main_mark, side_mark = 1, 1
    for mark in range(2, 152):
        time += 60
        if mark % 9 == 0 and side_mark != main_mark:
            merged = dict(main)
            for path, content in side.items():
                if content != main.get(path) and rng.random() < 0.5:
                    merged[path] = content
            commit(mark, [main_mark, side_mark], merged, time)
            main, main_mark = merged, mark
        else:
            on_side = rng.random() < 0.4
            tree = side if on_side else main
            for _ in range(rng.randint(1, 3)):
                tree["big/f%03d.txt" % rng.randrange(BIG)] = "v%d" % mark
            commit(mark, [side_mark if on_side else main_mark], tree, time)
            if on_side:
                side_mark = mark
            else:
                main_mark = mark
    out.append("reset refs/heads/main\nfrom :%d\n\n" % main_mark)
    return "".join(out)


def last_commit(clone, path):
    return git(clone, "log", "-1", "--format=%H", "main", "--", path).strip()


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    endpoint = os.environ["HF_ENDPOINT"]
    token = os.environ["HF_TOKEN"]
    api = HfApi()
    rng = random.Random(7)

    it.step("a dataset of 2,500 files and a history with merges, pushed with git")
    api.create_repo(REPO, repo_type="dataset")
    clone = work / "wide"
    git(work, "init", "-q", "-b", "main", str(clone))
    git(clone, "fast-import", "--quiet", stdin=history(rng).encode())
    git(clone, "reset", "-q", "--hard", "main")
    it.check(int(git(clone, "rev-list", "--merges", "--count", "main")) >= 5, "the history has merges")
    url = endpoint.replace("://", "://alice:%s@" % token) + "/datasets/" + REPO
    git(clone, "push", "-q", "-f", url, "main")
    expected = git(clone, "ls-tree", "-r", "-t", "--name-only", "main").split()

    it.step("list_repo_tree(recursive=True): three pages, every entry once")
    listed = [e.path for e in api.list_repo_tree(REPO, repo_type="dataset", recursive=True)]
    it.check_equal(len(listed), len(expected), "entries listed")
    it.check_equal(sorted(listed), sorted(expected), "the entries git has")
    it.check_equal(sorted(api.list_repo_files(REPO, repo_type="dataset")),
                   sorted(git(clone, "ls-tree", "-r", "--name-only", "main").split()), "list_repo_files")

    it.step("expand=True: each entry's last commit is the one git log names, across pages of 50")
    big = list(api.list_repo_tree(REPO, path_in_repo="big", repo_type="dataset", expand=True))
    it.check_equal(len(big), BIG, "files in big/")
    wrong = [(e.path, e.last_commit.oid) for e in big if e.last_commit.oid != last_commit(clone, e.path)]
    it.check(not wrong, "last commits that git log disagrees with: %s" % wrong[:5])
    sample = rng.sample(expected, 40) + ["big", "a", "a0", "data"]
    infos = api.get_paths_info(REPO, sample, repo_type="dataset", expand=True)
    it.check_equal(len(infos), len(sample), "paths found")
    wrong = [(e.path, e.last_commit.oid) for e in infos if e.last_commit.oid != last_commit(clone, e.path)]
    it.check(not wrong, "paths-info last commits git log disagrees with: %s" % wrong[:5])

    it.step("list_repo_commits: the whole history with its merges, page after page, children before parents")
    commits = api.list_repo_commits(REPO, repo_type="dataset")
    ids = [c.commit_id for c in commits]
    it.check_equal(len(ids), int(git(clone, "rev-list", "--count", "main")), "every commit, once")
    it.check_equal(set(ids), set(git(clone, "rev-list", "main").split()), "the commits git has")
    position = {c: i for i, c in enumerate(ids)}
    parents = [line.split() for line in git(clone, "rev-list", "--parents", "main").splitlines()]
    it.check(all(position[line[0]] < position[p] for line in parents for p in line[1:]), "children before parents")
    r = requests.get("%s/api/datasets/%s/commits/main?limit=1" % (endpoint, REPO),
                     headers={"Authorization": "Bearer " + token})
    it.check_equal(int(r.headers["X-Total-Count"]), len(ids), "the count the JS client reads")

    it.step("pages by hand: the Link header's opaque cursor, a small limit, a cursor this hub never gave")
    headers = {"Authorization": "Bearer " + token}
    page_url = "%s/api/datasets/%s/tree/main/big?limit=7" % (endpoint, REPO)
    seen, pages = [], 0
    while page_url:
        res = requests.get(page_url, headers=headers, timeout=30)
        it.check_equal(res.status_code, 200, "a page")
        seen += [e["path"] for e in res.json()]
        pages += 1
        page_url = res.links.get("next", {}).get("url")
    it.check_equal(pages, (BIG + 6) // 7, "pages of 7")
    it.check_equal(seen, sorted(seen), "in git's order, which is the names' here")
    it.check_equal(len(set(seen)), BIG, "each once")
    res = requests.get("%s/api/datasets/%s/tree/main?cursor=50" % (endpoint, REPO), headers=headers, timeout=30)
    it.check_equal(res.status_code, 400, "a numeric cursor")
    it.check("cursor" in res.json().get("error", ""), "the error names the cursor: %s" % res.text)

    it.step("HfFileSystem globs the whole repo")
    fs = HfFileSystem()
    found = fs.glob("datasets/%s/data/**/*.txt" % REPO)
    it.check_equal(len(found), 2400, "files under data/")

    it.step("upload_large_folder: 300 small files and three binaries, in many commits, read back whole")
    folder = work / "large-upload"
    for i in range(300):
        sub = folder / ("part%d" % (i % 3))
        sub.mkdir(parents=True, exist_ok=True)
        (sub / ("row%03d.json" % i)).write_text('{"i": %d}\n' % i)
    for i in range(3):
        (folder / ("weights-%d.bin" % i)).write_bytes(os.urandom(1024 * 1024 + i))
    api.create_repo("alice/large-upload", repo_type="model")
    api.upload_large_folder(repo_id="alice/large-upload", repo_type="model", folder_path=folder, num_workers=2,
                            print_report=False)
    local = Path(snapshot_download("alice/large-upload", local_dir=work / "large-download"))
    uploaded = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                      and ".cache" not in p.parts)
    downloaded = sorted(str(p.relative_to(local)) for p in local.rglob("*") if p.is_file()
                        and ".cache" not in p.parts and p.name != ".gitattributes")
    it.check(downloaded == uploaded, "files downloaded: %d, missing %s, extra %s" % (
        len(downloaded), sorted(set(uploaded) - set(downloaded))[:5], sorted(set(downloaded) - set(uploaded))[:5]))
    for rel in uploaded:
        it.check_equal(it.sha256_file(local / rel), it.sha256_file(folder / rel), "bytes of %s" % rel)
    lfs = [f for f in api.list_repo_tree("alice/large-upload", recursive=True) if getattr(f, "lfs", None)]
    it.check_equal(sorted(f.path for f in lfs), ["weights-0.bin", "weights-1.bin", "weights-2.bin"],
                   "the binaries are large files")

    digest = hashlib.sha256("\n".join(sorted(expected)).encode()).hexdigest()
    title = git(clone, "log", "-1", "--format=%s", "main", "--", "big/f007.txt").strip()
    return {"entries": len(expected), "digest": digest, "big_f007_title": title}


if __name__ == "__main__":
    it.run(main)
