package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The plugin descriptor Maven's tools read the goals' and parameters' documentation from. */
class PluginDescriptorTest {

    private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");

    /**
     * {@code mvn help:describe -Ddetail} reads descriptions as HTML and drops whatever looks like a tag, so a
     * placeholder such as {@code <database>} vanished ('each a with , and optionally , or /', 'into
     * --dsynq.tar.xz'). The generated help goal's own description is Maven's, not ours.
     */
    @Test
    void noDescriptionHoldsWhatHelpDescribeWouldTakeForATag() throws Exception {
        assertThat(DESCRIPTOR).exists();
        Document descriptor =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        List<String> tagged = new ArrayList<>();
        NodeList mojos = descriptor.getElementsByTagName("mojo");
        assertThat(mojos.getLength()).isGreaterThan(5);
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = child(mojo, "goal").getTextContent();
            if (goal.equals("help")) {
                continue;
            }
            check(goal, child(mojo, "description").getTextContent(), tagged);
            NodeList parameters = child(mojo, "parameters").getElementsByTagName("parameter");
            for (int j = 0; j < parameters.getLength(); j++) {
                Element parameter = (Element) parameters.item(j);
                Element description = child(parameter, "description");
                if (description != null) {
                    check(goal + " " + child(parameter, "name").getTextContent(), description.getTextContent(), tagged);
                }
            }
        }
        assertThat(tagged).isEmpty();
    }

    private static void check(String where, String description, List<String> tagged) {
        if (description.matches("(?s).*<[A-Za-z/!?].*")) {
            tagged.add(where + ": " + description);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }
}
