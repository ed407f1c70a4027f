package com.smsgateway.sandbox;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;

/**
 * Failures the sandbox answers instead of success, for tests and demos: "the next N sends fail with 500",
 * "sends to this recipient fail with 21610 (opted out)". Owned by the {@link SandboxTwilio} verticle: one event loop
 * touches it.
 */
final class SandboxFaults {
  static final int MAX_FAULTS = 1000;

  enum Operation {
    SEND, AVAILABLE_NUMBERS, BUY_NUMBER, LOOKUP;

    String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code to}: only sends to this recipient fail (null: any); {@code remaining}: how many requests still fail. */
  record Fault(Operation operation, int status, int twilioCode, String message, String to, int remaining) {
    /** As it travels from the HTTP verticles to the sandbox's. */
    JsonObject toJson() {
      return new JsonObject().put("operation", operation.name()).put("status", status).put("twilio_code", twilioCode)
          .put("message", message).put("to", to).put("remaining", remaining);
    }

    static Fault fromJson(JsonObject json) {
      return new Fault(Operation.valueOf(json.getString("operation")), json.getInteger("status"), json.getInteger("twilio_code"),
          json.getString("message"), json.getString("to"), json.getInteger("remaining"));
    }
  }

  private final List<Fault> faults = new ArrayList<>();

  /** False when {@link #MAX_FAULTS} are already waiting. */
  boolean add(Fault fault) {
    if (faults.size() >= MAX_FAULTS) {
      return false;
    }
    faults.add(fault);
    return true;
  }

  void clear() {
    faults.clear();
  }

  /** The first fault that applies to this request, counted as used; {@code to} is the recipient of a send. */
  Optional<Fault> take(Operation operation, String to) {
    for (ListIterator<Fault> it = faults.listIterator(); it.hasNext(); ) {
      Fault fault = it.next();
      if (fault.operation() == operation && (fault.to() == null || fault.to().equals(to))) {
        if (fault.remaining() <= 1) {
          it.remove();
        } else {
          it.set(new Fault(operation, fault.status(), fault.twilioCode(), fault.message(), fault.to(), fault.remaining() - 1));
        }
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }
}
