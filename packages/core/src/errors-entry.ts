// `@svm/core/errors`: the error types and output helpers alone, without zod or the YAML parser, for
// start-up paths that must stay light (the CLI's `--help`).
export {
  ERROR_CODES,
  SvmError,
  exitCodeFor,
  fileError,
  formatLocated,
  isSvmError,
  isUserError,
  renderError,
} from './errors.js';
export type { ErrorCode, ErrorKind, ErrorLocation, RenderedError, SvmErrorOptions } from './errors.js';
export { shouldUseColor, toJsonDocument } from './output.js';
export type { ColorContext } from './output.js';
