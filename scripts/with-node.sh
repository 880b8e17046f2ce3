#!/bin/sh
# Usage: sh scripts/with-node.sh <major> <command> [args…]
# Runs the command with Node <major> first on PATH, from the node@<major> npm package (npx installs it once into its
# cache). The command itself does not run under `npx -c`: npx exports npm_config_call, npm_config_package and
# npm_node_execpath to its children, which break every npx and npm call the tests make.
set -eu
major=$1
shift
node_bin=$(npx -y -p "node@$major" -c 'command -v node')
PATH="$(dirname "$node_bin"):$PATH"
export PATH
echo "with-node: $(node --version) ($node_bin)" >&2
exec "$@"
