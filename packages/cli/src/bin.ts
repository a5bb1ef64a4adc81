// The `svm` executable. `--version` answers before anything else loads.
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
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
