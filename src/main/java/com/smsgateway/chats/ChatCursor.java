package com.smsgateway.chats;

import com.smsgateway.domain.DomainFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Where a page of chats ended (newest first): the last chat's start and id, opaque to clients. */
record ChatCursor(Instant startedAt, String chatId) {
  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((startedAt + "|" + chatId).getBytes(StandardCharsets.UTF_8));
  }

  static ChatCursor decode(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
      return new ChatCursor(Instant.parse(parts[0]), parts[1]);
    } catch (RuntimeException e) {
      throw DomainFailure.invalidField("cursor", "is not a cursor this API returned (use next_cursor of the previous page)");
    }
  }
}
