package com.smsgateway.inbound;

import com.smsgateway.messages.Message;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A test handler: records every offer, takes the texts to its own number, and fails when told to. */
final class RecordingHandler implements InboundHandler {
  private final String name;
  private final String number;
  private record Offer(Message message, Instant at) {}

  private final List<Offer> offers = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToInject = new AtomicInteger();

  RecordingHandler(String name, String number) {
    this.name = name;
    this.number = number;
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
