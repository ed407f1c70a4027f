package com.smsgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Redis topologies made of local {@code redis-server} processes (Debian's redis-server package): a three-master
 * Cluster, or a master, a replica and a Sentinel. Each lives in its own temporary directory on free ports and is
 * stopped when the test JVM exits (or by {@link #close()}).
 */
public final class LocalRedis implements AutoCloseable {
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private LocalRedis(Path dir) {
    this.dir = dir;
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-local-redis"));
  }

  /** True when the redis-server and redis-cli executables are on the PATH. */
  public static boolean installed() {
    return onPath("redis-server") && onPath("redis-cli");
  }

  /** Three masters, no replicas, all 16384 slots assigned; answers "redis://127.0.0.1:port" for each. */
  public static LocalRedis cluster() {
    LocalRedis redis = new LocalRedis(tempDir("redis-cluster"));
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = redis.startServer("cluster-enabled yes", "cluster-config-file nodes-" + i + ".conf", "cluster-node-timeout 2000");
      nodes.add("127.0.0.1:" + port);
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    create.addAll(nodes);
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    run(create);
    Await.until("the Redis Cluster is ok", () -> run(List.of("redis-cli", "-p", Integer.toString(redis.ports.get(0)), "cluster", "info"))
        .contains("cluster_state:ok"));
    return redis;
  }

  /** A master, a replica of it and one Sentinel watching it under {@code masterName} (quorum 1, fast fail-over). */
  public static LocalRedis sentinel(String masterName) {
    LocalRedis redis = new LocalRedis(tempDir("redis-sentinel"));
    int master = redis.startServer();
    redis.startServer("replicaof 127.0.0.1 " + master);
    int sentinelPort = EmbeddedServices.freePort();
    Path config = redis.dir.resolve("sentinel.conf");
    write(config, String.join("\n",
        "port " + sentinelPort,
        "bind 127.0.0.1",
        "dir " + redis.dir,
        "sentinel monitor " + masterName + " 127.0.0.1 " + master + " 1",
        "sentinel down-after-milliseconds " + masterName + " 1000",
        "sentinel failover-timeout " + masterName + " 5000",
        "sentinel parallel-syncs " + masterName + " 1", ""));
    redis.start(List.of("redis-server", config.toString(), "--sentinel"), sentinelPort);
    Await.until("the replica is in sync", () -> run(List.of("redis-cli", "-p", Integer.toString(master), "info", "replication"))
        .contains("state=online"));
    Await.until("the Sentinel knows the replica", () -> run(List.of("redis-cli", "-p", Integer.toString(sentinelPort),
        "sentinel", "replicas", masterName)).contains("127.0.0.1"));
    return redis;
  }

  /** The ports of the servers in start order: cluster masters; or master, replica, sentinel. */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** redis-cli against one of this topology's ports; answers its output. */
  public String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  private int startServer(String... settings) {
    int port = EmbeddedServices.freePort();
    Path nodeDir = dir.resolve("node-" + port);
    try {
      Files.createDirectories(nodeDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", nodeDir.toString(), "--save", "", "--appendonly", "no"));
    for (String setting : settings) {
      String[] parts = setting.split(" ", 2);
      command.add("--" + parts[0]);
      command.addAll(List.of(parts[1].split(" ")));
    }
    start(command, port);
    return port;
  }

  private void start(List<String> command, int port) {
    try {
      processes.add(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + command, e);
    }
    ports.add(port);
    Await.until("redis-server on port " + port + " answers", () -> EmbeddedServices.answers("127.0.0.1", port));
  }

  @Override
  public synchronized void close() {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
