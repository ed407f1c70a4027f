package com.smsgateway.db;

import com.smsgateway.config.GatewayConfig;
import com.smsgateway.logging.LogMasking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL: Flyway migrations at start-up (JDBC, once), then the reactive, pipelined pool for everything else. */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  /** How much longer than pg.statement_timeout a connection may stay silent before it counts as hung. */
  private static final java.time.Duration HUNG_CONNECTION_GRACE = java.time.Duration.ofSeconds(1);

  private Database() {}

  public static PgConnectOptions connectOptions(GatewayConfig.Pg pg) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(pg.url());
    } catch (RuntimeException e) {
      // Neither the URL nor the parser's message (which may quote it) is echoed with its password.
      throw new com.smsgateway.config.ConfigException("pg.url", "'" + LogMasking.mask(pg.url()) + "' is not a postgresql:// URL: "
          + LogMasking.mask(e.getMessage()));
    }
    return options
        .setPipeliningLimit(pg.pipeliningLimit())
        // statement_timeout as a start-up parameter: every pooled connection has it, PostgreSQL cancels a query past it.
        .setProperties(Map.of("search_path", pg.schema(), "application_name", "sms-gateway",
            "statement_timeout", Long.toString(pg.statementTimeout().toMillis())));
  }

  public static String describe(PgConnectOptions options) {
    return "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  /** Applies pending migrations; runs on a worker thread because Flyway uses blocking JDBC. */
  public static Future<MigrateResult> migrate(Vertx vertx, GatewayConfig.Pg pg) {
    PgConnectOptions options = connectOptions(pg);
    String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
        + "?connectTimeout=" + Math.max(1, pg.connectTimeout().toSeconds());
    return vertx.executeBlocking(() -> {
      try {
        MigrateResult result = Flyway.configure()
            .dataSource(jdbcUrl, options.getUser(), options.getPassword())
            .schemas(pg.schema())
            .createSchemas(true)
            .locations("classpath:db/migration")
            .load()
            .migrate();
        log.info("Schema '{}' migrated: {} migration(s) applied, now at version {}",
            pg.schema(), result.migrationsExecuted, result.targetSchemaVersion);
        return result;
      } catch (RuntimeException e) {
        throw new IllegalStateException(describe(options) + " is unreachable or refused the migrations: " + rootMessage(e), e);
      }
    }, false);
  }

  public static Pool pool(Vertx vertx, GatewayConfig.Pg pg) {
    return PgBuilder.pool()
        .with(new PoolOptions()
            .setName("pg")
            .setMaxSize(pg.poolSize())
            .setConnectionTimeout((int) pg.connectTimeout().toMillis())
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            // Idle connections are retired before the read-idle guard below could close one just handed out.
            .setIdleTimeout((int) pg.statementTimeout().toMillis())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        // A server or network that stops answering: no bytes for longer than any statement may run closes the
        // connection, failing its queries, where PostgreSQL's own statement_timeout cannot help.
        .with(new io.vertx.core.net.NetClientOptions()
            .setConnectTimeout((int) pg.connectTimeout().toMillis())
            .setReadIdleTimeout((int) pg.statementTimeout().plus(HUNG_CONNECTION_GRACE).toMillis())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
