// A rotation in its own process, for the crash-safety test: it prints one line per journal entry so the parent
// can SIGKILL it at a chosen step. Arguments: <store-uri> <key-file> <journal-file> <item-json>.
import { writeSync } from 'node:fs';
import { openStore } from '@svm/providers';
import { openFileJournal, rotate } from '../src/index.js';

async function main(): Promise<void> {
  const [storeUri, keyFile, journalPath, itemJson] = process.argv.slice(2);
  const store = await openStore(storeUri!, { file: { keyFile: keyFile!, lockStaleMs: 2000 } });
  const journal = await openFileJournal(journalPath!);
  writeSync(1, 'ready\n');
  const run = await rotate(JSON.parse(itemJson!), {
    store,
    journal,
    onEntry: (e) => writeSync(1, `${e.kind} ${e.step ?? ''}\n`),
  });
  writeSync(1, `outcome ${run?.outcome}\n`);
  await store.close();
}

void main();
