// Programmatic entry: run the CLI with an argv and get its exit code.
export { main, buildProgram } from './program.js';
export { EXIT_OK, EXIT_FAILURE, EXIT_USAGE, UsageError } from './lib/errors.js';
