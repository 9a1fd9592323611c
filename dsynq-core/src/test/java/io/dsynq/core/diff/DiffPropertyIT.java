package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property a diff must have, on every pair of engines: for random states S1 (source) and S2 (target) of a schema
 * with a composite key, a self-reference, NULLs, non-ASCII text, decimals, timestamps and binary, the delta from
 * diffing S2 against S1, applied to S2, gives exactly S1, and rolling it back gives exactly S2 again. A table without
 * key, compared by whole rows ({@code tally:*}), holds copies of rows that differ only by case, accents or a
 * trailing space.
 */
class DiffPropertyIT {

    private static final String[] WORDS = {
        "", " ", "a", "Ä", "é", "日本語", "Ελληνικά", "😀", "a,b", "\"q\"", "line\nbreak", "trailing ", "NULL", "0"
    };

    /** Key values of the composite key's text column: distinct under every engine's default collation. */
    private static final String[] CODES = {"x", "y", "zz", "ω", "日本", "k9", "10", "9"};

    /** Words of the keyless table: equal under MariaDB's default collation, different by code point. */
    private static final String[] TALLIES = {"a", "A", "ä", "a ", "日本", null};

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "target {0}, source {1}")
    @MethodSource("io.dsynq.core.diff.Databases#enginePairs")
    void theDeltaTurnsTheTargetIntoTheSourceAndItsRollbackBack(Engine target, Engine source) throws Exception {
        long seed = Long.getLong("dsynq.test.seed", 31L * target.ordinal() + source.ordinal() + 1);
        Random random = new Random(seed);
        State s1 = State.random(random, null);
        State s2 = State.random(random, s1);
        try (TestDatabase targetDb = Databases.create(target);
                TestDatabase sourceDb = Databases.create(source)) {
            s2.load(targetDb);
            s1.load(sourceDb);
            List<List<String>> before = contents(targetDb);
            List<List<String>> wanted = contents(sourceDb);

            Dsynq dsynq = Databases.dsynq(targetDb, tmp, List.of("tally:*"));
            DiffResult result = dsynq.diff(Databases.against(sourceDb));

            assertThat(result.id()).as("seed %s", seed).isNotNull();
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(targetDb))
                    .as("S2 with the delta, seed %s", seed)
                    .isEqualTo(wanted);
            assertThat(dsynq.diff(Databases.against(sourceDb)).differs())
                    .as("a second diff, seed %s", seed)
                    .isFalse();
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(contents(targetDb)).as("rolled back, seed %s", seed).isEqualTo(before);
        }
    }

    private static List<List<String>> contents(TestDatabase database) throws Exception {
        return List.of(
                Databases.content(database, "node"),
                Databases.content(database, "pair"),
                Databases.content(database, "tally"));
    }

    /**
     * Rows of {@code node} (self-referencing), {@code pair} (composite key) and {@code tally} (no key, rows repeat),
     * as values to bind.
     */
    record State(TreeMap<Integer, Object[]> nodes, TreeMap<String, Object[]> pairs, List<Object[]> tallies) {

        /** A random state; with {@code base}, one that shares most keys and many rows with it. */
        static State random(Random random, State base) {
            TreeMap<Integer, Object[]> nodes = new TreeMap<>();
            for (int id = 1; id <= 60; id++) {
                Object[] old = base == null ? null : base.nodes.get(id);
                if (old != null && random.nextInt(10) < 8) {
                    nodes.put(id, random.nextBoolean() ? old.clone() : mutate(random, old.clone()));
                } else if (base == null ? random.nextInt(10) < 7 : random.nextInt(10) < 3) {
                    nodes.put(id, node(random, id));
                }
            }
            // a parent that exists in this state, else none
            for (Object[] node : nodes.values()) {
                Integer parent = (Integer) node[1];
                if (parent != null && !nodes.containsKey(parent)) {
                    node[1] = null;
                }
            }
            TreeMap<String, Object[]> pairs = new TreeMap<>();
            for (int a = 1; a <= 3; a++) {
                for (String code : CODES) {
                    String key = a + "/" + code;
                    Object[] old = base == null ? null : base.pairs.get(key);
                    if (old != null && random.nextInt(10) < 8) {
                        Object[] row = old.clone();
                        if (random.nextBoolean()) {
                            row[2] = random.nextBoolean() ? null : random.nextInt(100);
                        }
                        pairs.put(key, row);
                    } else if (random.nextInt(10) < 5) {
                        pairs.put(key, new Object[] {a, code, random.nextInt(100), word(random)});
                    }
                }
            }
            List<Object[]> tallies = new ArrayList<>();
            if (base != null) {
                base.tallies.stream().filter(row -> random.nextInt(10) < 7).forEach(tallies::add);
            }
            for (int i = base == null ? 30 : 8; i > 0; i--) {
                tallies.add(new Object[] {
                    TALLIES[random.nextInt(TALLIES.length)], random.nextInt(3) == 0 ? null : random.nextInt(2)
                });
            }
            return new State(nodes, pairs, tallies);
        }

        private static Object[] node(Random random, int id) {
            return new Object[] {
                id,
                id > 1 && random.nextInt(3) > 0 ? 1 + random.nextInt(id - 1) : null,
                word(random),
                random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2),
                random.nextInt(5) == 0
                        ? null
                        : LocalDateTime.of(
                                2020 + random.nextInt(5),
                                1 + random.nextInt(12),
                                1 + random.nextInt(28),
                                random.nextInt(24),
                                random.nextInt(60),
                                random.nextInt(60),
                                random.nextInt(1_000_000) * 1000),
                random.nextInt(5) == 0 ? null : bytes(random),
                random.nextInt(4) == 0 ? null : random.nextBoolean()
            };
        }

        private static Object[] mutate(Random random, Object[] row) {
            Object[] fresh = node(random, (Integer) row[0]);
            int changes = 1 + random.nextInt(3);
            for (int i = 0; i < changes; i++) {
                int column = 1 + random.nextInt(row.length - 1);
                row[column] = fresh[column];
            }
            return row;
        }

        private static String word(Random random) {
            if (random.nextInt(6) == 0) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            int parts = random.nextInt(3);
            for (int i = 0; i <= parts; i++) {
                text.append(WORDS[random.nextInt(WORDS.length)]);
            }
            return text.toString();
        }

        private static byte[] bytes(Random random) {
            byte[] bytes = new byte[random.nextInt(17)];
            random.nextBytes(bytes);
            return bytes;
        }

        void load(TestDatabase database) throws Exception {
            boolean maria = database.engine() == Engine.MARIADB;
            database.execute(
                    "CREATE TABLE node (id INT PRIMARY KEY, parent_id INT, name VARCHAR(100), price DECIMAL(10,2),"
                            + " seen " + (maria ? "DATETIME(6)" : "TIMESTAMP(6)") + ", data "
                            + (database.engine() == Engine.POSTGRESQL ? "BYTEA" : "VARBINARY(16)")
                            + ", flag BOOLEAN, CONSTRAINT fk_node_parent FOREIGN KEY (parent_id) REFERENCES node (id))",
                    "CREATE TABLE pair (a INT NOT NULL, b VARCHAR(20) NOT NULL, qty INT, note VARCHAR(100),"
                            + " PRIMARY KEY (a, b))",
                    "CREATE TABLE tally (word VARCHAR(20), n INT)");
            try (Connection connection = database.connect()) {
                insert(connection, "INSERT INTO node VALUES (?, ?, ?, ?, ?, ?, ?)", new ArrayList<>(nodes.values()));
                insert(connection, "INSERT INTO pair VALUES (?, ?, ?, ?)", new ArrayList<>(pairs.values()));
                insert(connection, "INSERT INTO tally VALUES (?, ?)", tallies);
            }
        }

        private static void insert(Connection connection, String sql, List<Object[]> rows) throws Exception {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        statement.setObject(i + 1, row[i]);
                    }
                    statement.executeUpdate();
                }
            }
        }
    }
}
