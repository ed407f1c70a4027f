package com.smsgateway.outbound;

import java.util.Optional;

/**
 * The A2P brand whose segment budgets a text is charged to.
 *
 * @param tier        a tier of {@code ratelimit.tiers}
 * @param workspaceId the workspace that owns the brand; empty for the platform's pool brand
 */
public record Brand(String id, String tier, Optional<String> workspaceId) {}
