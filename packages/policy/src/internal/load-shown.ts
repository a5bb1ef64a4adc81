import { isAbsolute, resolve } from 'node:path';
import { type Policy, type PolicyFlavor, SvmError, isSvmError } from '@svm/core';
import { loadPolicies } from '../parse/load-policies.js';

/** `file` relative to `cwd` when it lies below it, else as it is. */
export function shown(cwd: string, file: string): string {
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(base) ? file.slice(base.length) : file;
}

/** Load policies with the files in them and in any error named relative to `cwd`, as a user typed them (internal). */
export async function loadShown(
  paths: readonly string[],
  cwd: string,
  flavor: PolicyFlavor | undefined,
): Promise<Policy[]> {
  try {
    const loaded = await loadPolicies(
      paths.map((p) => (isAbsolute(p) ? p : resolve(cwd, p))),
      flavor === undefined ? {} : { flavor },
    );
    return loaded.map((p) => (p.file === undefined ? p : { ...p, file: shown(cwd, p.file) }));
  } catch (error) {
    if (isSvmError(error) && error.location.file !== undefined) {
      const file = shown(cwd, error.location.file);
      const message = error.message.split(error.location.file).join(file);
      throw new SvmError(error.code, message, { ...error.location, file, details: error.details, cause: error });
    }
    throw error;
  }
}
