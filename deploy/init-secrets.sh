#!/usr/bin/env bash
# One-shot init step of docker-compose.yml: makes every secret of the deployment once, on first start, into one
# volume per role, so that each container mounts its own role's secrets and nothing else:
#   /secrets/admin      the administrator's and the registry's passwords (bootstrapped at format time), every role's
#                       password (budget-meter acls --apply --scram-passwords reads them) and admin.properties
#   /secrets/broker     the brokers' TLS key store (one certificate for kafka-1..3 and localhost) and its password
#   /secrets/registry   the schema registry's password
#   /secrets/topology   topology.properties: the topology's SASL_SSL client settings (budget-meter run --config)
#   /secrets/worker     worker.properties: the workers' (budget-meter simulate --command-config)
#   /secrets/auditor    auditor.properties: the auditors' (budget-meter audit --command-config)
# Passwords are 32 random hex digits (safe inside JAAS settings and --add-scram). Nothing is printed. Runs again
# harmlessly: what exists is kept.
# SECRETS_DIR (default /secrets) and the client files' paths inside the containers (CLIENT_SECRETS_DIR, default the
# same) may be changed, for the test that runs this script outside Docker.
set -euo pipefail
root=${SECRETS_DIR:-/secrets}
client_root=${CLIENT_SECRETS_DIR:-$root}

if [[ -f $root/admin/.done ]]; then
  echo "secrets exist; nothing to do"
  exit 0
fi

random() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

umask 022
for role in admin broker registry topology worker auditor; do mkdir -p "$root/$role"; done
mkdir -p "$root/admin/passwords"

# SCRAM user names: the defaults of budget-meter acls (User:budget-meter-<role>), plus the two super users.
for user in admin schema-registry budget-meter-topology budget-meter-worker budget-meter-relay budget-meter-auditor; do
  random > "$root/admin/passwords/$user"
done
cp "$root/admin/passwords/schema-registry" "$root/registry/password"

# TLS: a key pair for the brokers, a trust store with its certificate for the clients. keytool reads the store
# password from its environment, never from its command line (where ps shows it).
store_password=$(random)
printf '%s' "$store_password" > "$root/broker/store-password"
export STORE_PASSWORD=$store_password
work=$(mktemp -d)
keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 825 -dname "CN=budget-meter-kafka" \
  -ext "SAN=dns:kafka-1,dns:kafka-2,dns:kafka-3,dns:localhost,ip:127.0.0.1" \
  -keystore "$root/broker/broker.p12" -storetype PKCS12 -storepass:env STORE_PASSWORD -noprompt
keytool -exportcert -alias broker -keystore "$root/broker/broker.p12" -storetype PKCS12 \
  -storepass:env STORE_PASSWORD -file "$work/broker.crt"
keytool -importcert -alias budget-meter-kafka -file "$work/broker.crt" -keystore "$work/truststore.p12" \
  -storetype PKCS12 -storepass:env STORE_PASSWORD -noprompt
rm -f "$work/broker.crt"

# Client settings of one role over the SASL_SSL listeners (kafka-N:9094); bootstrap.servers comes from each
# service's environment. The trust store has no secret in it; its password only guards its integrity.
client() {
  local role=$1 user=$2 dir=$root/$1 seen=$client_root/$1
  cp "$work/truststore.p12" "$dir/truststore.p12"
  {
    echo "security.protocol=SASL_SSL"
    echo "sasl.mechanism=SCRAM-SHA-512"
    echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$user\" password=\"$(cat "$root/admin/passwords/$user")\";"
    echo "ssl.truststore.location=$seen/truststore.p12"
    echo "ssl.truststore.type=PKCS12"
    echo "ssl.truststore.password=$store_password"
  } > "$dir/$role.properties"
}
client admin admin
client topology budget-meter-topology
client worker budget-meter-worker
client auditor budget-meter-auditor
rm -rf "$work"

# The brokers (uid 1000 in apache/kafka), the registry (1000 in cp-schema-registry) and budget-meter (10001) read
# these: each volume is mounted only into its own role's containers, which is what keeps them apart.
chmod -R a+rX "$root"
touch "$root/admin/.done"
echo "secrets made"
