package io.dsynq.maven;

/**
 * One {@code <database>} of the plugin configuration. Without a {@code url} it is an embedded H2 file database
 * under {@code target/dsynq/h2/<name>} (in the build directory). Credentials come from a {@code settings.xml} server
 * ({@code serverId}) or from {@code username} and {@code password}, not both.
 */
public class Database {

    /** The name: the database's folder under the delta directory. */
    private String name;

    /** The JDBC URL; none for the embedded H2 database. */
    private String url;

    /** The id of a {@code settings.xml} server holding the user name and (encrypted) password. */
    private String serverId;

    /** The user name, when no {@code serverId} is given. */
    private String username;

    /** The password, when no {@code serverId} is given. Never logged. */
    private String password;

    public Database() {}

    Database(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public String getServerId() {
        return serverId;
    }

    public String getUsername() {
        return username;
    }

    public String getPassword() {
        return password;
    }

    @Override
    public String toString() {
        return name;
    }
}
