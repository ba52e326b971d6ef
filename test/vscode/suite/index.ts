// The entry VS Code calls in the extension host (`extensionTestsPath`): runs
// every compiled *.test.js beside it with mocha. The same file serves both
// launchers (@vscode/test-electron and code-server).
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // One formatted line per call: VS Code forwards the host's console to the launcher argument by argument.
  // Where the launcher asks for it (code-server), the report also goes to a file it prints.
  const report = process.env.VERBATIM_TEST_REPORT;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]): void => {
    const line = format(...args);
    console.log(line);
    if (report) appendFileSync(report, `${line}\n`);
  };
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    // A bound for each test, as a failure guard: every wait inside has its own, shorter one.
    timeout: 60_000,
    grep: process.env.VERBATIM_TEST_GREP,
  });
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, name));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} editor test${failures === 1 ? '' : 's'} failed`);
}
