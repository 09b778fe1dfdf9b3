import TurndownService from 'turndown';

const turndown = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '_',
});

/**
 * Vendor HTML (F5's comment bodies) as markdown, the neutral text format of comments. Each chat
 * front-end turns markdown into its own dialect. Scripts and styles are dropped, not converted.
 */
export function htmlToMarkdown(html: string): string {
  turndown.remove(['script', 'style']);
  return turndown.turndown(html).trim();
}
