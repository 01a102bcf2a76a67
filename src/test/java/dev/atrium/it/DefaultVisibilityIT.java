package dev.atrium.it;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/**
 * {@code --default-visibility private}: repos the Python client creates without saying {@code private=} are private,
 * one created public stays public, and the New page presets Private ({@code src/it/python/default_visibility.py}).
 * An organization's own rule, private by default or private only, through the client and the pages
 * ({@code src/it/python/org_visibility.py}).
 */
class DefaultVisibilityIT {

    @Test
    void reposMadeWithoutAVisibility_arePrivate() {
        try (AtriumProcess server = AtriumProcess.start("--default-visibility", "private")) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            Clients.python().script("default_visibility.py", server.baseUrl(), alice.token(),
                            ItPaths.newTempDir("default-visibility"))
                    .env("ALICE_PASSWORD", alice.password()).runChecked();
        }
    }

    @Test
    void anOrganizationsRule_decidesItsReposVisibility() {
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            Clients.python().script("org_visibility.py", server.baseUrl(), alice.token(),
                            ItPaths.newTempDir("org-visibility"))
                    .env("ALICE_PASSWORD", alice.password()).runChecked();
        }
    }
}
