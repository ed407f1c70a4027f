package com.smsgateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import redis.embedded.RedisServer;

/** Embedded PostgreSQL and Redis for the dev launcher and for tests on a machine that runs neither. */
public final class EmbeddedServices {
  private EmbeddedServices() {}

  public static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
    }
  }

  public static String postgresUrl(EmbeddedPostgres postgres) {
    return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /** Starts an embedded Redis 6.2 on a free loopback port; it keeps nothing on disk. */
  public static RedisServer startRedis() {
    try {
      RedisServer server = RedisServer.newRedisServer()
          .port(freePort())
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded Redis did not start", e);
    }
  }

  public static String redisUrl(RedisServer server) {
    return "redis://127.0.0.1:" + server.ports().get(0);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
