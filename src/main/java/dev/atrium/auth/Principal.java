package dev.atrium.auth;

/** An authenticated caller: the user and the token they presented. */
public record Principal(User user, TokenInfo token) {
    public boolean canWrite() {
        return token.role() == TokenRole.WRITE;
    }
}
