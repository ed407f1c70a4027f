package com.smsgateway.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting in tests without fixed sleeps: futures with a bound, conditions by polling. */
public final class Await {
  private static final long DEFAULT_SECONDS = 60;

  private Await() {}

  public static <T> T result(Future<T> future) {
    try {
      return future.await(DEFAULT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Future did not complete within " + DEFAULT_SECONDS + " s", e);
    }
  }

  /** Polls {@code condition} every few milliseconds until it holds, failing after the bound. */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEFAULT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting until " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting until " + what, e);
      }
    }
  }
}
