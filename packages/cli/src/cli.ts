// Entry point of the `lanebench` bin (tsup adds the shebang).
import { tolerateClosedOutput, writable } from './lib/output.js';
import { main } from './program.js';

tolerateClosedOutput();
const code = await main(process.argv);
// flush both streams before exiting: a runner driven in-process may leave handles open
for (const stream of [process.stdout, process.stderr]) {
  if (writable(stream)) await new Promise<void>((r) => stream.write('', () => r()));
}
process.exit(code);
