// The @svm/core README quick start.
import { Inventory, inventoryItems, isSvmError, loadDocument } from '@svm/core';

const text = 'secrets:\n  - name: prod-db\n    type: database\n    last_rotated: 2026-13-01\n';
try {
  loadDocument(text, { file: 'inventory.yaml' }, Inventory);
} catch (error) {
  if (isSvmError(error)) console.log(error.toString());
  // inventory.yaml:4: secrets[0].last_rotated: expected YYYY-MM-DD, got '2026-13-01'
}
const ok = loadDocument(text.replace('13', '12'), { file: 'inventory.yaml' }, Inventory);
console.log(inventoryItems(ok).length); // 1
