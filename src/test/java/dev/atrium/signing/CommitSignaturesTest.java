package dev.atrium.signing;

import static dev.atrium.signing.GpgPublicKeyTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SshPublicKey;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits signed by gpg 2.2 through git (src/test/resources/signing): alice's key signs with its subkey; mallory's
 * key is another one claiming nothing of alice; one commit is signed with alice's key but committed as bob.
 */
class CommitSignaturesTest {
    @TempDir
    Path dir;

    private GpgKeys keys;
    private SshKeys sshKeys;
    private Users users;
    private CommitSignatures signatures;
    private User alice;
    private User bob;

    @BeforeEach
    void setUp() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        users = new Users(jdbi, new PasswordHasher(), Clock.systemUTC());
        alice = users.create("alice", "alice@atrium.test", "correct-horse-battery", false);
        bob = users.create("bob", "bob@atrium.test", "correct-horse-battery", false);
        keys = new GpgKeys(jdbi, Clock.systemUTC());
        sshKeys = new SshKeys(jdbi, Clock.systemUTC());
        signatures = new CommitSignatures(keys, sshKeys, users, false);
    }

    private static RevCommit commit(String name) {
        return RevCommit.parse(resource(name + ".commit").getBytes(StandardCharsets.UTF_8));
    }

    private CommitSignatures.Verification verify(String name) {
        return signatures.verify(commit(name));
    }

    @Test
    void verify_signedWithTheCommittersRegisteredKey_isVerifiedByItsSubkey() {
        assertEquals(CommitSignatures.State.UNVERIFIED, verify("signed-by-alice").state(), "no key registered yet");
        keys.add(alice.id(), GpgPublicKey.parse(resource("alice.asc")));
        CommitSignatures.Verification v = verify("signed-by-alice");
        assertEquals(CommitSignatures.State.VERIFIED, v.state(), v.reason());
        assertEquals("alice", v.signer());
        assertEquals("207FE878317835EC", v.keyId(), "the signing subkey");
    }

    @Test
    void verify_otherCases_sayWhyTheyAreNotVerified() {
        keys.add(alice.id(), GpgPublicKey.parse(resource("alice.asc")));
        assertEquals(CommitSignatures.State.UNSIGNED, verify("unsigned").state());
        CommitSignatures.Verification mallory = verify("signed-by-mallory-as-alice");
        assertEquals(CommitSignatures.State.UNVERIFIED, mallory.state());
        assertEquals("The key AF82818E52756059 that made the signature is not registered on this hub",
                mallory.reason());
        CommitSignatures.Verification asBob = verify("signed-by-alice-as-bob");
        assertEquals(CommitSignatures.State.UNVERIFIED, asBob.state());
        assertEquals("Signed with a key of alice, but the committer's email is not theirs", asBob.reason());

        // Mallory registering her key under her own account does not make her commit as alice verified.
        keys.add(bob.id(), GpgPublicKey.parse(resource("mallory.asc")));
        assertTrue(verify("signed-by-mallory-as-alice").reason().contains("the committer's email is not theirs"));
    }

    /**
     * Keys made by gpg with a faked clock: carol's expired a day after 2026-01-01 (the registered export; she signed
     * the second commit after extending it on her machine only); dave's was revoked after he signed.
     */
    @Test
    void verify_anExpiredKey_countsOnlyWhatItSignedInTime_andARevokedKeyNothing() {
        User carol = users.create("carol", "carol@atrium.test", "correct-horse-battery", false);
        User dave = users.create("dave", "dave@atrium.test", "correct-horse-battery", false);
        keys.add(carol.id(), GpgPublicKey.parse(resource("carol-expiring.asc")));
        CommitSignatures.Verification before = verify("signed-by-carol-before-expiry");
        assertEquals(CommitSignatures.State.VERIFIED, before.state(), "signed while valid, shown after: "
                + before.reason());
        CommitSignatures.Verification after = verify("signed-by-carol-after-expiry");
        assertEquals(CommitSignatures.State.UNVERIFIED, after.state());
        assertEquals("The key 2D4CF4EEC8B46356 had expired (2026-01-02) when it made the signature", after.reason());

        keys.add(dave.id(), GpgPublicKey.parse(resource("dave-revoked.asc")));
        CommitSignatures.Verification revoked = verify("signed-by-dave");
        assertEquals(CommitSignatures.State.UNVERIFIED, revoked.state());
        assertEquals("The key 15EECC8E86943952 was revoked by its owner", revoked.reason());
    }

    @Test
    void verify_aChangedCommit_doesNotMatchItsSignature() {
        keys.add(alice.id(), GpgPublicKey.parse(resource("alice.asc")));
        String tampered = resource("signed-by-alice.commit").replace("Signed by alice", "Signed by alice!");
        CommitSignatures.Verification v = signatures.verify(RevCommit.parse(tampered.getBytes(StandardCharsets.UTF_8)));
        assertEquals(CommitSignatures.State.UNVERIFIED, v.state());
        assertEquals("The signature does not match the commit and the key 207FE878317835EC", v.reason());
    }

    @Test
    void verify_sshSignatures_againstTheCommittersRegisteredSshKeys() {
        assertEquals("The SSH key SHA256:AW7UhbCH8NGEph9Ha0H6SCS05kq7FAPrpWa/ri81dBo that made the signature is not"
                + " registered on this hub", verify("ssh-signed-by-alice").reason());
        sshKeys.add(alice.id(), "laptop", SshPublicKey.parse(resource("alice-ssh.pub")));
        CommitSignatures.Verification v = verify("ssh-signed-by-alice");
        assertEquals(CommitSignatures.State.VERIFIED, v.state(), v.reason());
        assertEquals("Signed by alice with the SSH key SHA256:AW7UhbCH8NGEph9Ha0H6SCS05kq7FAPrpWa/ri81dBo",
                v.reason());

        sshKeys.add(bob.id(), "rsa", SshPublicKey.parse(resource("bob-ssh-rsa.pub")));
        assertEquals("Signed with an SSH key of bob, but the committer's email is not theirs",
                verify("ssh-signed-by-bobs-rsa-key-as-alice").reason(), "an RSA signature checks out, but is bob's");

        String tampered = resource("ssh-signed-by-alice.commit").replace("alice's SSH key", "alice's SSH keys");
        assertTrue(signatures.verify(RevCommit.parse(tampered.getBytes(StandardCharsets.UTF_8))).reason()
                .startsWith("The signature does not match the commit and the SSH key"));
    }

    /** A hub that mails can prove addresses: there, a signer's email must be verified too, GPG or SSH. */
    @Test
    void verify_onAHubThatMails_needsTheSignersEmailVerified() {
        CommitSignatures mailing = new CommitSignatures(keys, sshKeys, users, true);
        keys.add(alice.id(), GpgPublicKey.parse(resource("alice.asc")));
        sshKeys.add(alice.id(), "laptop", SshPublicKey.parse(resource("alice-ssh.pub")));
        assertEquals("Signed with a key of alice, whose email is not verified yet",
                mailing.verify(commit("signed-by-alice")).reason());
        assertEquals("Signed with an SSH key of alice, whose email is not verified yet",
                mailing.verify(commit("ssh-signed-by-alice")).reason());
        users.markEmailVerified(alice.id(), alice.email());
        assertEquals(CommitSignatures.State.VERIFIED, mailing.verify(commit("signed-by-alice")).state());
        assertEquals(CommitSignatures.State.VERIFIED, mailing.verify(commit("ssh-signed-by-alice")).state());
    }

    @Test
    void verify_otherSignatureFormats_areUnverified() {
        String x509 = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n"
                + "gpgsig -----BEGIN SIGNED MESSAGE-----\n MIIB\n -----END SIGNED MESSAGE-----\n\nm\n";
        CommitSignatures.Verification v = signatures.verify(RevCommit.parse(x509.getBytes(StandardCharsets.UTF_8)));
        assertEquals(CommitSignatures.State.UNVERIFIED, v.state());
        assertEquals("Only GPG and SSH signatures are verified on this hub", v.reason());
    }

    @Test
    void signedPayload_dropsTheSignatureHeaderOnly() {
        String raw = "tree t\nparent p\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n"
                + "mergetag x\n\nmessage\n gpgsig in the message stays\n";
        assertArrayEquals(("tree t\nparent p\nmergetag x\n\nmessage\n gpgsig in the message stays\n")
                .getBytes(StandardCharsets.UTF_8), CommitSignatures.signedPayload(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void add_aKeyTwice_isRefused_andDeleteIsPerUser() {
        GpgKeys.Registered registered = keys.add(alice.id(), GpgPublicKey.parse(resource("alice.asc")));
        assertThrows(GpgKeys.KeyTaken.class, () -> keys.add(bob.id(), GpgPublicKey.parse(resource("alice.asc"))));
        assertEquals(false, keys.delete(bob.id(), registered.id()), "bob cannot remove alice's key");
        assertEquals(1, keys.of(alice.id()).size());
        assertTrue(keys.delete(alice.id(), registered.id()));
        assertTrue(keys.withKeyId("207FE878317835EC").isEmpty(), "its key ids go with it");
        assertEquals(CommitSignatures.State.UNVERIFIED, verify("signed-by-alice").state());
    }
}
