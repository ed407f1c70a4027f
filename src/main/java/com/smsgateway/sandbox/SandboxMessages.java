package com.smsgateway.sandbox;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages the sandbox accepted, as Twilio would list them, so the gateway can ask "did you take this one?"
 * after losing an answer, or "what became of this one?" after losing its status callbacks. Bounded: the oldest are forgotten first. Owned by the {@link SandboxTwilio} verticle: one event loop touches it.
 */
final class SandboxMessages {
  static final int MAX_MESSAGES = 10_000;

  private final Map<String, JsonObject> bySid = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > MAX_MESSAGES;
    }
  };

  void add(JsonObject message) {
    bySid.put(message.getString("sid"), message.copy());
  }

  /** Moves a message on as its status callbacks go out; {@code date_sent} is set once it is sent. */
  void updateStatus(String sid, String status) {
    JsonObject message = bySid.get(sid);
    if (message != null) {
      String now = SandboxTwilioJson.now();
      message.put("status", status).put("date_updated", now);
      if ("sent".equals(status)) {
        message.put("date_sent", now);
      }
    }
  }

  /** The message as it is now, as Twilio answers a fetch. */
  Optional<JsonObject> find(String sid) {
    return Optional.ofNullable(bySid.get(sid)).map(JsonObject::copy);
  }

  /** Newest first, like Twilio; {@code from} and {@code to} filter when not null. */
  List<JsonObject> list(String from, String to, int pageSize) {
    List<JsonObject> matching = new ArrayList<>();
    for (JsonObject message : bySid.values()) {
      if ((from == null || from.equals(message.getString("from"))) && (to == null || to.equals(message.getString("to")))) {
        matching.add(message.copy());
      }
    }
    List<JsonObject> newestFirst = matching.reversed();
    return List.copyOf(newestFirst.subList(0, Math.min(pageSize, newestFirst.size())));
  }
}
