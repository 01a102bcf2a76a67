package dev.atrium;

import dev.atrium.auth.OidcSettings;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.http.TrustedProxies;
import dev.atrium.mail.Mail;
import dev.atrium.mail.Mailer;
import dev.atrium.mail.SmtpMailer;
import dev.atrium.mail.SmtpSettings;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.Tokens;
import dev.atrium.usage.Usage;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.inference.InferenceSettings;
import dev.atrium.scan.ClamdSettings;
import dev.atrium.scan.PickleScans;
import dev.atrium.scan.VirusScans;
import dev.atrium.space.SpaceSettings;
import dev.atrium.storage.BlobCopy;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.ObjectStorageUnavailable;
import dev.atrium.storage.S3BlobStore;
import dev.atrium.storage.S3Settings;
import dev.atrium.lfs.MultipartPolicy;
import dev.atrium.viewer.ViewerLimits;
import dev.atrium.http.OutboundTargets;
import dev.atrium.mirror.MirrorSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Command line: {@code serve} and the {@code admin} commands. */
public final class Main {
    private static final Set<String> FLAGS = Set.of("--admin", "--apply", "--s3-redirect-downloads", "--antivirus",
            "--pickle");

    private Main() {}

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.awt.headless", "true"); // the viewer draws thumbnails; there is never a screen
        if (argv.length == 0) {
            usage();
            System.exit(2);
        }
        try {
            switch (argv[0]) {
                case "serve" -> serve(Args.parse(argv, 1));
                case "admin" -> admin(argv);
                case "help", "--help", "-h" -> usage();
                default -> fail("unknown command '" + argv[0] + "'");
            }
        } catch (IllegalArgumentException | ObjectStorageUnavailable e) {
            fail(e.getMessage()); // a setting the operator can mend: the reason, not a stack trace
        }
    }

    private static void serve(Args args) throws IOException {
        AtriumConfig defaults = AtriumConfig.defaults(Path.of(args.option("--data", "./data")));
        String baseUrl = args.option("--base-url", null);
        AtriumConfig config = new AtriumConfig(args.option("--host", defaults.host()),
                Integer.parseInt(args.option("--port", "8080")), defaults.dataDir(),
                baseUrl == null ? null : URI.create(baseUrl),
                Long.parseLong(args.option("--inline-upload-limit", String.valueOf(defaults.inlineUploadLimit()))),
                defaults.gitBlobLimit(),
                new MultipartPolicy(
                        Long.parseLong(args.option("--lfs-multipart-threshold",
                                String.valueOf(defaults.multipart().threshold()))),
                        Long.parseLong(args.option("--lfs-part-size", String.valueOf(defaults.multipart().partSize())))),
                database(args), OutboundTargets.allowing(args.option("--webhook-allowed-networks", ""), "--webhook-allowed-networks"),
                new ViewerLimits(bytes(args, "--viewer-split-limit", ViewerLimits.DEFAULT.splitBytes()),
                        bytes(args, "--viewer-cache-size", ViewerLimits.DEFAULT.cacheBytes()),
                        onOff(args, "--parquet-export", true)),
                inference(args), spaces(args), objectStorage(args), path(args, "--repos", "ATRIUM_REPOS"),
                path(args, "--secret-file", "ATRIUM_SECRET_FILE"), clamd(args),
                SignupPolicy.parse(args.option("--signup", Optional.ofNullable(System.getenv("ATRIUM_SIGNUP"))
                        .orElse("open"))), sshPort(args), mail(args),
                TrustedProxies.parse(args.option("--trusted-proxies",
                        Optional.ofNullable(System.getenv("ATRIUM_TRUSTED_PROXIES")).orElse(""))), oidc(args),
                defaultVisibility(args), mirrorSettings(args));
        Atrium atrium = Atrium.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(atrium::close));
        String shownHost = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        System.out.println("Atrium listening on http://" + shownHost + ":" + atrium.port());
        atrium.sshPort().ifPresent(port -> System.out.println("git over SSH on ssh://git@" + shownHost + ":" + port
                + "/namespace/name"));
        System.out.flush();
    }

    /**
     * Off unless {@code --smtp} (or {@code ATRIUM_SMTP}) names the SMTP server; its password comes from
     * {@code ATRIUM_SMTP_PASSWORD}, the sender from {@code --mail-from} (or {@code ATRIUM_MAIL_FROM}).
     */
    private static @Nullable SmtpSettings mail(Args args) {
        String url = args.option("--smtp", System.getenv("ATRIUM_SMTP"));
        if (url == null || url.isBlank()) {
            return null;
        }
        String from = args.option("--mail-from", System.getenv("ATRIUM_MAIL_FROM"));
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("--smtp needs --mail-from (or ATRIUM_MAIL_FROM): the sender's address");
        }
        return SmtpSettings.parse(url, System.getenv("ATRIUM_SMTP_PASSWORD"), from);
    }

    /**
     * Off unless {@code --oidc-issuer} (or {@code ATRIUM_OIDC_ISSUER}) names the provider; the client's id from
     * {@code --oidc-client-id} ({@code ATRIUM_OIDC_CLIENT_ID}), its secret from {@code ATRIUM_OIDC_CLIENT_SECRET}
     * only (never an option: options show in process lists), the button's label from {@code --oidc-label}.
     */
    private static @Nullable OidcSettings oidc(Args args) {
        String issuer = args.option("--oidc-issuer", System.getenv("ATRIUM_OIDC_ISSUER"));
        if (issuer == null || issuer.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(issuer.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--oidc-issuer is not a URL: " + e.getMessage());
        }
        return new OidcSettings(uri, Optional.ofNullable(args.option("--oidc-client-id",
                        System.getenv("ATRIUM_OIDC_CLIENT_ID"))).orElse(""),
                Optional.ofNullable(System.getenv("ATRIUM_OIDC_CLIENT_SECRET")).orElse(""),
                Optional.ofNullable(args.option("--oidc-label", System.getenv("ATRIUM_OIDC_LABEL")))
                        .orElse("single sign-on"),
                Optional.ofNullable(args.option("--oidc-scopes", System.getenv("ATRIUM_OIDC_SCOPES")))
                        .orElse(OidcSettings.DEFAULT_SCOPES),
                Optional.ofNullable(args.option("--oidc-groups-claim", System.getenv("ATRIUM_OIDC_GROUPS_CLAIM")))
                        .orElse("groups"),
                OidcSettings.parseOrgRoles(Optional.ofNullable(args.option("--oidc-org-roles",
                        System.getenv("ATRIUM_OIDC_ORG_ROLES"))).orElse("")));
    }

    /** {@code --mirror-allowed-networks} and {@code --mirror-interval} (minutes, default 480). */
    private static MirrorSettings mirrorSettings(Args args) {
        return new MirrorSettings(OutboundTargets.allowing(args.option(MirrorSettings.ALLOWED_NETWORKS,
                Optional.ofNullable(System.getenv("ATRIUM_MIRROR_ALLOWED_NETWORKS")).orElse("")),
                MirrorSettings.ALLOWED_NETWORKS), java.time.Duration.ofMinutes(Long.parseLong(args.option(
                "--mirror-interval", Optional.ofNullable(System.getenv("ATRIUM_MIRROR_INTERVAL")).orElse(
                String.valueOf(MirrorSettings.DEFAULT.interval().toMinutes()))))));
    }

    /** Whether repos made without a visibility are private: {@code --default-visibility public|private}. */
    private static boolean defaultVisibility(Args args) {
        String value = args.option("--default-visibility",
                Optional.ofNullable(System.getenv("ATRIUM_DEFAULT_VISIBILITY")).orElse("public")).strip();
        return switch (value) {
            case "public" -> false;
            case "private" -> true;
            default -> throw new IllegalArgumentException("--default-visibility takes public or private, not '"
                    + value + "'");
        };
    }

    /** Off unless {@code --ssh-port} (or {@code ATRIUM_SSH_PORT}) names a port; 0 takes any free one. */
    private static @Nullable Integer sshPort(Args args) {
        String port = args.option("--ssh-port", System.getenv("ATRIUM_SSH_PORT"));
        if (port == null || port.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ssh-port must be a port number, not '" + port + "'");
        }
    }

    /** Off unless {@code --inference-python} (or {@code ATRIUM_INFERENCE_PYTHON}) names a Python to run models. */
    private static InferenceSettings inference(Args args) {
        String python = args.option("--inference-python", System.getenv("ATRIUM_INFERENCE_PYTHON"));
        InferenceSettings off = InferenceSettings.OFF;
        InferenceSettings settings = new InferenceSettings(null,
                bytes(args, "--inference-model-limit", off.modelBytes()),
                java.time.Duration.ofSeconds(Long.parseLong(args.option("--inference-timeout",
                        String.valueOf(off.timeout().toSeconds())))), off.waiting());
        if (python == null || python.isBlank()) {
            return settings;
        }
        if (!java.nio.file.Files.isExecutable(Path.of(python))) {
            throw new IllegalArgumentException("--inference-python " + python + " is not an executable");
        }
        return settings.withPython(Path.of(python));
    }

    /**
     * Off unless {@code --spaces-python} (or {@code ATRIUM_SPACES_PYTHON}) names a Python with streamlit. Apps run in
     * bubblewrap unless {@code --spaces-sandbox none} says every Space author is trusted.
     */
    private static SpaceSettings spaces(Args args) {
        String python = args.option("--spaces-python", System.getenv("ATRIUM_SPACES_PYTHON"));
        SpaceSettings off = SpaceSettings.OFF;
        int running = Integer.parseInt(args.option("--spaces-limit", String.valueOf(off.running())));
        java.time.Duration idle = java.time.Duration.ofMinutes(Long.parseLong(args.option("--spaces-idle-minutes",
                String.valueOf(off.idle().toMinutes()))));
        java.util.List<dev.atrium.space.SpaceHardware> hardware = dev.atrium.space.SpaceHardware.parseAll(
                args.option("--spaces-hardware", hardwareOption(off.hardware())));
        String cgroup = args.option("--spaces-cgroup", off.cgroup());
        if (python == null || python.isBlank()) {
            return new SpaceSettings(null, null, running, idle, off.start(), off.build(), null, hardware, cgroup);
        }
        String pipConfig = args.option("--spaces-pip-config", null);
        if (pipConfig != null && !java.nio.file.Files.isRegularFile(Path.of(pipConfig))) {
            throw new IllegalArgumentException("--spaces-pip-config " + pipConfig + " is not a file");
        }
        if (!java.nio.file.Files.isExecutable(Path.of(python))) {
            throw new IllegalArgumentException("--spaces-python " + python + " is not an executable");
        }
        String sandbox = args.option("--spaces-sandbox", "bwrap");
        Path bwrap = null;
        if (!sandbox.equals("none")) {
            bwrap = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                    .map(dir -> Path.of(dir, sandbox)).filter(java.nio.file.Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--spaces-sandbox " + sandbox + " is not"
                            + " installed (apt-get install bubblewrap), or say --spaces-sandbox none to run Space"
                            + " apps unconfined"));
        }
        return new SpaceSettings(Path.of(python), bwrap, running, idle, off.start(), off.build(),
                pipConfig == null ? null : Path.of(pipConfig).toAbsolutePath(), hardware, cgroup);
    }

    private static String hardwareOption(java.util.List<dev.atrium.space.SpaceHardware> hardware) {
        return String.join(",", hardware.stream().map(dev.atrium.space.SpaceHardware::option).toList());
    }

    /** Off unless {@code --clamd} (or {@code ATRIUM_CLAMD}) says where ClamAV's daemon listens. */
    private static ClamdSettings clamd(Args args) {
        String address = args.option("--clamd", System.getenv("ATRIUM_CLAMD"));
        if (address == null || address.isBlank()) {
            return null;
        }
        return new ClamdSettings(address, bytes(args, "--clamd-max-size", ClamdSettings.DEFAULT_MAX_SIZE),
                java.time.Duration.ofHours(Long.parseLong(args.option("--clamd-rescan-hours",
                        String.valueOf(ClamdSettings.DEFAULT_RESCAN_INTERVAL.toHours())))),
                java.time.Duration.ofSeconds(Long.parseLong(args.option("--clamd-watch-seconds",
                        String.valueOf(ClamdSettings.DEFAULT_WATCH_PERIOD.toSeconds())))));
    }

    private static long bytes(Args args, String option, long fallback) {
        return Long.parseLong(args.option(option, String.valueOf(fallback)));
    }

    private static boolean onOff(Args args, String option, boolean fallback) {
        return switch (args.option(option, fallback ? "on" : "off")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + " is on or off");
        };
    }

    /**
     * {@code --database}, or the {@code ATRIUM_DATABASE} environment variable, which keeps a password in the URL out
     * of the process list.
     */
    private static String database(Args args) {
        return args.option("--database", System.getenv("ATRIUM_DATABASE"));
    }

    /**
     * {@code --blob-store s3://bucket/folder}, or {@code ATRIUM_BLOB_STORE}: large files in S3-compatible object
     * storage instead of under {@code --data}; {@code --s3-endpoint} and {@code --s3-region} (or their
     * {@code ATRIUM_S3_*} variables) for stores other than AWS. Credentials come from the AWS SDK's own chain.
     */
    private static S3Settings objectStorage(Args args) {
        String location = args.option("--blob-store", System.getenv("ATRIUM_BLOB_STORE"));
        if (location == null || location.isBlank() || location.equals("local")) {
            return null;
        }
        S3Settings settings = S3Settings.parse(location,
                args.option("--s3-endpoint", System.getenv("ATRIUM_S3_ENDPOINT")),
                args.option("--s3-region", System.getenv("ATRIUM_S3_REGION")));
        String publicEndpoint = args.option("--s3-public-endpoint", System.getenv("ATRIUM_S3_PUBLIC_ENDPOINT"));
        if (!args.flag("--s3-redirect-downloads")) {
            if (publicEndpoint != null) {
                throw new IllegalArgumentException("--s3-public-endpoint only applies with --s3-redirect-downloads");
            }
            return settings;
        }
        return settings.withDownloads(new S3Settings.Downloads(true,
                publicEndpoint == null ? null : URI.create(publicEndpoint)));
    }

    /**
     * Sends one mail now, through the --smtp and --mail-from the server would use, and says what the mail server
     * answered: an operator checks the settings before users depend on them.
     */
    private static void sendTestMail(String to, Args args) {
        SmtpSettings settings = mail(args);
        if (settings == null) {
            fail("give the server's --smtp and --mail-from (or ATRIUM_SMTP and ATRIUM_MAIL_FROM)");
            return;
        }
        try {
            new SmtpMailer(settings).send(new Mail(to, "Atrium test mail",
                    "This mail was sent by 'atrium admin send-test-mail' through " + settings + ".\n"));
        } catch (Mailer.MailFailed e) {
            fail(e.getMessage());
        }
        System.err.println("sent a test mail to " + to + " through " + settings);
    }

    private static Path path(Args args, String option, String variable) {
        String value = args.option(option, System.getenv(variable));
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static void admin(String[] argv) throws IOException {
        if (argv.length >= 2 && argv[1].equals("gc")) {
            collectGarbage(Args.parse(argv, 2));
            return;
        }
        if (argv.length >= 2 && argv[1].equals("copy-blobs")) {
            copyBlobs(Args.parse(argv, 2));
            return;
        }
        if (argv.length >= 2 && argv[1].equals("backup")) {
            backup(Args.parse(argv, 2));
            return;
        }
        if (argv.length >= 2 && argv[1].equals("rescan")) {
            rescan(Args.parse(argv, 2));
            return;
        }
        if (argv.length >= 3 && argv[1].equals("send-test-mail")) {
            sendTestMail(argv[2], Args.parse(argv, 3));
            return;
        }
        if (argv.length < 3) {
            fail("usage: admin create-user NAME ... | admin create-token NAME ... | admin gc [--apply]");
        }
        Args args = Args.parse(argv, 3);
        String name = argv[2];
        Atrium.Stores stores = openStores(args);
        switch (argv[1]) {
            case "create-user" -> {
                String password = args.required("--password");
                if (password.length() < 8) {
                    fail("the password must have at least 8 characters");
                }
                dev.atrium.repo.RepoId.parse(name + "/x"); // same naming rules as namespaces
                if (dev.atrium.repo.RepoId.isReservedNamespace(name)) {
                    fail("'" + name + "' is reserved");
                }
                if (stores.users().byName(name).isPresent()) {
                    fail("user '" + name + "' already exists");
                }
                TokenRole tokenRole = args.has("--token") ? TokenRole.parse(args.required("--token")) : null;
                User user;
                try {
                    user = stores.users().create(name, args.required("--email"), password, args.flag("--admin"));
                } catch (Users.EmailTaken e) {
                    fail("another account has the email " + args.required("--email"));
                    return;
                }
                System.err.println("created user " + user.name());
                if (tokenRole != null) {
                    // A service account in one step: the token is printed as create-token prints it.
                    System.out.println(stores.tokens().create(user, args.option("--token-name", "cli"), tokenRole)
                            .secret());
                }
            }
            case "set-limits" -> {
                // name is a user or an organization; "none" lifts a limit
                Usage usage = new Usage(stores.jdbi(), stores.gitRepos(), Clock.systemUTC());
                Usage.Limits current = usage.limits(name);
                Long storage = args.has("--private-storage")
                        ? Usage.parseBytes(args.option("--private-storage", "none")).orElse(null) : current.privateStorage();
                Long file = args.has("--max-file-size")
                        ? Usage.parseBytes(args.option("--max-file-size", "none")).orElse(null) : current.maxFileSize();
                Integer repos = args.has("--private-repos") ? (args.option("--private-repos", "none").equals("none")
                        ? null : Integer.valueOf(args.option("--private-repos", "none"))) : current.maxPrivateRepos();
                usage.setLimits(name, new Usage.Limits(storage, file, repos));
                System.out.println("limits of " + name + ": private storage " + (storage == null ? "none" : storage)
                        + ", max file size " + (file == null ? "none" : file) + ", private repos "
                        + (repos == null ? "none" : repos));
            }
            case "mark-paid" -> {
                // Invoices are paid outside Atrium; the operator records the payment against the closed statement.
                Usage usage = new Usage(stores.jdbi(), stores.gitRepos(), Clock.systemUTC());
                var statements = new dev.atrium.usage.Statements(stores.jdbi(), usage,
                        new dev.atrium.usage.Bandwidth(stores.jdbi(), Clock.systemUTC()),
                        new dev.atrium.usage.InvoiceCollector(), Clock.systemUTC());
                java.time.YearMonth month = java.time.YearMonth.parse(args.required("--month"));
                if (!statements.markPaid(name, month, args.option("--note", null))) {
                    fail("no closed statement of " + name + " for " + month);
                }
                System.err.println("marked the " + month + " statement of " + name + " paid");
            }
            case "create-token" -> {
                User user = stores.users().byName(name).orElseThrow(
                        () -> new IllegalArgumentException("no user named '" + name + "'"));
                TokenRole role = TokenRole.parse(args.option("--role", "read"));
                Tokens.Issued issued = stores.tokens().create(user, args.option("--token-name", "cli"), role);
                System.out.println(issued.secret());
            }
            case "list-tokens" -> {
                User user = stores.users().byName(name).orElseThrow(
                        () -> new IllegalArgumentException("no user named '" + name + "'"));
                for (var token : stores.tokens().listFor(user)) {
                    System.out.println(token.id() + "\t" + token.role().wireName() + "\t" + token.displayName()
                            + "\tlast used: " + (token.lastUsedAt() == null ? "never"
                            : java.time.Instant.ofEpochMilli(token.lastUsedAt())));
                }
            }
            case "set-password" -> {
                User user = stores.users().byName(name).orElseThrow(
                        () -> new IllegalArgumentException("no user named '" + name + "'"));
                // From standard input, never the command line, which other users and the shell's history see.
                String password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8)).readLine();
                if (password == null || password.length() < dev.atrium.auth.AccountAdministration.MIN_PASSWORD) {
                    fail("give the new password (8 characters or more) on standard input, e.g. from a file");
                }
                int ended = accounts(stores).setPassword(user, password);
                System.err.println("set the password of " + name + "; signed out " + ended + " session(s)");
            }
            case "deactivate-user", "reactivate-user" -> {
                User user = stores.users().byName(name).orElseThrow(
                        () -> new IllegalArgumentException("no user named '" + name + "'"));
                boolean deactivate = argv[1].equals("deactivate-user");
                accounts(stores).setDeactivated(user, deactivate);
                if (deactivate) {
                    System.err.println("deactivated " + name + ": no token, session or SSH key of theirs signs in;"
                            + " their repos stay (reactivate-user undoes it)");
                } else {
                    System.err.println("reactivated " + name + ": their tokens and SSH keys work again");
                }
            }
            case "sso-disconnect" -> {
                User user = stores.users().byName(name).orElseThrow(
                        () -> new IllegalArgumentException("no user named '" + name + "'"));
                int unlinked = accounts(stores).disconnectSingleSignOn(user);
                System.err.println("disconnected " + name + " from " + unlinked + " single sign-on identit"
                        + (unlinked == 1 ? "y" : "ies") + ": their next login through the provider joins the account"
                        + " by its verified email");
            }
            case "revoke-token" -> {
                if (!stores.tokens().revoke(name)) {
                    fail("no live token with id '" + name + "'");
                }
                System.err.println("revoked token " + name);
            }
            default -> fail("unknown admin command '" + argv[1] + "'");
        }
    }

    private static Atrium.Stores openStores(Args args) throws IOException {
        return Atrium.Stores.open(adminConfig(args), Clock.systemUTC());
    }

    /** Where an admin command finds the hub's stores: the options the server was started with. */
    private static AtriumConfig adminConfig(Args args) {
        AtriumConfig defaults = AtriumConfig.defaults(Path.of(args.option("--data", "./data")));
        return new AtriumConfig(defaults.host(), defaults.port(), defaults.dataDir(), null,
                defaults.inlineUploadLimit(), defaults.gitBlobLimit(), defaults.multipart(), database(args),
                defaults.webhookTargets(), defaults.viewerLimits(), defaults.inference(), defaults.spaces(),
                objectStorage(args), path(args, "--repos", "ATRIUM_REPOS"),
                path(args, "--secret-file", "ATRIUM_SECRET_FILE"), null, SignupPolicy.OPEN, null, null,
                TrustedProxies.NONE, null, false, MirrorSettings.DEFAULT);
    }

    /**
     * {@code admin backup --to DIR [--link-dest PREVIOUS]}: a copy of the hub that a server starts on, made while
     * it runs (see {@link dev.atrium.backup.Backup}).
     */
    private static void backup(Args args) throws IOException {
        AtriumConfig config = adminConfig(args);
        String previous = args.option("--link-dest", null);
        Atrium.Stores stores = Atrium.Stores.open(config, Clock.systemUTC());
        dev.atrium.backup.Backup.Report report = new dev.atrium.backup.Backup(config, stores, Clock.systemUTC())
                .to(Path.of(args.required("--to")), previous == null ? null : Path.of(previous), System.err);
        System.out.printf("backed up %d repositories and %d blobs to %s: %d files copied (%d bytes), %d linked from"
                        + " the previous backup%n", report.repos(), report.blobs(), report.target(), report.files(),
                report.bytes(), report.linked());
        report.notes().forEach(note -> System.out.println("note: " + note));
    }

    /**
     * {@code admin copy-blobs --to s3://bucket/folder} (or {@code --to local}): copies the large files from where
     * the hub keeps them now ({@code --blob-store}, local by default) to the new place. Run it while the server
     * runs, stop the server, run it again (it copies only what is new), and start the server on the new store.
     */
    private static void copyBlobs(Args args) throws IOException {
        AtriumConfig defaults = AtriumConfig.defaults(Path.of(args.option("--data", "./data")));
        String target = args.required("--to");
        S3Settings from = objectStorage(args);
        S3Settings to = target.equals("local") ? null : S3Settings.parse(target,
                args.option("--s3-endpoint", System.getenv("ATRIUM_S3_ENDPOINT")),
                args.option("--s3-region", System.getenv("ATRIUM_S3_REGION")));
        if (from == null ? to == null : to != null && from.sameLocation(to)) {
            fail("--to names the store the blobs are in already");
        }
        Path spool = defaults.dataDir().resolve("tmp").resolve("blob-copy");
        BlobStore source = openBlobStore(defaults.dataDir(), from, spool.resolve("from"));
        BlobStore destination = openBlobStore(defaults.dataDir(), to, spool.resolve("to"));
        BlobCopy.Report report = BlobCopy.copy(source, destination, System.err);
        System.out.printf("copied %d blobs (%d bytes), %d were there already, %d were collected meanwhile, %d failed%n",
                report.copied(), report.copiedBytes(), report.skipped(), report.vanished(), report.failed().size());
        report.failed().forEach(failure -> System.out.println("failed: " + failure));
        if (!report.failed().isEmpty()) {
            System.exit(1);
        }
    }

    private static BlobStore openBlobStore(Path dataDir, S3Settings s3, Path spool) throws IOException {
        return s3 == null ? new LocalBlobStore(dataDir.resolve("blobs")) : S3BlobStore.open(s3, spool);
    }

    /**
     * {@code admin rescan --antivirus|--pickle}: every file is scanned again, by a running server when someone looks
     * at it and by the next start's pass over every repo; meanwhile each file keeps its last verdict. For after
     * clamd's signatures or limits changed.
     */
    private static void rescan(Args args) throws IOException {
        boolean antivirus = args.flag("--antivirus");
        boolean pickle = args.flag("--pickle");
        if (!antivirus && !pickle) {
            fail("say which verdicts to renew: --antivirus, --pickle, or both");
        }
        Atrium.Stores stores = openStores(args);
        if (antivirus) {
            System.out.printf("%d antivirus verdicts marked for a rescan%n", VirusScans.markStale(stores.jdbi()));
        }
        if (pickle) {
            System.out.printf("%d pickle verdicts marked for a rescan%n", PickleScans.markStale(stores.jdbi()));
        }
        System.out.println("files are scanned again when looked at, and all of them at the server's next start");
    }

    /** {@code admin gc}: reports the storage nothing refers to any more; frees it with {@code --apply}. */
    private static void collectGarbage(Args args) throws IOException {
        Atrium.Stores stores = openStores(args);
        java.time.Duration grace = java.time.Duration.ofHours(Long.parseLong(args.option("--grace-hours", "24")));
        boolean apply = args.flag("--apply");
        // Xet first: it drops the views of dead files, which may leave their LFS blobs unreferenced.
        var xet = new dev.atrium.xet.cas.XetGarbage(stores.jdbi(), stores.blobs(), Clock.systemUTC())
                .collect(grace, apply);
        var lfs = new dev.atrium.lfs.LfsGarbage(stores.jdbi(), stores.blobs(), Clock.systemUTC()).collect(grace, apply);
        System.out.printf("%s %d abandoned upload registrations, %d unused Xet files, %d unused xorbs (%d bytes),"
                        + " %d unused LFS blobs (%d bytes)%n",
                apply ? "removed" : "would remove (dry run; --apply removes)", xet.abandonedUploads(), xet.files(),
                xet.xorbs(), xet.bytes(), lfs.blobs(), lfs.bytes());
    }

    private static void usage() {
        System.out.println("""
                usage:
                  atrium serve [--port 8080] [--host 0.0.0.0] [--data ./data] [--base-url URL] [--database JDBC_URL]
                               [--trusted-proxies ADDRESS[/BITS],...]
                               [--inline-upload-limit BYTES] [--lfs-multipart-threshold BYTES] [--lfs-part-size BYTES]
                               [--webhook-allowed-networks CIDR,...] [--viewer-split-limit BYTES]
                               [--viewer-cache-size BYTES] [--parquet-export on|off] [--inference-python PATH]
                               [--inference-model-limit BYTES] [--inference-timeout SECONDS]
                               [--spaces-python PATH] [--spaces-sandbox bwrap|none] [--spaces-limit N]
                               [--spaces-idle-minutes M] [--spaces-pip-config FILE]
                               [--spaces-hardware NAME:CPUS:GIB[:DISK_GIB],...] [--spaces-cgroup auto|none|DIR]
                               [--blob-store local|s3://BUCKET/FOLDER] [--s3-endpoint URL] [--s3-region REGION]
                               [--s3-redirect-downloads] [--s3-public-endpoint URL] [--repos DIR]
                               [--secret-file FILE] [--clamd unix:SOCKET|tcp://HOST:PORT] [--clamd-max-size BYTES]
                               [--clamd-rescan-hours N] [--clamd-watch-seconds N]
                               [--smtp smtp://[USER@]HOST[:PORT][?tls=none]|smtps://...] [--mail-from ADDRESS]
                               [--default-visibility public|private]
                               [--oidc-issuer URL --oidc-client-id ID [--oidc-label NAME]
                                [--oidc-org-roles GROUP=ORG:ROLE,...] [--oidc-groups-claim CLAIM]
                                [--oidc-scopes "openid email profile ..."]]
                  (--database jdbc:postgresql://HOST/DB?user=U&password=P, or ATRIUM_DATABASE, keeps the
                   metadata in PostgreSQL instead of SQLite under --data; admin commands take it too)
                  (--blob-store s3://BUCKET/FOLDER, or ATRIUM_BLOB_STORE, keeps large files in S3-compatible object
                   storage; --s3-endpoint URL for stores other than AWS; credentials from AWS_ACCESS_KEY_ID and
                   AWS_SECRET_ACCESS_KEY or an AWS profile; admin commands take it too; --s3-redirect-downloads
                   sends clients to presigned URLs of the bucket for large files, at --s3-public-endpoint if given)
                  (--inference-python, or ATRIUM_INFERENCE_PYTHON, names a Python with transformers and torch:
                   the inference API and the model pages' widget run models with it; without it they are off)
                  (--spaces-python, or ATRIUM_SPACES_PYTHON, names a Python with streamlit: Streamlit Spaces run
                   with it, each confined by bubblewrap unless --spaces-sandbox none; without it they are stored only;
                   each app's processes share a control group limited to its hardware's CPUs and memory, which
                   --spaces-hardware offers (cpu-basic:2:16,cpu-upgrade:8:32, 50 GiB of disk each unless a fourth
                   number says; the first is the default) and
                   --spaces-cgroup places: auto (beside the hub's own group), a cgroup v2 folder, or none)
                  (--repos DIR and --secret-file FILE, or ATRIUM_REPOS and ATRIUM_SECRET_FILE, put the git
                   repositories and the server's key outside --data: shared by every node of a hub with several)
                  (--clamd, or ATRIUM_CLAMD, says where ClamAV's daemon listens: every pushed file up to
                   --clamd-max-size (100 MiB) is scanned for viruses, besides the pickle scan every hub runs;
                   new clamd signatures renew every verdict, at most once per --clamd-rescan-hours (24; 0: never),
                   checked every --clamd-watch-seconds (3600), when failed scans are retried too)
                  (--ssh-port PORT, or ATRIUM_SSH_PORT, turns on git over SSH there (0: any free port); users
                   add their keys under Settings, SSH keys)
                  (--smtp, or ATRIUM_SMTP, hands mail to that SMTP server (STARTTLS required unless ?tls=none;
                   smtps:// for TLS from the start), from --mail-from (ATRIUM_MAIL_FROM), the password from
                   ATRIUM_SMTP_PASSWORD, links on --base-url, which it needs: users then verify their email and
                   reset a forgotten password themselves)
                  (--trusted-proxies, or ATRIUM_TRUSTED_PROXIES, lists the reverse proxies in front of the hub, like
                   127.0.0.1,::1: their X-Forwarded-For names the client, whose address wrong passwords are counted
                   by; from other peers the header is ignored)
                  (--default-visibility private, or ATRIUM_DEFAULT_VISIBILITY, makes repos private unless their
                   creator says public: the clients' create_repo without private=..., the New page's preset)
                  (--signup, or ATRIUM_SIGNUP, says who may make an account at /join: open (anyone, the default),
                   closed (administrators make them with admin create-user), domains:example.org,example.com
                   (email addresses at those domains), or sso (none at /join: a first login through --oidc-issuer
                   makes the account))
                  (--oidc-issuer URL, or ATRIUM_OIDC_ISSUER, lets people log in through that OpenID Connect
                   provider (Keycloak, Entra ID, Okta, Google...), as client --oidc-client-id (ATRIUM_OIDC_CLIENT_ID)
                   with the secret in ATRIUM_OIDC_CLIENT_SECRET, the login button saying "Log in with" --oidc-label;
                   needs --base-url: register {base-url}/login/sso/callback as the client's redirect URI there.
                   A first login makes an account as --signup allows, or joins the account with the same email
                   when both the provider and the account have verified it; --oidc-org-roles gives members of
                   the provider's groups (claim --oidc-groups-claim, "groups") a role in an organization at each
                   login, and takes it away when the groups no longer give it)
                  atrium admin rescan --antivirus|--pickle [--data DIR]  (verdicts renewed; kept until then)
                  atrium admin send-test-mail ADDRESS --smtp URL --mail-from ADDRESS  (checks the mail settings)
                  atrium admin create-user NAME --password PW --email E [--admin] [--token read|write
                      [--token-name LABEL]] [--data DIR]
                  atrium admin create-token NAME --role read|write [--token-name LABEL] [--data DIR]
                  atrium admin list-tokens NAME [--data DIR]
                  atrium admin revoke-token TOKEN_ID [--data DIR]
                  atrium admin set-password NAME [--data DIR] < FILE  (the new password on standard input)
                  atrium admin deactivate-user NAME | reactivate-user NAME [--data DIR]  (someone who left)
                  atrium admin sso-disconnect NAME [--data DIR]  (their identity at the provider was made anew)
                  atrium admin set-limits USER_OR_ORG [--private-storage 10G|none] [--max-file-size 5G|none]
                                            [--private-repos N|none] [--data DIR]
                  atrium admin mark-paid USER_OR_ORG --month 2026-10 [--note TEXT] [--data DIR]
                  atrium admin gc [--apply] [--grace-hours 24] [--data DIR]
                  atrium admin copy-blobs --to s3://BUCKET/FOLDER|local [--s3-endpoint URL] [--data DIR]
                  (copy-blobs copies the large files to a new store; run it again after stopping the server, then
                   serve with --blob-store set to the new one)
                  (gc frees the Xet and LFS storage no repo refers to any more; without --apply it only reports)
                  atrium admin backup --to NEW_DIR [--link-dest PREVIOUS_BACKUP] [--data DIR]
                  (backup copies the hub while it runs into a folder a server starts on: --data NEW_DIR restores
                   it; --link-dest hard-links what an earlier backup has already)""");
    }

    private static dev.atrium.auth.AccountAdministration accounts(Atrium.Stores stores) {
        return new dev.atrium.auth.AccountAdministration(stores.users(),
                new dev.atrium.auth.Sessions(stores.jdbi(), Clock.systemUTC()),
                new dev.atrium.auth.SsoAccounts(stores.jdbi(), stores.users(), Clock.systemUTC()));
    }

    private static void fail(String message) {
        System.err.println("atrium: " + message);
        System.exit(2);
    }

    /** {@code --key value} options and {@code --flag}s. */
    record Args(Map<String, String> options, List<String> flags) {
        static Args parse(String[] argv, int from) {
            Map<String, String> options = new HashMap<>();
            List<String> flags = new ArrayList<>();
            for (int i = from; i < argv.length; i++) {
                String a = argv[i];
                if (FLAGS.contains(a)) {
                    flags.add(a);
                } else if (a.startsWith("--") && a.contains("=")) {
                    options.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                } else if (a.startsWith("--") && i + 1 < argv.length) {
                    options.put(a, argv[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
            }
            return new Args(options, flags);
        }

        String option(String key, String fallback) {
            return options.getOrDefault(key, fallback);
        }

        String required(String key) {
            String value = options.get(key);
            if (value == null) {
                throw new IllegalArgumentException(key + " is required");
            }
            return value;
        }

        boolean has(String key) {
            return options.containsKey(key);
        }

        boolean flag(String key) {
            return flags.contains(key);
        }
    }
}
