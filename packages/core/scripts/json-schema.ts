// Writes the JSON Schema of every file format and result svm defines into dist/schemas/, so editors can
// validate users' YAML (`# yaml-language-server: $schema=…/inventory.schema.json`). Generated from the zod
// schemas by zod's own z.toJSONSchema: the zod schemas stay the single source of truth.
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { AuditEvent, Finding, Inventory, Policy, Requirements, RotationPlan, Suppressions } from '../src/index.ts';

const out = new URL('../dist/schemas/', import.meta.url);
mkdirSync(out, { recursive: true });

const inputs = { inventory: Inventory, requirements: Requirements, suppressions: Suppressions };
const outputs = { 'audit-event': AuditEvent, finding: Finding, 'rotation-plan': RotationPlan, policy: Policy };

for (const [name, schema] of Object.entries(inputs)) write(name, schema, 'input');
for (const [name, schema] of Object.entries(outputs)) write(name, schema, 'output');

function write(name: string, schema: z.ZodType, io: 'input' | 'output') {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  const doc = { $id: `https://svm.dev/schemas/${name}.schema.json`, title: `svm ${name}`, ...json };
  writeFileSync(new URL(`${name}.schema.json`, out), `${JSON.stringify(doc, null, 2)}\n`);
}
