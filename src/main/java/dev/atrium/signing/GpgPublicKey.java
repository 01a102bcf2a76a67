package dev.atrium.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * An OpenPGP public key as a user registers it (the output of {@code gpg --armor --export KEYID}): its primary key's
 * fingerprint, the ids of the primary key and its subkeys (a signature names the one that made it), and the email
 * addresses of its user ids, which must include the committer's for a commit to show as verified.
 */
public record GpgPublicKey(String fingerprint, List<String> keyIds, Set<String> emails, String armored,
                           PGPPublicKeyRing ring) {
    /** A few keys with many user ids and subkeys fit; anything larger is not a key someone pasted. */
    public static final int MAX_CHARS = 64 * 1024;
    private static final Pattern EMAIL = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>|^([^<>\\s]+@[^<>\\s]+)$");

    public GpgPublicKey {
        keyIds = List.copyOf(keyIds);
        emails = Set.copyOf(emails);
    }

    public static GpgPublicKey parse(String armored) {
        String text = armored == null ? "" : armored.strip();
        if (text.isEmpty()) {
            throw new InvalidGpgKey("Paste a public key: the output of gpg --armor --export KEYID");
        }
        if (text.length() > MAX_CHARS) {
            throw new InvalidGpgKey("That is longer than a public key (" + MAX_CHARS / 1024 + " KiB at most)");
        }
        if (text.contains("PRIVATE KEY BLOCK")) {
            throw new InvalidGpgKey("That is a private key: never share it. Paste the output of"
                    + " gpg --armor --export KEYID instead (without --export-secret-keys)");
        }
        if (!text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            throw new InvalidGpgKey("A public key starts with -----BEGIN PGP PUBLIC KEY BLOCK-----: paste the"
                    + " output of gpg --armor --export KEYID");
        }
        PGPPublicKeyRing ring = readRing(text.getBytes(StandardCharsets.US_ASCII));
        PGPPublicKey primary = ring.getPublicKey();
        List<String> ids = new ArrayList<>();
        for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
            ids.add(keyId(keys.next().getKeyID()));
        }
        Set<String> emails = new LinkedHashSet<>();
        for (Iterator<String> uids = primary.getUserIDs(); uids.hasNext(); ) {
            emailOf(uids.next()).ifPresent(emails::add);
        }
        return new GpgPublicKey(HexFormat.of().withUpperCase().formatHex(primary.getFingerprint()), ids, emails,
                text + "\n", ring);
    }

    /** The 16 hex digits gpg shows as a long key id. */
    public static String keyId(long id) {
        return String.format(Locale.ROOT, "%016X", id);
    }

    /** The key (primary or subkey) with this id, if this ring has it. */
    public Optional<PGPPublicKey> key(long id) {
        return Optional.ofNullable(ring.getPublicKey(id));
    }

    /**
     * Why {@code signing} (this ring's primary key or a subkey) could not make a trusted signature at {@code when},
     * or empty: the key or its primary was revoked (a revoked key may have been stolen, so none of its signatures
     * count, as on GitHub), or had expired by then (signatures made before stay good).
     */
    public Optional<String> unusableAt(PGPPublicKey signing, Instant when) {
        PGPPublicKey primary = ring.getPublicKey();
        for (PGPPublicKey key : signing.getKeyID() == primary.getKeyID() ? List.of(primary)
                : List.of(primary, signing)) {
            String what = (key == primary ? "The key " : "The subkey ") + keyId(key.getKeyID());
            if (key.hasRevocation()) {
                return Optional.of(what + " was revoked by its owner");
            }
            long valid = key.getValidSeconds();
            Instant expiry = key.getCreationTime().toInstant().plusSeconds(valid);
            if (valid > 0 && when.isAfter(expiry)) {
                return Optional.of(what + " had expired (" + expiry.toString().substring(0, 10)
                        + ") when it made the signature");
            }
        }
        return Optional.empty();
    }

    /** When the primary key expires (its self-signature says), or empty for never. */
    public Optional<Instant> expiresAt() {
        PGPPublicKey primary = ring.getPublicKey();
        long valid = primary.getValidSeconds();
        return valid > 0 ? Optional.of(primary.getCreationTime().toInstant().plusSeconds(valid)) : Optional.empty();
    }

    public boolean revoked() {
        return ring.getPublicKey().hasRevocation();
    }

    static Optional<String> emailOf(String userId) {
        Matcher m = EMAIL.matcher(userId.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of((m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT));
    }

    private static PGPPublicKeyRing readRing(byte[] bytes) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
            Object first = objects.nextObject();
            if (first instanceof PGPSecretKeyRing) {
                throw new InvalidGpgKey("That is a private key: never share it. Paste the output of"
                        + " gpg --armor --export KEYID instead");
            }
            if (!(first instanceof PGPPublicKeyRing ring)) {
                throw new InvalidGpgKey("No public key found in the text: paste the output of"
                        + " gpg --armor --export KEYID");
            }
            if (objects.nextObject() != null) {
                throw new InvalidGpgKey("The text holds more than one key: add them one at a time");
            }
            return ring;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidGpgKey invalid) {
                throw invalid;
            }
            throw new InvalidGpgKey("The key could not be read (" + e.getMessage() + "): paste the whole output of"
                    + " gpg --armor --export KEYID");
        }
    }

    @Override
    public String toString() {
        return "GpgPublicKey[" + fingerprint + "]";
    }
}
