import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import type { Diagnostic } from '../../../server/src/engine/diagnostics.js';
import { applyEdit, check, fixturesDir, root } from '../../helpers.js';
import lexicalClasses from '../../../server/src/engine/claims/lexical-classes.json';

/**
 * `quote-misattributed` against the bundled corpus (the five seed articles): the note says who spoke words
 * that are the source's, and the source gives them to someone else — in its reporting clause, or by a speaker
 * named just before the words. The diagnostic stands on the note's name and its repair puts the source's
 * speaker in its place.
 */

/** The note's own text at a diagnostic's range. */
function textAt(note: string, d: Diagnostic): string {
  const lines = note.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).join('\n').length + (p.line > 0 ? 1 : 0) + p.character;
  return note.slice(offset(d.range.start), offset(d.range.end));
}

function misattributions(note: string, corpus?: Corpus): Diagnostic[] {
  return check(note, corpus).filter((d) => d.code === 'quote-misattributed');
}

/** Asserts the one diagnostic of a note: quote-misattributed, its message, the name it stands on, and a fix that leaves nothing to report. */
function expectMisattributed(note: string, message: string, on: string, replacement: string | undefined, corpus?: Corpus): void {
  const diagnostics = check(note, corpus);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.message]),
    [['quote-misattributed', message]],
  );
  const [d] = diagnostics;
  assert.equal(d.severity, 'warning');
  assert.equal(textAt(note, d), on);
  const fix = d.data?.fix;
  if (replacement === undefined) {
    assert.equal(fix, undefined, 'a name inside a citation is not replaced');
    return;
  }
  assert.ok(fix, 'a repair');
  assert.equal(fix.newText, replacement);
  assert.equal(fix.title, `Replace "${on}" with "${replacement}"`);
  assert.deepEqual(check(applyEdit(note, fix.range, fix.newText), corpus), []);
}

function expectQuiet(note: string, corpus?: Corpus): void {
  assert.deepEqual(
    check(note, corpus).map((d) => [d.code, d.message]),
    [],
  );
}

describe('the note names its speaker, the source another (each form of the note)', () => {
  test('`Kabulov said "…"`: korybko2021 ¶ 5 gives the words to Lavrov ("Lavrov also lamented that “…”")', () => {
    expectMisattributed(
      'Kabulov said that "all of this is not good, it’s wrong" [@korybko2021, ¶ 5].\n',
      'The source gives these words to Lavrov, not Kabulov (korybko2021 ¶ 5)',
      'Kabulov',
      'Lavrov',
    );
  });

  test('`"…," Kabulov warned`: the reporting clause after the quotation', () => {
    expectMisattributed(
      '"All of this is not good, it’s wrong," Kabulov warned [@korybko2021, ¶ 5].\n',
      'The source gives these words to Lavrov, not Kabulov (korybko2021 ¶ 5)',
      'Kabulov',
      'Lavrov',
    );
  });

  test('`according to Zakharova, "…"`', () => {
    expectMisattributed(
      'According to Zakharova, "all of this is not good, it’s wrong" [@korybko2021, ¶ 5].\n',
      'The source gives these words to Lavrov, not Zakharova (korybko2021 ¶ 5)',
      'Zakharova',
      'Lavrov',
    );
  });

  test('`In Kabulov’s words, "…"`: a possessive names the speaker (gul2021 ¶ 11: "“…,” Zakharova said")', () => {
    expectMisattributed(
      'In Kabulov’s words, "We believe and our information also supports this idea" [@gul2021, ¶ 11].\n',
      'The source gives these words to Zakharova, not Kabulov (gul2021 ¶ 11)',
      'Kabulov',
      'Zakharova',
    );
  });

  test('a blockquote’s `— Lavrov`: korybko2021 ¶ 5 gives the words to Kabulov ("He was also quoted as saying", after "Kabulov said")', () => {
    const note = '> Kandahar’s seizure does not open any door\n>\n> — Lavrov [@korybko2021, ¶ 5]\n';
    expectMisattributed(note, 'The source gives these words to Kabulov, not Lavrov (korybko2021 ¶ 5)', 'Lavrov', 'Kabulov');
  });
});

describe('a table with a speaker column: the row’s cell names who spoke its quotation', () => {
  test('`Speaker`: korybko2021 ¶ 5 gives the row’s words to Lavrov, not the Kabulov of its cell', () => {
    expectMisattributed(
      '| Speaker | Quotation | Source |\n|---|---|---|\n| Kabulov | "all of this is not good, it’s wrong" | [@korybko2021, ¶ 5] |\n| Zamir Kabulov | "Kandahar’s seizure does not open any door" | [@korybko2021, ¶ 5] |\n',
      'The source gives these words to Lavrov, not Kabulov (korybko2021 ¶ 5)',
      'Kabulov',
      'Lavrov',
    );
  });

  test('`Who` and `Said by:` headers, the citation in the quotation’s own cell or another', () => {
    expectMisattributed(
      '| Who | Said |\n|---|---|\n| Lavrov | "They made a very good impression on us" [@anon2021, ¶ 4] |\n',
      'The source gives these words to Zhirnov, not Lavrov (anon2021 ¶ 4)',
      'Lavrov',
      'Zhirnov',
    );
    expectMisattributed(
      '| Quotation | Said by: | Source |\n|---|---|---|\n| "They made a very good impression on us" | Kabulov | [@anon2021, ¶ 4] |\n',
      'The source gives these words to Zhirnov, not Kabulov (anon2021 ¶ 4)',
      'Kabulov',
      'Zhirnov',
    );
  });

  test('the right speaker, a group, or a column that names no speaker draws nothing', () => {
    expectQuiet('| Said by | Quotation | Source |\n|---|---|---|\n| Dmitry **Zhirnov** | "They made a very good impression on us" | [@anon2021, ¶ 4] |\n');
    expectQuiet('| Speaker | Quotation | Source |\n|---|---|---|\n| the Taliban | "all of this is not good, it’s wrong" | [@korybko2021, ¶ 5] |\n');
    expectQuiet('| Topic | Quotation | Source |\n|---|---|---|\n| Kabulov | "all of this is not good, it’s wrong" | [@korybko2021, ¶ 5] |\n');
  });
});

describe('how the source names its speaker', () => {
  test('indirect speech: "Special Presidential Envoy to Afghanistan Kabulov said that his country isn’t considering …"', () => {
    expectMisattributed(
      'Lavrov said that "his country isn’t considering evacuating its embassy in Kabul" [@korybko2021, ¶ 5].\n',
      'The source gives these words to Kabulov, not Lavrov (korybko2021 ¶ 5)',
      'Lavrov',
      'Kabulov',
    );
  });

  test('a participle after the speaker’s clause: "…, adding that “the Taliban cannot seize Kabul …”"', () => {
    expectMisattributed(
      'Lavrov said that "the Taliban cannot seize Kabul and have not yet done it" [@korybko2021, ¶ 5].\n',
      'The source gives these words to Kabulov, not Lavrov (korybko2021 ¶ 5)',
      'Lavrov',
      'Kabulov',
    );
  });

  test('a gerund after a preposition takes its clause’s subject: korybko2021 ¶ 7, "Kabulov is hoping … by calling on Kabul to “…”"', () => {
    expectMisattributed(
      'According to Lavrov, Kabul must "finally come to its senses and start substantive talks" [@korybko2021, ¶ 7].\n',
      'The source gives these words to Kabulov, not Lavrov (korybko2021 ¶ 7)',
      'Lavrov',
      'Kabulov',
    );
  });

  test('`X told reporters “…`: gul2021 ¶ 10, "Foreign Ministry spokesperson Maria Zakharova told reporters in Moscow (July 1)"', () => {
    expectMisattributed(
      'Lavrov told reporters that "Taliban fighters have captured 30 districts over the last ten days alone" [@gul2021, ¶ 10].\n',
      'The source gives these words to Maria Zakharova, not Lavrov (gul2021 ¶ 10)',
      'Lavrov',
      'Zakharova',
    );
  });

  test('an appositive before the verb: suchkov2021 ¶ 5, "“…,” the spokesperson for the Foreign Ministry, Maria Zakharova, explained"', () => {
    expectMisattributed(
      'Lavrov said: "We have contacts with all kinds of representatives: acting and former officials" [@suchkov2021, ¶ 5].\n',
      'The source gives these words to Maria Zakharova, not Lavrov (suchkov2021 ¶ 5)',
      'Lavrov',
      'Zakharova',
    );
  });

  test('a paraphrased wire copy’s own verbs: anon2021 ¶ 4, "“…,” Zhirnov mentioned"', () => {
    expectMisattributed(
      'Kabulov told the press that "They made a very good impression on us" [@anon2021, ¶ 4].\n',
      'The source gives these words to Zhirnov, not Kabulov (anon2021 ¶ 4)',
      'Kabulov',
      'Zhirnov',
    );
  });

  test('a quotation with no clause of its own continues the speaker of the sentence before (anon2021 ¶ 11, Baunov)', () => {
    expectMisattributed(
      'Lavrov noted: "Russia shouldn’t be fascinated about having a brand new ISIS on its border" [@anon2021, ¶ 11].\n',
      'The source gives these words to Alexander Baunov, not Lavrov (anon2021 ¶ 11)',
      'Lavrov',
      'Baunov',
    );
  });

  test('a group by name credited to the author: korybko2021 ¶ 5, "the Taliban pledged that “we pose no threat …”"', () => {
    expectMisattributed(
      'Korybko writes "we pose no threat to diplomats and staffers of embassies" [@korybko2021, ¶ 5].\n',
      'The source gives these words to the Taliban, not Korybko (korybko2021 ¶ 5)',
      'Korybko',
      'The Taliban',
    );
  });
});

describe('the source’s author credited with words the source quotes from someone else', () => {
  test('`Korybko writes "…"`: korybko2021 ¶ 6 quotes "a high-ranking Taliban member"', () => {
    expectMisattributed(
      'Korybko writes that "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].\n',
      'The source gives these words to a high-ranking Taliban member, not Korybko (korybko2021 ¶ 6)',
      'Korybko',
      'A high-ranking Taliban member',
    );
  });

  test('a narrative citation as the speaker: the author, reported on the citation, which is not replaced', () => {
    expectMisattributed(
      '@korybko2021 [¶ 6] writes that "We will get around Kabul like an anaconda."\n',
      'The source gives these words to a high-ranking Taliban member, not Korybko (korybko2021 ¶ 6)',
      '@korybko2021 [¶ 6]',
      undefined,
    );
  });

  test('the author’s own report of another’s words is the author’s: indirect speech is not misattributed to them', () => {
    expectQuiet('Korybko writes that "his country isn’t considering evacuating its embassy in Kabul" [@korybko2021, ¶ 5].\n');
  });
});

describe('a source in another script (test/fixtures/languages/ivanov2023.txt)', () => {
  const languages = (): Corpus => loadTextCorpus(join(fixturesDir, 'languages'));

  test('the author, in the source’s script, credited with a pensioner’s words («…», — говорит пенсионерка Анна Петровна)', () => {
    expectMisattributed(
      '«Мы живём здесь сорок лет и помним каждый паводок», — пишет Иванов [@ivanov2023, ¶ 5].\n',
      'The source gives these words to Анна Петровна, not Иванов (ivanov2023 ¶ 5)',
      'Иванов',
      'Анна Петровна',
      languages(),
    );
  });

  test('an English note that names another speaker of the Russian words', () => {
    expectMisattributed(
      'Ivanov writes: «Мы живём здесь сорок лет и помним каждый паводок» [@ivanov2023, ¶ 5].\n',
      'The source gives these words to Анна Петровна, not Ivanov (ivanov2023 ¶ 5)',
      'Ivanov',
      'Анна Петровна',
      languages(),
    );
  });

  test('the right speaker in the source’s script, and the author’s own words, draw nothing', () => {
    expectQuiet('«Мы живём здесь сорок лет и помним каждый паводок», — говорит Анна Петровна [@ivanov2023, ¶ 5].\n', languages());
    expectQuiet('«Городской совет каждый год обещает отремонтировать набережную», — пишет Иванов [@ivanov2023, ¶ 4].\n', languages());
  });
});

describe('what must not fire', () => {
  test('the right speaker under another form of the name: `Zamir Kabulov`, `Ambassador Kabulov`, `Kabulov’s`', () => {
    expectQuiet('Zamir Kabulov said that "Kandahar’s seizure does not open any door" [@korybko2021, ¶ 5].\n');
    expectQuiet('> Kandahar’s seizure does not open any door\n>\n> — Ambassador Kabulov [@korybko2021, ¶ 5]\n');
    expectQuiet('In Zakharova’s words, "We believe and our information also supports this idea" [@gul2021, ¶ 11].\n');
    expectQuiet('Maria Zakharova said that "We believe and our information also supports this idea" [@gul2021, ¶ 11].\n');
    expectQuiet('"They made a very good impression on us," Dmitry Zhirnov said [@anon2021, ¶ 4].\n');
  });

  test('a source that names no speaker: the words are its author’s own (korybko2021 ¶ 2)', () => {
    expectQuiet('Zakharova said that "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 2].\n');
    expectQuiet('Lavrov said that "Moscow has been urging the Taliban to engage" [@zochowski2021, ¶ 5].\n');
  });

  test('the writer’s own framing with no speaker named', () => {
    expectQuiet('The envoy’s line was that "Kandahar’s seizure does not open any door" [@korybko2021, ¶ 5].\n');
    expectQuiet('He quotes a Taliban member: "We will get around Kabul like an anaconda." [@korybko2021]\n');
    // A name after the verb is whom the writer quotes, not who spoke.
    expectQuiet('Korybko quotes Lavrov: "all of this is not good, it’s wrong" [@korybko2021, ¶ 5].\n');
  });

  test('a speaker named in the sentence before words that are the author’s own (korybko2021 ¶ 7)', () => {
    expectQuiet('Lavrov said that "the internationally recognized Afghan government had just offered the Taliban a power-sharing deal" [@korybko2021, ¶ 7].\n');
  });

  test('a group or an institution may be spoken for by the person named: only two people’s names contradict', () => {
    expectQuiet('Kabulov said "we pose no threat to diplomats and staffers of embassies" [@korybko2021, ¶ 5].\n');
    // distorted.md's Pentagon, which korybko2021 ¶ 6 calls "the US Department of Defense": no misattribution.
    expectQuiet('The Pentagon predicts that "Kabul can be isolated within 72 hours" [@korybko2021, ¶ 6].\n');
  });

  test('a speaker described only by role is not contradicted by a name (korybko2021 ¶ 6: "a high-ranking Taliban member")', () => {
    expectQuiet('Mujahid warned that "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].\n');
  });

  test('a scare quote of fewer than three words is not read (korybko2021 ¶ 4: “reasonable” is Lavrov’s word)', () => {
    expectQuiet('"Reasonable," Korybko writes [@korybko2021, ¶ 4].\n');
  });

  test('words that are not the source’s get their own diagnostic, not this one', () => {
    assert.deepEqual(misattributions('Kabulov said that "all of this is not fine, it’s wrong" [@korybko2021, ¶ 5].\n'), []);
  });
});

describe('a speaker named two sentences before', () => {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-misattributed-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const corpusOf = (paragraph: string): Corpus => {
    writeFileSync(join(folder, 'brief2021.txt'), `Briefing\n\n${paragraph}\n`);
    return loadTextCorpus(folder);
  };
  const note = 'Lavrov said: "We pose no threat to the embassies" [@brief2021, ¶ 2].\n';

  test('a pronoun reaches back one sentence, not two', () => {
    expectMisattributed(
      note,
      'The source gives these words to Kabulov, not Lavrov (brief2021 ¶ 2)',
      'Lavrov',
      'Kabulov',
      corpusOf('Kabulov spoke to reporters on Friday. “We pose no threat to the embassies,” he said.'),
    );
    expectQuiet(note, corpusOf('Kabulov spoke to reporters on Friday. The talks went on for hours. “We pose no threat to the embassies,” he said.'));
  });
});

describe('the class of communication verbs', () => {
  test('is WordNet’s: say, warn, lament, write, add, mention; not see or give, whose speech senses are rare', () => {
    for (const verb of ['say', 'warn', 'lament', 'write', 'add', 'mention', 'instruct', 'explain', 'pledge', 'threaten']) assert.ok(lexicalClasses.speechVerbs.includes(verb), verb);
    for (const verb of ['see', 'give', 'take', 'hope', 'believe', 'go']) assert.ok(!lexicalClasses.speechVerbs.includes(verb), verb);
  });

  test('the lexical classes are what scripts/make-lexical-classes.mjs writes from the installed WordNet', () => {
    const printed = execFileSync(process.execPath, [join(root, 'scripts', 'make-lexical-classes.mjs'), '--print'], { encoding: 'utf8' });
    assert.equal(printed, readFileSync(join(root, 'server', 'src', 'engine', 'claims', 'lexical-classes.json'), 'utf8'));
  });
});
