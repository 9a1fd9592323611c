package io.dsynq.core.diff;

import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.model.TableName;
import java.util.List;

/**
 * A table of the target matched with the source's table of the same name, checked to be comparable.
 *
 * @param name the table as the delta's file names write it
 * @param target the target's table
 * @param source the source's table
 * @param targetColumns the target's columns compared, in the target's order (generated columns left out)
 * @param sourceColumns the source's columns of the same names, in the same order
 * @param key the positions of the key columns in {@code targetColumns}, in key order
 * @param wholeRow whether the key is every column (a table without key, {@code table:*}); rows may repeat
 */
record TablePair(
        TableName name,
        Table target,
        Table source,
        List<Column> targetColumns,
        List<Column> sourceColumns,
        int[] key,
        boolean wholeRow) {

    /** The target's key columns, in key order. */
    List<Column> targetKey() {
        return java.util.Arrays.stream(key).mapToObj(targetColumns::get).toList();
    }

    /** The source's key columns, in key order. */
    List<Column> sourceKey() {
        return java.util.Arrays.stream(key).mapToObj(sourceColumns::get).toList();
    }

    /** Whether the column at {@code index} is part of the key. */
    boolean isKey(int index) {
        for (int k : key) {
            if (k == index) {
                return true;
            }
        }
        return false;
    }
}
