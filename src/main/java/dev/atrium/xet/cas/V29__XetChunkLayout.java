package dev.atrium.xet.cas;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves each xorb's chunk list from one row per chunk ({@code xet_xorb_chunks}) into one {@link ChunkLayout} value
 * in {@code xet_xorbs}, and the global dedup lookup into {@code xet_dedup_chunks}, which holds only the chunks it
 * finds. Java, not SQL, because the layout is a binary encoding that neither database can build from rows.
 */
public final class V29__XetChunkLayout extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection db = context.getConnection();
        boolean postgres = db.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        try (Statement st = db.createStatement()) {
            // Nullable only because neither database adds a NOT NULL column to filled tables without a default;
            // every xorb has one from here on.
            st.execute("ALTER TABLE xet_xorbs ADD COLUMN chunk_layout " + (postgres ? "BYTEA" : "BLOB"));
            st.execute("""
                    CREATE TABLE xet_dedup_chunks (
                        chunk_hash  VARCHAR(64) NOT NULL,
                        xorb_hash   VARCHAR(64) NOT NULL REFERENCES xet_xorbs (hash) ON DELETE CASCADE,
                        chunk_index INTEGER     NOT NULL,
                        PRIMARY KEY (xorb_hash, chunk_index)
                    )""");
            st.execute("CREATE INDEX xet_dedup_chunks_hash ON xet_dedup_chunks (chunk_hash)");
            st.execute("""
                    INSERT INTO xet_dedup_chunks (chunk_hash, xorb_hash, chunk_index)
                    SELECT chunk_hash, xorb_hash, chunk_index FROM xet_xorb_chunks WHERE dedup_eligible""");
        }
        Map<String, Long> xorbs = new LinkedHashMap<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT hash, serialized_length FROM xet_xorbs")) {
            while (rs.next()) {
                xorbs.put(rs.getString(1), rs.getLong(2));
            }
        }
        try (PreparedStatement chunks = db.prepareStatement("""
                     SELECT chunk_hash, unpacked_offset, unpacked_length, packed_offset, packed_length
                     FROM xet_xorb_chunks WHERE xorb_hash = ? ORDER BY chunk_index""");
             PreparedStatement update = db.prepareStatement("UPDATE xet_xorbs SET chunk_layout = ? WHERE hash = ?")) {
            for (Map.Entry<String, Long> xorb : xorbs.entrySet()) {
                chunks.setString(1, xorb.getKey());
                List<XorbChunk> list = new ArrayList<>();
                try (ResultSet rs = chunks.executeQuery()) {
                    while (rs.next()) {
                        list.add(new XorbChunk(MerkleHash.parse(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5)));
                    }
                }
                // XorbInfo checks that the rows are contiguous, which the layout's implied offsets rely on.
                XorbInfo info = new XorbInfo(MerkleHash.parse(xorb.getKey()), list, xorb.getValue());
                update.setBytes(1, ChunkLayout.encode(info));
                update.setString(2, xorb.getKey());
                update.executeUpdate();
            }
        }
        try (Statement st = db.createStatement()) {
            st.execute("DROP TABLE xet_xorb_chunks");
        }
    }
}
