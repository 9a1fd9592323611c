package io.dsynq.core.jdbc;

import java.sql.DatabaseMetaData;
import java.util.List;

/**
 * A foreign key: {@code child.columns} reference {@code parent.parentColumns}.
 *
 * @param name the constraint name
 * @param child the table holding the reference
 * @param parent the table it references
 * @param columns the referencing columns, in key order
 * @param parentColumns the referenced columns, in the same order
 * @param deleteRule what deleting a parent row does to its children, a {@link DatabaseMetaData}
 *     {@code importedKey…} constant
 * @param updateRule what changing a parent row's referenced values does to its children, likewise
 * @param deferred whether the database checks the reference when the transaction commits ({@code INITIALLY
 *     DEFERRED}), not as rows or statements change
 */
public record ForeignKey(
        String name,
        TableRef child,
        TableRef parent,
        List<String> columns,
        List<String> parentColumns,
        int deleteRule,
        int updateRule,
        boolean deferred) {

    public ForeignKey {
        columns = List.copyOf(columns);
        parentColumns = List.copyOf(parentColumns);
    }

    /** This key taken as one to {@code table}, whose rows its parent's are (a partitioned table's partition). */
    public ForeignKey withParent(TableRef table) {
        return new ForeignKey(name, child, table, columns, parentColumns, deleteRule, updateRule, deferred);
    }

    /** A foreign key that refuses to change its children when their parent's values change. */
    public ForeignKey(
            String name,
            TableRef child,
            TableRef parent,
            List<String> columns,
            List<String> parentColumns,
            int deleteRule) {
        this(name, child, parent, columns, parentColumns, deleteRule, DatabaseMetaData.importedKeyNoAction, false);
    }

    /** Whether changing a parent row's referenced values changes its children (cascades, sets NULL or the default). */
    public boolean updateChangesChildren() {
        return updateRule == DatabaseMetaData.importedKeyCascade
                || updateRule == DatabaseMetaData.importedKeySetNull
                || updateRule == DatabaseMetaData.importedKeySetDefault;
    }

    /** Whether deleting a parent row changes its children (cascades, sets NULL or the default) rather than failing. */
    public boolean deleteChangesChildren() {
        return deleteRule == DatabaseMetaData.importedKeyCascade
                || deleteRule == DatabaseMetaData.importedKeySetNull
                || deleteRule == DatabaseMetaData.importedKeySetDefault;
    }

    /**
     * Whether changing a parent row's referenced values sets its children's references to NULL or to their default:
     * unlike a cascade, which the parent's change back carries to them again, nothing gives them their reference back.
     */
    public boolean updateDropsReferences() {
        return updateRule == DatabaseMetaData.importedKeySetNull
                || updateRule == DatabaseMetaData.importedKeySetDefault;
    }

    /** The delete rule as SQL writes it. */
    public String deleteRuleName() {
        return ruleName("DELETE", deleteRule);
    }

    /** The update rule as SQL writes it. */
    public String updateRuleName() {
        return ruleName("UPDATE", updateRule);
    }

    private static String ruleName(String event, int rule) {
        return "ON " + event + " "
                + switch (rule) {
                    case DatabaseMetaData.importedKeyCascade -> "CASCADE";
                    case DatabaseMetaData.importedKeySetNull -> "SET NULL";
                    case DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
                    case DatabaseMetaData.importedKeyRestrict -> "RESTRICT";
                    default -> "NO ACTION";
                };
    }
}
