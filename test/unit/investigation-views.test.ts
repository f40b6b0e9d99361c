import { describe, expect, it } from 'vitest';
import type { Investigation } from '../../src/domain/investigation.ts';
import { investigationPost } from '../../src/views/investigation.ts';

const NOW = new Date('2026-11-30T03:00:00Z');
const resolved: Investigation = {
  id: '9',
  requester: 'U0SUP1',
  assignee: 'U0EEE',
  customer: 'cus_1',
  reference: null,
  category: 'bug',
  question: 'Why?',
  deadline: new Date('2026-12-02T09:00:00Z'),
  urgency: 'normal',
  status: 'resolved',
  source: null,
  createdAt: NOW,
  monthClose: false,
  waitingSince: null,
  waitedMs: 0,
  dueAt: new Date('2026-12-02T09:00:00Z'),
  answer: 'Fixed',
  cause: null,
  ticket: 'https://tracker.example.com/issues?id=12&view=full',
  resolvedAt: NOW,
  resolvedBy: 'U0EEE',
};

describe('the resolved post', () => {
  it('links a ticket URL with its & escaped, as Slack reads & inside <…> as an escape', () => {
    const text = investigationPost(resolved, 'en', 'Asia/Tokyo', NOW).text;
    expect(text).toContain('<https://tracker.example.com/issues?id=12&amp;view=full>');
    expect(text).not.toContain('id=12&view');
  });
});
