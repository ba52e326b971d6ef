import { join } from 'node:path';
import { launchLanguageServer } from './launch.js';

// `dist/server.js`, what editors start: the server's bundle beside it, run with V8's code cache.
launchLanguageServer(join(__dirname, 'language-server.js'));
