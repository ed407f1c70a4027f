package com.smsgateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counter with tags whose values are known only when an event happens (a status, an outcome, an error code):
 * described once, when its feature is assembled, and each tagged counter built at its first use and reused after,
 * so counting an event is a map lookup and an increment. Tag values must come from a small set.
 */
public final class CounterFamily {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String baseUnit;
  private final List<String> tagKeys;
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  private CounterFamily(MeterRegistry registry, String name, String description, String baseUnit, List<String> tagKeys) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.baseUnit = baseUnit;
    this.tagKeys = tagKeys;
  }

  /** {@code baseUnit} may be null. */
  public static CounterFamily of(MeterRegistry registry, String name, String description, String baseUnit, String... tagKeys) {
    return new CounterFamily(registry, name, description, baseUnit, List.of(tagKeys));
  }

  /** The counter with these tag values, in the order of the keys. */
  public Counter with(String... tagValues) {
    if (tagValues.length != tagKeys.size()) {
      throw new IllegalArgumentException(name + " has the tags " + tagKeys + ", not " + Arrays.toString(tagValues));
    }
    return counters.computeIfAbsent(List.of(tagValues), this::register);
  }

  private Counter register(List<String> tagValues) {
    Counter.Builder builder = Counter.builder(name).description(description).baseUnit(baseUnit);
    for (int i = 0; i < tagKeys.size(); i++) {
      builder.tag(tagKeys.get(i), tagValues.get(i));
    }
    return builder.register(registry);
  }
}
