package com.smsgateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP proxy a test can close, to make a real service unreachable at a port the gateway was configured with. */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final NetServer server;
  private volatile boolean forwarding = true;

  public TcpProxy(String targetHost, int targetPort) {
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      if (!forwarding) {
        inbound.close();
        return;
      }
      inbound.pause();
      client.connect(targetPort, targetHost).onSuccess(outbound -> {
        sockets.add(inbound);
        sockets.add(outbound);
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
        inbound.resume();
      }).onFailure(e -> inbound.close());
    });
    Await.result(server.listen(0, "127.0.0.1"));
  }

  public int port() {
    return server.actualPort();
  }

  /** The service goes down: every proxied connection is cut and new ones are closed at once (the port stays taken). */
  public void cut() {
    forwarding = false;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  /** The service is back: new connections are proxied again. */
  public void restore() {
    forwarding = true;
  }

  /** Stops listening and cuts every proxied connection: the port is now closed. */
  @Override
  public void close() {
    Await.result(server.close());
    sockets.forEach(NetSocket::close);
    Await.result(vertx.close());
  }
}
