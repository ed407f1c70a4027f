package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migrationsAreAppliedOnceAndASecondStartDoesNotReapplyThem() {
    TestGateway replicas = TestGateway.forClass(MigrationsTest.class);
    Gateway first = Await.result(replicas.start());
    List<String> afterFirst = history(first);
    Await.result(first.stop());

    Gateway second = Await.result(replicas.start());
    List<String> afterSecond = history(second);
    Await.result(second.stop());

    assertThat(afterFirst).isNotEmpty().allMatch(row -> row.endsWith("success=true"));
    assertThat(afterSecond).isEqualTo(afterFirst);
  }

  /** One line per applied migration, with when it was installed: a re-application would change it. */
  private static List<String> history(Gateway gateway) {
    var rows = Await.result(gateway.pg()
        .query("SELECT version, installed_on, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")
        .execute());
    return StreamSupport.stream(rows.spliterator(), false)
        .map((Row row) -> row.getString("version") + "@" + row.getLocalDateTime("installed_on") + " success=" + row.getBoolean("success"))
        .toList();
  }
}
