package dev.atrium.signing;

import dev.atrium.auth.SshKeys;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/**
 * Whether a commit's signature was made by a key its committer registered: as on the Hub (and GitHub), a commit
 * is verified when its signature checks out against a key registered by a user whose email is the committer's;
 * a GPG key must also name that email among its user ids. SSH signatures ({@code gpg.format ssh}) are checked
 * against the SSH keys users registered. Anything else that carries a signature is unverified, with the
 * reason; a commit without one is unsigned. On a hub that mails ({@code --smtp}), where addresses can be proven, the
 * owner's email must also be verified, as on GitHub: otherwise anyone could give their account someone else's
 * address and sign as them.
 */
public final class CommitSignatures {
    private static final byte[] SIGNATURE_HEADER = "gpgsig ".getBytes(StandardCharsets.US_ASCII);

    public enum State { UNSIGNED, VERIFIED, UNVERIFIED }

    /** {@code signer}: the user whose key verified the signature; {@code keyId}: the key the signature names. */
    public record Verification(State state, @Nullable String signer, @Nullable String keyId, String reason) {
        static Verification unsigned() {
            return new Verification(State.UNSIGNED, null, null, "The commit is not signed");
        }

        static Verification unverified(@Nullable String keyId, String reason) {
            return new Verification(State.UNVERIFIED, null, keyId, reason);
        }
    }

    private final GpgKeys keys;
    private final SshKeys sshKeys;
    private final Users users;
    private final boolean requireVerifiedEmail;

    public CommitSignatures(GpgKeys keys, SshKeys sshKeys, Users users, boolean requireVerifiedEmail) {
        this.keys = keys;
        this.sshKeys = sshKeys;
        this.users = users;
        this.requireVerifiedEmail = requireVerifiedEmail;
    }

    /** Why the key's owner cannot vouch for the committer's email, if they cannot. */
    private Optional<String> emailProblem(User owner, String committer, String key) {
        if (!owner.email().equalsIgnoreCase(committer)) {
            return Optional.of("Signed with " + key + " of " + owner.name() + ", but the committer's email is not"
                    + " theirs");
        }
        if (requireVerifiedEmail && !users.emailVerified(owner.id())) {
            return Optional.of("Signed with " + key + " of " + owner.name() + ", whose email is not verified yet");
        }
        return Optional.empty();
    }

    public Verification verify(RevCommit commit) {
        byte[] signature = commit.getRawGpgSignature();
        if (signature == null) {
            return Verification.unsigned();
        }
        String armor = new String(signature, 0, Math.min(signature.length, 40), StandardCharsets.US_ASCII);
        if (armor.startsWith("-----BEGIN SSH SIGNATURE-----")) {
            return verifySsh(commit, signature);
        }
        if (!armor.startsWith("-----BEGIN PGP SIGNATURE-----")) {
            return Verification.unverified(null, "Only GPG and SSH signatures are verified on this hub");
        }
        Optional<PGPSignature> parsed = parse(signature);
        if (parsed.isEmpty()) {
            return Verification.unverified(null, "The signature could not be read");
        }
        PGPSignature sig = parsed.get();
        long id = issuer(sig);
        String keyId = GpgPublicKey.keyId(id);
        byte[] payload = signedPayload(commit.getRawBuffer());
        String committer = commit.getCommitterIdent().getEmailAddress().toLowerCase(Locale.ROOT);
        Verification best = Verification.unverified(keyId, "The key " + keyId + " that made the signature is not"
                + " registered on this hub");
        for (GpgKeys.Registered registered : keys.withKeyId(keyId)) {
            Optional<PGPPublicKey> key = registered.key().key(id);
            if (key.isEmpty() || !matches(sig, key.get(), payload)) {
                best = Verification.unverified(keyId, "The signature does not match the commit and the key "
                        + keyId);
                continue;
            }
            Optional<User> owner = users.byId(registered.userId());
            if (owner.isEmpty()) {
                continue;
            }
            Optional<String> emailProblem = emailProblem(owner.get(), committer, "a key");
            if (emailProblem.isPresent()) {
                return Verification.unverified(keyId, emailProblem.get());
            }
            if (!registered.key().emails().contains(committer)) {
                return Verification.unverified(keyId, "Signed with a key of " + owner.get().name()
                        + " whose user ids do not include the committer's email");
            }
            Optional<String> unusable = registered.key().unusableAt(key.get(), sig.getCreationTime().toInstant());
            if (unusable.isPresent()) {
                return Verification.unverified(keyId, unusable.get());
            }
            return new Verification(State.VERIFIED, owner.get().name(), keyId, "Signed by " + owner.get().name()
                    + " with the key " + keyId);
        }
        return best;
    }

    /**
     * An SSH signature: the key it carries must be one its committer registered (Settings, SSH keys; a key that signs
     * in as someone may sign as them), and the signature that key's over the commit.
     */
    private Verification verifySsh(RevCommit commit, byte[] armored) {
        Optional<SshSignature> parsed = SshSignature.parse(armored);
        if (parsed.isEmpty()) {
            return Verification.unverified(null, "The signature could not be read");
        }
        SshSignature sig = parsed.get();
        String fingerprint = sig.keyFingerprint();
        Optional<SshKeys.Registered> key = sshKeys.byFingerprint(fingerprint);
        if (key.isEmpty()) {
            return Verification.unverified(fingerprint, "The SSH key " + fingerprint + " that made the signature is"
                    + " not registered on this hub");
        }
        if (!sig.verifies(signedPayload(commit.getRawBuffer()))) {
            return Verification.unverified(fingerprint, "The signature does not match the commit and the SSH key "
                    + fingerprint);
        }
        Optional<User> owner = users.byId(key.get().userId());
        if (owner.isEmpty()) {
            return Verification.unverified(fingerprint, "The key's owner is gone");
        }
        Optional<String> emailProblem = emailProblem(owner.get(), commit.getCommitterIdent().getEmailAddress(),
                "an SSH key");
        if (emailProblem.isPresent()) {
            return Verification.unverified(fingerprint, emailProblem.get());
        }
        return new Verification(State.VERIFIED, owner.get().name(), fingerprint, "Signed by " + owner.get().name()
                + " with the SSH key " + fingerprint);
    }

    /** The commit as it was signed: its raw bytes without the {@code gpgsig} header and its continuation lines. */
    static byte[] signedPayload(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int pos = 0;
        boolean inSignature = false;
        while (pos < raw.length) {
            int end = pos;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, raw.length);
            if (end == pos) { // the blank line that ends the headers: the message follows unchanged
                out.write(raw, pos, raw.length - pos);
                break;
            }
            if (startsWith(raw, pos, SIGNATURE_HEADER)) {
                inSignature = true;
            } else if (inSignature && raw[pos] == ' ') {
                // a continuation line of the signature
            } else {
                inSignature = false;
                out.write(raw, pos, next - pos);
            }
            pos = next;
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] raw, int at, byte[] prefix) {
        if (raw.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (raw[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Optional<PGPSignature> parse(byte[] armored) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            Object o = new BcPGPObjectFactory(in).nextObject();
            if (o instanceof PGPCompressedData compressed) {
                o = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            return o instanceof PGPSignatureList list && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
        } catch (IOException | PGPException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The id of the key that made the signature: the issuer subpacket, or the last 8 bytes of a v4 fingerprint. */
    private static long issuer(PGPSignature sig) {
        if (sig.getKeyID() != 0) {
            return sig.getKeyID();
        }
        var hashed = sig.getHashedSubPackets();
        if (hashed != null && hashed.getSubpacket(SignatureSubpacketTags.ISSUER_FINGERPRINT)
                instanceof IssuerFingerprint fp && fp.getFingerprint().length == 20) {
            long id = 0;
            for (int i = 12; i < 20; i++) {
                id = (id << 8) | (fp.getFingerprint()[i] & 0xFF);
            }
            return id;
        }
        return 0;
    }

    private static boolean matches(PGPSignature sig, PGPPublicKey key, byte[] payload) {
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            sig.update(payload);
            return sig.verify();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }
}
