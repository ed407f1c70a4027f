package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.SegmentCharge;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.config.HttpUrl;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.segments.BodyTooLongException;
import com.smsgateway.segments.SegmentCalculator;
import com.smsgateway.segments.SegmentInfo;
import com.smsgateway.segments.SmartEncoding;
import com.smsgateway.segments.SmartEncodingResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every text leaves the gateway: validate ▸ opt-out ▸ segments ▸ rate limit ▸ store queued. The send
 * itself happens after {@link #submit} answers: the {@link OutboundSendWorker} claims the stored row.
 */
public final class OutboundPipeline {
  private static final Logger log = LoggerFactory.getLogger(OutboundPipeline.class);
  private static final int MAX_MEDIA = 10;

  private final Vertx vertx;
  private final MessageStore store;
  private final OptOutRegistry optOuts;
  private final SegmentCharger charger;
  private final OutboundConfig config;
  private final OutboundMetrics metrics;

  OutboundPipeline(Vertx vertx, MessageStore store, OptOutRegistry optOuts, SegmentCharger charger, OutboundConfig config,
                   OutboundMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.optOuts = optOuts;
    this.charger = charger;
    this.config = config;
    this.metrics = metrics;
  }

  /** What will be sent: the body after smart encoding (when on for the workspace) and its segments. */
  private record Prepared(String body, SegmentInfo segments, String detail) {}

  /**
   * Accepts a text for sending and answers the stored message (status {@code queued}), or fails with an
   * {@link DomainFailure}: 422 {@code invalid_field}, {@code unsupported_country} or {@code body_too_long}, 409
   * {@code recipient_opted_out}, 429 {@code segment_limit_exceeded}. (Repeated requests are handled before, by
   * the {@code Idempotency-Key} of the HTTP request.)
   */
  public Future<Message> submit(OutboundRequest request) {
    Prepared prepared;
    try {
      prepared = prepare(request);
    } catch (DomainFailure invalid) {
      return Future.failedFuture(invalid);
    }
    return optOuts.isOptedOut(request.sender().number(), request.toNumber())
        .compose(optedOut -> optedOut
            ? Future.failedFuture(DomainFailure.conflict("recipient_opted_out", request.toNumber()
                + " opted out of texts from " + request.sender().number() + "; they can text START to opt back in."))
            : charger.charge(request.sender().brand(), request.workspaceId(), request.toNumber(), prepared.segments().segments()))
        .compose(charge -> store(request, prepared, charge));
  }

  private Future<Message> store(OutboundRequest request, Prepared prepared, Optional<SegmentCharge> charge) {
    SendingNumber sender = request.sender();
    MessageStore.NewOutbound queued = new MessageStore.NewOutbound(request.messageId().orElseGet(MessageStore::newId), sender.account().accountSid(),
        request.workspaceId(), sender.number(), request.toNumber(), prepared.body(), request.mediaUrls(), prepared.segments().segments(),
        prepared.segments().encoding().label(), request.callId(), request.chatId(), sender.kind().code(), charge, prepared.detail());
    return store.insertQueued(queued)
        .recover(failure -> refund(charge).compose(refunded -> Future.failedFuture(failure)))
        .compose(stored -> {
          if (stored.storedBefore()) {
            // An earlier run of this request stored (and charged) the text before its replica died.
            metrics.foundStored();
            return refund(charge).map(refunded -> stored.message());
          }
          LeasedWorker.wake(vertx, OutboundSendWorker.NAME);
          return Future.succeededFuture(stored.message());
        });
  }

  private Future<Void> refund(Optional<SegmentCharge> charge) {
    return charge.map(charged -> charger.refund(charged).recover(failure -> {
      log.warn("Segments of a text that was not stored could not be refunded: {}", failure.toString());
      return Future.<Void>succeededFuture();
    })).orElseGet(Future::succeededFuture);
  }

  private Prepared prepare(OutboundRequest request) {
    PhoneNumbers.requireUs("from_number", request.sender().number());
    PhoneNumbers.requireUs("to_number", request.toNumber());
    if (request.body().isEmpty() && request.mediaUrls().isEmpty()) {
      throw DomainFailure.invalidField("body", "is required unless media_urls are given");
    }
    if (request.mediaUrls().size() > MAX_MEDIA || !request.mediaUrls().stream().allMatch(HttpUrl::isValid)) {
      throw DomainFailure.invalidField("media_urls", "must be at most " + MAX_MEDIA + " absolute http(s) URLs");
    }
    String body = request.body();
    SegmentInfo segments = SegmentCalculator.calculate(body);
    String detail = "accepted";
    if (config.smartEncoding(request.workspaceId())) {
      SmartEncodingResult smart = SmartEncoding.apply(body);
      body = smart.body();
      segments = smart.smartEncoded();
      if (smart.segmentCountChanged()) {
        detail = "accepted; smart encoding changed " + smart.original().segments() + " segments to " + segments.segments();
      }
    }
    try {
      SegmentCalculator.checkBodyLength(body);
    } catch (BodyTooLongException tooLong) {
      throw tooLong.toDomainFailure();
    }
    return new Prepared(body, segments, detail);
  }

}
