/**
 * The report's style sheet. It is inlined and allowed by its hash (see html.ts), so it must stay a constant:
 * any change here changes the hash with it.
 */
export const REPORT_STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --info: #0969da; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 75rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); word-break: break-all; }
code { font-family: ui-monospace, monospace; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.figure { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: .5rem .9rem; min-width: 9rem; }
.figure .value { display: block; font-size: 1.8rem; font-weight: 600; }
.figure .label { color: #59636e; }
.f-verified, .v-verified, .g-verified { border-left-color: var(--ok); }
.f-quote-mismatch, .v-quote-mismatch, .g-quote-mismatch, .f-flagged, .g-flagged { border-left-color: var(--warn); }
.f-quote-wrong-source, .v-quote-wrong-source, .g-quote-wrong-source,
.f-quote-not-found, .v-quote-not-found, .g-quote-not-found { border-left-color: var(--bad); }
.f-quote-uncited, .v-quote-uncited, .g-quote-uncited, .f-claims, .g-claims { border-left-color: var(--info); }
.legend { color: #59636e; }
nav ol { columns: 2; }
details.group { border-left: 4px solid var(--line); margin: 1rem 0; padding-left: .75rem; }
details.group > summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
summary .count { display: inline-block; min-width: 1.6em; padding: 0 .4em; border-radius: 1em; background: #eaeef2; text-align: center; }
summary .help { font-weight: normal; color: #59636e; }
.quotation { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; margin: .75rem 0; padding: .6rem .9rem; break-inside: avoid; }
.quotation > header { display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.verdict { font-weight: 600; }
.where { font-family: ui-monospace, monospace; color: #59636e; word-break: break-all; }
.locators { display: grid; grid-template-columns: max-content 1fr; gap: 0 .75rem; margin: .4rem 0; }
.locators dt { color: #59636e; }
.locators dd { margin: 0; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.sides figure { margin: 0; min-width: 0; }
.sides figcaption { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: #59636e; }
blockquote { margin: .25rem 0; padding: .4rem .7rem; background: #f6f8fa; border-radius: 4px; overflow-wrap: anywhere; }
mark { background: #fff3b0; color: inherit; }
ins { background: #d1f5d3; text-decoration: underline; color: inherit; }
del { background: #ffd7d5; text-decoration: line-through; color: inherit; }
del.gap { text-decoration: none; font-weight: 700; color: var(--bad); }
.none { color: #59636e; font-style: italic; }
.changes-title { margin: .5rem 0 0; }
.changes { margin: .2rem 0; }
.problems { margin: .5rem 0 0; padding-left: 1.2rem; }
.problems .code { font-family: monospace; }
.claims { list-style: none; padding: 0; }
.claim { border: 1px solid var(--line); border-left: 6px solid var(--info); border-radius: 6px; margin: .75rem 0; padding: .6rem .9rem; break-inside: avoid; }
@media (max-width: 48rem) { .sides { grid-template-columns: 1fr; } nav ol { columns: 1; } }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; }
  nav { display: none; }
  details.group > summary { list-style: none; }
  .quotation, .claim, .figure { border-color: #888; }
  blockquote { background: none; border-left: 2px solid #888; }
  mark, ins, del { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
}
`;
