import TurndownService from 'turndown';

const turndown = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '_',
});
turndown.remove(['script', 'style']);

// Turndown pads list markers to a tab stop (`-   item`); chat renderers and people expect `- item`.
turndown.addRule('listItem', {
  filter: 'li',
  replacement(content, node, options) {
    const parent = node.parentNode as TurndownService.Node | null;
    let prefix = `${options.bulletListMarker} `;
    if (parent?.nodeName === 'OL') {
      const start = Number(parent.getAttribute('start') ?? 1);
      prefix = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
    }
    const body = content
      .replace(/^\n+/, '')
      .replace(/\n+$/, '\n')
      .replace(/\n/gm, `\n${' '.repeat(prefix.length)}`);
    return prefix + body + (node.nextSibling && !body.endsWith('\n') ? '\n' : '');
  },
});

/**
 * Vendor HTML (F5's comment bodies) as markdown, the neutral text format of comments. Each chat
 * front-end turns markdown into its own dialect. Scripts and styles are dropped, not converted.
 */
export function htmlToMarkdown(html: string): string {
  return turndown.turndown(html).trim();
}
