package io.dsynq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dsynq tutorial, through the core API on in-process H2. */
class TutorialTest {

    @TempDir
    Path tmp;

    private String url;

    private Dsynq dsynq;

    @BeforeEach
    void setUp() throws Exception {
        url = "jdbc:h2:mem:tutorial" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        sql("CREATE TABLE item (id INT PRIMARY KEY, code INT, name VARCHAR(20))");
        Path deltas = tmp.resolve("dsynq/hello/delta");
        write(deltas.resolve("1528442433.821985/item.i.csv"), "id,code,name\n1,10,One\n2,20,Two\n");
        write(deltas.resolve("1528442500.000001/item.i.csv"), "id,code,name\n3,30,Three\n");
        write(deltas.resolve("1528442500.000001/item.u.csv"), "id,code\n1,100\n");
        write(deltas.resolve("1528442500.000001/item.d.csv"), "id\n2\n");
        dsynq = Dsynq.configure()
                .database("hello")
                .url(url)
                .deltaDirectory(tmp.resolve("dsynq"))
                .exportDirectory(tmp.resolve("target"))
                .build();
    }

    @Test
    void appliesRollsBackAndAppliesAgain() throws Exception {
        ApplyResult applied = dsynq.apply(ApplyRequest.latest());

        assertThat(applied.steps()).hasSize(2);
        assertThat(applied.steps().get(1).inserted()).isEqualTo(1);
        assertThat(applied.steps().get(1).updated()).isEqualTo(1);
        assertThat(applied.steps().get(1).deleted()).isEqualTo(1);
        assertThat(items()).containsExactly("1,100,One", "3,30,Three");
        assertThat(tmp.resolve("target/hello/delta.rev/1528442500.000001/item.u.csv"))
                .hasContent("id,code\n1,10");
        assertThat(tmp.resolve("target/hello/delta.rev/1528442500.000001/item.i.csv"))
                .hasContent("id,code,name\n2,20,Two");
        assertThat(tmp.resolve("target/hello/delta.rev/1528442500.000001/item.d.csv"))
                .hasContent("id\n3");

        ApplyResult back = dsynq.apply(ApplyRequest.offset(-1));

        assertThat(back.steps()).singleElement().satisfies(step -> assertThat(step.forward())
                .isFalse());
        assertThat(items()).containsExactly("1,10,One", "2,20,Two");
        assertThat(tmp.resolve("target/hello/delta.rev/1528442500.000001")).doesNotExist();

        dsynq.apply(ApplyRequest.latest());
        assertThat(items()).containsExactly("1,100,One", "3,30,Three");

        StatusResult status = dsynq.status();
        assertThat(status.in(DeltaStatus.State.APPLIED)).hasSize(2);
        assertThat(status.lastApplied().text()).isEqualTo("1528442500.000001");

        dsynq.apply(ApplyRequest.to("0"));
        assertThat(items()).isEmpty();
        assertThat(dsynq.status().in(DeltaStatus.State.PENDING)).hasSize(2);
    }

    @Test
    void aFailedDeltaLeavesNothingBehind() throws Exception {
        write(tmp.resolve("dsynq/hello/delta/1528442600.000000/item.u.csv"), "id,name\n1,Uno\n9,Nine\n");

        assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database hello, delta 1528442600.000000, file item.u.csv, line 3: no row with key id=9"
                        + " in table item to update");

        assertThat(items()).containsExactly("1,100,One", "3,30,Three");
        assertThat(dsynq.status().in(DeltaStatus.State.PENDING)).hasSize(1);
    }

    private List<String> items() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, code, name FROM item ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getString(1) + "," + result.getString(2) + "," + result.getString(3));
            }
        }
        return rows;
    }

    private void sql(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
