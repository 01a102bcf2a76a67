"""Round trip through huggingface_hub against a live Atrium.

Environment: HF_ENDPOINT, HF_TOKEN (write token), HF_HUB_DISABLE_XET=1, HF_HOME (fresh temp dir),
HF_HUB_DISABLE_TELEMETRY=1; optional REPO_NAMESPACE (defaults to the token's user), WORKDIR (scratch space).
Prints one JSON line; exits non-zero on the first failed check.
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import (  # noqa: E402
    CommitOperationAdd,
    CommitOperationDelete,
    HfApi,
    HfFileSystem,
    hf_hub_download,
    snapshot_download,
)
from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError  # noqa: E402
from huggingface_hub.hf_api import RepoFile, RepoFolder  # noqa: E402

BIG_FILE_SIZE = 15 * 1024 * 1024
UNICODE_PATH = "nested/unicode dir/héllo wörld ✓.txt"
IGNORED_IN_COMPARISONS = {".gitattributes"}  # Atrium's initial commit may add one


def build_local_folder(root: Path) -> dict:
    """Writes the upload_folder fixture and returns {repo path: bytes}."""
    files = {
        "README.md": b"---\nlicense: mit\ntags:\n- atrium-it\n---\n# Round trip\n",
        "config.json": b'{"model_type": "atrium-it", "hidden_size": 8}\n',
        "nested/a/b/deep.txt": b"deep inside\n",
        "nested/empty.txt": b"",
        UNICODE_PATH: "unicode content: ünïcødé ✓\n".encode("utf-8"),
        "to-delete/one.txt": b"one\n",
        "to-delete/two.txt": b"two\n",
        "weights/model.bin": os.urandom(BIG_FILE_SIZE),
    }
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return files


def read_tree(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != ".cache"
    }


def compare_trees(actual: dict, expected: dict, what: str):
    actual_paths = set(actual) - IGNORED_IN_COMPARISONS
    it.check_equal(sorted(actual_paths), sorted(expected), f"{what}: file list")
    for path, data in expected.items():
        it.check(actual[path] == data,
                 f"{what}: content of {path!r} differs (got {len(actual[path])} bytes, "
                 f"sha256 {it.sha256_bytes(actual[path])}; expected {len(data)} bytes, sha256 {it.sha256_bytes(data)})")


def download_bytes(repo_id, filename, revision, repo_type=None):
    path = hf_hub_download(repo_id, filename, revision=revision, repo_type=repo_type)
    return Path(path).read_bytes()


def main():
    api = HfApi()
    scratch = Path(os.environ.get("WORKDIR") or tempfile.mkdtemp(prefix="atrium-it-py-"))
    scratch.mkdir(parents=True, exist_ok=True)

    it.step("whoami")
    namespace = os.environ.get("REPO_NAMESPACE") or api.whoami()["name"]
    model = f"{namespace}/py-roundtrip-model"
    dataset = f"{namespace}/py-roundtrip-dataset"

    it.step("create_repo model and dataset")
    url = api.create_repo(model)
    it.check_equal(url.repo_id, model, "create_repo(model).repo_id")
    it.check(str(url).startswith(os.environ["HF_ENDPOINT"] + "/"), f"repo url {url} is not on HF_ENDPOINT")
    again = api.create_repo(model, exist_ok=True)
    it.check_equal(again.repo_id, model, "create_repo(exist_ok=True) on an existing repo")
    url = api.create_repo(dataset, repo_type="dataset")
    it.check_equal((url.repo_id, url.repo_type), (dataset, "dataset"), "create_repo(dataset)")

    it.step("upload_file")
    hello = b"hello atrium\n"
    commit1 = api.upload_file(path_or_fileobj=hello, path_in_repo="hello.txt", repo_id=model,
                              commit_message="add hello")
    it.check(it.is_commit_sha(commit1.oid), f"upload_file commit oid is not a 40-hex sha: {commit1.oid!r}")
    it.check(commit1.commit_url.startswith(os.environ["HF_ENDPOINT"]), f"commitUrl not on endpoint: {commit1.commit_url}")

    it.step("upload_folder (nested dirs, empty file, unicode name, 15 MB binary)")
    folder = scratch / "folder"
    local = build_local_folder(folder)
    commit2 = api.upload_folder(repo_id=model, folder_path=folder, commit_message="add folder")
    it.check(it.is_commit_sha(commit2.oid), f"upload_folder commit oid: {commit2.oid!r}")
    it.check(commit2.oid != commit1.oid, "upload_folder returned the previous commit")
    api.upload_folder(repo_id=dataset, repo_type="dataset", folder_path=folder / "nested",
                      path_in_repo="files", commit_message="dataset files")

    it.step("create_commit with deletes (file and folder) and an add")
    commit3 = api.create_commit(
        repo_id=model,
        operations=[
            CommitOperationDelete(path_in_repo="hello.txt"),
            CommitOperationDelete(path_in_repo="to-delete/"),
            CommitOperationAdd(path_in_repo="added.txt", path_or_fileobj=b"added later\n"),
        ],
        commit_message="delete and add",
        commit_description="third commit",
    )
    it.check(it.is_commit_sha(commit3.oid), f"create_commit oid: {commit3.oid!r}")
    head = {p: d for p, d in local.items() if not p.startswith("to-delete/")}
    head["added.txt"] = b"added later\n"
    at_commit2 = dict(local, **{"hello.txt": hello})

    it.step("create_branch dev at commit2, commit on it; create_tag v1.0 at commit2")
    api.create_branch(model, branch="dev", revision=commit2.oid)
    api.create_branch(model, branch="dev", exist_ok=True)
    dev_commit = api.upload_file(path_or_fileobj=b"only on dev\n", path_in_repo="dev-only.txt", repo_id=model,
                                 revision="dev", commit_message="dev work")
    api.create_tag(model, tag="v1.0", revision=commit2.oid, tag_message="first release")

    it.step("hf_hub_download at branch, tag, old commit and main")
    it.check_equal(download_bytes(model, "dev-only.txt", "dev"), b"only on dev\n", "dev-only.txt @dev")
    it.check_equal(download_bytes(model, "hello.txt", "dev"), hello, "hello.txt @dev (branched before delete)")
    it.check_equal(download_bytes(model, "nested/a/b/deep.txt", "v1.0"), local["nested/a/b/deep.txt"],
                   "nested/a/b/deep.txt @v1.0")
    it.check_equal(download_bytes(model, "to-delete/one.txt", "v1.0"), b"one\n", "to-delete/one.txt @v1.0")
    it.check_equal(download_bytes(model, "hello.txt", commit1.oid), hello, "hello.txt @commit1 sha")
    it.check_equal(download_bytes(model, UNICODE_PATH, "main"), local[UNICODE_PATH], f"{UNICODE_PATH} @main")
    it.check_equal(download_bytes(model, "nested/empty.txt", "main"), b"", "nested/empty.txt @main")
    big = download_bytes(model, "weights/model.bin", "main")
    it.check_equal(it.sha256_bytes(big), it.sha256_bytes(local["weights/model.bin"]), "sha256 of weights/model.bin")
    it.check_equal(download_bytes(dataset, "files/a/b/deep.txt", "main", repo_type="dataset"),
                   local["nested/a/b/deep.txt"], "dataset files/a/b/deep.txt")
    it.check_raises(EntryNotFoundError, lambda: hf_hub_download(model, "hello.txt", revision="main"),
                    "hf_hub_download of a file deleted on main")

    it.step("snapshot_download main and v1.0, compare whole trees")
    snapshot = Path(snapshot_download(model))
    it.check_equal(snapshot.name, commit3.oid, "snapshot folder name (= resolved commit of main)")
    compare_trees(read_tree(snapshot), head, "snapshot of main")
    snapshot_v1 = Path(snapshot_download(model, revision="v1.0", local_dir=scratch / "snapshot-v1"))
    compare_trees(read_tree(snapshot_v1), at_commit2, "snapshot of v1.0 (local_dir)")

    it.step("list_repo_refs")
    refs = api.list_repo_refs(model)
    branches = {b.name: b.target_commit for b in refs.branches}
    tags = {t.name: t.target_commit for t in refs.tags}
    it.check_equal(branches.get("main"), commit3.oid, "refs: main")
    it.check_equal(branches.get("dev"), dev_commit.oid, "refs: dev")
    it.check_equal(tags, {"v1.0": commit2.oid}, "refs: tags")
    it.check_equal(refs.converts, [], "refs: converts")

    it.step("list_repo_commits (newest first)")
    commits = api.list_repo_commits(model)
    ids = [c.commit_id for c in commits]
    it.check_equal(ids[:3], [commit3.oid, commit2.oid, commit1.oid], "commit ids on main, newest first")
    it.check_equal([c.title for c in commits[:3]], ["delete and add", "add folder", "add hello"], "commit titles")
    it.check(all(c.created_at.tzinfo is not None for c in commits), "commit dates must carry a UTC 'Z'")
    dev_ids = [c.commit_id for c in api.list_repo_commits(model, revision="dev")]
    it.check_equal(dev_ids[:3], [dev_commit.oid, commit2.oid, commit1.oid], "commit ids on dev")

    it.step("list_repo_files and list_repo_tree")
    files = set(api.list_repo_files(model)) - IGNORED_IN_COMPARISONS
    it.check_equal(sorted(files), sorted(head), "list_repo_files(main)")
    files_v1 = set(api.list_repo_files(model, revision="v1.0")) - IGNORED_IN_COMPARISONS
    it.check_equal(sorted(files_v1), sorted(at_commit2), "list_repo_files(v1.0)")
    nested = {e.path: e for e in api.list_repo_tree(model, "nested")}
    it.check_equal(sorted(nested), ["nested/a", "nested/empty.txt", "nested/unicode dir"], "tree of nested/")
    it.check(isinstance(nested["nested/a"], RepoFolder), "nested/a must be listed as a directory")
    it.check(isinstance(nested["nested/empty.txt"], RepoFile) and nested["nested/empty.txt"].size == 0,
             "nested/empty.txt must be a file of size 0")
    infos = api.get_paths_info(model, ["weights/model.bin", "nope.bin"])
    it.check_equal([i.path for i in infos], ["weights/model.bin"], "paths-info (missing paths are omitted)")
    weights = infos[0]
    it.check(weights.lfs is not None, "weights/model.bin (15 MB) must be stored as LFS")
    it.check_equal((weights.size, weights.lfs.size, weights.lfs.sha256),
                   (BIG_FILE_SIZE, BIG_FILE_SIZE, it.sha256_bytes(local["weights/model.bin"])),
                   "size / lfs.size / lfs.sha256 of weights/model.bin")

    it.step("file_exists / repo_exists")
    it.check(api.file_exists(model, "nested/a/b/deep.txt"), "file_exists(nested/a/b/deep.txt) should be True")
    it.check(api.file_exists(model, UNICODE_PATH), "file_exists(unicode path) should be True")
    it.check(not api.file_exists(model, "nope.txt"), "file_exists(nope.txt) should be False")
    it.check(not api.file_exists(model, "hello.txt"), "file_exists(hello.txt) on main should be False (deleted)")
    it.check(api.file_exists(model, "hello.txt", revision=commit1.oid), "file_exists(hello.txt @commit1)")
    it.check(api.repo_exists(model), "repo_exists(model) should be True")
    it.check(api.repo_exists(dataset, repo_type="dataset"), "repo_exists(dataset) should be True")
    it.check(not api.repo_exists(f"{namespace}/does-not-exist"), "repo_exists(missing) should be False")
    it.check_raises(RepositoryNotFoundError, lambda: api.model_info(f"{namespace}/does-not-exist"),
                    "model_info of a missing repo")

    it.step("HfFileSystem ls / open with range / cat_file")
    fs = HfFileSystem()
    listing = {e["name"]: e for e in fs.ls(f"{model}/nested", detail=True)}
    it.check_equal(sorted(listing), [f"{model}/nested/a", f"{model}/nested/empty.txt", f"{model}/nested/unicode dir"],
                   "HfFileSystem.ls(nested)")
    it.check_equal(listing[f"{model}/nested/a"]["type"], "directory", "HfFileSystem type of nested/a")
    blob = local["weights/model.bin"]
    with fs.open(f"{model}/weights/model.bin", "rb", block_size=64 * 1024) as f:
        f.seek(5_000_000)
        chunk = f.read(70_000)
    it.check(chunk == blob[5_000_000:5_070_000], "HfFileSystem.open+seek+read returned the wrong bytes")
    it.check_equal(fs.cat_file(f"{model}/config.json", start=2, end=12), local["config.json"][2:12],
                   "HfFileSystem.cat_file(config.json, 2..12)")
    it.check_equal(fs.info(f"{model}/weights/model.bin")["size"], BIG_FILE_SIZE, "HfFileSystem.info size")
    it.check_equal(fs.read_bytes(f"{model}@dev/dev-only.txt"), b"only on dev\n", "HfFileSystem read @dev")
    it.check(fs.exists(f"datasets/{dataset}/files/a/b/deep.txt"), "HfFileSystem.exists on a dataset file")
    it.check(not fs.exists(f"{model}/nope.txt"), "HfFileSystem.exists(nope.txt) should be False")

    it.step("delete_repo dataset")
    api.delete_repo(dataset, repo_type="dataset")
    it.check(not api.repo_exists(dataset, repo_type="dataset"), "repo_exists(dataset) after delete_repo")

    return {"model": model, "main": commit3.oid, "tag_v1.0": commit2.oid, "dev": dev_commit.oid}


if __name__ == "__main__":
    it.run(main)
