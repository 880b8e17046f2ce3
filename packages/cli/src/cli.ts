// Entry point of the `lanebench` bin (tsup adds the shebang).
import { main } from './program.js';

const code = await main(process.argv);
// flush both streams before exiting: a runner driven in-process may leave handles open
await new Promise<void>((r) => process.stdout.write('', () => r()));
await new Promise<void>((r) => process.stderr.write('', () => r()));
process.exit(code);
