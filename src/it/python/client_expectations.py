"""What huggingface_hub's own test suite expects of the Hub, through the real client, against a live Atrium.

Run once against Atrium, the client's tests/test_hf_api.py (pointed at it, outside this project) failed where Atrium
answered otherwise than huggingface.co; each step below is one of those behaviours, driven the way a user's code
meets it.

Environment: HF_ENDPOINT, HF_TOKEN (write token of Alice, who owns the namespace Alice), WORKDIR. Prints one JSON line.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, SpaceCard, hf_hub_download  # noqa: E402
from huggingface_hub.errors import (  # noqa: E402
    EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError)
from huggingface_hub.utils import get_session  # noqa: E402


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = HfApi()
    me = api.whoami()["name"]

    it.step("an id without a namespace (as gpt2 is on huggingface.co) is a missing repo, not an unknown endpoint")
    it.check(not api.repo_exists("gpt2"), "repo_exists('gpt2')")
    it.check(not api.revision_exists("gpt2", "main"), "revision_exists('gpt2', 'main')")
    it.check(not api.file_exists("gpt2", "config.json"), "file_exists('gpt2', 'config.json')")
    it.check(not api.repo_exists("squad", repo_type="dataset"), "repo_exists('squad', dataset)")
    it.check_raises(RepositoryNotFoundError, lambda: api.list_repo_commits("gpt2"), "list_repo_commits('gpt2')")
    it.check_raises(RepositoryNotFoundError, lambda: api.unlike("gpt2"), "unlike('gpt2')")
    it.check_raises(RepositoryNotFoundError,
                    lambda: hf_hub_download("gpt2", "config.json", cache_dir=work / "c0"), "hf_hub_download('gpt2')")

    it.step("repo ids ignore case: a commit and a download through the lower-cased id reach the repo")
    repo = f"{me}/CaSe-Model"
    api.create_repo(repo)
    lower = repo.lower()
    commit = api.create_commit(lower, commit_message="Through the lower-cased id", operations=[
        CommitOperationAdd(path_in_repo="file.txt", path_or_fileobj=b"content"),
        CommitOperationAdd(path_in_repo="lfs.bin", path_or_fileobj=b"binary\x00content")])
    info = api.model_info(lower)
    it.check_equal(info.id, repo, "model_info through the lower-cased id names the repo as it was created")
    it.check_equal(info.sha, commit.oid, "and is at the commit made through it")
    it.check_equal(Path(hf_hub_download(repo.upper(), "lfs.bin", cache_dir=work / "c1")).read_bytes(),
                   b"binary\x00content", "download through the upper-cased id")
    clone = work / "clone"
    endpoint = os.environ["HF_ENDPOINT"].rstrip("/")
    subprocess.run(["git", "clone", "-q", f"{endpoint}/{lower}", str(clone)], check=True,
                   env=dict(os.environ, GIT_LFS_SKIP_SMUDGE="1", GIT_TERMINAL_PROMPT="0"))
    it.check_equal((clone / "file.txt").read_bytes(), b"content", "git clone through the lower-cased id")
    e = it.check_raises(HfHubHTTPError, lambda: api.create_repo(f"{me}/case-model"),
                        "creating the same name in another case")
    it.check_equal(e.response.status_code, 409, "status of a repo name taken in another case")
    made = api.create_repo(f"{me.lower()}/made-in-lower-case")
    it.check_equal(made.repo_id, f"{me}/made-in-lower-case", "a repo created under one's name in another case")

    it.step("organization names ignore case too: a repo created under another spelling lands in the organization")
    made = get_session().post(os.environ["HF_ENDPOINT"].rstrip("/") + "/api/organizations/new",
                              headers={"Authorization": "Bearer " + os.environ["HF_TOKEN"]}, json={"name": "CaseLab"})
    it.check_equal(made.status_code, 200, "the organization: " + made.text)
    it.check_equal(api.create_repo("caselab/spelled").repo_id, "CaseLab/spelled", "created under another spelling")
    it.check_equal(api.model_info("CASELAB/spelled").id, "CaseLab/spelled", "found under a third")
    it.check_equal([m.id for m in api.list_models(author="CaseLab")], ["CaseLab/spelled"], "listed as registered")

    it.step("the model tree: how a model derives from its base, read from its files when its card does not say")
    endpoint = os.environ["HF_ENDPOINT"].rstrip("/")
    base = api.create_repo(f"{me}/tree-base").repo_id

    def derived(name, files, private=False):
        repo_id = api.create_repo(f"{me}/{name}", private=private).repo_id
        ops = [CommitOperationAdd("README.md", f"---\nbase_model: {base}\n---\n".encode())]
        ops += [CommitOperationAdd(path, content) for path, content in files.items()]
        api.create_commit(repo_id, operations=ops, commit_message="Derived")
        return repo_id
    adapter = derived("tree-lora", {"adapter_config.json": b'{"r": 8}'})
    quantized = derived("tree-gguf", {"model-Q4_K_M.gguf": b"GGUF"})
    finetune = derived("tree-ft", {"config.json": b'{"model_type": "bert"}'})
    derived("tree-private-ft", {}, private=True)
    for relation, expected in (("adapter", [adapter]), ("quantized", [quantized]), ("finetune", None)):
        found = sorted(m.id for m in api.list_models(filter=f"base_model:{relation}:{base}"))
        if expected is not None:
            it.check_equal(found, expected, f"list_models(filter='base_model:{relation}:...')")
    it.check_equal(sorted(m.id for m in api.list_models(filter=f"base_model:finetune:{base}")),
                   sorted([finetune, f"{me}/tree-private-ft"]), "fine-tunes, the private one for its owner")
    anonymous = get_session().get(f"{endpoint}/{base}", headers={"Authorization": ""}).text
    for label, count, relation in (("Adapters", "1 model", "adapter"), ("Finetunes", "1 model", "finetune"),
                                   ("Quantizations", "1 model", "quantized")):
        link = f'href="/models?filter=base_model%3A{relation}%3A{base.replace("/", "%2F")}">{count}</a>'
        it.check(label in anonymous and link in anonymous,
                 f"the base model's page lists {label}: {count} for a visitor (not the private fine-tune)")

    it.step("a new Space starts with a card that configures it, as on the Hub")
    space = f"{me}/new-space"
    api.create_repo(space, repo_type="space", space_sdk="static")
    card = SpaceCard.load(space)
    it.check_equal((card.data.sdk, card.data.title, card.data.pinned), ("static", "new-space", False),
                   "sdk, title and pinned of the new Space's card")
    it.check(card.data.emoji and card.data.colorFrom != card.data.colorTo, f"emoji and colours: {card.data}")
    it.check_equal(api.space_info(space).sdk, "static", "the Space's sdk")

    it.step("Space search: every word in the id; Spaces whose app does not open only when asked for")
    api.create_repo(f"{me}/empty-space", repo_type="space", space_sdk="static")
    api.upload_file(repo_id=space, repo_type="space", path_in_repo="index.html", path_or_fileobj=b"<p>hi</p>")
    found = list(api.search_spaces("new space"))
    it.check_equal([(r.id, r.title, r.sdk, r.runtime.stage) for r in found], [(space, "new-space", "static", "RUNNING")],
                   "search_spaces('new space')")
    it.check(found[0].emoji == card.data.emoji, f"the result's emoji is the card's: {found[0].emoji}")
    it.check_equal([r.id for r in api.search_spaces("space")], [space], "search_spaces('space'): the one that opens")
    it.check_equal(sorted(r.id for r in api.search_spaces("space", include_non_running=True)),
                   sorted([space, f"{me}/empty-space"]), "with include_non_running")
    it.check_equal(list(api.search_spaces("space", sdk="gradio")), [], "search_spaces(sdk='gradio')")
    it.check_equal(api.list_space_templates(), [], "list_space_templates: a hub offers none")

    it.step("container features a hub without containers lacks are refused plainly, after the usual checks")
    refused = [("dev mode", lambda: api.enable_space_dev_mode(space)),
               ("volumes", lambda: api.delete_space_volumes(space))]
    if hasattr(api, "request_space_storage"):  # huggingface_hub 2 dropped it, as the Hub did
        refused.append(("storage", lambda: api.request_space_storage(space, "small")))
    for what, call in refused:
        e = it.check_raises(HfHubHTTPError, call, what)
        it.check(e.response.status_code == 501 and "not offered by this hub" in str(e), f"{what}: {e}")
    it.check_raises(RepositoryNotFoundError, lambda: api.enable_space_dev_mode(f"{me}/no-such-space"),
                    "dev mode of a Space that does not exist")

    it.step("the initial commit is the creator's, like every later one")
    authors = [c.authors for c in api.list_repo_commits(repo)]
    it.check_equal(authors, [[me], [me]], "authors of the commits, newest first")

    it.step("a tag on an abbreviated commit id")
    second = api.upload_file(repo_id=repo, path_in_repo="config.json", path_or_fileobj=b'{"a": 1}')
    api.create_tag(repo, tag="from-short-sha", revision=commit.oid[:7])
    it.check_equal(api.model_info(repo, revision="from-short-sha").sha, commit.oid, "the tag's commit")
    it.check_equal(api.model_info(repo, revision=second.oid[:10]).sha, second.oid, "model_info at a short sha")

    it.step("an empty file is never an LFS file, even where .gitattributes sends its name to LFS")
    api.upload_file(repo_id=repo, path_in_repo="empty.pkl", path_or_fileobj=b"")
    siblings = {s.rfilename: s for s in api.model_info(repo, files_metadata=True).siblings}
    it.check_equal((siblings["empty.pkl"].size, siblings["empty.pkl"].lfs), (0, None), "size and lfs of empty.pkl")
    it.check_equal(Path(hf_hub_download(repo, "empty.pkl", cache_dir=work / "c2")).read_bytes(), b"",
                   "empty.pkl downloads empty")

    it.step("deleting a folder named without its trailing slash deletes the folder")
    api.create_commit(repo, commit_message="Two folders", operations=[
        CommitOperationAdd(path_in_repo="1/file_1.md", path_or_fileobj=b"data"),
        CommitOperationAdd(path_in_repo="1/file_2.md", path_or_fileobj=b"data"),
        CommitOperationAdd(path_in_repo="2/file_3.md", path_or_fileobj=b"data")])
    api.create_commit(repo, commit_message="Delete 1", operations=[CommitOperationDelete(path_in_repo="1")])
    files = api.list_repo_files(repo)
    it.check(not any(f.startswith("1/") for f in files) and "2/file_3.md" in files, f"files after the delete: {files}")
    it.check_raises(EntryNotFoundError, lambda: hf_hub_download(repo, "1/file_1.md", cache_dir=work / "c3"),
                    "download of a deleted file")

    it.step("super-squash of a pull request's ref")
    pr = api.create_pull_request(repo, title="To squash")
    for content in (b"one", b"two", b"three"):
        api.upload_file(repo_id=repo, path_in_repo="pr.txt", path_or_fileobj=content, revision=pr.git_reference)
    api.super_squash_history(repo, branch=pr.git_reference)
    squashed = api.list_repo_commits(repo, revision=pr.git_reference)
    it.check_equal(len(squashed), 1, "commits on the squashed pull request")
    it.check_equal(Path(hf_hub_download(repo, "pr.txt", revision=pr.git_reference, cache_dir=work / "c4"))
                   .read_bytes(), b"three", "the squashed pull request keeps its last content")
    it.check_equal(len(api.list_repo_commits(repo)), 6, "main keeps its six commits")
    it.step("errors in the Hub's words, which scripts and the client's own tests look for")
    e = it.check_raises(RepositoryNotFoundError, lambda: api.create_commit(
        f"{me}/no-such-repo", operations=[CommitOperationAdd("a.txt", b"a")], commit_message="m"), "commit to no repo")
    it.check("Repository Not Found for url" in str(e) and str(e).lower().count("not found") == 1,
             f"the client's explanation, not repeated by the hub's: {e}")
    api.create_branch(repo, branch="taken")
    e = it.check_raises(HfHubHTTPError, lambda: api.create_branch(repo, branch="taken"), "a branch twice")
    it.check_equal(e.response.status_code, 409, "status of a branch created twice")
    it.check("Reference refs/heads/taken already exists" in str(e), f"the branch's error: {e}")
    e = it.check_raises(HfHubHTTPError, lambda: api.delete_branch(repo, branch="main"), "deleting main")
    it.check("Cannot delete refs/heads/main" in str(e), f"deleting main: {e}")
    it.check_raises(RevisionNotFoundError, lambda: api.create_tag(repo, tag="bad tag", revision="no-such-rev"),
                    "a bad tag name on a missing revision: the revision is checked first")
    e = it.check_raises(HfHubHTTPError, lambda: api.create_commit(
        repo, operations=[CommitOperationAdd("late.txt", b"late")], commit_message="late",
        parent_commit=commit.oid), "a commit on a parent that is no longer the head")
    it.check_equal(e.response.status_code, 412, "status of a stale parent")
    it.check("The branch was updated since you opened this page. Please refresh and try again." in str(e),
             f"a stale parent's error: {e}")

    it.step("papers: the hub keeps no index of them, so their lists are empty and a paper is not found")
    it.check_equal(list(api.list_daily_papers()), [], "list_daily_papers")
    it.check_equal(list(api.list_papers(query="attention")), [], "list_papers")
    e = it.check_raises(HfHubHTTPError, lambda: api.paper_info("1706.03762"), "paper_info")
    it.check_equal(e.response.status_code, 404, "status of paper_info")
    return {"repo": repo}


if __name__ == "__main__":
    it.run(main)
