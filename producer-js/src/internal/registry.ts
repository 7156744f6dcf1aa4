// Confluent's client, imported by module rather than through its index: the index also loads the KMS drivers of its
// field-encryption rules (AWS, Azure, GCP, Vault SDKs), which takes a second at start and is not used here. The
// version is pinned in package.json, so these paths do not move under us.
import { SchemaRegistryClient } from '@confluentinc/schemaregistry/dist/schemaregistry-client';
import type { BasicAuthCredentials, ClientConfig } from '@confluentinc/schemaregistry/dist/rest-service';
import { AvroDeserializer, AvroSerializer } from '@confluentinc/schemaregistry/dist/serde/avro';
import { SchemaId, SerdeType, SubjectNameStrategyType } from '@confluentinc/schemaregistry/dist/serde/serde';

export { SchemaRegistryClient, AvroDeserializer, AvroSerializer, SchemaId, SerdeType, SubjectNameStrategyType };
export type { BasicAuthCredentials };

/** How to reach a Confluent-compatible registry, and the bound on each of its calls. */
export interface RegistryConnection {
  /** One URL or several, comma-separated (the client tries them in order). */
  readonly url: string;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly basicAuth?: BasicAuthCredentials;
}

/** Confluent's registry client for a connection: one attempt plus `maxRetries`, each bounded by the timeout. */
export function registryClient(connection: RegistryConnection): SchemaRegistryClient {
  const config: ClientConfig = {
    baseURLs: connection.url.split(',').map((url) => url.trim()).filter((url) => url.length > 0),
    createAxiosDefaults: { timeout: connection.requestTimeoutMs },
    maxRetries: connection.maxRetries,
    retriesWaitMs: Math.min(1_000, connection.requestTimeoutMs),
    retriesMaxWaitMs: Math.min(1_000, connection.requestTimeoutMs),
    basicAuthCredentials: connection.basicAuth,
  };
  return new SchemaRegistryClient(config);
}

/**
 * Confluent's serde settings for a topic's values: TopicNameStrategy (`<topic>-value`) named explicitly. Its default,
 * the associated-subject strategy, first asks `/associations/...`, which Apicurio's Confluent API does not serve
 * (404); the client then falls back to the topic name, one wasted request per subject.
 */
export const TOPIC_VALUE_SUBJECTS = { subjectNameStrategyType: SubjectNameStrategyType.TOPIC } as const;
