import { SvmError } from '@svm/core';
import type { SecretSelector } from '../store.js';

/** SECRET_NAME_INVALID when both a version and a stage are given. */
export function checkSelector(selector: SecretSelector): void {
  if (selector.version !== undefined && selector.stage !== undefined)
    throw new SvmError('SECRET_NAME_INVALID', 'pass a version or a stage, not both');
  if (
    selector.version !== undefined &&
    (typeof selector.version !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(selector.version))
  )
    throw new SvmError(
      'SECRET_NAME_INVALID',
      `invalid version id '${String(selector.version)
        .replace(/[\u0000-\u001f]/g, '?')
        .slice(0, 80)}'`,
    );
}

/** "version 3" / "stage previous" for messages. */
export function describeSelector(selector: SecretSelector): string | undefined {
  if (selector.version !== undefined) return `version ${selector.version}`;
  if (selector.stage !== undefined) return `stage ${selector.stage}`;
  return undefined;
}
