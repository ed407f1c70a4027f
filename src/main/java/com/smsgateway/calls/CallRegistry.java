package com.smsgateway.calls;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Active calls in Redis ({@link CallKeys} has the layout): any replica serves any call, and a call the platform
 * never ends expires after {@code calls.max_duration} together with its routes and pin. Call ids are unique per
 * workspace: a call is named by its {@link CallRef}, and nothing one workspace does with its calls reveals, blocks or
 * takes over another's.
 */
public final class CallRegistry {
  private static final RedisScript CREATE = RedisScript.fromClasspath("/lua/call_create.lua");
  private static final RedisScript INDEX = RedisScript.fromClasspath("/lua/call_index.lua");
  private static final RedisScript ROUTES = RedisScript.fromClasspath("/lua/call_routes.lua");
  private static final RedisScript END = RedisScript.fromClasspath("/lua/call_end.lua");
  private static final List<String> FIELDS =
      List.of("workspace_id", "agent_id", "agent_number", "customer_number", "created_at", "expires_at", "pool_number");

  /** No braces (part of a Redis hash tag) and no '/' (the separator of a {@link CallRef} key). */
  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final Redis redis;
  private final CallKeys keys;
  private final Duration maxDuration;
  private final Duration poolReuseCooldown;
  private final Clock clock;
  private final CallNumbers numbers;

  CallRegistry(Redis redis, CallKeys keys, Duration maxDuration, Duration poolReuseCooldown, Clock clock, CallNumbers numbers) {
    this.redis = redis;
    this.keys = keys;
    this.numbers = numbers;
    this.maxDuration = maxDuration;
    this.poolReuseCooldown = poolReuseCooldown;
    this.clock = clock;
  }

  /** {@code replacedCallId}: the workspace's active call whose (agent number, customer) route this registration took over. */
  public record Registration(Call call, boolean created, String replacedCallId) {}

  /**
   * Registers the call, or answers the one the workspace registered under its id (409 {@code call_id_conflict} when
   * its details differ). The call's hash is written first, then its customer-side presence and route: the second
   * step is idempotent, so a repeat of a registration whose second step failed completes it. A route held by
   * another workspace's active call is 409 {@code route_in_use}, and the call is not registered.
   */
  public Future<Registration> register(CallRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Call call = new Call(request.callId(), request.workspaceId(), request.agentId(), request.agentNumber(),
        request.customerNumber(), now, now.plus(maxDuration), null);
    List<String> args = new ArrayList<>(List.of(Long.toString(call.expiresAt().toEpochMilli())));
    List<String> values = List.of(call.workspaceId(), call.agentId(), call.agentNumber(), call.customerNumber(),
        Long.toString(now.toEpochMilli()), Long.toString(call.expiresAt().toEpochMilli()));
    for (int i = 0; i < values.size(); i++) {
      args.add(FIELDS.get(i));
      args.add(values.get(i));
    }
    return CREATE.run(redis, List.of(keys.call(call.ref())), args).compose(created -> created.toInteger() == 1
        ? indexId(call, true).compose(indexed -> claimRoutes(call, true))
            .compose(replaced -> listUnderWorkspace(call).map(listed -> new Registration(call, true, replaced)))
        // Gone between the two reads (ended or expired): register anew.
        : find(call.ref()).compose(existing -> existing.isEmpty() ? register(request) : repeat(existing.get(), request)));
  }

  private Future<Registration> repeat(Call existing, CallRequest request) {
    if (!existing.registeredAs(request)) {
      return Future.failedFuture(DomainFailure.conflict("call_id_conflict",
          "Call '" + request.callId() + "' is already registered with other details; end it first or use a new call_id."));
    }
    return indexId(existing, true).compose(indexed -> claimRoutes(existing, false))
        .compose(replaced -> listUnderWorkspace(existing)).map(listed -> new Registration(existing, false, null));
  }

  /** Lists the call under its workspace (idempotent: a repeated registration repairs a missing entry). */
  private Future<Void> listUnderWorkspace(Call call) {
    String key = keys.workspaceCalls(call.workspaceId());
    return redis.send(Request.cmd(Command.ZADD).arg(key).arg(call.expiresAt().toEpochMilli()).arg(call.callId()))
        // Every member expires within max_duration of now, so an idle workspace's index goes with its last call.
        .compose(added -> redis.send(Request.cmd(Command.PEXPIRE).arg(key).arg(maxDuration.toMillis())))
        .mapEmpty();
  }

  /**
   * The workspace's active calls, newest first, at most {@code limit}. Expired entries are pruned; an entry whose
   * call ended between the two reads is skipped.
   */
  public Future<List<Call>> active(String workspaceId, int limit) {
    String key = keys.workspaceCalls(workspaceId);
    String now = Long.toString(clock.millis());
    return redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(key).arg("-inf").arg(now))
        .compose(pruned -> redis.send(Request.cmd(Command.ZREVRANGEBYSCORE).arg(key).arg("+inf").arg("(" + now)
            .arg("LIMIT").arg(0).arg(limit)))
        .compose(ids -> {
          List<Future<Optional<Call>>> reads = new ArrayList<>();
          ids.forEach(id -> reads.add(find(new CallRef(workspaceId, id.toString()))));
          return Future.all(reads).map(all -> reads.stream()
              .map(Future::result)
              .flatMap(Optional::stream)
              .filter(call -> call.workspaceId().equals(workspaceId))
              .toList());
        });
  }

  /** The id of the workspace's call whose route was taken over, or null; fails {@code route_in_use} (undoing the registration). */
  private Future<String> claimRoutes(Call call, boolean replace) {
    return ROUTES.run(redis,
            List.of(keys.presence(call.customerNumber(), call.ref()), keys.route(call.customerNumber(), call.agentNumber())),
            List.of(call.ref().key(), Long.toString(call.expiresAt().toEpochMilli()), replace ? "replace" : "keep",
                CallRef.workspacePrefix(call.workspaceId())))
        .compose(reply -> {
          if (reply.get(0).toString().equals("in_use")) {
            return forget(call).compose(forgotten -> Future.failedFuture(DomainFailure.conflict("route_in_use",
                "Another active call already holds the route between " + call.agentNumber() + " and " + call.customerNumber()
                    + "; register this call once that call has ended.")));
          }
          String replaced = reply.get(1).toString();
          return numbers.add(call.agentNumber(), call.ref().key(), call.expiresAt())
              .map(recorded -> replaced.isEmpty() ? null : CallRef.parse(replaced).callId());
        });
  }

  /** Adds or removes the workspace among those with an active call of this id ({@code call_index.lua}). */
  private Future<Void> indexId(Call call, boolean add) {
    return INDEX.run(redis, List.of(keys.workspacesOf(call.callId())), List.of(add ? "add" : "remove", call.workspaceId(),
        Long.toString(call.expiresAt().toEpochMilli()), Long.toString(clock.millis()))).mapEmpty();
  }

  /** Drops the call's hash and its index entries (a call that was never routed, or one that ended). */
  private Future<Void> forget(Call call) {
    return Future.all(
            redis.send(Request.cmd(Command.DEL).arg(keys.call(call.ref()))),
            indexId(call, false),
            redis.send(Request.cmd(Command.ZREM).arg(keys.pinsInUse()).arg(call.ref().key())),
            redis.send(Request.cmd(Command.ZREM).arg(keys.workspaceCalls(call.workspaceId())).arg(call.callId())),
            numbers.remove(call.agentNumber(), call.ref().key()),
            call.poolNumber() == null ? Future.succeededFuture() : numbers.remove(call.poolNumber(), call.ref().key()))
        .mapEmpty();
  }

  public Future<Optional<Call>> find(CallRef ref) {
    Request hmget = Request.cmd(Command.HMGET).arg(keys.call(ref));
    FIELDS.forEach(hmget::arg);
    return redis.send(hmget).map(reply -> reply.get(0) == null
        ? Optional.empty()
        : Optional.of(new Call(ref.callId(), text(reply, 0), text(reply, 1), text(reply, 2), text(reply, 3),
            Instant.ofEpochMilli(reply.get(4).toLong()), Instant.ofEpochMilli(reply.get(5).toLong()), text(reply, 6))));
  }

  /**
   * Ends the call: first on the customer's side (routes and pin go, so no text is routed to it and no pin is made
   * for it), then its hash. A failure in between leaves the hash, so a retried DELETE finds the call and finishes.
   */
  public Future<Void> end(Call call) {
    return endOnCustomerSide(call, call.poolNumber() == null ? "" : call.poolNumber(), true).compose(done -> forget(call));
  }

  /** {@code expectedPin} comes from the call's hash; when a pin was made after it was read, retry once with the pin. */
  private Future<Void> endOnCustomerSide(Call call, String expectedPin, boolean mayRetry) {
    List<String> endKeys = new ArrayList<>(List.of(
        keys.presence(call.customerNumber(), call.ref()), keys.route(call.customerNumber(), call.agentNumber())));
    if (!expectedPin.isEmpty()) {
      endKeys.add(keys.route(call.customerNumber(), expectedPin));
      endKeys.add(keys.lastPoolCall(call.customerNumber(), expectedPin));
    }
    return END.run(redis, endKeys, List.of(call.ref().key(), expectedPin, Long.toString(Math.max(1, poolReuseCooldown.toMillis()))))
        .compose(reply -> {
          if (reply.get(0).toInteger() == 1) {
            return Future.succeededFuture();
          }
          // A pin only ever changes once ('' -> number), so one retry with the actual pin settles it.
          return mayRetry
              ? endOnCustomerSide(call, reply.get(1).toString(), false)
              : Future.failedFuture(new IllegalStateException("call " + call.callId() + " changed pin twice while ending"));
        });
  }

  public static boolean isValidCallId(String callId) {
    return CALL_ID.matcher(callId).matches();
  }

  public static boolean isValidWorkspaceId(String workspaceId) {
    return WORKSPACE_ID.matcher(workspaceId).matches();
  }

  /**
   * The active call {@code callId} as {@code principal} names it: a workspace key names its own workspace's call; an
   * admin or voice-platform key may name the workspace ({@code workspace_id} query parameter) and must when two
   * workspaces have an active call of that id (409 {@code call_id_ambiguous}). 404 when there is none the caller may
   * see (another workspace's call is not revealed).
   */
  public Future<Call> resolve(Principal principal, String callId, String requestedWorkspaceId) {
    return workspaceOf(principal, callId, requestedWorkspaceId).compose(workspace -> {
      String what = "Call '" + callId + "'";
      if (workspace.isEmpty()) {
        return Future.failedFuture(DomainFailure.notFound(what + " (unknown or ended)"));
      }
      return find(new CallRef(workspace.get(), callId)).map(found -> {
        Call call = found.orElseThrow(() -> DomainFailure.notFound(what + " (unknown or ended)"));
        principal.requireCallAccess(call.workspaceId(), what);
        return call;
      });
    });
  }

  /**
   * The workspace whose call {@code callId} the caller means, if any may be: the key's own, the one asked for, or the
   * only workspace with an active call of that id.
   */
  Future<Optional<String>> workspaceOf(Principal principal, String callId, String requestedWorkspaceId) {
    if (!isValidCallId(callId) || (requestedWorkspaceId != null && !isValidWorkspaceId(requestedWorkspaceId))) {
      return Future.succeededFuture(Optional.empty());
    }
    if (!principal.actsForAnyWorkspaceOnCalls()) {
      return Future.succeededFuture(requestedWorkspaceId == null || requestedWorkspaceId.equals(principal.workspaceId())
          ? Optional.of(principal.workspaceId()) : Optional.empty());
    }
    if (requestedWorkspaceId != null) {
      return Future.succeededFuture(Optional.of(requestedWorkspaceId));
    }
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.workspacesOf(callId)).arg(clock.millis()).arg("+inf"))
        .map(reply -> {
          List<String> workspaces = new ArrayList<>();
          reply.forEach(workspace -> workspaces.add(workspace.toString()));
          if (workspaces.size() > 1) {
            throw new DomainFailure(DomainFailure.Kind.CONFLICT, "call_id_ambiguous", "Several workspaces have an active call '"
                + callId + "': name the workspace with ?workspace_id=.", "workspace_id", null);
          }
          return workspaces.stream().findFirst();
        });
  }

  /** The active call a text from {@code customerNumber} to our {@code ourNumber} belongs to, if any. */
  public Future<Optional<CallRef>> routedCall(String ourNumber, String customerNumber) {
    return redis.send(Request.cmd(Command.GET).arg(keys.route(customerNumber, ourNumber)))
        .map(reply -> Optional.ofNullable(reply).map(Response::toString).map(CallRef::parse));
  }

  /**
   * The call a pool number last texted {@code customerNumber} for, while that is recorded (the call's life plus
   * {@code calls.pool_reuse_cooldown}): where a reply that came after the call ended belongs.
   */
  public Future<Optional<CallRef>> lastPoolCall(String poolNumber, String customerNumber) {
    return redis.send(Request.cmd(Command.GET).arg(keys.lastPoolCall(customerNumber, poolNumber)))
        .map(reply -> Optional.ofNullable(reply).map(Response::toString).map(CallRef::parse));
  }

  /**
   * Those of {@code ourNumbers} through which a text from {@code customerNumber} may belong to a call: an active call's
   * route, or a pool number's last call (a late reply). One MGET: all of a customer's keys share its slot.
   */
  public Future<Set<String>> numbersWithCall(String customerNumber, List<String> ourNumbers) {
    Request mget = Request.cmd(Command.MGET);
    ourNumbers.forEach(number -> mget.arg(keys.route(customerNumber, number)).arg(keys.lastPoolCall(customerNumber, number)));
    return redis.send(mget).map(reply -> {
      Set<String> withCall = new HashSet<>();
      for (int i = 0; i < ourNumbers.size(); i++) {
        if (reply.get(2 * i) != null || reply.get(2 * i + 1) != null) {
          withCall.add(ourNumbers.get(i));
        }
      }
      return withCall;
    });
  }

  private static String text(Response reply, int index) {
    Response value = reply.get(index);
    return value == null ? null : value.toString();
  }
}
