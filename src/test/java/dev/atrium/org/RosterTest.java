package dev.atrium.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.OrgRole;
import dev.atrium.http.Errors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RosterTest {
    @Test
    void parseRoster_skipsTheHeaderAndBlankLines_defaultsToRead() {
        Map<String, OrgRole> roster = OrgApi.parseRoster("email\r\nana@uni.edu\n\n\"ben\",write\ncid, contributor\n");
        assertEquals(Map.of("ana@uni.edu", OrgRole.READ, "ben", OrgRole.WRITE, "cid", OrgRole.CONTRIBUTOR), roster);
        assertEquals(List.of("ana@uni.edu", "ben", "cid"), List.copyOf(roster.keySet()));
    }

    @Test
    void parseRoster_unknownRoleOrEmpty_isRefusedWithTheLine() {
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> OrgApi.parseRoster("ana\nben,teacher\n"));
        assertTrue(e.getMessage().contains("Line 2"), e.getMessage());
        assertThrows(Errors.BadRequest.class, () -> OrgApi.parseRoster("username\n\n"));
    }
}
