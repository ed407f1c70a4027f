package com.smsgateway.numbers;

import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Tells this replica's readers of a number's settings (the chat handler's cache) that the number changed through this
 * replica, so they read it again at once. Other replicas learn it when their cached copy expires.
 */
public final class NumberChanges {
  private static final String ADDRESS = "gateway.numbers.changed";

  private NumberChanges() {}

  static void announce(Vertx vertx, String phoneNumber) {
    vertx.eventBus().publish(ADDRESS, phoneNumber);
  }

  public static void onChange(Vertx vertx, Consumer<String> changed) {
    vertx.eventBus().<String>localConsumer(ADDRESS, message -> changed.accept(message.body()));
  }
}
