package com.smsgateway.outbound;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.segments.BodyTooLongException;
import com.smsgateway.segments.SegmentCalculator;
import com.smsgateway.segments.SegmentInfo;
import com.smsgateway.segments.SmartEncoding;
import com.smsgateway.segments.SmartEncodingResult;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/segments {body}}: how a body would be sent, for dashboards. Any API key may ask. */
public final class SegmentRoutes implements Routes {

  @Override
  public void mount(Router router) {
    router.post("/v1/segments").consumes("application/json").handler(this::segments);
  }

  private void segments(RoutingContext ctx) {
    String body = Json.optionalString(Json.body(ctx), "body");
    if (body == null) {
      throw DomainFailure.invalidField("body", "is required");
    }
    try {
      SegmentCalculator.checkBodyLength(body);
    } catch (BodyTooLongException tooLong) {
      throw tooLong.toDomainFailure();
    }
    SmartEncodingResult smart = SmartEncoding.apply(body);
    SegmentInfo segments = smart.original();
    Json.respond(ctx, 200, new JsonObject()
        .put("encoding", segments.encoding().label())
        .put("segments", segments.segments())
        .put("characters", segments.characters())
        .put("characters_per_part", segments.charactersPerPart())
        .put("smart_encoded_body", smart.body())
        .put("smart_encoded_encoding", smart.smartEncoded().encoding().label())
        .put("smart_encoded_segments", smart.smartEncoded().segments()));
  }
}
