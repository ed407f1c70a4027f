package com.smsgateway.calls;

import com.smsgateway.testing.RedisTest;
import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.db.EventLoopBatches;
import com.smsgateway.numbers.NumbersConfig;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pinning through two replicas sharing PostgreSQL and Redis, each with its own Redis client. */
@RedisTest
class PoolPinsTest {
  private static final TestGateway replicas = TestGateway.forClass(PoolPinsTest.class);
  private static Gateway first;
  private static Gateway second;
  private static Http http;
  private static CallsApi api;
  private static Replica onFirst;
  private static Replica onSecond;

  /** The tests change the pool through the gateway's own store: this one must not keep an earlier pool. */
  private static final NumbersConfig UNCACHED = new NumbersConfig(Duration.ofMinutes(2), Duration.ZERO, 1);

  /** What one replica pins with. */
  private record Replica(CallRegistry registry, PoolPins pins) {
    static Replica of(Gateway gateway) {
      CallKeys keys = new CallKeys(gateway.config().redis().keyPrefix());
      return new Replica(
          new CallRegistry(gateway.redis(), keys, Duration.ofHours(4), Duration.ofHours(24), Clock.systemUTC(),
              new CallNumbers(gateway.redis(), keys, Clock.systemUTC())),
          new PoolPins(gateway.redis(), keys, new SmsNumberStore(gateway.vertx(), gateway.pg(), UNCACHED,
              EventLoopBatches.BatchLimits.forRequests(gateway.config().source()), gateway.registry()), new CallMetrics(gateway.registry()), Duration.ofHours(24),
              new CallNumbers(gateway.redis(), keys, Clock.systemUTC())));
    }

    /** Pins a pool number to the call {@code callId} of workspace ws_pin. */
    Future<String> pin(String callId) {
      return registry.find(new CallRef("ws_pin", callId)).compose(call -> pins.poolNumber(call.orElseThrow()));
    }
  }

  @BeforeAll
  static void start() {
    first = Await.result(replicas.start());
    second = Await.result(replicas.start());
    http = new Http(first.port());
    api = new CallsApi(http);
    onFirst = Replica.of(first);
    onSecond = Replica.of(second);
  }

  @AfterAll
  static void stop() {
    http.close();
    Await.result(first.stop());
    Await.result(second.stop());
  }

  @Test
  void fiftyConcurrentFirstPinsOfOneCallOnTwoReplicasEndOnOneNumber() {
    api.usePool(freshNumber(), freshNumber(), freshNumber(), freshNumber(), freshNumber());
    String callId = api.registeredCall("ws_pin", freshNumber(), freshNumber()).getString("call_id");

    List<Future<String>> pins = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pins.add((i % 2 == 0 ? onFirst : onSecond).pin(callId));
    }
    Set<String> numbers = new HashSet<>(Await.result(Future.all(pins)).list());

    assertThat(numbers).hasSize(1);
    assertThat(api.getCall(callId, ADMIN).bodyAsJsonObject().getString("pool_number")).isEqualTo(numbers.iterator().next());
  }

  @Test
  void callsWithTheSameCustomerNeverShareAPoolNumber() {
    api.usePool(freshNumber(), freshNumber(), freshNumber());
    String customer = freshNumber();
    List<String> callIds = List.of(
        api.registeredCall("ws_pin", freshNumber(), customer).getString("call_id"),
        api.registeredCall("ws_pin", freshNumber(), customer).getString("call_id"),
        api.registeredCall("ws_pin", freshNumber(), customer).getString("call_id"));

    List<Future<String>> pins = new ArrayList<>();
    for (int i = 0; i < callIds.size(); i++) {
      pins.add((i % 2 == 0 ? onFirst : onSecond).pin(callIds.get(i)));
    }

    assertThat(new HashSet<>(Await.result(Future.all(pins)).list())).hasSize(3);
  }

  @Test
  void callsOfDifferentCustomersAreSpreadOverThePool() {
    api.usePool(freshNumber(), freshNumber(), freshNumber());
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      used.add(Await.result(onFirst.pin(api.registeredCall("ws_pin", freshNumber(), freshNumber()).getString("call_id"))));
    }

    assertThat(used).as("30 calls on a pool of 3, chosen at random").hasSizeGreaterThan(1);
  }

  @Test
  void anExhaustedPoolIs503AndCountedAndEndingACallReleasesItsNumber() {
    String only = freshNumber();
    api.usePool(only);
    String customer = freshNumber();
    String holder = api.registeredCall("ws_pin", freshNumber(), customer).getString("call_id");
    String waiting = api.registeredCall("ws_pin", freshNumber(), customer).getString("call_id");
    assertThat(Await.result(onFirst.pin(holder))).isEqualTo(only);
    double exhaustedBefore = exhaustedCount();

    Throwable refused = failureOf(onFirst.pin(waiting));

    assertThat(refused).isInstanceOfSatisfying(DomainFailure.class, e -> {
      assertThat(e.kind()).isEqualTo(DomainFailure.Kind.UNAVAILABLE);
      assertThat(e.code()).isEqualTo("pool_exhausted");
    });
    assertThat(exhaustedCount()).isGreaterThan(exhaustedBefore);

    assertThat(api.endCall(holder, ADMIN).statusCode()).isEqualTo(204);

    assertThat(Await.result(onSecond.pin(waiting))).isEqualTo(only);
  }

  @Test
  void anEmptyPoolIs503() {
    api.usePool();
    String callId = api.registeredCall("ws_pin", freshNumber(), freshNumber()).getString("call_id");

    assertThat(failureOf(onFirst.pin(callId))).isInstanceOfSatisfying(DomainFailure.class,
        e -> assertThat(e.code()).isEqualTo("pool_exhausted"));
  }

  @Test
  void anEndedCallGetsNoPin() {
    api.usePool(freshNumber());
    String callId = api.registeredCall("ws_pin", freshNumber(), freshNumber()).getString("call_id");
    Call call = Await.result(onFirst.registry().find(new CallRef("ws_pin", callId))).orElseThrow();
    assertThat(api.endCall(callId, ADMIN).statusCode()).isEqualTo(204);

    assertThat(failureOf(onFirst.pins().poolNumber(call))).isInstanceOfSatisfying(DomainFailure.class,
        e -> assertThat(e.kind()).isEqualTo(DomainFailure.Kind.NOT_FOUND));
  }

  @Test
  void anExpiredCallReleasesItsNumberAndStopsCountingAsAPinInUse() {
    Gateway shortCalls = Await.result(TestGateway.forClass(PoolPinsTest.class)
        .with("GATEWAY_CALLS_MAX_DURATION", "2s")
        .with("GATEWAY_CALLS_GAUGE_REFRESH", "50ms")
        .start());
    try (Http shortHttp = new Http(shortCalls.port())) {
      CallsApi shortApi = new CallsApi(shortHttp);
      Replica replica = Replica.of(shortCalls);
      String only = freshNumber();
      shortApi.usePool(only);
      String customer = freshNumber();
      String expiring = shortApi.registeredCall("ws_pin", freshNumber(), customer).getString("call_id");
      assertThat(Await.result(replica.pin(expiring))).isEqualTo(only);
      Await.until("the pin counts as in use", () -> pinsInUse(shortCalls) == 1.0);

      Await.until("the call expired", () -> shortApi.getCall(expiring, ADMIN).statusCode() == 404);
      Await.until("the expired pin no longer counts", () -> pinsInUse(shortCalls) == 0.0);

      String next = shortApi.registeredCall("ws_pin", freshNumber(), customer).getString("call_id");
      assertThat(Await.result(replica.pin(next))).as("the customer's next call gets the released number").isEqualTo(only);
    } finally {
      Await.result(shortCalls.stop());
    }
  }

  private static double pinsInUse(Gateway gateway) {
    return gateway.registry().get("gateway.calls.pool.pins_in_use").gauge().value();
  }

  private static double exhaustedCount() {
    return first.registry().get("gateway.calls.pool.exhausted").counter().count();
  }

  private static Throwable failureOf(Future<?> future) {
    return future.transform(result -> Future.succeededFuture(result.cause())).await();
  }
}
