package com.smsgateway.ratelimit;

import java.util.Objects;

/**
 * The sending workspace's daily share of a brand several workspaces send under (the platform's pool brand): charged,
 * checked and refunded together with the brand's own budgets, in the same script.
 *
 * @param dailySegments the most segments the workspace may use of the brand per carrier day
 */
public record WorkspaceShare(String workspaceId, long dailySegments) {
  public WorkspaceShare {
    Objects.requireNonNull(workspaceId, "workspaceId");
    if (workspaceId.contains("{") || workspaceId.contains("}")) {
      throw new IllegalArgumentException("a workspace id must not contain braces (Redis hash tags): " + workspaceId);
    }
    if (dailySegments < 1) {
      throw new IllegalArgumentException("dailySegments must be positive: " + dailySegments);
    }
  }
}
