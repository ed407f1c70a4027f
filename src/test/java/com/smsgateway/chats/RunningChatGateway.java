package com.smsgateway.chats;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway replica with a stand-in chat agent for a whole test class, plus the chats API client:
 * {@code @RegisterExtension static final RunningChatGateway chats = new RunningChatGateway(X.class).with(ENV, value);}
 */
final class RunningChatGateway implements BeforeAllCallback, AfterAllCallback {
  private final Class<?> testClass;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private ChatAgentStandIn agent;
  private Gateway gateway;
  private ChatsTesting api;

  RunningChatGateway(Class<?> testClass) {
    this.testClass = testClass;
  }

  /** A configuration key by its environment name, besides the agent's URL, secret and a quick poll. */
  RunningChatGateway with(String envName, String value) {
    settings.put(envName, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    agent = new ChatAgentStandIn();
    TestGateway setup = TestGateway.forClass(testClass)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", "chat-agent-secret-0123456789")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "20ms");
    settings.forEach(setup::with);
    gateway = Await.result(setup.start());
    api = new ChatsTesting(gateway);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    api.close();
    Await.result(gateway.stop());
    agent.close();
  }

  ChatAgentStandIn agent() {
    return agent;
  }

  Gateway gateway() {
    return gateway;
  }

  ChatsTesting api() {
    return api;
  }
}
