package dev.atrium.notification;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Users;
import dev.atrium.discussion.Discussions;
import dev.atrium.discussion.Threads;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who hears of a discussion's or pull request's change: the repo's owner (for an organization, its members who
 * may write), everyone who took part, and whoever the new comment mentions ({@code @name}); never whoever made the
 * change, and only those who may read the repo.
 */
public final class ThreadFollowers implements Threads.Listener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ThreadFollowers.class);
    /** A mention: {@code @name} not inside a word, an email address or a path. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@/.])@([A-Za-z0-9][A-Za-z0-9._-]{0,95})");

    private final Notifications notifications;
    private final Discussions discussions;
    private final Users users;
    private final RepoKeepers keepers;
    private final AccessPolicy policy;
    private final NotificationMail mail;

    public ThreadFollowers(Notifications notifications, Discussions discussions, Users users, Organizations orgs,
                           AccessPolicy policy, NotificationMail mail) {
        this.mail = mail;
        this.notifications = notifications;
        this.discussions = discussions;
        this.users = users;
        this.keepers = new RepoKeepers(users, orgs);
        this.policy = policy;
    }

    @Override
    public void changed(Repo repo, Discussions.Discussion thread, boolean created,
                        Discussions.@Nullable Event comment) {
        try {
            tell(repo, thread, created, comment);
        } catch (RuntimeException e) {
            // The comment or change is stored already: a notification that failed must not fail it.
            LOG.warn("could not notify the followers of {}#{}", repo.repoId(), thread.num(), e);
        }
    }

    private void tell(Repo repo, Discussions.Discussion thread, boolean created, Discussions.@Nullable Event comment) {
        List<Discussions.Event> events = discussions.events(thread);
        // The listener's "created" is about the comment when there is one (a new comment), else about the thread.
        boolean threadOpened = created && comment == null;
        Discussions.Event latest = comment != null ? comment : events.isEmpty() ? null : events.get(events.size() - 1);
        String actorId = threadOpened ? thread.authorId() : latest == null ? null : latest.authorId();
        String actor = threadOpened ? thread.author() : latest == null ? null : latest.author();

        Map<String, Notifications.Reason> followers = new LinkedHashMap<>();
        keepers.of(repo, Set.of(OrgRole.WRITE, OrgRole.ADMIN))
                .forEach(id -> followers.put(id, Notifications.Reason.OWNER));
        if (thread.authorId() != null) {
            followers.put(thread.authorId(), Notifications.Reason.PARTICIPANT);
        }
        for (Discussions.Event e : events) {
            if (e.authorId() != null && e.type().equals("comment")) {
                followers.put(e.authorId(), Notifications.Reason.PARTICIPANT);
            }
        }
        Discussions.Event said = comment != null ? comment
                : threadOpened && !events.isEmpty() && events.get(0).type().equals("comment") ? events.get(0) : null;
        if (said != null) {
            for (String name : mentions(said.text())) {
                users.byName(name).ifPresent(u -> followers.put(u.id(), Notifications.Reason.MENTION));
            }
        }
        if (actorId != null) {
            followers.remove(actorId);
        }
        List<Notifications.Follower> told = new ArrayList<>();
        followers.forEach((userId, reason) -> {
            if (maySee(userId, repo)) {
                told.add(new Notifications.Follower(userId, reason));
            }
        });
        List<Notifications.Follower> news = notifications.notify(told, repo.id(), thread.num(), actor);
        mail.threadChanged(news, repo, thread, actor, said == null ? null : said.text(), threadOpened);
    }

    private boolean maySee(String userId, Repo repo) {
        return users.activeById(userId).map(user -> policy.canRead(Principal.reader(user), repo)).orElse(false);
    }

    static List<String> mentions(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String name = m.group(1).replaceAll("[._-]+$", "");
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
