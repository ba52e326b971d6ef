import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Fix, Log, Region, ReportingDescriptor, Result } from 'sarif';
import { CODES, type DiagnosticCode, type Severity } from '../engine/codes.js';
import { quickFixes } from '../engine/fixes.js';
import type { Range } from '../engine/text/lines.js';
import type { FileReport } from './format.js';
import { RULE_HELP } from './rules.js';

/** The schema a SARIF log names; code-scanning services read the version from it and from `version`. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** SARIF has no information or hint level: both are notes. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** Where relative paths are rooted: the folder `verbatim check` ran in, so a checkout's paths stay its own. */
const ROOT_ID = 'SRCROOT';

/** A path as a SARIF artifact location: relative ones against the run's folder, absolute ones as file URIs. */
function artifactLocation(path: string): ArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split(sep).map(encodeURIComponent).join('/'), uriBaseId: ROOT_ID };
}

/** An LSP range (0-based, end exclusive) as a SARIF region: 1-based lines and columns, `endColumn` one past the last character. */
function region(range: Range): Region {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/** `quote-mismatch` → `QuoteMismatch`: SARIF's rule name is a readable identifier. */
const ruleName = (code: string): string => code.replace(/(^|-)([a-z])/gu, (_m, _dash: string, letter: string) => letter.toUpperCase());

function rules(): ReportingDescriptor[] {
  return (Object.keys(CODES) as DiagnosticCode[]).map((code) => ({
    id: code,
    name: ruleName(code),
    shortDescription: { text: `${CODES[code].summary[0].toUpperCase()}${CODES[code].summary.slice(1)}.` },
    fullDescription: { text: RULE_HELP[code] },
    help: { text: RULE_HELP[code] },
    defaultConfiguration: { level: LEVEL[CODES[code].severity] },
  }));
}

/**
 * One SARIF 2.1.0 log with one run: a rule per diagnostic code with its help, a result per diagnostic with
 * its region, and each quick fix as a SARIF fix replacing the same span. Columns count UTF-16 code units, as
 * the text and JSON output do (SARIF's default column kind, stated all the same).
 */
export function formatSarif(reports: readonly FileReport[], version: string, cwd: string = process.cwd()): string {
  const codes = Object.keys(CODES);
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d): Result => {
      const location = artifactLocation(report.path);
      const fixes = quickFixes(d.data).map((fix): Fix => ({
        description: { text: fix.title },
        artifactChanges: [{ artifactLocation: location, replacements: [{ deletedRegion: region(fix.range), insertedContent: { text: fix.newText } }] }],
      }));
      return {
        ruleId: d.code,
        ruleIndex: codes.indexOf(d.code),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(d.range) } }],
        ...(fixes.length > 0 ? { fixes } : {}),
      };
    }),
  );
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Verbatim', semanticVersion: version, version, rules: rules() } },
        originalUriBaseIds: { [ROOT_ID]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : `${cwd}${sep}`).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
