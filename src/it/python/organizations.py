"""Organizations and their roles through the real huggingface_hub client and git, against a live Atrium.

Environment: HF_ENDPOINT, WORKDIR, and write tokens TOKEN_ALICE (creates the organization, admin), TOKEN_BOB (write),
TOKEN_CAROL (read), TOKEN_DAVE (not a member). Prints one JSON line.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import it_common as it  # noqa: E402

it.prepare_environment()

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

ENDPOINT = os.environ["HF_ENDPOINT"].rstrip("/")
TOKENS = {n: os.environ["TOKEN_" + n.upper()] for n in ("alice", "bob", "carol", "dave")}


def raw(method, path, who, headers=None, **kwargs):
    headers = dict(headers or {}, **({"Authorization": f"Bearer {TOKENS[who]}"} if who else {}))
    return get_session().request(method, ENDPOINT + path, headers=headers, **kwargs)


def git(cwd, *args, check=True):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def clone_url(who, repo):
    scheme, rest = ENDPOINT.split("://", 1)
    return f"{scheme}://{who}:{TOKENS[who]}@{rest}/{repo}"


def main():
    work = Path(os.environ["WORKDIR"])
    work.mkdir(parents=True, exist_ok=True)
    api = {n: HfApi(token=t) for n, t in TOKENS.items()}

    it.step("alice creates the organization acme and is its admin")
    r = raw("POST", "/api/organizations/new", "alice", json={"name": "acme", "fullname": "ACME Corp"})
    it.check_equal(r.status_code, 200, "create: " + r.text)
    it.check_equal(raw("POST", "/api/organizations/new", "bob", json={"name": "acme"}).status_code, 409, "name taken")
    it.check_equal(raw("POST", "/api/organizations/new", "bob", json={"name": "alice"}).status_code, 409,
                   "a user's name is taken too")
    it.check_equal(raw("POST", "/api/organizations/acme/members", "bob", json={"username": "carol", "role": "read"})
                   .status_code, 403, "only admins add members")
    for who, role in (("bob", "write"), ("carol", "read")):
        r = raw("POST", "/api/organizations/acme/members", "alice", json={"username": who, "role": role})
        it.check_equal(r.status_code, 200, f"add {who}: {r.text}")
    members = {m["user"]: m["role"] for m in raw("GET", "/api/organizations/acme/members", None).json()}
    it.check_equal(members, {"alice": "admin", "bob": "write", "carol": "read"}, "members")
    orgs = {o["name"]: o["roleInOrg"] for o in api["bob"].whoami()["orgs"]}
    it.check_equal(orgs, {"acme": "write"}, "whoami lists the organization with the role")

    it.step("bob (write) creates a private repo in acme and uploads through the client, LFS included")
    api["bob"].create_repo("acme/secret", private=True)
    folder = work / "upload"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "bert"}\n')
    big = os.urandom(3 * 1024 * 1024)
    (folder / "model.safetensors").write_bytes(big)
    api["bob"].upload_folder(repo_id="acme/secret", folder_path=folder)
    got = hf_hub_download("acme/secret", "model.safetensors", token=TOKENS["carol"], cache_dir=work / "c-carol")
    it.check_equal(it.sha256_file(got), it.sha256_bytes(big), "carol (read) downloads the same bytes")
    repos = list(api["alice"].list_user_repos(namespace="acme"))
    it.check_equal([(r.id, r.visibility, r.storage >= len(big)) for r in repos], [("acme/secret", "private", True)],
                   "the admin lists the organization's repos with their storage")
    e = it.check_raises(HfHubHTTPError, lambda: list(api["bob"].list_user_repos(namespace="acme")), "bob lists them")
    it.check_equal(e.response.status_code, 403, "only admins")

    it.step("carol (read) may not write, through the API or git")
    e = it.check_raises(HfHubHTTPError, lambda: api["carol"].upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                                                         repo_id="acme/secret"), "carol uploads")
    it.check_equal(e.response.status_code, 403, "carol's upload")
    git(work, "clone", "-q", clone_url("carol", "acme/secret"), "carol-clone")
    (work / "carol-clone" / "note.txt").write_text("from carol\n")
    git(work / "carol-clone", "add", "note.txt")
    git(work / "carol-clone", "commit", "-q", "-m", "carol's change")
    push = git(work / "carol-clone", "push", "-q", "origin", "HEAD:main", check=False)
    it.check(push.returncode != 0, "git refuses carol's push")
    git(work, "clone", "-q", clone_url("bob", "acme/secret"), "bob-clone")
    (work / "bob-clone" / "note.txt").write_text("from bob\n")
    git(work / "bob-clone", "add", "note.txt")
    git(work / "bob-clone", "commit", "-q", "-m", "bob's change")
    git(work / "bob-clone", "push", "-q", "origin", "HEAD:main")

    it.step("dave, not a member, sees nothing: info, listing, resolve, git and LFS all answer as if it did not exist")
    it.check_raises(RepositoryNotFoundError, lambda: api["dave"].model_info("acme/secret"), "dave's model_info")
    it.check_equal([m.id for m in api["dave"].list_models(author="acme")], [], "dave's listing")
    it.check_equal(sorted(m.id for m in api["carol"].list_models(author="acme")), ["acme/secret"], "carol's listing")
    it.check_raises(RepositoryNotFoundError, lambda: hf_hub_download("acme/secret", "config.json", token=TOKENS["dave"],
                                                                     cache_dir=work / "c-dave"), "dave's download")
    it.check(git(work, "clone", "-q", clone_url("dave", "acme/secret"), "dave-clone", check=False).returncode != 0,
             "git refuses dave's clone")
    lfs = raw("POST", "/acme/secret.git/info/lfs/objects/batch", "dave", headers={
        "Accept": "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json"},
        json={"operation": "download", "objects": [{"oid": it.sha256_bytes(big), "size": len(big)}]})
    it.check_equal(lfs.status_code, 404, "dave's LFS batch")
    overview = raw("GET", "/api/organizations/acme/overview", "dave").json()
    it.check_equal((overview["numUsers"], overview["numModels"]), (3, 0), "dave's overview counts no private repo")
    it.check_equal(raw("GET", "/api/organizations/acme/overview", "carol").json()["numModels"], 1, "carol's does")

    it.step("roles change and members leave; the last admin cannot")
    it.check_equal(raw("PUT", "/api/organizations/acme/members/carol", "alice", json={"role": "write"}).status_code,
                   200, "carol promoted")
    api["carol"].upload_file(path_or_fileobj=b"now I can\n", path_in_repo="carol.txt", repo_id="acme/secret")
    it.check_equal(raw("DELETE", "/api/organizations/acme/members/alice", "alice").status_code, 409, "last admin")
    it.check_equal(raw("PUT", "/api/organizations/acme/members/alice", "alice", json={"role": "write"}).status_code,
                   409, "the last admin cannot step down either")
    it.check_equal(raw("DELETE", "/api/organizations/acme/members/carol", "carol").status_code, 200, "carol leaves")
    it.check_raises(RepositoryNotFoundError, lambda: api["carol"].model_info("acme/secret"), "carol after leaving")

    it.step("moving repos needs admin on both sides")
    e = it.check_raises(HfHubHTTPError, lambda: api["bob"].move_repo("acme/secret", "bob/secret"), "bob moves it")
    it.check_equal(e.response.status_code, 403, "bob's move")
    api["alice"].create_repo("alice/personal")
    api["alice"].move_repo("alice/personal", "acme/personal")
    it.check("acme/personal" in [m.id for m in api["bob"].list_models(author="acme")], "moved into acme")
    it.step("invitations: a link for one person, who joins with it; nobody else can use it")
    r = raw("POST", "/api/organizations/acme/invites", "alice", json={"invitee": "dave", "role": "read"})
    it.check_equal(r.status_code, 200, "invite: " + r.text)
    secret = r.json()["link"].rsplit("/", 1)[1]
    it.check(r.json()["link"].startswith(ENDPOINT + "/organizations/acme/join/"), "the link points at this hub")
    it.check_equal(raw("POST", "/api/organizations/acme/join", "carol", json={"invite": secret}).status_code, 403,
                   "carol cannot use dave's invitation")
    it.check_equal(raw("POST", "/api/organizations/acme/join", "dave", json={"invite": secret}).json()["role"], "read",
                   "dave joins")
    it.check_equal(api["dave"].model_info("acme/secret").id, "acme/secret", "dave now sees the private repo")
    it.check_equal(raw("POST", "/api/organizations/acme/join", "dave", json={"invite": secret}).status_code, 404,
                   "a used invitation is gone")

    it.step("admins see the tokens that reach the organization and revoke them; the audit log tells what happened")
    extra = raw("POST", "/api/settings/tokens", "bob", json={"name": "bob-extra", "role": "write"}).json()
    listed = raw("GET", "/api/organizations/acme/tokens", "alice").json()
    it.check(any(t["user"] == "bob" and t["name"] == "bob-extra" for t in listed), "bob's token is listed")
    it.check_equal(raw("GET", "/api/organizations/acme/tokens", "bob").status_code, 403, "only admins list them")
    it.check_equal(raw("DELETE", f"/api/organizations/acme/tokens/{extra['id']}", "alice").status_code, 200, "revoke")
    r = get_session().get(ENDPOINT + "/api/whoami-v2", headers={"Authorization": f"Bearer {extra['token']}"})
    it.check_equal(r.status_code, 401, "the revoked token is dead")
    big_file = next(f for f in api["alice"].list_lfs_files("acme/secret") if f.filename == "model.safetensors")
    api["alice"].permanently_delete_lfs_files("acme/secret", [big_file])
    api["alice"].update_repo_settings("acme/secret", gated="manual")
    api["alice"].grant_access("acme/secret", "dave")
    log = raw("GET", "/api/organizations/acme/audit-log", "alice").json()
    actions = {(e["actor"], e["action"], e["target"]) for e in log}
    details = {(e["action"], e["details"]) for e in log if e["target"] == "model acme/secret"}
    it.check({("repo.gate", "manual"), ("repo.access-request", "dave accepted")} <= details,
             f"gating the repo and letting dave in through the API are logged: {details}")
    it.check(("alice", "repo.large-files.delete", "model acme/secret") in actions, "a permanent deletion is logged")
    for expected in [("alice", "org.create", "acme"), ("alice", "member.add", "bob"),
                     ("bob", "repo.create", "model acme/secret"), ("alice", "member.role", "carol"),
                     ("carol", "member.leave", "carol"), ("alice", "repo.move", "model alice/personal -> acme/personal"),
                     ("dave", "member.join", "dave"), ("alice", "token.revoke", "bob")]:
        it.check(expected in actions, f"the audit log records {expected}")
    it.check_equal(raw("GET", "/api/organizations/acme/audit-log", "bob").status_code, 403, "only admins read it")

    it.step("a classroom: teachers invite a roster in bulk")
    it.check_equal(raw("PUT", "/api/organizations/acme/settings", "alice", json={"classroom": True}).json(),
                   {"classroom": True, "repoVisibility": "hub"}, "acme becomes a classroom, its repos' visibility kept")
    roster = "username,role\nstudent1\nstudent2@example.com,contributor\n\n"
    links = raw("POST", "/api/organizations/acme/invites/bulk", "alice", data=roster,
                headers={"Content-Type": "text/csv"}).json()
    it.check_equal([(l["invitee"], l["role"]) for l in links],
                   [("student1", "read"), ("student2@example.com", "contributor")], "one invitation per student")
    it.check_equal(raw("POST", "/api/organizations/acme/invites/bulk", "alice", data="dave,owner",
                       headers={"Content-Type": "text/csv"}).status_code, 400, "an unknown role names its line")

    it.step("people follow users and organizations; the client lists followers and following")
    for who in ("bob", "carol", "dave"):
        r = raw("POST", "/api/users/alice/follow", who)
        it.check_equal(r.status_code, 200, f"{who} follows alice: {r.text}")
    it.check_equal(raw("POST", "/api/users/alice/follow", "bob").json(), {"following": True, "numFollowers": 3},
                   "following twice counts once")
    r = raw("POST", "/api/users/alice/follow", "alice")
    it.check_equal((r.status_code, r.json()), (400, {"error": "You cannot follow yourself"}), "nobody follows themselves")
    it.check_equal(raw("POST", "/api/users/nobody/follow", "bob").status_code, 404, "an unknown user")
    it.check_equal(raw("POST", "/api/users/alice/follow", None).status_code, 401, "anonymous callers follow nobody")
    reader = raw("POST", "/api/settings/tokens", "carol", json={"name": "carol-read", "role": "read"}).json()["token"]
    r = get_session().post(ENDPOINT + "/api/users/bob/follow", headers={"Authorization": f"Bearer {reader}"})
    it.check_equal(r.status_code, 403, "a read token changes nothing: " + r.text)
    it.check_equal(raw("POST", "/api/users/bob/follow", "dave").status_code, 200, "dave follows bob")
    it.check_equal(raw("POST", "/api/organizations/acme/follow", "dave").status_code, 200, "dave follows acme")

    it.check_equal(sorted(u.username for u in api["bob"].list_user_followers("alice")), ["bob", "carol", "dave"],
                   "alice's followers")
    it.check_equal(sorted(u.username for u in api["bob"].list_user_following("dave")), ["alice", "bob"],
                   "whom dave follows (users; acme is not in the list)")
    it.check_equal([u.username for u in api["alice"].list_organization_followers("acme")], ["dave"], "acme's followers")
    it.check_equal([u.is_following for u in api["dave"].list_user_followers("alice")
                    if u.username == "bob"], [True], "each listed user says whether the caller follows them")
    it.check_equal(list(api["alice"].list_user_followers("carol")), [], "carol has no followers")
    try:
        list(api["alice"].list_user_followers("nobody"))
        it.check(False, "followers of an unknown user")
    except HfHubHTTPError as e:
        it.check_equal(e.response.status_code, 404, "followers of an unknown user")

    overview = api["bob"].get_user_overview("alice")
    it.check_equal((overview.num_followers, overview.num_following, overview.is_following), (3, 0, True),
                   "alice's overview, seen by a follower")
    overview = api["dave"].get_user_overview("dave")
    it.check_equal((overview.num_followers, overview.num_following), (0, 2), "dave's own overview")
    org = api["dave"].get_organization_overview("acme")
    it.check_equal((org.num_followers, org.is_following), (1, True), "acme's overview, seen by its follower")
    it.check_equal(org.num_users, len(raw("GET", "/api/organizations/acme/members", None).json()),
                   "the overview counts the members the list holds")
    it.check_equal(api["alice"].get_organization_overview("acme").is_following, False, "and by a non-follower")

    pages, url = [], ENDPOINT + "/api/users/alice/followers?limit=2"
    while url:
        r = get_session().get(url)
        it.check_equal(r.status_code, 200, "a page of followers")
        pages.append([u["user"] for u in r.json()])
        url = r.links.get("next", {}).get("url")
    it.check_equal([len(p) for p in pages], [2, 1], "two per page, linked")
    it.check_equal(sorted(sum(pages, [])), ["bob", "carol", "dave"], "the pages hold every follower once")

    r = raw("DELETE", "/api/users/alice/follow", "carol")
    it.check_equal(r.json(), {"following": False, "numFollowers": 2}, "carol unfollows alice")
    it.check_equal(raw("DELETE", "/api/users/alice/follow", "carol").json()["numFollowers"], 2, "unfollowing twice")
    it.check_equal(sorted(u.username for u in api["bob"].list_user_followers("alice")), ["bob", "dave"],
                   "carol is no longer listed")
    return {"members": len(members), "audit": len(log)}


if __name__ == "__main__":
    it.run(main)
