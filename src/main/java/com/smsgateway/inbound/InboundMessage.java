package com.smsgateway.inbound;

import java.time.Instant;
import java.util.List;

/**
 * A text a customer sent to one of our numbers, as stored: what {@link InboundHandler}s are offered.
 *
 * @param id          the gateway's message id
 * @param twilioSid   Twilio's {@code MessageSid}
 * @param from        the customer's number
 * @param to          our number it was sent to
 * @param body        the text ({@code ""} for media only)
 * @param numSegments Twilio's {@code NumSegments}, null when the webhook did not carry it
 * @param receivedAt  when the gateway stored it
 */
public record InboundMessage(
    String id,
    String twilioSid,
    String accountSid,
    String from,
    String to,
    String body,
    List<Media> media,
    Integer numSegments,
    Instant receivedAt) {

  public InboundMessage {
    media = List.copyOf(media);
  }

  /** One MMS attachment: Twilio's {@code MediaUrlN} and {@code MediaContentTypeN}. */
  public record Media(String url, String contentType) {}
}
