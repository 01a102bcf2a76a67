package dev.atrium.auth;

/** An authenticated caller: the user and the token they presented. */
public record Principal(User user, TokenInfo token) {
    /**
     * The user as someone who reads: what any credential of theirs may see, for deciding on their behalf whether
     * they may see a repo (a webhook's payload, a notification) when no request of theirs is at hand.
     */
    public static Principal reader(User user) {
        return new Principal(user, new TokenInfo("reader:" + user.id(), user.id(), "reader", TokenRole.READ, 0, null,
                null));
    }

    public boolean canWrite() {
        return token.role() == TokenRole.WRITE;
    }
}
