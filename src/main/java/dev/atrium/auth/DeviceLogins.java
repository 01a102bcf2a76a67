package dev.atrium.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Browser logins for command-line clients, the device authorization grant of RFC 8628: what {@code hf auth login}
 * does when the user picks "Log in with your browser" (its default, and its only way without a terminal). The client
 * asks for a pair of codes, shows the user code and the page to enter it, and polls with the device code; a person
 * signed in to the web UI approves or refuses there; the next poll after an approval hands the client a new write
 * token of that person's, once. The token is made at that moment, so no token is ever stored in the clear.
 */
public final class DeviceLogins {
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    /** The endpoint that starts a request needs no credentials: this bounds what strangers can make Atrium store. */
    static final int MAX_PENDING = 1000;
    /** A waiting request not polled for this long is given up when room is needed. */
    static final Duration ABANDONED = Duration.ofSeconds(30);
    /** RFC 8628 §6.1: consonants only (no words, no 0/O or 1/I confusion); 20^8 codes, about 35 bits. */
    private static final String USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";
    private static final int USER_CODE_LENGTH = 8;
    /** Polls a little early still count as on time: the client's sleep and the network add jitter either way. */
    private static final long POLL_TOLERANCE_MS = 1000;
    private static final DateTimeFormatter TOKEN_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A new request: the codes as the client shows them. */
    public record Started(String deviceCode, String userCode, Duration expiresIn, Duration interval) {}

    /** A request waiting for its person, as the approval page shows it. */
    public record Request(String userCode, String clientId) {}

    /** The token endpoint's refusals (RFC 8628 §3.5, RFC 6749 §5.2), with their wire codes. */
    public enum Refusal {
        AUTHORIZATION_PENDING("authorization_pending", "Not approved yet: open the page and enter the code"),
        SLOW_DOWN("slow_down", "Polled too often: wait longer between requests"),
        ACCESS_DENIED("access_denied", "The login was refused in the browser"),
        EXPIRED_TOKEN("expired_token", "The code has expired: start the login again"),
        INVALID_GRANT("invalid_grant", "Unknown or already used device code");

        private final String code;
        private final String description;

        Refusal(String code, String description) {
            this.code = code;
            this.description = description;
        }

        public String code() {
            return code;
        }

        public String description() {
            return description;
        }
    }

    /** What a poll gets: the token, or why not (yet). */
    public sealed interface Polled {
        record Granted(Tokens.Issued token) implements Polled {}

        record Refused(Refusal refusal) implements Polled {}
    }

    /** More requests are waiting than {@link #MAX_PENDING}. */
    public static final class TooManyPending extends RuntimeException {
        TooManyPending() {
            super("Too many browser logins are waiting; try again in a few minutes");
        }
    }

    /**
     * Too many wrong user codes from one account lately: codes are not looked up for it until the window ends, or a
     * signed-in guesser could find another person's waiting login.
     */
    public static final class TooManyGuesses extends RuntimeException {
        TooManyGuesses() {
            super("Too many codes that match no waiting login; try again in " + MISS_WINDOW.toMinutes()
                    + " minutes");
        }
    }

    /** How many wrong user codes an account may type in {@link #MISS_WINDOW}. */
    static final int MISS_LIMIT = 10;
    static final Duration MISS_WINDOW = Duration.ofMinutes(15);

    private record Row(String status, String clientId, String userId, long expiresAt, Long polledAt) {}

    private final Jdbi jdbi;
    private final Users users;
    private final Tokens tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DeviceLogins(Jdbi jdbi, Users users, Tokens tokens, Clock clock) {
        this.jdbi = jdbi;
        this.users = users;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A new request for the client {@code clientId}; expired ones are forgotten first. */
    public Started start(String clientId) {
        long now = clock.millis();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String deviceCode = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        for (int attempt = 0; ; attempt++) {
            String userCode = newUserCode();
            try {
                jdbi.useTransaction(h -> {
                    h.createUpdate("DELETE FROM device_logins WHERE expires_at <= :now").bind("now", now).execute();
                    if (waiting(h) >= MAX_PENDING) {
                        // Full: a client polls every few seconds, so requests nobody polls for a while are abandoned
                        // (or a stranger's flood) and make room first.
                        h.createUpdate("""
                                DELETE FROM device_logins
                                WHERE status = 'pending' AND COALESCE(polled_at, created_at) <= :abandoned""")
                                .bind("abandoned", now - ABANDONED.toMillis()).execute();
                        if (waiting(h) >= MAX_PENDING) {
                            throw new TooManyPending();
                        }
                    }
                    h.createUpdate("""
                            INSERT INTO device_logins (device_hash, user_code, client_id, status, created_at, expires_at)
                            VALUES (:hash, :code, :client, 'pending', :now, :expires)""")
                            .bind("hash", Tokens.hash(deviceCode)).bind("code", userCode).bind("client", clientId)
                            .bind("now", now).bind("expires", now + LIFETIME.toMillis()).execute();
                });
                return new Started(deviceCode, display(userCode), LIFETIME, INTERVAL);
            } catch (UnableToExecuteStatementException e) {
                if (attempt == 4) { // a user code taken five times in a row is not chance
                    throw e;
                }
            }
        }
    }

    /**
     * The waiting request with this user code, typed in any case, with or without its dash, looked up for {@code
     * user}.
     *
     * @throws TooManyGuesses when {@code user} typed too many codes that matched nothing lately
     */
    public Optional<Request> pending(String typedUserCode, User user) {
        guess(user);
        Optional<String> code = normalize(typedUserCode);
        Optional<Request> found = code.flatMap(c -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT client_id FROM device_logins
                        WHERE user_code = :code AND status = 'pending' AND expires_at > :now""")
                .bind("code", c).bind("now", clock.millis())
                .map((rs, ctx) -> new Request(display(c), rs.getString(1))).findOne()));
        if (found.isPresent()) {
            forgive(user);
        }
        return found;
    }

    /**
     * Approves a waiting request for {@code user}; false when no such request is waiting.
     *
     * @throws TooManyGuesses as {@link #pending} does
     */
    public boolean approve(String typedUserCode, User user) {
        return decide(typedUserCode, "approved", user);
    }

    /**
     * Refuses a waiting request, as {@code user}; false when no such request is waiting.
     *
     * @throws TooManyGuesses as {@link #pending} does
     */
    public boolean deny(String typedUserCode, User user) {
        return decide(typedUserCode, "denied", user);
    }

    private boolean decide(String typedUserCode, String status, User user) {
        guess(user);
        Optional<String> code = normalize(typedUserCode);
        boolean decided = code.isPresent() && jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE device_logins SET status = :status, user_id = :user
                        WHERE user_code = :code AND status = 'pending' AND expires_at > :now""")
                .bind("status", status).bind("user", "approved".equals(status) ? user.id() : null)
                .bind("code", code.get()).bind("now", clock.millis()).execute()) == 1;
        if (decided) {
            forgive(user);
        }
        return decided;
    }

    /**
     * Counts a code typed by {@code user} as a miss until it is found ({@link #forgive}): counted first, so requests
     * sent all at once cannot slip past the limit.
     */
    private void guess(User user) {
        long now = clock.millis();
        int misses = jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM device_code_misses WHERE user_id = :id AND window_start <= :expired")
                    .bind("id", user.id()).bind("expired", now - MISS_WINDOW.toMillis()).execute();
            h.createUpdate("""
                    INSERT INTO device_code_misses (user_id, misses, window_start) VALUES (:id, 1, :now)
                    ON CONFLICT (user_id) DO UPDATE SET misses = device_code_misses.misses + 1""")
                    .bind("id", user.id()).bind("now", now).execute();
            return h.createQuery("SELECT misses FROM device_code_misses WHERE user_id = :id")
                    .bind("id", user.id()).mapTo(Integer.class).one();
        });
        if (misses > MISS_LIMIT) {
            throw new TooManyGuesses();
        }
    }

    private void forgive(User user) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE device_code_misses SET misses = misses - 1 WHERE user_id = :id AND misses > 0""")
                .bind("id", user.id()).execute());
    }

    /**
     * The client's poll. An approved request is taken out of the table before its token is made, so two polls racing
     * for it cannot both get one; should making the token then fail, the client has to start again.
     */
    public Polled poll(String deviceCode, String clientId) {
        String hash = Tokens.hash(deviceCode);
        long now = clock.millis();
        Optional<Row> found = jdbi.withHandle(h -> h.createQuery("""
                        SELECT status, client_id, user_id, expires_at, polled_at FROM device_logins
                        WHERE device_hash = :hash""")
                .bind("hash", hash)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : rs.getLong(5)))
                .findOne());
        if (found.isEmpty() || !found.get().clientId().equals(clientId)) {
            return new Polled.Refused(Refusal.INVALID_GRANT);
        }
        Row row = found.get();
        if (row.expiresAt() <= now) {
            jdbi.useHandle(h -> forget(h, hash, row.status()));
            return new Polled.Refused(Refusal.EXPIRED_TOKEN);
        }
        switch (row.status()) {
            case "pending" -> {
                boolean early = row.polledAt() != null
                        && now - row.polledAt() < INTERVAL.toMillis() - POLL_TOLERANCE_MS;
                jdbi.useHandle(h -> h.createUpdate("UPDATE device_logins SET polled_at = :now WHERE device_hash = :hash")
                        .bind("now", now).bind("hash", hash).execute());
                return new Polled.Refused(early ? Refusal.SLOW_DOWN : Refusal.AUTHORIZATION_PENDING);
            }
            case "denied" -> {
                jdbi.useHandle(h -> forget(h, hash, "denied"));
                return new Polled.Refused(Refusal.ACCESS_DENIED);
            }
            default -> {
                boolean taken = jdbi.withHandle(h -> forget(h, hash, "approved"));
                Optional<User> user = taken ? users.byId(row.userId()) : Optional.empty();
                if (user.isEmpty()) {
                    return new Polled.Refused(Refusal.INVALID_GRANT);
                }
                String name = "Browser login, " + TOKEN_DATE.format(Instant.ofEpochMilli(now)) + " UTC";
                return new Polled.Granted(tokens.create(user.get(), name, TokenRole.WRITE));
            }
        }
    }

    private static int waiting(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM device_logins").mapTo(Integer.class).one();
    }

    private static boolean forget(Handle h, String hash, String status) {
        return h.createUpdate("DELETE FROM device_logins WHERE device_hash = :hash AND status = :status")
                .bind("hash", hash).bind("status", status).execute() == 1;
    }

    private String newUserCode() {
        StringBuilder code = new StringBuilder(USER_CODE_LENGTH);
        for (int i = 0; i < USER_CODE_LENGTH; i++) {
            code.append(USER_CODE_LETTERS.charAt(random.nextInt(USER_CODE_LETTERS.length())));
        }
        return code.toString();
    }

    /** The stored form of a typed code: its letters, upper case; empty unless that makes a possible code. */
    static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 40) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(USER_CODE_LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (USER_CODE_LETTERS.indexOf(c) >= 0) {
                code.append(c);
            } else if (c != '-' && c != ' ') {
                return Optional.empty();
            }
        }
        return code.length() == USER_CODE_LENGTH ? Optional.of(code.toString()) : Optional.empty();
    }

    /** {@code BCDFGHJK} as people read it: {@code BCDF-GHJK}. */
    static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }
}
