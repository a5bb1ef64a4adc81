// The @svm/policy README quick start (engine): decide requests offline, exactly as Vault/OpenBao would.
import { capabilities, compilePolicies, evaluate, explain, loadPolicies, parsePolicy } from '@svm/policy';

const policies = await loadPolicies(['data/policies/payments-api.hcl']);
const acl = compilePolicies(policies, { flavor: 'vault' });

const ok = evaluate(acl, { path: 'secret/data/payments/prod/config', operation: 'read' });
console.log(ok.allowed, ok.decidedBy?.pattern, ok.decidedBy?.capabilities); // true secret/data/payments/+/config [ 'read' ]

const hsm = evaluate(acl, { path: 'secret/data/payments/signing/hsm-key', operation: 'read' });
console.log(hsm.allowed, hsm.reason); // false explicit-deny

// What `vault token capabilities` would print for this token, without a server:
console.log(capabilities(acl, 'secret/metadata/payments/prod/')); // [ 'list' ]

// The classic surprise: the longer prefix wins alone; its neighbour's capabilities are not added.
const demo = compilePolicies([
  parsePolicy('path "secret/*" { capabilities = ["read"] }\npath "secret/app/*" { capabilities = ["list"] }', {
    name: 'demo',
  }),
]);
for (const c of explain(demo, { path: 'secret/app/db', operation: 'read' }).explanation.candidates) {
  console.log(`${c.outcome} ${c.pattern}: ${c.why}`);
}
