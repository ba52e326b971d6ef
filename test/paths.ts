import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bundled for the benchmark (CommonJS in out/), `__dirname` is there; under the test runner, import.meta is.
const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');
