package dev.atrium.notification;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Users;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import java.util.List;
import java.util.Set;

/** Who looks after a repo: the user it belongs to, or its organization's members in the given roles. */
final class RepoKeepers {
    private final Users users;
    private final Organizations orgs;

    RepoKeepers(Users users, Organizations orgs) {
        this.users = users;
        this.orgs = orgs;
    }

    List<String> of(Repo repo, Set<OrgRole> roles) {
        String namespace = repo.repoId().namespace();
        return orgs.byName(namespace)
                .map(org -> orgs.members(org).stream().filter(m -> roles.contains(m.role()))
                        .map(m -> m.user().id()).toList())
                .orElseGet(() -> users.byName(namespace).map(u -> List.of(u.id())).orElse(List.of()));
    }
}
