import { configRequests } from '../requests.js';
import type { GeneratedConfig } from '../types.js';

/**
 * The HTTP API bodies as one JSON document: `{"requests": [{method, path, namespace?, kind, authMethod?, body}]}`,
 * in the order to send them (`PUT /v1/sys/policies/acl/<name>`, then `POST /v1/auth/<mount>/role/<name>`).
 *
 * @example
 * ```ts
 * JSON.parse(renderApiJson(config)).requests.length;
 * ```
 */
export function renderApiJson(config: GeneratedConfig): string {
  return `${JSON.stringify({ requests: configRequests(config) }, null, 2)}\n`;
}
