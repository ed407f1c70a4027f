#!/usr/bin/env bash
# Regenerates k8s/configmap.yaml from conf/gateway.yaml (K8sManifestsTest fails when they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat <<'HEAD'
# The gateway's configuration file: a verbatim copy of conf/gateway.yaml (a test keeps them identical).
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
} > k8s/configmap.yaml
