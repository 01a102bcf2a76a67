package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ViewerLimitsTest {
    @Test
    void theCacheMustHoldASplit_andTheLimitMustBePositive() {
        assertEquals(new ViewerLimits(1L << 30, 8L << 30), ViewerLimits.DEFAULT);
        assertEquals(1000, new ViewerLimits(1000, 1000).cacheBytes());
        assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(1000, 999));
    }
}
