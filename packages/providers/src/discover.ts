import type { InventoryItem } from '@svm/core';
import type { SecretStore } from './store.js';
export interface DiscoverOptions {}
export async function discoverInventory(_stores: SecretStore[], _o: DiscoverOptions = {}): Promise<InventoryItem[]> { return []; }
