import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { root } from './helpers.js';

type Grammar = NonNullable<Awaited<ReturnType<vsctm.Registry['loadGrammar']>>>;
let grammar: Grammar;

before(async () => {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scopeName: string) => {
      if (scopeName !== 'text.pandoc-citation.injection') return Promise.resolve(null);
      const path = join(root, 'syntaxes', 'pandoc-citation.tmLanguage.json');
      return Promise.resolve(vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path));
    },
  });
  const loaded = await registry.loadGrammar('text.pandoc-citation.injection');
  assert.ok(loaded);
  grammar = loaded;
});

/** The innermost scope of each token on a line, as `text: scope` (tokens without a citation scope are left out). */
function scopes(line: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
  return tokens
    .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1] }))
    .filter((t) => t.scope !== 'text.pandoc-citation.injection')
    .map((t) => `${t.text}: ${t.scope}`);
}

test('a bracketed citation: brackets, key, locator label and numbers', () => {
  assert.deepEqual(scopes('As shown [@korybko2021, ¶ 4].'), [
    '[: punctuation.definition.citation.begin.pandoc',
    '@: punctuation.definition.citation-key.pandoc',
    'korybko2021: entity.name.tag.citation-key.pandoc',
    ',: punctuation.separator.locator.pandoc',
    ' : meta.citation.bracketed.pandoc',
    '¶: keyword.other.locator-label.pandoc',
    ' : meta.locator.pandoc',
    '4: constant.numeric.locator.pandoc',
    ']: punctuation.definition.citation.end.pandoc',
  ]);
});

test('prefix, suffix, several keys, suppressed author, paragraph ranges', () => {
  const tokens = scopes('[see @a, paras. 5–6, for context; -@b.c, ¶¶ 2-3]');
  assert.ok(tokens.includes('see : string.unquoted.citation-affix.pandoc'), tokens.join('\n'));
  assert.ok(tokens.includes('paras.: keyword.other.locator-label.pandoc'));
  assert.ok(tokens.includes('5–6: constant.numeric.locator.pandoc'));
  assert.ok(tokens.includes('for context: string.unquoted.citation-affix.pandoc'));
  assert.ok(tokens.includes(';: punctuation.separator.citation.pandoc'));
  assert.ok(tokens.includes('-: keyword.operator.suppress-author.pandoc'));
  assert.ok(tokens.includes('b.c: entity.name.tag.citation-key.pandoc'));
  assert.ok(tokens.includes('2-3: constant.numeric.locator.pandoc'));
});

test('a narrative citation; a trailing full stop is not part of the key', () => {
  assert.deepEqual(scopes('As @zochowski2021 notes.'), ['@: punctuation.definition.citation-key.pandoc', 'zochowski2021: entity.name.tag.citation-key.pandoc']);
  assert.deepEqual(scopes('See @gul2021.'), ['@: punctuation.definition.citation-key.pandoc', 'gul2021: entity.name.tag.citation-key.pandoc']);
});

test('an email address and a plain bracket are not citations', () => {
  assert.deepEqual(scopes('Write to user@example.com [or not].'), []);
  assert.deepEqual(scopes('An escaped \\@key is literal.'), []);
});

test('keys as Pandoc reads them: no citation right after a full stop, one after an ellipsis or an underscore; URL keys in braces', () => {
  assert.deepEqual(scopes('As in e.g.@a and x.@b.'), []);
  assert.deepEqual(scopes('A pause...@gul2021 and snake_@korybko2021'), [
    '@: punctuation.definition.citation-key.pandoc',
    'gul2021: entity.name.tag.citation-key.pandoc',
    '@: punctuation.definition.citation-key.pandoc',
    'korybko2021: entity.name.tag.citation-key.pandoc',
  ]);
  assert.ok(scopes('[@{https://example.org/a}, ¶ 2]').includes('https://example.org/a: entity.name.tag.citation-key.pandoc'));
  assert.ok(!scopes('[@{a b}]').some((t) => t.endsWith('citation-key.pandoc') && t.startsWith('a b')));
});
