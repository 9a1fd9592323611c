package io.dsynq.maven;

import io.dsynq.core.model.DeltaDirectory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * What the other projects of a build of several projects hold, read from their models as their own goals would
 * configure the plugin: so that {@code -Ddsynq.database=beta} from the root of a reactor works on the module whose
 * database {@code beta} is and skips the others.
 */
final class Reactor {

    private Reactor() {}

    /**
     * The databases of {@code project}'s dsynq plugin (its build's, else its plugin management's, else none): its
     * {@code <databases>} where it configures any, else the folders of its delta directory and the embedded databases
     * already made.
     *
     * @param pluginKey the plugin's {@code groupId:artifactId}
     * @param deltaDirectory the {@code dsynq.deltaDirectory} of the command line, or {@code null}
     */
    static Set<String> databases(MavenProject project, String pluginKey, String deltaDirectory) {
        Plugin plugin = project.getPlugin(pluginKey);
        if (plugin == null && project.getPluginManagement() != null) {
            plugin = project.getPluginManagement().getPluginsAsMap().get(pluginKey);
        }
        List<Xpp3Dom> configurations = new ArrayList<>();
        if (plugin != null) {
            configurations.add((Xpp3Dom) plugin.getConfiguration());
            for (PluginExecution execution : plugin.getExecutions()) {
                configurations.add((Xpp3Dom) execution.getConfiguration());
            }
        }
        Set<String> names = new TreeSet<>();
        for (Xpp3Dom configuration : configurations) {
            Xpp3Dom databases = configuration == null ? null : configuration.getChild("databases");
            if (databases != null) {
                for (Xpp3Dom database : databases.getChildren("database")) {
                    Xpp3Dom name = database.getChild("name");
                    if (name != null && name.getValue() != null) {
                        names.add(name.getValue());
                    }
                }
            }
            Xpp3Dom directory = configuration == null ? null : configuration.getChild("deltaDirectory");
            if (directory != null
                    && directory.getValue() != null
                    && !directory.getValue().contains("${")) {
                deltaDirectory = directory.getValue();
            }
        }
        if (!names.isEmpty()) {
            return names;
        }
        File folder = deltaDirectory == null
                ? new File(project.getBasedir(), "src/main/dsynq")
                : new File(deltaDirectory).isAbsolute()
                        ? new File(deltaDirectory)
                        : new File(project.getBasedir(), deltaDirectory);
        names.addAll(new DeltaDirectory(folder.toPath()).databases());
        String[] embedded = new File(project.getBuild().getDirectory(), "dsynq/h2").list();
        for (String file : embedded == null ? new String[0] : embedded) {
            if (file.endsWith(".mv.db")) {
                names.add(file.substring(0, file.length() - ".mv.db".length()));
            }
        }
        return names;
    }
}
