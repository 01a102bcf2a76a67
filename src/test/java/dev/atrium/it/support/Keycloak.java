package dev.atrium.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway OpenID Connect provider: Keycloak's server distribution (org.keycloak:keycloak-quarkus-dist, which the
 * build unpacks to {@code target/keycloak/keycloak-VERSION}) in a process of its own, on a free port of 127.0.0.1,
 * over plain HTTP, with an in-memory database, so every start is empty and no two runs share anything. Realms,
 * clients and users are made through Keycloak's Admin REST API, as an administrator would make them.
 *
 * <p>Keycloak is a Quarkus application: options such as the database are fixed by a "build" (an augmentation, about
 * 20 s) before the server starts. It is done once per distribution, JDK and set of build options, into a folder of
 * its own beside the distribution ({@link #BUILD_OPTIONS}); each start then runs that image with {@code start
 * --optimized} from a fresh home folder whose {@code lib} links to it, so the distribution is never written to and the
 * server's own files ({@code data/}) are its own. A start takes about ten seconds.
 *
 * <p>Where the distribution or a JDK new enough for it is missing, the calling test is skipped, loudly.
 */
public final class Keycloak implements AutoCloseable {
    /** The administrator of the master realm, made by Keycloak at its first start from the environment. */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "atrium-test-admin-0123456789";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    /**
     * The build-time options: a database in memory (nothing on disk, nothing kept; the server needs no other) and
     * no health or metrics endpoints, which would open a second, management port. The features Keycloak turns on by
     * default stay on: turning off the two dozen a login does not use saved no measurable start time.
     */
    private static final List<String> BUILD_OPTIONS =
            List.of("--db=dev-mem", "--health-enabled=false", "--metrics-enabled=false");
    /**
     * Appended to Keycloak's own JVM options. The client compiler only: a start takes 2 to 3 s less (of about 11),
     * and a test's few hundred requests never need C2's code.
     */
    private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A confidential OpenID Connect client: what a relying party such as Atrium is configured with. */
    public record Client(String clientId, String secret) {}

    private final Process process;
    private final Path home;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1) // plain HTTP/1.1, not an upgrade to h2c
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private @Nullable String adminToken;
    private Instant adminTokenExpires = Instant.MIN;

    private Keycloak(Process process, Path home, Path log, int port) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.port = port;
    }

    /** Starts a Keycloak with only its master realm and {@link #ADMIN_USERNAME}; returns once it serves requests. */
    public static Keycloak start() {
        String version = version();
        Path dist = ItPaths.repoRoot().resolve("target/keycloak/keycloak-" + version);
        Assumptions.assumeTrue(Files.isRegularFile(dist.resolve("bin/kc.sh")),
                "SKIPPED: no Keycloak at " + dist + " (mvn generate-test-resources unpacks it there)");
        int required = requiredJava(dist);
        Optional<Path> javaHome = javaHome(required);
        Assumptions.assumeTrue(javaHome.isPresent(), "SKIPPED: Keycloak " + version + " needs Java " + required
                + " or later; neither the tests' JVM (" + Runtime.version().feature() + ") nor a JDK under " + JVMS
                + " is one");
        try {
            Path image = built(dist, javaHome.get());
            Path home = ItPaths.newTempDir("keycloak");
            linkHome(home, dist, image.resolve("lib"));
            int port = freePort();
            Path log = ItPaths.logsDir().resolve("keycloak-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(),
                    "-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")), // Vert.x's file cache
                    "start", "--optimized",
                    "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                    // One URL for every request, Java's or a browser's: the issuer in tokens and discovery is this.
                    "--hostname=" + baseUrl(port),
                    // A cache of its own; the default (ispn) looks for other nodes and listens on 7800 and 57800.
                    "--cache=local")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            environment(builder, javaHome.get());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            builder.environment().put("JAVA_OPTS_APPEND", JVM_OPTIONS);
            Process process = builder.start();
            process.getOutputStream().close();
            Keycloak keycloak = new Keycloak(process, home, log, port);
            try {
                keycloak.awaitReady();
            } catch (RuntimeException | Error e) {
                keycloak.close();
                throw e;
            }
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version the build unpacks: the pom's {@code keycloak.version}, so the two cannot disagree. */
    private static String version() {
        Path pom = ItPaths.repoRoot().resolve("pom.xml");
        try {
            Matcher m = Pattern.compile("<keycloak\\.version>([^<]+)</keycloak\\.version>")
                    .matcher(Files.readString(pom));
            if (!m.find()) {
                throw new IllegalStateException("no keycloak.version property in " + pom);
            }
            return m.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Java release Keycloak's classes are compiled for (26.x: 17), from the class file of its main class; a
     * later Keycloak that needs a later Java is then run by one without a change here.
     */
    private static int requiredJava(Path dist) {
        Path jars = dist.resolve("lib/lib/main");
        try (Stream<Path> files = Files.list(jars)) {
            Path jar = files.filter(p -> p.getFileName().toString().startsWith("org.keycloak.keycloak-quarkus-server-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no keycloak-quarkus-server jar in " + jars));
            String main = "org/keycloak/quarkus/runtime/KeycloakMain.class";
            try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(main))) {
                DataInputStream data = new DataInputStream(in);
                data.readInt(); // 0xCAFEBABE
                data.readUnsignedShort(); // minor version
                return data.readUnsignedShort() - 44; // class file major version 61 is Java 17
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JDK to run Keycloak with: the tests' own when it is new enough (as for the other servers), else the newest
     * one under /usr/lib/jvm that is (e.g. Temurin 25 beside Debian 12's OpenJDK 17).
     */
    private static Optional<Path> javaHome(int required) {
        if (Runtime.version().feature() >= required) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> jdks = Files.list(JVMS)) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                    .filter(jdk -> featureOf(jdk) >= required)
                    .max(Comparator.comparingInt(Keycloak::featureOf));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The feature release of a JDK by its {@code release} file ({@code JAVA_VERSION="25.0.3"}), 0 if unknown. */
    private static int featureOf(Path jdk) {
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The folder holding Keycloak built with {@link #BUILD_OPTIONS} by {@code javaHome}, made when missing or made
     * otherwise. The forks of failsafe share it, hence the file lock (and, within one JVM, the monitor, since the
     * lock is the process's). The stamp, written last, names what it was built from: a build cut short is redone.
     */
    private static synchronized Path built(Path dist, Path javaHome) throws IOException {
        Path image = dist.resolveSibling(dist.getFileName() + "-built");
        String stamp = String.join("\n", "java.home=" + javaHome, "java.version=" + javaVersion(javaHome),
                "options=" + String.join(" ", BUILD_OPTIONS), "");
        Path lockFile = dist.resolveSibling("build.lock");
        try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            Path stampFile = image.resolve("atrium-build.txt");
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return image;
            }
            ItPaths.deleteRecursively(image);
            // The build writes lib/quarkus next to the quarkus-run.jar it is started from (the jar's real path):
            // here, a copy of that 1 kB jar and of the distribution's lib/quarkus, the rest linked.
            Path lib = Files.createDirectories(image.resolve("lib"));
            Files.copy(dist.resolve("lib/quarkus-run.jar"), lib.resolve("quarkus-run.jar"));
            Files.createDirectories(lib.resolve("quarkus"));
            try (Stream<Path> files = Files.list(dist.resolve("lib/quarkus"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, lib.resolve("quarkus").resolve(file.getFileName()));
                }
            }
            link(lib.resolve("lib"), dist.resolve("lib/lib"));
            link(lib.resolve("app"), dist.resolve("lib/app"));
            linkHome(image, dist, lib);
            List<String> command = new ArrayList<>(List.of(image.resolve("bin/kc.sh").toString(), "build"));
            command.addAll(BUILD_OPTIONS);
            Proc proc = Proc.of(command).timeout(BUILD_TIMEOUT).env("JAVA_HOME", javaHome.toString());
            environmentRemovals().forEach(proc::removeEnv);
            proc.runChecked();
            Path partial = image.resolve("atrium-build.txt.part");
            Files.writeString(partial, stamp);
            Files.move(partial, stampFile, StandardCopyOption.ATOMIC_MOVE);
            return image;
        }
    }

    private static String javaVersion(Path javaHome) {
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]*)\"")
                    .matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * A Keycloak home: {@code bin/kc.sh} copied (the script takes the home as its own real folder's parent), {@code
     * lib} linked to the built image, {@code conf}, {@code themes} and {@code providers} to the distribution's.
     * Keycloak writes only under {@code data/} of it.
     */
    private static void linkHome(Path home, Path dist, Path lib) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.copy(dist.resolve("bin/kc.sh"), bin.resolve("kc.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        if (!Files.exists(home.resolve("lib"))) {
            link(home.resolve("lib"), lib);
        }
        for (String folder : List.of("conf", "themes", "providers")) {
            link(home.resolve(folder), dist.resolve(folder));
        }
    }

    /** A relative link, all of it under target/: a checkout moved elsewhere keeps a working build. */
    private static void link(Path link, Path target) throws IOException {
        Files.createSymbolicLink(link, link.getParent().relativize(target));
    }

    /** kc.sh's own settings a developer's shell may hold (JAVA_OPTS, KC_DB, a debug port...), which would change it. */
    private static List<String> environmentRemovals() {
        List<String> names = new ArrayList<>(List.of("JAVA", "JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_OPTS_KC_HEAP",
                "JAVA_ADD_OPENS", "JAVA_LOCALE", "DEBUG", "DEBUG_PORT", "DEBUG_SUSPEND", "PRINT_ENV"));
        System.getenv().keySet().stream()
                .filter(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_"))
                .forEach(names::add);
        return names;
    }

    private static void environment(ProcessBuilder builder, Path javaHome) {
        Map<String, String> env = builder.environment();
        environmentRemovals().forEach(env::remove);
        env.put("JAVA_HOME", javaHome.toString());
        env.put("TMPDIR", ItPaths.childTempDir().toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits for the master realm to answer: Keycloak opens its port only once it has made it and the admin. */
    private void awaitReady() {
        Daemons.awaitListening("Keycloak", process, this::logTail, START_TIMEOUT, () -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/realms/master"))
                    .timeout(Duration.ofSeconds(5)).GET());
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode());
            }
        });
    }

    /** The last lines of the server's log, for failure messages (the whole log is {@link #log()}). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "no log at " + log + ": " + e;
        }
    }

    /** The server's output, under target/it-logs: it stays after {@link #close()}. */
    public Path log() {
        return log;
    }

    private static String baseUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}: the only URL Keycloak answers as (see {@code --hostname}). */
    public String baseUrl() {
        return baseUrl(port);
    }

    /**
     * {@code http://127.0.0.1:PORT/realms/REALM}: the issuer of a realm's tokens, and of its discovery document at
     * {@code issuer + "/.well-known/openid-configuration"}, whoever asks.
     */
    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /**
     * Makes a realm and returns its {@link #issuer}. HTTP is allowed from anywhere ({@code sslRequired} none, though
     * Keycloak allows it from loopback anyway), and the "verify profile" required action is off: a user made without
     * an email or a name logs in straight through instead of being asked for them first.
     */
    public String createRealm(String realm) {
        ObjectNode representation = JSON.createObjectNode()
                .put("realm", realm)
                .put("enabled", true)
                .put("sslRequired", "none");
        admin("POST", "/admin/realms", representation, 201);
        String action = "/admin/realms/" + segment(realm) + "/authentication/required-actions/VERIFY_PROFILE";
        ObjectNode verifyProfile = (ObjectNode) admin("GET", action, null, 200);
        verifyProfile.put("enabled", false);
        admin("PUT", action, verifyProfile, 204);
        return issuer(realm);
    }

    /**
     * Makes a confidential OpenID Connect client: authorization code flow only (no implicit, password or client
     * credentials grants, no device flow), PKCE with S256 required, consent not asked, the secret sent as
     * {@code client_secret_basic} or {@code client_secret_post}. Returns its id and the secret Keycloak generated.
     */
    public Client createClient(String realm, String clientId, List<String> redirectUris) {
        return createClient(realm, clientId, redirectUris, List.of(), null);
    }

    /**
     * {@link #createClient}, which may also send browsers back to {@code postLogoutRedirectUris} after a logout, and
     * is told at {@code backchannelLogoutUrl} (when not null) of each session of Keycloak's that ends.
     */
    public Client createClient(String realm, String clientId, List<String> redirectUris,
                               List<String> postLogoutRedirectUris, @Nullable String backchannelLogoutUrl) {
        ObjectNode representation = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("protocol", "openid-connect")
                .put("enabled", true)
                .put("publicClient", false)
                .put("clientAuthenticatorType", "client-secret")
                .put("standardFlowEnabled", true)
                .put("implicitFlowEnabled", false)
                .put("directAccessGrantsEnabled", false)
                .put("serviceAccountsEnabled", false)
                .put("consentRequired", false);
        redirectUris.forEach(representation.putArray("redirectUris")::add);
        representation.putObject("attributes")
                .put("pkce.code.challenge.method", "S256")
                .put("oauth2.device.authorization.grant.enabled", "false")
                .put("oidc.ciba.grant.enabled", "false")
                .put("post.logout.redirect.uris", String.join("##", postLogoutRedirectUris));
        if (backchannelLogoutUrl != null) {
            ((ObjectNode) representation.get("attributes")).put("backchannel.logout.url", backchannelLogoutUrl)
                    .put("backchannel.logout.session.required", "true");
        }
        HttpResponse<String> created = adminResponse("POST", "/admin/realms/" + segment(realm) + "/clients",
                representation, 201);
        String location = created.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location for the client " + clientId));
        String id = location.substring(location.lastIndexOf('/') + 1);
        JsonNode secret = admin("GET",
                "/admin/realms/" + segment(realm) + "/clients/" + segment(id) + "/client-secret", null, 200);
        return new Client(clientId, secret.path("value").asText());
    }

    /**
     * Makes an enabled user with a password (not temporary) and no required actions: the login form is all a login
     * asks. Keycloak keeps usernames in lower case ({@code preferred_username} is that); a null email or name is left
     * unset.
     */
    public void createUser(String realm, String username, String password, @Nullable String email,
            boolean emailVerified, @Nullable String firstName, @Nullable String lastName) {
        ObjectNode representation = JSON.createObjectNode()
                .put("username", username)
                .put("enabled", true)
                .put("emailVerified", emailVerified);
        if (email != null) {
            representation.put("email", email);
        }
        if (firstName != null) {
            representation.put("firstName", firstName);
        }
        if (lastName != null) {
            representation.put("lastName", lastName);
        }
        representation.putArray("requiredActions");
        representation.putArray("credentials").addObject()
                .put("type", "password")
                .put("value", password)
                .put("temporary", false);
        admin("POST", "/admin/realms/" + segment(realm) + "/users", representation, 201);
    }

    /** Ends every session of the user at Keycloak, as its admin console's "Sign out" does; clients hear of it. */
    public void logoutUser(String realm, String username) {
        admin("POST", "/admin/realms/" + segment(realm) + "/users/" + segment(userId(realm, username)) + "/logout",
                null, 204);
    }

    /** Enables or disables a user: a disabled one's login is refused by Keycloak's form. */
    public void setUserEnabled(String realm, String username, boolean enabled) {
        String path = "/admin/realms/" + segment(realm) + "/users/" + segment(userId(realm, username));
        // The whole representation back, changed in one field: a partial one would be taken as removing the rest.
        ObjectNode user = (ObjectNode) admin("GET", path, null, 200);
        user.put("enabled", enabled);
        admin("PUT", path, user, 204);
    }

    /**
     * Has the client's ID tokens and user info list the user's groups in the claim {@code groups}, by their full
     * paths ({@code /name} for a top-level group), as Keycloak's "Group Membership" mapper writes them.
     */
    public void addGroupsClaim(String realm, String clientId) {
        JsonNode clients = admin("GET", "/admin/realms/" + segment(realm) + "/clients?clientId="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null, 200);
        if (clients.size() != 1) {
            throw new AssertionError("no single client " + clientId + " in realm " + realm + ": " + clients);
        }
        ObjectNode mapper = JSON.createObjectNode()
                .put("name", "groups")
                .put("protocol", "openid-connect")
                .put("protocolMapper", "oidc-group-membership-mapper");
        mapper.putObject("config")
                .put("claim.name", "groups")
                .put("full.path", "true")
                .put("id.token.claim", "true")
                .put("access.token.claim", "false")
                .put("userinfo.token.claim", "true");
        admin("POST", "/admin/realms/" + segment(realm) + "/clients/" + segment(clients.get(0).path("id").asText())
                + "/protocol-mappers/models", mapper, 201);
    }

    /** Makes a top-level group (its path is {@code /name}). */
    public void createGroup(String realm, String name) {
        admin("POST", "/admin/realms/" + segment(realm) + "/groups", JSON.createObjectNode().put("name", name), 201);
    }

    /** Puts the user in the top-level group {@code name}, or takes them out of it. */
    public void setGroupMember(String realm, String username, String name, boolean member) {
        JsonNode groups = admin("GET", "/admin/realms/" + segment(realm) + "/groups?exact=true&search="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), null, 200);
        String groupId = null;
        for (JsonNode group : groups) {
            if (group.path("name").asText().equals(name)) {
                groupId = group.path("id").asText();
            }
        }
        if (groupId == null) {
            throw new AssertionError("no group " + name + " in realm " + realm + ": " + groups);
        }
        admin(member ? "PUT" : "DELETE", "/admin/realms/" + segment(realm) + "/users/"
                + segment(userId(realm, username)) + "/groups/" + segment(groupId), null, 204);
    }

    private String userId(String realm, String username) {
        JsonNode found = admin("GET", "/admin/realms/" + segment(realm) + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null, 200);
        if (found.size() != 1) {
            throw new AssertionError("no single user " + username + " in realm " + realm + ": " + found);
        }
        return found.get(0).path("id").asText();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An Admin REST API call answered with {@code expected}; its body as JSON (an empty object when none). */
    private JsonNode admin(String method, String path, @Nullable JsonNode body, int expected) {
        String text = adminResponse(method, path, body, expected).body();
        try {
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " answered no JSON: " + text, e);
        }
    }

    private HttpResponse<String> adminResponse(String method, String path, @Nullable JsonNode body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = sendChecked(request);
        if (response.statusCode() != expected) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " (expected " + expected
                    + ") " + response.body() + "\n" + logTail());
        }
        return response;
    }

    /**
     * An access token of the master realm's admin, from the admin-cli client by password. It lives a minute
     * (the master realm's default), so a new one is taken when less than 15 s are left.
     */
    private synchronized String adminToken() {
        if (adminToken == null || Instant.now().isAfter(adminTokenExpires.minusSeconds(15))) {
            String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN_USERNAME + "&password="
                    + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8);
            HttpResponse<String> response = sendChecked(HttpRequest.newBuilder(
                            URI.create(issuer("master") + "/protocol/openid-connect/token"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (response.statusCode() != 200) {
                throw new AssertionError("no admin token: " + response.statusCode() + " " + response.body());
            }
            try {
                JsonNode token = JSON.readTree(response.body());
                adminToken = token.path("access_token").asText();
                adminTokenExpires = Instant.now().plusSeconds(token.path("expires_in").asLong(60));
            } catch (IOException e) {
                throw new AssertionError("admin token response is not JSON: " + response.body(), e);
            }
        }
        return adminToken;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> sendChecked(HttpRequest.Builder request) {
        try {
            return send(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops Keycloak and deletes its home (the log stays). kc.sh passes the TERM on to its JVM and waits for it;
     * if that does not end in time, both are killed.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("Keycloak's JVM did not end: " + e);
        }
        try {
            ItPaths.deleteRecursively(home);
        } catch (UncheckedIOException e) {
            System.err.println("left " + home + " behind: " + e.getCause());
        }
    }
}
