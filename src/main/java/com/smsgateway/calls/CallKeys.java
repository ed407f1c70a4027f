package com.smsgateway.calls;

/**
 * Redis key layout of calls. Two hash tags, so each atomic step touches one cluster slot:
 * <ul>
 *   <li>{@code {call:<id>}} — the call's hash (its details, and a copy of its pinned pool number): everything a
 *       request naming the call needs, in one read.</li>
 *   <li>{@code {cust:<customer>}} — what must be consistent across the calls of one customer: each call's
 *       presence-and-pin key, and the routes (our number, customer) → call id. Pinning must see every other call
 *       of the customer to never hand out a number already routed to one of them, so it lives on the customer's
 *       tag, not the call's; a call cannot share a tag with its customer since it is looked up by id alone.</li>
 * </ul>
 * Every key of a call expires at the call's expiry (absolute, {@code PXAT}), so they all go together and nothing
 * needs cleaning when the platform never ends a call. The untagged keys only index calls: {@code calls:pins} feeds
 * the pins-in-use gauge, {@code calls:ws:<workspace>} lists a workspace's active calls.
 */
final class CallKeys {
  private final String prefix;

  CallKeys(String prefix) {
    if (prefix.contains("{") || prefix.contains("}")) {
      throw new IllegalArgumentException("key prefix must not contain braces: " + prefix);
    }
    this.prefix = prefix;
  }

  String call(String callId) {
    return prefix + "{call:" + callId + "}";
  }

  /** '' while the call has no pool number, else the number; gone when the call ended. */
  String presence(String customerNumber, String callId) {
    return prefix + "{cust:" + customerNumber + "}:call:" + callId;
  }

  /** (our number, customer) → call id: where a text from the customer to that number goes. */
  String route(String customerNumber, String ourNumber) {
    return prefix + "{cust:" + customerNumber + "}:route:" + ourNumber;
  }

  /**
   * Sorted set: the workspace's call ids scored by their expiry (unix ms), for listing its active calls. Written
   * beside the call (its own slot), so a member whose call is gone is skipped when read and pruned once expired.
   */
  String workspaceCalls(String workspaceId) {
    return prefix + "calls:ws:" + workspaceId;
  }

  /** Sorted set: call id scored by its expiry (unix ms), for every call holding a pool number. */
  String pinsInUse() {
    return prefix + "calls:pins";
  }
}
