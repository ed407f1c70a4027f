package com.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of docs/architecture.md that the compiler does not check, read from the sources. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/com/smsgateway");
  private static final String HTTP_IMPORT = "import com.smsgateway.http.";
  /** A statement on messages, message_status_history or unmatched_status_callbacks. */
  private static final Pattern MESSAGES_SQL = Pattern.compile(
      "(?i)\\b(FROM|UPDATE|INTO|JOIN)\\s+(messages|message_status_history|unmatched_status_callbacks)\\b");

  @Test
  void domainCodeKnowsNothingOfHttp() throws IOException {
    List<Path> domain = sources().filter(file -> inPackage(file, "segments", "ratelimit", "domain")
            || file.getFileName().toString().endsWith("Store.java")
            // Numbers and templates are features: their routes and assembly are their HTTP edge, the rest is domain.
            || (inPackage(file, "numbers", "templates") && !isEdge(file)))
        .toList();

    assertThat(domain).isNotEmpty();
    assertThat(domain).noneMatch(file -> read(file).contains(HTTP_IMPORT));
  }

  @Test
  void onlyTheMessagesPackageHasSqlOnTheMessagesTables() throws IOException {
    List<Path> others = sources().filter(file -> !inPackage(file, "messages")).toList();

    assertThat(others).isNotEmpty();
    assertThat(others).noneMatch(file -> MESSAGES_SQL.matcher(read(file)).find());
    assertThat(sources().filter(file -> inPackage(file, "messages"))).anyMatch(file -> MESSAGES_SQL.matcher(read(file)).find());
  }

  private static boolean isEdge(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith("Routes.java") || name.endsWith("Feature.java");
  }

  private static boolean inPackage(Path file, String... packages) {
    String relative = MAIN.relativize(file).toString();
    return Stream.of(packages).anyMatch(pkg -> relative.startsWith(pkg + "/"));
  }

  private static Stream<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
