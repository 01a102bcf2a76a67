package dev.atrium.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may create an account: anyone (as on the Hub, and the default), nobody (the site's administrators make
 * accounts with {@code atrium admin create-user}), people with an email address at one of some domains (a lab's or
 * a company's), or only people who log in through the hub's identity provider. Set by
 * {@code --signup open|closed|domains:example.org,example.com|sso}.
 *
 * @param open            whether {@code /join} makes accounts with a password
 * @param throughProvider whether a first login through the identity provider makes one ({@link SsoAccounts})
 */
public record SignupPolicy(boolean open, Set<String> domains, boolean throughProvider) {
    public static final SignupPolicy OPEN = new SignupPolicy(true, Set.of());
    public static final SignupPolicy CLOSED = new SignupPolicy(false, Set.of());
    /** Accounts only by a first login through the identity provider, which decides who may come. */
    public static final SignupPolicy SSO = new SignupPolicy(false, Set.of(), true);
    private static final String DOMAINS = "domains:";

    public SignupPolicy {
        domains = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(domains));
    }

    /** Sign-up at {@code /join} and through the provider alike. */
    public SignupPolicy(boolean open, Set<String> domains) {
        this(open, domains, open);
    }

    public static SignupPolicy parse(String text) {
        String value = text.strip();
        if (value.equals("open")) {
            return OPEN;
        }
        if (value.equals("closed")) {
            return CLOSED;
        }
        if (value.equals("sso")) {
            return SSO;
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
        throw new IllegalArgumentException("--signup takes open, closed, domains:example.org,example.com or sso, not '"
                + text + "'");
    }

    /** Why an account with this email may not be made at {@code /join}; empty when it may. */
    public Optional<String> refusal(String email) {
        if (!open) {
            return Optional.of(throughProvider
                    ? "Accounts here are made by logging in through single sign-on: use the login page's button."
                    : "Sign-up is closed on this hub: ask its administrator for an account.");
        }
        return domainRefusal(email);
    }

    /** Why the domains do not let this email have an account; empty when they do (or when any address may). */
    public Optional<String> domainRefusal(String email) {
        if (domains.isEmpty()) {
            return Optional.empty();
        }
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return domains.contains(domain) ? Optional.empty()
                : Optional.of("Sign-up here is for email addresses at " + String.join(", ", domains) + ".");
    }

    @Override
    public String toString() {
        return !open ? (throughProvider ? "sso" : "closed") : domains.isEmpty() ? "open"
                : DOMAINS + String.join(",", domains);
    }
}
