package com.smsgateway.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redis client that records the commands sent through it: the round trips of the code under test, counted on
 * its own client, whatever else runs against the shared Redis.
 */
final class RecordingRedis implements Redis {
  private final Redis delegate;
  private final List<Command> commands = new CopyOnWriteArrayList<>();

  RecordingRedis(Redis delegate) {
    this.delegate = delegate;
  }

  /**
   * The commands sent so far, in order (a batch counts as its commands), without the {@code EVAL}s that follow a
   * {@code NOSCRIPT}: other tests and processes sharing the Redis may flush its scripts at any moment.
   */
  List<Command> roundTrips() {
    return commands.stream().filter(command -> command != Command.EVAL).toList();
  }

  void clear() {
    commands.clear();
  }

  @Override
  public Future<Response> send(Request request) {
    commands.add(request.command());
    return delegate.send(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    requests.forEach(request -> commands.add(request.command()));
    return delegate.batch(requests);
  }

  /** Commands sent on a connection taken from here are not recorded; the limiter never takes one. */
  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
