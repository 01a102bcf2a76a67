package dev.atrium.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code atrium admin ...} commands against one data directory; safe while the server runs (SQLite WAL). */
public final class AdminCli {

    /** A user created for a test, with one token. */
    public record Account(String name, String password, String email, String token) {}

    private static final Pattern TOKEN_LINE = Pattern.compile("^(hf_\\S+)\\s*$", Pattern.MULTILINE);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    /** Where the server keeps what is not under its data directory: {@code --database URL}, {@code --blob-store}... */
    private final List<String> storeArgs;
    private final Map<String, String> environment;

    public AdminCli(Path dataDir) {
        this(dataDir, List.of(), Map.of());
    }

    public AdminCli(Path dataDir, List<String> storeArgs, Map<String, String> environment) {
        this.dataDir = dataDir;
        this.storeArgs = List.copyOf(storeArgs);
        this.environment = Map.copyOf(environment);
    }

    public void createUser(String name, String password, String email, boolean admin) {
        List<String> args = new ArrayList<>(List.of("create-user", name, "--password", password, "--email", email));
        if (admin) {
            args.add("--admin");
        }
        run(args);
    }

    /** {@code admin set-limits NAME ...}: e.g. {@code "--private-storage", "3M"}. */
    public void setLimits(String namespace, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("set-limits", namespace));
        args.addAll(List.of(options));
        run(args);
    }

    /** Creates a token and returns it; {@code role} is {@code read} or {@code write}. */
    public String createToken(String user, String role) {
        return createToken(user, role, "it-" + role);
    }

    public String createToken(String user, String role, String label) {
        return printedToken(run(List.of("create-token", user, "--role", role, "--token-name", label)));
    }

    private static String printedToken(Proc.Result result) {
        Matcher matcher = TOKEN_LINE.matcher(result.stdout());
        if (!matcher.find()) {
            throw new AssertionError("printed no line starting with hf_: " + result.describe());
        }
        return matcher.group(1);
    }

    /** A non-admin user with a predictable password and email, plus one token of the given role. */
    public Account createUserWithToken(String name, String role) {
        String password = "It-" + name + "-pw-0001";
        String email = name + "@atrium.test";
        // One command, not create-user then create-token: each is a JVM start, and ITs make about a hundred users.
        Proc.Result result = run(List.of("create-user", name, "--password", password, "--email", email,
                "--token", role, "--token-name", "it-" + role));
        return new Account(name, password, email, printedToken(result));
    }

    /** Runs any admin subcommand ({@code --data} is appended) and requires exit code 0. */
    public Proc.Result run(List<String> subcommandAndArgs) {
        return command(subcommandAndArgs).runChecked();
    }

    /** An admin subcommand ({@code --data} appended) not yet started, e.g. to give it standard input. */
    public Proc command(List<String> subcommandAndArgs) {
        List<String> command = new ArrayList<>(List.of(ItPaths.javaExecutable().toString()));
        command.addAll(ItPaths.classDataSharing());
        command.addAll(List.of("-Xmx256m", "-jar", ItPaths.jar().toString(), "admin"));
        command.addAll(subcommandAndArgs);
        command.addAll(List.of("--data", dataDir.toString()));
        command.addAll(storeArgs);
        return Proc.of(command).env(environment).timeout(TIMEOUT);
    }
}
