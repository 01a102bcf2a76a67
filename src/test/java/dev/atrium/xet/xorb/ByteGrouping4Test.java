package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ByteGrouping4Test {

    @Test
    void split_specExample_groupsByPositionModFour() {
        // xorb.md: [A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4] -> [A1 B1 C1 A2 B2 C2 A3 B3 C3 A4 B4 C4]
        byte[] data = {0x11, 0x12, 0x13, 0x14, 0x21, 0x22, 0x23, 0x24, 0x31, 0x32, 0x33, 0x34};
        byte[] expected = {0x11, 0x21, 0x31, 0x12, 0x22, 0x32, 0x13, 0x23, 0x33, 0x14, 0x24, 0x34};
        assertArrayEquals(expected, ByteGrouping4.split(data));
        assertArrayEquals(data, ByteGrouping4.regroup(expected));
    }

    @Test
    void split_lengthNotMultipleOfFour_extraBytesGoToFirstGroups() {
        // 7 bytes: groups of 2, 2, 2, 1 (xorb.md: the remainder goes one byte each to the first groups).
        byte[] data = {0, 1, 2, 3, 4, 5, 6};
        assertArrayEquals(new byte[] {0, 4, 1, 5, 2, 6, 3}, ByteGrouping4.split(data));
        byte[] five = {0, 1, 2, 3, 4};
        assertArrayEquals(new byte[] {0, 4, 1, 2, 3}, ByteGrouping4.split(five));
    }

    @Test
    void regroup_anyLength_undoesSplit() {
        for (int length = 0; length < 40; length++) {
            byte[] data = TestData.random(length, length);
            assertArrayEquals(data, ByteGrouping4.regroup(ByteGrouping4.split(data)), "length " + length);
        }
        byte[] large = TestData.floats(128 * 1024 - 3, 1);
        assertArrayEquals(large, ByteGrouping4.regroup(ByteGrouping4.split(large)));
    }
}
