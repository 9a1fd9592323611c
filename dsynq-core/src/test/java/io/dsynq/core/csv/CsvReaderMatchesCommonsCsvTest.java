package io.dsynq.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.Test;

/**
 * dsynq's CSV reader against Commons CSV, the library the dialect was first read with: on random input, valid or
 * not, both read the same fields on the same lines, and both refuse the same input.
 */
class CsvReaderMatchesCommonsCsvTest {

    /** The dialect as Commons CSV states it: RFC 4180, empty lines kept, an unquoted empty field as null. */
    private static final CSVFormat COMMONS = CSVFormat.RFC4180
            .builder()
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setNullString(null)
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
            .get();

    @Test
    void readsWhatCommonsCsvReadsOnRandomInput() {
        Random random = new Random(7);
        String[] pieces = {"a", "bc", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\t", "é", "日", "😀", "x\"y"};
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder csv = new StringBuilder("h1,h2\n");
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                csv.append(pieces[random.nextInt(pieces.length)]);
            }
            String input = csv.toString();
            List<String> expected = commons(input);
            List<String> actual = dsynq(input);
            assertThat(actual)
                    .as("input %s", input.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(expected);
            if (expected.get(expected.size() - 1).startsWith("refused")) {
                refused++;
            }
        }
        assertThat(refused).as("inputs both refused").isGreaterThan(1000);
    }

    @Test
    void readsAcrossItsBufferTheSameAsCommonsCsv() {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int row = 0; row < 20_000; row++) {
            csv.append(row).append(',');
            switch (random.nextInt(4)) {
                case 0 -> csv.append("\"quoted, with \"\" and\nline breaks\r\n\"");
                case 1 -> csv.append("plain text ").append("x".repeat(random.nextInt(200)));
                case 2 -> csv.append("");
                default -> csv.append("\"\"");
            }
            csv.append(random.nextBoolean() ? "\n" : "\r\n");
        }
        assertThat(dsynq(csv.toString())).isEqualTo(commons(csv.toString()));
    }

    /** Records as "line: fields", blank lines dropped, then "refused" if the parser refused the rest. */
    private static List<String> commons(String input) {
        List<String> records = new ArrayList<>();
        try (CSVParser parser = COMMONS.parse(new StringReader(input))) {
            long linesBefore = 0;
            for (CSVRecord record : parser) {
                long line = linesBefore + 1;
                linesBefore = parser.getCurrentLineNumber();
                if (record.size() == 1 && record.get(0) == null) {
                    continue;
                }
                records.add(line + ": " + record.toList());
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            records.add("refused");
        }
        return records;
    }

    /** The same from dsynq's reader, record by record, before it compares a row's width with the header's. */
    private static List<String> dsynq(String input) {
        List<String> records = new ArrayList<>();
        try (CsvReader reader =
                CsvDialect.reader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "t.csv")) {
            records.add("1: " + reader.header());
            while (true) {
                long line = reader.nextLine();
                String[] record = reader.nextRecord();
                if (record == null) {
                    break;
                }
                if (record.length == 1 && record[0] == null) {
                    continue;
                }
                records.add(line + ": " + Arrays.asList(record));
            }
        } catch (CsvFormatException e) {
            records.add("refused");
        }
        return records;
    }
}
