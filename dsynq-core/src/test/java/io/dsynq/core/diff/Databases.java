package io.dsynq.core.diff;

import io.dsynq.core.Dsynq;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Test databases for diffs, and reading their content back independently of dsynq. */
final class Databases {

    private Databases() {}

    /** A fresh database named {@code dsynq_diff_…}. */
    static TestDatabase create(Engine engine) {
        return TestServers.create(engine, null, "dsynq_diff_");
    }

    /** Every ordered pair of engines (target, source), the same engine twice included. */
    static Stream<Arguments> enginePairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Engine target : Engine.values()) {
            for (Engine source : Engine.values()) {
                pairs.add(Arguments.of(target, source));
            }
        }
        return pairs.stream();
    }

    /** dsynq on {@code target}, deltas under {@code deltas}. */
    static Dsynq dsynq(TestDatabase target, Path deltas, List<String> keys) {
        return target.dsynq(deltas).keys(keys).build();
    }

    /** A request comparing with {@code source}. */
    static DiffRequest against(TestDatabase source) {
        return DiffRequest.against("source", new ConnectionSpec(source.url(), source.username(), source.password()));
    }

    /**
     * The rows of a table as text, one string per row, sorted in Java: values read through typed getters (decimals
     * without trailing zeros, timestamps as {@link LocalDateTime}, binary as hex), not through dsynq.
     */
    static List<String> content(TestDatabase database, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.append(c > 1 ? " | " : "")
                            .append(meta.getColumnLabel(c).toLowerCase())
                            .append('=');
                    row.append(value(result, c, meta.getColumnType(c)));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String value(ResultSet result, int c, int type) throws Exception {
        if (result.getMetaData().getColumnTypeName(c).equalsIgnoreCase("YEAR")) {
            // MariaDB prints the year 0 as 0000
            String year = result.getString(c);
            return year == null ? "NULL" : "'" + Integer.parseInt(year) + "'";
        }
        Object value =
                switch (type) {
                    case Types.DECIMAL, Types.NUMERIC -> {
                        String text = result.getString(c); // NaN and ±Infinity of PostgreSQL as they are
                        yield text == null || !Character.isDigit(text.charAt(text.length() - 1))
                                ? text
                                : new BigDecimal(text).stripTrailingZeros().toPlainString();
                    }
                    case Types.TIMESTAMP -> result.getMetaData()
                                    .getColumnTypeName(c)
                                    .equals("timestamptz")
                            ? result.getString(c) // the driver parses no year beyond 9999
                            : result.getObject(c, LocalDateTime.class);
                    case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                        byte[] bytes = result.getBytes(c);
                        yield bytes == null ? null : HexFormat.of().formatHex(bytes);
                    }
                    case Types.BIT -> {
                        if (result.getMetaData().getPrecision(c) > 1) {
                            // MariaDB's BIT(n), a number of n bits, most significant first
                            byte[] bits = result.getBytes(c);
                            yield bits == null ? null : new java.math.BigInteger(1, bits);
                        }
                        boolean b = result.getBoolean(c);
                        yield result.wasNull() ? null : b;
                    }
                    case Types.BOOLEAN -> {
                        boolean b = result.getBoolean(c);
                        yield result.wasNull() ? null : b;
                    }
                    default -> result.getString(c);
                };
        return value == null ? "NULL" : "'" + value + "'";
    }
}
