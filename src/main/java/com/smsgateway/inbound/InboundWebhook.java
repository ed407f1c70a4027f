package com.smsgateway.inbound;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One inbound-message webhook, read from its verified form: what is stored, before it has an id.
 *
 * @param rawParams every parameter as sent (a name sent twice keeps all its values, as a list)
 * @param keyword   the compliance keyword the whole body is, if it is one
 */
record InboundWebhook(
    String twilioSid,
    String accountSid,
    String from,
    String to,
    String body,
    List<Message.Media> media,
    Integer numSegments,
    JsonObject rawParams,
    Optional<Keyword> keyword) {

  /** 400 when a required parameter is missing or one is malformed; {@code accountSid} is the verified account's. */
  static InboundWebhook parse(MultiMap form, String accountSid) {
    form.forEach(param -> {
      if (param.getKey().indexOf('\0') >= 0 || param.getValue().indexOf('\0') >= 0) {
        // PostgreSQL's text and jsonb cannot hold NUL; refusing it keeps one bad webhook out of a shared batch.
        throw DomainFailure.malformed("invalid_parameter", "Webhook parameters may not contain NUL characters.");
      }
    });
    String body = form.get("Body") == null ? "" : form.get("Body");
    return new InboundWebhook(
        required(form, "MessageSid"),
        accountSid,
        required(form, "From"),
        required(form, "To"),
        body,
        media(form),
        optionalCount(form, "NumSegments"),
        rawParams(form),
        Keyword.of(body));
  }

  InboundRoute route() {
    return new InboundRoute(to, from);
  }

  /**
   * What is stored: keyword texts and texts no handler could take ({@code unrouted}) are settled at once, the others
   * wait for a handler.
   */
  MessageStore.NewInbound toNewInbound(boolean unrouted) {
    String state = keyword.map(k -> k.action().dispatchState)
        .orElse(unrouted ? MessageStore.DispatchState.UNROUTED : MessageStore.DispatchState.PENDING);
    return new MessageStore.NewInbound(twilioSid, accountSid, from, to, body, media, numSegments, rawParams,
        keyword.map(Keyword::word).orElse(null), state);
  }

  private static String required(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw DomainFailure.malformed("missing_parameter", name + " is required.");
    }
    return value;
  }

  private static Integer optionalCount(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    int count;
    try {
      count = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      count = -1;
    }
    if (count < 0) {
      throw DomainFailure.malformed("invalid_parameter", name + " must be a non-negative integer, not '" + value + "'.");
    }
    return count;
  }

  /** MediaUrlN and MediaContentTypeN for every N below NumMedia; a missing URL is a malformed webhook. */
  private static List<Message.Media> media(MultiMap form) {
    Integer count = optionalCount(form, "NumMedia");
    List<Message.Media> media = new ArrayList<>();
    for (int n = 0; count != null && n < count; n++) {
      String url = form.get("MediaUrl" + n);
      if (url == null || url.isBlank()) {
        throw DomainFailure.malformed("invalid_parameter", "NumMedia is " + count + " but MediaUrl" + n + " is missing.");
      }
      media.add(new Message.Media(url, form.get("MediaContentType" + n)));
    }
    return media;
  }

  private static JsonObject rawParams(MultiMap form) {
    JsonObject raw = new JsonObject();
    for (String name : form.names()) {
      List<String> values = form.getAll(name);
      raw.put(name, values.size() == 1 ? values.get(0) : new JsonArray(values));
    }
    return raw;
  }
}
