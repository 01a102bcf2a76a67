package dev.atrium.notification;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who hears of a request for access to a gated repo that waits for a review: those who may answer it, the repo's
 * owner or its organization's admins (as the API's access-request routes allow). One line per repo, at the latest
 * request, whoever asked.
 */
public final class AccessRequestFollowers {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccessRequestFollowers.class);
    private final Notifications notifications;
    private final Repos repos;
    private final RepoKeepers keepers;
    private final NotificationMail mail;

    public AccessRequestFollowers(Notifications notifications, Repos repos, Users users, Organizations orgs,
                                  NotificationMail mail) {
        this.mail = mail;
        this.notifications = notifications;
        this.repos = repos;
        this.keepers = new RepoKeepers(users, orgs);
    }

    public void asked(String repoId, User requester) {
        try {
            tell(repoId, requester);
        } catch (RuntimeException e) {
            // The request is stored already: a notification that failed must not fail it.
            LOG.warn("could not notify the keepers of repo {} of {}'s access request", repoId, requester.name(), e);
        }
    }

    private void tell(String repoId, User requester) {
        Optional<Repo> repo = repos.findById(repoId);
        if (repo.isEmpty()) {
            return;
        }
        List<String> admins = keepers.of(repo.get(), Set.of(OrgRole.ADMIN));
        List<Notifications.Follower> news = notifications.notify(admins.stream()
                        .filter(id -> !id.equals(requester.id()))
                        .map(id -> new Notifications.Follower(id, Notifications.Reason.ACCESS_REQUEST)).toList(),
                repoId, Notifications.ACCESS_REQUESTS, requester.name());
        mail.accessRequested(news, repo.get(), requester.name());
    }
}
