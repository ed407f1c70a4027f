package com.smsgateway.redis;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so each call sends 40 bytes instead of the script.
 *
 * <p>When the server does not know the script (after a restart, a failover or {@code SCRIPT FLUSH}) the call is
 * retried once with {@code EVAL}, which runs the script and caches it. {@code EVAL} rather than {@code SCRIPT LOAD}
 * plus {@code EVALSHA}: it is one round trip instead of two, and on Redis Cluster it is routed by its keys to the
 * node that will run the next {@code EVALSHA}, whereas a key-less {@code SCRIPT LOAD} lands on an arbitrary node.
 */
public final class RedisScript {

  private final String name;
  private final String source;
  private final String sha1;

  private RedisScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  /**
   * Reads a script from the classpath, e.g. {@code /lua/segment_limit.lua}: a blocking read, refused on an event loop.
   * Scripts are constants of the classes that run them, so they are read when the gateway assembles its features, on a
   * worker thread.
   */
  public static RedisScript fromClasspath(String resource) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Lua script " + resource + " read on an event loop; load scripts off the loop (at assembly)");
    }
    try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no Lua script on the classpath at " + resource);
      }
      return new RedisScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + resource, e);
    }
  }

  /** Runs the script with {@code keys} (all in one hash slot on a cluster) and {@code args}. */
  public Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha1, keys, args))
        .recover(failure -> isNoScript(failure)
            ? redis.send(request(Command.EVAL, source, keys, args))
            : Future.failedFuture(failure));
  }

  /**
   * Runs the script, then waits ({@code WAIT}, on the same connection) until its writes reached
   * {@code replication.replicas()} replicas. A Sentinel or Cluster fail-over promotes a replica and drops whatever
   * the old master had not replicated; a write acknowledged only by the master could vanish (a segment charge
   * lost, a brand over its cap). When too few replicas confirm within the timeout the call fails
   * ({@code 503 redis_not_replicated}): the write may or may not survive, so nothing is acknowledged on it.
   */
  public Future<Response> run(Redis redis, List<String> keys, List<String> args, WriteReplication replication) {
    if (replication.replicas() == 0) {
      return run(redis, keys, args);
    }
    Request wait = Request.cmd(Command.WAIT).arg(replication.replicas()).arg(replication.timeout().toMillis());
    return redis.connect().compose(connection -> connection.batch(List.of(request(Command.EVALSHA, sha1, keys, args), wait))
            .recover(failure -> isNoScript(failure)
                ? connection.batch(List.of(request(Command.EVAL, source, keys, args), wait))
                : Future.failedFuture(failure))
            .eventually(connection::close))
        .compose(replies -> replies.get(1).toInteger() >= replication.replicas()
            ? Future.succeededFuture(replies.get(0))
            : Future.failedFuture(DomainFailure.unavailable("redis_not_replicated", "Redis did not confirm the write on "
                + replication.replicas() + " replica(s) within " + replication.timeout().toMillis() + " ms; try again shortly.")));
  }

  /** How many replicas must confirm a script's writes ({@code redis.wait_replicas}, 0: none) and for how long to wait. */
  public record WriteReplication(int replicas, java.time.Duration timeout) {
    public static final WriteReplication NONE = new WriteReplication(0, java.time.Duration.ZERO);
  }

  @Override
  public String toString() {
    return "RedisScript[" + name + ", sha1=" + sha1 + "]";
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable failure) {
    String message = failure.getMessage();
    // A batch reports the failed command's index first: "ERR [0] NOSCRIPT ...".
    return message != null && (message.startsWith("NOSCRIPT") || message.contains("] NOSCRIPT"));
  }

  private static String sha1Hex(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-1", e);
    }
  }
}
