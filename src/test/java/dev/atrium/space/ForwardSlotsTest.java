package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardSlotsTest {

    @Test
    void anAppThatHoldsItsShare_leavesTheOthersTheirs_andGivesItBackAsRequestsEnd() {
        ForwardSlots slots = new ForwardSlots(5, 3);
        List<ForwardSlots.Slot> hung = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hung.add(slots.take(8501).orElseThrow());
        }
        assertTrue(slots.take(8501).isEmpty(), "the hanging app's share is full");
        ForwardSlots.Slot other = slots.take(8502).orElseThrow(() -> new AssertionError("another app still gets in"));
        other.close();
        hung.get(0).close();
        hung.get(0).close(); // closing twice gives back one place, not two
        assertTrue(slots.take(8501).isPresent(), "a place came back");
        assertTrue(slots.take(8501).isEmpty(), "and only one");
    }

    @Test
    void allAppsTogether_holdNoMoreThanTheirShareOfTheHub() {
        ForwardSlots slots = new ForwardSlots(5, 3);
        int taken = 0;
        for (int port = 9000; port < 9010; port++) {
            for (int i = 0; i < 3; i++) {
                Optional<ForwardSlots.Slot> slot = slots.take(port);
                taken += slot.isPresent() ? 1 : 0;
            }
        }
        assertEquals(5, taken);
    }
}
