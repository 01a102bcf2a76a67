package dev.atrium.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may create an account at {@code /join}: anyone (as on the Hub, and the default), nobody (the site's
 * administrators make accounts with {@code atrium admin create-user}), or people with an email address at one of
 * some domains (a lab's or a company's). Set by {@code --signup open|closed|domains:example.org,example.com}.
 */
public record SignupPolicy(boolean open, Set<String> domains) {
    public static final SignupPolicy OPEN = new SignupPolicy(true, Set.of());
    public static final SignupPolicy CLOSED = new SignupPolicy(false, Set.of());
    private static final String DOMAINS = "domains:";

    public SignupPolicy {
        domains = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(domains));
    }

    public static SignupPolicy parse(String text) {
        String value = text.strip();
        if (value.equals("open")) {
            return OPEN;
        }
        if (value.equals("closed")) {
            return CLOSED;
        }
        if (value.startsWith(DOMAINS)) {
            Set<String> domains = new TreeSet<>();
            for (String domain : value.substring(DOMAINS.length()).split(",")) {
                String d = domain.strip().toLowerCase(Locale.ROOT);
                if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                    throw new IllegalArgumentException("--signup domains: '" + domain.strip()
                            + "' is not a domain name such as example.org");
                }
                domains.add(d);
            }
            return new SignupPolicy(true, domains);
        }
        throw new IllegalArgumentException("--signup takes open, closed or domains:example.org,example.com, not '"
                + text + "'");
    }

    /** Why an account with this email may not be made here; empty when it may. */
    public Optional<String> refusal(String email) {
        if (!open) {
            return Optional.of("Sign-up is closed on this hub: ask its administrator for an account.");
        }
        if (domains.isEmpty()) {
            return Optional.empty();
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return domains.contains(domain) ? Optional.empty()
                : Optional.of("Sign-up here is for email addresses at " + String.join(", ", domains) + ".");
    }

    @Override
    public String toString() {
        return !open ? "closed" : domains.isEmpty() ? "open" : DOMAINS + String.join(",", domains);
    }
}
