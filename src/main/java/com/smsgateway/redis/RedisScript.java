package com.smsgateway.redis;

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
    return message != null && message.startsWith("NOSCRIPT");
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
