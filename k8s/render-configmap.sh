#!/usr/bin/env bash
# Regenerates k8s/configmap.yaml from conf/gateway.yaml and conf/templates.yaml (tests fail when they differ).
# The ConfigMap is mounted over /app/conf, so every file the gateway reads from conf/ must be in it.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat <<'HEAD'
# The gateway's configuration files: verbatim copies of conf/gateway.yaml and conf/templates.yaml (tests keep them identical).
# Secrets are not here: they come from the sms-gateway-secrets Secret as GATEWAY_* variables.
apiVersion: v1
kind: ConfigMap
metadata:
  name: sms-gateway-config
  labels:
    app.kubernetes.io/name: sms-gateway
data:
  gateway.yaml: |
HEAD
  sed -e 's/^\(.\)/    \1/' conf/gateway.yaml
  echo '  templates.yaml: |'
  sed -e 's/^\(.\)/    \1/' conf/templates.yaml
} > k8s/configmap.yaml
