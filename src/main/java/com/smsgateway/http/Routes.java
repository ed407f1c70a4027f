package com.smsgateway.http;

import io.vertx.ext.web.Router;

/** A feature's HTTP routes. Each feature mounts its own; the router adds the shared handlers around them. */
@FunctionalInterface
public interface Routes {
  void mount(Router router);
}
