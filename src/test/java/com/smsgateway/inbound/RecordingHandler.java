package com.smsgateway.inbound;

import com.smsgateway.messages.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A test handler: records every offer, takes the texts to its own number, and fails when told to. One made with
 * {@link #deciding} also answers route decisions (it may take the texts to its number), and fails or stalls them when
 * told to; the others leave the decision to the default (they may take every text).
 */
final class RecordingHandler implements InboundHandler {
  private final String name;
  private final String number;
  private final boolean decides;
  private record Offer(Message message, Instant at) {}

  private final List<Offer> offers = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToInject = new AtomicInteger();
  private final AtomicInteger decisionFailuresToInject = new AtomicInteger();
  private final AtomicInteger decisionStallsToInject = new AtomicInteger();

  RecordingHandler(String name, String number) {
    this(name, number, false);
  }

  private RecordingHandler(String name, String number, boolean decides) {
    this.name = name;
    this.number = number;
    this.decides = decides;
  }

  static RecordingHandler deciding(String name, String number) {
    return new RecordingHandler(name, number, true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Boolean> offer(Message message) {
    offers.add(new Offer(message, Instant.now()));
    if (!message.toNumber().equals(number)) {
      return Future.succeededFuture(false);
    }
    if (failuresToInject.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return Future.failedFuture(new IllegalStateException("injected handler failure"));
    }
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Set<InboundRoute>> mayTake(Set<InboundRoute> routes) {
    if (!decides) {
      return InboundHandler.super.mayTake(routes);
    }
    if (decisionStallsToInject.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return Promise.<Set<InboundRoute>>promise().future();
    }
    if (decisionFailuresToInject.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return Future.failedFuture(new IllegalStateException("injected route decision failure"));
    }
    return Future.succeededFuture(routes.stream().filter(route -> route.ourNumber().equals(number)).collect(Collectors.toSet()));
  }

  /** The next {@code count} route decisions fail. */
  void failNextDecisions(int count) {
    decisionFailuresToInject.set(count);
  }

  /** The next {@code count} route decisions never answer. */
  void stallNextDecisions(int count) {
    decisionStallsToInject.set(count);
  }

  /** The next {@code count} offers of texts to this handler's number fail. */
  void failNext(int count) {
    failuresToInject.set(count);
  }

  List<Message> offersOf(String twilioSid) {
    return offers.stream().map(Offer::message).filter(message -> message.twilioSid().equals(twilioSid)).toList();
  }

  /** When each offer of the text came, in order. */
  List<Instant> offerTimesOf(String twilioSid) {
    return offers.stream().filter(offer -> offer.message().twilioSid().equals(twilioSid)).map(Offer::at).toList();
  }
}
