import { describe, expect, it } from 'vitest';
import {
  renderCopyEntries,
  renderFileStoreSelfTest,
  renderInventoryTable,
  renderSecretList,
  renderSecretMetadata,
  renderSecretVersions,
  renderStoreDiff,
} from './text.js';

const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;

describe('secret text renderers', () => {
  it('metadata hides the value and marks it dim', () => {
    const text = renderSecretMetadata(
      { name: 'app/db', version: '3', stages: ['current'], createdAt: null },
      { dim: tag('dim') },
    );
    expect(text).toBe(
      'name     app/db\nversion  3\nstages   current\ncreated  -\nvalue    <dim>(hidden; --reveal prints it)</dim>',
    );
  });

  it('lists, versions, copy and inventory tables', () => {
    expect(renderSecretList([], { dim: tag('dim') })).toBe('<dim>no secrets</dim>');
    expect(renderSecretList([{ name: 'a', updatedAt: '2026-01-01' }])).toBe('NAME  UPDATED\na     2026-01-01');
    expect(renderSecretVersions([{ version: '2', stages: [], state: 'enabled' }])).toBe(
      'VERSION  STAGES  STATE    CREATED\n2        -       enabled  -',
    );
    expect(renderCopyEntries([])).toBe('nothing to copy');
    expect(renderCopyEntries([{ name: 'a', action: 'failed', versions: 0, error: 'X: y' }])).toBe(
      'NAME  ACTION        VERSIONS\na     failed: X: y  0',
    );
    expect(renderInventoryTable([])).toBe('no secrets found');
    expect(renderInventoryTable([{ name: 'db', store: 'file:///s', interval: '30d' }])).toBe(
      'NAME  STORE      TYPE  LAST ROTATED  EXPIRES  INTERVAL\ndb    file:///s  -     -             -        30d',
    );
  });

  it('store diff colours what differs and counts it', () => {
    expect(renderStoreDiff([])).toBe('no secrets on either side');
    expect(
      renderStoreDiff(
        [
          { name: 'a', status: 'same' },
          { name: 'b', status: 'only-in-b' },
        ],
        { yellow: tag('y') },
      ),
    ).toBe('NAME  STATUS\na     same\nb     <y>only-in-b</y>\n\n1 of 2 differ');
  });
});

describe('renderFileStoreSelfTest', () => {
  const t = {
    written: ['1', '2'] as [string, string],
    current: '2',
    previous: '1',
    verified: true,
    versions: [
      { version: '2', stages: ['current'] },
      { version: '1', stages: ['previous'] },
    ],
    refused: true,
    ok: true,
  };

  it('says what the self-test found in five lines, naming the store and never a value', () => {
    expect(renderFileStoreSelfTest(t, '/tmp/x.svm')).toEqual([
      'created an AES-256-GCM file store (scrypt passphrase, mode 0600): /tmp/x.svm',
      'put demo/db-password twice: versions 1 and 2',
      'read back current (v2) and previous (v1): values match (not printed)',
      'versions: 2 [current], 1 [previous]',
      'wrong passphrase: refused (DECRYPT_FAILED, exit 2 in the CLI)',
    ]);
  });

  it('shouts what failed', () => {
    const lines = renderFileStoreSelfTest(
      { ...t, verified: false, refused: false, versions: [{ version: '1', stages: [] }] },
      'p',
    );
    expect(lines[2]).toContain('VALUES DIFFER');
    expect(lines[3]).toBe('versions: 1 [-]');
    expect(lines[4]).toBe('wrong passphrase: NOT REFUSED');
  });
});
