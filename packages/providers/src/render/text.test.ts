import { describe, expect, it } from 'vitest';
import {
  renderCopyEntries,
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
