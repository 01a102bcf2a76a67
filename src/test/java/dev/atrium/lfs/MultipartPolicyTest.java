package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MultipartPolicyTest {
    private final MultipartPolicy policy = new MultipartPolicy(100, 30);

    @Test
    void appliesTo_onlyAboveTheThreshold() {
        assertFalse(policy.appliesTo(100));
        assertTrue(policy.appliesTo(101));
    }

    @Test
    void parts_coverTheObjectExactly_lastOneShorter() {
        long size = 101;
        assertEquals(4, policy.partCount(size));
        long total = 0;
        for (int part = 1; part <= policy.partCount(size); part++) {
            assertEquals(total, policy.offsetOf(part));
            total += policy.lengthOf(part, size);
        }
        assertEquals(size, total);
        assertEquals(11, policy.lengthOf(4, size));
        assertEquals(30, new MultipartPolicy(10, 30).lengthOf(2, 60));
        assertEquals(2, new MultipartPolicy(10, 30).partCount(60));
    }

    @Test
    void constructor_nonPositiveValues_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MultipartPolicy(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new MultipartPolicy(10, 0));
    }
}
