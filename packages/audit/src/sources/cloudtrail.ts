import type { AuditEvent, AuditOutcome, IdentityKind } from '@svm/core';
import { normalizeIp } from '../internal/ip.js';
import { isoTime, obj, str, type Obj } from '../internal/json.js';

/** CloudTrail Lake exports use lower-case column names; map them to the record's own. */
const LAKE_KEYS: Record<string, string> = {
  eventtime: 'eventTime',
  eventsource: 'eventSource',
  eventname: 'eventName',
  eventtype: 'eventType',
  useridentity: 'userIdentity',
  sourceipaddress: 'sourceIPAddress',
  useragent: 'userAgent',
  errorcode: 'errorCode',
  errormessage: 'errorMessage',
  requestparameters: 'requestParameters',
  responseelements: 'responseElements',
  additionaleventdata: 'additionalEventData',
  requestid: 'requestID',
  eventid: 'eventID',
  awsregion: 'awsRegion',
  recipientaccountid: 'recipientAccountId',
};

function fromLake(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const key = LAKE_KEYS[k] ?? k;
    out[key] = v;
  }
  for (const k of ['requestParameters', 'responseElements', 'additionalEventData', 'userIdentity']) {
    const v = out[k];
    if (obj(v)) {
      // Lake stores nested values as JSON strings in a map<string,string>.
      const m: Obj = {};
      for (const [ik, iv] of Object.entries(v as Obj))
        m[ik] = typeof iv === 'string' && /^[[{]/.test(iv) ? safeJson(iv) : iv;
      out[k] = m;
    } else if (typeof v === 'string' && v.startsWith('{')) out[k] = safeJson(v);
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/**
 * A Secrets Manager secret name from an id, a partial ARN or a full ARN (the random 6-character suffix
 * AWS adds to ARNs is dropped).
 *
 * @example
 * ```ts
 * secretNameFromArn('arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbC123'); // 'prod/db'
 * ```
 */
export function secretNameFromArn(id: string): string {
  const m = /^arn:aws[\w-]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(id);
  if (!m) return id;
  return (m[1] as string).replace(/-[A-Za-z0-9]{6}$/, '');
}

/** Unwrap an EventBridge envelope (`{"detail-type": …, "detail": {record}}`) or a Lake row. */
export function unwrapCloudTrail(o: Obj): Obj {
  const detail = obj(o['detail']);
  if (detail && (o['detail-type'] !== undefined || o['source'] !== undefined)) return detail;
  if (o['eventtime'] !== undefined || o['eventname'] !== undefined) return fromLake(o);
  return o;
}

const HUMAN_UA = /Mozilla\/|console\.amazonaws\.com|signin\.amazonaws\.com/;

/**
 * Normalise one CloudTrail record (plain, EventBridge-wrapped or a CloudTrail Lake row).
 *
 * @example
 * ```ts
 * normalizeCloudTrail({ eventTime: '2025-02-11T23:41:07Z', eventSource: 'secretsmanager.amazonaws.com',
 *   eventName: 'GetSecretValue', userIdentity: { type: 'IAMUser', userName: 'ci' }, requestParameters: { secretId: 'prod/db' } });
 * ```
 */
export function normalizeCloudTrail(
  raw: Obj,
  where: { file?: string | undefined; line?: number | undefined } = {},
): AuditEvent | undefined {
  const o = unwrapCloudTrail(raw);
  const eventName = str(o['eventName']);
  if (!eventName) return undefined;
  const eventSource = str(o['eventSource']) ?? 'unknown';
  const ui = obj(o['userIdentity']) ?? {};
  const type = str(ui['type']) ?? 'Unknown';
  const session = obj(obj(ui['sessionContext'])?.['sessionIssuer']);
  const arn = str(ui['arn']);
  const invokedBy = str(ui['invokedBy']);
  const ua = str(o['userAgent']) ?? '';
  let identity: string;
  let kind: IdentityKind = 'unknown';
  let authMethod = 'iam';
  if (type === 'AssumedRole') {
    const role = session ? str(session['userName']) : undefined;
    const sessionName = arn ? arn.split('/').pop() : undefined;
    identity = role && sessionName ? `${role}/${sessionName}` : (arn ?? str(ui['principalId']) ?? 'unknown');
    if (role?.startsWith('AWSReservedSSO_')) {
      kind = 'human';
      authMethod = 'sso';
    } else kind = HUMAN_UA.test(ua) ? 'human' : 'machine';
  } else if (type === 'IAMUser') {
    identity = str(ui['userName']) ?? arn ?? 'unknown';
    kind =
      o['sessionCredentialFromConsole'] === 'true' || o['sessionCredentialFromConsole'] === true || HUMAN_UA.test(ua)
        ? 'human'
        : 'machine';
  } else if (type === 'Root') {
    identity = 'root';
    kind = 'human';
    authMethod = 'root';
  } else if (type === 'AWSService' || invokedBy) {
    identity = invokedBy ?? str(o['sourceIPAddress']) ?? 'aws-service';
    kind = 'machine';
    authMethod = 'service';
  } else if (type === 'IdentityCenterUser' || type === 'SAMLUser' || type === 'WebIdentityUser') {
    identity = str(ui['userName']) ?? str(ui['principalId']) ?? arn ?? 'unknown';
    kind = type === 'WebIdentityUser' ? 'machine' : 'human';
    authMethod = 'sso';
  } else {
    identity = arn ?? str(ui['principalId']) ?? str(ui['accountId']) ?? 'unknown';
  }

  const params = obj(o['requestParameters']);
  const extra = obj(o['additionalEventData']);
  const respEl = obj(o['responseElements']);
  const errorCode = str(o['errorCode']);
  let outcome: AuditOutcome = 'success';
  let deniedBy: 'policy' | undefined;
  if (errorCode) {
    if (/^AccessDenied|UnauthorizedOperation$|^UnauthorizedAccess/.test(errorCode)) {
      outcome = 'denied';
      deniedBy = 'policy';
    } else outcome = 'error';
  }
  if (eventName === 'ConsoleLogin' && respEl && respEl['ConsoleLogin'] === 'Failure') outcome = 'failed-auth';
  if (eventName === 'RotationFailed' || eventName === 'RotationAbandoned') outcome = 'error';

  const isSm = eventSource === 'secretsmanager.amazonaws.com';
  let secretId =
    (params && (str(params['secretId']) ?? (eventName === 'CreateSecret' ? str(params['name']) : undefined))) ??
    (extra ? (str(extra['SecretId']) ?? str(extra['secretId'])) : undefined) ??
    (respEl ? (str(respEl['arn']) ?? str(respEl['aRN'])) : undefined);
  if (!isSm) {
    const ctx = params ? obj(params['encryptionContext']) : undefined;
    const smArn = ctx ? str(ctx['SecretARN']) : undefined;
    secretId = smArn;
  }
  const ev: AuditEvent = {
    time: isoTime(o['eventTime']) ?? '',
    source: 'cloudtrail',
    identity,
    identityKind: kind,
    authMethod,
    operation: eventName,
    path: secretId ?? (params ? (str(params['keyId']) ?? eventSource) : eventSource),
    outcome,
    sourceIp: normalizeIp(str(o['sourceIPAddress'])),
    mountType: eventSource,
  };
  if (secretId) ev.secret = secretNameFromArn(secretId);
  if (eventName === 'BatchGetSecretValue' && params) {
    const list = params['secretIdList'];
    ev.batchSize = Array.isArray(list) ? list.length : isCatchAllBatch(params) ? -1 : 0;
  }
  const accessKey = str(ui['accessKeyId']);
  if (accessKey) ev.accessor = accessKey;
  const reqId = str(o['requestID']) ?? str(o['eventID']);
  if (reqId) ev.requestId = reqId;
  if (errorCode) ev.errorMessage = errorCode;
  if (deniedBy) ev.deniedBy = deniedBy;
  if (where.file !== undefined) ev.file = where.file;
  if (where.line !== undefined) ev.line = where.line;
  return ev;
}

/** True when a BatchGetSecretValue's filters select everything (only negated `!tag` values). */
export function isCatchAllBatch(params: Obj | undefined): boolean {
  const filters = params?.['filters'];
  if (!Array.isArray(filters) || filters.length === 0) return false;
  return filters.every((f) => {
    const values = obj(f)?.['values'];
    return (
      Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && v.startsWith('!'))
    );
  });
}
