package com.smsgateway.twilio;

import com.smsgateway.logging.RequestIds;
import com.twilio.Twilio;
import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.HttpUtility;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * The Twilio SDK's HTTP transport, on {@link java.net.http.HttpClient}; blocking, so it runs on virtual
 * threads. With a base URL (the sandbox, a test stub) {@code https://<product>.twilio.com/<path>} goes to
 * {@code <base>/<product>/<path>}; without one, to Twilio itself.
 */
public final class TwilioHttpTransport extends com.twilio.http.HttpClient implements AutoCloseable {
  private static final Pattern TWILIO_API_HOST = Pattern.compile("([a-z0-9-]+)\\.twilio\\.com");

  private final HttpClient http;
  private final Optional<String> baseUrl;
  private final Duration requestTimeout;

  public TwilioHttpTransport(Optional<String> baseUrl, Duration requestTimeout) {
    this.baseUrl = baseUrl;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder()
        // HTTP/1.1 as Twilio's own client speaks it; no h2c upgrade dance with a plain-HTTP sandbox or stub.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(requestTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public static TwilioHttpTransport from(TwilioConfig config) {
    return new TwilioHttpTransport(config.apiBaseUrl(), config.requestTimeout());
  }

  /** One attempt per call: {@link TwilioApi} retries with backoff and jitter, the SDK's own retries would multiply them. */
  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  /**
   * Sends the request; an error answer becomes a {@link TwilioApiException} here, where its HTTP status is
   * still known (the SDK keeps only the status written in a JSON body and loses it with any other body).
   */
  @Override
  public Response makeRequest(Request request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target(request.constructURL().toString()))
        .timeout(requestTimeout)
        .header("Accept", "application/json")
        .header("X-Twilio-Client", "java-" + Twilio.VERSION)
        .header("User-Agent", HttpUtility.getUserAgentString(request.getUserAgentExtensions(), true))
        .header(RequestIds.HEADER, RequestIds.forOutgoingCall());
    if (request.requiresAuthentication()) {
      builder.header("Authorization", request.getAuthString());
    }
    request.getHeaderParams().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    if (request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.DELETE) {
      builder.method(request.getMethod().toString(), HttpRequest.BodyPublishers.noBody());
    } else {
      if (request.getContentType() != null && request.getContentType() != EnumConstants.ContentType.FORM_URLENCODED) {
        // Every Twilio operation the gateway uses is form-encoded; a JSON API would need its own body encoding here.
        throw new IllegalArgumentException("This transport sends form-encoded Twilio requests only, not " + request.getContentType().getValue());
      }
      builder.header("Content-Type", "application/x-www-form-urlencoded")
          .method(request.getMethod().toString(), HttpRequest.BodyPublishers.ofString(request.encodeFormBody(), StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    // HttpRequest.timeout stops at the response headers; the whole exchange, body included, gets the same deadline
    // here, so a trickling answer cannot outlive the lease that protects the work.
    CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw TwilioApiException.ioFailure(request.getMethod() + " " + request.getUrl() + " did not complete within " + requestTimeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw TwilioApiException.ioFailure(request.getMethod() + " " + request.getUrl() + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw TwilioApiException.ioFailure(request.getMethod() + " " + request.getUrl() + " was interrupted", e);
    }
    if (response.statusCode() >= 400) {
      throw errorAnswer(response);
    }
    Header[] headers = response.headers().map().entrySet().stream()
        .flatMap(header -> header.getValue().stream().map(value -> new BasicHeader(header.getKey(), value)))
        .toArray(Header[]::new);
    return new Response(response.body(), response.statusCode(), headers);
  }

  /** Twilio's error body is {@code {"code": 21610, "message": "…", "more_info": "…", "status": 400}}. */
  private static TwilioApiException errorAnswer(HttpResponse<String> response) {
    int status = response.statusCode();
    String fallback = "Twilio answered HTTP " + status;
    try {
      JsonObject error = new JsonObject(response.body());
      Object code = error.getValue("code");
      return new TwilioApiException(status, code instanceof Number number ? number.intValue() : null,
          error.getString("message", fallback));
    } catch (DecodeException | ClassCastException e) {
      return new TwilioApiException(status, null, fallback);
    }
  }

  /** Where a request for a Twilio URL really goes. */
  private URI target(String twilioUrl) {
    URI uri = URI.create(twilioUrl);
    if (baseUrl.isEmpty()) {
      return uri;
    }
    Matcher product = TWILIO_API_HOST.matcher(uri.getHost());
    if (!product.matches()) {
      // With a base URL configured nothing may reach a real host by accident.
      throw new IllegalArgumentException("Not a Twilio API URL: " + twilioUrl);
    }
    return URI.create(baseUrl.get() + "/" + product.group(1) + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }

  /** In-flight requests complete; new ones are refused. */
  @Override
  public void close() {
    http.shutdown();
  }
}
