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
  /** Hung: connections are accepted and kept, but no byte goes through either way. */
  private volatile boolean hung;

  public TcpProxy(String targetHost, int targetPort) {
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      if (!forwarding) {
        inbound.close();
        return;
      }
      sockets.add(inbound);
      if (hung) {
        inbound.handler(ignored -> { });
        return;
      }
      inbound.pause();
      client.connect(targetPort, targetHost).onSuccess(outbound -> {
        sockets.add(outbound);
        inbound.handler(bytes -> {
          if (!hung) {
            outbound.write(bytes);
          }
        });
        outbound.handler(bytes -> {
          if (!hung) {
            inbound.write(bytes);
          }
        });
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
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

  /** The service hangs: connections stay open (new ones are accepted) but nothing answers. */
  public void hang() {
    hung = true;
  }

  /** The service is back: connections that saw it hang are cut (their streams lost bytes), new ones are proxied again. */
  public void restore() {
    if (hung) {
      hung = false;
      sockets.forEach(NetSocket::close);
      sockets.clear();
    }
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
