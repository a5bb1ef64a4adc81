// The `svm` executable. `--version` answers before anything else loads.
import { VERSION } from './version.js';

const argv = process.argv.slice(2);

// `svm … | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  process.on('SIGINT', () => {
    process.stderr.write('\nsvm: interrupted\n');
    process.exit(130);
  });
  void Promise.all([import('./main.js'), import('./internal/io.js')]).then(async ([{ run }, { processIo }]) => {
    process.exitCode = await run(argv, processIo());
  });
}
