package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's binary {@code COPY … TO STDOUT}, as the fast path reads the before-images of deleted rows, gives for
 * every value the canonical text {@link PostgresDialect#read} gives for it through a result set: edge values of each
 * type it decodes (BC and infinite dates and timestamps, years past 9999, numeric NaN and infinities, padded
 * {@code char}, every byte), the types it reads as text, and 2,000 random decimals of every scale and weight.
 */
class CopyOutBinaryIT {

    private static final String COLUMNS = "i2 SMALLINT, i4 INT, i8 BIGINT, s SERIAL, n NUMERIC, n2 NUMERIC(12,2),"
            + " n9 NUMERIC(30,9), vc VARCHAR(20), tx TEXT, bp CHAR(5), ts TIMESTAMP(6), ts0 TIMESTAMP(0), d DATE,"
            + " b BOOLEAN, by BYTEA, u UUID, j JSONB, js JSON, tz TIMESTAMPTZ, f4 REAL, f8 DOUBLE PRECISION,"
            + " tm TIME, mood mood, ia INT[]";

    private static final List<String> ROWS = List.of(
            "1, -32768, -2147483648, -9223372036854775808, 1, 0, 0.00, 0.000000001, '', '', '', '2000-01-01 00:00:00',"
                    + " '1999-12-31 23:59:59', '2000-01-01', false, '', '00000000-0000-0000-0000-000000000000', '{}',"
                    + " '[]', '2000-01-01 00:00:00+00', 0, 0, '00:00:00', 'sad', '{}'",
            "2, 32767, 2147483647, 9223372036854775807, 2, 'NaN', -0.01, -123456789012345678901.123456789,"
                    + " 'tab\tnew\nline\\\\slash', E'\\u00e9\\u65e5\\u672c\\U0001F600', 'ab',"
                    + " '1999-12-31 23:59:59.999999', '0001-01-01 00:00:00', '0001-01-01', true,"
                    + " '\\x00ff10807f', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{\"a\": [1, 2.50, null]}',"
                    + " '{\"b\" : 1}', '2024-06-30 23:59:59.5-07', 3.4028235e38, -1.7976931348623157e308,"
                    + " '23:59:59.999999', 'happy', '{1,NULL,3}'",
            "3, 0, 1, -1, 3, 'Infinity', 9999999999.99, 1, 'x', 'y', 'abcde', '0044-03-15 12:00:00.25 BC',"
                    + " 'infinity', '4713-01-01 BC', NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', 'Infinity', NULL, NULL,"
                    + " NULL",
            "4, NULL, NULL, NULL, 4, '-Infinity', NULL, NULL, NULL, NULL, NULL, '-infinity', '294276-12-31 23:59:59',"
                    + " 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, '-0', '-0', NULL, NULL, NULL",
            "5, 7, 70000, 7000000000, 5, 100000000, 12.30, 0.5, 'zz', 'zz', 'a b', '1970-01-01 00:00:00.000001',"
                    + " '1900-02-28 12:34:56', '-infinity', false, '\\x0a', 'ffffffff-ffff-ffff-ffff-ffffffffffff',"
                    + " '\"text\"', 'null', '1900-01-01 00:00:00+05:30', 1.5e-45, 5e-324, '12:00:00', 'happy', NULL");

    @Test
    void binaryCopyGivesTheTextAResultSetGives() throws Exception {
        try (TestDatabase db = TestServers.create(Engine.POSTGRESQL, null, "dsynq_copyout_");
                Connection connection = db.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')");
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY, " + COLUMNS + ")");
            for (String row : ROWS) {
                statement.execute("INSERT INTO t VALUES (" + row + ")");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO t (id, n, n2, n9) VALUES (?, ?, CAST(? AS NUMERIC(12,2)), CAST(? AS NUMERIC(30,9)))")) {
                SplittableRandom random = new SplittableRandom(7);
                for (int i = 0; i < 2000; i++) {
                    insert.setInt(1, 100 + i);
                    insert.setBigDecimal(2, randomDecimal(random, 40, 30));
                    insert.setBigDecimal(3, randomDecimal(random, 10, 2).setScale(2, java.math.RoundingMode.DOWN));
                    insert.setBigDecimal(4, randomDecimal(random, 21, 9).setScale(9, java.math.RoundingMode.DOWN));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            Dialect dialect = Dialect.of(connection);
            List<Column> columns = new DatabaseCatalog(
                            connection, dialect, Map.of(), io.dsynq.core.DsynqListener.SILENT)
                    .table(TableName.parse("t"))
                    .columns();

            List<String> expected = new ArrayList<>();
            try (ResultSet rows =
                    statement.executeQuery("SELECT " + dialect.selectList(null, columns) + " FROM t ORDER BY id")) {
                while (rows.next()) {
                    String[] row = new String[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = dialect.read(rows, i + 1, columns.get(i));
                    }
                    expected.add(Arrays.toString(row));
                }
            }
            List<String> copied = new ArrayList<>();
            connection.setAutoCommit(false);
            long count = dialect.copyOut(
                    connection,
                    "SELECT " + dialect.copyOutList(null, columns) + " FROM t ORDER BY id",
                    columns,
                    row -> copied.add(Arrays.toString(row)));
            connection.rollback();

            assertThat(count).isEqualTo(ROWS.size() + 2000);
            assertThat(copied).containsExactlyElementsOf(expected);
            assertThat(copied.get(2)).contains("-0043-03-15T12:00:00.25", "infinity");
            assertThat(copied.get(3)).contains("+294276-12-31T23:59:59");
        }
    }

    /** A decimal of up to {@code digits} digits, of which up to {@code scale} after the point, of either sign. */
    private static BigDecimal randomDecimal(SplittableRandom random, int digits, int scale) {
        int length = 1 + random.nextInt(digits);
        StringBuilder number = new StringBuilder();
        for (int i = 0; i < length; i++) {
            number.append((char) ('0' + random.nextInt(10)));
        }
        BigDecimal value =
                new BigDecimal(new BigInteger(number.toString()), random.nextInt(Math.min(scale, length) + 1));
        return random.nextBoolean() ? value.negate() : value;
    }
}
