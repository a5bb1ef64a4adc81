// The @svm/policy README quick start: generator and linter.
import { readFileSync } from 'node:fs';
import { Requirements, loadDocument } from '@svm/core';
import {
  compilePolicies,
  evaluate,
  generateConfig,
  lintGeneratedConfig,
  parsePolicy,
  renderTargets,
} from '@svm/policy';

const file = new URL('../data/requirements.yaml', import.meta.url);
const requirements = loadDocument(readFileSync(file, 'utf8'), { file: 'requirements.yaml' }, Requirements);
const config = generateConfig(requirements);
console.log(`${config.policies.length} policies, ${config.roles.length} auth roles`);

// The secrets engines from `engines:` (version 2), in the order apply writes them; no password anywhere.
const connection = config.engines.find((e) => e.engine === 'database-connection');
console.log(
  `${config.engines.length} engine objects; ${connection?.path} password from ${connection?.secretFields?.password?.store}`,
);

// Lint what was generated: nothing at medium or above.
const findings = lintGeneratedConfig(config);
console.log(
  `lint: ${findings.filter((f) => f.severity !== 'info' && f.severity !== 'low').length} findings at medium or above`,
);

// Prove one policy with the engine: its own secret is readable, the other environment's is not.
const policy = config.policies.find((p) => p.name === 'payment-service-production-read');
if (!policy) throw new Error('expected payment-service-production-read');
const acl = compilePolicies([parsePolicy(policy.hcl, { name: policy.name })]);
for (const path of [
  'secret/data/production/payment-service/api-keys',
  'secret/data/staging/payment-service/api-keys',
  'sys/mounts',
]) {
  console.log(`${path}: ${evaluate(acl, { path, operation: 'read' }).allowed ? 'allowed' : 'denied'}`);
}

// Render targets: hcl, vault-script, bao-script, terraform, api-json, agent-annotations, eso, github-actions.
for (const f of renderTargets(config, ['terraform', 'github-actions'])) console.log(f.path);
