package com.smsgateway.redis;

import com.smsgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import java.time.Duration;

/** Builds the Redis client for a standalone server, a cluster or sentinels, as configured. */
public final class RedisConnector {
  private RedisConnector() {}

  public static Redis create(Vertx vertx, GatewayConfig.RedisSettings settings, Duration connectTimeout) {
    RedisOptions options = new RedisOptions()
        .setMaxPoolSize(settings.poolSize())
        // Requests queue for a pooled connection up to max_waiting (the client's default of 24 fails bursts),
        // and each connection may have as many replies pending.
        .setMaxPoolWaiting(settings.maxWaiting())
        .setMaxWaitingHandlers(settings.maxWaiting())
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setTcpNoDelay(true));
    settings.endpoints().forEach(options::addConnectionString);
    switch (settings.mode()) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER);
      case SENTINEL -> options.setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER).setMasterName(settings.masterName());
    }
    return Redis.createClient(vertx, options);
  }

  public static String describe(GatewayConfig.RedisSettings settings) {
    return "Redis (" + settings.mode().name().toLowerCase() + ") at " + String.join(", ", settings.endpoints()).replaceAll("//[^@/]*@", "//");
  }

  public static Future<Void> ping(Redis redis) {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }
}
