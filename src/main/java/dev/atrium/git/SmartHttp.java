package dev.atrium.git;

import dev.atrium.auth.Principal;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.eclipse.jgit.transport.RefFilter;
import org.eclipse.jgit.transport.UploadPack;
import org.jspecify.annotations.Nullable;

/**
 * The git protocol on JGit's {@link UploadPack} and {@link ReceivePack}, on plain streams: the transport decides
 * who may call what and hands over the streams. Over HTTP each request is one stateless round of the protocol
 * ({@code setBiDirectionalPipe(false)}); over SSH ({@link SshGitServer}) one session runs it all.
 */
public final class SmartHttp {

    public enum Service {
        UPLOAD_PACK("git-upload-pack"), RECEIVE_PACK("git-receive-pack");

        private final String wireName;

        Service(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public String advertisementType() {
            return "application/x-" + wireName + "-advertisement";
        }

        public String requestType() {
            return "application/x-" + wireName + "-request";
        }

        public String resultType() {
            return "application/x-" + wireName + "-result";
        }

        public static Optional<Service> of(@Nullable String wireName) {
            return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
        }
    }

    /** The refs clients see (hub-api §15.2); anything else Atrium may keep in a repo stays internal. */
    static final RefFilter VISIBLE_REFS = refs -> {
        Map<String, Ref> visible = new LinkedHashMap<>();
        refs.forEach((name, ref) -> {
            if (name.equals(Constants.HEAD) || name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS)
                    || name.startsWith("refs/pr/") || name.startsWith("refs/convert/")) {
                visible.put(name, ref);
            }
        });
        return visible;
    };

    /** Whether pull request {@code num} of a repo takes commits now (it exists and is open or a draft). */
    @FunctionalInterface
    public interface OpenPullRequests {
        boolean takesCommits(Repo repo, int num);
    }

    private final LfsObjects lfsObjects;
    private final Repos repos;
    private final Clock clock;
    private final long blobLimit;
    private final OpenPullRequests pullRequests;

    public SmartHttp(LfsObjects lfsObjects, Repos repos, Clock clock, long blobLimit, OpenPullRequests pullRequests) {
        this.pullRequests = pullRequests;
        this.lfsObjects = lfsObjects;
        this.repos = repos;
        this.clock = clock;
        this.blobLimit = blobLimit;
    }

    /**
     * The body of {@code GET info/refs?service=...}. For upload-pack with {@code Git-Protocol: version=2} this is
     * the v2 capability list (JGit writes no {@code # service=} preamble then); otherwise the v0 ref advertisement.
     */
    public void advertise(Repository git, Repo repo, Service service, @Nullable String gitProtocol,
                          @Nullable Principal caller, OutputStream out) throws IOException {
        PacketLineOut packets = new PacketLineOut(out);
        if (service == Service.UPLOAD_PACK) {
            try (UploadPack up = uploadPack(git, gitProtocol)) {
                up.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(packets), service.wireName());
            }
        } else {
            packets.writeString("# service=" + service.wireName() + "\n");
            packets.end();
            ReceivePack rp = receivePack(git, repo, caller);
            try {
                rp.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(packets));
            } finally {
                rp.getRevWalk().close();
            }
        }
        out.flush();
    }

    /** {@code POST git-upload-pack}: a v2 command ({@code ls-refs}, {@code fetch}) or a v0 negotiation round. */
    public void upload(Repository git, @Nullable String gitProtocol, InputStream in, OutputStream out)
            throws IOException {
        try (UploadPack up = uploadPack(git, gitProtocol)) {
            up.upload(in, out, null);
        }
    }

    /** {@code POST git-receive-pack}: commands and pack in, report-status out; the policy runs before refs move. */
    public void receive(Repository git, Repo repo, Principal pusher, InputStream in, OutputStream out)
            throws IOException {
        ReceivePack rp = receivePack(git, repo, pusher);
        try {
            rp.receive(in, out, null);
        } finally {
            rp.getRevWalk().close();
        }
    }

    /**
     * git over SSH: one session in both directions, the advertisement first (protocol v2 when the client asked for
     * it through {@code GIT_PROTOCOL}); JGit's messages to the user go to {@code err}.
     */
    public void uploadSession(Repository git, @Nullable String gitProtocol, InputStream in, OutputStream out,
                              OutputStream err) throws IOException {
        try (UploadPack up = uploadPack(git, gitProtocol)) {
            up.setBiDirectionalPipe(true);
            up.upload(in, out, err);
        }
    }

    /** git over SSH: advertisement, commands, pack and report-status in one session; the same policy as HTTP. */
    public void receiveSession(Repository git, Repo repo, Principal pusher, InputStream in, OutputStream out,
                               OutputStream err) throws IOException {
        ReceivePack rp = receivePack(git, repo, pusher);
        rp.setBiDirectionalPipe(true);
        try {
            rp.receive(in, out, err);
        } finally {
            rp.getRevWalk().close();
        }
    }

    private static UploadPack uploadPack(Repository git, @Nullable String gitProtocol) {
        UploadPack up = new UploadPack(git);
        up.setBiDirectionalPipe(false);
        up.setRefFilter(VISIBLE_REFS);
        if (gitProtocol != null) {
            // "version=2" and any further colon-separated parameters, as git sends them.
            up.setExtraParameters(Arrays.asList(gitProtocol.split(":")));
        }
        return up;
    }

    private ReceivePack receivePack(Repository git, Repo repo, @Nullable Principal pusher) {
        ReceivePack rp = new ReceivePack(git);
        rp.setBiDirectionalPipe(false);
        rp.setRefFilter(VISIBLE_REFS);
        if (pusher != null) {
            rp.setRefLogIdent(new PersonIdent(pusher.user().name(), pusher.user().email()));
        }
        PushPolicy policy = new PushPolicy(repo, lfsObjects, repos, clock, blobLimit, pullRequests);
        rp.setPreReceiveHook(policy);
        rp.setPostReceiveHook(policy);
        return rp;
    }
}
