package com.smsgateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The gateway's configuration: a YAML tree plus environment overrides under one rule for every key —
 * {@code GATEWAY_} + the key path upper-cased with dots and dashes as underscores ({@code http.port} →
 * {@code GATEWAY_HTTP_PORT}). Typed accessors validate on read and name the key in their error, so a
 * feature adds keys by reading them, with no loader changes.
 */
public final class Config {
  public static final String ENV_PREFIX = "GATEWAY_";
  public static final String CONFIG_FILE_ENV = "GATEWAY_CONFIG";

  private final JsonObject tree;
  private final Map<String, String> env;
  private final String prefix;

  private Config(JsonObject tree, Map<String, String> env, String prefix) {
    this.tree = tree;
    this.env = env;
    this.prefix = prefix;
  }

  /** Loads the file named by {@code GATEWAY_CONFIG} in {@code env}, else {@code conf/gateway.yaml} if present. */
  public static Config load(Map<String, String> env) {
    String named = env.get(CONFIG_FILE_ENV);
    Path file = Path.of(named != null ? named : "conf/gateway.yaml");
    if (named == null && !Files.exists(file)) {
      return fromYaml("", env);
    }
    try {
      return fromYaml(Files.readString(file), env);
    } catch (IOException e) {
      throw new ConfigException(CONFIG_FILE_ENV, "cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  public static Config fromYaml(String yaml, Map<String, String> env) {
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (RuntimeException e) {
      throw new ConfigException(CONFIG_FILE_ENV, "the YAML does not parse: " + e.getMessage());
    }
    if (parsed != null && !(parsed instanceof Map)) {
      throw new ConfigException(CONFIG_FILE_ENV, "the YAML document must be a mapping of keys");
    }
    @SuppressWarnings("unchecked")
    JsonObject tree = parsed == null ? new JsonObject() : new JsonObject(normalise((Map<String, Object>) parsed));
    return new Config(tree, Map.copyOf(env), "");
  }

  public static Config fromYaml(InputStream yaml, Map<String, String> env) throws IOException {
    return fromYaml(new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), env);
  }

  /** A view of the keys below {@code section} ({@code at("redis").string("url", …)} reads {@code redis.url}). */
  public Config at(String section) {
    return new Config(tree, env, path(section) + ".");
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public String requiredString(String key) {
    return optionalString(key).orElseThrow(() -> missing(key));
  }

  private ConfigException missing(String key) {
    return new ConfigException(path(key), "is required (set it in the config file or " + envName(path(key)) + ")");
  }

  public Optional<String> optionalString(String key) {
    return raw(key).map(Object::toString).filter(s -> !s.isBlank());
  }

  /** An absolute http(s) URL, without a trailing slash (so paths are appended with their own). */
  public Optional<String> optionalHttpUrl(String key) {
    return optionalString(key).map(value -> {
      String url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
      if (!HttpUrl.isValid(url)) {
        throw invalid(key, value, "must be an absolute http(s) URL");
      }
      return url;
    });
  }

  public String requiredHttpUrl(String key) {
    return optionalHttpUrl(key).orElseThrow(() -> missing(key));
  }

  public int integer(String key, int defaultValue) {
    return parsed(key, defaultValue, "an integer", Integer::valueOf);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    int value = integer(key, defaultValue);
    if (value < min || value > max) {
      throw invalid(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  public long longValue(String key, long defaultValue, long min) {
    long value = parsed(key, defaultValue, "an integer", Long::valueOf);
    if (value < min) {
      throw invalid(key, value, "must be at least " + min);
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    return parsed(key, defaultValue, "true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException();
    });
  }

  /** Durations as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 4h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
  public Duration duration(String key, Duration defaultValue) {
    Duration value = parsed(key, defaultValue, "a duration such as 500ms, 30s, 5m, 4h", Config::parseDuration);
    if (value.isNegative()) {
      throw invalid(key, value, "must not be negative");
    }
    return value;
  }

  public <E extends Enum<E>> E enumValue(String key, E defaultValue) {
    Class<E> type = defaultValue.getDeclaringClass();
    return parsed(key, defaultValue, "one of " + lowerNames(type), s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_')));
  }

  /** A list from a YAML sequence, or from a comma-separated string (the form an environment variable takes). */
  public List<String> list(String key, List<String> defaultValue) {
    Optional<Object> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    if (value.get() instanceof JsonArray array) {
      array.forEach(item -> out.add(String.valueOf(item)));
    } else {
      for (String part : value.get().toString().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  /** Names of the child keys of a mapping section (for keyed maps such as rate-limit tiers). */
  public List<String> childNames(String key) {
    Object node = node(path(key));
    return node instanceof JsonObject object ? List.copyOf(object.fieldNames()) : List.of();
  }

  private <T> T parsed(String key, T defaultValue, String expected, Function<String, T> parser) {
    Optional<Object> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    String text = value.get().toString().trim();
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw invalid(key, text, "must be " + expected);
    }
  }

  public ConfigException invalid(String key, Object value, String problem) {
    String full = path(key);
    String source = env.containsKey(envName(full)) ? " (from " + envName(full) + ")" : "";
    return new ConfigException(full, "'" + value + "'" + source + " " + problem);
  }

  private Optional<Object> raw(String key) {
    String full = path(key);
    String fromEnv = env.get(envName(full));
    if (fromEnv != null) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(node(full));
  }

  private Object node(String fullKey) {
    Object current = tree;
    for (String part : fullKey.split("\\.")) {
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.getValue(part);
    }
    return current;
  }

  private String path(String key) {
    return prefix + key;
  }

  private static Duration parseDuration(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      return Duration.parse(text);
    }
    var matcher = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(text);
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static String lowerNames(Class<? extends Enum<?>> type) {
    List<String> names = new ArrayList<>();
    for (Enum<?> constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalise(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> m ? normalise((Map<String, Object>) m) : v));
    return out;
  }
}
