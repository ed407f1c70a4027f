package com.smsgateway.calls;

import java.util.Objects;

/**
 * A call's identity: call ids are unique per workspace (DESIGN.md §6), so two workspaces may use the same one.
 * {@link #key()} is how Redis holds it ({@code <workspace>/<call id>}: '/' occurs in neither, so it parses back).
 */
record CallRef(String workspaceId, String callId) {
  private static final char SEPARATOR = '/';

  CallRef {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(callId, "callId");
  }

  String key() {
    return workspaceId + SEPARATOR + callId;
  }

  /** What every key of this workspace's calls starts with: a route value with it belongs to this workspace. */
  static String workspacePrefix(String workspaceId) {
    return workspaceId + SEPARATOR;
  }

  static CallRef parse(String key) {
    int separator = key.indexOf(SEPARATOR);
    if (separator < 1 || separator == key.length() - 1) {
      throw new IllegalArgumentException("not a call key: " + key);
    }
    return new CallRef(key.substring(0, separator), key.substring(separator + 1));
  }
}
