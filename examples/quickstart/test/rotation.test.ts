import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/rotation quick start as documented', () => {
  expect(runExample('rotation')).toBe(
    [
      '5 overdue, 8 due soon',
      'deploy-bot-ssh-key: due 2025-12-30, rotate on 2026-03-01 by ca-signed-certificate (sre-team)',
      'card-vault-dek: due 2026-01-13, rotate on 2026-03-01 by versioning-rewrap (payments-team)',
      'payments-webhook-secret: due 2026-01-30, rotate on 2026-03-01 by overlap-window (payments-team)',
      'api-gateway-tls: due 2026-02-09, rotate on 2026-03-01 by renew-before-expiry (platform-team)',
      'prod-db-password: due 2026-02-14, rotate on 2026-03-01 by dual-account (platform-team)',
      'BEGIN:VCALENDAR',
      '',
    ].join('\n'),
  );
});
