import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Log, Region } from 'sarif';
import { applyEdit, cliRunner, root } from '../helpers.js';
import { CODES } from '../../server/src/engine/codes.js';

const corpus = join(root, 'corpus');

const run = cliRunner('sarif');

interface JsonReport {
  files: { path: string; diagnostics: { code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; data?: { fix?: { newText: string }; alternatives?: { newText: string }[] } }[] }[];
}

/** The SARIF 2.1.0 schema as Microsoft's SARIF Multitool ships it (see test/fixtures/sarif/SOURCE.txt). */
function sarifValidator() {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  return ajv.compile<Log>(schema);
}

/** A SARIF region back as an LSP range (1-based lines and columns, `endColumn` one past the end). */
const lspRange = (r: Region) => ({
  start: { line: (r.startLine ?? 1) - 1, character: (r.startColumn ?? 1) - 1 },
  end: { line: (r.endLine ?? r.startLine ?? 1) - 1, character: (r.endColumn ?? 1) - 1 },
});

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

describe('--format sarif', () => {
  test('the examples give a log valid against the SARIF 2.1.0 schema; exit status as for text', () => {
    const { status, stdout } = run(['check', '--corpus', 'corpus', '--format', 'sarif', 'examples']);
    assert.equal(status, 1);
    const validate = sarifValidator();
    const log = JSON.parse(stdout) as Log;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    // The schema is strict enough to refuse a level SARIF does not have.
    const broken = structuredClone(log);
    Object.assign(broken.runs[0].results?.[0] ?? {}, { level: 'information' });
    assert.equal(validate(broken), false);
  });

  test('one rule per code with its help; results name their rule, level and region as the JSON output does', () => {
    const log = JSON.parse(run(['check', '--corpus', 'corpus', '--format', 'sarif', 'examples']).stdout) as Log;
    const json = JSON.parse(run(['check', '--corpus', 'corpus', '--format', 'json', 'examples']).stdout) as JsonReport;
    const [sarifRun] = log.runs;
    const rules = sarifRun.tool.driver.rules ?? [];
    assert.deepEqual(rules.map((r) => r.id), Object.keys(CODES));
    for (const rule of rules) {
      assert.ok((rule.help?.text.length ?? 0) > 40, `${rule.id} has help text`);
      assert.ok(rule.shortDescription?.text);
    }
    assert.equal(rules.find((r) => r.id === 'quote-wrong-source')?.defaultConfiguration?.level, 'error');
    assert.equal(rules.find((r) => r.id === 'claim-uncited')?.defaultConfiguration?.level, 'note');

    const expected = json.files.flatMap((f) => f.diagnostics.map((d) => ({ path: f.path, code: d.code, range: d.range })));
    const results = sarifRun.results ?? [];
    assert.equal(results.length, expected.length);
    results.forEach((result, i) => {
      assert.equal(result.ruleId, expected[i].code);
      assert.equal(rules[result.ruleIndex ?? -1].id, result.ruleId);
      const location = result.locations?.[0].physicalLocation;
      assert.deepEqual(location?.artifactLocation, { uri: 'examples/russia-and-the-taliban.md', uriBaseId: 'SRCROOT' });
      assert.deepEqual(lspRange(location?.region ?? {}), expected[i].range);
    });
    assert.equal(sarifRun.originalUriBaseIds?.SRCROOT.uri, pathToFileURL(`${root}/`).href);
    assert.deepEqual(
      results.filter((r) => r.ruleId === 'quote-wrong-source').map((r) => r.level),
      ['error', 'error'],
    );
  });

  test('each quick fix is a SARIF fix: applied to the note, it gives the repair the editor applies', () => {
    const note = join(root, 'examples', 'russia-and-the-taliban.md');
    const text = readFileSync(note, 'utf8');
    const log = JSON.parse(run(['check', '--corpus', 'corpus', '--format', 'sarif', 'examples']).stdout) as Log;
    const json = JSON.parse(run(['check', '--corpus', 'corpus', '--format', 'json', 'examples']).stdout) as JsonReport;
    const results = log.runs[0].results ?? [];
    const withFixes = results.filter((r) => (r.fixes ?? []).length > 0);
    assert.ok(withFixes.length >= 5, `fixes on ${withFixes.length} results`);
    const mismatch = results.find((r) => r.ruleId === 'quote-mismatch' && r.message.text?.includes('kilometers'));
    const [fix] = mismatch?.fixes ?? [];
    assert.match(fix.description?.text ?? '', /^Restore the source's wording/u);
    const [change] = fix.artifactChanges;
    assert.equal(change.artifactLocation.uri, 'examples/russia-and-the-taliban.md');
    const [replacement] = change.replacements;
    const fixed = applyEdit(text, lspRange(replacement.deletedRegion), replacement.insertedContent?.text ?? '');
    assert.match(fixed, /at most 50 kilometers away from the capital/u);
    // Result by result, the JSON output's repair and then its alternatives, as the editor's code actions list them.
    const jsonEdits = json.files[0].diagnostics.map((d) => [...(d.data?.fix ? [d.data.fix.newText] : []), ...(d.data?.alternatives ?? []).map((e) => e.newText)]);
    const sarifEdits = results.map((r) => (r.fixes ?? []).map((f) => f.artifactChanges[0].replacements[0].insertedContent?.text));
    assert.deepEqual(sarifEdits, jsonEdits);
    // An unknown key's alternatives are fixes too, the closest first.
    const unknown = results.find((r) => r.ruleId === 'unknown-source');
    assert.equal(unknown?.fixes?.[0].artifactChanges[0].replacements[0].insertedContent?.text, 'suchkov2021');
  });

  test('a note named by an absolute path is a file URI; a clean note gives a valid log with no results', () => {
    const work = mkdtempSync(join(tmpdir(), 'verbatim-sarif-'));
    const note = join(work, 'clean note.md');
    writeFileSync(note, 'Korybko: "We will get around Kabul like an anaconda." [@korybko2021]\n\nMoscow "has limited confidence in them" [@suchkov2021].\n');
    const { status, stdout } = run(['check', '--corpus', corpus, '--format', 'sarif', note]);
    assert.equal(status, 1);
    const log = JSON.parse(stdout) as Log;
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const uri = log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation?.uri ?? '';
    assert.equal(fileURLToPath(uri), note);

    writeFileSync(note, 'Korybko: "We will get around Kabul like an anaconda." [@korybko2021]\n');
    const clean = run(['check', '--corpus', corpus, '--format', 'sarif', note]);
    assert.equal(clean.status, 0);
    const cleanLog = JSON.parse(clean.stdout) as Log;
    assert.ok(validate(cleanLog));
    assert.deepEqual(cleanLog.runs[0].results, []);
  });
});
