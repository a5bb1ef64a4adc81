// The store interface
export type {
  GetManyResult,
  PutOptions,
  PutResult,
  SecretListEntry,
  SecretSelector,
  SecretStore,
  SecretValue,
  StoreCapabilities,
} from './store.js';

// Opening stores by URI
export { openStore } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export { discoverInventoryAt, openStoreAt, withStore, withStorePair } from './open-at.js';
export type { OpenStoreAtOptions } from './open-at.js';
export { readSecretRef } from './secret-ref.js';

// Adapter options and capabilities (the adapters themselves load lazily through openStore)
export type { FileStoreOptions } from './adapters/file.js';
export type { VaultAuth, VaultStoreOptions } from './adapters/vault.js';
export type { AwsStoreOptions } from './adapters/aws.js';
export type { GcpStoreOptions } from './adapters/gcp.js';
export type { AzureStoreOptions } from './adapters/azure.js';

// Store to store
export { copySecrets } from './copy.js';
export type { CopyEntry, CopySecretsOptions } from './copy.js';
export { diffStores } from './diff.js';
export type { StoreDiffEntry, StoreDiffStatus } from './diff.js';

// Secret operations on stores named by URI, returning the documents `svm secret` prints
export {
  copySecretsAt,
  diffStoresAt,
  getSecretAt,
  listSecretsAt,
  putSecretAt,
  removeSecretAt,
  secretVersionsAt,
  setSecretStageAt,
} from './secrets-at.js';
export type {
  PutSecretDocument,
  SecretCopyDocument,
  SecretListDocument,
  SecretMetadataDocument,
  SecretRemovedDocument,
  SecretStageDocument,
  SecretVersionsDocument,
  StoreDiffDocument,
  StorePairOptions,
} from './secrets-at.js';

// Checking the encrypted file store works here
export { selfTestFileStore } from './file-store/self-test.js';
export type { FileStoreSelfTest } from './file-store/self-test.js';

// Text renderers (what `svm secret` and `svm inventory discover` print)
export {
  renderCopyEntries,
  renderFileStoreSelfTest,
  renderInventoryTable,
  renderSecretList,
  renderSecretMetadata,
  renderSecretVersions,
  renderStoreDiff,
} from './render/text.js';
export type { SecretMetadataView } from './render/text.js';

// Cache and retry
export { withCache } from './cache.js';
export type { CacheOptions, CachedSecretStore } from './cache.js';
export { DEFAULT_RETRY, backoffDelay, withRetry } from './retry.js';
export type { RetryOptions } from './retry.js';

// Inventory discovery
export { discoverInventory, itemFrom } from './discover.js';
export type { DiscoverOptions, DiscoverResult } from './discover.js';

// Vault / OpenBao token and lease administration (leak containment)
export { VaultTokenAdmin, vaultTokenAdmin } from './vault-tokens.js';
export type { AccessorResolution, RevokeResult, VaultTokenAdminOptions } from './vault-tokens.js';
