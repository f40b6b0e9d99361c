// slack.view-update: replaces a modal the person has open (views.update by view_id) with another
// Modal (rendered by views/modal.ts when delivered).
// Idempotent: the same view set twice is the same view. Slack refuses an update once the modal is
// closed (not_found): the row then ends dead, which is right (there is nothing left to update).
import { z } from 'zod';
import type { Modal } from '../../core/modal.ts';
import { t } from '../../i18n/index.ts';
import { modalView } from '../../views/modal.ts';
import { defineKind } from './kind.ts';

const field = z.object({
  id: z.string().min(1),
  label: z.string(),
  kind: z.enum(['text', 'multiline', 'select', 'date', 'user']),
  hint: z.string().optional(),
  placeholder: z.string().optional(),
  optional: z.boolean().optional(),
  initial: z.string().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  maxLength: z.number().int().positive().optional(),
});

/** A Modal (src/core/modal.ts), as stored in a row's JSON. */
export const modalSchema: z.ZodType<Modal> = z.object({
  callbackId: z.string().min(1),
  title: z.string(),
  submit: z.string().optional(),
  close: z.string().optional(),
  intro: z.string().optional(),
  fields: z.array(field),
  privateMetadata: z.string().optional(),
  notifyOnClose: z.boolean().optional(),
});

export const slackViewUpdate = defineKind({
  kind: 'slack.view-update',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: setting the same view twice leaves the same modal',
  calls: 1,
  payload: z.object({ viewId: z.string().min(1), modal: modalSchema }),
  refs: () => ({}),
  async slack(_row, p, slack) {
    await slack.call('views.update', undefined, () =>
      slack.client.views.update({ view_id: p.viewId, view: modalView(p.modal) }),
    );
    return { result: { viewId: p.viewId } };
  },
  async console(_row, p, out) {
    const text = [p.modal.title, p.modal.intro].filter(Boolean).join('\n');
    out.show({ text }, t(out.locale, 'outbox.view_updated', { view: p.viewId }));
    return { result: {} };
  },
});
