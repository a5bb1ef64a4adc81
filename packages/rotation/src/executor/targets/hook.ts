import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SvmError } from '@svm/core';
import type { RotationTargets } from '../types.js';

/** What a provider hook receives on stdin (a command) or as its argument (a JS module's `create`/`test`/`revoke`). */
export interface HookInput {
  action: 'create' | 'test' | 'revoke';
  item: { id: string; name: string | undefined; secret: string };
  /** The key to test or revoke (absent for `create`). The only secret field. */
  value?: string | undefined;
  /** The provider's id of that key, as `create` returned it. */
  keyId?: string | undefined;
}

/** What a hook answers: `create` → `{ value, keyId? }`; `test` / `revoke` → `{ ok }`. */
export interface HookOutput {
  value?: string;
  keyId?: string;
  ok?: boolean;
}

const MODULE = /\.(mjs|cjs|js)$/; // a single path ending so; anything with a space is a command

/**
 * Call a provider hook: a JS module (a path ending in `.js`/`.mjs`/`.cjs`, whose named export `create`, `test` or
 * `revoke` is called with the input) or a command (run through the shell with the JSON input on stdin; it prints
 * one JSON object). Values travel on stdin only, never in arguments or the environment; a hook's stderr is not
 * shown, since it could echo a key.
 */
export async function callHook(
  hook: string,
  input: HookInput,
  targets: RotationTargets,
  timeoutMs = 30_000,
): Promise<HookOutput> {
  const base = targets.baseDir ?? process.cwd();
  if (MODULE.test(hook.trim()) && !/\s/.test(hook.trim())) {
    const path = isAbsolute(hook) ? hook : resolve(base, hook);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (cause) {
      throw new SvmError(
        'FILE_NOT_FOUND',
        `hook module ${hook} could not be loaded (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause },
      );
    }
    const fn = mod[input.action];
    if (typeof fn !== 'function')
      throw new SvmError('INPUT_INVALID', `hook module ${hook} has no exported function ${input.action}`);
    let out: HookOutput;
    try {
      out = await (fn as (i: HookInput) => Promise<HookOutput>)(input);
    } catch (cause) {
      // The hook's own message is not shown: it could quote the key.
      throw new SvmError(
        input.action === 'test' ? 'VERIFICATION_FAILED' : 'UNAVAILABLE',
        `hook ${input.action}: the module threw (${(cause as Error)?.name ?? 'error'})`,
        { cause },
      );
    }
    return checkOutput(out, hook, input.action);
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(hook, {
      shell: true,
      cwd: base,
      env: { ...(targets.env ?? process.env) },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(new SvmError('UNAVAILABLE', `hook ${input.action}: could not start the command`, { cause }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal)
        return reject(new SvmError('TIMEOUT', `hook ${input.action}: stopped by ${signal} after ${timeoutMs} ms`));
      if (code !== 0)
        return reject(
          new SvmError(
            input.action === 'test' ? 'VERIFICATION_FAILED' : 'UNAVAILABLE',
            `hook ${input.action}: the command exited ${code}`,
          ),
        );
      let parsed: unknown;
      try {
        parsed = JSON.parse(out.trim().split('\n').pop() ?? '');
      } catch {
        return reject(new SvmError('INPUT_INVALID', `hook ${input.action}: expected one JSON object on stdout`));
      }
      try {
        resolvePromise(checkOutput(parsed as HookOutput, hook, input.action));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(input));
  });
}

function checkOutput(out: HookOutput, hook: string, action: HookInput['action']): HookOutput {
  if (typeof out !== 'object' || out === null)
    throw new SvmError('INPUT_INVALID', `hook ${action}: expected a JSON object`);
  if (action === 'create' && (typeof out.value !== 'string' || out.value === ''))
    throw new SvmError('INPUT_INVALID', `hook ${action} (${hook.split(' ')[0]}): expected { "value": "<new key>" }`);
  if (out.keyId !== undefined && typeof out.keyId !== 'string')
    throw new SvmError('INPUT_INVALID', `hook ${action}: keyId must be a string`);
  return out;
}
