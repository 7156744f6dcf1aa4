#!/usr/bin/env bash
# Starts one node (broker and KRaft controller) of docker-compose.yml, secured as budget-meter's local cluster is:
#   CLIENT     SASL_PLAINTEXT, SCRAM-SHA-512, kafka-N:9092   between brokers (as the administrator) and the registry
#   TLS        SASL_SSL, SCRAM-SHA-512, kafka-N:9094          the topology, workers, init steps and auditors
#   EXTERNAL   SASL_SSL, SCRAM-SHA-512, localhost:<port>      from the host
#   CONTROLLER SASL_PLAINTEXT, PLAIN, kafka-N:9093            the quorum, the administrator alone
# StandardAuthorizer with allow.everyone.if.no.acl.found=false: no ACL, no access; the administrator and the schema
# registry are the super users. Their SCRAM credentials are bootstrapped when the log directory is formatted
# (KIP-900), every other user's is set by `budget-meter acls --apply`. Passwords are read from the mounted secrets
# into a file only this container's user can read; nothing is printed.
set -euo pipefail
: "${NODE_ID:?}" "${CLUSTER_ID:?}" "${EXTERNAL_PORT:?}"
# Where the secrets, Kafka and the written files are: the image's paths unless set (the compose file's test runs this
# script outside Docker).
secrets=${SECRETS_DIR:-/secrets}
kafka_home=${KAFKA_HOME:-/opt/kafka}
work=${WORK_DIR:-/tmp}

admin_password=$(cat "$secrets/admin/passwords/admin")
registry_password=$(cat "$secrets/admin/passwords/schema-registry")
store_password=$(cat "$secrets/broker/store-password")
config=$work/budget-meter-node.properties
umask 077

cat > "$config" <<PROPERTIES
process.roles=${KAFKA_PROCESS_ROLES}
node.id=${NODE_ID}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}
controller.listener.names=CONTROLLER
listeners=CLIENT://:9092,CONTROLLER://:9093,TLS://:9094,EXTERNAL://:${EXTERNAL_PORT}
advertised.listeners=CLIENT://kafka-${NODE_ID}:9092,TLS://kafka-${NODE_ID}:9094,EXTERNAL://localhost:${EXTERNAL_PORT}
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,TLS:SASL_SSL,EXTERNAL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=CLIENT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_password}";
listener.name.tls.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${admin_password}" user_admin="${admin_password}";
ssl.keystore.location=${secrets}/broker/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=${store_password}
ssl.key.password=${store_password}
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:schema-registry
log.dirs=${work}/kraft-combined-logs
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS_ENABLE}
default.replication.factor=${KAFKA_DEFAULT_REPLICATION_FACTOR}
min.insync.replicas=${KAFKA_MIN_INSYNC_REPLICAS}
offsets.topic.replication.factor=${KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR}
transaction.state.log.replication.factor=${KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR}
transaction.state.log.min.isr=${KAFKA_TRANSACTION_STATE_LOG_MIN_ISR}
group.initial.rebalance.delay.ms=${KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS}
PROPERTIES

# The health check's client: the administrator on the node's own SASL_PLAINTEXT listener.
cat > "$work/budget-meter-admin-client.properties" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_password}";
PROPERTIES

# The storage tool takes the SCRAM credentials on its command line only (KIP-900), where ps inside this container
# shows them while it runs: so it runs once, on a log directory not yet formatted.
if [[ ! -f "$work/kraft-combined-logs/meta.properties" ]]; then
  "$kafka_home/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$config" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=${admin_password}]" \
    --add-scram "SCRAM-SHA-512=[name=schema-registry,password=${registry_password}]" > /dev/null
fi

exec "$kafka_home/bin/kafka-server-start.sh" "$config"
