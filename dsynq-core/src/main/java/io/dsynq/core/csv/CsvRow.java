package io.dsynq.core.csv;

/**
 * One data row of a CSV file.
 *
 * @param line the physical line the row starts on, the header being line 1
 * @param values the fields in header order; {@code null} for NULL
 */
public record CsvRow(long line, String[] values) {}
