package io.dsynq.maven;

import io.dsynq.core.Dsynq;
import io.dsynq.core.NewDeltaRequest;
import io.dsynq.core.NewDeltaResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates a new delta: a folder named by a fresh id with stub files for each table of {@code dsynq.tables}: an
 * insert file with every column, an update file with every column (keep the key and the columns to set) and a
 * delete file with the key. When the database cannot be reached the stubs are empty files.
 *
 * @since 0.1.0
 */
@Mojo(name = "new", threadSafe = true)
public class NewMojo extends AbstractDsynqMojo {

    /**
     * The tables to write stubs for, separated by commas; schema-qualified where needed ({@code sales.item}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.tables")
    private List<String> tables;

    /**
     * What the delta is for, kept in its meta file and history entry.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.description")
    private String description;

    @Override
    protected boolean startsDatabases() {
        return true;
    }

    @Override
    protected boolean usesDeltaArtifacts() {
        return false;
    }

    @Override
    protected void run() throws MojoFailureException {
        Dsynq dsynq = single();
        NewDeltaResult result = dsynq.newDelta(new NewDeltaRequest(tables == null ? List.of() : tables, description));
        getLog().info("New delta " + result.id() + " for database "
                + dsynq.settings().name() + ": " + result.folder());
        for (Path file : result.files()) {
            getLog().info("  " + file.getFileName());
        }
        if (result.files().isEmpty()) {
            getLog().info("  no stub files: dsynq.tables names no table (-Ddsynq.tables=item,category writes stubs"
                    + " whose headers are the tables' columns)");
        }
        getLog().info("  Next: put the changes in the delta's folder, each file under a header of column names:"
                + " whole rows to insert in <table>.i.csv, the key and the columns to set in <table>.u.csv, the keys"
                + " of the rows to delete in <table>.d.csv (a file of a header alone does nothing); then run"
                + " dsynq:apply. A delta applied before it is filled in is recorded as it was, and MODIFIED once"
                + " its files change");
    }
}
