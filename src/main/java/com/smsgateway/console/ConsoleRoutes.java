package com.smsgateway.console;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The SMS console: static HTML, CSS and JavaScript modules from the jar's {@code console/} folder at {@code /console/}.
 * The pages call the public {@code /v1} API from the browser with the signed-in API key; nothing here reads data.
 * Every console response forbids inline script, framing and referrers, so customer-written text the pages show
 * (always as text) cannot run even if a rendering bug let it through.
 */
public final class ConsoleRoutes implements Routes {
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'");

  private final boolean sandbox;

  /** {@code sandbox}: the gateway runs the Twilio sandbox, so the console offers its stand-ins (the carriers' review). */
  public ConsoleRoutes(boolean sandbox) {
    this.sandbox = sandbox;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/whoami").handler(this::whoami);
    // Vert.x matches "/console" for "/console/" too: only the slashless path redirects (relative module paths need the slash).
    router.get("/console").handler(ConsoleRoutes::securityHeaders).handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/console/");
      }
    });
    router.route("/console/*").handler(ConsoleRoutes::securityHeaders);
    router.route("/console/*").handler(StaticHandler.create("console")
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        // Revalidated on each load (ETag), so a new jar's pages are picked up at once.
        .setCachingEnabled(false));
  }

  /** The calling key's identity, so a client (the console) knows its role and workspace after sign-in. */
  private void whoami(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Json.respond(ctx, 200, new JsonObject()
        .put("key_id", principal.keyId())
        .put("role", principal.role().name().toLowerCase(Locale.ROOT))
        .put("workspace_id", principal.workspaceId())
        .put("twilio_sandbox", sandbox));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }
}
