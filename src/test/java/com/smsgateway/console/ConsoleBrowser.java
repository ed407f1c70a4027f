package com.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through {@code /usr/bin/chromedriver} (so Selenium downloads nothing), with a
 * fresh profile, pointed at one gateway's console. Fails loudly when the browser is not installed.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
  private static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final String baseUrl;
  private final Path profile;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  ConsoleBrowser(int gatewayPort) {
    File chromedriver = new File(CHROMEDRIVER);
    if (!chromedriver.canExecute() || !new File(CHROMIUM).canExecute()) {
      throw new IllegalStateException("The console tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run installs them)");
    }
    this.baseUrl = "http://127.0.0.1:" + gatewayPort;
    try {
      this.profile = Files.createTempDirectory("console-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1280,1000");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens the console with a clean tab state (no key, nothing remembered). */
  void openFresh() {
    driver.get(baseUrl + "/console/");
    driver.executeScript("sessionStorage.clear(); localStorage.clear();");
    driver.navigate().refresh();
    visible(By.id("api-key"));
    browserErrors();
  }

  void go(String hash) {
    driver.get(baseUrl + "/console/" + hash);
  }

  void signIn(String apiKey) {
    WebElement key = visible(By.id("api-key"));
    key.clear();
    key.sendKeys(apiKey);
    driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    visible(By.id("sign-out"));
  }

  /** As an admin: opens a workspace from the header. */
  void openWorkspace(String workspaceId) {
    WebElement input = visible(By.id("workspace"));
    input.clear();
    input.sendKeys(workspaceId);
    driver.findElement(By.cssSelector("#workspace-form button")).click();
  }

  WebElement visible(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void waitForText(By by, String text) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  <T> T waitUntil(java.util.function.Function<ChromeDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(d -> condition.apply(driver));
  }

  /** The line under the labelled control named {@code name} in {@code form} (the API error's {@code field}). */
  String fieldError(WebElement form, String name) {
    WebElement control = form.findElement(By.name(name));
    return form.findElement(By.id(control.getAttribute("id") + "-error")).getText();
  }

  WebElement fieldByLabel(WebElement scope, String label) {
    WebElement labelElement = scope.findElement(By.xpath(".//label[normalize-space(.)='" + label + "']"));
    return scope.findElement(By.id(labelElement.getAttribute("for")));
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Script errors and policy violations the page logged since the last call. An API error answer is logged by the
   * browser as a failed resource; those are expected (the tests provoke them) and left out.
   */
  List<String> browserErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("Failed to load resource: the server responded with a status of"))
        .toList();
  }

  void assertNoBrowserErrors() {
    assertThat(browserErrors()).as("errors in the browser console").isEmpty();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path directory) {
    try (var walk = Files.walk(directory)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary profile left behind is harmless
    }
  }
}
