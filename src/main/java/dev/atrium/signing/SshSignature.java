package dev.atrium.signing;

import dev.atrium.auth.SshPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A commit signed with an SSH key ({@code git config gpg.format ssh}): OpenSSH's SSHSIG format, which carries the
 * signer's public key, a namespace ({@code git} for commits), the hash of the message and the signature over them
 * (PROTOCOL.sshsig in OpenSSH's sources). The key is what finds the signer among registered SSH keys.
 */
record SshSignature(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    /** The signature in the armor git stores, if it is a well-formed SSHSIG of version 1. */
    static Optional<SshSignature> parse(byte[] armored) {
        String text = new String(armored, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            return Optional.empty();
        }
        try {
            byte[] blob = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
            if (blob.length < MAGIC.length || !Arrays.equals(MAGIC, Arrays.copyOf(blob, MAGIC.length))) {
                return Optional.empty();
            }
            Buffer in = new ByteArrayBuffer(blob, MAGIC.length, blob.length - MAGIC.length);
            if (in.getInt() != 1) {
                return Optional.empty();
            }
            byte[] key = in.getBytes();
            String namespace = in.getString();
            in.getBytes(); // reserved
            String hash = in.getString();
            byte[] signature = in.getBytes();
            return Optional.of(new SshSignature(key, namespace, hash, signature));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code SHA256:...} of the signer's key, as registered SSH keys are found. */
    String keyFingerprint() {
        return SshPublicKey.fingerprint(publicKey);
    }

    /** Whether the signature is the key's over {@code message}, made for git. */
    boolean verifies(byte[] message) {
        if (!namespace.equals("git") || !(hashAlgorithm.equals("sha512") || hashAlgorithm.equals("sha256"))) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance(hashAlgorithm.equals("sha512") ? "SHA-512" : "SHA-256")
                    .digest(message);
            ByteArrayBuffer signed = new ByteArrayBuffer();
            signed.putRawBytes(MAGIC);
            signed.putString(namespace);
            signed.putBytes(new byte[0]);
            signed.putString(hashAlgorithm);
            signed.putBytes(digest);
            PublicKey key = new ByteArrayBuffer(publicKey).getRawPublicKey();
            String type = new ByteArrayBuffer(signature).getString();
            BuiltinSignatures factory = BuiltinSignatures.fromFactoryName(type);
            if (factory == null || !factory.isSupported()) {
                return false;
            }
            Signature verifier = factory.create();
            verifier.initVerifier(null, key);
            verifier.update(null, signed.getCompactData());
            return verifier.verify(null, signature);
        } catch (Exception e) {
            return false;
        }
    }
}
