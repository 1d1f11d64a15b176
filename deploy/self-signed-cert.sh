#!/bin/sh
# A self-signed certificate for trying the docker-compose stack over HTTPS (browsers will warn; WeChat refuses it).
# For a real deployment put a CA's certificate in deploy/certs/ instead (docs/DEPLOY.md).
# Usage: deploy/self-signed-cert.sh [host-name]   (default: localhost)
set -eu
host="${1:-localhost}"
dir="$(dirname "$0")/certs"
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem"
chmod 600 "$dir/privkey.pem"
echo "wrote $dir/fullchain.pem and $dir/privkey.pem for $host"
