package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The quickstart replays the tutorial on embedded H2 with no setup: the table after each step, then the status. */
class QuickstartIT {

    @Test
    void replaysTheTutorial() {
        Path project = MavenBuild.sample("quickstart", MavenBuild.workFolder("quickstart"));

        String log = new MavenBuild(project).run().succeeded().log();

        String empty = "ID | CODE | NAME\n(0 rows";
        String both = "ID | CODE | NAME\n1  | 100  | One\n3  | 30   | Three\n(2 rows";
        String first = "ID | CODE | NAME\n1  | 10   | One\n2  | 20   | Two\n(2 rows";
        assertThat(log)
                .containsSubsequence(
                        empty,
                        "applying     1528442433.821985 \"first two items\"",
                        "item  2 inserted, 0 updated, 0 deleted",
                        "applying     1528442500.000001 \"add Three, recode One, drop Two\"",
                        "item  1 inserted, 1 updated, 1 deleted",
                        both,
                        "rolling back 1528442500.000001",
                        first,
                        "applying     1528442500.000001",
                        both,
                        "1528442433.821985  APPLIED",
                        "1528442500.000001  APPLIED",
                        "2 deltas found, 2 applied, last applied 1528442500.000001, 0 pending",
                        "BUILD SUCCESS");
    }
}
