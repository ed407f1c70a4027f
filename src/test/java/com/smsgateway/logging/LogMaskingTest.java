package com.smsgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.db.Database;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;

/** Phone numbers and URL passwords never reach the log whole: the layouts of logback.xml mask them. */
class LogMaskingTest {
  private static final String NUMBER = "+14155550123";
  private static final String PASSWORD = "s3cret-pw";

  @Test
  void phoneNumbersKeepTheirCountryDigitAndLastFour() {
    assertThat(LogMasking.mask("text from " + NUMBER + " to +442071838750."))
        .isEqualTo("text from +1******0123 to +4******8750.");
  }

  @Test
  void urlPasswordsAreReplaced() {
    assertThat(LogMasking.mask("postgresql://gateway:" + PASSWORD + "@db:5432/sms"))
        .isEqualTo("postgresql://gateway:****@db:5432/sms");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TEXT", "JSON"})
  void theConfiguredLayoutsMaskMessagesArgumentsAndStackTraces(String format) throws Exception {
    String output = logThroughLogbackXml(format, log -> {
      log.info("Inbound text from {} stored", NUMBER);
      log.warn("Call-session delivery to " + NUMBER + " failed", new IllegalStateException("no route for " + NUMBER));
      log.error("Start-up failed: cannot reach postgresql://gateway:" + PASSWORD + "@db:5432/sms");
    });

    assertThat(output).contains("+1******0123").doesNotContain("4155550123").doesNotContain(PASSWORD);
  }

  @Test
  void aMalformedPgUrlIsRefusedWithoutEchoingItsPassword() {
    GatewayConfig config = GatewayConfig.from(Config.fromYaml("public_base_url: http://localhost:8080", Map.of(
        "GATEWAY_PG_URL", "postgresql://gateway:" + PASSWORD + "@db:notaport/sms")));

    assertThatThrownBy(() -> Database.connectOptions(config.pg()))
        .hasMessageContaining("pg.url")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
  }

  private interface Logging {
    void to(Logger log);
  }

  /** Runs {@code logging} through a fresh logback context configured by src/main/resources/logback.xml. */
  /**
   * Runs {@code logging} through a fresh logback context configured by src/main/resources/logback.xml: each event is
   * rendered by the encoder of the appender {@code format} (TEXT or JSON), as the console would show it.
   */
  @SuppressWarnings("unchecked")
  private static String logThroughLogbackXml(String format, Logging logging) throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty("LOG_FORMAT", format);
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    StringBuilder rendered = new StringBuilder();
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogMaskingTest.class.getResource("/logback.xml"));
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      var encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender(format)).getEncoder();
      root.detachAppender(format);
      AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          rendered.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
      };
      capture.setContext(context);
      capture.start();
      root.addAppender(capture);
      logging.to(context.getLogger("com.smsgateway.test"));
    } finally {
      context.stop();
    }
    return rendered.toString();
  }
}
