package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code --signup}: who may make an account at {@code /join}, through the real server's form, as a browser posts it.
 * Whether an account came to be is asked of the login form, which answers a session cookie only to an account.
 */
class SignupIT {

    private static HttpResponse<String> post(HubHttp http, AtriumProcess server, String path, String form) {
        return http.send(http.request(path, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> join(HubHttp http, AtriumProcess server, String name, String email) {
        return post(http, server, "/join", "name=" + name + "&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=correct-horse-battery");
    }

    private static boolean canLogIn(HubHttp http, AtriumProcess server, String name) {
        HttpResponse<String> login = post(http, server, "/login", "name=" + name + "&password=correct-horse-battery");
        return login.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("atrium_session="));
    }

    @Test
    void closed_refusesEveryAccount_andSaysWhomToAsk() {
        try (AtriumProcess server = AtriumProcess.start("--signup", "closed")) {
            HubHttp http = HubHttp.of(server);
            HttpResponse<String> page = http.get("/join");
            assertEquals(403, page.statusCode());
            assertTrue(page.body().contains("Sign-up is closed on this hub"), page.body());
            assertFalse(page.body().contains("<form method=\"post\" action=\"/join\""), "no form to fill");
            assertTrue(http.get("/login").body().contains("Ask this hub's administrator"));
            assertFalse(http.get("/models").body().contains("href=\"/join\""), "no sign-up link in the header");

            assertEquals(403, join(http, server, "mallory", "mallory@example.com").statusCode());
            assertFalse(canLogIn(http, server, "mallory"), "no account was made");
        }
    }

    @Test
    void domains_acceptOnlyThoseAddresses() {
        try (AtriumProcess server = AtriumProcess.start("--signup", "domains:lab.example.org")) {
            HubHttp http = HubHttp.of(server);
            assertTrue(http.get("/join").body().contains("email addresses at lab.example.org"));
            HttpResponse<String> refused = join(http, server, "mallory", "mallory@example.com");
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("Sign-up here is for email addresses at lab.example.org"));
            assertFalse(canLogIn(http, server, "mallory"));

            HttpResponse<String> made = join(http, server, "alice", "alice@LAB.example.org");
            assertEquals(303, made.statusCode(), made.body());
            assertTrue(canLogIn(http, server, "alice"));
        }
    }

    @Test
    void open_isTheDefault() {
        try (AtriumProcess server = AtriumProcess.start()) {
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.get("/join").statusCode());
            assertTrue(http.get("/models").body().contains("href=\"/join\""), "the header offers sign-up");
            assertEquals(303, join(http, server, "anyone", "anyone@anywhere.net").statusCode());
            assertTrue(canLogIn(http, server, "anyone"));
        }
    }
}
