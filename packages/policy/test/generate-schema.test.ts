import { Requirements } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// core's scripts/json-schema.ts writes requirements.schema.json from this same call; editors use it.
describe('requirements JSON Schema', () => {
  const schema = z.toJSONSchema(Requirements, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, any>;

  it('describes applications, auth methods and secret kinds', () => {
    const app = schema.properties.applications.items;
    expect(app.required).toEqual(['name', 'auth', 'secrets']);
    const methods = app.properties.auth.items.oneOf.map((o: any) => o.properties.method.const);
    expect(methods).toEqual(['approle', 'kubernetes', 'oidc', 'jwt']);
    const kinds = app.properties.secrets.items.oneOf.flatMap(
      (o: any) => o.properties.kind.const ?? o.properties.kind.enum,
    );
    expect(kinds).toEqual(['kv', 'database', 'pki', 'transit', 'ssh', 'aws', 'gcp', 'azure']);
    expect(app.additionalProperties).toBe(false);
  });
});
