import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Starts the server; the transport (`--node-ipc` from VS Code, `--stdio` from other editors) comes from the command line. */
export function runLanguageServer(): void {
  startServer(createConnection(ProposedFeatures.all));
}
