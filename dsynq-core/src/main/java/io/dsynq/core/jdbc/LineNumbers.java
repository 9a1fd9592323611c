package io.dsynq.core.jdbc;

import java.util.TreeMap;

/**
 * The file line of each row loaded, kept in little memory: rows usually sit on consecutive lines, so only the rows
 * where that breaks (a blank line, a value with a line break) are remembered.
 */
final class LineNumbers {

    /** Row (counting from 1) to the line it starts on, where the line is not one after the previous row's. */
    private final TreeMap<Long, Long> jumps = new TreeMap<>();

    private long rows;

    private long last = 1;

    void add(long line) {
        rows++;
        if (line != last + 1) {
            jumps.put(rows, line);
        }
        last = line;
    }

    /** The line of the {@code row}-th row added, counting from 1. */
    long of(long row) {
        var jump = jumps.floorEntry(row);
        return jump == null ? row + 1 : jump.getValue() + (row - jump.getKey());
    }
}
