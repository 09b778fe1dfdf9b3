import { describe, expect, it } from 'vitest';
import { renderThreadMessage as discordPost } from '../../bots/discord/messages.js';
import { renderThreadMessage as slackPost } from '../../bots/slack/blocks.js';
import { translator } from '../../handlers/i18n.js';

const t = translator('en');
const comment = (text: string, files = [{ name: 'chart.png', contentType: 'image/png', size: 56, ref: 'r1' }]) =>
  ({ kind: 'comment', ticketId: '1', author: 'Grace', text, files }) as const;

describe('an agent comment of files alone', () => {
  it('is posted as its author over the uploads, not as an empty comment', () => {
    expect(slackPost(comment(''), t).parts.join('')).not.toContain('empty comment');
    expect(discordPost(comment(''), t).parts.join('')).not.toContain('empty comment');
  });

  it('still says so when a comment has neither text nor files', () => {
    expect(slackPost(comment('', []), t).parts.join('')).toContain('(empty comment)');
    expect(discordPost(comment('', []), t).parts.join('')).toContain('(empty comment)');
  });
});
