package com.smsgateway.templates;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /v1/sms-templates}: the presets any key may send (from a pool number, only these). */
public final class TemplateRoutes implements Routes {
  private final JsonObject listing;

  public TemplateRoutes(TemplateCatalog catalog) {
    this.listing = new JsonObject().put("templates", catalog.templates().stream().map(SmsTemplate::toJson).toList());
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/sms-templates").handler(ctx -> {
      Principal.of(ctx);
      Json.respond(ctx, 200, listing);
    });
  }
}
