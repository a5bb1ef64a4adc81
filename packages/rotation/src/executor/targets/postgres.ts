import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { SvmError } from '@svm/core';

/** Connection details as AWS and Vault database secrets hold them. `password` is the only secret field. */
export interface DbConnection {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  [key: string]: unknown;
}

/** Parse a JSON database secret; the error names the field, never the value. */
export function parseDbSecret(text: string, where: string): DbConnection {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SvmError(
      'INPUT_INVALID',
      `${where}: expected a JSON secret with host, port, database, username, password`,
    );
  }
  const d = data as Record<string, unknown>;
  for (const key of ['host', 'username', 'password'] as const) {
    if (typeof d?.[key] !== 'string' || d[key] === '')
      throw new SvmError('INPUT_INVALID', `${where}: field ${key}: expected a non-empty string`);
  }
  const port = d.port === undefined ? 5432 : Number(d.port);
  if (!Number.isInteger(port) || port <= 0)
    throw new SvmError('INPUT_INVALID', `${where}: field port: expected a port number`);
  const database = typeof d.database === 'string' ? d.database : typeof d.dbname === 'string' ? d.dbname : 'postgres';
  return {
    ...(d as object),
    host: d.host as string,
    port,
    database,
    username: d.username as string,
    password: d.password as string,
  };
}

/**
 * A SCRAM-SHA-256 verifier for `ALTER ROLE … PASSWORD`, computed here so the clear-text password never reaches
 * the server's statement log (PostgreSQL stores a pre-hashed verifier as is).
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

type PgClient = import('pg').Client;

async function connect(conn: DbConnection, timeoutMs: number): Promise<PgClient> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: conn.host,
    port: conn.port,
    database: conn.database,
    user: conn.username,
    password: conn.password,
    connectionTimeoutMillis: timeoutMs,
    ssl: conn.ssl === true ? { rejectUnauthorized: true } : undefined,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw pgError(error, `${conn.username}@${conn.host}:${conn.port}/${conn.database}`);
  }
  return client;
}

/** Map a `pg` error to an SvmError; auth failures are VERIFICATION_FAILED, network ones UNAVAILABLE. */
export function pgError(error: unknown, where: string): SvmError {
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (code === '28P01' || code === '28000')
    return new SvmError('VERIFICATION_FAILED', `${where}: login refused (${code})`, { cause: error });
  if (
    /^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)/.test(code) ||
    /timeout|terminated|Connection terminated/i.test(e?.message ?? '')
  ) {
    return new SvmError('UNAVAILABLE', `${where}: database unreachable (${code || 'timeout'})`, { cause: error });
  }
  if (code === '57P03' || code === '53300')
    return new SvmError('UNAVAILABLE', `${where}: database not accepting connections (${code})`, { cause: error });
  // Never pass the server's message on: it can quote the statement.
  return new SvmError('ACCESS_DENIED', `${where}: the database refused the request (SQLSTATE ${code || 'unknown'})`, {
    cause: error,
  });
}

/** Log in with `conn` and run `SELECT 1`. Throws VERIFICATION_FAILED when the login is refused. */
export async function verifyLogin(conn: DbConnection, timeoutMs = 10_000): Promise<void> {
  const client = await connect(conn, timeoutMs);
  try {
    await client.query('SELECT 1');
  } catch (error) {
    throw pgError(error, `${conn.username}@${conn.host}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `ALTER ROLE <role> PASSWORD '<scram verifier>'` over an admin connection. */
export async function setRolePassword(
  admin: DbConnection,
  role: string,
  password: string,
  timeoutMs = 10_000,
): Promise<void> {
  const client = await connect(admin, timeoutMs);
  try {
    await client.query(
      `ALTER ROLE ${client.escapeIdentifier(role)} PASSWORD ${client.escapeLiteral(scramVerifier(password))}`,
    );
  } catch (error) {
    throw pgError(error, `ALTER ROLE ${role}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
