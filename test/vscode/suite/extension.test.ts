// Runs inside the VS Code extension host, against the test workspace that
// test/vscode/prepare.ts lays out: the bundled corpus, examples/, notes/ and
// a second corpus, memo-corpus/. Everything goes through VS Code's own API, so
// what is asserted is what an editor user gets.
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { VerbatimApi } from '../../../client/src/extension';
import {
  codeOf,
  codesOf,
  diagnosticsWhere,
  fileIn,
  folder,
  hoverText,
  open,
  positionOf,
  rowsOf,
  until,
  verbatimDiagnostics,
  when,
  within,
  writeFile,
  type Row,
} from './helpers';

const KEYS = ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021'];

/** What Verbatim reports on notes/quotations.md: code, severity, 0-based range, and the words the range covers. */
const EXPECTED: Row[] = [
  ['quote-mismatch', 'warning', 8, 28, 8, 71, 'at most 50 kilometres away from the capital'],
  ['quote-wrong-source', 'error', 11, 48, 12, 16, 'an unnecessary distraction for\nMoscow right now'],
  ['quote-not-found', 'error', 14, 35, 14, 59, 'a purely internal matter'],
  ['locator-mismatch', 'warning', 17, 25, 17, 28, '¶ 3'],
  ['locator-invalid', 'error', 19, 46, 19, 50, '¶ 40'],
  ['unknown-source', 'error', 21, 51, 21, 63, '@suchkow2021'],
  ['quote-uncited', 'warning', 23, 26, 23, 78, 'all obligations and all dangers have been left to us'],
];

const quotations = (): vscode.Uri => fileIn('notes', 'quotations.md');

function extension(): vscode.Extension<VerbatimApi> {
  const found = vscode.extensions.getExtension<VerbatimApi>('verbatim.verbatim');
  assert.ok(found, 'the extension under test is loaded');
  return found;
}

async function api(): Promise<VerbatimApi> {
  return extension().activate();
}

/** Opens a note and waits for its first check (the note must draw at least one diagnostic). */
async function openChecked(uri: vscode.Uri): Promise<{ editor: vscode.TextEditor; diagnostics: vscode.Diagnostic[] }> {
  const editor = await open(uri);
  const diagnostics = await diagnosticsWhere(uri, 'the first check', (ds) => ds.length > 0);
  return { editor, diagnostics };
}

async function verbatimHover(uri: vscode.Uri, position: vscode.Position, mark: string): Promise<vscode.Hover> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  const hover = hovers.find((h) => hoverText(h).includes(mark));
  assert.ok(hover, `a hover mentioning ${mark}; got ${JSON.stringify(hovers.map(hoverText))}`);
  return hover;
}

function severityUpdate(value: Record<string, string> | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration('verbatim', folder()).update('severity', value, vscode.ConfigurationTarget.Workspace);
}

suite('Verbatim in VS Code', () => {
  test('activates on a markdown note; activate() returns the client and the first corpus status', async () => {
    const verbatim = extension();
    await open(quotations());
    // Opening the note is what activates it (onLanguage:markdown): nothing here calls activate().
    await until('the extension to activate', () => (verbatim.isActive ? true : undefined));
    const { client, ready } = verbatim.exports;
    assert.equal(client.isRunning(), true);
    const status = await within(ready, 'the first corpus status');
    assert.equal(status.folder, folder().fsPath);
    assert.equal(status.error, undefined);
    assert.equal(status.sources, 5);
    assert.equal(status.paragraphs, 87);
  });

  test('the fixture note gets exactly the expected diagnostics', async () => {
    const { editor, diagnostics } = await openChecked(quotations());
    assert.deepEqual(rowsOf(editor.document, diagnostics), EXPECTED);
    assert.match(diagnostics[0].message, /^Quotation differs from korybko2021 ¶ 6: source has "kilometers", not "kilometres"/);
    assert.ok(diagnostics.every((d) => d.source === 'verbatim'));
  });

  test('hover on a changed quotation: verdict, source passage with the matched words, word diff', async () => {
    const { editor } = await openChecked(quotations());
    const position = positionOf(editor.document, 'kilometres', 3);
    const hover = await verbatimHover(editor.document.uri, position, 'korybko2021');
    const text = hoverText(hover);
    assert.match(text, /^\*\*Changed\*\* — korybko2021 ¶ 6/);
    assert.match(text, /\*\*at most 50 kilometers away from the capital\*\*/);
    assert.match(text, /\*Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan\* — Andrew Korybko/);
    assert.match(text, /~~kilometres~~ → \*\*kilometers\*\*/);
    assert.ok(hover.range, 'the hover covers the quotation');
    assert.equal(editor.document.getText(hover.range), 'at most 50 kilometres away from the capital');
  });

  test('hover on a citation: the source’s metadata and the cited paragraph', async () => {
    const { editor } = await openChecked(quotations());
    const position = positionOf(editor.document, '@zochowski2021 [¶ 5]', 3);
    const text = hoverText(await verbatimHover(editor.document.uri, position, 'zochowski2021'));
    assert.match(text, /^\*\*zochowski2021\*\* — \*Russia and the Taliban’s takeover in Afghanistan\* — Piotr Żochowski/);
    assert.match(text, /¶ 5:/);
    assert.match(text, /> Russia, alongside Pakistan, China, Iran and others/);
  });

  test('completion after [@ offers the five keys', async () => {
    const uri = fileIn('notes', 'typing.md');
    await writeFile(uri, 'A claim [@\n');
    await open(uri);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(0, 10), '@');
    const keys = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Reference);
    const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
    assert.deepEqual(keys.map(label).sort(), KEYS);
    const korybko = keys.find((item) => label(item) === 'korybko2021');
    assert.match(String(korybko?.detail), /Andrew Korybko — Interpreting Russia’s Reaction/);
  });

  test('Go to Definition on a citation lands in the source file at the cited paragraph', async () => {
    const { editor } = await openChecked(quotations());
    const position = positionOf(editor.document, '@zochowski2021 [¶ 5]', 2);
    const source = fileIn('corpus', 'zochowski2021.txt');
    const targets = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
    const locations = targets.map((t) => ('targetUri' in t ? new vscode.Location(t.targetUri, t.targetRange) : t));
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri.toString(), source.toString());
    const paragraph = (await vscode.workspace.openTextDocument(source)).lineAt(locations[0].range.start.line).text;
    assert.match(paragraph, /^Russia, alongside Pakistan, China, Iran and others/);
    // And the editor command a user runs (F12) opens the source there.
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const landed = await when(
      'the source to open at the paragraph',
      [vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorSelection],
      () => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.toString() === source.toString() && active.selection.start.line === locations[0].range.start.line ? active : undefined;
      },
      () => `${vscode.window.activeTextEditor?.document.uri.toString()} line ${vscode.window.activeTextEditor?.selection.start.line}`,
    );
    assert.match(landed.document.lineAt(landed.selection.start.line).text, /^Russia, alongside Pakistan/);
  });

  test('a corpus source shows where the notes quote it: CodeLenses, highlighted spans, a hover and references that lead to the notes', async () => {
    const { quotedSpans } = await api();
    const source = fileIn('corpus', 'korybko2021.txt');
    const { document } = await open(source);
    // The notes are read in the background, open or not: examples/russia-and-the-taliban.md was never opened here.
    const spans = await until('the quoted spans to be highlighted', () => {
      const shown = quotedSpans(source.toString());
      return shown && shown.verbatim.length >= 4 ? shown : undefined;
    });
    const wise = 'it would be wise for the Kremlin to ask the Taliban to hold off on capturing the capital';
    assert.deepEqual([...new Set(spans.verbatim.map((r) => document.getText(r)))].sort(), ['all of this is not good, it’s wrong', wise]);
    assert.deepEqual([...new Set(spans.changed.map((r) => document.getText(r)))], ['at most 50 kilometers away from the capital']);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', source);
    // The words quoted from ¶ 10 open the article too (¶ 2): both places are quoted.
    const text = document.getText();
    const lastOf = (words: string): vscode.Position => document.positionAt(text.lastIndexOf(words));
    const paragraphOf = (words: string): number => positionOf(document, words).line;
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [paragraphOf(wise), 'quoted in 2 notes'],
        [paragraphOf('all of this is not good'), 'quoted in 1 note'],
        [paragraphOf('at most 50 kilometers'), 'quoted in 2 notes'],
        [lastOf(wise).line, 'quoted in 2 notes'],
      ],
    );

    // The hover on a quoted span names each quotation, with a link to its line in the note.
    const hover = await verbatimHover(source, lastOf(wise).translate(0, 10), 'Quoted in 2 notes');
    const links = [...hoverText(hover).matchAll(/\[([^\]]+)\]\(<([^>]+)>\) — ([^:]+):/g)].map((m) => [m[1], vscode.Uri.parse(m[2]).path, vscode.Uri.parse(m[2]).fragment, m[3]]);
    assert.deepEqual(links, [
      ['examples/russia\\-and\\-the\\-taliban\\.md, line 14', fileIn('examples', 'russia-and-the-taliban.md').path, 'L14,22', 'verbatim'],
      ['notes/quotations\\.md, line 3', fileIn('notes', 'quotations.md').path, 'L3,22', 'verbatim'],
    ]);

    // Find References on the paragraph: the quotations themselves, in the notes.
    const references = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', source, positionOf(document, 'at most 50 kilometers'));
    const quoted = await Promise.all(references.map(async (l) => [vscode.workspace.asRelativePath(l.uri), (await vscode.workspace.openTextDocument(l.uri)).getText(l.range)]));
    assert.deepEqual(quoted, [
      ['examples/russia-and-the-taliban.md', 'at most 50 kilometres away from the capital'],
      ['notes/quotations.md', 'at most 50 kilometres away from the capital'],
    ]);
  });

  suite('quick fixes, applied through executeCodeActionProvider and workspace.applyEdit', () => {
    const fixes = (): vscode.Uri => fileIn('notes', 'fixes.md');

    // Each diagnostic in turn on a copy of the fixture note: its preferred fix, or "Ignore" where there is no repair.
    const cases: [code: string, title: RegExp][] = [
      ['quote-mismatch', /^Restore the source's wording: "kilometers"$/],
      ['quote-wrong-source', /^Cite suchkov2021 ¶ 12 instead$/],
      ['quote-not-found', /^Ignore this quotation$/],
      ['locator-mismatch', /^Change the locator to ¶ 5$/],
      ['locator-invalid', /^Ignore this locator-invalid problem$/],
      ['unknown-source', /suchkov2021/],
      ['quote-uncited', /^Cite anon2021 ¶ 14/],
    ];

    for (const [code, title] of cases) {
      test(`${code}: the fix removes its diagnostic and changes only its span`, async () => {
        const uri = fixes();
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
          await writeFile(uri, (await vscode.workspace.openTextDocument(quotations())).getText());
        }
        const { editor } = await openChecked(uri);
        const document = editor.document;
        const before = verbatimDiagnostics(uri);
        const diagnostic = before.find((d) => codeOf(d) === code);
        assert.ok(diagnostic, `a ${code} diagnostic; have ${codesOf(before).join(', ')}`);
        const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        // The API does not hand back an action's diagnostics; the range holds only this one diagnostic.
        const ours = actions.filter((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined);
        const action = ours.find((a) => a.isPreferred) ?? ours.find((a) => a.title.startsWith('Ignore this'));
        assert.ok(action?.edit, `a fix for ${code}; offered: ${actions.map((a) => a.title).join(' | ')}`);
        assert.match(action.title, title);
        const entries = action.edit.entries();
        assert.equal(entries.length, 1);
        const [target, edits] = entries[0];
        assert.equal(target.toString(), uri.toString());
        assert.equal(edits.length, 1);
        const [edit] = edits;
        const text = document.getText();
        const expected = text.slice(0, document.offsetAt(edit.range.start)) + edit.newText + text.slice(document.offsetAt(edit.range.end));
        assert.equal(await vscode.workspace.applyEdit(action.edit), true);
        assert.equal(document.getText(), expected, 'only the edit’s span changed');
        const after = await diagnosticsWhere(uri, `the ${code} diagnostic to go`, (ds) => ds.length === before.length - 1);
        assert.deepEqual(codesOf(after), codesOf(before).filter((c) => c !== code));
      });
    }

    test('after every fix the note is clean', async () => {
      const document = await vscode.workspace.openTextDocument(fixes());
      assert.deepEqual(verbatimDiagnostics(document.uri), []);
      assert.match(document.getText(), /"at most 50 kilometers away from the capital"/);
      assert.match(document.getText(), /<!-- verbatim-disable-next-line quote-not-found -->/);
      assert.equal(await document.save(), true);
    });
  });

  test('editing and saving a source in the corpus re-checks the open note', async () => {
    const note = fileIn('notes', 'watch.md');
    await writeFile(note, 'Gul: "the base was handed over to the ANDSF" [@gul2021].\n\nThis key is not in the corpus [@nosuch2021].\n');
    const { diagnostics } = await openChecked(note);
    assert.deepEqual(codesOf(diagnostics), ['unknown-source']);
    const source = await vscode.workspace.openTextDocument(fileIn('corpus', 'gul2021.txt'));
    const replace = async (from: string, to: string): Promise<void> => {
      const edit = new vscode.WorkspaceEdit();
      const start = positionOf(source, from);
      edit.replace(source.uri, new vscode.Range(start, start.translate(0, from.length)), to);
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      assert.equal(await source.save(), true);
    };
    await replace('handed over to the ANDSF', 'handed over to the Afghan forces');
    const changed = await diagnosticsWhere(note, 'the note to be re-checked against the edited source', (ds) => ds.length === 2);
    assert.deepEqual(codesOf(changed), ['quote-mismatch', 'unknown-source']);
    assert.match(changed[0].message, /gul2021/);
    await replace('handed over to the Afghan forces', 'handed over to the ANDSF');
    await diagnosticsWhere(note, 'the note to be re-checked against the restored source', (ds) => ds.length === 1);
  });

  test('verbatim.severity changes a code’s severity, and "off" hides it', async () => {
    const { editor } = await openChecked(quotations());
    const uri = editor.document.uri;
    await severityUpdate({ 'quote-mismatch': 'error', 'quote-wrong-source': 'off' });
    const changed = await diagnosticsWhere(uri, 'the new severities', (ds) => ds.length === EXPECTED.length - 1);
    const expected = EXPECTED.filter((row) => row[0] !== 'quote-wrong-source').map(
      (row): Row => (row[0] === 'quote-mismatch' ? [row[0], 'error', row[2], row[3], row[4], row[5], row[6]] : row),
    );
    assert.deepEqual(rowsOf(editor.document, changed), expected);
    await severityUpdate(undefined);
    const restored = await diagnosticsWhere(uri, 'the default severities', (ds) => ds.length === EXPECTED.length);
    assert.deepEqual(rowsOf(editor.document, restored), EXPECTED);
  });

  test('verbatim.corpus points the note at another corpus', async () => {
    const memo = fileIn('notes', 'memo.md');
    const { diagnostics } = await openChecked(memo);
    assert.deepEqual(codesOf(diagnostics), ['unknown-source']);
    assert.match(diagnostics[0].message, /Unknown source "memo"/);
    const setting = vscode.workspace.getConfiguration('verbatim', folder());
    await setting.update('corpus', 'memo-corpus', vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhere(memo, 'the memo to be found in memo-corpus', (ds) => ds.length === 0);
    await diagnosticsWhere(quotations(), 'korybko2021 to be unknown there', (ds) => ds.some((d) => d.message.startsWith('Unknown source "korybko2021"')));
    await setting.update('corpus', undefined, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhere(memo, 'the bundled corpus again', (ds) => codesOf(ds).join() === 'unknown-source');
    await diagnosticsWhere(quotations(), 'the fixture’s diagnostics again', (ds) => ds.length === EXPECTED.length);
  });

  test('a PDF corpus: the hover names the page, a page locator is fixed, Go to Definition opens the extracted text', async () => {
    const note = fileIn('notes', 'documents.md');
    const setting = vscode.workspace.getConfiguration('verbatim', folder());
    await setting.update('corpus', 'documents-corpus', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await open(note);
      const document = editor.document;
      // The PDF is read after the corpus loads; until then its citations are neither unknown nor judged.
      const [mismatch] = await diagnosticsWhere(note, 'the PDF to be read and the page checked', (ds) => codesOf(ds).join() === 'locator-mismatch');
      assert.equal(mismatch.message, 'Quotation is on zochowski2021 p. 17, not p. 19');
      const hover = await verbatimHover(note, positionOf(document, 'alongside Pakistan', 3), 'zochowski2021');
      assert.match(hoverText(hover), /^\*\*Verbatim\*\* — zochowski2021 ¶ 5 \\\(p\\\. 17\\\)/u);

      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', note, mismatch.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && a.isPreferred === true);
      assert.ok(fix?.edit, `a preferred fix; offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.title, 'Change the locator to p. 17');
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.match(document.lineAt(2).text, /\[@zochowski2021, p\. 17\]\.$/u);
      await diagnosticsWhere(note, 'the locator-mismatch to go', (ds) => ds.length === 0);

      // A verified quotation leads to its exact words in the extracted text.
      const quoted = positionOf(document, 'alongside Pakistan', 3);
      const targets = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', note, quoted);
      const target = targets.map((t) => ('targetUri' in t ? new vscode.Location(t.targetUri, t.targetRange) : t))[0];
      assert.equal(target.uri.scheme, 'verbatim-source');
      assert.equal(target.uri.fsPath, fileIn('documents-corpus', 'zochowski2021.pdf').fsPath);
      const extracted = await vscode.workspace.openTextDocument(target.uri);
      assert.match(extracted.lineAt(target.range.start.line).text, /^Russia, alongside Pakistan, China, Iran and others/u);
    } finally {
      await setting.update('corpus', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Verbatim: Restart Server starts a new server that checks the open notes again', async () => {
    const { client } = await api();
    const uri = quotations();
    await open(uri);
    let cleared = false;
    // Stopping the old server clears its diagnostics; the new one publishes them again.
    const republished = when(
      'the diagnostics to be cleared and published again',
      [vscode.languages.onDidChangeDiagnostics],
      () => {
        const diagnostics = verbatimDiagnostics(uri);
        if (diagnostics.length === 0) cleared = true;
        return cleared && diagnostics.length === EXPECTED.length ? diagnostics : undefined;
      },
      () => `cleared: ${cleared}, now ${verbatimDiagnostics(uri).length}`,
    );
    const previous = client.initializeResult;
    await vscode.commands.executeCommand('verbatim.restartServer');
    const diagnostics = await republished;
    assert.equal(client.isRunning(), true);
    assert.notEqual(client.initializeResult, previous, 'a new server was initialized');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.deepEqual(rowsOf(document, diagnostics), EXPECTED);
    await verbatimHover(uri, positionOf(document, 'kilometres', 3), 'korybko2021');
  });
});
