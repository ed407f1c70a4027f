package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's files as served (headers) and as written (no way for data to become markup or script). */
class ConsoleResourcesTest {
  private static final Path CONSOLE = Path.of("src/main/resources/console");

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(
      TestGateway.forClass(ConsoleResourcesTest.class).with("GATEWAY_TWILIO_MODE", "sandbox"));

  private static HttpResponse<Buffer> get(String path) {
    return Http.send(running.http().request(HttpMethod.GET, path).followRedirects(false), null);
  }

  private static void assertSecurityHeaders(HttpResponse<Buffer> response) {
    String policy = response.getHeader("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
    assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval", "*");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void theConsolePageIsServedFromTheJarWithAStrictPolicy() {
    var page = get("/console/");

    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
    assertSecurityHeaders(page);
  }

  @Test
  void slashlessConsoleRedirectsToThePage() {
    var redirect = get("/console");

    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.getHeader("Location")).isEqualTo("/console/");
    assertSecurityHeaders(redirect);
  }

  @Test
  void scriptsAndStylesAreServedWithTheirTypesAndTheSameHeaders() {
    var script = get("/console/js/pages/numbers.js");
    var style = get("/console/console.css");

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).startsWith("text/javascript");
    assertSecurityHeaders(script);
    assertThat(style.getHeader("Content-Type")).startsWith("text/css");
  }

  @Test
  void anUnknownConsoleFileIs404InTheCommonFormatStillUnderThePolicy() {
    var missing = get("/console/js/nope.js");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertSecurityHeaders(missing);
  }

  @Test
  void whoamiTellsAKeyItsRoleAndWorkspace() {
    var created = running.http().postJson("/v1/api-keys", TestGateway.ADMIN_KEY,
        new io.vertx.core.json.JsonObject().put("role", "workspace").put("workspace_id", "ws_whoami"));
    String workspaceKey = created.bodyAsJsonObject().getString("key");

    var workspace = running.http().get("/v1/whoami", workspaceKey).bodyAsJsonObject();
    var admin = running.http().get("/v1/whoami", TestGateway.ADMIN_KEY).bodyAsJsonObject();

    assertThat(workspace.getString("role")).isEqualTo("workspace");
    assertThat(workspace.getString("workspace_id")).isEqualTo("ws_whoami");
    assertThat(workspace.getString("key_id")).isEqualTo(created.bodyAsJsonObject().getString("id"));
    assertThat(workspace.getBoolean("twilio_sandbox")).isTrue();
    assertThat(admin.getString("role")).isEqualTo("admin");
    assertThat(admin.getValue("workspace_id")).isNull();
    assertThat(running.http().get("/v1/whoami", null).statusCode()).isEqualTo(401);
  }

  /** The policy forbids inline script and style; the scripts never turn strings into markup or code. */
  @Test
  void noFileOfTheConsoleParsesStringsAsHtmlOrCode() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(CONSOLE)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    Pattern forbiddenInScripts = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|setAttribute\\('style'|localStorage|document\\.cookie");
    Pattern inlineInMarkup = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|\\son[a-z]+=|\\sstyle=|javascript:");

    assertThat(files).extracting(path -> path.getFileName().toString()).contains("index.html", "app.js", "console.css");
    for (Path file : files) {
      String text = Files.readString(file);
      if (file.toString().endsWith(".js")) {
        assertThat(forbiddenInScripts.matcher(text).find()).as(file + " uses an HTML/code sink or other storage").isFalse();
      }
      if (file.toString().endsWith(".html")) {
        assertThat(inlineInMarkup.matcher(text).find()).as(file + " has inline script or style").isFalse();
      }
    }
  }
}
