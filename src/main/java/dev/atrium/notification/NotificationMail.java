package dev.atrium.notification;

import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.discussion.Discussions;
import dev.atrium.mail.Mail;
import dev.atrium.mail.Outbox;
import dev.atrium.repo.Repo;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A notification by mail as well, as the Hub sends them: to followers who had nothing unread on the thread (one mail
 * for a burst of comments, not one each), whose address is verified (the hub mails no address nobody proved to be
 * theirs, beyond the link that proves it) and who did not turn it off. Nothing on a hub without mail.
 */
public final class NotificationMail {
    /** The longest comment text quoted in a mail; the link shows the rest. */
    private static final int QUOTED = 2_000;

    private final @Nullable Outbox outbox;
    private final Users users;
    private final String hubUrl;

    public NotificationMail(@Nullable Outbox outbox, Users users, String hubUrl) {
        this.outbox = outbox;
        this.users = users;
        this.hubUrl = hubUrl;
    }

    /** What changed on a thread, for those it is news to. */
    void threadChanged(List<Notifications.Follower> told, Repo repo, Discussions.Discussion thread,
                       @Nullable String actor, @Nullable String text, boolean opened) {
        if (outbox == null) {
            return;
        }
        String kind = thread.isPr() ? "pull request" : "discussion";
        String link = hubUrl + "/" + repo.type().urlPrefix() + repo.repoId() + "/discussions/" + thread.num();
        String what = (actor == null ? "Someone" : actor) + (opened ? " opened this " + kind
                : text != null ? " commented" : " changed this " + kind) + ":";
        String quoted = text == null || text.isBlank() ? ""
                : "\n\n" + (text.length() > QUOTED ? text.substring(0, QUOTED) + "…" : text).strip();
        for (Notifications.Follower f : told) {
            recipient(f.userId()).ifPresent(user -> outbox.post(new Mail(user.email(),
                    "[" + repo.repoId() + "] " + thread.title() + " (#" + thread.num() + ")",
                    what + quoted + "\n\n" + link + "\n\n" + footer(f.reason()))));
        }
    }

    /** A request for access that waits for a review, for those who may answer it. */
    void accessRequested(List<Notifications.Follower> told, Repo repo, String requester) {
        if (outbox == null) {
            return;
        }
        String link = hubUrl + "/" + repo.type().urlPrefix() + repo.repoId() + "/settings#gated-title";
        for (Notifications.Follower f : told) {
            recipient(f.userId()).ifPresent(user -> outbox.post(new Mail(user.email(),
                    "[" + repo.repoId() + "] " + requester + " asked for access",
                    requester + " asked for access to " + repo.repoId() + ", which waits for your review:\n\n" + link
                            + "\n\n" + footer(f.reason()))));
        }
    }

    private Optional<User> recipient(String userId) {
        return users.mailableById(userId);
    }

    private String footer(Notifications.Reason reason) {
        String why = switch (reason) {
            case OWNER -> "you may write to this repo";
            case PARTICIPANT -> "you took part";
            case MENTION -> "you were mentioned";
            case ACCESS_REQUEST -> "you may answer its access requests";
        };
        return "You get this because " + why + ". Turn these mails off at " + hubUrl + "/notifications";
    }
}
