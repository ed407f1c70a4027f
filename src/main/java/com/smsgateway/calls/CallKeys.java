package com.smsgateway.calls;

/**
 * Redis key layout of calls. Call ids are unique per workspace, so a call is named by its {@link CallRef}
 * ({@code <workspace>/<call id>}) everywhere. Three hash tags, so each atomic step touches one cluster slot:
 * <ul>
 *   <li>{@code {call:<workspace>/<id>}} — the call's hash (its details, and a copy of its pinned pool number):
 *       everything a request naming the call needs, in one read.</li>
 *   <li>{@code {callid:<id>}} — the workspaces with an active call of that id, so an admin or voice-platform key
 *       may name a call by its id alone while it is unambiguous.</li>
 *   <li>{@code {cust:<customer>}} — what must be consistent across the calls of one customer, whatever their
 *       workspace: each call's presence-and-pin key, the routes (our number, customer) → call, and the last call
 *       each pool number texted the customer for. Pinning must see every other call of the customer to never hand
 *       out a number routed to one of them (or, within the cooldown, one that texted them for another workspace).</li>
 * </ul>
 * Every key of a call expires at the call's expiry (absolute, {@code PXAT}), so they all go together and nothing
 * needs cleaning when the platform never ends a call; a pool number's last call outlives it by
 * {@code calls.pool_reuse_cooldown}. The untagged keys only index calls: {@code calls:pins} feeds the pins-in-use
 * gauge, {@code calls:ws:<workspace>} lists a workspace's active calls.
 */
final class CallKeys {
  private final String prefix;

  CallKeys(String prefix) {
    if (prefix.contains("{") || prefix.contains("}")) {
      throw new IllegalArgumentException("key prefix must not contain braces: " + prefix);
    }
    this.prefix = prefix;
  }

  String call(CallRef call) {
    return prefix + "{call:" + call.key() + "}";
  }

  /** Sorted set: the workspaces with an active call of this id, scored by the call's expiry (unix ms). */
  String workspacesOf(String callId) {
    return prefix + "{callid:" + callId + "}:workspaces";
  }

  /** '' while the call has no pool number, else the number; gone when the call ended. */
  String presence(String customerNumber, CallRef call) {
    return prefix + "{cust:" + customerNumber + "}:call:" + call.key();
  }

  /** (our number, customer) → call key: where a text from the customer to that number goes. */
  String route(String customerNumber, String ourNumber) {
    return prefix + "{cust:" + customerNumber + "}:route:" + ourNumber;
  }

  /** Sorted set: the calls using our number (agent number or pinned pool number), scored by their expiry (unix ms). */
  String numberCalls(String ourNumber) {
    return prefix + "{num:" + ourNumber + "}:calls";
  }

  /**
   * (pool number, customer) → the call key the pool number last texted the customer for; lives until the call's
   * end plus the reuse cooldown, so a late reply finds its call and no other workspace pins the number meanwhile.
   */
  String lastPoolCall(String customerNumber, String poolNumber) {
    return prefix + "{cust:" + customerNumber + "}:pool_last:" + poolNumber;
  }

  /**
   * Sorted set: the workspace's call ids scored by their expiry (unix ms), for listing its active calls. Written
   * beside the call (its own slot), so a member whose call is gone is skipped when read and pruned once expired.
   */
  String workspaceCalls(String workspaceId) {
    return prefix + "calls:ws:" + workspaceId;
  }

  /** Sorted set: call key scored by its expiry (unix ms), for every call holding a pool number. */
  String pinsInUse() {
    return prefix + "calls:pins";
  }
}
