#!/usr/bin/env node
// An example provider hook for `svm rotation run` (strategy overlap-window): the "API keys" it manages are
// Vault / OpenBao tokens, so it runs against a real server anywhere VAULT_ADDR and VAULT_TOKEN are set.
// Replace the three functions with your vendor's API (create a key, call an endpoint with it, delete it).
//
// Use it as a module (rotation.hook: examples/rotation-hooks/vault-token-hook.mjs; svm calls the exported
// create/test/revoke) or as a command (rotation.hook: node examples/rotation-hooks/vault-token-hook.mjs; svm
// writes one JSON object on stdin and reads one from stdout). Never print the key anywhere else.

const addr = () => (process.env.VAULT_ADDR ?? process.env.BAO_ADDR ?? '').replace(/\/+$/, '');
const adminToken = () => process.env.VAULT_TOKEN ?? process.env.BAO_TOKEN ?? '';

async function vault(method, path, token, body) {
  const res = await fetch(`${addr()}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** Create a new key. Returns the key (`value`) and its non-secret id (`keyId`, here the token accessor). */
export async function create(input) {
  const r = await vault('POST', 'auth/token/create', adminToken(), {
    policies: ['default'],
    ttl: process.env.SVM_EXAMPLE_KEY_TTL ?? '768h',
    renewable: true,
    display_name: `svm-${input.item.id}`.slice(0, 64),
    meta: { svm_item: input.item.id },
  });
  if (r.status !== 200) throw new Error(`token create: HTTP ${r.status}`);
  return { value: r.body.auth.client_token, keyId: r.body.auth.accessor };
}

/** Use the key once, the way a consumer would. */
export async function test(input) {
  const r = await vault('GET', 'auth/token/lookup-self', input.value);
  return { ok: r.status === 200 };
}

/** Revoke the key (by its id when known). Revoking a key that is already gone succeeds. */
export async function revoke(input) {
  const r = input.keyId
    ? await vault('POST', 'auth/token/revoke-accessor', adminToken(), { accessor: input.keyId })
    : await vault('POST', 'auth/token/revoke', adminToken(), { token: input.value });
  return { ok: r.status === 204 || r.status === 200 || r.status === 400 };
}

// As a command: one JSON object in, one out.
const asCommand = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('vault-token-hook.mjs');
if (asCommand) {
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input);
  const handlers = { create, test, revoke };
  const handler = handlers[request.action];
  if (!handler) {
    process.stderr.write(`unknown action ${request.action}\n`);
    process.exit(2);
  }
  try {
    process.stdout.write(`${JSON.stringify(await handler(request))}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
