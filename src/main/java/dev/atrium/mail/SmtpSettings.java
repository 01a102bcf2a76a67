package dev.atrium.mail;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Where the hub hands its mail: an SMTP server, how it is secured, who signs in to it, and the sender's address.
 *
 * @param security {@code STARTTLS}: plain connection upgraded to TLS, which must succeed (port 587, {@code smtp://});
 *                 {@code TLS}: TLS from the start (port 465, {@code smtps://}); {@code NONE}: no TLS at all, for a
 *                 relay on the same machine or network ({@code smtp://...?tls=none})
 */
public record SmtpSettings(String host, int port, Security security, @Nullable String username,
                           @Nullable String password, String from) {
    public enum Security { STARTTLS, TLS, NONE }

    public SmtpSettings {
        if (host.isBlank()) {
            throw new IllegalArgumentException("--smtp needs a host, like smtp://mail.example.com:587");
        }
        if (!from.contains("@")) {
            throw new IllegalArgumentException("--mail-from must be an address, like hub@example.com");
        }
    }

    /**
     * From {@code smtp://[user@]host[:port][?tls=none]} or {@code smtps://[user@]host[:port]}; the password comes
     * from {@code password} (an environment variable, so that it shows in no process list), or else from the URL.
     */
    public static SmtpSettings parse(String url, @Nullable String password, String from) {
        URI uri = URI.create(url.strip());
        Security security = switch (String.valueOf(uri.getScheme())) {
            case "smtp" -> "tls=none".equals(uri.getQuery()) ? Security.NONE : Security.STARTTLS;
            case "smtps" -> Security.TLS;
            default -> throw new IllegalArgumentException("--smtp must start with smtp:// or smtps://");
        };
        if (uri.getQuery() != null && !"tls=none".equals(uri.getQuery())) {
            throw new IllegalArgumentException("--smtp takes no query but ?tls=none");
        }
        String user = null;
        String fromUrl = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            fromUrl = parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : security == Security.TLS ? 465 : 587;
        return new SmtpSettings(uri.getHost() == null ? "" : uri.getHost(), port, security, user,
                password != null && !password.isEmpty() ? password : fromUrl, from);
    }

    /** Never the password: the settings are shown at startup. */
    @Override
    public String toString() {
        return (security == Security.TLS ? "smtps://" : "smtp://") + (username == null ? "" : username + "@") + host
                + ":" + port + (security == Security.NONE ? "?tls=none" : "") + " from " + from;
    }
}
