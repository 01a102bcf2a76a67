package dev.atrium;

import dev.atrium.auth.OidcSettings;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.http.TrustedProxies;
import dev.atrium.inference.InferenceSettings;
import dev.atrium.lfs.MultipartPolicy;
import dev.atrium.scan.ClamdSettings;
import dev.atrium.space.SpaceSettings;
import dev.atrium.mail.SmtpSettings;
import dev.atrium.storage.S3Settings;
import dev.atrium.viewer.ViewerLimits;
import dev.atrium.http.OutboundTargets;
import dev.atrium.mirror.MirrorSettings;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Settings, validated once at start-up.
 *
 * @param baseUrl            the URL users put in HF_ENDPOINT; null derives it from each request's Host header
 * @param inlineUploadLimit  files up to this size are accepted inline in commits (preupload answers "regular"), so the
 *                           Python client with hf_xet never needs Xet for them
 * @param gitBlobLimit       files above this size are stored as LFS objects, never as plain git blobs
 * @param multipart          when LFS uploads are split into parts
 * @param database           a {@code jdbc:postgresql://} URL for the metadata; null keeps it in SQLite under dataDir
 * @param webhookTargets     where webhooks may be delivered
 * @param viewerLimits       how much the dataset viewer reads and keeps
 * @param inference          whether and how models run for the inference API and widget
 * @param spaces             whether and how Streamlit Spaces run
 * @param objectStorage      the S3-compatible bucket for large files; null keeps them under dataDir
 * @param reposDir           where the git repositories are, shared by every node of a hub that has several; null
 *                           keeps them under dataDir
 * @param secretFile         the key that signs URLs and seals Space secrets, the same file for every node; null
 *                           keeps it under dataDir
 * @param clamd              the ClamAV daemon that scans pushed files for viruses; null scans for pickles only
 * @param signup             who may make an account
 * @param sshPort            where git over SSH listens (0: any free port); null: no SSH
 * @param mail               the SMTP server for password resets and address checks; null sends no mail
 * @param trustedProxies     the reverse proxies whose X-Forwarded-For names the client
 * @param oidc               the OpenID Connect provider people may sign in through; null: passwords only
 * @param newReposPrivate    whether a repo made without saying its visibility is private ({@code --default-visibility})
 * @param mirrors            where mirrors of other hubs' repos may reach, and how often they sync
 */
public record AtriumConfig(String host, int port, Path dataDir, @Nullable URI baseUrl, long inlineUploadLimit,
                           long gitBlobLimit, MultipartPolicy multipart, @Nullable String database,
                           OutboundTargets webhookTargets, ViewerLimits viewerLimits, InferenceSettings inference,
                           SpaceSettings spaces, @Nullable S3Settings objectStorage, @Nullable Path reposDir,
                           @Nullable Path secretFile, @Nullable ClamdSettings clamd, SignupPolicy signup,
                           @Nullable Integer sshPort, @Nullable SmtpSettings mail, TrustedProxies trustedProxies,
                           @Nullable OidcSettings oidc, boolean newReposPrivate, MirrorSettings mirrors) {
    public static final long MB = 1_000_000L;

    /** The embedded database: SQLite under {@code dataDir}. */
    public AtriumConfig(String host, int port, Path dataDir, @Nullable URI baseUrl, long inlineUploadLimit,
                        long gitBlobLimit, MultipartPolicy multipart) {
        this(host, port, dataDir, baseUrl, inlineUploadLimit, gitBlobLimit, multipart, null);
    }

    /** Webhooks to public addresses only. */
    public AtriumConfig(String host, int port, Path dataDir, @Nullable URI baseUrl, long inlineUploadLimit,
                        long gitBlobLimit, MultipartPolicy multipart, @Nullable String database) {
        this(host, port, dataDir, baseUrl, inlineUploadLimit, gitBlobLimit, multipart, database,
                OutboundTargets.publicOnly("--webhook-allowed-networks"), ViewerLimits.DEFAULT, InferenceSettings.OFF,
                SpaceSettings.OFF, null, null, null, null, SignupPolicy.OPEN, null, null, TrustedProxies.NONE,
                null, false, MirrorSettings.DEFAULT);
    }

    public AtriumConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (sshPort != null && (sshPort < 0 || sshPort > 65535)) {
            throw new IllegalArgumentException("--ssh-port must be between 0 and 65535");
        }
        if (baseUrl != null && (baseUrl.getScheme() == null || baseUrl.getHost() == null)) {
            throw new IllegalArgumentException("--base-url must be absolute, like https://hub.example.com");
        }
        if (mail != null && baseUrl == null) {
            // A link in mail built from a request's Host header would let anyone who asks for a reset choose
            // where the victim's link points (password reset poisoning).
            throw new IllegalArgumentException("--smtp needs --base-url: the links mailed must not depend on the Host"
                    + " header of whoever asked for them");
        }
        if (oidc == null && !signup.open() && signup.throughProvider()) {
            throw new IllegalArgumentException("--signup sso needs --oidc-issuer: accounts would be made by logging in"
                    + " through a provider the hub does not have");
        }
        if (oidc != null && baseUrl == null) {
            // The provider sends browsers back only to the address registered with it: one fixed URL.
            throw new IllegalArgumentException("--oidc-issuer needs --base-url: the provider sends people back to "
                    + "{base-url}" + "/login/sso/callback, the address to register there");
        }
        if (inlineUploadLimit < 0 || gitBlobLimit < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** The git repositories: {@code --repos}, else {@code dataDir/repos}. */
    public Path repositories() {
        return reposDir != null ? reposDir : dataDir.resolve("repos");
    }

    /** The server's key: {@code --secret-file}, else {@code dataDir/secret.key}. */
    public Path secretKey() {
        return secretFile != null ? secretFile : dataDir.resolve("secret.key");
    }

    public static AtriumConfig defaults(Path dataDir) {
        return new AtriumConfig("0.0.0.0", 8080, dataDir, null, 100 * MB, 10 * 1024 * 1024L, MultipartPolicy.DEFAULT);
    }
}
