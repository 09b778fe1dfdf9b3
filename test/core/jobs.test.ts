import { describe, expect, it } from 'vitest';
import { cardJob, checksOutcome, commentJob, excerptOf, failureNoticeJob, postJob, statusJob, StoredDelivery } from '../../src/delivery/jobs.js';
import type { TicketLink } from '../../src/domain.js';

const link: Pick<TicketLink, 'provider' | 'ticketId' | 'thread'> = { provider: 'verifik', ticketId: 'T-7', thread: 'slack:C1:1700000000.000100' };
const ada = { key: 'slack:T1:U2', name: 'Ada' };

describe('delivery jobs', () => {
  // The keys are what makes a job happen once across restarts and upgrades: they must keep the
  // formats earlier releases stored (see test/core/store-upgrade.test.ts).
  it('keys and lanes each kind as the stored jobs of earlier releases are keyed', () => {
    const comment = commentJob(link, { eventKey: 'C1:1700000001.000200', text: 'hi', author: ada });
    expect([comment.key, comment.lane]).toEqual(['comment:C1:1700000001.000200', 'provider:verifik:T-7']);
    const post = postJob(link, { id: 'c-9', author: 'Grace', text: 'Looking' });
    expect([post.key, post.lane]).toEqual(['post:verifik:T-7:c-9', 'chat:verifik:T-7']);
    const status = statusJob(link, 3, { status: 'resolved', vendorStatus: 'Solved', by: 'Ada' });
    expect([status.key, status.lane]).toEqual(['status:verifik:T-7:3', 'chat:verifik:T-7']);
    const card = cardJob(link, 3);
    expect([card.key, card.lane]).toEqual(['card:verifik:T-7:3', 'chat:verifik:T-7']);
    const notice = failureNoticeJob('verifik', { ...comment, attempts: 2 }, 'refused');
    expect([notice.key, notice.lane]).toEqual(['failed:comment:C1:1700000001.000200:2', 'chat:verifik:T-7']);
  });

  it('builds the messages the thread shows', () => {
    expect(postJob(link, { id: 'c-9', author: 'Grace', text: 'Looking' }).payload).toEqual({
      thread: link.thread,
      message: { kind: 'comment', ticketId: 'T-7', author: 'Grace', text: 'Looking' },
    });
    expect(statusJob(link, 1, { status: 'open', vendorStatus: 'Open', by: undefined }).payload.message).toEqual({ kind: 'status', ticketId: 'T-7', status: 'open', vendorStatus: 'Open' });
    const long = commentJob(link, { eventKey: 'e', text: 'x'.repeat(500), author: ada });
    expect(failureNoticeJob('verifik', { ...long, attempts: 1 }, 'Message is required').payload.message).toEqual({
      kind: 'delivery_failed',
      ticketId: 'T-7',
      jobKey: 'comment:e',
      excerpt: 'x'.repeat(200),
      reason: 'Message is required',
    });
    expect(excerptOf(long)).toHaveLength(200);
    expect(excerptOf(cardJob(link, 1))).toBe('');
  });

  it('checks the remote before repeating only where the remote has no idempotency key', () => {
    expect(checksOutcome(commentJob(link, { eventKey: 'e', text: 't', author: ada }))).toBe(true);
    expect(checksOutcome(postJob(link, { id: 'c', author: 'G', text: 't' }))).toBe(false);
    expect(checksOutcome(cardJob(link, 1))).toBe(false);
  });

  it('reads status posts and failure notices stored as post jobs by earlier releases as the kinds they are', () => {
    const stored = (message: object) => ({ key: 'k', lane: 'chat:verifik:T-7', kind: 'post', ticketId: 'T-7', payload: { thread: link.thread, message } });
    const status = StoredDelivery.parse(stored({ kind: 'status', ticketId: 'T-7', status: 'waiting', vendorStatus: 'Pending' }));
    expect(status).toMatchObject({ kind: 'status', key: 'k', payload: { message: { kind: 'status', status: 'waiting' } } });
    const notice = StoredDelivery.parse(stored({ kind: 'delivery_failed', ticketId: 'T-7', jobKey: 'comment:e', excerpt: 'hi', reason: 'no' }));
    expect(notice).toMatchObject({ kind: 'failure_notice', payload: { message: { jobKey: 'comment:e' } } });
    expect(StoredDelivery.parse(stored({ kind: 'comment', ticketId: 'T-7', author: 'G', text: 't' })).kind).toBe('post');
  });

  it('refuses a stored job whose payload does not fit its kind', () => {
    expect(StoredDelivery.safeParse({ key: 'k', lane: 'l', kind: 'comment', ticketId: 'T', payload: { thread: 't' } }).success).toBe(false);
    expect(StoredDelivery.safeParse({ key: 'k', lane: 'l', kind: 'fax', ticketId: 'T', payload: {} }).success).toBe(false);
  });
});
