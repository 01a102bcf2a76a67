package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Accounts over their life: a user changes their password in the browser ({@code src/it/js/account-settings.mjs});
 * an administrator sets one from standard input, and deactivates someone who left: their token, git over HTTP and
 * the login form stop working until the account is reactivated, when the same token works again.
 */
class AccountsIT {

    private static HttpResponse<String> login(HubHttp http, AtriumProcess server, String name, String password) {
        return http.send(loginRequest(http, server, name, password));
    }

    /** A login through a reverse proxy that says it forwards for {@code client}. */
    private static HttpResponse<String> login(HubHttp http, AtriumProcess server, String name, String password,
                                              String client) {
        return http.send(loginRequest(http, server, name, password).header("X-Forwarded-For", client));
    }

    private static HttpRequest.Builder loginRequest(HubHttp http, AtriumProcess server, String name, String password) {
        return http.request("/login", null).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString("name=" + name + "&password=" + password));
    }

    @Test
    void passwordsChange_andADeactivatedAccountSignsInNoMore() {
        GitClient git = Clients.git();
        Path work = ItPaths.newTempDir("accounts");
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            AdminCli.Account bob = server.admin().createUserWithToken("bob", "write");
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.send(http.request("/api/repos/create", bob.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"notes\", \"private\": true}"))).statusCode());

            Clients.node().script("account-settings.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("USER_NAME", alice.name())
                    .env("USER_PASSWORD", alice.password()).env("NEW_PASSWORD", "a-new-password-2")
                    .env("OTHER_EMAIL", bob.email()).runChecked();

            server.admin().command(List.of("set-password", "bob")).stdin("set-by-the-admin\n").runChecked();
            assertEquals(401, login(http, server, "bob", bob.password()).statusCode(), "the old password");
            assertEquals(303, login(http, server, "bob", "set-by-the-admin").statusCode(), "the one the admin set");
            Proc.Result tooShort = server.admin().command(List.of("set-password", "bob")).stdin("short\n").run();
            assertNotEquals(0, tooShort.exitCode(), "a short password is refused");
            java.util.function.Function<String, List<String>> createZoe = role -> List.of("create-user", "zoe",
                    "--password", "zoe-password-1", "--email", "zoe@atrium.test", "--token", role);
            Proc.Result badRole = server.admin().command(createZoe.apply("owner")).run();
            assertNotEquals(0, badRole.exitCode(), "an unknown token role is refused");
            String zoeReads = server.admin().run(createZoe.apply("read")).stdout().strip();
            assertEquals(200, http.get("/api/whoami-v2", zoeReads).statusCode(),
                    "the refused command made no account, so the name was free; its token works");

            assertEquals(200, http.get("/api/whoami-v2", bob.token()).statusCode());
            server.admin().run(List.of("deactivate-user", "bob"));
            assertEquals(401, http.get("/api/whoami-v2", bob.token()).statusCode(), "bob's token");
            Proc.Result clone = git.command(work, "clone", GitClient.cloneUrl(server.baseUrl(), bob.token(),
                    "bob/notes"), "notes").run();
            assertNotEquals(0, clone.exitCode(), "git with bob's token");
            HttpResponse<String> refused = login(http, server, "bob", "set-by-the-admin");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("This account is deactivated."), refused.body());
            assertEquals(401, login(http, server, "bob", "wrong-password").statusCode(),
                    "without the password nobody learns the account's state");
            assertEquals(200, http.get("/api/whoami-v2", alice.token()).statusCode(), "others are unaffected");

            server.admin().run(List.of("reactivate-user", "bob"));
            assertEquals(200, http.get("/api/whoami-v2", bob.token()).statusCode(), "the same token works again");
            git.command(work, "clone", GitClient.cloneUrl(server.baseUrl(), bob.token(), "bob/notes"), "notes")
                    .runChecked();
        }
    }

    /**
     * Mail through a real SMTP server (GreenMail, in this JVM): signing up mails a link that verifies the address, a
     * forgotten password a link that sets a new one (and nothing for an account that does not exist), both followed
     * in Chromium ({@code mail-before.mjs}, {@code mail-after.mjs}); whoami-v2 then says the address is verified.
     */
    @Test
    void mail_verifiesAddresses_andResetsForgottenPasswords() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (AtriumProcess server = AtriumProcess.startWithBaseUrl("--smtp", "smtp://127.0.0.1:" + port
                + "?tls=none", "--mail-from", "hub@atrium.test")) {
            Path state = ItPaths.newTempDir("mail").resolve("erin-browser.json");
            Clients.node().script("mail-before.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("PASSWORD", "erin-password-1")
                    .env("STATE", state.toString()).runChecked();
            assertTrue(smtp.waitForIncomingEmail(30_000, 2), "a verification and a reset mail");
            Thread.sleep(1_000); // a third, to the account that does not exist, would have followed them by now
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertEquals(2, mails.length, "nothing for the account that does not exist");
            for (MimeMessage mail : mails) {
                assertEquals("erin@atrium.test", mail.getAllRecipients()[0].toString());
                assertTrue(mail.getFrom()[0].toString().contains("hub@atrium.test"));
            }
            String token = server.admin().createToken("erin", "read");
            HubHttp http = HubHttp.of(server);
            assertEquals(false, HubHttp.json(http.get("/api/whoami-v2", token)).get("emailVerified").asBoolean());

            Clients.node().script("mail-after.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("STATE", state.toString())
                    .env("VERIFY_LINK", link(mails, server.baseUrl() + "/verify-email?token="))
                    .env("RESET_LINK", link(mails, server.baseUrl() + "/reset-password?token="))
                    .env("NEW_PASSWORD", "erin-password-2").runChecked();
            assertEquals(true, HubHttp.json(http.get("/api/whoami-v2", token)).get("emailVerified").asBoolean(),
                    "whoami-v2 says the address is verified");
            assertEquals(401, login(http, server, "erin", "erin-password-1").statusCode(), "the old password");

            // Her address verified, erin hears by mail of a discussion opened on her repo.
            String erinWrites = server.admin().createToken("erin", "write");
            assertEquals(200, http.send(http.request("/api/repos/create", erinWrites)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"model\"}"))).statusCode());
            AdminCli.Account gus = server.admin().createUserWithToken("gus", "write");
            assertEquals(200, http.send(http.request("/api/models/erin/model/discussions", gus.token())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"title\": \"Loss curve?\", \"description\": \"Could you share it?\"}")))
                    .statusCode());
            assertTrue(smtp.waitForIncomingEmail(30_000, 3), "the notification mail");
            MimeMessage news = smtp.getReceivedMessages()[2];
            assertEquals("erin@atrium.test", news.getAllRecipients()[0].toString());
            assertEquals("[erin/model] Loss curve? (#1)", news.getSubject());
            String text = news.getContent().toString();
            assertTrue(text.contains("gus opened this discussion") && text.contains("Could you share it?")
                    && text.contains(server.baseUrl() + "/erin/model/discussions/1"), text);

            // Password reset poisoning: whatever Host the asker sends, the mailed link is on the hub's own URL.
            server.admin().createUser("fay", "fay-password-1", "fay@atrium.test", false);
            Proc.of("curl", "-sS", "-o", "/dev/null", "-H", "Host: evil.example", "--data", "who=fay",
                    server.listenUrl() + "/forgot-password").runChecked();
            assertTrue(smtp.waitForIncomingEmail(30_000, 4), "fay's reset mail");
            MimeMessage toFay = smtp.getReceivedMessages()[3];
            assertEquals("fay@atrium.test", toFay.getAllRecipients()[0].toString());
            String body = toFay.getContent().toString();
            assertTrue(body.contains(server.baseUrl() + "/reset-password?token=") && !body.contains("evil.example"),
                    body);

            // An operator checks the settings with a test mail; a server that does not answer is said so.
            server.admin().command(List.of("send-test-mail", "ops@atrium.test", "--smtp",
                    "smtp://127.0.0.1:" + port + "?tls=none", "--mail-from", "hub@atrium.test")).runChecked();
            assertTrue(smtp.waitForIncomingEmail(30_000, 5), "the test mail");
            assertEquals("ops@atrium.test", smtp.getReceivedMessages()[4].getAllRecipients()[0].toString());
            int closed;
            try (ServerSocket free = new ServerSocket(0)) {
                closed = free.getLocalPort();
            }
            Proc.Result failed = server.admin().command(List.of("send-test-mail", "ops@atrium.test", "--smtp",
                    "smtp://127.0.0.1:" + closed + "?tls=none", "--mail-from", "hub@atrium.test")).run();
            assertNotEquals(0, failed.exitCode());
            assertTrue(failed.stderr().contains("could not send mail to ops@atrium.test through 127.0.0.1:" + closed),
                    failed.stderr());
        } finally {
            smtp.stop();
        }
    }

    /** The link in one of the mails that starts with {@code prefix}. */
    private static String link(MimeMessage[] mails, String prefix) {
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\S+");
        return Arrays.stream(mails).map(mail -> {
            try {
                return mail.getContent().toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(pattern::matcher).filter(Matcher::find).map(Matcher::group).findFirst()
                .orElseThrow(() -> new AssertionError("no mail links to " + prefix));
    }

    @Test
    void guessingAPassword_stopsAfterTenTries_untilAnAdministratorSetsANewOne() throws Exception {
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account carol = server.admin().createUserWithToken("carol", "write");
            AdminCli.Account dave = server.admin().createUserWithToken("dave", "write");
            HubHttp http = HubHttp.of(server);
            for (int i = 0; i < 10; i++) {
                assertEquals(401, login(http, server, "carol", "guess-" + i).statusCode(), "guess " + i);
            }
            HttpResponse<String> refused = login(http, server, "carol", carol.password());
            assertEquals(429, refused.statusCode(), "the eleventh try, even with the right password");
            assertTrue(refused.body().contains("Too many failed sign-ins for this account. Try again in 15 minutes."),
                    refused.body());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 800 && retryAfter <= 900, "Retry-After " + retryAfter);
            assertEquals(429, login(http, server, "carol", carol.password(), "203.0.113.9").statusCode(),
                    "X-Forwarded-For from a peer that is not a trusted proxy changes nothing");
            assertEquals(401, login(http, server, "Pa55word-in-the-name-field", "x").statusCode());
            String log = Files.readString(server.logFile());
            assertTrue(log.contains("Wrong password: account carol from 127.0.0.1"), "logged for fail2ban");
            assertTrue(log.contains("Sign-in refused, too many failures: account carol from 127.0.0.1"));
            assertTrue(log.contains("Sign-in for no account from 127.0.0.1") && !log.contains("Pa55word"),
                    "a name that is no account's is not logged: it may be a password");
            assertEquals(303, login(http, server, "dave", dave.password()).statusCode(), "others sign in");
            assertEquals(200, http.get("/api/whoami-v2", carol.token()).statusCode(), "tokens are not passwords");

            server.admin().command(List.of("set-password", "carol")).stdin("a-fresh-password\n").runChecked();
            assertEquals(303, login(http, server, "carol", "a-fresh-password").statusCode(),
                    "a new password starts the count over");
        }
    }

    /**
     * Behind a trusted reverse proxy ({@code --trusted-proxies}), the client's address is the one the proxy forwards
     * for: a guesser locks out its own address, and the account's owner, elsewhere, still signs in.
     */
    @Test
    void behindATrustedProxy_aGuesserLocksOutItsOwnAddressOnly() throws Exception {
        try (AtriumProcess server = AtriumProcess.start("--trusted-proxies", "127.0.0.1,::1")) {
            AdminCli.Account erin = server.admin().createUserWithToken("erin", "write");
            HubHttp http = HubHttp.of(server);
            for (int i = 0; i < 10; i++) {
                assertEquals(401, login(http, server, "erin", "guess-" + i, "203.0.113.7").statusCode(), "guess " + i);
            }
            assertEquals(429, login(http, server, "erin", erin.password(), "203.0.113.7").statusCode(),
                    "the guesser's address is refused, even with the right password");
            assertEquals(429, login(http, server, "erin", erin.password(), "192.0.2.1, 203.0.113.7").statusCode(),
                    "whatever the guesser writes in front of the address the proxy appended");
            assertEquals(303, login(http, server, "erin", erin.password(), "198.51.100.20").statusCode(),
                    "the owner signs in from elsewhere");
            assertTrue(Files.readString(server.logFile()).contains("Wrong password: account erin from 203.0.113.7"),
                    "the log names the forwarded address");
            assertTrue(server.served("POST /login 303 \\d+ms 198\\.51\\.100\\.20"), "and so does the access log");
        }
    }

    /**
     * The admin page in Chromium ({@code src/it/js/admin-pages.mjs}): deactivate, reactivate, set a password; the
     * effects checked with bob's token and browser.
     */
    @Test
    void theAdminPage_deactivatesReactivatesAndSetsPasswords() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String adminPassword = "the-site-admin-pw";
            server.admin().createUser("root", adminPassword, "root@atrium.test", true);
            AdminCli.Account bob = server.admin().createUserWithToken("bob", "write");
            HubHttp http = HubHttp.of(server);
            Clients.node().script("admin-pages.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("ADMIN_NAME", "root")
                    .env("ADMIN_PASSWORD", adminPassword).env("BOB_PASSWORD", bob.password())
                    .env("NEW_PASSWORD", "set-on-the-admin-page").runChecked();
            assertEquals(200, http.get("/api/whoami-v2", bob.token()).statusCode(), "reactivated: his token works");
            assertEquals(401, login(http, server, "bob", bob.password()).statusCode(), "the old password");
        }
    }
}
