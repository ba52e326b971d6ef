import { commands, OverviewRulerLane, ThemeColor, window, type Disposable, type Range, type TextEditor } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Location as LspLocation, Position as LspPosition } from 'vscode-languageclient';
import { SHOW_SOURCE_QUOTATIONS_COMMAND, SOURCE_TEXT_SCHEME, sourceQuotationsChangedNotification, sourceQuotationsRequest, type SourceQuotationSpan } from '../../server/src/lsp/protocol.js';

/** The spans last highlighted in a source, by how the notes quote them. */
export type QuotedSpans = Record<SourceQuotationSpan['match'], Range[]>;

/** Documents that may be corpus sources: a text or markdown file, or a document's extracted text. */
function maySource(editor: TextEditor): boolean {
  const { uri, languageId } = editor.document;
  return uri.scheme === SOURCE_TEXT_SCHEME || (uri.scheme === 'file' && (languageId === 'plaintext' || languageId === 'markdown'));
}

/**
 * Highlights, in each visible source, the spans the workspace's notes quote
 * (asked of the server, `verbatim/sourceQuotations`): the source's words kept
 * in green, words a note changed in red, both marked in the overview ruler.
 */
export class SourceQuotationDecorations {
  private readonly types = {
    verbatim: window.createTextEditorDecorationType({
      backgroundColor: new ThemeColor('diffEditor.insertedTextBackground'),
      overviewRulerColor: new ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: OverviewRulerLane.Right,
    }),
    changed: window.createTextEditorDecorationType({
      backgroundColor: new ThemeColor('diffEditor.removedTextBackground'),
      overviewRulerColor: new ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: OverviewRulerLane.Right,
    }),
  };
  private readonly applied = new Map<string, QuotedSpans>();

  constructor(private readonly client: LanguageClient) {}

  /** What was last highlighted in a document, by its URI; for the editor tests. */
  quotedSpans(uri: string): QuotedSpans | undefined {
    return this.applied.get(uri);
  }

  async refresh(editors: readonly TextEditor[] = window.visibleTextEditors): Promise<void> {
    await Promise.all(editors.filter(maySource).map((editor) => this.decorate(editor)));
  }

  private async decorate(editor: TextEditor): Promise<void> {
    const uri = editor.document.uri.toString();
    const spans = await this.client.sendRequest(sourceQuotationsRequest, { uri });
    const quoted: QuotedSpans = { verbatim: [], changed: [] };
    for (const span of spans) quoted[span.match].push(this.client.protocol2CodeConverter.asRange(span.range));
    editor.setDecorations(this.types.verbatim, quoted.verbatim);
    editor.setDecorations(this.types.changed, quoted.changed);
    if (spans.length > 0 || this.applied.has(uri)) this.applied.set(uri, quoted);
  }

  /** The listeners and the command a quoted paragraph's CodeLens runs: the quotations shown as references, at the paragraph. */
  register(): Disposable[] {
    return [
      this.types.verbatim,
      this.types.changed,
      window.onDidChangeVisibleTextEditors((editors) => void this.refresh(editors)),
      this.client.onNotification(sourceQuotationsChangedNotification, () => void this.refresh()),
      commands.registerCommand(SHOW_SOURCE_QUOTATIONS_COMMAND, (uri: string, position: LspPosition, locations: LspLocation[]) => {
        const converter = this.client.protocol2CodeConverter;
        return commands.executeCommand(
          'editor.action.showReferences',
          converter.asUri(uri),
          converter.asPosition(position),
          locations.map((location) => converter.asLocation(location)),
        );
      }),
    ];
  }
}
