package dev.atrium.web;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.org.Organizations;
import java.util.ArrayList;
import java.util.List;

/** Where a user may create repos: their own namespace first, then organizations where they may write. */
final class Owners {
    private Owners() {}

    static List<String> of(User user, Organizations orgs) {
        List<String> owners = new ArrayList<>(List.of(user.name()));
        orgs.of(user).stream().filter(m -> m.role().atLeast(OrgRole.WRITE)).map(m -> m.org().name())
                .forEach(owners::add);
        return owners;
    }
}
