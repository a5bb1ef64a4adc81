import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  type BlastRadius,
  type Clock,
  type Containment,
  type ContainmentAction,
  type CredentialKind,
  type IncidentPlan,
  type IncidentSignal,
  type IncidentSeverity,
  type InventoryItem,
  type JournalEntry,
  type RotationRun,
  type StepFacts,
  SvmError,
  isSvmError,
  formatStoreUri,
  parseStoreUri,
  redactStoreUri,
  systemClock,
} from '@svm/core';
import type { OpenStoreOptions, SecretStore, VaultTokenAdmin } from '@svm/providers';
import type { ExecutorStep, ExecutorStrategy, RotationJournal } from '@svm/rotation';
import { renderPostMortemHtml, renderPostMortemMarkdown } from '../render/containment.js';
import { blastRadius } from './blast-radius.js';
import { classifyIncident, planIncident } from './plan.js';

/** Options of {@link containSecret}. */
export interface ContainSecretOptions {
  /** Store URI of the leaked secret. */
  store: string;
  /** The secret's name in the store. */
  name: string;
  /** Start of the exposure window. */
  since: Date;
  until?: Date | undefined;
  /** Audit logs (files, directories, globs, gzip, `-`). */
  audit: readonly string[];
  /** Act; without it only the plan is returned (nothing is touched but reads of the logs and the secret's metadata). */
  execute?: boolean | undefined;
  /** The incident's P0–P3 classification (shown in the report); null when not classified. */
  severity?: IncidentSeverity | null | undefined;
  /** The `incident plan` of this leak: its communication template and notify list go into the post-mortem. */
  plan?: IncidentPlan | undefined;
  /** What was seen (`--signal`): classifies the leak and builds the plan when `plan` is not given. */
  signals?: readonly IncidentSignal[] | undefined;
  /** The kind of credential, for the plan built from `signals` (default `api-key`). */
  credential?: CredentialKind | undefined;
  /** The secret's inventory item (strategy and `rotation:` settings); else one is made from the store's metadata. */
  item?: InventoryItem | undefined;
  /** An inventory to find the secret's item in (by name, and store when the item names one). */
  inventory?: readonly InventoryItem[] | undefined;
  /** Journal URI (`postgres://…`, a file); default: beside a file store, else `svm-rotation-journal.jsonl` in `cwd`. */
  journal?: string | undefined;
  /** Directory the Markdown and HTML post-mortem are written to (default `cwd`). */
  reportDir?: string | undefined;
  /** Environment for credentials: `VAULT_TOKEN` / `BAO_TOKEN` (and `VAULT_ADDR` when the store is not Vault). */
  env?: Record<string, string | undefined> | undefined;
  cwd?: string | undefined;
  stdin?: Readable | undefined;
  /** Options for opening the store (file store key). */
  storeOptions?: OpenStoreOptions | undefined;
  clock?: Clock | undefined;
  /** When the responder's command started (the elapsed time is measured from it; default: now). */
  startedAt?: Date | undefined;
  /** Progress lines (one per action). */
  onProgress?: ((line: string) => void) | undefined;
}

interface TokenPlan {
  accessor: string;
  identity: string;
}

/**
 * Contain a leaked secret: compute its blast radius from the audit logs, then (with `execute`) rotate it at its
 * source through the rotation executor until the leaked value no longer works, revoke the leases issued to every
 * Vault / OpenBao token that read it in the window and the tokens themselves (by accessor, HMAC'd accessors
 * resolved through `sys/audit-hash`), and write the timeline and post-mortem (Markdown and HTML). Every action
 * is journaled like a rotation: a second call resumes an interrupted containment, and a call after a finished
 * one only does what is still missing (it never rotates twice, never revokes a token that read only the new
 * value). Tokens that never read the secret are never touched. Without `execute` it returns the plan.
 *
 * @example
 * ```ts
 * const c = await containSecret({ store: 'vault://vault:8200/secret', name: 'prod/db',
 *   since: new Date('2026-03-01T08:00:00Z'), audit: ['/var/log/vault/audit.log'], execute: true });
 * c.outcome; // 'contained'
 * c.elapsedMs; // e.g. 2100
 * ```
 */
export async function containSecret(options: ContainSecretOptions): Promise<Containment> {
  const clock = options.clock ?? systemClock;
  const startedAt = options.startedAt ?? clock.now();
  if (!options.plan && options.signals?.length)
    options = {
      ...options,
      plan: planIncident({
        signals: [...options.signals],
        credential: options.credential ?? 'api-key',
        secret: options.name,
        detectedAt: startedAt,
      }),
    };
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const progress = options.onProgress ?? (() => undefined);
  const rotation = await import('@svm/rotation');
  const providers = await import('@svm/providers');

  const ref = parseStoreUri(options.store);
  const storeRef = ref.kind === 'file' ? { ...ref, path: resolve(cwd, ref.path) } : ref;
  const radius = await blastRadius(
    options.audit,
    { store: options.store, name: options.name, since: options.since, until: options.until },
    { cwd, stdin: options.stdin },
  );
  progress(
    `blast radius: ${radius.identities.length} identit${radius.identities.length === 1 ? 'y' : 'ies'}, ${radius.tokens.length} token(s), ${radius.accesses} access(es) of ${radius.secret.matches.join(', ')} since ${radius.window.since}`,
  );

  const store = await providers.openStore(storeRef, { env, ...options.storeOptions });
  try {
    const item =
      options.item ??
      findItem(options.inventory, options.store, options.name, rotation.secretNameOf) ??
      (await itemFromStore(store, options.store, options.name, providers.itemFrom));
    const leak = rotation.leakStrategyFor(item);
    const incidentId = `incident:${redactStoreUri(options.store)}#${options.name}@${options.since.toISOString()}`;
    const readers = radius.tokens.filter((t) => t.source === 'vault' && t.kinds.read > 0);

    if (!options.execute) {
      // The plan: the secret must exist (a clear error now rather than at 3 a.m. with --execute).
      await store.metadata(options.name).catch((error: unknown) => {
        throw unknownSecret(error, options);
      });
      const steps = containSteps(
        {
          name: options.name,
          tokens: readers.map((t) => ({ accessor: t.accessor, identity: t.identity })),
          leases: readers.flatMap((t) => t.leases),
          strategyId: leak.strategy.id,
          rotationTitles: rotation
            .dryRunSteps(leak.item, { strategy: leak.strategy })
            .steps.map((s) => `${s.id}: ${s.title}`),
        },
        undefined,
      );
      return finish({
        options,
        radius,
        incidentId,
        startedAt,
        clock,
        strategy: leak.strategy.id,
        run: undefined,
        steps: steps.map((s) => ({ id: s.id, title: s.title, status: 'planned' })),
        tokens: readers.map((t) => ({ accessor: t.accessor, identity: t.identity })),
        journal: null,
        repeat: false,
      });
    }

    const journalUri = options.journal ?? rotation.defaultJournalPath(options.store, join(cwd, 'incident'), cwd);
    const journal = await rotation.openJournal(journalUri, { cwd });
    try {
      const admin = vaultAdmin(providers.vaultTokenAdmin, ref, env);
      const strategy = containStrategy({
        name: options.name,
        radius,
        readers,
        item: leak.item,
        strategyId: leak.strategy.id,
        store,
        journal,
        admin,
        clock,
        progress,
        rotateLeaked: rotation.rotateLeaked,
        dryRunTitles: rotation
          .dryRunSteps(leak.item, { strategy: leak.strategy })
          .steps.map((s) => `${s.id}: ${s.title}`),
      });
      const run = await rotation.rotate(
        { id: incidentId, name: options.name },
        {
          store,
          journal,
          clock,
          strategy,
          onEntry: (e) => {
            if (e.kind === 'after' && e.step) progress(`${e.step}: done${describeFacts(e.facts)}`);
            if (e.kind === 'failed' && e.step) progress(`${e.step}: failed: ${e.error?.message ?? ''}`);
          },
        },
      );
      if (!run) throw new SvmError('INTERNAL', 'the containment run did not start');
      const entries = await journal.entries(incidentId);
      const facts = collectFacts(entries, run.runId);
      // Steps an earlier process finished come back `skipped` without facts: take theirs from the journal.
      const stepFacts = new Map<string, StepFacts>();
      for (const e of entries)
        if (e.runId === run.runId && e.kind === 'after' && e.step && e.facts) stepFacts.set(e.step, e.facts);
      for (const s of run.steps) if (!s.facts && stepFacts.has(s.id)) s.facts = stepFacts.get(s.id);
      return finish({
        options,
        radius,
        incidentId,
        startedAt,
        clock,
        strategy: leak.strategy.id,
        run,
        steps: run.steps,
        tokens: parseTokens(facts.tokens),
        journal: journal.location,
        repeat: facts.repeat === true,
        facts,
      });
    } finally {
      await journal.close();
    }
  } finally {
    await store.close();
  }
}

function findItem(
  inventory: readonly InventoryItem[] | undefined,
  store: string,
  name: string,
  secretNameOf: (item: InventoryItem) => string,
): InventoryItem | undefined {
  const want = parseStoreUri(store);
  return inventory?.find((i) => {
    if (secretNameOf(i) !== name) return false;
    if (!i.store) return true;
    try {
      const r = parseStoreUri(i.store);
      return r.kind === want.kind && redactStoreUri(formatStoreUri(r)) === redactStoreUri(formatStoreUri(want));
    } catch {
      return false;
    }
  });
}

/**
 * Whether `contain --execute` may act now: a P0 never waits for a confirmation (its 15 minutes run); anything else
 * (or an unclassified leak) asks on a terminal unless `--yes`, and refuses without a terminal.
 *
 * @example
 * ```ts
 * containConfirmation({ signals: ['public-repo-used'], execute: true, yes: false, interactive: false }).action; // 'proceed' (P0)
 * containConfirmation({ severity: 'P2', execute: true, yes: false, interactive: true }).action; // 'ask'
 * ```
 */
export function containConfirmation(input: {
  /** The classification, or the signals to classify. */
  severity?: IncidentSeverity | null | undefined;
  signals?: readonly IncidentSignal[] | undefined;
  execute: boolean;
  yes: boolean;
  interactive: boolean;
}): { action: 'proceed' | 'ask' | 'refuse'; reason: string } {
  if (input.severity === undefined && input.signals?.length)
    return containConfirmation({ ...input, severity: classifyIncident(input.signals).severity, signals: undefined });
  if (!input.execute) return { action: 'proceed', reason: 'dry run: nothing is touched' };
  if (input.severity === 'P0') return { action: 'proceed', reason: 'P0: containment does not wait for a confirmation' };
  if (input.yes) return { action: 'proceed', reason: '--yes given' };
  if (input.interactive)
    return {
      action: 'ask',
      reason: `${input.severity ?? 'unclassified'}: --execute asks before it rotates and revokes`,
    };
  return {
    action: 'refuse',
    reason: `--execute on ${input.severity ? `a ${input.severity}` : 'an unclassified'} leak needs --yes when there is no terminal to confirm on (a P0, from --signal, never waits)`,
  };
}

async function itemFromStore(
  store: SecretStore,
  uri: string,
  name: string,
  itemFrom: typeof import('@svm/providers')['itemFrom'],
): Promise<InventoryItem> {
  try {
    return itemFrom(await store.metadata(name), redactStoreUri(uri));
  } catch (error) {
    if (!isSvmError(error) || error.kind === 'internal') throw error;
    // Unknown or unreadable: the journaled check-secret step reports it.
    return { id: `${redactStoreUri(uri)}#${name}`, name, store: redactStoreUri(uri) };
  }
}

function unknownSecret(error: unknown, options: ContainSecretOptions): unknown {
  if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND')
    return new SvmError(
      'SECRET_NOT_FOUND',
      `--secret: no secret '${options.name}' in ${redactStoreUri(options.store)}: check the store URI (its mount) and the name`,
    );
  return error;
}

function vaultAdmin(
  make: typeof import('@svm/providers')['vaultTokenAdmin'],
  ref: ReturnType<typeof parseStoreUri>,
  env: Record<string, string | undefined>,
): VaultTokenAdmin | undefined {
  const address = ref.kind === 'vault' ? ref.address : (env.VAULT_ADDR ?? env.BAO_ADDR);
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (!address || !token) return undefined;
  const namespace = ref.kind === 'vault' ? ref.namespace : (env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE);
  return make({ address, token, namespace });
}

interface StepPlan {
  name: string;
  tokens: TokenPlan[];
  leases: string[];
  strategyId: string;
  rotationTitles: string[];
}

/** The containment's steps, in order: check, rotate, revoke leases, revoke each token. */
function containSteps(plan: StepPlan, impl: StepImpl | undefined): ExecutorStep[] {
  const none = async (): Promise<void> => undefined;
  const steps: ExecutorStep[] = [
    {
      id: 'check-secret',
      title: `Read the current version of ${plan.name} (the leaked one)`,
      run: impl?.check ?? none,
    },
    {
      id: 'rotate',
      title: `Rotate ${plan.name} at its source (${plan.strategyId}, grace and overlap waived) until the leaked value stops working${plan.rotationTitles.length ? ` — ${plan.rotationTitles.join('; ')}` : ''}`,
      run: impl?.rotate ?? none,
    },
  ];
  if (plan.leases.length > 0)
    steps.push({
      id: 'revoke-leases',
      title: `Revoke the ${plan.leases.length} lease(s) issued to the reader tokens (sys/leases/revoke)`,
      run: impl?.leases ?? none,
    });
  for (const [i, t] of plan.tokens.entries())
    steps.push({
      id: `revoke-token-${i + 1}`,
      title: `Revoke the token of ${t.identity} (accessor ${shortAccessor(t.accessor)}) and its children (auth/token/revoke-accessor)`,
      run: impl ? (ctx) => impl.revoke(t, ctx.facts) : none,
    });
  return steps;
}

interface StepImpl {
  check: ExecutorStep['run'];
  rotate: ExecutorStep['run'];
  leases: ExecutorStep['run'];
  revoke(token: TokenPlan, facts: StepFacts): Promise<StepFacts>;
}

interface StrategyDeps {
  /** The secret's name in the store. */
  name: string;
  radius: BlastRadius;
  readers: BlastRadius['tokens'];
  item: InventoryItem;
  strategyId: string;
  store: SecretStore;
  journal: RotationJournal;
  admin: VaultTokenAdmin | undefined;
  clock: Clock;
  progress: (line: string) => void;
  rotateLeaked: typeof import('@svm/rotation')['rotateLeaked'];
  dryRunTitles: string[];
}

/** The containment as an executor strategy: its gate fixes the plan in the journal, its steps are idempotent. */
function containStrategy(d: StrategyDeps): ExecutorStrategy {
  let resolutions: Map<string, { accessor: string | null; via: string; reason?: string }> | undefined;
  const resolve = async (all: TokenPlan[], admin: VaultTokenAdmin) => {
    if (!resolutions) {
      const rs = await admin.resolveAccessors(all.map((t) => t.accessor));
      resolutions = new Map(
        rs.map((r) => [
          r.logged,
          { accessor: r.accessor, via: r.via, ...(r.via === 'unresolved' ? { reason: r.reason } : {}) },
        ]),
      );
    }
    return resolutions;
  };
  const name = d.name;
  let selfAccessor: string | null | undefined;

  return {
    id: 'contain',
    async gate(ctx) {
      // A finished containment of the same leak: rotate no more, and only revoke tokens that read before it rotated.
      const history = ctx.history ?? [];
      const ended = new Set(history.filter((e) => e.kind === 'end').map((e) => e.runId));
      // The cutoff is when that containment began: later reads of the leaked version were its own (check, rotate).
      const began = history.find((e) => ended.has(e.runId) && e.kind === 'begin');
      const rotatedAt = [...history]
        .reverse()
        .find((e) => ended.has(e.runId) && e.kind === 'after' && e.step === 'rotate');
      const cutoff = rotatedAt
        ? ((began?.facts?.startedAt as string | undefined) ?? began?.at ?? rotatedAt.at)
        : undefined;
      const tokens = d.readers
        .filter((t) => cutoff === undefined || t.first < cutoff)
        .map((t) => ({ accessor: t.accessor, identity: t.identity }));
      const leases = d.readers.filter((t) => cutoff === undefined || t.first < cutoff).flatMap((t) => t.leases);
      return {
        facts: {
          tokens: JSON.stringify(tokens),
          leases: JSON.stringify(leases),
          startedAt: ctx.clock.now().toISOString(),
          repeat: cutoff !== undefined,
          ...(cutoff !== undefined ? { rotatedAt: cutoff } : {}),
        },
      };
    },
    steps(ctx) {
      const facts = (ctx as { facts?: StepFacts }).facts ?? {};
      const tokens = parseTokens(facts.tokens);
      const leases = parseList(facts.leases);
      const impl: StepImpl = {
        async check(c) {
          if (typeof c.facts.leakedVersion === 'string') return;
          try {
            const current = await c.store.get(name);
            return { leakedVersion: current.version };
          } catch (error) {
            if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND')
              throw new SvmError(
                'SECRET_NOT_FOUND',
                `no secret '${name}' in ${redactStoreUri(d.item.store ?? '')}: nothing was rotated or revoked; check the store URI (its mount) and the name`,
              );
            throw error;
          }
        },
        async rotate(c): Promise<StepFacts> {
          if (c.facts.repeat === true)
            return { rotation: 'already rotated by the earlier containment', rotatedAt: String(c.facts.rotatedAt) };
          d.progress(`rotating ${name} (${d.strategyId})…`);
          const r = await d
            .rotateLeaked(d.item, {
              store: d.store,
              journal: d.journal,
              clock: d.clock,
              since: new Date(String(c.facts.startedAt)),
              leakedVersion: String(c.facts.leakedVersion),
            })
            .catch((error: unknown) => {
              // A strategy that needs settings (dual-account's accounts, a hook) says which; point at where they go.
              if (isSvmError(error) && (error.code === 'INPUT_INVALID' || error.code === 'UNSUPPORTED'))
                throw new SvmError(
                  error.code,
                  `${error.message} (pass --inventory with this secret's item: its strategy and rotation settings)`,
                );
              throw error;
            });
          const last = r.runs[r.runs.length - 1];
          return {
            strategy: r.strategy,
            runs: r.runs.length,
            check: r.check,
            ...(last?.versions?.current ? { newVersion: last.versions.current } : {}),
            rotatedAt: d.clock.now().toISOString(),
          };
        },
        async leases(c) {
          const admin = requireAdmin(d.admin, 'revoke leases');
          // An HMAC'd lease id (an audit device hashing it) names no lease: revoking it would succeed and do nothing.
          const clear = leases.filter((l) => !l.startsWith('hmac-sha256:'));
          for (const lease of clear) await admin.revokeLease(lease);
          return {
            revokedLeases: clear.length,
            ...(clear.length < leases.length ? { hashedLeasesNotRevoked: leases.length - clear.length } : {}),
            at: c.clock.now().toISOString(),
          };
        },
        async revoke(t): Promise<StepFacts> {
          const admin = requireAdmin(d.admin, 'revoke tokens');
          const r = (await resolve(tokens, admin)).get(t.accessor);
          if (!r || r.accessor === null) {
            const reason = r?.reason ?? 'not resolved';
            // Resolution itself was refused: that is an error, not a token that is gone.
            if (/cannot resolve/.test(reason)) throw new SvmError('ACCESS_DENIED', reason);
            return { result: 'already-gone', resolution: 'unresolved', note: reason };
          }
          if (selfAccessor === undefined) selfAccessor = (await admin.selfAccessor()) ?? null;
          if (r.accessor === selfAccessor)
            return { result: 'own-token', resolution: r.via, note: 'the token svm acts with: not revoked' };
          const result = await admin.revokeAccessor(r.accessor);
          return { result, resolution: r.via };
        },
      };
      return containSteps({ name, tokens, leases, strategyId: d.strategyId, rotationTitles: d.dryRunTitles }, impl);
    },
  };
}

function requireAdmin(admin: VaultTokenAdmin | undefined, what: string): VaultTokenAdmin {
  if (!admin)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      `cannot ${what}: set VAULT_TOKEN (or BAO_TOKEN) to a token that may call auth/token/revoke-accessor, sys/leases/revoke, and, for HMAC'd accessors, auth/token/accessors (sudo), sys/audit (sudo) and sys/audit-hash; VAULT_ADDR too when the secret is not in Vault`,
    );
  return admin;
}

function parseTokens(value: unknown): TokenPlan[] {
  if (typeof value !== 'string') return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list)
      ? list.filter((t): t is TokenPlan => typeof t?.accessor === 'string' && typeof t?.identity === 'string')
      : [];
  } catch {
    return [];
  }
}

function parseList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Every fact the run recorded (begin + each step's after), merged in order. */
function collectFacts(entries: readonly JournalEntry[], runId: string): StepFacts {
  const facts: StepFacts = {};
  for (const e of entries) if (e.runId === runId && e.facts) Object.assign(facts, e.facts);
  return facts;
}

function shortAccessor(a: string): string {
  return a.startsWith('hmac-sha256:') ? `hmac-sha256:${a.slice(12, 20)}…` : a;
}

function describeFacts(facts: StepFacts | undefined): string {
  if (!facts) return '';
  const shown = ['result', 'check', 'newVersion', 'revokedLeases', 'rotation'].filter((k) => facts[k] !== undefined);
  return shown.length ? ` (${shown.map((k) => `${k} ${String(facts[k])}`).join(', ')})` : '';
}

interface FinishInput {
  options: ContainSecretOptions;
  radius: BlastRadius;
  incidentId: string;
  startedAt: Date;
  clock: Clock;
  strategy: string;
  run: RotationRun | undefined;
  steps: ContainmentAction[];
  tokens: TokenPlan[];
  journal: string | null;
  repeat: boolean;
  facts?: StepFacts | undefined;
}

async function finish(f: FinishInput): Promise<Containment> {
  const dryRun = f.run === undefined;
  const stepById = new Map(f.steps.map((s) => [s.id, s]));
  const tokens: Containment['tokens'] = f.tokens.map((t, i) => {
    const step = stepById.get(`revoke-token-${i + 1}`);
    const facts = step?.facts ?? {};
    const result: Containment['tokens'][number]['result'] = dryRun
      ? 'planned'
      : step?.status === 'done' || step?.status === 'skipped'
        ? facts.result === 'already-gone' || facts.result === 'own-token'
          ? facts.result
          : 'revoked'
        : step?.status === 'failed'
          ? 'failed'
          : 'not-reached';
    const resolution: Containment['tokens'][number]['resolution'] =
      facts.resolution === 'clear' || facts.resolution === 'audit-hash' || facts.resolution === 'unresolved'
        ? facts.resolution
        : t.accessor.startsWith('hmac-sha256:')
          ? 'pending'
          : 'clear';
    return { accessor: t.accessor, identity: t.identity, resolution, result };
  });

  const notDone: string[] = [];
  for (const s of f.steps) {
    if (dryRun || s.status === 'done' || s.status === 'skipped') continue;
    notDone.push(
      `${s.id}: ${s.status === 'failed' ? `failed — ${s.error?.message ?? 'error'}` : 'not done (an earlier step stopped the run)'}`,
    );
  }
  if (f.radius.accesses === 0) {
    notDone.push(
      f.radius.outsideWindow > 0
        ? `revoke readers: the audit logs show ${f.radius.outsideWindow} access(es) of ${f.radius.secret.name}, none since ${f.radius.window.since}; no token was revoked — check --since`
        : `revoke readers: the audit logs never mention ${f.radius.secret.matches.join(', ')}; no token was revoked — check that --audit names the right device's log and --secret the right mount and name`,
    );
  }
  const manual = manualSteps(f);
  const allDone = !dryRun && f.run?.outcome === 'rotated';
  const outcome: Containment['outcome'] = dryRun
    ? 'planned'
    : f.run?.outcome === 'interrupted'
      ? 'interrupted'
      : allDone && notDone.length === 0
        ? 'contained'
        : 'incomplete';
  const containedAtStep = allDone ? [...f.steps].reverse().find((s) => s.finishedAt)?.finishedAt : undefined;
  const containedAt = allDone ? (containedAtStep ?? f.clock.now().toISOString()) : null;

  const c: Containment = {
    incidentId: f.incidentId,
    secret: { store: redactStoreUri(f.options.store), name: f.options.name },
    severity: f.options.severity ?? f.options.plan?.severity ?? null,
    dryRun,
    outcome,
    startedAt: f.startedAt.toISOString(),
    containedAt,
    elapsedMs: containedAt ? Date.parse(containedAt) - f.startedAt.getTime() : null,
    resumed: f.run?.resumed ?? false,
    repeat: f.repeat,
    strategy: f.strategy,
    actions: f.steps.map((s) => ({ ...s })),
    tokens,
    notDone,
    manual,
    journal: f.journal,
    reports: null,
    blastRadius: f.radius,
  };
  if (!dryRun) {
    const dir = f.options.reportDir ?? f.options.cwd ?? process.cwd();
    const base = resolveDir(dir, f.options.cwd);
    const slug = `${f.options.name}-${f.options.since.toISOString()}`.replace(/[^A-Za-z0-9._-]+/g, '-');
    const markdown = join(base, `svm-incident-${slug}.md`);
    const html = join(base, `svm-incident-${slug}.html`);
    c.reports = { markdown, html };
    await mkdir(base, { recursive: true });
    await writeFile(markdown, renderPostMortemMarkdown(c, f.options.plan));
    await writeFile(html, renderPostMortemHtml(c, f.options.plan));
  }
  return c;
}

function resolveDir(dir: string, cwd: string | undefined): string {
  return isAbsolute(dir) ? dir : resolve(cwd ?? process.cwd(), dir);
}

function manualSteps(f: FinishInput): string[] {
  const out: string[] = [
    `Deploy the new value of ${f.options.name} to its consumers (restart or reload) and check their health`,
  ];
  const notify = f.options.plan?.notify ?? ['the security team', 'the owners of the affected services'];
  for (const who of notify) out.push(`Notify ${who}`);
  if (!f.options.plan) out.push('Notify compliance if regulated data (PCI, PHI, PII) is behind the credential');
  for (const t of f.radius.tokens) {
    if (t.source !== 'vault')
      out.push(
        `Disable the ${t.source} credential ${t.accessor} of ${t.identity} at its provider (svm revokes Vault / OpenBao tokens only)`,
      );
    else if (t.kinds.read === 0)
      out.push(
        `Review ${t.identity}: it saw only the metadata or the key list of the secret (its token was not revoked)`,
      );
  }
  for (const d of f.radius.denied)
    out.push(`Investigate ${d.identity}: ${d.count} denied attempt(s) on the secret in the window (last ${d.last})`);
  out.push('Find and close the channel the secret leaked through; write the root cause into this post-mortem');
  return out;
}

/**
 * The documented exit code of a containment: 0 contained or planned, 1 incomplete, 3 interrupted.
 *
 * @example
 * ```ts
 * containExitCode({ outcome: 'incomplete' }); // 1
 * ```
 */
export function containExitCode(result: { outcome: string }): number {
  return result.outcome === 'interrupted' ? 3 : result.outcome === 'incomplete' ? 1 : 0;
}
